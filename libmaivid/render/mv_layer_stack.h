/*
 * mv_layer_stack.h - a scene picture split by depth (the built-in painter's sky, far, mid and
 * near layers) for the parallax motion: the on-disk form the painter writes and the render
 * reads, and the working form the renderer samples.
 *
 * On disk: beside scene_NNN.png, scene_NNN.layers.png holds MV_LAYER_COUNT RGBA pictures of
 * the scene's size stacked top to bottom, back to front: the first is opaque, the others are
 * transparent where they show nothing. Layer i sits at depth mv_layer_depth(i) (0: at
 * infinity, 1: nearest); over each other at rest they make the flat picture.
 */
#ifndef MV_LAYER_STACK_H
#define MV_LAYER_STACK_H

#include <stdint.h>

#include "render/mv_yuv.h"
#include "util/mv_common.h"

#define MV_LAYER_COUNT 4

/* How near layer i of the stack is, 0 (infinitely far) .. 1 (nearest). */
static inline double mv_layer_depth(int i)
{
    static const double depth[MV_LAYER_COUNT] = {0.1, 0.35, 0.65, 1.0};
    return depth[i < 0 ? 0 : (i >= MV_LAYER_COUNT ? MV_LAYER_COUNT - 1 : i)];
}

/* The layer file of a scene image: "dir/scene_001.png" -> "dir/scene_001.layers.png"
 * (malloc'd; NULL when out of memory). */
char *mv_layer_stack_path(const char *image_path);

/* One layer at the working size (width x height): YUV 4:2:0 with its coverage (0..255) in a
 * picture of the same layout (plane 0 at luma, plane 1 at chroma resolution; no plane
 * 2), and where it shows anything, so the renderer samples only there. Only the band
 * of rows around what the layer covers is in memory: pic and cover hold the layer's rows
 * [top, top + pic.height) at full width (top even); every row outside that band is
 * transparent and never read (the band keeps a chroma row of margin on each side beyond the
 * covered rows, all the bilinear filter reaches). An opaque layer holds all its rows. */
typedef struct mv_layer {
    int width, height;  /* the whole layer, in luma pixels */
    int top;            /* the layer row that row 0 of pic and cover show */
    mv_yuv pic;         /* no planes when the layer shows nothing */
    mv_yuv cover;       /* no planes for an opaque layer */
    int x0, y0, x1, y1; /* coverage's bounding box [x0, x1) x [y0, y1); none when x1 <= x0 */
    int32_t *span[2];   /* per row of plane 0 / 1 (all the layer's rows): covered columns
                         * [span[2r], span[2r+1]) */
    int32_t *run[2];    /* per row of plane 0 / 1: the longest run of fully covered columns
                         * [run[2r], run[2r+1]) (empty where equal), drawn without blending */
    int solid_y;        /* every luma row from here down is fully covered (height: none) */
    double depth;
} mv_layer;

typedef struct mv_layer_stack {
    mv_layer layer[MV_LAYER_COUNT];
    int count;
} mv_layer_stack;

/* Loads the layer file of image_path into a work_w x work_h stack, reading the file a few
 * rows at a time (at most one layer's RGBA rows in memory at once). MAIVID_E_NOT_FOUND (and
 * an empty stack) when the scene has no layer file; MAIVID_E_MEDIA when it is damaged,
 * truncated or not an 8-bit RGBA (non-interlaced) PNG of MV_LAYER_COUNT stacked pictures. */
maivid_code mv_layer_stack_load(const char *image_path, int work_w, int work_h,
                                mv_layer_stack *out, mv_error *err);
/* Makes a one-layer stack of an opaque picture (taken over: `pic` is emptied). */
void mv_layer_stack_single(mv_layer_stack *out, mv_yuv *pic, double depth);
void mv_layer_stack_free(mv_layer_stack *s);

#endif /* MV_LAYER_STACK_H */
