/*
 * image_plugin.c - a program's own image stage (maivid_stages.image) as the third image
 * backend: each scene's request goes to the callback on the stage's thread, one after
 * another; its images are not cached (the program owns how they are made).
 */
#include "engine/mv_pipeline.h"
#include "images/mv_image_backend.h"

static maivid_code mv_plugin_prepare(void *state, const mv_image_model *m,
                                     const mv_image_job *job, mv_prepared_job *out,
                                     mv_cache_key_parts *key, mv_error *err)
{
    (void)state;
    (void)m;
    (void)key; /* key->backend stays NULL: not cached */
    if (!job->request)
        return mv_fail(err, MAIVID_E_INTERNAL, "a plug-in image job without its scene request");
    out->gen_w = job->width;
    out->gen_h = job->height;
    return MAIVID_OK;
}

static maivid_code mv_plugin_make(void *state, const mv_prepared_job *p, const mv_image_job *job,
                                  const mv_task *task, mv_error *err)
{
    (void)p;
    (void)task;
    mv_plugin_state *ps = state;
    maivid_stage_context *ctx = ps->ctx;
    const maivid_scene_request *req = job->request;
    mv_progress_scene(ctx->engine, ctx->job, (size_t)req->index, MV_SCENE_GENERATING, NULL);
    mv_error_clear(&ctx->err);
    maivid_code rc = ps->plug->image(ps->plug->user_data, ctx, req);
    if (rc == MAIVID_OK && !mv_file_exists(job->output_path))
        rc = maivid_ctx_fail(ctx, MAIVID_E_BACKEND, "the image callback wrote no file at %s",
                             job->output_path);
    if (rc != MAIVID_OK)
        mv_fail(err, rc, "%s", ctx->err.message[0] ? ctx->err.message : maivid_strerror(rc));
    mv_error_clear(&ctx->err);
    return rc;
}

static const mv_image_backend_ops mv_plugin_ops = {
    .kind = "plugin",
    .prepare = mv_plugin_prepare,
    .make = mv_plugin_make,
};

void mv_plugin_backend(maivid_stage_context *ctx, const maivid_stages *plug,
                       mv_plugin_state *state, mv_image_backend *backend)
{
    state->ctx = ctx;
    state->plug = plug;
    backend->ops = &mv_plugin_ops;
    backend->state = state;
}
