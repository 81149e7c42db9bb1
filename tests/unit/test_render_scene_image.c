/*
 * test_render_scene_image.c - a scene's still picture is decoded once, straight from its
 * first packet (no avformat_find_stream_info for a still): PNG and JPEG pictures come out
 * at their own size and colours, cover-fitted to the working size; a missing, empty, text
 * or truncated file is a clear error naming the file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>

#include "mv_test_util.h"
#include "paint/mv_paint_internal.h"
#include "render/mv_render_thumbnail.h"
#include "render/mv_scene_image.h"

#define PW 200
#define PH 120

typedef struct fixture {
    char *dir;
    char png[1024], jpeg[1024], bad[1024];
} fixture;

/* A PNG half red (left), half blue, and the same picture as a JPEG. */
static void fixture_open(fixture *fx)
{
    fx->dir = mv_test_tmpdir("render-scene-image");
    assert_non_null(fx->dir);
    snprintf(fx->png, sizeof fx->png, "%s/scene_001.png", fx->dir);
    snprintf(fx->jpeg, sizeof fx->jpeg, "%s/scene_002.jpg", fx->dir);
    snprintf(fx->bad, sizeof fx->bad, "%s/scene_003.png", fx->dir);
    uint8_t *rgb = malloc((size_t)PW * PH * 3);
    assert_non_null(rgb);
    for (int y = 0; y < PH; y++)
        for (int x = 0; x < PW; x++) {
            uint8_t *p = rgb + ((size_t)y * PW + x) * 3;
            p[0] = x < PW / 2 ? 220 : 20;
            p[1] = 30;
            p[2] = x < PW / 2 ? 20 : 220;
        }
    assert_int_equal(mv_paint_png_write(rgb, PW, PH, fx->png, NULL), MAIVID_OK);
    free(rgb);
    mv_yuv pic;
    assert_int_equal(mv_scene_image_load(fx->png, PW, PH, &pic, NULL), MAIVID_OK);
    assert_int_equal(mv_render_write_thumbnail(&pic, fx->jpeg, NULL), MAIVID_OK);
    mv_yuv_free(&pic);
}

static void fixture_close(fixture *fx)
{
    mv_remove_tree(fx->dir, NULL);
    free(fx->dir);
}

static void test_pictures_decode(void **state)
{
    (void)state;
    fixture fx;
    fixture_open(&fx);
    AVFrame *f = av_frame_alloc();
    assert_non_null(f);
    assert_int_equal(mv_scene_image_decode(fx.png, f, NULL), MAIVID_OK);
    assert_int_equal(f->width, PW);
    assert_int_equal(f->height, PH);
    assert_int_equal(f->format, AV_PIX_FMT_RGB24);
    av_frame_unref(f);
    assert_int_equal(mv_scene_image_decode(fx.jpeg, f, NULL), MAIVID_OK);
    assert_int_equal(f->width, PW);
    assert_int_equal(f->height, PH);
    av_frame_free(&f);
    /* cover fit into a square: the centre kept, red on the left, blue on the right */
    const char *paths[] = {fx.png, fx.jpeg};
    for (int k = 0; k < 2; k++) {
        mv_yuv pic;
        assert_int_equal(mv_scene_image_load(paths[k], 64, 64, &pic, NULL), MAIVID_OK);
        assert_int_equal(pic.width, 64);
        const uint8_t *v = pic.plane[2] + (size_t)16 * pic.stride[2];
        const uint8_t *u = pic.plane[1] + (size_t)16 * pic.stride[1];
        assert_true(v[2] > 170 && u[2] < 128);   /* red: V high */
        assert_true(u[29] > 170 && v[29] < 128); /* blue: U high */
        mv_yuv_free(&pic);
    }
    fixture_close(&fx);
}

static void expect_error(const char *path, const char *words)
{
    mv_yuv pic;
    mv_error err = {0};
    assert_int_equal(mv_scene_image_load(path, 64, 64, &pic, &err), MAIVID_E_MEDIA);
    if (!strstr(err.message, path) || !strstr(err.message, words))
        fail_msg("expected '%s' naming %s, got: %s", words, path, err.message);
}

static void test_unreadable_files_are_errors(void **state)
{
    (void)state;
    fixture fx;
    fixture_open(&fx);
    expect_error("/nonexistent/scene_009.png", "cannot be opened");
    assert_int_equal(mv_write_file_atomic(fx.bad, "", 0, NULL), MAIVID_OK);
    expect_error(fx.bad, "scene image");
    assert_int_equal(mv_write_file_atomic(fx.bad, "not a picture at all", 20, NULL), MAIVID_OK);
    expect_error(fx.bad, "scene image");
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(mv_read_file(fx.png, &data, &len, NULL), MAIVID_OK);
    assert_int_equal(mv_write_file_atomic(fx.bad, data, len / 2, NULL), MAIVID_OK);
    free(data);
    expect_error(fx.bad, "scene image");
    fixture_close(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pictures_decode),
        cmocka_unit_test(test_unreadable_files_are_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
