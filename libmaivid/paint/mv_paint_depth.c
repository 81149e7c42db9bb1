/*
 * mv_paint_depth.c - paints a scene as a stack of depth layers for the parallax motion: the
 * depth groups (sky, far, mid, near) are painted back to front as usual, and after each group
 * the canvas so far is finished (mist, bloom, grade, treatment) into that layer's colours,
 * while what the group changed becomes the layer's coverage. Mist, rain and snow are no layer:
 * each layer's colours carry them where they hang in front of it. The last layer's colours are
 * exactly the flat picture mv_paint_rgb() paints, so the flat image and the stack agree.
 * A far or mid group that shows nothing is not finished at all: its layer is all zero.
 * Each layer goes to a sink as soon as it is done (the stacked PNG's rows, or a stacked
 * buffer for the tests), so a painting holds one layer, not the stack: two float canvases,
 * one RGBA layer and the flat RGB picture (~94 MB at 2304x1296).
 */
#include "paint/mv_paint_internal.h"

#include <stdlib.h>

#include "paint/mv_png_writer.h"
#include "render/mv_layer_stack.h"

/* A change below this (in 0..1 colour units) is not part of the layer; a change of twice it
 * or more covers the pixel fully. */
#define MV_DEPTH_EDGE (3.0f / 255.0f)

_Static_assert(MV_LAYER_COUNT == MV_DEPTH_GROUPS, "one stack layer per depth group");

/* Coverage of the group just painted: how much `now` differs from `before`, per pixel. */
static void mv_depth_coverage(const float *before, const float *now, size_t pixels,
                              uint8_t *rgba)
{
    for (size_t i = 0; i < pixels; i++, before += 3, now += 3) {
        /* the larger of the three changes, as fmaxf gives it but inline (no NaN here) */
        float d = fabsf(now[0] - before[0]), g = fabsf(now[1] - before[1]);
        float b = fabsf(now[2] - before[2]);
        d = g > d ? g : d;
        d = b > d ? b : d;
        float a = mv_clampf((d - MV_DEPTH_EDGE) / MV_DEPTH_EDGE, 0.0f, 1.0f);
        rgba[i * 4 + 3] = (uint8_t)lrintf(a * 255.0f);
    }
}

/* Whether a layer covers any pixel at all. */
static int mv_depth_covers(const uint8_t *rgba, size_t pixels)
{
    for (size_t i = 0; i < pixels; i++)
        if (rgba[i * 4 + 3])
            return 1;
    return 0;
}

/* The ground reaches the bottom of the picture: once a column of the far group is covered,
 * it stays covered below (where the water or land happens to match the sky's colour too). */
static void mv_depth_fill_down(uint8_t *rgba, int w, int h)
{
    for (int y = 1; y < h; y++) {
        const uint8_t *up = rgba + (size_t)(y - 1) * (size_t)w * 4;
        uint8_t *row = rgba + (size_t)y * (size_t)w * 4;
        for (int x = 0; x < w; x++)
            if (row[x * 4 + 3] < up[x * 4 + 3])
                row[x * 4 + 3] = up[x * 4 + 3];
    }
}

/* Zeroes the colour of a layer's pixels farther than MV_DEPTH_BLEED pixels from anything it
 * covers: the file compresses and decodes several times faster, and the colours right
 * around its edges stay for the filters that scale and sample it. `near` is scratch of w*h
 * bytes, `count` of w counters. */
#define MV_DEPTH_BLEED 3

/* Adds (sign 1) or takes away (-1) one row of near flags to the column counts. */
static void mv_depth_count_row(uint16_t *count, const uint8_t *near, int w, int sign)
{
    for (int x = 0; x < w; x++)
        count[x] = (uint16_t)(count[x] + sign * near[x]);
}

static void mv_depth_clear_far(uint8_t *rgba, int w, int h, uint8_t *near, uint16_t *count)
{
    for (int y = 0; y < h; y++) { /* near: covered within the bleed along the row */
        const uint8_t *row = rgba + (size_t)y * (size_t)w * 4;
        uint8_t *n = near + (size_t)y * (size_t)w;
        int last = -1000000;
        for (int x = 0; x < w; x++) {
            if (row[x * 4 + 3])
                last = x;
            n[x] = x - last <= MV_DEPTH_BLEED;
        }
        last = 1000000;
        for (int x = w - 1; x >= 0; x--) {
            if (row[x * 4 + 3])
                last = x;
            n[x] |= last - x <= MV_DEPTH_BLEED;
        }
    }
    /* ... and along the column: count[x] is how many of the rows [y - bleed, y + bleed]
     * are near in column x, kept as the window slides down */
    for (int x = 0; x < w; x++)
        count[x] = 0;
    for (int k = 0; k < MV_DEPTH_BLEED && k < h; k++)
        mv_depth_count_row(count, near + (size_t)k * (size_t)w, w, 1);
    for (int y = 0; y < h; y++) {
        if (y + MV_DEPTH_BLEED < h)
            mv_depth_count_row(count, near + (size_t)(y + MV_DEPTH_BLEED) * (size_t)w, w, 1);
        if (y - MV_DEPTH_BLEED - 1 >= 0)
            mv_depth_count_row(count, near + (size_t)(y - MV_DEPTH_BLEED - 1) * (size_t)w, w,
                               -1);
        uint8_t *row = rgba + (size_t)y * (size_t)w * 4;
        for (int x = 0; x < w; x++)
            if (!count[x])
                row[x * 4] = row[x * 4 + 1] = row[x * 4 + 2] = 0;
    }
}

/* Finishes a copy of the canvas (for the groups behind the near one the mist and the weather
 * in front of them; bloom, grade, treatment) into the colour channels of one RGBA layer, and
 * into rgb. */
static int mv_depth_finish(const mv_scene *s, const mv_canvas *c, const mv_canvas *tmp,
                           int behind, uint8_t *rgb, uint8_t *rgba)
{
    size_t pixels = (size_t)c->w * (size_t)c->h;
    memcpy(tmp->px, c->px, pixels * 3 * sizeof(float));
    if (behind) {
        mv_paint_mist(s, tmp);
        mv_paint_weather_at(s, tmp, 0);
        mv_paint_weather_at(s, tmp, 1);
    }
    if (mv_paint_bloom(s, tmp) != 0)
        return -1;
    mv_paint_finish(s, tmp, rgb);
    if (mv_paint_treat(s, rgb, c->w, c->h) != 0)
        return -1;
    for (size_t i = 0; i < pixels; i++) {
        rgba[i * 4] = rgb[i * 3];
        rgba[i * 4 + 1] = rgb[i * 3 + 1];
        rgba[i * 4 + 2] = rgb[i * 3 + 2];
    }
    return 0;
}

maivid_code mv_paint_depth_layers(const mv_scene *scene, mv_depth_sink sink, void *user,
                                  uint8_t **flat_out, mv_error *err)
{
    *flat_out = NULL;
    int w = scene->w, h = scene->h;
    size_t pixels = (size_t)w * (size_t)h, bytes = pixels * 3 * sizeof(float);
    /* Two float canvases: the picture so far, and `before`, which holds the picture before
     * the group only until its coverage is known and is then the finish's scratch. */
    mv_canvas c = {w, h, mv_canvas_alloc(bytes)};
    mv_canvas before = {w, h, mv_canvas_alloc(bytes)};
    float *ground_y = malloc((size_t)w * sizeof(float));
    uint8_t *rgb = malloc(pixels * 3);
    uint8_t *layer = malloc(pixels * 4); /* one layer at a time, handed to the sink */
    int failed = !c.px || !before.px || !ground_y || !rgb || !layer;
    maivid_code rc = MAIVID_OK;
    for (int g = 0; !failed && rc == MAIVID_OK && g < MV_DEPTH_GROUPS; g++) {
        if (g == MV_DEPTH_NEAR) { /* the mist hangs in front of everything but the near group */
            mv_paint_mist(scene, &c);
            mv_paint_weather_at(scene, &c, 1);
        }
        if (g > 0)
            memcpy(before.px, c.px, bytes);
        failed |= mv_paint_group(scene, &c, ground_y, (mv_paint_depth)g);
        if (g == 0)
            for (size_t i = 0; i < pixels; i++)
                layer[i * 4 + 3] = 255;
        else
            mv_depth_coverage(before.px, c.px, pixels, layer);
        if (g == MV_DEPTH_FAR && scene->ground != MV_GROUND_NONE)
            mv_depth_fill_down(layer, w, h);
        if (g == MV_DEPTH_NEAR) /* outdoors the weather falls in front of everything */
            mv_paint_weather_at(scene, &c, 0);
        if (g > 0 && g != MV_DEPTH_NEAR && !mv_depth_covers(layer, pixels)) {
            /* nothing of this group shows: its colours would all be cleared, so the finish
             * is skipped (the near group's always runs: it is the flat picture) */
            memset(layer, 0, pixels * 4);
        } else {
            failed |= mv_depth_finish(scene, &c, &before, g != MV_DEPTH_NEAR, rgb, layer) != 0;
            if (!failed && g > 0) /* `before` is free scratch until the next group */
                mv_depth_clear_far(layer, w, h, (uint8_t *)before.px,
                                   (uint16_t *)(void *)((uint8_t *)before.px +
                                                        ((pixels + 15) & ~(size_t)15)));
        }
        if (!failed)
            rc = sink(user, g, layer, err);
    }
    mv_canvas_free(c.px, bytes);
    mv_canvas_free(before.px, bytes);
    free(ground_y);
    free(layer);
    if (failed || rc != MAIVID_OK) {
        free(rgb);
        if (rc != MAIVID_OK)
            return rc;
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while painting the depth layers of "
                       "a %dx%d image; use a smaller size or free memory", w, h);
    }
    *flat_out = rgb; /* the near layer's finish: the whole picture */
    return MAIVID_OK;
}

/* Painted layers into one stacked buffer (mv_paint_layers_rgba). */
typedef struct mv_depth_stack {
    uint8_t *stack;
    size_t layer_bytes;
} mv_depth_stack;

static maivid_code mv_depth_into_stack(void *user, int layer, const uint8_t *rgba,
                                       mv_error *err)
{
    (void)err;
    mv_depth_stack *d = user;
    memcpy(d->stack + d->layer_bytes * (size_t)layer, rgba, d->layer_bytes);
    return MAIVID_OK;
}

maivid_code mv_paint_layers_rgba(const mv_paint_request *req, uint8_t **flat_rgb,
                                 uint8_t **stack_rgba, mv_error *err)
{
    if (!flat_rgb || !stack_rgba)
        return mv_fail(err, MAIVID_E_INVALID, "no output pointers for the painted layers");
    *flat_rgb = NULL;
    *stack_rgba = NULL;
    maivid_code rc = mv_paint_check(req, err);
    mv_scene scene;
    if (rc == MAIVID_OK)
        rc = mv_paint_compose(req, &scene, err);
    if (rc != MAIVID_OK)
        return rc;
    mv_depth_stack d = {NULL, (size_t)req->width * (size_t)req->height * 4};
    d.stack = malloc(d.layer_bytes * MV_LAYER_COUNT);
    if (!d.stack)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the depth layers of a %dx%d "
                       "image; use a smaller size or free memory", req->width, req->height);
    rc = mv_paint_depth_layers(&scene, mv_depth_into_stack, &d, flat_rgb, err);
    if (rc != MAIVID_OK) {
        free(d.stack);
        return rc;
    }
    *stack_rgba = d.stack;
    return MAIVID_OK;
}

/* Painted layers straight into the stacked PNG, a layer's rows at a time. */
typedef struct mv_depth_png {
    mv_png_writer *png;
    int height;
    const mv_task *task;
} mv_depth_png;

static maivid_code mv_depth_into_png(void *user, int layer, const uint8_t *rgba, mv_error *err)
{
    mv_depth_png *d = user;
    maivid_code rc = mv_png_writer_rows(d->png, rgba, d->height, err);
    if (rc != MAIVID_OK)
        return rc;
    if (mv_task_cancelled(d->task))
        return mv_fail(err, MAIVID_E_CANCELLED, "cancelled while painting a scene");
    mv_task_progress(d->task, (layer + 1.0) / (MV_LAYER_COUNT + 1.0), "painting");
    return MAIVID_OK;
}

maivid_code mv_paint_to_png_layers_task(const mv_paint_request *req, const char *path,
                                        const char *layers_path, const mv_task *task,
                                        mv_error *err)
{
    if (!path || !*path || !layers_path || !*layers_path)
        return mv_fail(err, MAIVID_E_INVALID, "no output path for the painted PNG or its "
                                              "layers; pass both file paths");
    maivid_code rc = mv_paint_check(req, err);
    mv_scene scene;
    if (rc == MAIVID_OK)
        rc = mv_paint_compose(req, &scene, err);
    mv_depth_png d = {NULL, req->height, task};
    if (rc == MAIVID_OK)
        rc = mv_png_writer_open(&d.png, layers_path, req->width, req->height * MV_LAYER_COUNT,
                                1, err);
    uint8_t *rgb = NULL;
    if (rc == MAIVID_OK)
        rc = mv_paint_depth_layers(&scene, mv_depth_into_png, &d, &rgb, err);
    /* the layers first: a flat picture at `path` means its layers are there too */
    if (rc == MAIVID_OK) {
        rc = mv_png_writer_close(d.png, err);
        d.png = NULL;
    }
    if (rc == MAIVID_OK)
        rc = mv_png_write_file(rgb, req->width, req->height, 0, path, err);
    mv_png_writer_abort(d.png);
    free(rgb);
    return rc;
}

maivid_code mv_paint_to_png_layers(const mv_paint_request *req, const char *path,
                                   const char *layers_path, mv_error *err)
{
    return mv_paint_to_png_layers_task(req, path, layers_path, NULL, err);
}
