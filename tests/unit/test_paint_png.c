/*
 * test_paint_png.c - the painter's PNG output: the file decodes with libavcodec's PNG decoder
 * to the requested size and exactly the painted pixels (PNG is lossless), no temporary file
 * is left beside it, an existing file is replaced whole, and a path that cannot be written or
 * a bad size fails without leaving a file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>

#include "mv_test_util.h"
#include "paint/mv_paint.h"

/* Decodes a PNG file into a malloc'd packed RGB24 buffer; returns NULL on failure. */
static uint8_t *decode_png(const char *path, int *width, int *height)
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
    if (frame->format != AV_PIX_FMT_RGB24)
        goto done;
    *width = frame->width;
    *height = frame->height;
    rgb = malloc((size_t)frame->width * (size_t)frame->height * 3);
    for (int y = 0; rgb && y < frame->height; y++)
        memcpy(rgb + (size_t)y * (size_t)frame->width * 3, frame->data[0] + (size_t)y * (size_t)frame->linesize[0],
               (size_t)frame->width * 3);
done:
    pkt->data = NULL;
    pkt->size = 0;
    av_packet_free(&pkt);
    av_frame_free(&frame);
    avcodec_free_context(&ctx);
    free(data);
    return rgb;
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_decodes_to_painted_pixels),
        cmocka_unit_test(test_png_failures_leave_no_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
