/*
 * stages_render.c - the built-in video_creation stage: the storyboard's timing, motions and
 * transitions plus the scene images and the song become one MP4 and its thumbnail, with the
 * lyrics burned in as captions and the motion accented on the beat (analysis.json); then
 * the sync report (sync.json and the status's `sync`).
 */
#include <stdlib.h>
#include <string.h>

#include "engine/mv_images_beside.h"
#include "engine/mv_job_captions.h"
#include "engine/mv_pipeline.h"
#include "engine/mv_sync_report.h"
#include "images/mv_clip.h"
#include "render/mv_caption_burn.h"
#include "render/mv_render.h"

/* What the render adds to the scenes: captions and beat motion, and what it measured. */
typedef struct mv_render_extras {
    mv_analysis analysis;
    int has_analysis;
    mv_timed_lyrics lyrics;
    mv_caption_mode mode;
    mv_render_stats stats;
} mv_render_extras;

static maivid_code mv_extras_load(maivid_stage_context *ctx, mv_render_extras *x)
{
    mv_job *job = ctx->job;
    char *path = mv_job_path(job, "analysis.json");
    mv_error aerr = {0};
    if (path && mv_analysis_load(path, &x->analysis, &aerr) == MAIVID_OK)
        x->has_analysis = 1;
    else if (job->settings.reactivity > 0)
        maivid_ctx_warn(ctx, "beat motion off: analysis.json is missing or unreadable");
    free(path);
    int mode = mv_caption_mode_from_id(job->settings.captions);
    x->mode = mode < 0 ? MV_CAPTIONS_LINES : (mv_caption_mode)mode;
    if (x->mode == MV_CAPTIONS_OFF && !job->settings.subtitle_track)
        return MAIVID_OK;
    double duration = x->has_analysis ? x->analysis.duration : 0;
    maivid_code rc = mv_job_timed_lyrics(job->dir, duration > 0 ? duration : 1e9, &x->lyrics,
                                         &ctx->task, &ctx->err);
    if (rc != MAIVID_OK && rc != MAIVID_E_NOMEM) {
        maivid_ctx_warn(ctx, "captions off: the lyrics' times could not be read");
        mv_timed_lyrics_free(&x->lyrics);
        rc = MAIVID_OK;
    }
    if (rc == MAIVID_OK && x->mode == MV_CAPTIONS_KARAOKE && x->lyrics.line_count > 0 &&
        !x->lyrics.has_word_times) {
        maivid_ctx_warn(ctx, "captions: karaoke needs word times, which these lyrics lack; "
                        "showing whole lines instead");
        x->mode = MV_CAPTIONS_LINES;
    }
    return rc;
}

/* Writes sync.json and puts the report into the job's status. */
static maivid_code mv_write_sync(maivid_stage_context *ctx, const mv_render_plan *rp,
                                 const mv_render_extras *x)
{
    double *cuts = calloc(rp->scene_count + 1, sizeof *cuts);
    if (!cuts)
        return maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "out of memory");
    for (size_t i = 1; i < rp->scene_count; i++)
        cuts[i - 1] = rp->scenes[i].start;
    mv_sync_report report;
    mv_sync_report_fill(&report, cuts, rp->scene_count ? rp->scene_count - 1 : 0,
                        x->has_analysis ? &x->analysis : NULL, rp->fps, &x->lyrics,
                        mv_caption_mode_name(x->lyrics.line_count ? x->mode : MV_CAPTIONS_OFF),
                        ctx->job->settings.reactivity, &x->stats);
    free(cuts);
    char *text = mv_sync_report_json(&report);
    char *path = mv_job_path(ctx->job, MV_SYNC_FILE);
    maivid_code rc = text && path ? mv_write_file_atomic(path, text, strlen(text), &ctx->err)
                                  : maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "out of memory");
    free(path);
    if (rc == MAIVID_OK) {
        pthread_mutex_lock(&ctx->engine->lock);
        free(ctx->job->sync_json);
        ctx->job->sync_json = text;
        pthread_mutex_unlock(&ctx->engine->lock);
        text = NULL;
    }
    free(text);
    return rc;
}

static uint32_t mv_hash32(const char *s, uint32_t h)
{
    for (; s && *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

maivid_code mv_builtin_render(maivid_stage_context *ctx)
{
    mv_job *job = ctx->job;
    if (!ctx->audio_path)
        return maivid_ctx_fail(ctx, MAIVID_E_MEDIA, "no source audio in the job directory");
    char *storyboard = mv_job_path(job, "storyboard.json");
    char *work_dir = mv_job_path(job, "render");
    mv_plan plan;
    memset(&plan, 0, sizeof plan);
    maivid_code rc = storyboard && work_dir ? mv_plan_load(storyboard, &plan, &ctx->err)
                                            : maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "out of memory");
    mv_render_scene *scenes = NULL;
    char **paths = NULL, **clips = NULL; /* clips: MV_PLAN_MAX_CLIPS + 1 per scene */
    if (rc == MAIVID_OK) {
        scenes = calloc(plan.scene_count + 1, sizeof *scenes);
        paths = calloc(plan.scene_count + 1, sizeof *paths);
        clips = calloc((plan.scene_count + 1) * (MV_PLAN_MAX_CLIPS + 1), sizeof *clips);
        if (!scenes || !paths || !clips)
            rc = maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "out of memory");
    }
    for (size_t i = 0; rc == MAIVID_OK && i < plan.scene_count; i++) {
        paths[i] = mv_strdup_printf("%s/scenes/scene_%03zu.png", job->dir, i + 1);
        if (!paths[i] || (!mv_file_exists(paths[i]) &&
                          !mv_images_beside_pending(ctx->beside, i))) {
            rc = maivid_ctx_fail(ctx, MAIVID_E_MEDIA, "scene %zu has no image (%s)", i + 1,
                                 paths[i] ? paths[i] : "?");
            break;
        }
        const mv_plan_scene *p = &plan.scenes[i];
        scenes[i].image_path = paths[i];
        /* a scene with a clip (or a chain of them) plays it */
        char **chain = clips + i * (MV_PLAN_MAX_CLIPS + 1); /* NULL-terminated */
        if (mv_scene_chain_find(paths[i], p->clips > 0 ? p->clips : MV_PLAN_MAX_CLIPS, chain))
            scenes[i].clips = (const char *const *)chain;
        scenes[i].start = p->start;
        scenes[i].end = p->end;
        scenes[i].motion = p->motion && *p->motion ? p->motion : "ken_burns";
        scenes[i].transition = p->transition && *p->transition ? p->transition : "fade";
        scenes[i].transition_duration = p->transition_duration;
        scenes[i].motion_seed = mv_hash32(job->id, (uint32_t)(2166136261u + i * 7919u)) ^
                                (uint32_t)p->seed;
    }
    mv_render_plan rp;
    memset(&rp, 0, sizeof rp);
    mv_render_extras extras;
    memset(&extras, 0, sizeof extras);
    if (rc == MAIVID_OK)
        rc = mv_extras_load(ctx, &extras);
    if (rc == MAIVID_OK)
        rc = mv_frame_size(job->settings.aspect_ratio, job->settings.resolution, &rp.width,
                           &rp.height, &ctx->err);
    if (rc == MAIVID_OK)
        rc = mv_mkdir_p(work_dir, &ctx->err);
    if (rc == MAIVID_OK) {
        rp.scenes = scenes;
        rp.scene_count = plan.scene_count;
        rp.audio_path = ctx->audio_path;
        rp.fps = job->settings.fps;
        rp.output_path = ctx->video_path;
        rp.thumbnail_path = ctx->thumbnail_path;
        rp.work_dir = work_dir;
        rp.lyrics = &extras.lyrics;
        rp.caption_mode = extras.mode;
        const mv_style *style = mv_style_find(job->settings.style);
        rp.caption_look = style ? &style->caption : NULL;
        rp.analysis = extras.has_analysis ? &extras.analysis : NULL;
        rp.reactivity = job->settings.reactivity;
        rp.stats = &extras.stats;
        rp.subtitle_track = job->settings.subtitle_track;
        rp.encoder = job->settings.encoder;
        if (ctx->beside) { /* pictures still being painted: each scene waits for its own */
            rp.scene_ready = mv_images_beside_wait;
            rp.scene_ready_user = ctx->beside;
        }
        rc = mv_render_video(&rp, &ctx->task, &ctx->err);
        if (extras.stats.encoder_warning[0]) /* missing hardware: libx264 did the work */
            maivid_ctx_warn(ctx, extras.stats.encoder_warning);
    }
    if (rc == MAIVID_OK)
        rc = mv_write_sync(ctx, &rp, &extras);
    if (rc == MAIVID_OK)
        mv_remove_tree(work_dir, NULL); /* checkpoints are no longer needed */
    for (size_t i = 0; paths && clips && i < plan.scene_count; i++) {
        free(paths[i]);
        for (size_t k = 0; k < MV_PLAN_MAX_CLIPS; k++)
            free(clips[i * (MV_PLAN_MAX_CLIPS + 1) + k]);
    }
    free(paths);
    free(clips);
    free(scenes);
    mv_plan_free(&plan);
    mv_timed_lyrics_free(&extras.lyrics);
    mv_analysis_free(&extras.analysis);
    free(storyboard);
    free(work_dir);
    return rc;
}
