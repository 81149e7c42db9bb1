/*
 * backend.c - the built-in painter as an image backend (mv_image_backend.h): one model,
 * "procedural", always usable, painting each scene at the frame size on the calling thread,
 * with its depth layers beside it (scene_NNN.layers.png) for the parallax motion.
 * Glue only; the drawing lives in mv_paint*.c.
 */
#include "images/mv_image_backend.h"
#include "paint/mv_paint.h"

#include <stdlib.h>

#include "render/mv_layer_stack.h"

static const mv_image_model mv_painter_model = {
    .id = "procedural",
    .name = "Built-in illustrator",
    .description = "Paints each scene offline from its words and the style's palette; a "
                   "procedural illustrator, not an AI model",
    .speed = "Very fast",
    .quality = "Illustration",
};

static maivid_code mv_paint_open(const mv_image_config *cfg, void **state, char **warnings,
                                 mv_error *err)
{
    (void)cfg;
    (void)warnings;
    (void)err;
    *state = (void *)&mv_painter_model; /* stateless; non-NULL marks it open */
    return MAIVID_OK;
}

static void mv_paint_close(void *state)
{
    (void)state;
}

static const mv_image_model *mv_paint_model_at(void *state, size_t i)
{
    (void)state;
    return i == 0 ? &mv_painter_model : NULL;
}

static maivid_code mv_paint_prepare(void *state, const mv_image_model *m,
                                    const mv_image_job *job, mv_prepared_job *out,
                                    mv_cache_key_parts *key, mv_error *err)
{
    (void)state;
    (void)m;
    (void)err;
    out->gen_w = job->width;
    out->gen_h = job->height;
    key->backend = "procedural";
    key->model = MV_PAINT_CACHE_ID; /* a new painter, new cache entries */
    return MAIVID_OK;
}

static maivid_code mv_paint_make(void *state, const mv_prepared_job *p, const mv_image_job *job,
                                 const mv_task *task, mv_error *err)
{
    (void)state;
    (void)p;
    (void)task;
    mv_paint_request req = {
        .prompt = job->prompt ? job->prompt : "",
        .style_id = job->style_id,
        .seed = (uint64_t)job->seed,
        .width = job->width,
        .height = job->height,
    };
    char *layers = mv_layer_stack_path(job->output_path);
    if (!layers)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    maivid_code rc = mv_paint_to_png_layers(&req, job->output_path, layers, err);
    free(layers);
    return rc;
}

const mv_image_backend_ops mv_paint_backend_ops = {
    .kind = "builtin",
    .open = mv_paint_open,
    .close = mv_paint_close,
    .model = mv_paint_model_at,
    .prepare = mv_paint_prepare,
    .make = mv_paint_make,
};
