/*
 * test_paint_png.c - the painter's PNG output: the file decodes with libavcodec's PNG decoder
 * to the requested size and exactly the painted pixels (PNG is lossless), no temporary file
 * is left beside it, an existing file is replaced whole, and a path that cannot be written or
 * a bad size fails without leaving a file. The libpng writer (issue 15): RGB and RGBA
 * pictures (odd sizes, every byte value, the stacked depth layers' height) decode to exactly
 * the buffer written; a folder that cannot be written and a full disk (a file size limit)
 * leave nothing at the final path nor beside it and say which path and what to do.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>

#include "mv_test_util.h"
#include "paint/mv_paint_internal.h"
#include "render/mv_layer_stack.h"

/* Decodes a PNG file into a malloc'd packed buffer of `channels` (3: RGB24, 4: RGBA) bytes a
 * pixel; returns NULL on failure or another pixel format. */
static uint8_t *decode_png_as(const char *path, int channels, int *width, int *height)
{
    char *data = NULL;
    size_t len = 0;
    mv_error err;
    if (mv_read_file(path, &data, &len, &err) != MAIVID_OK)
        return NULL;
    const AVCodec *codec = avcodec_find_decoder(AV_CODEC_ID_PNG);
    AVCodecContext *ctx = avcodec_alloc_context3(codec);
    AVPacket *pkt = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    uint8_t *rgb = NULL;
    if (!ctx || !pkt || !frame || avcodec_open2(ctx, codec, NULL) < 0)
        goto done;
    pkt->data = (uint8_t *)data;
    pkt->size = (int)len;
    if (avcodec_send_packet(ctx, pkt) < 0 || avcodec_receive_frame(ctx, frame) < 0)
        goto done;
    if (frame->format != (channels == 4 ? AV_PIX_FMT_RGBA : AV_PIX_FMT_RGB24))
        goto done;
    *width = frame->width;
    *height = frame->height;
    size_t stride = (size_t)frame->width * (size_t)channels;
    rgb = malloc(stride * (size_t)frame->height);
    for (int y = 0; rgb && y < frame->height; y++)
        memcpy(rgb + (size_t)y * stride, frame->data[0] + (size_t)y * (size_t)frame->linesize[0],
               stride);
done:
    pkt->data = NULL;
    pkt->size = 0;
    av_packet_free(&pkt);
    av_frame_free(&frame);
    avcodec_free_context(&ctx);
    free(data);
    return rgb;
}

static uint8_t *decode_png(const char *path, int *width, int *height)
{
    return decode_png_as(path, 3, width, height);
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void test_png_decodes_to_painted_pixels(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("paint-png");
    assert_non_null(dir);
    char *path = mv_strdup_printf("%s/scene.png", dir);
    mv_paint_request req = {"a lonely figure by the sea at sunset, gold", "cinematic", 77, 333, 187};
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_paint_to_png(&req, path, &err), MAIVID_OK);
    assert_int_equal(count_entries(dir), 1); /* no temporary file left */

    int w = 0, h = 0;
    uint8_t *decoded = decode_png(path, &w, &h);
    assert_non_null(decoded);
    assert_int_equal(w, 333);
    assert_int_equal(h, 187);
    uint8_t *painted = NULL;
    assert_int_equal(mv_paint_rgb(&req, &painted, &err), MAIVID_OK);
    assert_memory_equal(decoded, painted, (size_t)w * h * 3);
    free(decoded);
    free(painted);

    /* writing again over the file replaces it whole (another size) */
    req.width = 160;
    req.height = 90;
    assert_int_equal(mv_paint_to_png(&req, path, &err), MAIVID_OK);
    decoded = decode_png(path, &w, &h);
    assert_non_null(decoded);
    assert_int_equal(w, 160);
    assert_int_equal(h, 90);
    free(decoded);
    assert_int_equal(count_entries(dir), 1);

    mv_error e2;
    mv_remove_tree(dir, &e2);
    free(path);
    free(dir);
}

static void test_png_failures_leave_no_file(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("paint-png-bad");
    assert_non_null(dir);
    mv_error err;
    mv_error_clear(&err);
    /* a folder that does not exist */
    char *missing = mv_strdup_printf("%s/no/such/dir/scene.png", dir);
    mv_paint_request req = {"mountains", "anime", 1, 64, 36};
    assert_int_equal(mv_paint_to_png(&req, missing, &err), MAIVID_E_IO);
    assert_true(strlen(err.message) > 0);
    /* a bad size */
    char *path = mv_strdup_printf("%s/scene.png", dir);
    mv_paint_request bad = {"mountains", "anime", 1, 0, 36};
    assert_int_equal(mv_paint_to_png(&bad, path, &err), MAIVID_E_INVALID);
    assert_false(mv_file_exists(path));
    /* no path */
    assert_int_equal(mv_paint_to_png(&req, NULL, &err), MAIVID_E_INVALID);
    assert_int_equal(mv_paint_to_png(&req, "", &err), MAIVID_E_INVALID);
    assert_int_equal(count_entries(dir), 0);
    mv_error e2;
    mv_remove_tree(dir, &e2);
    free(missing);
    free(path);
    free(dir);
}

/* A pattern that uses every byte value and differs between neighbours and channels. */
static uint8_t *pattern(int w, int h, int channels)
{
    size_t n = (size_t)w * (size_t)h * (size_t)channels;
    uint8_t *p = malloc(n);
    assert_non_null(p);
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        p[i] = (i / (size_t)channels) % 7 == 0 ? (uint8_t)(x >> 16) : (uint8_t)(i * 31 / 7);
    }
    return p;
}

static void test_writer_round_trip_rgb_and_rgba(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("paint-png-trip");
    assert_non_null(dir);
    char *path = mv_strdup_printf("%s/p.png", dir);
    static const int sizes[][2] = {{1, 1}, {37, 5}, {333, 187 * MV_LAYER_COUNT}};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (int channels = 3; channels <= 4; channels++) {
            int w = sizes[s][0], h = sizes[s][1];
            uint8_t *px = pattern(w, h, channels);
            mv_error err;
            mv_error_clear(&err);
            maivid_code rc = channels == 4 ? mv_paint_png_write_rgba(px, w, h, path, &err)
                                           : mv_paint_png_write(px, w, h, path, &err);
            assert_int_equal(rc, MAIVID_OK);
            assert_int_equal(count_entries(dir), 1);
            int dw = 0, dh = 0;
            uint8_t *back = decode_png_as(path, channels, &dw, &dh);
            assert_non_null(back);
            assert_int_equal(dw, w);
            assert_int_equal(dh, h);
            assert_memory_equal(back, px, (size_t)w * h * channels);
            free(back);
            free(px);
        }
    mv_remove_tree(dir, NULL);
    free(path);
    free(dir);
}

/* The painter's own files: the layers PNG decodes to the stack mv_paint_layers_rgba paints. */
static void test_layers_file_is_the_painted_stack(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("paint-png-layers");
    assert_non_null(dir);
    char *path = mv_strdup_printf("%s/scene_001.png", dir);
    char *layers = mv_layer_stack_path(path);
    mv_paint_request req = {"a lighthouse on the rocks over the sea at dusk", "comic", 9, 250,
                            141};
    assert_int_equal(mv_paint_to_png_layers(&req, path, layers, NULL), MAIVID_OK);
    assert_int_equal(count_entries(dir), 2);
    uint8_t *flat = NULL, *stack = NULL;
    assert_int_equal(mv_paint_layers_rgba(&req, &flat, &stack, NULL), MAIVID_OK);
    int w = 0, h = 0;
    uint8_t *back = decode_png_as(layers, 4, &w, &h);
    assert_non_null(back);
    assert_int_equal(w, 250);
    assert_int_equal(h, 141 * MV_LAYER_COUNT);
    assert_memory_equal(back, stack, (size_t)w * h * 4);
    free(back);
    back = decode_png(path, &w, &h);
    assert_non_null(back);
    assert_memory_equal(back, flat, (size_t)250 * 141 * 3);
    free(back);
    free(flat);
    free(stack);
    mv_remove_tree(dir, NULL);
    free(layers);
    free(path);
    free(dir);
}

static void test_writer_failures_leave_nothing(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("paint-png-fail");
    assert_non_null(dir);
    mv_paint_request req = {"mountains at sunset", "anime", 3, 320, 180};
    mv_error err;

    /* a folder that cannot be written (a file stands where the folder should be; the tests
     * may run as root, who may write anywhere else) */
    char *blocker = mv_strdup_printf("%s/blocker", dir);
    assert_int_equal(mv_write_file_atomic(blocker, "x", 1, NULL), MAIVID_OK);
    char *path = mv_strdup_printf("%s/scene.png", blocker);
    char *layers = mv_layer_stack_path(path);
    mv_error_clear(&err);
    assert_int_equal(mv_paint_to_png_layers(&req, path, layers, &err), MAIVID_E_IO);
    fprintf(stderr, "unwritable folder: %s\n", err.message);
    assert_non_null(strstr(err.message, layers)); /* names the file */
    assert_non_null(strstr(err.message, "writ"));  /* and what to check */
    assert_int_equal(count_entries(dir), 1);       /* the blocker alone */

    /* a full disk: a file size limit makes the writes fail part-way (EFBIG) */
    char *ok_path = mv_strdup_printf("%s/scene_002.png", dir);
    char *ok_layers = mv_layer_stack_path(ok_path);
    struct rlimit old, small = {64 * 1024, 0};
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    small.rlim_max = old.rlim_max;
    void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    mv_error_clear(&err);
    maivid_code rc = mv_paint_to_png_layers(&req, ok_path, ok_layers, &err);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, was);
    assert_int_equal(rc, MAIVID_E_IO);
    fprintf(stderr, "full disk: %s\n", err.message);
    assert_non_null(strstr(err.message, ok_layers));
    assert_non_null(strstr(err.message, "disk"));
    assert_false(mv_file_exists(ok_layers));
    assert_false(mv_file_exists(ok_path));
    assert_int_equal(count_entries(dir), 1); /* no temp file either */

    /* the same request paints fine without the limit */
    assert_int_equal(mv_paint_to_png_layers(&req, ok_path, ok_layers, NULL), MAIVID_OK);
    assert_int_equal(count_entries(dir), 3);
    mv_remove_tree(dir, NULL);
    free(ok_path);
    free(ok_layers);
    free(blocker);
    free(path);
    free(layers);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_decodes_to_painted_pixels),
        cmocka_unit_test(test_png_failures_leave_no_file),
        cmocka_unit_test(test_writer_round_trip_rgb_and_rgba),
        cmocka_unit_test(test_layers_file_is_the_painted_stack),
        cmocka_unit_test(test_writer_failures_leave_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
