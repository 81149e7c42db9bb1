/*
 * pipeline.c - runs one job through the six stages on a worker thread. Each stage is the
 * caller's callback when one is plugged in, else the built-in one; a stage whose outputs are
 * already complete on disk is skipped, which is how a resumed job picks up where it stopped.
 * Ends in exactly one of: completed, failed (with the stage's error), cancelled (partial
 * outputs removed), or - when the engine is closing - left "running" on disk to resume.
 * With the built-in painter, scene_generation goes on beside video_creation once the first
 * picture is made (images_beside.c), and always ends before the job does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/mv_images_beside.h"
#include "engine/mv_pipeline.h"

static const char *const mv_stage_start_text[MAIVID_STAGE_COUNT] = {
    "Downloading audio", "Reading lyrics", "Analysing the music", "Planning scenes",
    "Generating scene images", "Rendering the video",
};

static const char *const mv_stage_failure_prefix[MAIVID_STAGE_COUNT] = {
    "Download failed", "Lyrics failed", "Audio analysis failed", "Scene planning failed",
    "Scene image generation failed", "Video rendering failed",
};

static void mv_task_progress_cb(void *user_data, double fraction, const char *text)
{
    maivid_stage_context *ctx = user_data;
    mv_progress_stage(ctx->engine, ctx->job, fraction, text);
}

static void mv_task_warn_cb(void *user_data, const char *text)
{
    maivid_ctx_warn((maivid_stage_context *)user_data, text);
}

static maivid_code mv_run_stage(maivid_stage_context *ctx, maivid_stage stage)
{
    maivid_engine *e = ctx->engine;
    const maivid_stages *plug = e->has_stages ? &e->stages : NULL;
    maivid_stage_fn fn = NULL;
    if (plug) {
        switch (stage) {
        case MAIVID_STAGE_DOWNLOAD: fn = plug->fetch; break;
        case MAIVID_STAGE_LYRICS: fn = plug->lyrics; break;
        case MAIVID_STAGE_ANALYSIS: fn = plug->analysis; break;
        case MAIVID_STAGE_SCENE_PLANNING: fn = plug->plan; break;
        case MAIVID_STAGE_VIDEO_CREATION: fn = plug->render; break;
        default: break;
        }
    }
    if (fn)
        return fn(plug->user_data, ctx);
    switch (stage) {
    case MAIVID_STAGE_DOWNLOAD: return mv_builtin_fetch(ctx);
    case MAIVID_STAGE_LYRICS: return mv_builtin_lyrics(ctx);
    case MAIVID_STAGE_ANALYSIS: return mv_builtin_analysis(ctx);
    case MAIVID_STAGE_SCENE_PLANNING: return mv_builtin_plan(ctx);
    case MAIVID_STAGE_SCENE_GENERATION: return mv_stage_images(ctx);
    case MAIVID_STAGE_VIDEO_CREATION: return mv_builtin_render(ctx);
    default: break;
    }
    return maivid_ctx_fail(ctx, MAIVID_E_INTERNAL, "unknown stage %d", (int)stage);
}

/* The lyric timing step follows the analysis stage, whether that ran now or was already
 * complete, unless lyrics_timed.json is there (see stage_timing.c). */
static maivid_code mv_after_stage(maivid_stage_context *ctx, maivid_stage stage)
{
    if (stage != MAIVID_STAGE_ANALYSIS || mv_timing_output_complete(ctx))
        return MAIVID_OK;
    maivid_code rc = mv_lyrics_timing_step(ctx);
    if (rc == MAIVID_OK && atomic_load(&ctx->job->stop) != MV_STOP_NONE)
        rc = MAIVID_E_CANCELLED;
    return rc;
}

/* The scene images made beside the render end with it: asked to stop unless the render
 * made its video, then joined. Their own failure is the job's (the render stopped because
 * a picture never came), reported as scene_generation's; else the render's `rc` stands. */
static maivid_code mv_end_images_beside(maivid_stage_context *ctx, maivid_code rc,
                                        maivid_stage *stage)
{
    mv_error images_err;
    maivid_code images_rc = mv_images_beside_end(ctx->beside, rc != MAIVID_OK, &images_err);
    ctx->beside = NULL;
    if (images_rc == MAIVID_OK || images_rc == MAIVID_E_CANCELLED)
        return rc;
    ctx->err = images_err;
    *stage = MAIVID_STAGE_SCENE_GENERATION;
    pthread_mutex_lock(&ctx->engine->lock);
    ctx->job->stage_done[MAIVID_STAGE_SCENE_GENERATION] = 0; /* marked when the render began */
    mv_engine_unlock(ctx->engine);
    return images_rc;
}

static void mv_finish_failed(maivid_stage_context *ctx, maivid_stage stage, maivid_code rc)
{
    maivid_engine *e = ctx->engine;
    mv_job *job = ctx->job;
    const char *detail = ctx->err.message[0] ? ctx->err.message : maivid_strerror(rc);
    char *text = mv_strdup_printf("%s: %s", mv_stage_failure_prefix[stage], detail);
    pthread_mutex_lock(&e->lock);
    free(job->error);
    job->error = text;
    job->error_code = rc;
    job->stage = stage; /* the painting beside the render fails it while it shows the render */
    mv_engine_unlock(e);
    mv_progress_set_state(e, job, MAIVID_JOB_FAILED);
}

/* Whose song it is, from source/metadata.json; the title too unless the caller named one. */
static void mv_song_from_metadata(maivid_engine *e, mv_job *job)
{
    char *source_dir = mv_job_path(job, "source");
    mv_job_song song = {0};
    mv_error err;
    if (!source_dir || mv_job_song_load(source_dir, &song, &err) != MAIVID_OK) {
        free(source_dir);
        return; /* a plugged fetch stage may leave no metadata: the song stays unknown */
    }
    free(source_dir);
    char *title = !job->settings.title && song.title ? mv_strdup(song.title) : NULL;
    pthread_mutex_lock(&e->lock);
    mv_job_song_clear(&job->song);
    job->song = song;
    if (title) {
        free(job->title);
        job->title = title;
    }
    mv_engine_unlock(e);
}

void mv_pipeline_run(maivid_engine *e, mv_job *job)
{
    maivid_stage_context ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.engine = e;
    ctx.job = job;
    mv_settings_to_params(&job->settings, &ctx.params);
    ctx.video_path = mv_job_path(job, "video.mp4");
    ctx.thumbnail_path = mv_job_path(job, "thumbnail.jpg");
    ctx.task.progress = mv_task_progress_cb;
    ctx.task.warn = mv_task_warn_cb;
    ctx.task.user_data = &ctx;
    ctx.task.cancel = &job->stop;
    mv_ctx_refresh_audio(&ctx);

    mv_space_reserve(e); /* made again if a full disk used it up */
    if (atomic_load(&job->stop) == MV_STOP_NONE)
        mv_progress_set_state(e, job, MAIVID_JOB_RUNNING);

    maivid_code rc = MAIVID_OK;
    maivid_stage stage = MAIVID_STAGE_DOWNLOAD;
    for (; stage < MAIVID_STAGE_COUNT && rc == MAIVID_OK; stage++) {
        if (atomic_load(&job->stop) != MV_STOP_NONE) {
            rc = MAIVID_E_CANCELLED;
            break;
        }
        ctx.stage = stage;
        mv_error_clear(&ctx.err);
        if (job->stage_done[stage] && mv_stage_output_complete(&ctx, stage)) {
            mv_engine_log(e, MAIVID_LOG_DEBUG, job->id, "stage %s already complete, skipped",
                          maivid_stage_name(stage));
            if (stage == MAIVID_STAGE_DOWNLOAD && !job->song.source_kind)
                mv_song_from_metadata(e, job); /* a record from before the song was kept */
            rc = mv_after_stage(&ctx, stage);
            if (rc != MAIVID_OK)
                break;
            continue;
        }
        rc = mv_space_check(&ctx);
        if (rc != MAIVID_OK)
            break;
        mv_progress_enter_stage(e, job, stage, mv_stage_start_text[stage]);
        if (stage == MAIVID_STAGE_SCENE_GENERATION && mv_images_beside_fits(&ctx)) {
            rc = mv_images_beside_start(&ctx, &ctx.beside);
            if (rc == MAIVID_OK && ctx.beside) {
                mv_progress_finish_stage(e, job); /* the render starts; the painting goes on */
                continue;
            }
        } else {
            rc = mv_run_stage(&ctx, stage);
        }
        if (ctx.beside)
            rc = mv_end_images_beside(&ctx, rc, &stage);
        if (rc == MAIVID_OK && atomic_load(&job->stop) != MV_STOP_NONE)
            rc = MAIVID_E_CANCELLED;
        if (rc == MAIVID_OK && !mv_stage_output_complete(&ctx, stage)) {
            rc = maivid_ctx_fail(&ctx, MAIVID_E_INTERNAL,
                                 "the %s stage reported success but left no complete output",
                                 maivid_stage_name(stage));
        }
        if (rc != MAIVID_OK)
            break;
        /* the completeness check above has already found source/audio.* */
        if (stage == MAIVID_STAGE_DOWNLOAD)
            mv_song_from_metadata(e, job);
        rc = mv_after_stage(&ctx, stage);
        if (rc != MAIVID_OK)
            break;
        mv_progress_finish_stage(e, job);
    }

    if (ctx.beside) /* the loop stopped before the render, or skipped it */
        rc = mv_end_images_beside(&ctx, rc, &stage);
    int stop = atomic_load(&job->stop);
    if (rc == MAIVID_OK) {
        pthread_mutex_lock(&e->lock);
        free(job->video_path);
        job->video_path = mv_strdup(ctx.video_path);
        free(job->thumbnail_path);
        job->thumbnail_path = mv_file_exists(ctx.thumbnail_path) ? mv_strdup(ctx.thumbnail_path)
                                                                  : NULL;
        mv_engine_unlock(e);
        mv_progress_set_state(e, job, MAIVID_JOB_COMPLETED);
    } else if (stop == MV_STOP_SHUTDOWN) {
        /* Stays "running" on disk: the next engine resumes it from its finished stages. */
        pthread_mutex_lock(&e->lock);
        mv_strlcpy(job->stage_text, "Interrupted (will resume)", sizeof job->stage_text);
        mv_pending_event ev;
        mv_job_changed_locked(e, job, 1, MAIVID_EVENT_STATE, -1, &ev);
        mv_engine_unlock(e);
        mv_emit_event(e, &ev);
        mv_engine_log(e, MAIVID_LOG_INFO, job->id, "interrupted by shutdown; will resume");
    } else if (stop == MV_STOP_CANCEL || rc == MAIVID_E_CANCELLED) {
        if (stage < MAIVID_STAGE_COUNT)
            mv_stage_remove_partial(&ctx, stage);
        mv_progress_set_state(e, job, MAIVID_JOB_CANCELLED);
    } else {
        mv_space_explain_failure(&ctx);
        if (stage < MAIVID_STAGE_COUNT)
            mv_stage_remove_partial(&ctx, stage);
        mv_finish_failed(&ctx, stage < MAIVID_STAGE_COUNT ? stage : MAIVID_STAGE_VIDEO_CREATION, rc);
    }
    free(ctx.audio_path);
    free(ctx.video_path);
    free(ctx.thumbnail_path);
}
