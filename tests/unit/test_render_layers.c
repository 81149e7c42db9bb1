/*
 * test_render_layers.c - reading a scene's depth layers (scene_NNN.layers.png) a few rows at
 * a time, each transparent layer kept as the band of rows it covers (issue 15's memory):
 * the layers hold exactly the pixels, coverage, box and solid rows of the former
 * whole-picture conversion (the PNG decoded whole with libavcodec, each layer converted at
 * the full working size), unscaled and scaled; a layer covering a few rows holds only
 * those (and a margin), an empty one nothing; truncated, interlaced and non-RGBA files are
 * clear errors that name the file; the renderer holds two scenes' layers only during a
 * transition.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/frame.h>
#include <libswscale/swscale.h>

#include "mv_test_util.h"
#include "paint/mv_paint_internal.h"
#include "render/mv_frame_renderer.h"
#include "render/mv_layer_stack.h"
#include "render/mv_render.h"
#include "render/mv_scene_image.h"
#include "render/mv_timeline.h"

#define LW 390 /* each layer of the file */
#define LH 216
#define BAND_FIRST 37 /* layer 1 covers rows [37, 89): odd first and last rows */
#define BAND_END 89
#define GROUND 150 /* layer 3 covers rows from here down, fully from GROUND + 20 */

static uint32_t next_random(uint32_t *s)
{
    *s = *s * 1664525U + 1013904223U;
    return *s >> 8;
}

/* The stacked RGBA of the fixture: an opaque textured back layer; a band with soft edges
 * whose transparent pixels still carry colour; an empty layer (colour, no coverage); a
 * ground covering the bottom rows, the last ones fully. Variant 1 instead: two bands with a
 * gap between them, a band of 20 rows, and an empty front layer. */
static uint8_t *make_stack(int variant)
{
    uint8_t *rgba = malloc((size_t)LW * LH * 4 * MV_LAYER_COUNT);
    assert_non_null(rgba);
    uint32_t seed = 9;
    for (int l = 0; l < MV_LAYER_COUNT; l++)
        for (int y = 0; y < LH; y++)
            for (int x = 0; x < LW; x++) {
                uint8_t *p = rgba + (((size_t)l * LH + y) * LW + x) * 4;
                p[0] = (uint8_t)(x * 3 + l * 40);
                p[1] = (uint8_t)(y * 5 + (x / 7) * 11);
                p[2] = (uint8_t)(next_random(&seed) & 255U);
                double a = 0;
                if (l == 0)
                    a = 1;
                else if (variant == 1)
                    a = (l == 1 && ((y >= 41 && y < 52) || (y >= 90 && y < 121))) ||
                                (l == 2 && y >= 100 && y < 120)
                            ? fmin(1, 0.1 + x / 300.0)
                            : 0;
                else if (l == 1 && y >= BAND_FIRST && y < BAND_END)
                    a = (y == BAND_FIRST || y == BAND_END - 1) ? 0.3
                                                               : fmin(1, 0.2 + x / 200.0);
                else if (l == 3 && y >= GROUND)
                    a = y >= GROUND + 20 ? 1 : (x % 5) / 4.0;
                p[3] = (uint8_t)lrint(255 * a);
            }
    return rgba;
}

typedef struct fixture {
    char *dir;
    char image[1024];
    char *layers;
} fixture;

static void fixture_make(fixture *fx, int variant)
{
    fx->dir = mv_test_tmpdir("render-layers");
    assert_non_null(fx->dir);
    snprintf(fx->image, sizeof fx->image, "%s/scene_001.png", fx->dir);
    fx->layers = mv_layer_stack_path(fx->image);
    assert_non_null(fx->layers);
    uint8_t *rgba = make_stack(variant);
    assert_int_equal(mv_paint_png_write_rgba(rgba, LW, LH * MV_LAYER_COUNT, fx->layers, NULL),
                     MAIVID_OK);
    free(rgba);
}

static void fixture_open(fixture *fx)
{
    fixture_make(fx, 0);
}

static void fixture_close(fixture *fx)
{
    mv_remove_tree(fx->dir, NULL);
    free(fx->dir);
    free(fx->layers);
}

/* The former conversion of layer i: the decoded stack's rows converted at the full working
 * size (an unscaled layer only its covered rows, whole chroma rows; the rest left 0). */
static void reference_layer(const AVFrame *f, int i, int work_w, int work_h, mv_yuv *pic,
                            mv_yuv *cover, int *shows)
{
    int h = f->height / MV_LAYER_COUNT, y0 = h, y1 = 0;
    const uint8_t *rgba = f->data[0] + (size_t)(i * h) * (size_t)f->linesize[0];
    for (int j = 0; j < h; j++)
        for (int x = 0; x < f->width; x++)
            if (rgba[(size_t)j * f->linesize[0] + 4 * (size_t)x + 3]) {
                y0 = j < y0 ? j : y0;
                y1 = j + 1;
            }
    *shows = i == 0 || y1 > y0;
    if (!*shows)
        return;
    int unscaled = f->width == work_w && h == work_h;
    if (i == 0 || !unscaled) {
        y0 = 0;
        y1 = h;
    } else {
        y0 &= ~1;
        y1 = (y1 + 1) & ~1;
        y1 = y1 > h ? h : y1;
    }
    int band = y1 - y0, dst_band = unscaled ? band : work_h;
    struct SwsContext *sws = sws_getContext(
        f->width, band, AV_PIX_FMT_RGBA, work_w, dst_band,
        i == 0 ? AV_PIX_FMT_YUV420P : AV_PIX_FMT_YUVA420P,
        (unscaled ? SWS_BILINEAR : SWS_LANCZOS) | SWS_ACCURATE_RND, NULL, NULL, NULL);
    assert_non_null(sws);
    sws_setColorspaceDetails(sws, sws_getCoefficients(SWS_CS_ITU601), 1,
                             sws_getCoefficients(SWS_CS_ITU709), 0, 0, 1 << 16, 1 << 16);
    assert_int_equal(mv_yuv_alloc(pic, work_w, work_h), 0);
    assert_int_equal(mv_yuv_alloc(cover, work_w, work_h), 0);
    const uint8_t *src[4] = {rgba + (size_t)y0 * (size_t)f->linesize[0]};
    int src_stride[4] = {f->linesize[0]};
    uint8_t *dst[4];
    int dst_stride[4];
    int at = unscaled ? y0 : 0;
    for (int p = 0; p < 3; p++) {
        dst[p] = pic->plane[p] + (size_t)(p ? at / 2 : at) * pic->stride[p];
        dst_stride[p] = pic->stride[p];
    }
    dst[3] = i == 0 ? NULL : cover->plane[0] + (size_t)at * cover->stride[0];
    dst_stride[3] = i == 0 ? 0 : cover->stride[0];
    assert_true(sws_scale(sws, src, src_stride, 0, band, dst, dst_stride) > 0);
    sws_freeContext(sws);
    for (int j = 0; j < cover->plane_h[1]; j++) /* chroma coverage: 2x2 means */
        for (int x = 0; x < cover->plane_w[1]; x++) {
            const uint8_t *a = cover->plane[0] + (size_t)(2 * j) * cover->stride[0];
            const uint8_t *b = a + cover->stride[0];
            cover->plane[1][(size_t)j * cover->stride[1] + x] =
                (uint8_t)((a[2 * x] + a[2 * x + 1] + b[2 * x] + b[2 * x + 1] + 2) / 4);
        }
}

/* Row j's longest run of fully covered columns in a coverage plane (the first of equal
 * ones); length 0 when none. */
static void longest_full_run(const mv_yuv *cover, int p, int j, int *from, int *length)
{
    const uint8_t *row = cover->plane[p] + (size_t)j * cover->stride[p];
    *from = *length = 0;
    for (int x = 0, start = -1; x <= cover->plane_w[p]; x++) {
        int full = x < cover->plane_w[p] && row[x] == 255;
        if (full && start < 0)
            start = x;
        if (!full && start >= 0) {
            if (x - start > *length) {
                *from = start;
                *length = x - start;
            }
            start = -1;
        }
    }
}

/* The layer's fully covered runs, per row of both coverage planes, against the former
 * conversion's coverage: the sampler draws them without blending. */
static void assert_runs_match(const mv_layer *l, const mv_yuv *cover, int index)
{
    for (int p = 0; p < 2; p++)
        for (int j = 0; j < cover->plane_h[p]; j++) {
            int from, length;
            longest_full_run(cover, p, j, &from, &length);
            int a = l->run[p][2 * j], b = l->run[p][2 * j + 1];
            if (length == 0 ? b > a : (a != from || b != from + length))
                fail_msg("layer %d coverage plane %d row %d: fully covered run [%d, %d), the "
                         "former coverage's [%d, %d)", index, p, j, a, b, from, from + length);
        }
}

/* Layer l of the loaded stack against the former conversion: every row it holds the same,
 * every row it does not hold transparent in the former one, and the same box, solid rows
 * and fully covered runs. */
static void assert_layer_matches(const mv_layer *l, const mv_yuv *pic, const mv_yuv *cover,
                                 int opaque, int index)
{
    int y0 = l->height, y1 = 0, x0 = l->width, x1 = 0, solid = l->height;
    for (int j = 0; j < l->height && !opaque; j++) {
        const uint8_t *row = cover->plane[0] + (size_t)j * cover->stride[0];
        for (int x = 0; x < l->width; x++)
            if (row[x]) {
                y0 = j < y0 ? j : y0;
                y1 = j + 1;
                x0 = x < x0 ? x : x0;
                x1 = x + 1 > x1 ? x + 1 : x1;
            }
    }
    for (int j = l->height - 1; j >= 0 && !opaque && solid == j + 1; j--) {
        const uint8_t *row = cover->plane[0] + (size_t)j * cover->stride[0];
        int full = 1;
        for (int x = 0; x < l->width; x++)
            full = full && row[x] == 255;
        solid = full ? j : solid;
    }
    if (opaque) {
        y0 = x0 = solid = 0;
        y1 = l->height;
        x1 = l->width;
    }
    if (l->x0 != x0 || l->y0 != y0 || l->x1 != x1 || l->y1 != y1 || l->solid_y != solid)
        fail_msg("layer %d: box (%d, %d)-(%d, %d) solid from %d, the former (%d, %d)-(%d, %d) "
                 "solid from %d", index, l->x0, l->y0, l->x1, l->y1, l->solid_y, x0, y0, x1,
                 y1, solid);
    if (!opaque)
        assert_runs_match(l, cover, index);
    for (int p = 0; p < 3; p++) {
        int top = p ? l->top / 2 : l->top, held = l->pic.plane_h[p];
        for (int j = 0; j < pic->plane_h[p]; j++) {
            const uint8_t *want = pic->plane[p] + (size_t)j * pic->stride[p];
            const uint8_t *want_cov = cover->plane[p < 2 ? p : 1] +
                                      (size_t)j * cover->stride[p < 2 ? p : 1];
            if (j < top || j >= top + held) { /* not held: transparent in the former layer */
                for (int x = 0; x < pic->plane_w[p] && !opaque && p < 2; x++)
                    if (want_cov[x])
                        fail_msg("layer %d plane %d: row %d is covered but not held", index, p,
                                 j);
                continue;
            }
            const uint8_t *got = l->pic.plane[p] + (size_t)(j - top) * l->pic.stride[p];
            if (memcmp(got, want, (size_t)pic->plane_w[p]) != 0)
                fail_msg("layer %d plane %d: row %d differs from the former conversion", index,
                         p, j);
            if (p < 2 && !opaque &&
                memcmp(l->cover.plane[p] + (size_t)(j - top) * l->cover.stride[p], want_cov,
                       (size_t)pic->plane_w[p]) != 0)
                fail_msg("layer %d coverage plane %d: row %d differs", index, p, j);
        }
    }
}

static void check_against_former(int work_w, int work_h, int variant)
{
    fixture fx;
    fixture_make(&fx, variant);
    mv_layer_stack stack;
    mv_error err = {0};
    assert_int_equal(mv_layer_stack_load(fx.image, work_w, work_h, &stack, &err), MAIVID_OK);
    assert_int_equal(stack.count, MV_LAYER_COUNT);
    AVFrame *f = av_frame_alloc();
    assert_non_null(f);
    assert_int_equal(mv_scene_image_decode(fx.layers, f, NULL), MAIVID_OK);
    assert_int_equal(f->format, AV_PIX_FMT_RGBA);
    for (int i = 0; i < MV_LAYER_COUNT; i++) {
        const mv_layer *l = &stack.layer[i];
        assert_int_equal(l->width, work_w);
        assert_int_equal(l->height, work_h);
        assert_true(fabs(l->depth - mv_layer_depth(i)) < 1e-12);
        mv_yuv pic = {0}, cover = {0};
        int shows;
        reference_layer(f, i, work_w, work_h, &pic, &cover, &shows);
        if (!shows) { /* the empty layer holds nothing */
            assert_null(l->pic.plane[0]);
            assert_null(l->cover.plane[0]);
            assert_int_equal(l->solid_y, work_h);
            continue;
        }
        assert_non_null(l->pic.plane[0]);
        assert_true(l->top % 2 == 0 && l->top + l->pic.height <= work_h);
        assert_true(i == 0 ? l->cover.plane[0] == NULL : l->cover.plane[0] != NULL);
        assert_layer_matches(l, &pic, &cover, i == 0, i);
        mv_yuv_free(&pic);
        mv_yuv_free(&cover);
    }
    /* the band layer keeps its covered rows and a chroma row of margin, no more */
    const mv_layer *band = &stack.layer[variant == 1 ? 2 : 1];
    int scale_num = work_h, scale_den = LH;
    int first = (variant == 1 ? 100 : BAND_FIRST) * scale_num / scale_den;
    int end = (variant == 1 ? 120 : BAND_END) * scale_num / scale_den;
    assert_true(band->top >= first - 8 && band->top + band->pic.height <= end + 8);
    assert_int_equal(stack.layer[0].pic.height, work_h);
    av_frame_free(&f);
    mv_layer_stack_free(&stack);
    fixture_close(&fx);
}

static void test_unscaled_matches_former(void **state)
{
    (void)state;
    check_against_former(LW, LH, 0);
    check_against_former(LW, LH, 1); /* a gap, a band shorter than the rows redone */
}

static void test_scaled_matches_former(void **state)
{
    (void)state;
    check_against_former(300, 166, 0); /* Lanczos, shrunk */
    check_against_former(468, 260, 0); /* Lanczos, enlarged */
    check_against_former(300, 166, 1);
}

/* A copy of the layer file cut after `keep` bytes. */
static void truncate_copy(const fixture *fx, long keep)
{
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(mv_read_file(fx->layers, &data, &len, NULL), MAIVID_OK);
    assert_true((size_t)keep < len);
    assert_int_equal(mv_write_file_atomic(fx->layers, data, (size_t)keep, NULL), MAIVID_OK);
    free(data);
}

static void expect_error(const fixture *fx, const char *words)
{
    mv_layer_stack stack;
    mv_error err = {0};
    assert_int_equal(mv_layer_stack_load(fx->image, LW, LH, &stack, &err), MAIVID_E_MEDIA);
    if (!strstr(err.message, "scene_001.layers.png") || !strstr(err.message, words) ||
        !strstr(err.message, "delete the file"))
        fail_msg("expected '%s' naming the file, got: %s", words, err.message);
    assert_int_equal(stack.count, 0);
    assert_null(stack.layer[0].pic.plane[0]);
}

static void test_truncated_is_an_error(void **state)
{
    (void)state;
    fixture fx;
    fixture_open(&fx);
    int64_t size = mv_file_size(fx.layers);
    assert_true(size > 1000);
    truncate_copy(&fx, (long)(size * 3 / 4)); /* in the middle of the last layers */
    expect_error(&fx, "the file ends early");
    fixture_close(&fx);
    fixture_open(&fx);
    truncate_copy(&fx, 20); /* inside the header */
    expect_error(&fx, "cannot be read");
    fixture_close(&fx);
    fixture_open(&fx);
    truncate_copy(&fx, 4); /* not even the signature */
    expect_error(&fx, "not a PNG file");
    fixture_close(&fx);
}

/* Writes an interlaced RGBA PNG (Adam7) with libpng. */
static void write_interlaced(const char *path, int w, int h)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    assert_non_null(info);
    uint8_t *rgba = calloc((size_t)w * h, 4);
    png_bytep *rows = malloc(sizeof(png_bytep) * (size_t)h);
    assert_true(rgba && rows);
    for (int j = 0; j < h; j++)
        rows[j] = rgba + (size_t)j * w * 4;
    if (setjmp(png_jmpbuf(png)))
        fail_msg("libpng could not write the interlaced fixture");
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB_ALPHA,
                 PNG_INTERLACE_ADAM7, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    png_write_image(png, rows);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    fclose(f);
    free(rows);
    free(rgba);
}

static void test_wrong_format_is_an_error(void **state)
{
    (void)state;
    fixture fx;
    fixture_open(&fx);
    uint8_t *rgb = calloc((size_t)LW * LH * MV_LAYER_COUNT, 3);
    assert_non_null(rgb);
    assert_int_equal(mv_paint_png_write(rgb, LW, LH * MV_LAYER_COUNT, fx.layers, NULL),
                     MAIVID_OK);
    free(rgb);
    expect_error(&fx, "not an 8-bit RGBA PNG");
    write_interlaced(fx.layers, LW, LH * MV_LAYER_COUNT);
    expect_error(&fx, "interlaced");
    fixture_close(&fx);
}

/* How many scenes the renderer holds after drawing the frame at t. */
static int scenes_held(mv_frame_renderer *r, double t, mv_yuv *frame)
{
    assert_int_equal(mv_frame_renderer_draw(r, t, frame, NULL), MAIVID_OK);
    return (r->cache[0].scene >= 0) + (r->cache[1].scene >= 0);
}

static void test_one_scene_held_between_fades(void **state)
{
    (void)state;
    fixture fx;
    fixture_open(&fx);
    mv_render_scene scenes[3] = {
        {fx.image, 0, 2, "parallax", "fade", 0.5, 1, NULL},
        {fx.image, 2, 4, "parallax", "fade", 0.5, 2, NULL},
        {fx.image, 4, 6, "parallax", "fade", 0.5, 3, NULL},
    };
    mv_render_plan plan = {scenes, 3, "unused.wav", 320, 180, 12, "unused.mp4", NULL,
                           NULL, NULL, 0, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL};
    mv_timeline tl;
    mv_frame_renderer r;
    mv_yuv frame;
    assert_int_equal(mv_timeline_build(&plan, 6, &tl, NULL), MAIVID_OK);
    assert_int_equal(mv_frame_renderer_init(&r, &plan, &tl, NULL), MAIVID_OK);
    assert_int_equal(mv_yuv_alloc(&frame, 320, 180), 0);
    assert_int_equal(scenes_held(&r, 1.0, &frame), 1);
    assert_int_equal(scenes_held(&r, 2.0, &frame), 2); /* the fade: both */
    assert_int_equal(scenes_held(&r, 3.0, &frame), 1); /* after it: the first one went */
    assert_int_equal(r.cache[0].scene >= 0 ? r.cache[0].scene : r.cache[1].scene, 1);
    assert_int_equal(scenes_held(&r, 4.0, &frame), 2);
    assert_int_equal(scenes_held(&r, 5.0, &frame), 1);
    assert_int_equal(scenes_held(&r, 1.0, &frame), 1); /* going back reloads */
    mv_yuv_free(&frame);
    mv_frame_renderer_free(&r);
    mv_timeline_free(&tl);
    fixture_close(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unscaled_matches_former),
        cmocka_unit_test(test_scaled_matches_former),
        cmocka_unit_test(test_truncated_is_an_error),
        cmocka_unit_test(test_wrong_format_is_an_error),
        cmocka_unit_test(test_one_scene_held_between_fades),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
