/*
 * stages_source.c - the built-in download and lyrics stages: wrap the ingest module, then
 * record the song's title on the job.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/mv_pipeline.h"

static const char *mv_job_source(const mv_job *job)
{
    return job->settings.url ? job->settings.url : job->settings.local_path;
}

static void mv_set_title_from_song(maivid_stage_context *ctx, const mv_song *song)
{
    mv_job *job = ctx->job;
    pthread_mutex_lock(&ctx->engine->lock);
    if (!job->settings.title && song->title && *song->title) {
        free(job->title);
        job->title = mv_strdup(song->title);
    }
    pthread_mutex_unlock(&ctx->engine->lock);
}

maivid_code mv_builtin_fetch(maivid_stage_context *ctx)
{
    char *source_dir = mv_job_path(ctx->job, "source");
    if (!source_dir)
        return maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "out of memory");
    mv_song song;
    memset(&song, 0, sizeof song);
    maivid_code rc = mv_mkdir_p(source_dir, &ctx->err);
    if (rc == MAIVID_OK)
        rc = mv_fetch_song(&ctx->engine->fetch, mv_job_source(ctx->job), source_dir, &song,
                           &ctx->task, &ctx->err);
    if (rc == MAIVID_OK)
        mv_set_title_from_song(ctx, &song);
    mv_song_free(&song);
    free(source_dir);
    return rc;
}

maivid_code mv_builtin_lyrics(maivid_stage_context *ctx)
{
    char *source_dir = mv_job_path(ctx->job, "source");
    if (!source_dir)
        return maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "out of memory");
    mv_song song;
    memset(&song, 0, sizeof song);
    maivid_code rc = mv_song_load(source_dir, &song, &ctx->err);
    if (rc == MAIVID_OK) {
        mv_set_title_from_song(ctx, &song);
        rc = mv_resolve_lyrics(&ctx->engine->fetch, ctx->job->settings.lyrics,
                               mv_job_source(ctx->job), source_dir, &song, &ctx->task, &ctx->err);
    }
    mv_song_free(&song);
    free(source_dir);
    return rc;
}
