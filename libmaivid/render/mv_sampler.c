/*
 * mv_sampler.c - sub-pixel bilinear window sampling on YUV 4:2:0 planes. Weights are 8-bit
 * fixed point (1/256 pixel positioning, far below what the eye can see). Each source row a
 * frame needs is blended horizontally once (mv_sampler_gather.c) into one of two 16-bit
 * rows that the next destination row reuses, then two of them are blended vertically with
 * one weight for the whole row (mv_sampler_blend.c): exact until the single rounding at the
 * end. A depth layer is sampled the same way with its coverage and blended over the frame,
 * only where it covers anything, from the band of rows it keeps in memory; in the middle of
 * a fully covered run the coverage is not sampled and the colour is drawn as opaque.
 */
#include "render/mv_sampler.h"
#include "render/mv_sampler_blend.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* How many source rows below the first of the pair in use the next row's bytes are asked of
 * the cache (mv_gather_prefetch): the row after the pair, whose load then overlaps the
 * current row's work. 2 measured best (3: about half the gain). */
#define MV_PREFETCH_AHEAD 2

int mv_sampler_init(mv_sampler *s, int max_dst_w, int max_src_w)
{
    memset(s, 0, sizeof *s);
    s->max_dst_w = max_dst_w;
    s->max_src_w = max_src_w;
    int ok = mv_gather_init(&s->gather, max_dst_w) == 0;
    for (int k = 0; k < 2; k++) {
        s->row[k] = malloc(sizeof(uint16_t) * (size_t)(max_dst_w + 16));
        s->cover_row[k] = malloc(sizeof(uint16_t) * (size_t)(max_dst_w + 16));
        ok = ok && s->row[k] && s->cover_row[k];
    }
    if (!ok) {
        mv_sampler_free(s);
        return -1;
    }
    return 0;
}

void mv_sampler_free(mv_sampler *s)
{
    mv_gather_free(&s->gather);
    for (int k = 0; k < 2; k++) {
        free(s->row[k]);
        free(s->cover_row[k]);
    }
    memset(s, 0, sizeof *s);
}

/* Slot k's coverage pieces: none. */
static void mv_cover_forget(mv_sampler *s, int k)
{
    for (int e = 0; e < 2; e++)
        s->cover_lo[e][k] = s->cover_hi[e][k] = 0;
}

static void mv_rows_forget(mv_sampler *s)
{
    s->prefetched = -1;
    for (int k = 0; k < 2; k++) {
        s->row_src[k] = -1;
        s->row_lo[k] = s->row_hi[k] = 0;
        mv_cover_forget(s, k);
    }
}

/* Asks the cache for source row r's columns [lo, hi) (at `bytes`), unless it just did. */
static void mv_prefetch_once(mv_sampler *s, int r, const uint8_t *bytes, int lo, int hi)
{
    if (r != s->prefetched) {
        mv_gather_prefetch(&s->gather, bytes, lo, hi);
        s->prefetched = r;
    }
}

/* The slot holding source row r, or -1; else the slot to fill (not the one holding keep). */
static int mv_row_slot(const mv_sampler *s, int r, int keep, int *hit)
{
    for (int k = 0; k < 2; k++)
        if (s->row_src[k] == r) {
            *hit = 1;
            return k;
        }
    *hit = 0;
    return s->row_src[0] == keep ? 1 : 0;
}

/* Source row r of an opaque plane, blended horizontally over destination columns [lo, hi). */
static const uint16_t *mv_plain_hrow(mv_sampler *s, const uint8_t *plane, int stride, int r,
                                     int keep, int lo, int hi)
{
    int hit, k = mv_row_slot(s, r, keep, &hit);
    if (!hit) {
        mv_gather_row(&s->gather, plane + (size_t)r * stride, s->row[k], lo, hi);
        s->row_src[k] = r;
    }
    return s->row[k];
}

static void mv_sample_plane(mv_sampler *s, const uint8_t *src, int src_stride, int src_w,
                            int src_h, uint8_t *dst, int dst_stride, int dst_w, int dst_h,
                            double x, double y, double w, double h, int rows)
{
    double step_y = h / dst_h;
    mv_gather_columns(&s->gather, x, w, dst_w, src_w, 0, dst_w);
    mv_rows_forget(s);
    for (int j = 0; j < rows; j++) {
        int32_t iy, wy;
        mv_gather_split(y + (j + 0.5) * step_y - 0.5, src_h, &iy, &wy);
        const uint16_t *h0 = mv_plain_hrow(s, src, src_stride, iy, iy + 1, 0, dst_w);
        const uint16_t *h1 = wy ? mv_plain_hrow(s, src, src_stride, iy + 1, iy, 0, dst_w) : h0;
        int ahead = iy + MV_PREFETCH_AHEAD;
        if (ahead < src_h)
            mv_prefetch_once(s, ahead, src + (size_t)ahead * src_stride, 0, dst_w);
        mv_blend_rows(h0, h1, wy, dst + (size_t)j * dst_stride, 0, dst_w, s->gather.simd);
    }
}

void mv_sampler_window(int width, int height, double *x, double *y, double *w, double *h)
{
    if (*w > width)
        *w = width;
    if (*h > height)
        *h = height;
    if (*x < 0)
        *x = 0;
    if (*y < 0)
        *y = 0;
    if (*x + *w > width)
        *x = width - *w;
    if (*y + *h > height)
        *y = height - *h;
}

void mv_sampler_draw_rows(mv_sampler *s, const mv_yuv *src, double x, double y, double w,
                          double h, mv_yuv *dst, const int rows[3])
{
    mv_sampler_window(src->width, src->height, &x, &y, &w, &h);
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
 * row only over the columns the two source rows cover; where both rows are fully covered
 * the colour is drawn as an opaque picture's, without the coverage. src and cov start at
 * plane row row0 (the layer's band). */
typedef struct mv_over_plane {
    const uint8_t *src, *cov;
    int src_stride, cov_stride, src_w, src_h, row0;
    int band_rows;       /* source rows in memory, from row0 */
    const int32_t *span; /* per source row: covered columns */
    const int32_t *run;  /* per source row: the longest run of fully covered columns */
    int box[4];          /* x0, y0, x1, y1 in plane pixels */
    int solid;           /* source rows from here down are fully covered */
    uint8_t *dst;
    int dst_stride, dst_w, rows;
} mv_over_plane;

/* Grows a horizontally blended row `out` of source row `src`, which holds the destination
 * columns [*have_lo, *have_hi) (none when empty), to hold at least [lo, hi) too: the hull of
 * both, gathering only the columns it lacked. */
static void mv_gather_hull(const mv_gather *g, const uint8_t *src, uint16_t *out, int *have_lo,
                           int *have_hi, int lo, int hi)
{
    if (*have_hi <= *have_lo) {
        mv_gather_row(g, src, out, lo, hi);
        *have_lo = lo;
        *have_hi = hi;
        return;
    }
    if (lo < *have_lo) {
        mv_gather_row(g, src, out, lo, *have_lo);
        *have_lo = lo;
    }
    if (hi > *have_hi) {
        mv_gather_row(g, src, out, *have_hi, hi);
        *have_hi = hi;
    }
}

/* Source row r of a layer plane's colour blended horizontally into a slot, which then holds
 * at least the destination columns [lo, hi) (the span it held grows to the hull of both).
 * Returns the slot; its coverage pieces are forgotten when it takes a new row. */
static int mv_over_hrow(mv_sampler *s, const mv_over_plane *o, int r, int keep, int lo, int hi)
{
    int hit, k = mv_row_slot(s, r, keep, &hit);
    if (!hit) {
        s->row_src[k] = r;
        s->row_lo[k] = s->row_hi[k] = 0;
        mv_cover_forget(s, k);
    }
    mv_gather_hull(&s->gather, o->src + (size_t)(r - o->row0) * o->src_stride, s->row[k],
                   &s->row_lo[k], &s->row_hi[k], lo, hi);
    return k;
}

/* The coverage of the row slot k holds, blended horizontally over at least the destination
 * columns [lo, hi): piece `edge` (0: the left edge of a covered run, 1: the right one) of
 * the slot's coverage grows to the hull of what it held and [lo, hi). */
static void mv_over_cover(mv_sampler *s, const mv_over_plane *o, int k, int edge, int lo,
                          int hi)
{
    if (hi > lo)
        mv_gather_hull(&s->gather,
                       o->cov + (size_t)(s->row_src[k] - o->row0) * o->cov_stride,
                       s->cover_row[k], &s->cover_lo[edge][k], &s->cover_hi[edge][k], lo, hi);
}

/* The destination columns within [lo, hi) whose two bilinear taps in both source rows iy,
 * iy + 1 (only iy when wy is 0) lie in those rows' fully covered runs: [*m0, *m1), empty
 * (m0 == m1) when there are none. One column of margin on each side absorbs rounding. */
static void mv_over_interior(const mv_over_plane *o, int32_t iy, int32_t wy, double x,
                             double step_x, int lo, int hi, int *m0, int *m1)
{
    int a = o->run[2 * iy], b = o->run[2 * iy + 1];
    if (wy) {
        int a1 = o->run[2 * iy + 2], b1 = o->run[2 * iy + 3];
        a = a > a1 ? a : a1;
        b = b < b1 ? b : b1;
    }
    *m0 = *m1 = lo;
    if (b - a < 2)
        return;
    /* column i samples at x + (i + 0.5) * step_x - 0.5: taps floor of that and the next */
    double first = ceil((a - x + 0.5) / step_x - 0.5) + 1;
    double end = ceil((b - 1 - x + 0.5) / step_x - 0.5) - 1;
    int i0 = first < lo ? lo : (first > hi ? hi : (int)first);
    int i1 = end < lo ? lo : (end > hi ? hi : (int)end);
    if (i1 > i0) {
        *m0 = i0;
        *m1 = i1;
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
    mv_gather_columns(&s->gather, x, w, o->dst_w, o->src_w, i0, i1);
    mv_rows_forget(s);
    for (int j = j0; j < j1; j++) {
        int32_t iy, wy;
        mv_gather_split(y + (j + 0.5) * step_y - 0.5, o->src_h, &iy, &wy);
        int lo = i0, hi = i1;
        if (iy < o->solid) { /* only where the two source rows cover anything */
            int a0 = o->span[2 * iy], b0 = o->span[2 * iy + 1];
            int a1 = o->span[2 * iy + 2], b1 = o->span[2 * iy + 3];
            if (b0 <= a0 && b1 <= a1)
                continue;
            int a = b0 <= a0 ? a1 : (b1 <= a1 ? a0 : (a0 < a1 ? a0 : a1));
            int b = b0 <= a0 ? b1 : (b1 <= a1 ? b0 : (b0 > b1 ? b0 : b1));
            mv_dst_span(x, step_x, a, b, o->dst_w, &lo, &hi);
            lo = lo > i0 ? lo : i0;
            hi = hi < i1 ? hi : i1;
            if (hi <= lo)
                continue;
        }
        int k0 = mv_over_hrow(s, o, iy, iy + 1, lo, hi);
        int k1 = wy ? mv_over_hrow(s, o, iy + 1, iy, lo, hi) : k0;
        int ahead = iy + MV_PREFETCH_AHEAD;
        if (ahead - o->row0 < o->band_rows)
            mv_prefetch_once(s, ahead, o->src + (size_t)(ahead - o->row0) * o->src_stride, lo,
                             hi);
        uint8_t *out = o->dst + (size_t)j * o->dst_stride;
        if (iy >= o->solid) { /* fully covered: sampled as an opaque picture, no blend */
            mv_blend_rows(s->row[k0], s->row[k1], wy, out, lo, hi, s->gather.simd);
            continue;
        }
        int m0, m1; /* fully covered in the middle: opaque there (the blend would give the
                     * same bytes), the coverage sampled only on the two sides */
        mv_over_interior(o, iy, wy, x, step_x, lo, hi, &m0, &m1);
        int left_end = m1 > m0 ? m0 : hi, right_end = m1 > m0 ? hi : m1;
        mv_over_cover(s, o, k0, 0, lo, left_end);
        mv_over_cover(s, o, k0, 1, m1, right_end);
        if (k1 != k0) {
            mv_over_cover(s, o, k1, 0, lo, left_end);
            mv_over_cover(s, o, k1, 1, m1, right_end);
        }
        mv_blend_rows_over(s->row[k0], s->row[k1], s->cover_row[k0], s->cover_row[k1], wy,
                           out, lo, left_end, s->gather.simd);
        if (m1 > m0) {
            mv_blend_rows(s->row[k0], s->row[k1], wy, out, m0, m1, s->gather.simd);
            mv_blend_rows_over(s->row[k0], s->row[k1], s->cover_row[k0], s->cover_row[k1], wy,
                               out, m1, hi, s->gather.simd);
        }
    }
}

void mv_sampler_draw_over(mv_sampler *s, const mv_layer *l, double x, double y, double w,
                          double h, mv_yuv *dst, const int rows[3])
{
    if (l->x1 <= l->x0 || l->y1 <= l->y0 || !l->cover.plane[0])
        return;
    const mv_yuv *src = &l->pic;
    mv_sampler_window(l->width, l->height, &x, &y, &w, &h);
    for (int p = 0; p < 3; p++) {
        int plane_h = p ? (l->height + 1) / 2 : l->height;
        double scale_x = (double)src->plane_w[p] / l->width;
        double scale_y = (double)plane_h / l->height;
        int cp = p == 0 ? 0 : 1;
        mv_over_plane o = {
            .src = src->plane[p], .cov = l->cover.plane[cp], .src_stride = src->stride[p],
            .cov_stride = l->cover.stride[cp], .src_w = src->plane_w[p], .src_h = plane_h,
            .row0 = p ? l->top / 2 : l->top, .band_rows = src->plane_h[p],
            .span = l->span[cp], .run = l->run[cp],
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
