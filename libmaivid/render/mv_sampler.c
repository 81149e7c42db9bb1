/*
 * mv_sampler.c - sub-pixel bilinear window sampling on YUV 4:2:0 planes. Weights are 8-bit
 * fixed point (1/256 pixel positioning, far below what the eye can see); the inner loops are
 * plain integer loops over arrays with no calls so the compiler vectorises the row blend. A
 * depth layer is sampled the same way with its coverage and blended over the frame, only
 * where its box falls.
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
    s->cover_row = malloc(sizeof(uint16_t) * (size_t)(max_src_w + 2));
    if (!s->col_index || !s->col_weight || !s->row || !s->cover_row) {
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
    free(s->cover_row);
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
                            double x, double y, double w, double h, int rows)
{
    double step_x = w / dst_w, step_y = h / dst_h;
    int32_t *restrict col = s->col_index;
    int32_t *restrict colw = s->col_weight;
    for (int i = 0; i < dst_w; i++)
        mv_split_position(x + (i + 0.5) * step_x - 0.5, src_w, &col[i], &colw[i]);
    int first = col[0], last = col[dst_w - 1] + 1; /* source columns this frame touches */
    uint16_t *restrict row = s->row;
    for (int j = 0; j < rows; j++) {
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

void mv_sampler_window(const mv_yuv *src, double *x, double *y, double *w, double *h)
{
    if (*w > src->width)
        *w = src->width;
    if (*h > src->height)
        *h = src->height;
    if (*x < 0)
        *x = 0;
    if (*y < 0)
        *y = 0;
    if (*x + *w > src->width)
        *x = src->width - *w;
    if (*y + *h > src->height)
        *y = src->height - *h;
}

void mv_sampler_draw_rows(mv_sampler *s, const mv_yuv *src, double x, double y, double w,
                          double h, mv_yuv *dst, const int rows[3])
{
    mv_sampler_window(src, &x, &y, &w, &h);
    for (int p = 0; p < 3; p++) {
        double scale_x = (double)src->plane_w[p] / src->width;
        double scale_y = (double)src->plane_h[p] / src->height;
        int n = rows[p] < dst->plane_h[p] ? rows[p] : dst->plane_h[p];
        mv_sample_plane(s, src->plane[p], src->stride[p], src->plane_w[p], src->plane_h[p],
                        dst->plane[p], dst->stride[p], dst->plane_w[p], dst->plane_h[p],
                        x * scale_x, y * scale_y, w * scale_x, h * scale_y, n);
    }
}

void mv_sampler_draw(mv_sampler *s, const mv_yuv *src, double x, double y, double w, double h,
                     mv_yuv *dst)
{
    const int all[3] = {dst->plane_h[0], dst->plane_h[1], dst->plane_h[2]};
    mv_sampler_draw_rows(s, src, x, y, w, h, dst, all);
}

int mv_sampler_first_row(double y, double h, int dst_h, int src_row)
{
    double step = h / dst_h, j = (src_row - y + 0.5) / step - 0.5;
    if (j <= 0)
        return 0;
    return j >= dst_h ? dst_h : (int)ceil(j);
}

/* The destination samples [*lo, *hi) whose source positions (origin o, step) fall within
 * the source span [a - 1, b] (so bilinear neighbours of the span are included). */
static void mv_dst_span(double o, double step, int a, int b, int n, int *lo, int *hi)
{
    double first = (a - 1 - o + 0.5) / step - 0.5, last = (b - o + 0.5) / step - 0.5;
    *lo = first < 0 ? 0 : (first > n ? n : (int)floor(first));
    *hi = last < 0 ? 0 : (last + 2 > n ? n : (int)floor(last) + 2);
}

/* One plane of mv_sampler_draw_over: colour and coverage sampled alike, then blended, row by
 * row only over the columns the two source rows cover. */
typedef struct mv_over_plane {
    const uint8_t *src, *cov;
    int src_stride, cov_stride, src_w, src_h;
    const int32_t *span; /* per source row: covered columns */
    int box[4];          /* x0, y0, x1, y1 in plane pixels */
    int solid;           /* source rows from here down are fully covered */
    uint8_t *dst;
    int dst_stride, dst_w, rows;
} mv_over_plane;

/* One opaque row: source rows r0 and the next blended by wy, gathered into dst [i0, i1)
 * with the column tables already set. */
static void mv_plain_row(mv_sampler *s, const uint8_t *r0, int stride, int32_t wy, uint8_t *dst,
                         int i0, int i1)
{
    const int32_t *restrict col = s->col_index;
    const int32_t *restrict colw = s->col_weight;
    uint16_t *restrict row = s->row;
    const uint8_t *restrict a = r0, *restrict b = r0 + stride;
    const int top = 256 - wy, bottom = wy;
    int first = col[i0], last = col[i1 - 1] + 1;
    for (int k = first; k <= last; k++)
        row[k] = (uint16_t)(a[k] * top + b[k] * bottom);
    for (int i = i0; i < i1; i++) {
        int32_t c = col[i], cw = colw[i];
        int32_t v = row[c] * (256 - cw) + row[c + 1] * cw;
        dst[i] = (uint8_t)((v + 32768) >> 16);
    }
}

static void mv_over_sample(mv_sampler *s, const mv_over_plane *o, double x, double y, double w,
                           double h, int dst_h)
{
    double step_x = w / o->dst_w, step_y = h / dst_h;
    int i0, i1, j0, j1;
    mv_dst_span(x, step_x, o->box[0], o->box[2], o->dst_w, &i0, &i1);
    mv_dst_span(y, step_y, o->box[1], o->box[3], dst_h, &j0, &j1);
    j1 = j1 < o->rows ? j1 : o->rows;
    if (i1 <= i0 || j1 <= j0)
        return;
    int32_t *restrict col = s->col_index;
    int32_t *restrict colw = s->col_weight;
    for (int i = i0; i < i1; i++)
        mv_split_position(x + (i + 0.5) * step_x - 0.5, o->src_w, &col[i], &colw[i]);
    uint16_t *restrict row = s->row;
    uint16_t *restrict crow = s->cover_row;
    for (int j = j0; j < j1; j++) {
        int32_t iy, wy;
        mv_split_position(y + (j + 0.5) * step_y - 0.5, o->src_h, &iy, &wy);
        if (iy >= o->solid) { /* fully covered: sampled as an opaque picture */
            mv_plain_row(s, o->src + (size_t)iy * o->src_stride, o->src_stride, wy,
                         o->dst + (size_t)j * o->dst_stride, i0, i1);
            continue;
        }
        int a0 = o->span[2 * iy], b0 = o->span[2 * iy + 1];
        int a1 = o->span[2 * iy + 2], b1 = o->span[2 * iy + 3];
        if (b0 <= a0 && b1 <= a1)
            continue; /* neither source row covers anything */
        int a = b0 <= a0 ? a1 : (b1 <= a1 ? a0 : (a0 < a1 ? a0 : a1));
        int b = b0 <= a0 ? b1 : (b1 <= a1 ? b0 : (b0 > b1 ? b0 : b1));
        int lo, hi;
        mv_dst_span(x, step_x, a, b, o->dst_w, &lo, &hi);
        lo = lo > i0 ? lo : i0;
        hi = hi < i1 ? hi : i1;
        if (hi <= lo)
            continue;
        int first = col[lo], last = col[hi - 1] + 1;
        const uint8_t *restrict r0 = o->src + (size_t)iy * o->src_stride;
        const uint8_t *restrict r1 = r0 + o->src_stride;
        const uint8_t *restrict c0 = o->cov + (size_t)iy * o->cov_stride;
        const uint8_t *restrict c1 = c0 + o->cov_stride;
        const int top = 256 - wy, bottom = wy;
        for (int k = first; k <= last; k++) { /* vertical blend, vectorised */
            row[k] = (uint16_t)(r0[k] * top + r1[k] * bottom);
            crow[k] = (uint16_t)(c0[k] * top + c1[k] * bottom);
        }
        uint8_t *restrict out = o->dst + (size_t)j * o->dst_stride;
        for (int i = lo; i < hi; i++) {
            int32_t c = col[i], cw = colw[i];
            int32_t al = (crow[c] * (256 - cw) + crow[c + 1] * cw + 32768) >> 16;
            if (al == 0)
                continue;
            int32_t v = (row[c] * (256 - cw) + row[c + 1] * cw + 32768) >> 16;
            int32_t mix = out[i] * (255 - al) + v * al + 128; /* divided by 255, rounded */
            out[i] = (uint8_t)((mix + (mix >> 8)) >> 8);
        }
    }
}

void mv_sampler_draw_over(mv_sampler *s, const mv_layer *l, double x, double y, double w,
                          double h, mv_yuv *dst, const int rows[3])
{
    if (l->x1 <= l->x0 || l->y1 <= l->y0 || !l->cover.plane[0])
        return;
    const mv_yuv *src = &l->pic;
    mv_sampler_window(src, &x, &y, &w, &h);
    for (int p = 0; p < 3; p++) {
        double scale_x = (double)src->plane_w[p] / src->width;
        double scale_y = (double)src->plane_h[p] / src->height;
        int cp = p == 0 ? 0 : 1;
        mv_over_plane o = {
            .src = src->plane[p], .cov = l->cover.plane[cp], .src_stride = src->stride[p],
            .cov_stride = l->cover.stride[cp], .src_w = src->plane_w[p],
            .src_h = src->plane_h[p], .span = l->span[cp],
            .solid = p == 0 ? l->solid_y : (l->solid_y + 1) / 2 + 1,
            .box = {(int)floor(l->x0 * scale_x), (int)floor(l->y0 * scale_y),
                    (int)ceil(l->x1 * scale_x), (int)ceil(l->y1 * scale_y)},
            .dst = dst->plane[p], .dst_stride = dst->stride[p], .dst_w = dst->plane_w[p],
            .rows = rows[p] < dst->plane_h[p] ? rows[p] : dst->plane_h[p],
        };
        mv_over_sample(s, &o, x * scale_x, y * scale_y, w * scale_x, h * scale_y,
                       dst->plane_h[p]);
    }
}
