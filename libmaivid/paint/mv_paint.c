/*
 * mv_paint.c - the built-in painter's entry point: checks the request, composes the scene
 * from the prompt words, style and seed, then paints the layers back to front (sky, stars,
 * sun or moon, clouds, space, sky motifs, land or city, water, trees, the named subjects,
 * mist, the room around a window, close-up subjects, rain or snow) and finishes to RGB24.
 */
#include "paint/mv_paint_internal.h"

#include <stdlib.h>
#include <sys/mman.h>

#define MV_PAINT_MIN_SIDE 16
#define MV_PAINT_MAX_SIDE 16384
#define MV_PAINT_MAX_PIXELS (8192LL * 8192LL)

maivid_code mv_paint_check(const mv_paint_request *req, mv_error *err)
{
    if (!req)
        return mv_fail(err, MAIVID_E_INVALID, "no paint request given; pass a request with a "
                                              "prompt, a style and a size");
    if (req->width < MV_PAINT_MIN_SIDE || req->height < MV_PAINT_MIN_SIDE ||
        req->width > MV_PAINT_MAX_SIDE || req->height > MV_PAINT_MAX_SIDE ||
        (long long)req->width * req->height > MV_PAINT_MAX_PIXELS)
        return mv_fail(err, MAIVID_E_INVALID,
                       "image size %dx%d is out of range for the built-in painter; use a width "
                       "and height between %d and %d pixels (at most 8192x8192 in total)",
                       req->width, req->height, MV_PAINT_MIN_SIDE, MV_PAINT_MAX_SIDE);
    return MAIVID_OK;
}

/* The float canvas is large (36 MB at 2304x1296), above malloc's reuse threshold, so every
 * painting would fault it in page by page; mapping it with huge pages when the kernel allows
 * makes that several times cheaper. */
float *mv_canvas_alloc(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
#ifdef MADV_HUGEPAGE
    (void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
    return p;
}

void mv_canvas_free(float *p, size_t bytes)
{
    if (p)
        munmap(p, bytes);
}

int mv_paint_group(const mv_scene *s, const mv_canvas *c, float *ground_y, mv_paint_depth group)
{
    int failed = 0;
    switch (group) {
    case MV_DEPTH_SKY:
        mv_paint_sky(s, c);
        failed |= mv_paint_nebula(s, c);
        mv_paint_stars(s, c);
        failed |= mv_paint_clouds(s, c);
        mv_paint_bodies(s, c);
        mv_paint_lightning(s, c);
        mv_paint_motifs_sky(s, c);
        break;
    case MV_DEPTH_FAR:
        mv_paint_land(s, c, ground_y);
        mv_paint_planet(s, c, ground_y);
        mv_paint_city(s, c);
        mv_paint_water(s, c, ground_y);
        break;
    case MV_DEPTH_MID:
        mv_paint_trees(s, c, ground_y);
        mv_paint_motifs_stage(s, c, ground_y);
        break;
    case MV_DEPTH_NEAR: /* the weather is not a layer: see mv_paint_weather_at */
        mv_paint_room(s, c);
        mv_paint_motifs_near(s, c);
        break;
    }
    return failed;
}

void mv_paint_weather_at(const mv_scene *s, const mv_canvas *c, int before_room)
{
    if (before_room != !!s->words.room) /* in a room the weather stays outside the window */
        return;
    mv_paint_rain(s, c);
    mv_paint_snow(s, c);
}

static maivid_code mv_paint_layers(const mv_scene *s, const mv_canvas *c, float *ground_y,
                                   mv_error *err)
{
    int failed = 0;
    failed |= mv_paint_group(s, c, ground_y, MV_DEPTH_SKY);
    failed |= mv_paint_group(s, c, ground_y, MV_DEPTH_FAR);
    failed |= mv_paint_group(s, c, ground_y, MV_DEPTH_MID);
    mv_paint_mist(s, c);
    mv_paint_weather_at(s, c, 1);
    failed |= mv_paint_group(s, c, ground_y, MV_DEPTH_NEAR);
    mv_paint_weather_at(s, c, 0);
    failed |= mv_paint_bloom(s, c);
    if (failed)
        return mv_fail(err, MAIVID_E_NOMEM,
                       "out of memory while painting a %dx%d image; use a smaller size or free "
                       "memory",
                       c->w, c->h);
    return MAIVID_OK;
}

maivid_code mv_paint_rgb(const mv_paint_request *req, uint8_t **rgb_out, mv_error *err)
{
    if (!rgb_out)
        return mv_fail(err, MAIVID_E_INVALID, "no output pointer for the painted image");
    *rgb_out = NULL;
    maivid_code rc = mv_paint_check(req, err);
    if (rc != MAIVID_OK)
        return rc;
    mv_scene scene;
    rc = mv_paint_compose(req, &scene, err);
    if (rc != MAIVID_OK)
        return rc;
    return mv_paint_scene_rgb(&scene, rgb_out, err);
}

maivid_code mv_paint_scene_rgb(const mv_scene *scene, uint8_t **rgb_out, mv_error *err)
{
    const mv_paint_request size = {NULL, NULL, 0, scene->w, scene->h}, *req = &size;
    maivid_code rc;
    *rgb_out = NULL;
    size_t pixels = (size_t)req->width * (size_t)req->height;
    size_t canvas_bytes = pixels * 3 * sizeof(float);
    mv_canvas canvas = {req->width, req->height, mv_canvas_alloc(canvas_bytes)};
    float *ground_y = malloc((size_t)req->width * sizeof(float));
    uint8_t *rgb = malloc(pixels * 3);
    if (!canvas.px || !ground_y || !rgb) {
        mv_canvas_free(canvas.px, canvas_bytes);
        free(ground_y);
        free(rgb);
        return mv_fail(err, MAIVID_E_NOMEM,
                       "out of memory for a %dx%d painting; use a smaller size or free memory",
                       req->width, req->height);
    }
    rc = mv_paint_layers(scene, &canvas, ground_y, err);
    if (rc == MAIVID_OK) {
        mv_paint_finish(scene, &canvas, rgb);
        if (mv_paint_treat(scene, rgb, scene->w, scene->h) != 0)
            rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory while finishing a %dx%d painting",
                         scene->w, scene->h);
    }
    mv_canvas_free(canvas.px, canvas_bytes);
    free(ground_y);
    if (rc != MAIVID_OK) {
        free(rgb);
        return rc;
    }
    *rgb_out = rgb;
    return MAIVID_OK;
}
