/*
 * test_render_sampler.c - the sampler's fast paths give exactly the straightforward bilinear
 * filter's pixels: opaque windows (shrunk, enlarged, shifted by fractions of a pixel, and
 * shrunk so far that the 8-column shuffle cannot serve them) and depth layers blended by
 * their coverage, with the AVX2, SSSE3 and plain gathers and blends (drawn opaque where the
 * layer covers fully, the blend elsewhere); the horizontal and vertical halves also on their
 * own against their plain loops.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mv_test_util.h"
#include "paint/mv_paint_internal.h"
#include "render/mv_layer_stack.h"
#include "render/mv_sampler.h"
#include "render/mv_sampler_blend.h"
#include "render/mv_sampler_gather.h"

#define SRC_W 388
#define SRC_H 220
#define DST_W 322
#define DST_H 182

static uint32_t next_random(uint32_t *s)
{
    *s = *s * 1664525U + 1013904223U;
    return *s >> 8;
}

/* A picture with texture, gradients and hard edges in every plane. */
static void fill_picture(mv_yuv *img, uint32_t seed)
{
    for (int p = 0; p < 3; p++)
        for (int j = 0; j < img->plane_h[p]; j++)
            for (int i = 0; i < img->plane_w[p]; i++) {
                int v = (i * 7 + j * 3 + p * 50) % 256;
                if ((i / 9 + j / 5) % 3 == 0)
                    v = (int)(next_random(&seed) & 255U);
                img->plane[p][(size_t)j * img->stride[p] + i] = (uint8_t)v;
            }
}

/* The bilinear sample of one plane at a destination pixel, as the sampler defines it: the
 * two source rows and columns from mv_gather_split, 1/256 weights, one rounding. */
static void reference_sample(const uint8_t *src, int stride, int sw, int sh, double x, double y,
                             double w, double h, int dw, int dh, int i, int j, int *value)
{
    int32_t c, cw, r, rw;
    mv_gather_split(x + (i + 0.5) * (w / dw) - 0.5, sw, &c, &cw);
    mv_gather_split(y + (j + 0.5) * (h / dh) - 0.5, sh, &r, &rw);
    const uint8_t *r0 = src + (size_t)r * stride, *r1 = r0 + stride;
    int64_t a = (int64_t)r0[c] * (256 - rw) + (int64_t)r1[c] * rw;
    int64_t b = (int64_t)r0[c + 1] * (256 - rw) + (int64_t)r1[c + 1] * rw;
    *value = (int)((a * (256 - cw) + b * cw + 32768) >> 16);
}

static void reference_draw(const mv_yuv *src, double x, double y, double w, double h,
                           mv_yuv *dst)
{
    mv_sampler_window(src->width, src->height, &x, &y, &w, &h);
    for (int p = 0; p < 3; p++) {
        double sx = (double)src->plane_w[p] / src->width, sy = (double)src->plane_h[p] / src->height;
        for (int j = 0; j < dst->plane_h[p]; j++)
            for (int i = 0; i < dst->plane_w[p]; i++) {
                int v;
                reference_sample(src->plane[p], src->stride[p], src->plane_w[p],
                                 src->plane_h[p], x * sx, y * sy, w * sx, h * sy,
                                 dst->plane_w[p], dst->plane_h[p], i, j, &v);
                dst->plane[p][(size_t)j * dst->stride[p] + i] = (uint8_t)v;
            }
    }
}

/* The layer's band placed in whole pictures, as the sampler read layers before they kept
 * only their band; outside the band the coverage is 0 and the colour noise, which must not
 * matter (the band holds every row the bilinear filter reaches). */
static void expand_layer(const mv_layer *l, mv_yuv *pic, mv_yuv *cover)
{
    assert_int_equal(mv_yuv_alloc(pic, l->width, l->height), 0);
    assert_int_equal(mv_yuv_alloc(cover, l->width, l->height), 0);
    fill_picture(pic, 5);
    assert_true(l->top % 2 == 0 && l->top + l->pic.height <= l->height);
    for (int p = 0; p < 3; p++)
        for (int j = 0; j < l->pic.plane_h[p]; j++) {
            int to = (p ? l->top / 2 : l->top) + j;
            memcpy(pic->plane[p] + (size_t)to * pic->stride[p],
                   l->pic.plane[p] + (size_t)j * l->pic.stride[p], (size_t)pic->plane_w[p]);
            if (p < 2)
                memcpy(cover->plane[p] + (size_t)to * cover->stride[p],
                       l->cover.plane[p] + (size_t)j * l->cover.stride[p],
                       (size_t)cover->plane_w[p]);
        }
}

/* A layer over dst: colour and coverage sampled alike, blended where the coverage is not 0,
 * from the whole pictures of expand_layer (so reading any row of the layer). */
static void reference_over(const mv_layer *l, double x, double y, double w, double h,
                           mv_yuv *dst)
{
    mv_yuv whole, cover;
    expand_layer(l, &whole, &cover);
    const mv_yuv *src = &whole;
    mv_sampler_window(src->width, src->height, &x, &y, &w, &h);
    for (int p = 0; p < 3; p++) {
        int cp = p ? 1 : 0;
        double sx = (double)src->plane_w[p] / src->width, sy = (double)src->plane_h[p] / src->height;
        for (int j = 0; j < dst->plane_h[p]; j++)
            for (int i = 0; i < dst->plane_w[p]; i++) {
                int v, al;
                reference_sample(src->plane[p], src->stride[p], src->plane_w[p],
                                 src->plane_h[p], x * sx, y * sy, w * sx, h * sy,
                                 dst->plane_w[p], dst->plane_h[p], i, j, &v);
                reference_sample(cover.plane[cp], cover.stride[cp], src->plane_w[p],
                                 src->plane_h[p], x * sx, y * sy, w * sx, h * sy,
                                 dst->plane_w[p], dst->plane_h[p], i, j, &al);
                uint8_t *o = dst->plane[p] + (size_t)j * dst->stride[p] + i;
                int mix = *o * (255 - al) + v * al + 128;
                *o = (uint8_t)((mix + (mix >> 8)) >> 8);
            }
    }
    mv_yuv_free(&whole);
    mv_yuv_free(&cover);
}

static void assert_same_picture(const mv_yuv *a, const mv_yuv *b, const char *what)
{
    for (int p = 0; p < 3; p++)
        for (int j = 0; j < a->plane_h[p]; j++) {
            const uint8_t *ra = a->plane[p] + (size_t)j * a->stride[p];
            const uint8_t *rb = b->plane[p] + (size_t)j * b->stride[p];
            for (int i = 0; i < a->plane_w[p]; i++)
                if (ra[i] != rb[i])
                    fail_msg("%s: plane %d pixel (%d, %d) is %d, the reference %d", what, p, i,
                             j, ra[i], rb[i]);
        }
}

/* Windows: (x, y, size as a share of the picture, width stretch). */
static const double windows[][4] = {
    {0, 0, 1.0, 1.0},          /* the whole picture, shrunk */
    {31.37, 17.91, 0.83, 1.0}, /* 1:1 and a fraction of a pixel off */
    {60.5, 20.25, 0.70, 1.0},  /* enlarged */
    {12.03, 8.6, 0.95, 1.0},   /* shrunk by 1.15 */
    {0.2, 0.1, 1.0, 2.3},      /* much narrower than tall: a wide column step */
    {5.75, 3.3, 0.5, 1.7},
};

static void test_opaque_matches_reference(void **state)
{
    (void)state;
    mv_yuv src, got, want;
    mv_sampler s;
    assert_int_equal(mv_yuv_alloc(&src, SRC_W, SRC_H), 0);
    assert_int_equal(mv_yuv_alloc(&got, DST_W, DST_H), 0);
    assert_int_equal(mv_yuv_alloc(&want, DST_W, DST_H), 0);
    assert_int_equal(mv_sampler_init(&s, DST_W, SRC_W), 0);
    fill_picture(&src, 7);
    for (int level = s.gather.simd; level >= 0; level--) { /* AVX2, SSSE3, plain */
        s.gather.simd = level;
        for (size_t k = 0; k < sizeof windows / sizeof windows[0]; k++) {
            double h = windows[k][2] * SRC_H, w = h * DST_W / DST_H / windows[k][3];
            if (windows[k][3] > 1.0) /* squeeze the height instead: a tall window */
                w = windows[k][2] * SRC_W, h = w * DST_H / DST_W / windows[k][3];
            mv_sampler_draw(&s, &src, windows[k][0], windows[k][1], w, h, &got);
            reference_draw(&src, windows[k][0], windows[k][1], w, h, &want);
            char what[64];
            snprintf(what, sizeof what, "window %zu, gather level %d", k, level);
            assert_same_picture(&got, &want, what);
        }
    }
    /* only the first rows: the rest stays as it was */
    mv_yuv_fill(&got, 1, 2, 3);
    const int rows[3] = {40, 20, 20};
    mv_sampler_draw_rows(&s, &src, 3.5, 2.25, 300, 170, &got, rows);
    assert_int_equal(got.plane[0][(size_t)40 * got.stride[0]], 1);
    assert_int_equal(got.plane[1][(size_t)20 * got.stride[1] + 5], 2);
    assert_true(got.plane[0][(size_t)39 * got.stride[0] + 10] != 1 ||
                got.plane[0][(size_t)38 * got.stride[0] + 10] != 1);
    mv_sampler_free(&s);
    mv_yuv_free(&src);
    mv_yuv_free(&got);
    mv_yuv_free(&want);
}

/* A layer file with a soft disc, a hard-edged band and a fully covered ground, loaded as
 * the renderer loads it. */
static void load_layer(const char *dir, mv_layer_stack *stack)
{
    char image[1024];
    snprintf(image, sizeof image, "%s/scene_001.png", dir);
    uint8_t *rgba = calloc((size_t)SRC_W * SRC_H * 4 * MV_LAYER_COUNT, 1);
    assert_non_null(rgba);
    uint32_t seed = 11;
    for (int l = 0; l < MV_LAYER_COUNT; l++)
        for (int y = 0; y < SRC_H; y++)
            for (int x = 0; x < SRC_W; x++) {
                uint8_t *p = rgba + (((size_t)l * SRC_H + y) * SRC_W + x) * 4;
                p[0] = (uint8_t)(x * 3 + l * 40);
                p[1] = (uint8_t)(y * 5);
                p[2] = (uint8_t)(next_random(&seed) & 255U);
                double d = hypot(x - 140.3, y - 90.7);
                double a = l == 0 ? 1 : fmin(fmax(30.5 - d, 0), 1);
                if (l == 2 && x > 250 && x < 300 && y > 40)
                    a = 0.6;
                if (l == 3 && y >= 180)
                    a = 1;
                if (l == 1 && x >= 139 && x < 141) /* a slit: two fully covered runs */
                    a = 0;
                if (l == 3 && x >= 20 && x < 60 && y >= 100 && y < 140) /* beside the disc */
                    a = 1;
                p[3] = (uint8_t)lrint(255 * a);
            }
    char *path = mv_layer_stack_path(image);
    assert_non_null(path);
    assert_int_equal(mv_paint_png_write_rgba(rgba, SRC_W, SRC_H * MV_LAYER_COUNT, path, NULL),
                     MAIVID_OK);
    free(path);
    free(rgba);
    assert_int_equal(mv_layer_stack_load(image, SRC_W, SRC_H, stack, NULL), MAIVID_OK);
}

static void test_layers_match_reference(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("render-sampler");
    assert_non_null(dir);
    mv_layer_stack stack;
    load_layer(dir, &stack);
    mv_yuv back, got, want;
    mv_sampler s;
    assert_int_equal(mv_yuv_alloc(&back, DST_W, DST_H), 0);
    assert_int_equal(mv_yuv_alloc(&got, DST_W, DST_H), 0);
    assert_int_equal(mv_yuv_alloc(&want, DST_W, DST_H), 0);
    assert_int_equal(mv_sampler_init(&s, DST_W, SRC_W), 0);
    fill_picture(&back, 3);
    /* the disc layer keeps only the rows around the disc (rows 60..121 of 220) */
    assert_true(stack.layer[1].top >= 56 && stack.layer[1].pic.height <= 70);
    const int all[3] = {DST_H, DST_H / 2, DST_H / 2};
    for (int level = s.gather.simd; level >= 0; level--) {
        s.gather.simd = level;
        for (int l = 1; l < MV_LAYER_COUNT; l++) {
            assert_non_null(stack.layer[l].cover.plane[0]);
            for (size_t k = 0; k < sizeof windows / sizeof windows[0]; k++) {
                double h = windows[k][2] * SRC_H, w = h * DST_W / DST_H / windows[k][3];
                if (windows[k][3] > 1.0)
                    w = windows[k][2] * SRC_W, h = w * DST_H / DST_W / windows[k][3];
                mv_yuv_copy(&got, &back);
                mv_yuv_copy(&want, &back);
                mv_sampler_draw_over(&s, &stack.layer[l], windows[k][0], windows[k][1], w, h,
                                     &got, all);
                reference_over(&stack.layer[l], windows[k][0], windows[k][1], w, h, &want);
                char what[64];
                snprintf(what, sizeof what, "layer %d, window %zu, gather level %d", l, k,
                         level);
                assert_same_picture(&got, &want, what);
            }
        }
    }
    mv_sampler_free(&s);
    mv_layer_stack_free(&stack);
    mv_yuv_free(&back);
    mv_yuv_free(&got);
    mv_yuv_free(&want);
    mv_remove_tree(dir, NULL);
    free(dir);
}

static void test_halves_match_plain_loops(void **state)
{
    (void)state;
    enum { N = 203 };
    uint8_t src[700], out_a[N + 16], out_b[N + 16];
    uint16_t h0[N + 16], h1[N + 16], c0[N + 16], c1[N + 16], ga[N + 16], gb[N + 16];
    uint32_t seed = 5;
    for (size_t i = 0; i < sizeof src; i++)
        src[i] = (uint8_t)(next_random(&seed) & 255U);
    for (int i = 0; i < N + 16; i++) { /* extremes included */
        h0[i] = (uint16_t)(i % 5 == 0 ? 65280 : next_random(&seed) % 65281U);
        h1[i] = (uint16_t)(i % 7 == 0 ? 65280 : next_random(&seed) % 65281U);
        c0[i] = (uint16_t)(i % 3 == 0 ? 0 : next_random(&seed) % 65281U);
        c1[i] = (uint16_t)(i % 4 == 0 ? 65280 : next_random(&seed) % 65281U);
    }
    mv_gather g;
    assert_int_equal(mv_gather_init(&g, N), 0);
    /* the blends: AVX2 where the CPU has it (level 2), else SSE2 (any lower level) */
    for (int level = g.simd >= 2 ? 2 : 0; level >= 0; level -= 2)
        for (int32_t wy = 0; wy <= 256; wy++) {
            int lo = wy % 9, hi = N - wy % 5 - (wy % 3) * 7;
            memset(out_a, 0, sizeof out_a);
            memset(out_b, 0, sizeof out_b);
            mv_blend_rows(h0, h1, wy, out_a, lo, hi, level);
            mv_blend_rows_plain(h0, h1, wy, out_b, lo, hi);
            assert_memory_equal(out_a, out_b, sizeof out_a);
            for (int i = 0; i < N; i++)
                out_a[i] = out_b[i] = (uint8_t)(next_random(&seed) & 255U);
            mv_blend_rows_over(h0, h1, c0, c1, wy, out_a, lo, hi, level);
            mv_blend_rows_over_plain(h0, h1, c0, c1, wy, out_b, lo, hi);
            assert_memory_equal(out_a, out_b, sizeof out_a);
        }
    for (int k = 0; k < 40; k++) {
        double w = N * (0.6 + 0.05 * k), x = 0.37 * k; /* enlarged to shrunk 2.5 times */
        int src_n = (int)ceil(x + w) + 1, lo = k % 11, hi = N - k % 6;
        mv_gather_columns(&g, x, w, N, src_n, lo, hi);
        int simd = g.simd;
        memset(gb, 0, sizeof gb);
        g.simd = 0;
        mv_gather_row(&g, src, gb, lo, hi);
        for (int level = simd; level > 0; level--) { /* each fast path: the plain numbers */
            memset(ga, 0, sizeof ga);
            g.simd = level;
            mv_gather_row(&g, src, ga, lo, hi);
            assert_memory_equal(ga, gb, sizeof ga);
        }
        g.simd = simd;
        for (int i = lo; i < hi; i++)
            assert_int_equal(ga[i], src[g.col[i]] * g.wa[i] + src[g.col[i] + 1] * g.wb[i]);
    }
    mv_gather_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opaque_matches_reference),
        cmocka_unit_test(test_layers_match_reference),
        cmocka_unit_test(test_halves_match_plain_loops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
