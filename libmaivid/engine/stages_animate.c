/*
 * stages_animate.c - the image-to-video pass of scene_generation (job options animate /
 * animate_workflow): each scene's still (from any image model, the painter's included) is
 * uploaded to ComfyUI and moved into a clip by the video model, the prompt carrying motion
 * words from the scene's section and energy, the clip's frame count and rate from the
 * model's rules. A scene longer than one clip gets a chain (the storyboard's "clips"): clip 1
 * from the still, clip k+1 from the last frame of clip k (scene_NNN_cK.png, uploaded like a
 * still), made in rounds (every scene's clip k, then every clip k+1) so the servers share
 * each round like the stills. Progress and its ETA count every clip of the job. A clip 1
 * that fails leaves its scene on the still (with its camera motion) and a warning; a later
 * one keeps the clips before it, which then fill the scene. The job fails only when the
 * images do. Clips already on disk are kept (resume).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/mv_pipeline.h"
#include "images/mv_clip.h"
#include "images/mv_image_backend.h"

int mv_animate_on(const mv_job *job)
{
    return job->settings.animate || job->settings.animate_workflow;
}

static const char *mv_animate_model(const mv_job *job)
{
    return job->settings.animate_workflow ? NULL : job->settings.animate;
}

double mv_animate_longest_clip(maivid_engine *e, const mv_job *job)
{
    int frames = 0, fps = 0;
    mv_images_clip_shape(e->images, mv_animate_model(job), 1e9, &frames, &fps);
    double longest = fps > 0 ? (double)frames / fps : 5.0;
    if (job->settings.clip_seconds > 0 && job->settings.clip_seconds < longest)
        longest = job->settings.clip_seconds;
    return longest;
}

int mv_animate_clip_plan(maivid_engine *e, const mv_job *job, double seconds, int *frames,
                         int *fps)
{
    double longest = mv_animate_longest_clip(e, job);
    int n = (int)ceil(seconds / longest - 0.05); /* 5% slower clips rather than one more */
    if (n < 1)
        n = 1;
    if (n > MV_PLAN_MAX_CLIPS)
        n = MV_PLAN_MAX_CLIPS;
    int rate = 0, unused = 0;
    mv_images_clip_shape(e->images, mv_animate_model(job), 1e9, &unused, &rate);
    double each = seconds / n + (n > 1 && rate > 0 ? 1.0 / rate : 0);
    mv_images_clip_shape(e->images, mv_animate_model(job), each, frames, fps);
    return n;
}

/* One clip of a scene's chain being made, and what its progress said (for the ETA). */
typedef struct mv_clip_run {
    struct mv_animate_run *run;
    double started;            /* first progress (upload, queue), 0: not started */
    double sampling_t, sampling_f; /* first report from inside the graph */
    double last_t, last_f;     /* the latest report */
    double ended;              /* 0: still running */
} mv_clip_run;

typedef struct mv_animate_run {
    maivid_stage_context *ctx;
    size_t todo;               /* clips to make in this run */
    size_t done;               /* of them ended (made, failed or skipped after a failure) */
    size_t round_base;         /* done before the running round */
    size_t round_count;
    mv_clip_run *clips;        /* the running round's clips */
    double finished_seconds;   /* time of the clips made so far ... */
    size_t finished;           /* ... and how many */
    double eta_published;      /* mv_monotonic() of the last ETA sent */
    pthread_mutex_t lock;
} mv_animate_run;

/* The seconds the clips still need: the running ones at their step rate (one not timed yet:
 * the mean clip less its time so far), the ones not yet started at the mean time of a
 * finished clip (or of the running ones' projection), shared by as many at once as run now.
 * < 0: not known yet. Lock held. */
static double mv_clips_remaining(const mv_animate_run *run, double now)
{
    double longest_left = 0, projected = 0;
    size_t running = 0, projections = 0, untimed = 0;
    for (size_t i = 0; i < run->round_count; i++) {
        const mv_clip_run *c = &run->clips[i];
        if (c->started <= 0 || c->ended > 0)
            continue;
        running++;
        double dt = c->last_t - c->sampling_t, df = c->last_f - c->sampling_f;
        if (c->sampling_t <= 0 || dt <= 0 || df <= 0) {
            untimed++;
            continue;
        }
        double left = (1.0 - c->last_f) / (df / dt) - (now - c->last_t);
        if (left < 0)
            left = 0;
        if (left > longest_left)
            longest_left = left;
        projected += (now - c->started) + left;
        projections++;
    }
    double mean = run->finished ? run->finished_seconds / (double)run->finished
                  : projections ? projected / (double)projections
                                : -1;
    if (mean < 0)
        return -1;
    for (size_t i = 0; untimed && i < run->round_count; i++) {
        const mv_clip_run *c = &run->clips[i];
        int timed = c->sampling_t > 0 && c->last_t > c->sampling_t && c->last_f > c->sampling_f;
        if (c->started > 0 && c->ended <= 0 && !timed) {
            double left = mean - (now - c->started);
            if (left > longest_left)
                longest_left = left;
        }
    }
    size_t waiting = run->todo - run->done - running;
    double at_once = running > 0 ? (double)running : 1.0;
    return longest_left + (double)waiting * mean / at_once;
}

static void mv_publish_eta(mv_animate_run *run, int force)
{
    double now = mv_monotonic();
    pthread_mutex_lock(&run->lock);
    double eta = -2;
    if (force || now - run->eta_published >= 0.2) {
        run->eta_published = now;
        eta = mv_clips_remaining(run, now);
    }
    pthread_mutex_unlock(&run->lock);
    if (eta > -2)
        mv_progress_clip_eta(run->ctx->engine, run->ctx->job, eta);
}

/* A clip's own progress (its job's observer): the times the ETA is measured from. */
static void mv_clip_observed(void *user, double fraction, const char *text)
{
    (void)text;
    mv_clip_run *c = user;
    mv_animate_run *run = c->run;
    double now = mv_monotonic();
    pthread_mutex_lock(&run->lock);
    if (c->started <= 0)
        c->started = now;
    if (fraction > 0.1 && c->sampling_t <= 0) { /* the first sampling step */
        c->sampling_t = now;
        c->sampling_f = fraction;
    }
    c->last_t = now;
    c->last_f = fraction;
    pthread_mutex_unlock(&run->lock);
    mv_publish_eta(run, 0);
}

static void mv_animate_progress(void *user, double fraction, const char *text)
{
    (void)text;
    mv_animate_run *run = user;
    pthread_mutex_lock(&run->lock);
    size_t done = run->done;
    double made = (double)run->round_base + fraction * (double)run->round_count;
    double overall = run->todo ? made / (double)run->todo : 1.0;
    pthread_mutex_unlock(&run->lock);
    char line[128];
    snprintf(line, sizeof line, "Animating clip %zu/%zu", done < run->todo ? done + 1 : done,
             run->todo);
    /* the stills were the first half of the stage, the clips are the second */
    mv_progress_stage(run->ctx->engine, run->ctx->job, 0.5 + 0.5 * overall, line);
}

static void mv_animate_warn(void *user, const char *text)
{
    mv_animate_run *run = user;
    maivid_ctx_warn(run->ctx, text);
}

/* The scene's prompt with the motion words its section and loudness call for. */
static char *mv_animate_prompt(const mv_plan_scene *s, const mv_analysis *a)
{
    double energy = a ? mv_analysis_energy_between(a, s->start, s->end) : -1;
    const char *words = mv_plan_motion_words(s->section, energy);
    return mv_strdup_printf("%s, %s", s->prompt ? s->prompt : "", words);
}

/* One scene's chain: how long, how much of it is on disk, and how it ended. */
typedef struct mv_chain {
    int clips;          /* planned */
    int made;           /* clips 1..made are on disk */
    int failed;         /* the clip that failed (0: none) */
    maivid_code code;
    char *message;
    char *prompt;
    int frames, fps;
} mv_chain;

/* Finds the chain's clips on disk (resume) and removes what follows the first gap. */
static void mv_chain_resume(mv_chain *ch, const char *still)
{
    char *found[MV_PLAN_MAX_CLIPS];
    size_t n = mv_scene_chain_find(still, ch->clips, found);
    for (size_t i = 0; i < n; i++)
        free(found[i]);
    ch->made = (int)n;
    for (int k = ch->made + 1; k <= MV_PLAN_MAX_CLIPS; k++) {
        char *start = mv_scene_chain_still(still, k);
        if (start) {
            mv_scene_clip_remove(start);
            if (k > 1)
                unlink(start);
        }
        free(start);
    }
}

/* Writes clip k's start picture (the last frame of clip k - 1) for a chained clip. */
static maivid_code mv_chain_start(const char *still, int k, char **start, mv_error *err)
{
    *start = mv_scene_chain_still(still, k);
    if (!*start)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    if (k == 1)
        return MAIVID_OK;
    char *prev_still = mv_scene_chain_still(still, k - 1);
    char *prev = prev_still ? mv_scene_clip_find(prev_still) : NULL;
    free(prev_still);
    maivid_code rc = prev ? mv_clip_last_frame(prev, *start, err)
                          : mv_fail(err, MAIVID_E_MEDIA, "clip %d is missing", k - 1);
    free(prev);
    return rc;
}

typedef struct mv_round {
    mv_animate_run *run;
    size_t *scene_of;
    maivid_code *results;
    char **messages;
} mv_round;

static void mv_round_done(void *user, size_t k, maivid_code code, const char *message)
{
    mv_round *r = user;
    mv_animate_run *run = r->run;
    double now = mv_monotonic();
    pthread_mutex_lock(&run->lock);
    run->done++;
    r->results[k] = code;
    if (code != MAIVID_OK && message)
        r->messages[k] = mv_strdup(message);
    mv_clip_run *c = &run->clips[k];
    c->ended = now;
    if (code == MAIVID_OK && c->started > 0) {
        run->finished_seconds += now - c->started;
        run->finished++;
    }
    pthread_mutex_unlock(&run->lock);
    mv_publish_eta(run, 1);
}

/* Makes clip k of every chain that still needs it. MAIVID_E_CANCELLED when cancelled. */
static maivid_code mv_animate_round(mv_animate_run *run, const mv_plan *plan, mv_chain *chains,
                                    char *const *stills, int k, int frame_w, int frame_h)
{
    maivid_stage_context *ctx = run->ctx;
    size_t n = plan->scene_count;
    mv_image_job *jobs = calloc(n + 1, sizeof *jobs);
    mv_task *observers = calloc(n + 1, sizeof *observers);
    char **starts = calloc(n + 1, sizeof *starts);
    mv_round r = {.run = run};
    r.scene_of = calloc(n + 1, sizeof *r.scene_of);
    r.results = calloc(n + 1, sizeof *r.results);
    r.messages = calloc(n + 1, sizeof *r.messages);
    mv_clip_run *clips = calloc(n + 1, sizeof *clips);
    maivid_code rc = jobs && observers && starts && r.scene_of && r.results && r.messages && clips
                         ? MAIVID_OK
                         : maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "out of memory");
    size_t count = 0;
    for (size_t i = 0; rc == MAIVID_OK && i < n; i++) {
        mv_chain *ch = &chains[i];
        if (ch->failed || ch->clips < k || ch->made >= k)
            continue;
        mv_error e;
        mv_error_clear(&e);
        if (mv_chain_start(stills[i], k, &starts[count], &e) != MAIVID_OK) {
            ch->failed = k;
            ch->code = e.code;
            ch->message = mv_strdup(e.message);
            pthread_mutex_lock(&run->lock);
            run->done += (size_t)(ch->clips - k + 1); /* this clip and the rest: not made */
            pthread_mutex_unlock(&run->lock);
            free(starts[count]);
            starts[count] = NULL;
            continue;
        }
        const mv_plan_scene *s = &plan->scenes[i];
        mv_image_job *ij = &jobs[count];
        ij->model = mv_animate_model(ctx->job);
        ij->workflow_path = ctx->job->settings.animate_workflow;
        ij->prompt = ch->prompt;
        ij->negative_prompt = s->negative_prompt;
        ij->seed = s->seed + (k - 1);
        ij->width = frame_w;
        ij->height = frame_h;
        ij->output_path = starts[count]; /* the clip is kept beside the picture it starts from */
        ij->input_image = starts[count];
        ij->frames = ch->frames;
        ij->fps = ch->fps;
        clips[count].run = run;
        observers[count] = (mv_task){.progress = mv_clip_observed, .user_data = &clips[count]};
        ij->observer = &observers[count];
        r.results[count] = MAIVID_E_CANCELLED; /* until the batch says */
        r.scene_of[count++] = i;
    }
    if (rc == MAIVID_OK && count > 0) {
        pthread_mutex_lock(&run->lock);
        run->round_base = run->done;
        run->round_count = count;
        run->clips = clips;
        pthread_mutex_unlock(&run->lock);
        mv_task task = {.progress = mv_animate_progress, .warn = mv_animate_warn,
                        .user_data = run, .cancel = ctx->task.cancel};
        mv_animate_progress(run, 0, NULL);
        rc = mv_images_make_batch(ctx->engine->images, NULL, jobs, count, mv_round_done, &r,
                                  &task, &ctx->err);
        if (rc == MAIVID_OK && maivid_ctx_cancelled(ctx))
            rc = MAIVID_E_CANCELLED;
        pthread_mutex_lock(&run->lock);
        run->clips = NULL;
        run->round_count = 0;
        run->round_base = run->done;
        pthread_mutex_unlock(&run->lock);
    }
    for (size_t j = 0; rc == MAIVID_OK && j < count; j++) {
        mv_chain *ch = &chains[r.scene_of[j]];
        if (r.results[j] == MAIVID_OK) {
            ch->made = k;
            continue;
        }
        if (r.results[j] == MAIVID_E_CANCELLED && maivid_ctx_cancelled(ctx)) {
            rc = MAIVID_E_CANCELLED;
            break;
        }
        ch->failed = k;
        ch->code = r.results[j];
        ch->message = r.messages[j];
        r.messages[j] = NULL;
        mv_scene_clip_remove(starts[j]);
        if (k > 1)
            unlink(starts[j]);
        pthread_mutex_lock(&run->lock);
        run->done += (size_t)(ch->clips - k); /* the rest of the chain is not made */
        pthread_mutex_unlock(&run->lock);
    }
    for (size_t j = 0; j <= count && starts; j++) {
        free(starts[j]);
        if (r.messages)
            free(r.messages[j]);
    }
    free(starts);
    free(jobs);
    free(observers);
    free(clips);
    free(r.scene_of);
    free(r.results);
    free(r.messages);
    return rc;
}

/* Warns about each chain that broke: a scene whose clip 1 failed keeps its still. */
static void mv_animate_settle(maivid_stage_context *ctx, mv_chain *chains, char *const *stills,
                              size_t n)
{
    for (size_t i = 0; i < n; i++) {
        mv_chain *ch = &chains[i];
        if (!ch->failed)
            continue;
        const char *why = ch->message ? ch->message : maivid_strerror(ch->code);
        char warning[900];
        if (ch->failed == 1) {
            mv_scene_clip_remove(stills[i]);
            snprintf(warning, sizeof warning,
                     "scene %zu clip failed (%s); the still with its camera motion stands in",
                     i + 1, why);
        } else {
            snprintf(warning, sizeof warning,
                     "scene %zu clip %d of %d failed (%s); the clips before it are stretched "
                     "to fill the scene",
                     i + 1, ch->failed, ch->clips, why);
        }
        maivid_ctx_warn(ctx, warning);
    }
}

maivid_code mv_stage_animate(maivid_stage_context *ctx, const mv_plan *plan,
                             char *const *stills, int frame_w, int frame_h)
{
    mv_job *job = ctx->job;
    size_t n = plan->scene_count;
    mv_analysis analysis;
    memset(&analysis, 0, sizeof analysis);
    char *apath = mv_job_path(job, "analysis.json");
    mv_error aerr;
    mv_error_clear(&aerr);
    int has_analysis = apath && mv_analysis_load(apath, &analysis, &aerr) == MAIVID_OK;
    free(apath);
    mv_chain *chains = calloc(n + 1, sizeof *chains);
    mv_animate_run run = {.ctx = ctx};
    pthread_mutex_init(&run.lock, NULL);
    maivid_code rc = chains ? MAIVID_OK : maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "out of memory");
    int rounds = 0;
    for (size_t i = 0; rc == MAIVID_OK && i < n; i++) {
        const mv_plan_scene *s = &plan->scenes[i];
        mv_chain *ch = &chains[i];
        int planned = mv_animate_clip_plan(ctx->engine, job, s->end - s->start, &ch->frames,
                                           &ch->fps);
        ch->clips = s->clips > 0 ? s->clips : planned; /* the storyboard's word first */
        if (ch->clips > MV_PLAN_MAX_CLIPS)
            ch->clips = MV_PLAN_MAX_CLIPS;
        if (s->clips > 0 && s->clips != planned) { /* a given chain: its clips share the scene */
            int rate = ch->fps > 0 ? ch->fps : 24;
            double each = (s->end - s->start) / ch->clips + (ch->clips > 1 ? 1.0 / rate : 0);
            mv_images_clip_shape(ctx->engine->images, mv_animate_model(job), each, &ch->frames,
                                 &ch->fps);
        }
        ch->prompt = mv_animate_prompt(s, has_analysis ? &analysis : NULL);
        if (!ch->prompt)
            rc = maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "out of memory");
        mv_chain_resume(ch, stills[i]);
        run.todo += (size_t)(ch->clips - ch->made);
        if (ch->clips > rounds)
            rounds = ch->clips;
    }
    if (run.todo > 0) /* no ETA until the first clip's steps are timed */
        mv_progress_clip_eta(ctx->engine, job, -1);
    for (int k = 1; rc == MAIVID_OK && k <= rounds && run.todo > 0; k++) {
        rc = mv_animate_round(&run, plan, chains, stills, k, frame_w, frame_h);
    }
    if (rc == MAIVID_OK)
        mv_animate_settle(ctx, chains, stills, n);
    for (size_t i = 0; chains && i < n; i++) {
        free(chains[i].message);
        free(chains[i].prompt);
    }
    free(chains);
    pthread_mutex_destroy(&run.lock);
    if (has_analysis)
        mv_analysis_free(&analysis);
    return rc;
}
