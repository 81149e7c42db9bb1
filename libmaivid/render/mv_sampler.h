/*
 * mv_sampler.h - draws a float window of a working picture into a frame with sub-pixel
 * bilinear interpolation, plane by plane (separable: each source row the frame needs is
 * blended horizontally once, with per-column tables set once per frame, then two such rows
 * are blended vertically), opaque or, for a depth layer, blended over the frame by its
 * coverage.
 */
#ifndef MV_SAMPLER_H
#define MV_SAMPLER_H

#include <stdint.h>

#include "render/mv_layer_stack.h"
#include "render/mv_sampler_gather.h"
#include "render/mv_yuv.h"

/* Scratch rows and column tables, sized once for the largest pictures of a render. */
typedef struct mv_sampler {
    int max_dst_w, max_src_w;
    mv_gather gather;
    /* two horizontally blended source rows (colour, and coverage for a layer) */
    uint16_t *row[2], *cover_row[2];
    int row_src[2];        /* the source row each holds; -1: none */
    int prefetched;        /* the source row last asked of the cache ahead; -1: none */
    int row_lo[2], row_hi[2]; /* the destination columns a layer's row holds */
    /* the destination columns a layer row's coverage holds: two pieces, on the left and the
     * right edge of its fully covered run (the middle needs no coverage) */
    int cover_lo[2][2], cover_hi[2][2];
} mv_sampler;

/* Returns 0, or -1 when out of memory. */
int mv_sampler_init(mv_sampler *s, int max_dst_w, int max_src_w);
void mv_sampler_free(mv_sampler *s);

/* Keeps a window (x, y, w, h, in luma pixels) inside a width x height picture. */
void mv_sampler_window(int width, int height, double *x, double *y, double *w, double *h);

/* Fills dst with the window (x, y, w, h) of src, in src luma pixels (floats). The window is
 * clamped to the picture. */
void mv_sampler_draw(mv_sampler *s, const mv_yuv *src, double x, double y, double w, double h,
                     mv_yuv *dst);
/* The same for the first rows[p] rows of each plane p of dst only (the rest is hidden). */
void mv_sampler_draw_rows(mv_sampler *s, const mv_yuv *src, double x, double y, double w,
                          double h, mv_yuv *dst, const int rows[3]);

/* Draws the window (x, y, w, h) of a depth layer over the first rows[p] rows of dst's
 * planes: its colours blended by its coverage, touching only where it covers anything
 * (the layer's band of rows: reads only the rows it holds); where it covers fully (its rows'
 * fully covered runs) drawn as an opaque picture, with the same bytes the blend gives. */
void mv_sampler_draw_over(mv_sampler *s, const mv_layer *l, double x, double y, double w,
                          double h, mv_yuv *dst, const int rows[3]);

/* The first row of a dst plane whose samples come entirely from source rows >= src_row, for
 * a window starting at y (plane pixels) and h tall sampled onto dst_h rows. */
int mv_sampler_first_row(double y, double h, int dst_h, int src_row);

#endif /* MV_SAMPLER_H */
