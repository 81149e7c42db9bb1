/*
 * stage_context.c - the public maivid_ctx_* accessors a stage callback uses to learn about
 * its job, report progress, see a cancel, record errors and warnings, or run the built-in
 * implementation it wraps.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/mv_pipeline.h"

char *mv_job_path(const mv_job *job, const char *relative)
{
    return mv_strdup_printf("%s/%s", job->dir, relative);
}

void mv_ctx_refresh_audio(maivid_stage_context *ctx)
{
    char *source_dir = mv_job_path(ctx->job, "source");
    DIR *d = source_dir ? opendir(source_dir) : NULL;
    if (d) {
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (strncmp(de->d_name, "audio.", 6) == 0 && !strstr(de->d_name, ".tmp")) {
                free(ctx->audio_path);
                ctx->audio_path = mv_strdup_printf("%s/%s", source_dir, de->d_name);
                break;
            }
        }
        closedir(d);
    }
    free(source_dir);
}

MAIVID_API const char *maivid_ctx_job_id(const maivid_stage_context *ctx) { return ctx->job->id; }
MAIVID_API const char *maivid_ctx_job_dir(const maivid_stage_context *ctx) { return ctx->job->dir; }
MAIVID_API const maivid_job_params *maivid_ctx_params(const maivid_stage_context *ctx) { return &ctx->params; }
MAIVID_API const char *maivid_ctx_audio_path(const maivid_stage_context *ctx) { return ctx->audio_path; }
MAIVID_API const char *maivid_ctx_video_path(const maivid_stage_context *ctx) { return ctx->video_path; }

MAIVID_API void maivid_ctx_progress(maivid_stage_context *ctx, double fraction, const char *text)
{
    mv_progress_stage(ctx->engine, ctx->job, fraction, text);
}

MAIVID_API int maivid_ctx_cancelled(const maivid_stage_context *ctx)
{
    return atomic_load(&ctx->job->stop) != MV_STOP_NONE;
}

MAIVID_API maivid_code maivid_ctx_fail(maivid_stage_context *ctx, maivid_code code,
                                       const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    mv_vfail(&ctx->err, code, format, ap);
    va_end(ap);
    return code;
}

MAIVID_API void maivid_ctx_warn(maivid_stage_context *ctx, const char *text)
{
    if (!text)
        return;
    mv_pending_event ev;
    pthread_mutex_lock(&ctx->engine->lock);
    mv_job_add_warning(ctx->job, text);
    mv_job_changed_locked(ctx->engine, ctx->job, 1, MAIVID_EVENT_PROGRESS, -1, &ev);
    mv_engine_unlock(ctx->engine);
    mv_emit_event(ctx->engine, &ev);
    mv_engine_log(ctx->engine, MAIVID_LOG_WARN, ctx->job->id, "%s", text);
}

MAIVID_API maivid_code maivid_ctx_run_builtin(maivid_stage_context *ctx,
                                              const maivid_scene_request *scene)
{
    switch (ctx->stage) {
    case MAIVID_STAGE_DOWNLOAD: return mv_builtin_fetch(ctx);
    case MAIVID_STAGE_LYRICS: return mv_builtin_lyrics(ctx);
    case MAIVID_STAGE_ANALYSIS: return mv_builtin_analysis(ctx);
    case MAIVID_STAGE_SCENE_PLANNING: return mv_builtin_plan(ctx);
    case MAIVID_STAGE_SCENE_GENERATION:
        if (!scene)
            return maivid_ctx_fail(ctx, MAIVID_E_INVALID,
                                   "maivid_ctx_run_builtin needs the scene in the image stage");
        return mv_builtin_image(ctx, scene);
    case MAIVID_STAGE_VIDEO_CREATION: return mv_builtin_render(ctx);
    case MAIVID_STAGE_COUNT: break;
    }
    return maivid_ctx_fail(ctx, MAIVID_E_INTERNAL, "no stage is running");
}
