/*
 * mv_layer_stack.c - reads a scene's depth layers (the painter's scene_NNN.layers.png) into
 * working pictures, layer after layer and a few rows at a time (mv_png_reader.c), never the
 * whole stacked picture nor the file's bytes: each RGBA layer converted once with libswscale
 * into YUV 4:2:0 BT.709 limited range plus its coverage (Lanczos when it must be scaled),
 * and where it covers anything (box, per-row spans, the fully covered rows at the bottom),
 * so the renderer samples only there. A transparent layer keeps in memory only the band of
 * rows around what it covers (mv_layer_stack.h). An unscaled one converts only its covered
 * rows: the rows above the first covered one are read and dropped, the rest are held as
 * RGBA until the last covered one is known (at most one layer's rows). The back layer and
 * layers that must be scaled stream through libswscale in slices.
 */
#include "render/mv_layer_stack.h"

#include <stdlib.h>
#include <string.h>

#include <libavutil/mem.h>
#include <libswscale/swscale.h>

#include "render/mv_png_reader.h"
#include "render/mv_scene_image.h"

#define MV_SLICE_ROWS 16 /* RGBA rows read at a time for a streamed layer */
#define MV_BAND_MARGIN 2 /* luma rows (one chroma row) kept beyond the covered ones */

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
    out->layer[0].width = out->layer[0].x1 = out->layer[0].pic.width;
    out->layer[0].height = out->layer[0].y1 = out->layer[0].pic.height;
    out->layer[0].solid_y = 0;
    out->layer[0].depth = depth;
    out->count = 1;
}

/* The covered columns of each of the n rows of one coverage plane, of which the band holds
 * rows [off, off + its height) (the others cover nothing); returns the first row from which
 * every row down is fully covered. -1 when out of memory. */
static int mv_cover_spans(const mv_yuv *c, int p, int off, int n, int32_t **out)
{
    int w = c->plane_w[p], band = c->plane_h[p];
    int32_t *span = calloc(2 * (size_t)(n + 1), sizeof(int32_t));
    if (!span)
        return -1;
    int solid = n;
    for (int j = n - 1; j >= 0; j--) {
        if (j < off || j >= off + band)
            continue; /* outside the band: nothing covered (calloc's 0, 0) */
        const uint8_t *row = c->plane[p] + (size_t)(j - off) * c->stride[p];
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

/* Chroma-size coverage (2x2 means), spans, box and solid rows of a converted layer band. */
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
    int solid = mv_cover_spans(c, 0, l->top, l->height, &l->span[0]);
    if (solid < 0 || mv_cover_spans(c, 1, l->top / 2, (l->height + 1) / 2, &l->span[1]) < 0)
        return -1;
    l->solid_y = solid;
    l->x0 = l->width;
    l->y0 = l->height;
    l->x1 = l->y1 = 0;
    for (int j = 0; j < l->height; j++) {
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

/* Whether any of n RGBA rows has a pixel that is not fully transparent. */
static int mv_rgba_covered(const uint8_t *rgba, size_t stride, int w, int n)
{
    for (int j = 0; j < n; j++) {
        const uint8_t *row = rgba + (size_t)j * stride;
        for (int i = 0; i < w; i++)
            if (row[4 * i + 3])
                return 1;
    }
    return 0;
}

/* RGBA rows as libswscale likes them: each 64-byte aligned. */
static size_t mv_rgba_stride(int w)
{
    return ((size_t)w * 4 + 63) & ~(size_t)63;
}

/* Makes l's band rows [top, bottom): colour, and coverage unless opaque (zeroed). */
static int mv_band_alloc(mv_layer *l, int top, int bottom, int opaque)
{
    l->top = top;
    if (mv_yuv_alloc(&l->pic, l->width, bottom - top) != 0)
        return -1;
    return opaque ? 0 : mv_yuv_alloc_planes(&l->cover, l->width, bottom - top, 2);
}

/* libswscale's destination for the layer rows from `at` on (even), in l's band. */
static void mv_band_dst(const mv_layer *l, int at, uint8_t *dst[4], int stride[4])
{
    for (int p = 0; p < 3; p++) {
        stride[p] = l->pic.stride[p];
        dst[p] = l->pic.plane[p] + (size_t)(p ? (at - l->top) / 2 : at - l->top) * stride[p];
    }
    stride[3] = l->cover.plane[0] ? l->cover.stride[0] : 0;
    dst[3] = l->cover.plane[0] ? l->cover.plane[0] + (size_t)(at - l->top) * stride[3] : NULL;
}

/* A converter from w x h RGBA to l's width x dst_h (plus coverage unless opaque). */
static struct SwsContext *mv_layer_sws(int w, int h, const mv_layer *l, int dst_h, int opaque)
{
    int unscaled = w == l->width && h == dst_h;
    struct SwsContext *sws = sws_getContext(
        w, h, AV_PIX_FMT_RGBA, l->width, dst_h,
        opaque ? AV_PIX_FMT_YUV420P : AV_PIX_FMT_YUVA420P,
        (unscaled ? SWS_BILINEAR : SWS_LANCZOS) | SWS_ACCURATE_RND, NULL, NULL, NULL);
    if (sws)
        sws_setColorspaceDetails(sws, sws_getCoefficients(SWS_CS_ITU601), 1,
                                 sws_getCoefficients(SWS_CS_ITU709), 0, 0, 1 << 16, 1 << 16);
    return sws;
}

/* Keeps only the band of a whole converted transparent layer around its box. */
static int mv_band_crop(mv_layer *l)
{
    if (l->y1 <= l->y0) { /* nothing left after scaling: no planes at all */
        mv_yuv_free(&l->pic);
        mv_yuv_free(&l->cover);
        return 0;
    }
    int top = (l->y0 & ~1) - MV_BAND_MARGIN, bottom = ((l->y1 + 1) & ~1) + MV_BAND_MARGIN;
    top = top < 0 ? 0 : top;
    bottom = bottom > l->height ? l->height : bottom;
    mv_yuv pic = l->pic, cover = l->cover;
    memset(&l->pic, 0, sizeof l->pic);
    memset(&l->cover, 0, sizeof l->cover);
    int rc = mv_band_alloc(l, top, bottom, 0);
    for (int p = 0; rc == 0 && p < 3; p++) {
        int from = p ? top / 2 : top;
        for (int j = 0; j < l->pic.plane_h[p]; j++) {
            memcpy(l->pic.plane[p] + (size_t)j * l->pic.stride[p],
                   pic.plane[p] + (size_t)(from + j) * pic.stride[p], (size_t)pic.plane_w[p]);
            if (p < 2)
                memcpy(l->cover.plane[p] + (size_t)j * l->cover.stride[p],
                       cover.plane[p] + (size_t)(from + j) * cover.stride[p],
                       (size_t)cover.plane_w[p]);
        }
    }
    mv_yuv_free(&pic);
    mv_yuv_free(&cover);
    return rc;
}

/* The next h rows of the file (a w-wide layer) streamed through libswscale, a slice at a
 * time, into the whole of l: the opaque back layer, and any layer that must be scaled (its
 * band cut out afterwards). */
static maivid_code mv_layer_stream(mv_png_reader *rd, int w, int h, mv_layer *l, int opaque,
                                   mv_error *why)
{
    size_t stride = mv_rgba_stride(w);
    uint8_t *rows = av_malloc(stride * MV_SLICE_ROWS);
    struct SwsContext *sws = mv_layer_sws(w, h, l, l->height, opaque);
    maivid_code rc = MAIVID_OK;
    if (!rows || !sws || mv_band_alloc(l, 0, l->height, opaque) != 0)
        rc = mv_fail(why, MAIVID_E_NOMEM, "out of memory");
    uint8_t *dst[4];
    int dst_stride[4], made = 0, any = opaque;
    if (rc == MAIVID_OK)
        mv_band_dst(l, 0, dst, dst_stride);
    for (int y = 0; rc == MAIVID_OK && y < h; y += MV_SLICE_ROWS) {
        int n = h - y < MV_SLICE_ROWS ? h - y : MV_SLICE_ROWS;
        rc = mv_png_reader_rows(rd, rows, stride, n, why);
        if (rc != MAIVID_OK)
            break;
        any = any || mv_rgba_covered(rows, stride, w, n);
        const uint8_t *src[4] = {rows};
        const int src_stride[4] = {(int)stride};
        int out = sws_scale(sws, src, src_stride, y, n, dst, dst_stride);
        if (out < 0)
            rc = mv_fail(why, MAIVID_E_MEDIA, "the layer could not be converted");
        made += out > 0 ? out : 0;
    }
    if (rc == MAIVID_OK && made != l->height)
        rc = mv_fail(why, MAIVID_E_MEDIA, "the layer could not be converted");
    sws_freeContext(sws);
    av_free(rows);
    if (rc != MAIVID_OK)
        return rc;
    if (opaque) { /* the back layer covers everything */
        l->x0 = l->y0 = l->solid_y = 0;
        l->x1 = l->width;
        l->y1 = l->height;
        return MAIVID_OK;
    }
    if (!any) { /* shows nothing: no planes at all */
        mv_yuv_free(&l->pic);
        mv_yuv_free(&l->cover);
        l->solid_y = l->height;
        return MAIVID_OK;
    }
    if (mv_cover_finish(l) != 0 || mv_band_crop(l) != 0)
        return mv_fail(why, MAIVID_E_NOMEM, "out of memory");
    return MAIVID_OK;
}

/* The next rows of the file: an unscaled transparent layer (l's size). Rows are read two at
 * a time (a chroma row) and dropped until one covers anything; from there on they are held
 * as RGBA, and once the last covered row is known only the covered chroma rows are
 * converted, into l's band. */
static maivid_code mv_layer_band(mv_png_reader *rd, mv_layer *l, mv_error *why)
{
    int w = l->width, h = l->height, y0 = 0, n = 0;
    size_t stride = mv_rgba_stride(w);
    uint8_t *pair = av_malloc(2 * stride), *held = NULL;
    if (!pair)
        return mv_fail(why, MAIVID_E_NOMEM, "out of memory");
    maivid_code rc = MAIVID_OK;
    for (y0 = 0; y0 < h; y0 += 2) {
        n = h - y0 < 2 ? h - y0 : 2;
        rc = mv_png_reader_rows(rd, pair, stride, n, why);
        if (rc != MAIVID_OK || mv_rgba_covered(pair, stride, w, n))
            break;
    }
    if (rc == MAIVID_OK && y0 < h) {
        held = av_malloc((size_t)(h - y0) * stride);
        if (held) {
            memcpy(held, pair, (size_t)n * stride);
            rc = mv_png_reader_rows(rd, held + (size_t)n * stride, stride, h - y0 - n, why);
        } else {
            rc = mv_fail(why, MAIVID_E_NOMEM, "out of memory");
        }
    }
    av_free(pair);
    if (rc != MAIVID_OK || y0 >= h) {
        av_free(held);
        l->solid_y = h; /* shows nothing (when rc is OK): no planes at all */
        return rc;
    }
    int y1 = h; /* one past the last covered row, then whole chroma rows */
    while (y1 > y0 && !mv_rgba_covered(held + (size_t)(y1 - 1 - y0) * stride, stride, w, 1))
        y1--;
    y1 = (y1 + 1) & ~1;
    y1 = y1 > h ? h : y1;
    int top = y0 - MV_BAND_MARGIN < 0 ? 0 : y0 - MV_BAND_MARGIN;
    int bottom = y1 + MV_BAND_MARGIN > h ? h : y1 + MV_BAND_MARGIN;
    struct SwsContext *sws = mv_layer_sws(w, y1 - y0, l, y1 - y0, 0);
    if (!sws || mv_band_alloc(l, top, bottom, 0) != 0) {
        rc = mv_fail(why, MAIVID_E_NOMEM, "out of memory");
    } else {
        uint8_t *dst[4];
        int dst_stride[4];
        mv_band_dst(l, y0, dst, dst_stride);
        const uint8_t *src[4] = {held};
        const int src_stride[4] = {(int)stride};
        if (sws_scale(sws, src, src_stride, 0, y1 - y0, dst, dst_stride) <= 0)
            rc = mv_fail(why, MAIVID_E_MEDIA, "the layer could not be converted");
        else if (mv_cover_finish(l) != 0)
            rc = mv_fail(why, MAIVID_E_NOMEM, "out of memory");
    }
    sws_freeContext(sws);
    av_free(held);
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
    mv_error why = {0};
    mv_png_reader *rd = NULL;
    maivid_code rc = mv_png_reader_open(&rd, path, &why);
    if (rc == MAIVID_E_NOMEM)
        rc = mv_fail(err, rc, "out of memory for the depth layers of %s", image_path);
    else if (rc != MAIVID_OK)
        rc = mv_fail(err, MAIVID_E_MEDIA, "the depth layers %s cannot be read (%s): delete "
                     "the file to render the flat picture", path, why.message);
    const mv_png_header *hd = rc == MAIVID_OK ? mv_png_reader_header(rd) : NULL;
    if (hd && (hd->channels != 4 || hd->bit_depth != 8))
        rc = mv_fail(err, MAIVID_E_MEDIA, "the depth layers %s are not an 8-bit RGBA PNG: "
                     "delete the file to render the flat picture", path);
    else if (hd && hd->interlaced)
        rc = mv_fail(err, MAIVID_E_MEDIA, "the depth layers %s are an interlaced PNG (the "
                     "painter never writes one): delete the file to render the flat picture",
                     path);
    else if (hd && (hd->height % MV_LAYER_COUNT != 0 || hd->height / MV_LAYER_COUNT < 2 ||
                    hd->width < 2))
        rc = mv_fail(err, MAIVID_E_MEDIA, "the depth layers %s are not %d pictures stacked "
                     "(%dx%d): delete the file to render the flat picture", path,
                     MV_LAYER_COUNT, hd->width, hd->height);
    for (int i = 0; rc == MAIVID_OK && i < MV_LAYER_COUNT; i++) {
        int w = hd->width, h = hd->height / MV_LAYER_COUNT;
        mv_layer *l = &out->layer[i];
        l->width = work_w;
        l->height = work_h;
        l->depth = mv_layer_depth(i);
        out->count = i + 1;
        rc = i == 0 || w != work_w || h != work_h ? mv_layer_stream(rd, w, h, l, i == 0, &why)
                                                  : mv_layer_band(rd, l, &why);
        if (rc == MAIVID_E_NOMEM)
            rc = mv_fail(err, rc, "out of memory for the depth layers of %s", image_path);
        else if (rc != MAIVID_OK)
            rc = mv_fail(err, MAIVID_E_MEDIA, "the depth layers %s are damaged (%s): delete "
                         "the file to render the flat picture", path, why.message);
    }
    mv_png_reader_close(rd);
    free(path);
    if (rc != MAIVID_OK)
        mv_layer_stack_free(out);
    return rc;
}
