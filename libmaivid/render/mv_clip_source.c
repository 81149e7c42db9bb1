/*
 * mv_clip_source.c - streaming clip playback for the renderer (mv_clip_source.h):
 * libavformat/libavcodec decode forward one frame at a time, libswscale crops (cover fit)
 * and scales each frame once into the working size; the picture at an instant is the
 * weighted blend of the decoded frames before and after it. A chain of clips plays as one:
 * each clip after the first starts from the last frame of the one before, so its first frame
 * is dropped and its frames follow on in time.
 */
#include "render/mv_clip_source.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>

#include "render/mv_scene_image.h"

typedef struct mv_clip_frame {
    mv_yuv picture;
    double time; /* seconds after the clip's first frame; < 0: empty */
} mv_clip_frame;

struct mv_clip_source {
    char **paths;      /* the chain, in order */
    size_t count;
    double *seg_last;  /* per clip: time of its last frame after its first */
    size_t seg;        /* the clip being decoded */
    double seg_offset; /* time of the current clip's first frame in the chain */
    long seg_decoded;  /* frames decoded from the current clip */
    char *path;        /* = paths[seg] */
    int work_w, work_h;
    AVFormatContext *fmt;
    AVCodecContext *dec;
    AVPacket *pkt;
    AVFrame *frame;
    int stream;
    AVRational time_base;
    int64_t first_pts;
    long decoded;      /* frames decoded since the start */
    int eof;
    double last;       /* time of the last frame */
    double length;     /* frames x frame duration */
    mv_clip_frame a, b; /* a: at or before the asked time, b: the next one */
    mv_yuv blend;
};

double mv_clip_time(double u, double span, double length)
{
    if (u < 0)
        u = 0;
    if (u > 1)
        u = 1;
    if (!(length > 0))
        return 0;
    if (span >= length)
        return u * length; /* slowed down evenly over the whole span */
    return (length - span) / 2 + u * span; /* its middle part at its own speed */
}

static void mv_clip_decoder_close(mv_clip_source *c)
{
    avcodec_free_context(&c->dec);
    avformat_close_input(&c->fmt);
}

/* Opens clip `seg` of the chain for decoding from its start. */
static maivid_code mv_clip_segment_open(mv_clip_source *c, size_t seg, mv_error *err)
{
    mv_clip_decoder_close(c);
    c->seg = seg;
    c->path = c->paths[seg];
    c->seg_decoded = 0;
    c->eof = 0;
    c->first_pts = AV_NOPTS_VALUE;
    if (avformat_open_input(&c->fmt, c->path, NULL, NULL) < 0 ||
        avformat_find_stream_info(c->fmt, NULL) < 0)
        return mv_fail(err, MAIVID_E_MEDIA, "the scene clip %s cannot be opened: make the "
                       "scene again or remove the clip to use the still", c->path);
    c->stream = av_find_best_stream(c->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    const AVCodec *codec = c->stream >= 0
        ? avcodec_find_decoder(c->fmt->streams[c->stream]->codecpar->codec_id) : NULL;
    c->dec = codec ? avcodec_alloc_context3(codec) : NULL;
    if (!c->dec ||
        avcodec_parameters_to_context(c->dec, c->fmt->streams[c->stream]->codecpar) < 0 ||
        avcodec_open2(c->dec, codec, NULL) < 0)
        return mv_fail(err, MAIVID_E_MEDIA, "the scene clip %s has no video this build can "
                       "decode: make the scene again or remove the clip", c->path);
    c->time_base = c->fmt->streams[c->stream]->time_base;
    return MAIVID_OK;
}

/* Back to the chain's first frame. */
static maivid_code mv_clip_decoder_open(mv_clip_source *c, mv_error *err)
{
    c->decoded = 0;
    c->seg_offset = 0;
    c->a.time = c->b.time = -1;
    return mv_clip_segment_open(c, 0, err);
}

/* Cover-fits and scales the decoded frame into dst. */
static int mv_clip_scale(mv_clip_source *c, AVFrame *f, mv_yuv *dst)
{
    double src_aspect = (double)f->width / f->height;
    double dst_aspect = (double)c->work_w / c->work_h;
    if (src_aspect > dst_aspect) {
        int cut = f->width - (int)(f->height * dst_aspect + 0.5);
        f->crop_left = (size_t)(cut / 2);
        f->crop_right = (size_t)(cut - cut / 2);
    } else if (src_aspect < dst_aspect) {
        int cut = f->height - (int)(f->width / dst_aspect + 0.5);
        f->crop_top = (size_t)(cut / 2);
        f->crop_bottom = (size_t)(cut - cut / 2);
    }
    if (av_frame_apply_cropping(f, AV_FRAME_CROP_UNALIGNED) < 0)
        return -1;
    enum AVPixelFormat fmt = (enum AVPixelFormat)f->format;
    int full = f->color_range == AVCOL_RANGE_JPEG || fmt == AV_PIX_FMT_YUVJ420P ||
               fmt == AV_PIX_FMT_YUVJ444P || fmt == AV_PIX_FMT_YUVJ422P;
    if (fmt == AV_PIX_FMT_YUVJ420P)
        fmt = AV_PIX_FMT_YUV420P;
    else if (fmt == AV_PIX_FMT_YUVJ422P)
        fmt = AV_PIX_FMT_YUV422P;
    else if (fmt == AV_PIX_FMT_YUVJ444P)
        fmt = AV_PIX_FMT_YUV444P;
    struct SwsContext *sws = sws_getContext(f->width, f->height, fmt, c->work_w, c->work_h,
                                            AV_PIX_FMT_YUV420P, SWS_BICUBIC, NULL, NULL, NULL);
    if (!sws)
        return -1;
    int src_cs = f->colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709 : SWS_CS_ITU601;
    sws_setColorspaceDetails(sws, sws_getCoefficients(src_cs), full,
                             sws_getCoefficients(SWS_CS_ITU709), 0, 0, 1 << 16, 1 << 16);
    int h = sws_scale(sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height,
                      dst->plane, dst->stride);
    sws_freeContext(sws);
    return h > 0 ? 0 : -1;
}

/* Decodes the next frame of the chain into *into. 1: a frame, 0: the chain ended, -1:
 * failed. */
static int mv_clip_next(mv_clip_source *c, mv_clip_frame *into)
{
    for (;;) {
        int ret = avcodec_receive_frame(c->dec, c->frame);
        if (ret == 0) {
            int64_t pts = c->frame->best_effort_timestamp;
            if (c->first_pts == AV_NOPTS_VALUE && pts != AV_NOPTS_VALUE)
                c->first_pts = pts;
            double local = pts != AV_NOPTS_VALUE && c->first_pts != AV_NOPTS_VALUE
                               ? (double)(pts - c->first_pts) * av_q2d(c->time_base)
                               : (double)c->seg_decoded / 24.0;
            if (c->seg > 0 && c->seg_decoded++ == 0) {
                av_frame_unref(c->frame); /* the previous clip's last frame again */
                continue;
            }
            if (c->seg == 0)
                c->seg_decoded++;
            into->time = c->seg_offset + local;
            c->decoded++;
            int ok = mv_clip_scale(c, c->frame, &into->picture);
            av_frame_unref(c->frame);
            return ok == 0 ? 1 : -1;
        }
        if (ret != AVERROR(EAGAIN) || c->eof) {
            if (c->seg + 1 >= c->count)
                return 0;
            c->seg_offset += c->seg_last[c->seg]; /* on into the next clip of the chain */
            mv_error ignored;
            if (mv_clip_segment_open(c, c->seg + 1, &ignored) != MAIVID_OK)
                return -1;
            continue;
        }
        if (av_read_frame(c->fmt, c->pkt) < 0) {
            c->eof = 1;
            avcodec_send_packet(c->dec, NULL);
            continue;
        }
        if (c->pkt->stream_index == c->stream)
            avcodec_send_packet(c->dec, c->pkt);
        av_packet_unref(c->pkt);
    }
}

/* Reads clip `seg`'s packets once for its frame count and the time of its last frame
 * (pts of damaged or variable-rate clips are only known once read). */
static maivid_code mv_clip_scan(mv_clip_source *c, size_t seg, long *frames, mv_error *err)
{
    maivid_code rc = mv_clip_segment_open(c, seg, err);
    int64_t first = AV_NOPTS_VALUE, last = AV_NOPTS_VALUE;
    *frames = 0;
    while (rc == MAIVID_OK && av_read_frame(c->fmt, c->pkt) >= 0) {
        if (c->pkt->stream_index == c->stream) {
            (*frames)++;
            int64_t pts = c->pkt->pts != AV_NOPTS_VALUE ? c->pkt->pts : c->pkt->dts;
            if (pts != AV_NOPTS_VALUE && (first == AV_NOPTS_VALUE || pts < first))
                first = pts;
            if (pts != AV_NOPTS_VALUE && (last == AV_NOPTS_VALUE || pts > last))
                last = pts;
        }
        av_packet_unref(c->pkt);
    }
    if (rc == MAIVID_OK && *frames == 0)
        rc = mv_fail(err, MAIVID_E_MEDIA, "the scene clip %s holds no frames: make the scene "
                     "again or remove the clip to use the still", c->path);
    if (rc == MAIVID_OK)
        c->seg_last[seg] = last != AV_NOPTS_VALUE && first != AV_NOPTS_VALUE
                               ? (double)(last - first) * av_q2d(c->time_base)
                               : (double)(*frames - 1) / 24.0;
    return rc;
}

maivid_code mv_clip_source_open(const char *const *paths, size_t count, int work_w, int work_h,
                                mv_clip_source **out, mv_error *err)
{
    *out = NULL;
    mv_render_quiet_ffmpeg_logs();
    mv_clip_source *c = calloc(1, sizeof *c);
    if (!c)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory opening a scene clip");
    c->work_w = work_w;
    c->work_h = work_h;
    c->paths = calloc(count ? count : 1, sizeof *c->paths);
    c->seg_last = calloc(count ? count : 1, sizeof *c->seg_last);
    int ok = c->paths && c->seg_last && count > 0;
    for (size_t i = 0; ok && i < count; i++)
        ok = (c->paths[c->count++] = mv_strdup(paths[i])) != NULL;
    c->pkt = av_packet_alloc();
    c->frame = av_frame_alloc();
    if (!ok || !c->pkt || !c->frame || mv_yuv_alloc(&c->a.picture, work_w, work_h) ||
        mv_yuv_alloc(&c->b.picture, work_w, work_h) || mv_yuv_alloc(&c->blend, work_w, work_h)) {
        mv_clip_source_close(c);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for a %dx%d scene clip", work_w,
                       work_h);
    }
    /* One pass over every clip to learn where the chain's last frame is, then back to the
     * start. A chained clip's first frame repeats the one before it and is not counted. */
    maivid_code rc = MAIVID_OK;
    long total = 0;
    for (size_t i = 0; rc == MAIVID_OK && i < count; i++) {
        long frames = 0;
        rc = mv_clip_scan(c, i, &frames, err);
        total += i == 0 ? frames : frames - 1;
        c->last += c->seg_last[i];
    }
    if (rc == MAIVID_OK) {
        c->length = total > 1 ? c->last * (double)total / (double)(total - 1) : 0;
        rc = mv_clip_decoder_open(c, err);
    }
    if (rc != MAIVID_OK) {
        mv_clip_source_close(c);
        return rc;
    }
    *out = c;
    return MAIVID_OK;
}

void mv_clip_source_close(mv_clip_source *c)
{
    if (!c)
        return;
    mv_clip_decoder_close(c);
    av_packet_free(&c->pkt);
    av_frame_free(&c->frame);
    mv_yuv_free(&c->a.picture);
    mv_yuv_free(&c->b.picture);
    mv_yuv_free(&c->blend);
    for (size_t i = 0; i < c->count; i++)
        free(c->paths[i]);
    free(c->paths);
    free(c->seg_last);
    free(c);
}

double mv_clip_source_length(const mv_clip_source *c)
{
    return c->length;
}

static void mv_clip_mix(const mv_yuv *a, const mv_yuv *b, int wb, mv_yuv *out)
{
    int wa = 256 - wb;
    for (int p = 0; p < 3; p++)
        for (int j = 0; j < out->plane_h[p]; j++) {
            const uint8_t *ra = a->plane[p] + (size_t)j * a->stride[p];
            const uint8_t *rb = b->plane[p] + (size_t)j * b->stride[p];
            uint8_t *ro = out->plane[p] + (size_t)j * out->stride[p];
            for (int i = 0; i < out->plane_w[p]; i++)
                ro[i] = (uint8_t)((ra[i] * wa + rb[i] * wb + 128) >> 8);
        }
}

static void mv_swap(mv_clip_frame *x, mv_clip_frame *y)
{
    mv_clip_frame t = *x;
    *x = *y;
    *y = t;
}

maivid_code mv_clip_source_picture(mv_clip_source *c, double u, double span, const mv_yuv **out,
                                   mv_error *err)
{
    double s = mv_clip_time(u, span, c->length);
    if (s > c->last)
        s = c->last; /* the last frame's own duration */
    if (c->a.time >= 0 && s + 1e-9 < c->a.time) { /* backwards: from the start again */
        maivid_code rc = mv_clip_decoder_open(c, err);
        if (rc != MAIVID_OK)
            return rc;
    }
    if (c->a.time < 0) {
        int got = mv_clip_next(c, &c->a);
        if (got <= 0)
            return mv_fail(err, MAIVID_E_MEDIA, "the scene clip %s stopped decoding: make the "
                           "scene again or remove the clip", c->path);
        c->b.time = -1;
    }
    for (;;) {
        if (c->b.time < 0) {
            int got = mv_clip_next(c, &c->b);
            if (got < 0)
                return mv_fail(err, MAIVID_E_MEDIA, "the scene clip %s stopped decoding: make "
                               "the scene again or remove the clip", c->path);
            if (got == 0)
                break; /* past the last frame: a holds it */
        }
        if (c->b.time > s + 1e-9)
            break;
        mv_swap(&c->a, &c->b);
        c->b.time = -1;
    }
    if (c->b.time < 0 || !(c->b.time > c->a.time)) {
        *out = &c->a.picture;
        return MAIVID_OK;
    }
    int wb = (int)lrint((s - c->a.time) / (c->b.time - c->a.time) * 256.0);
    if (wb <= 0) {
        *out = &c->a.picture;
        return MAIVID_OK;
    }
    if (wb >= 256) {
        *out = &c->b.picture;
        return MAIVID_OK;
    }
    mv_clip_mix(&c->a.picture, &c->b.picture, wb, &c->blend);
    *out = &c->blend;
    return MAIVID_OK;
}
