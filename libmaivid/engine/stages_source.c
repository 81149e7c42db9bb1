/*
 * stages_source.c - the built-in download and lyrics stages: wrap the ingest module, then
 * nothing else: the pipeline reads the title from source/metadata.json.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/mv_pipeline.h"

static const char *mv_job_source(const mv_job *job)
{
    return job->settings.url ? job->settings.url : job->settings.local_path;
}

maivid_code mv_builtin_fetch(maivid_stage_context *ctx)
{
    char *source_dir = mv_job_path(ctx->job, "source");
    if (!source_dir)
        return maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "out of memory");
    mv_song song;
    memset(&song, 0, sizeof song);
    maivid_code rc = mv_mkdir_p(source_dir, &ctx->err);
    /* a song uploaded into the job's own source/ folder is read like a local file */
    mv_fetch_config cfg = ctx->engine->fetch;
    if (mv_job_is_upload(ctx->job))
        cfg.allow_local_files = 1;
    if (rc == MAIVID_OK)
        rc = mv_fetch_song(&cfg, mv_job_source(ctx->job), source_dir, &song, &ctx->task,
                           &ctx->err);
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
    /* The only URL this stage may reach is the operator's speech-to-text server, which (like
     * the ComfyUI servers) comes from the configuration, not from users: no address policy. */
    mv_fetch_config cfg = ctx->engine->fetch;
    cfg.allow_private_urls = 1;
    if (rc == MAIVID_OK)
        rc = mv_resolve_lyrics(&cfg, ctx->job->settings.lyrics,
                               mv_job_source(ctx->job), source_dir, &song, &ctx->task, &ctx->err);
    mv_song_free(&song);
    free(source_dir);
    return rc;
}
