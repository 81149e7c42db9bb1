/*
 * mv_layer_stack.c - reads a scene's depth layers (the painter's scene_NNN.layers.png) into
 * working pictures: each RGBA layer converted once with libswscale into YUV 4:2:0 BT.709
 * limited range plus its coverage (only the rows it covers; Lanczos when it must be scaled),
 * and where it covers anything (box, per-row spans, the fully covered rows at the bottom),
 * so the renderer samples only there.
 */
#include "render/mv_layer_stack.h"

#include <stdlib.h>
#include <string.h>

#include <libavutil/frame.h>
#include <libswscale/swscale.h>

#include "render/mv_scene_image.h"

char *mv_layer_stack_path(const char *image_path)
{
    if (!image_path)
        return NULL;
    size_t n = strlen(image_path);
    const char *dot = strrchr(image_path, '.'), *slash = strrchr(image_path, '/');
    if (dot && (!slash || dot > slash))
        n = (size_t)(dot - image_path);
    return mv_strdup_printf("%.*s.layers.png", (int)n, image_path);
}

static void mv_layer_free(mv_layer *l)
{
    mv_yuv_free(&l->pic);
    mv_yuv_free(&l->cover);
    free(l->span[0]);
    free(l->span[1]);
    memset(l, 0, sizeof *l);
}

void mv_layer_stack_free(mv_layer_stack *s)
{
    for (int i = 0; i < MV_LAYER_COUNT; i++)
        mv_layer_free(&s->layer[i]);
    memset(s, 0, sizeof *s);
}

void mv_layer_stack_single(mv_layer_stack *out, mv_yuv *pic, double depth)
{
    memset(out, 0, sizeof *out);
    out->layer[0].pic = *pic;
    memset(pic, 0, sizeof *pic);
    out->layer[0].x1 = out->layer[0].pic.width;
    out->layer[0].y1 = out->layer[0].pic.height;
    out->layer[0].solid_y = 0;
    out->layer[0].depth = depth;
    out->count = 1;
}

/* The covered columns of each row of one coverage plane; returns the first row from which
 * every row down is fully covered. -1 when out of memory. */
static int mv_cover_spans(const mv_yuv *c, int p, int32_t **out)
{
    int w = c->plane_w[p], h = c->plane_h[p];
    int32_t *span = malloc(sizeof(int32_t) * 2 * (size_t)(h + 1));
    if (!span)
        return -1;
    int solid = h;
    for (int j = h - 1; j >= 0; j--) {
        const uint8_t *row = c->plane[p] + (size_t)j * c->stride[p];
        int first = 0, last = w;
        while (first < w && !row[first])
            first++;
        while (last > first && !row[last - 1])
            last--;
        span[2 * j] = first;
        span[2 * j + 1] = last;
        if (solid == j + 1) {
            int full = 1;
            for (int i = 0; i < w && full; i++)
                full = row[i] == 255;
            if (full)
                solid = j;
        }
    }
    *out = span;
    return solid;
}

/* Chroma-size coverage (2x2 means), spans, box and solid rows of a converted layer. */
static int mv_cover_finish(mv_layer *l)
{
    mv_yuv *c = &l->cover;
    for (int j = 0; j < c->plane_h[1]; j++) {
        const uint8_t *a = c->plane[0] + (size_t)(2 * j) * c->stride[0];
        const uint8_t *b = 2 * j + 1 < c->height ? a + c->stride[0] : a;
        uint8_t *o = c->plane[1] + (size_t)j * c->stride[1];
        for (int i = 0; i < c->plane_w[1]; i++) {
            int i1 = 2 * i + 1 < c->width ? 2 * i + 1 : 2 * i;
            o[i] = (uint8_t)((a[2 * i] + a[i1] + b[2 * i] + b[i1] + 2) / 4);
        }
    }
    int solid = mv_cover_spans(c, 0, &l->span[0]);
    if (solid < 0 || mv_cover_spans(c, 1, &l->span[1]) < 0)
        return -1;
    l->solid_y = solid;
    l->x0 = c->width;
    l->y0 = c->height;
    l->x1 = l->y1 = 0;
    for (int j = 0; j < c->height; j++) {
        int first = l->span[0][2 * j], last = l->span[0][2 * j + 1];
        if (last <= first)
            continue;
        l->x0 = first < l->x0 ? first : l->x0;
        l->x1 = last > l->x1 ? last : l->x1;
        l->y0 = j < l->y0 ? j : l->y0;
        l->y1 = j + 1;
    }
    return 0;
}

/* The rows [*y0, *y1) of an RGBA picture with any coverage; 0 when none. */
static int mv_rgba_rows(const uint8_t *rgba, int stride, int w, int h, int *y0, int *y1)
{
    *y0 = h;
    *y1 = 0;
    for (int j = 0; j < h; j++) {
        const uint8_t *row = rgba + (size_t)j * (size_t)stride;
        for (int i = 0; i < w; i++)
            if (row[4 * i + 3]) {
                *y0 = j < *y0 ? j : *y0;
                *y1 = j + 1;
                break;
            }
    }
    return *y1 > *y0;
}

/* Converts rows [top, top + h) of the RGBA frame into layer l at work_w x work_h. The back
 * layer (opaque) keeps no coverage. An unscaled layer converts only its covered rows. */
static int mv_layer_scale(const AVFrame *f, int top, int h, int work_w, int work_h, mv_layer *l,
                          int opaque)
{
    const uint8_t *rgba = f->data[0] + (size_t)top * (size_t)f->linesize[0];
    int y0 = 0, y1 = h;
    if (!opaque && !mv_rgba_rows(rgba, f->linesize[0], f->width, h, &y0, &y1)) {
        l->solid_y = work_h; /* shows nothing: no planes at all */
        return 0;
    }
    int unscaled = f->width == work_w && h == work_h;
    if (unscaled) { /* whole chroma rows */
        y0 &= ~1;
        y1 = (y1 + 1) & ~1;
        y1 = y1 > h ? h : y1;
    } else {
        y0 = 0;
        y1 = h;
    }
    int band = y1 - y0, dst_band = unscaled ? band : work_h;
    struct SwsContext *sws = sws_getContext(
        f->width, band, AV_PIX_FMT_RGBA, work_w, dst_band,
        opaque ? AV_PIX_FMT_YUV420P : AV_PIX_FMT_YUVA420P,
        (unscaled ? SWS_BILINEAR : SWS_LANCZOS) | SWS_ACCURATE_RND, NULL, NULL, NULL);
    if (!sws)
        return -1;
    sws_setColorspaceDetails(sws, sws_getCoefficients(SWS_CS_ITU601), 1,
                             sws_getCoefficients(SWS_CS_ITU709), 0, 0, 1 << 16, 1 << 16);
    int rc = -1;
    if (mv_yuv_alloc(&l->pic, work_w, work_h) == 0 &&
        (opaque || mv_yuv_alloc(&l->cover, work_w, work_h) == 0)) {
        const uint8_t *src[4] = {rgba + (size_t)y0 * (size_t)f->linesize[0]};
        int src_stride[4] = {f->linesize[0]};
        uint8_t *dst[4];
        int dst_stride[4];
        for (int p = 0; p < 3; p++) {
            dst[p] = l->pic.plane[p] + (size_t)(p ? y0 / 2 : y0) * l->pic.stride[p];
            dst_stride[p] = l->pic.stride[p];
        }
        dst[3] = opaque ? NULL : l->cover.plane[0] + (size_t)y0 * l->cover.stride[0];
        dst_stride[3] = opaque ? 0 : l->cover.stride[0];
        rc = sws_scale(sws, src, src_stride, 0, band, dst, dst_stride) > 0 ? 0 : -1;
    }
    sws_freeContext(sws);
    if (rc == 0 && opaque) { /* the back layer covers everything */
        l->x0 = l->y0 = l->solid_y = 0;
        l->x1 = work_w;
        l->y1 = work_h;
    } else if (rc == 0) {
        rc = mv_cover_finish(l);
    }
    return rc;
}

maivid_code mv_layer_stack_load(const char *image_path, int work_w, int work_h,
                                mv_layer_stack *out, mv_error *err)
{
    memset(out, 0, sizeof *out);
    char *path = mv_layer_stack_path(image_path);
    if (!path)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    if (!mv_file_exists(path)) {
        free(path);
        return mv_fail(err, MAIVID_E_NOT_FOUND, "the scene has no depth layers");
    }
    mv_render_quiet_ffmpeg_logs();
    AVFrame *frame = av_frame_alloc();
    maivid_code rc = frame ? mv_scene_image_decode(path, frame, err)
                           : mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    if (rc == MAIVID_OK && frame->format != AV_PIX_FMT_RGBA)
        rc = mv_fail(err, MAIVID_E_MEDIA, "the depth layers %s are not an 8-bit RGBA PNG: "
                     "delete the file to render the flat picture", path);
    if (rc == MAIVID_OK && (frame->height % MV_LAYER_COUNT != 0 ||
                            frame->height / MV_LAYER_COUNT < 2))
        rc = mv_fail(err, MAIVID_E_MEDIA, "the depth layers %s are not %d pictures stacked "
                     "(height %d): delete the file to render the flat picture", path,
                     MV_LAYER_COUNT, frame->height);
    for (int i = 0; rc == MAIVID_OK && i < MV_LAYER_COUNT; i++) {
        int h = frame->height / MV_LAYER_COUNT;
        out->layer[i].depth = mv_layer_depth(i);
        out->count = i + 1;
        if (mv_layer_scale(frame, i * h, h, work_w, work_h, &out->layer[i], i == 0) != 0)
            rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory for the depth layers of %s",
                         image_path);
    }
    av_frame_free(&frame);
    free(path);
    if (rc != MAIVID_OK)
        mv_layer_stack_free(out);
    return rc;
}
