/*
 * mv_layer_stack.c - reads a scene's depth layers (the painter's scene_NNN.layers.png) into
 * working pictures, layer after layer and a few rows at a time (mv_png_reader.c), never the
 * whole stacked picture nor the file's bytes: each RGBA layer converted once with libswscale
 * into YUV 4:2:0 BT.709 limited range plus its coverage (Lanczos when it must be scaled),
 * and where it covers anything (box, per-row spans, the fully covered rows at the bottom),
 * so the renderer samples only there. A transparent layer keeps in memory only the band of
 * rows around what it covers (mv_layer_stack.h). Every layer streams through libswscale in
 * slices; an unscaled transparent one converts exactly its covered rows, redoing its last
 * few once it is known where they end (see mv_layer_band).
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
    for (int p = 0; p < 2; p++) {
        free(l->span[p]);
        free(l->run[p]);
    }
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

/* The longest run of fully covered (255) columns of a row within [first, last); an empty
 * run (0, 0) when none is. */
static void mv_cover_run(const uint8_t *row, int first, int last, int32_t *run)
{
    run[0] = run[1] = 0;
    for (int i = first; i < last;) {
        if (row[i] != 255) {
            i++;
            continue;
        }
        int start = i;
        while (i < last && row[i] == 255)
            i++;
        if (i - start > run[1] - run[0]) {
            run[0] = start;
            run[1] = i;
        }
    }
}

/* The covered columns of each of the n rows of one coverage plane, and the longest run of
 * fully covered ones, of which the band holds rows [off, off + its height) (the others cover
 * nothing); returns the first row from which every row down is fully covered. -1 when out of
 * memory. */
static int mv_cover_spans(const mv_yuv *c, int p, int off, int n, int32_t **out_span,
                          int32_t **out_run)
{
    int w = c->plane_w[p], band = c->plane_h[p];
    int32_t *span = calloc(2 * (size_t)(n + 1), sizeof(int32_t));
    int32_t *run = calloc(2 * (size_t)(n + 1), sizeof(int32_t));
    if (!span || !run) {
        free(span);
        free(run);
        return -1;
    }
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
        mv_cover_run(row, first, last, run + 2 * j);
        if (solid == j + 1 && run[2 * j] == 0 && run[2 * j + 1] == w)
            solid = j;
    }
    *out_span = span;
    *out_run = run;
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
    int solid = mv_cover_spans(c, 0, l->top, l->height, &l->span[0], &l->run[0]);
    if (solid < 0 ||
        mv_cover_spans(c, 1, l->top / 2, (l->height + 1) / 2, &l->span[1], &l->run[1]) < 0)
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

/* Copies the layer rows [from, to) (from even) of colour and coverage from band src to band
 * dst, which both hold them. */
static void mv_band_copy(mv_layer *dst, const mv_layer *src, int from, int to)
{
    for (int p = 0; p < 3; p++) {
        int a = p ? from / 2 : from, b = p ? (to + 1) / 2 : to;
        int ds = p ? dst->top / 2 : dst->top, ss = p ? src->top / 2 : src->top;
        for (int j = a; j < b; j++) {
            memcpy(dst->pic.plane[p] + (size_t)(j - ds) * dst->pic.stride[p],
                   src->pic.plane[p] + (size_t)(j - ss) * src->pic.stride[p],
                   (size_t)src->pic.plane_w[p]);
            if (p < 2)
                memcpy(dst->cover.plane[p] + (size_t)(j - ds) * dst->cover.stride[p],
                       src->cover.plane[p] + (size_t)(j - ss) * src->cover.stride[p],
                       (size_t)src->cover.plane_w[p]);
        }
    }
}

/* Moves l to a band of rows [top, bottom) (top even) that keeps l's rows [top, keep_end);
 * the rest of the new band is transparent black. */
static int mv_band_keep(mv_layer *l, int top, int bottom, int keep_end)
{
    mv_layer old = *l;
    memset(&l->pic, 0, sizeof l->pic);
    memset(&l->cover, 0, sizeof l->cover);
    int rc = mv_band_alloc(l, top, bottom, 0);
    if (rc == 0)
        mv_band_copy(l, &old, top, keep_end);
    mv_yuv_free(&old.pic);
    mv_yuv_free(&old.cover);
    return rc;
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
    return mv_band_keep(l, top, bottom, bottom);
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

/* Rows [from, to) of RGBA (`stride` apart, from even) converted as a band of their own into
 * l's band, whose rows [from + skip, to) they replace. */
static int mv_band_convert(const uint8_t *rgba, size_t stride, int from, int to, int skip,
                           mv_layer *l)
{
    mv_layer part = {.width = l->width, .height = l->height};
    struct SwsContext *sws = mv_layer_sws(l->width, to - from, l, to - from, 0);
    int rc = -1;
    if (sws && mv_band_alloc(&part, from, to, 0) == 0) {
        uint8_t *dst[4];
        int dst_stride[4];
        mv_band_dst(&part, from, dst, dst_stride);
        const uint8_t *src[4] = {rgba};
        const int src_stride[4] = {(int)stride};
        if (sws_scale(sws, src, src_stride, 0, to - from, dst, dst_stride) > 0) {
            mv_band_copy(l, &part, from + skip, to);
            rc = 0;
        }
    }
    sws_freeContext(sws);
    mv_yuv_free(&part.pic);
    mv_yuv_free(&part.cover);
    return rc;
}

/* The next rows of the file: an unscaled transparent layer (l's size), converted as the
 * former code did, the rows [y0, y1) from its first covered chroma row to its last, as one
 * band. Rows are read two at a time (a chroma row) and dropped until one covers anything;
 * from there on they stream through libswscale in slices into l, as if the band ran to the
 * bottom. libswscale's vertical chroma filter reaches only a few rows, so that conversion is
 * exact except for the last MV_EDGE_ROWS rows before y1 when the layer ends higher up: those
 * are converted again from the RGBA rows kept from where the coverage last stopped, and the
 * band is cut there. The RGBA rows in memory: a ring of MV_RING_ROWS and its copy. */
#define MV_EDGE_ROWS 16                   /* even, well past the chroma filter's reach */
#define MV_RING_ROWS (3 * MV_SLICE_ROWS) /* >= 2 * MV_EDGE_ROWS + 2, whole slices */
static maivid_code mv_layer_band(mv_png_reader *rd, mv_layer *l, mv_error *why)
{
    int w = l->width, h = l->height, y0 = 0, n = 0;
    size_t stride = mv_rgba_stride(w);
    uint8_t *ring = av_malloc(MV_RING_ROWS * stride), *kept = av_malloc(MV_RING_ROWS * stride);
    struct SwsContext *sws = NULL;
    maivid_code rc = ring && kept ? MAIVID_OK : mv_fail(why, MAIVID_E_NOMEM, "out of memory");
    for (y0 = 0; rc == MAIVID_OK && y0 < h; y0 += 2) {
        n = h - y0 < 2 ? h - y0 : 2;
        rc = mv_png_reader_rows(rd, ring, stride, n, why);
        if (rc == MAIVID_OK && mv_rgba_covered(ring, stride, w, n))
            break;
    }
    if (rc == MAIVID_OK && y0 < h) {
        sws = mv_layer_sws(w, h - y0, l, h - y0, 0);
        int top = y0 - MV_BAND_MARGIN < 0 ? 0 : y0 - MV_BAND_MARGIN;
        if (!sws || mv_band_alloc(l, top, h, 0) != 0)
            rc = mv_fail(why, MAIVID_E_NOMEM, "out of memory");
    }
    int last = -1, was = 0, fed = y0;
    uint8_t *dst[4];
    int dst_stride[4];
    if (rc == MAIVID_OK && y0 < h)
        mv_band_dst(l, y0, dst, dst_stride);
    for (int r = y0; rc == MAIVID_OK && r < h; r++) { /* ring row k holds rows y0 + k mod R */
        uint8_t *row = ring + (size_t)((r - y0) % MV_RING_ROWS) * stride;
        if (r >= y0 + n)
            rc = mv_png_reader_rows(rd, row, stride, 1, why);
        if (rc != MAIVID_OK)
            break;
        int covered = mv_rgba_covered(row, stride, w, 1);
        if (!covered && was) /* the coverage stops: keep the rows before it */
            memcpy(kept, ring, MV_RING_ROWS * stride);
        last = covered ? r : last;
        was = covered;
        if ((r + 1 - y0) % MV_SLICE_ROWS && r + 1 < h)
            continue;
        const uint8_t *src[4] = {ring + (size_t)((fed - y0) % MV_RING_ROWS) * stride};
        const int src_stride[4] = {(int)stride};
        if (sws_scale(sws, src, src_stride, fed - y0, r + 1 - fed, dst, dst_stride) < 0)
            rc = mv_fail(why, MAIVID_E_MEDIA, "the layer could not be converted");
        fed = r + 1;
    }
    int y1 = (last + 2) & ~1; /* one past the last covered row, in whole chroma rows */
    y1 = y1 > h ? h : y1;
    if (rc == MAIVID_OK && y0 < h && y1 < h) { /* the band ends higher up: redo its end */
        int from = y1 - 2 * MV_EDGE_ROWS < y0 ? y0 : y1 - 2 * MV_EDGE_ROWS;
        for (int q = from; q < y1; q++) /* kept: the ring as it was at row last + 1 */
            memcpy(ring + (size_t)(q - from) * stride,
                   kept + (size_t)((q - y0) % MV_RING_ROWS) * stride, stride);
        int bottom = y1 + MV_BAND_MARGIN > h ? h : y1 + MV_BAND_MARGIN;
        if (mv_band_convert(ring, stride, from, y1, from == y0 ? 0 : MV_EDGE_ROWS, l) != 0 ||
            mv_band_keep(l, l->top, bottom, y1) != 0)
            rc = mv_fail(why, MAIVID_E_NOMEM, "out of memory");
    }
    sws_freeContext(sws);
    av_free(ring);
    av_free(kept);
    if (rc != MAIVID_OK || y0 >= h) {
        l->solid_y = h; /* shows nothing (when rc is OK): no planes at all */
        return rc;
    }
    return mv_cover_finish(l) == 0 ? MAIVID_OK : mv_fail(why, MAIVID_E_NOMEM, "out of memory");
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
