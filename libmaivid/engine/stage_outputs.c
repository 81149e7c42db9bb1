/*
 * stage_outputs.c - what each stage leaves in the job directory: the test for "complete"
 * that lets a resumed job skip a finished stage, and the removal of a cancelled or failed
 * stage's partial outputs (finished stages' outputs are kept for a later resume). The lyric
 * timing step after the analysis is complete when lyrics_timed.json exists.
 */
#include <stdlib.h>
#include <string.h>

#include "captions/mv_timed_lyrics.h"
#include "engine/mv_pipeline.h"

static int mv_job_file_exists(const mv_job *job, const char *relative)
{
    char *path = mv_job_path(job, relative);
    int exists = path && mv_file_exists(path);
    free(path);
    return exists;
}

static void mv_job_remove(const mv_job *job, const char *relative)
{
    char *path = mv_job_path(job, relative);
    if (path)
        mv_remove_tree(path, NULL);
    free(path);
}

int mv_stage_output_complete(maivid_stage_context *ctx, maivid_stage stage)
{
    mv_job *job = ctx->job;
    switch (stage) {
    case MAIVID_STAGE_DOWNLOAD:
        mv_ctx_refresh_audio(ctx);
        return ctx->audio_path && mv_file_size(ctx->audio_path) > 0;
    case MAIVID_STAGE_LYRICS:
        return mv_job_file_exists(job, "source/lyrics.txt");
    case MAIVID_STAGE_ANALYSIS:
        return mv_job_file_exists(job, "analysis.json");
    case MAIVID_STAGE_SCENE_PLANNING:
        return mv_job_file_exists(job, "storyboard.json");
    case MAIVID_STAGE_SCENE_GENERATION: {
        if (job->scene_count == 0)
            return 0;
        for (size_t i = 0; i < job->scene_count; i++) {
            char *path = mv_strdup_printf("%s/scenes/scene_%03zu.png", job->dir, i + 1);
            int ok = path && mv_file_exists(path);
            free(path);
            if (!ok)
                return 0;
        }
        return 1;
    }
    case MAIVID_STAGE_VIDEO_CREATION:
        return mv_file_size(ctx->video_path) > 0;
    case MAIVID_STAGE_COUNT:
        break;
    }
    return 0;
}

int mv_timing_output_complete(maivid_stage_context *ctx)
{
    return mv_job_file_exists(ctx->job, MV_TIMED_LYRICS_FILE);
}

void mv_stage_remove_partial(maivid_stage_context *ctx, maivid_stage stage)
{
    mv_job *job = ctx->job;
    switch (stage) {
    case MAIVID_STAGE_DOWNLOAD:
        mv_job_remove(job, "source");
        free(ctx->audio_path);
        ctx->audio_path = NULL;
        break;
    case MAIVID_STAGE_LYRICS:
        mv_job_remove(job, "source/lyrics.txt");
        mv_job_remove(job, "source/" MV_LYRICS_ORIGIN_FILE);
        break;
    case MAIVID_STAGE_ANALYSIS:
        mv_job_remove(job, "analysis.json");
        break;
    case MAIVID_STAGE_SCENE_PLANNING:
        mv_job_remove(job, "storyboard.json");
        break;
    case MAIVID_STAGE_SCENE_GENERATION:
        break; /* finished images stay for a resume; backends write atomically */
    case MAIVID_STAGE_VIDEO_CREATION:
        mv_job_remove(job, "render");
        mv_job_remove(job, "video.mp4");
        mv_job_remove(job, "thumbnail.jpg");
        mv_job_remove(job, "sync.json");
        break;
    case MAIVID_STAGE_COUNT:
        break;
    }
}
