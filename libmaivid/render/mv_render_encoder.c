/*
 * mv_render_encoder.c - opens a catalog video encoder with the render engine's settings
 * (quality on the encoder's own scale, keyframes, BT.709 colour, global headers), uploads
 * frames for VAAPI, and drives any encoder's send/receive loop.
 */
#include "render/mv_render_encoder.h"

#include <string.h>

#include <libavutil/hwcontext.h>
#include <libavutil/opt.h>

#include "render/mv_video_encoders.h"

static void mv_encoder_common(AVCodecContext *enc, int width, int height, int fps, int keyint)
{
    enc->width = width;
    enc->height = height;
    enc->pix_fmt = AV_PIX_FMT_YUV420P;
    enc->time_base = (AVRational){1, fps};
    enc->framerate = (AVRational){fps, 1};
    enc->sample_aspect_ratio = (AVRational){1, 1};
    enc->gop_size = keyint;
    enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    enc->color_range = AVCOL_RANGE_MPEG;
    enc->colorspace = AVCOL_SPC_BT709;
    enc->color_primaries = AVCOL_PRI_BT709;
    enc->color_trc = AVCOL_TRC_BT709;
    enc->thread_count = 0;
}

static void mv_encoder_options(AVCodecContext *enc, const mv_video_encoder_kind *k)
{
    void *priv = enc->priv_data;
    if (k->preset)
        av_opt_set(priv, "preset", k->preset, 0);
    av_opt_set(priv, k->quality_option, k->quality_value, 0);
    av_opt_set(priv, "forced-idr", "1", 0); /* a forced I-frame starts a segment: IDR */
    if (strcmp(k->entry.id, "libx264") == 0) {
        av_opt_set(priv, "profile", "high", 0);
        av_opt_set(priv, "x264-params", MV_RENDER_X264_PARAMS, 0);
    } else if (strcmp(k->entry.id, "libx265") == 0) {
        av_opt_set(priv, "x265-params", "log-level=error", 0);
        enc->codec_tag = MKTAG('h', 'v', 'c', '1'); /* plays in QuickTime and Safari too */
    } else if (strstr(k->entry.id, "nvenc")) {
        av_opt_set(priv, "rc", "vbr", 0);
        enc->bit_rate = 0;
    }
}

/* VAAPI: a device, a pool of NV12 surfaces the encoder reads, and a frame to convert into. */
static int mv_encoder_vaapi(mv_video_encoder *e, mv_error *err)
{
    AVCodecContext *enc = e->ctx;
    AVBufferRef *device = NULL;
    int ret = av_hwdevice_ctx_create(&device, AV_HWDEVICE_TYPE_VAAPI, NULL, NULL, 0);
    if (ret < 0) {
        mv_fail(err, MAIVID_E_RENDER, "no VAAPI device could be opened (%s): a machine with "
                "a VAAPI driver and /dev/dri/renderD128 is needed", av_err2str(ret));
        return -1;
    }
    AVBufferRef *frames = av_hwframe_ctx_alloc(device);
    av_buffer_unref(&device);
    if (!frames)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the VAAPI frames"), -1;
    AVHWFramesContext *fc = (AVHWFramesContext *)frames->data;
    fc->format = AV_PIX_FMT_VAAPI;
    fc->sw_format = AV_PIX_FMT_NV12;
    fc->width = enc->width;
    fc->height = enc->height;
    fc->initial_pool_size = 20;
    if ((ret = av_hwframe_ctx_init(frames)) < 0) {
        av_buffer_unref(&frames);
        mv_fail(err, MAIVID_E_RENDER, "the VAAPI device refused %dx%d NV12 frames (%s)",
                enc->width, enc->height, av_err2str(ret));
        return -1;
    }
    enc->pix_fmt = AV_PIX_FMT_VAAPI;
    enc->hw_frames_ctx = frames; /* the encoder owns the reference now */
    e->hw_frame = av_frame_alloc();
    e->nv12 = av_frame_alloc();
    if (!e->hw_frame || !e->nv12)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the VAAPI frames"), -1;
    e->nv12->format = AV_PIX_FMT_NV12;
    e->nv12->width = enc->width;
    e->nv12->height = enc->height;
    if (av_frame_get_buffer(e->nv12, 0) < 0)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the VAAPI frames"), -1;
    return 0;
}

maivid_code mv_video_encoder_open(mv_video_encoder *e, const char *id, int width, int height,
                                  int fps, int keyint, mv_error *err)
{
    memset(e, 0, sizeof *e);
    const mv_video_encoder_kind *k = mv_video_encoder_find(id ? id : MV_RENDER_DEFAULT_ENCODER);
    if (!k)
        return mv_fail(err, MAIVID_E_INVALID, "unknown video encoder '%s'", id);
    const AVCodec *codec = avcodec_find_encoder_by_name(k->entry.id);
    if (!codec)
        return mv_fail(err, MAIVID_E_RENDER, "this FFmpeg build has no %s encoder: install "
                       "Debian's libavcodec59 (it has libx264, libx265, libsvtav1, NVENC and "
                       "VAAPI)", k->entry.id);
    e->id = k->entry.id;
    e->ctx = avcodec_alloc_context3(codec);
    if (!e->ctx)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the video encoder");
    mv_encoder_common(e->ctx, width, height, fps, keyint);
    mv_encoder_options(e->ctx, k);
    if (k->vaapi && mv_encoder_vaapi(e, err) != 0) {
        mv_video_encoder_close(e);
        return err ? err->code : MAIVID_E_RENDER;
    }
    int ret = avcodec_open2(e->ctx, codec, NULL);
    if (ret < 0) {
        mv_video_encoder_close(e);
        return mv_fail(err, MAIVID_E_RENDER, "the %s encoder cannot be opened for %dx%d at %d "
                       "fps here (%s)%s", k->entry.id, width, height, fps, av_err2str(ret),
                       strstr(k->entry.id, "nvenc") ? ": it needs an NVIDIA GPU with its driver "
                       "(libcuda, libnvidia-encode)" : "");
    }
    return MAIVID_OK;
}

/* VAAPI: yuv420p -> NV12 in memory, then onto a device surface. */
static int mv_encoder_upload(mv_video_encoder *e, const AVFrame *frame)
{
    AVFrame *nv = e->nv12;
    if (av_frame_make_writable(nv) < 0)
        return -1;
    for (int y = 0; y < frame->height; y++)
        memcpy(nv->data[0] + (size_t)y * nv->linesize[0],
               frame->data[0] + (size_t)y * frame->linesize[0], (size_t)frame->width);
    for (int y = 0; y < frame->height / 2; y++) {
        uint8_t *dst = nv->data[1] + (size_t)y * nv->linesize[1];
        const uint8_t *u = frame->data[1] + (size_t)y * frame->linesize[1];
        const uint8_t *v = frame->data[2] + (size_t)y * frame->linesize[2];
        for (int x = 0; x < frame->width / 2; x++) {
            dst[2 * x] = u[x];
            dst[2 * x + 1] = v[x];
        }
    }
    av_frame_unref(e->hw_frame);
    if (av_hwframe_get_buffer(e->ctx->hw_frames_ctx, e->hw_frame, 0) < 0 ||
        av_hwframe_transfer_data(e->hw_frame, nv, 0) < 0)
        return -1;
    e->hw_frame->pts = frame->pts;
    e->hw_frame->pict_type = frame->pict_type;
    return 0;
}

maivid_code mv_video_encoder_send(mv_video_encoder *e, AVFrame *frame, AVPacket *pkt,
                                  mv_packet_sink sink, void *user, mv_error *err)
{
    if (frame && e->hw_frame) {
        if (mv_encoder_upload(e, frame) != 0)
            return mv_fail(err, MAIVID_E_RENDER, "uploading a frame to the VAAPI device "
                           "failed: retry, or choose encoder libx264");
        frame = e->hw_frame;
    }
    return mv_encoder_push(e->ctx, frame, pkt, sink, user, err);
}

void mv_video_encoder_close(mv_video_encoder *e)
{
    avcodec_free_context(&e->ctx);
    av_frame_free(&e->hw_frame);
    av_frame_free(&e->nv12);
}

static maivid_code mv_drop_packet(void *user, AVPacket *pkt, mv_error *err)
{
    (void)user;
    (void)pkt;
    (void)err;
    return MAIVID_OK;
}

void mv_video_encoder_close_unused(mv_video_encoder *e)
{
    AVPacket *pkt = av_packet_alloc();
    AVFrame *black = av_frame_alloc();
    if (pkt && black && e->ctx) {
        black->format = AV_PIX_FMT_YUV420P;
        black->width = e->ctx->width;
        black->height = e->ctx->height;
        if (av_frame_get_buffer(black, 0) == 0) {
            for (int p = 0; p < 3; p++)
                memset(black->data[p], p ? 128 : 16,
                       (size_t)black->linesize[p] * (p ? (black->height + 1) / 2 : black->height));
            black->pts = 0;
            if (mv_video_encoder_send(e, black, pkt, mv_drop_packet, NULL, NULL) == MAIVID_OK)
                mv_video_encoder_send(e, NULL, pkt, mv_drop_packet, NULL, NULL);
        }
    }
    av_frame_free(&black);
    av_packet_free(&pkt);
    mv_video_encoder_close(e);
}

AVFrame *mv_frame_wrap(const mv_yuv *picture)
{
    AVFrame *f = av_frame_alloc();
    if (!f)
        return NULL;
    f->format = AV_PIX_FMT_YUV420P;
    f->width = picture->width;
    f->height = picture->height;
    for (int p = 0; p < 3; p++) {
        f->data[p] = picture->plane[p];
        f->linesize[p] = picture->stride[p];
    }
    return f;
}

maivid_code mv_encoder_push(AVCodecContext *enc, const AVFrame *frame, AVPacket *pkt,
                            mv_packet_sink sink, void *user, mv_error *err)
{
    int ret = avcodec_send_frame(enc, frame);
    if (ret < 0)
        return mv_fail(err, MAIVID_E_RENDER, "the %s encoder failed (%s): retry the render; "
                       "if it fails again, report it", enc->codec->name, av_err2str(ret));
    for (;;) {
        ret = avcodec_receive_packet(enc, pkt);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return MAIVID_OK;
        if (ret < 0)
            return mv_fail(err, MAIVID_E_RENDER, "the %s encoder failed (%s): retry the "
                           "render; if it fails again, report it", enc->codec->name,
                           av_err2str(ret));
        maivid_code rc = sink(user, pkt, err);
        av_packet_unref(pkt);
        if (rc != MAIVID_OK)
            return rc;
    }
}
