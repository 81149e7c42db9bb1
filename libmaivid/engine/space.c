/*
 * space.c - disk space for a job: a free-space check (statvfs on the data directory) before
 * each stage starts, against a rough estimate of what the job still has to write, and the
 * one "no space left" message used both for that refusal and for a stage that ran out of
 * space while writing. A small reserve file in the data directory is given up when a job
 * record cannot be written for lack of space, so a job that filled the disk is still
 * recorded as failed, not left "running" on disk.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <sys/statvfs.h>

#include "engine/mv_pipeline.h"
#include "render/mv_render.h"

#define MV_MB (1024.0 * 1024.0)
#define MV_SPACE_GUESS_SECONDS 240.0   /* song length assumed before it is known */
#define MV_SPACE_GUESS_SCENES 12
#define MV_SPACE_SOURCE_BYTES (20.0 * MV_MB) /* a typical downloaded song, metadata, lyrics */
#define MV_SPACE_MARGIN_BYTES (8.0 * MV_MB)  /* job.json rewrites, analysis, storyboard */
#define MV_SPACE_BITS_PER_PIXEL 0.08         /* H.264 at our settings, generous */

/* Bytes the job may still write from `stage` on (rough, on the generous side). */
static double mv_space_needed(const mv_job *job, maivid_stage stage)
{
    int w = 1920, h = 1080;
    (void)mv_frame_size(job->settings.aspect_ratio, job->settings.resolution, &w, &h, NULL);
    double seconds = job->scene_count > 0 ? job->scenes[job->scene_count - 1].end : 0;
    if (seconds <= 0)
        seconds = MV_SPACE_GUESS_SECONDS;
    int scenes = job->scene_count > 0             ? (int)job->scene_count
                 : job->settings.scene_count > 0 ? job->settings.scene_count
                                                  : MV_SPACE_GUESS_SCENES;
    int fps = job->settings.fps > 0 ? job->settings.fps : 30;
    double video = (double)w * h * fps * MV_SPACE_BITS_PER_PIXEL / 8.0 * seconds;
    double need = MV_SPACE_MARGIN_BYTES;
    if (stage <= MAIVID_STAGE_DOWNLOAD)
        need += MV_SPACE_SOURCE_BYTES;
    if (stage <= MAIVID_STAGE_SCENE_GENERATION)
        need += scenes * (double)w * h * 1.5; /* PNGs, with motion headroom */
    need += 2.0 * video;                      /* the render's checkpoint, then the MP4 */
    return need;
}

/* Free bytes for an unprivileged writer on the data directory's filesystem, or -1. */
static double mv_space_free(const maivid_engine *e)
{
    struct statvfs fs;
    if (statvfs(e->data_dir, &fs) != 0)
        return -1;
    return (double)fs.f_bavail * (double)fs.f_frsize;
}

static maivid_code mv_space_fail(maivid_stage_context *ctx, double free_bytes, const char *why)
{
    return maivid_ctx_fail(ctx, MAIVID_E_IO,
                           "no space left on %s: %.0f MB free, about %.0f MB needed; free space "
                           "or set --data-dir%s%s%s",
                           ctx->engine->data_dir, free_bytes / MV_MB,
                           mv_space_needed(ctx->job, ctx->stage) / MV_MB, why ? " (" : "",
                           why ? why : "", why ? ")" : "");
}

maivid_code mv_space_check(maivid_stage_context *ctx)
{
    double free_bytes = mv_space_free(ctx->engine);
    if (free_bytes < 0 || free_bytes >= mv_space_needed(ctx->job, ctx->stage))
        return MAIVID_OK;
    return mv_space_fail(ctx, free_bytes, NULL);
}

void mv_space_explain_failure(maivid_stage_context *ctx)
{
    if (!strstr(ctx->err.message, strerror(ENOSPC)))
        return;
    char detail[sizeof ctx->err.message];
    mv_strlcpy(detail, ctx->err.message, sizeof detail);
    double free_bytes = mv_space_free(ctx->engine);
    mv_space_fail(ctx, free_bytes < 0 ? 0 : free_bytes, detail);
}

#define MV_SPACE_RESERVE_BYTES (1024 * 1024)

static char *mv_space_reserve_path(const maivid_engine *e)
{
    return mv_strdup_printf("%s/.space-reserve", e->data_dir);
}

void mv_space_reserve(maivid_engine *e)
{
    char *path = mv_space_reserve_path(e);
    if (!path)
        return;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        int rc = posix_fallocate(fd, 0, MV_SPACE_RESERVE_BYTES);
        close(fd);
        if (rc != 0)
            unlink(path); /* not even that much room: nothing held back */
    }
    free(path);
}

int mv_space_release(maivid_engine *e, const mv_error *failure)
{
    if (!strstr(failure->message, strerror(ENOSPC)))
        return 0;
    char *path = mv_space_reserve_path(e);
    int released = path && unlink(path) == 0;
    free(path);
    if (released)
        mv_engine_log(e, MAIVID_LOG_WARN, NULL,
                      "the disk holding %s is full: released the space reserve to record the "
                      "jobs' state; free space",
                      e->data_dir);
    return released;
}
