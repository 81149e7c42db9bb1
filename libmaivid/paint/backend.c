/*
 * backend.c - the built-in painter as an image backend (mv_image_backend.h): one model,
 * "procedural", always usable, painting each scene at the frame size with its depth layers
 * beside it (scene_NNN.layers.png) for the parallax motion; a batch of scenes is painted on
 * a few threads at once (mv_paint_batch.c: one per CPU, at most MV_PAINT_MAX_WORKERS and as
 * many as MV_PAINT_BATCH_BUDGET holds). Glue only; the drawing lives in mv_paint*.c.
 */
#include "images/mv_image_backend.h"
#include "paint/mv_paint.h"

#include <stdlib.h>
#include <unistd.h>

#include "paint/mv_paint_batch.h"

#include "render/mv_layer_stack.h"

static const mv_image_model mv_painter_model = {
    .id = "procedural",
    .name = "Built-in illustrator",
    .description = "Paints each scene offline from its words and the style's palette; a "
                   "procedural illustrator, not an AI model",
    .speed = "Very fast",
    .quality = "Illustration",
};

/* Threads painting a batch at most, and the memory their paintings may hold together
 * (MV_PAINT_BYTES_PER_PIXEL each): two paint at once at 2304x1296, four at 720p; the
 * render, after, holds more. A batch painted beside the render gets one thread. */
#define MV_PAINT_MAX_WORKERS 4
#define MV_PAINT_BATCH_BUDGET ((size_t)200 << 20)

typedef struct mv_painter {
    int workers; /* 0: from the CPUs and the budget */
} mv_painter;

void mv_paint_backend_set_workers(void *state, int workers)
{
    ((mv_painter *)state)->workers = workers;
}

static maivid_code mv_paint_open(const mv_image_config *cfg, void **state, char **warnings,
                                 mv_error *err)
{
    (void)cfg;
    (void)warnings;
    mv_painter *p = calloc(1, sizeof *p);
    if (!p)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory opening the built-in painter");
    *state = p;
    return MAIVID_OK;
}

static void mv_paint_close(void *state)
{
    free(state);
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
    maivid_code rc = mv_paint_to_png_layers_task(&req, job->output_path, layers, task, err);
    free(layers);
    return rc;
}

static void mv_paint_make_batch(void *state, const mv_image_job *jobs,
                                const mv_prepared_job *prep, const size_t *which, size_t count,
                                const mv_task *tasks, mv_image_done_fn done, void *user,
                                const mv_task *batch_task)
{
    mv_painter *painter = state;
    int workers = painter->workers, beside_render = 0;
    for (size_t k = 0; k < count; k++)
        beside_render |= jobs[which[k]].beside_render;
    if (beside_render)
        workers = 1; /* its memory adds to the render's */
    else if (workers <= 0) {
        size_t largest = 0; /* pixels of the batch's largest painting */
        for (size_t k = 0; k < count; k++) {
            const mv_image_job *j = &jobs[which[k]];
            size_t px = j->width > 0 && j->height > 0 ? (size_t)j->width * (size_t)j->height
                                                      : 0;
            largest = px > largest ? px : largest;
        }
        workers = mv_paint_batch_workers((int)sysconf(_SC_NPROCESSORS_ONLN),
                                         MV_PAINT_MAX_WORKERS,
                                         largest * MV_PAINT_BYTES_PER_PIXEL,
                                         MV_PAINT_BATCH_BUDGET, count);
    }
    mv_paint_batch_run(workers, state, mv_paint_make, jobs, prep, which, count, tasks, done,
                       user, batch_task);
}

const mv_image_backend_ops mv_paint_backend_ops = {
    .kind = "builtin",
    .open = mv_paint_open,
    .close = mv_paint_close,
    .model = mv_paint_model_at,
    .prepare = mv_paint_prepare,
    .make = mv_paint_make,
    .make_batch = mv_paint_make_batch,
};
