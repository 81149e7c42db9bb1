/*
 * mv_sampler.h - draws a float window of a working picture into a frame with sub-pixel
 * bilinear interpolation, plane by plane (separable: a vertical blend of two source rows, then
 * a horizontal gather with per-column weights computed once per frame).
 */
#ifndef MV_SAMPLER_H
#define MV_SAMPLER_H

#include <stdint.h>

#include "render/mv_yuv.h"

/* Scratch rows and column tables, sized once for the largest pictures of a render. */
typedef struct mv_sampler {
    int max_dst_w, max_src_w;
    int32_t *col_index;
    int32_t *col_weight;
    uint16_t *row;
} mv_sampler;

/* Returns 0, or -1 when out of memory. */
int mv_sampler_init(mv_sampler *s, int max_dst_w, int max_src_w);
void mv_sampler_free(mv_sampler *s);

/* Fills dst with the window (x, y, w, h) of src, in src luma pixels (floats). The window is
 * clamped to the picture. */
void mv_sampler_draw(mv_sampler *s, const mv_yuv *src, double x, double y, double w, double h,
                     mv_yuv *dst);

#endif /* MV_SAMPLER_H */
