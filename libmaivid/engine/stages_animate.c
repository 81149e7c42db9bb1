/*
 * stages_animate.c - the image-to-video pass of scene_generation (job options animate /
 * animate_workflow): each scene's still (from any image model, the painter's included) is
 * uploaded to ComfyUI and moved into a clip by the video model, the prompt carrying motion
 * words from the scene's section and energy, the clip's frame count and rate from the
 * model's rules. The servers share the clips like the stills; progress counts clips. A clip
 * that fails leaves its scene on the still (with its camera motion) and a warning: the job
 * fails only when the images do. Scenes that already have a clip keep it (resume).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/mv_pipeline.h"
#include "images/mv_clip.h"
#include "images/mv_image_backend.h"

typedef struct mv_animate_run {
    maivid_stage_context *ctx;
    const size_t *scene_of;
    size_t todo, done;
    char **messages;
    maivid_code *results;
    pthread_mutex_t lock;
} mv_animate_run;

static void mv_animate_progress(void *user, double fraction, const char *text)
{
    (void)text;
    mv_animate_run *run = user;
    pthread_mutex_lock(&run->lock);
    size_t done = run->done;
    pthread_mutex_unlock(&run->lock);
    char line[128];
    snprintf(line, sizeof line, "Animating clip %zu/%zu", done < run->todo ? done + 1 : done,
             run->todo);
    /* the stills were the first half of the stage, the clips are the second */
    mv_progress_stage(run->ctx->engine, run->ctx->job, 0.5 + 0.5 * fraction, line);
}

static void mv_animate_warn(void *user, const char *text)
{
    mv_animate_run *run = user;
    maivid_ctx_warn(run->ctx, text);
}

static void mv_animate_done(void *user, size_t k, maivid_code code, const char *message)
{
    mv_animate_run *run = user;
    pthread_mutex_lock(&run->lock);
    run->done++;
    run->results[k] = code;
    if (code != MAIVID_OK && message)
        run->messages[k] = mv_strdup(message);
    pthread_mutex_unlock(&run->lock);
}

/* The scene's prompt with the motion words its section and loudness call for. */
static char *mv_animate_prompt(const mv_plan_scene *s, const mv_analysis *a)
{
    double energy = a ? mv_analysis_energy_between(a, s->start, s->end) : -1;
    const char *words = mv_plan_motion_words(s->section, energy);
    return mv_strdup_printf("%s, %s", s->prompt ? s->prompt : "", words);
}

maivid_code mv_stage_animate(maivid_stage_context *ctx, const mv_plan *plan,
                             char *const *stills, int frame_w, int frame_h)
{
    mv_job *job = ctx->job;
    const char *model = job->settings.animate_workflow ? NULL : job->settings.animate;
    size_t n = plan->scene_count;
    mv_analysis analysis;
    memset(&analysis, 0, sizeof analysis);
    char *apath = mv_job_path(job, "analysis.json");
    mv_error aerr;
    mv_error_clear(&aerr);
    int has_analysis = apath && mv_analysis_load(apath, &analysis, &aerr) == MAIVID_OK;
    free(apath);
    mv_image_job *jobs = calloc(n + 1, sizeof *jobs);
    size_t *scene_of = calloc(n + 1, sizeof *scene_of);
    char **prompts = calloc(n + 1, sizeof *prompts);
    mv_animate_run run = {.ctx = ctx, .scene_of = scene_of};
    run.messages = calloc(n + 1, sizeof *run.messages);
    run.results = calloc(n + 1, sizeof *run.results);
    pthread_mutex_init(&run.lock, NULL);
    maivid_code rc = jobs && scene_of && prompts && run.messages && run.results
                         ? MAIVID_OK
                         : maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "out of memory");
    for (size_t i = 0; rc == MAIVID_OK && i < n; i++) {
        char *have = mv_scene_clip_find(stills[i]);
        free(have);
        if (have)
            continue; /* made before this run */
        const mv_plan_scene *s = &plan->scenes[i];
        mv_image_job *ij = &jobs[run.todo];
        prompts[run.todo] = mv_animate_prompt(s, has_analysis ? &analysis : NULL);
        ij->model = model;
        ij->workflow_path = job->settings.animate_workflow;
        ij->prompt = prompts[run.todo];
        ij->negative_prompt = s->negative_prompt;
        ij->seed = s->seed;
        ij->width = frame_w;
        ij->height = frame_h;
        ij->output_path = stills[i];
        ij->input_image = stills[i];
        mv_images_clip_shape(ctx->engine->images, model, s->end - s->start, &ij->frames,
                             &ij->fps);
        run.results[run.todo] = MAIVID_E_CANCELLED; /* until the batch says */
        scene_of[run.todo++] = i;
    }
    if (rc == MAIVID_OK && run.todo > 0) {
        mv_task task = {.progress = mv_animate_progress, .warn = mv_animate_warn,
                        .user_data = &run, .cancel = ctx->task.cancel};
        mv_progress_stage(ctx->engine, job, 0.5, "Animating clip 1");
        rc = mv_images_make_batch(ctx->engine->images, NULL, jobs, run.todo, mv_animate_done,
                                  &run, &task, &ctx->err);
        if (rc == MAIVID_OK && maivid_ctx_cancelled(ctx))
            rc = MAIVID_E_CANCELLED;
    }
    for (size_t k = 0; rc == MAIVID_OK && k < run.todo; k++) {
        if (run.results[k] == MAIVID_OK)
            continue;
        if (run.results[k] == MAIVID_E_CANCELLED && maivid_ctx_cancelled(ctx)) {
            rc = MAIVID_E_CANCELLED;
            break;
        }
        mv_scene_clip_remove(stills[scene_of[k]]);
        char warning[700];
        snprintf(warning, sizeof warning,
                 "scene %zu clip failed (%s); the still with its camera motion stands in",
                 scene_of[k] + 1,
                 run.messages[k] ? run.messages[k] : maivid_strerror(run.results[k]));
        maivid_ctx_warn(ctx, warning);
    }
    for (size_t k = 0; prompts && k < run.todo; k++)
        free(prompts[k]);
    for (size_t k = 0; run.messages && k < n; k++)
        free(run.messages[k]);
    free(prompts);
    free(run.messages);
    free(run.results);
    free(jobs);
    free(scene_of);
    pthread_mutex_destroy(&run.lock);
    if (has_analysis)
        mv_analysis_free(&analysis);
    return rc;
}
