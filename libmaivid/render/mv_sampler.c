/*
 * mv_sampler.c - sub-pixel bilinear window sampling on YUV 4:2:0 planes. Weights are 8-bit
 * fixed point (1/256 pixel positioning, far below what the eye can see); the inner loops are
 * plain integer loops over arrays with no calls so the compiler vectorises the row blend.
 */
#include "render/mv_sampler.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int mv_sampler_init(mv_sampler *s, int max_dst_w, int max_src_w)
{
    memset(s, 0, sizeof *s);
    s->max_dst_w = max_dst_w;
    s->max_src_w = max_src_w;
    s->col_index = malloc(sizeof(int32_t) * (size_t)(max_dst_w + 1));
    s->col_weight = malloc(sizeof(int32_t) * (size_t)(max_dst_w + 1));
    s->row = malloc(sizeof(uint16_t) * (size_t)(max_src_w + 2));
    if (!s->col_index || !s->col_weight || !s->row) {
        mv_sampler_free(s);
        return -1;
    }
    return 0;
}

void mv_sampler_free(mv_sampler *s)
{
    free(s->col_index);
    free(s->col_weight);
    free(s->row);
    memset(s, 0, sizeof *s);
}

/* Source position of destination sample i (pixel centres), split into index and weight.
 * Keeps index+1 inside the plane. */
static void mv_split_position(double pos, int size, int32_t *index, int32_t *weight)
{
    if (pos < 0)
        pos = 0;
    if (pos > size - 1)
        pos = size - 1;
    int i = (int)pos;
    int w = (int)lrint((pos - i) * 256.0);
    if (w == 256) {
        i++;
        w = 0;
    }
    if (i >= size - 1) {
        i = size - 2;
        w = 256;
    }
    *index = i;
    *weight = w;
}

static void mv_sample_plane(mv_sampler *s, const uint8_t *src, int src_stride, int src_w,
                            int src_h, uint8_t *dst, int dst_stride, int dst_w, int dst_h,
                            double x, double y, double w, double h)
{
    double step_x = w / dst_w, step_y = h / dst_h;
    int32_t *restrict col = s->col_index;
    int32_t *restrict colw = s->col_weight;
    for (int i = 0; i < dst_w; i++)
        mv_split_position(x + (i + 0.5) * step_x - 0.5, src_w, &col[i], &colw[i]);
    int first = col[0], last = col[dst_w - 1] + 1; /* source columns this frame touches */
    uint16_t *restrict row = s->row;
    for (int j = 0; j < dst_h; j++) {
        int32_t iy, wy;
        mv_split_position(y + (j + 0.5) * step_y - 0.5, src_h, &iy, &wy);
        const uint8_t *restrict r0 = src + (size_t)iy * src_stride;
        const uint8_t *restrict r1 = r0 + src_stride;
        const int top = 256 - wy, bottom = wy;
        for (int k = first; k <= last; k++) /* vertical blend, vectorised */
            row[k] = (uint16_t)(r0[k] * top + r1[k] * bottom);
        uint8_t *restrict out = dst + (size_t)j * dst_stride;
        for (int i = 0; i < dst_w; i++) { /* horizontal blend with per-column weights */
            int32_t c = col[i], cw = colw[i];
            int32_t v = row[c] * (256 - cw) + row[c + 1] * cw;
            out[i] = (uint8_t)((v + 32768) >> 16);
        }
    }
}

void mv_sampler_draw(mv_sampler *s, const mv_yuv *src, double x, double y, double w, double h,
                     mv_yuv *dst)
{
    if (w > src->width)
        w = src->width;
    if (h > src->height)
        h = src->height;
    if (x < 0)
        x = 0;
    if (y < 0)
        y = 0;
    if (x + w > src->width)
        x = src->width - w;
    if (y + h > src->height)
        y = src->height - h;
    for (int p = 0; p < 3; p++) {
        double scale_x = (double)src->plane_w[p] / src->width;
        double scale_y = (double)src->plane_h[p] / src->height;
        mv_sample_plane(s, src->plane[p], src->stride[p], src->plane_w[p], src->plane_h[p],
                        dst->plane[p], dst->stride[p], dst->plane_w[p], dst->plane_h[p],
                        x * scale_x, y * scale_y, w * scale_x, h * scale_y);
    }
}
