/*
 * mv_render_encoder.c - opens the H.264 encoder with the render engine's settings and drives
 * any encoder's send/receive loop.
 */
#include "render/mv_render_encoder.h"

#include <libavutil/opt.h>

AVCodecContext *mv_video_encoder_open(int width, int height, int fps, mv_error *err)
{
    const AVCodec *codec = avcodec_find_encoder_by_name("libx264");
    if (!codec) {
        mv_fail(err, MAIVID_E_RENDER, "this FFmpeg build has no libx264 encoder: install "
                "libavcodec with libx264 (Debian: libavcodec59 from the main archive)");
        return NULL;
    }
    AVCodecContext *enc = avcodec_alloc_context3(codec);
    if (!enc) {
        mv_fail(err, MAIVID_E_NOMEM, "out of memory for the video encoder");
        return NULL;
    }
    enc->width = width;
    enc->height = height;
    enc->pix_fmt = AV_PIX_FMT_YUV420P;
    enc->time_base = (AVRational){1, fps};
    enc->framerate = (AVRational){fps, 1};
    enc->sample_aspect_ratio = (AVRational){1, 1};
    enc->gop_size = 2 * fps;
    enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    enc->color_range = AVCOL_RANGE_MPEG;
    enc->colorspace = AVCOL_SPC_BT709;
    enc->color_primaries = AVCOL_PRI_BT709;
    enc->color_trc = AVCOL_TRC_BT709;
    enc->thread_count = 0;
    av_opt_set(enc->priv_data, "preset", MV_RENDER_X264_PRESET, 0);
    av_opt_set(enc->priv_data, "crf", MV_RENDER_X264_CRF, 0);
    av_opt_set(enc->priv_data, "profile", "high", 0);
    int ret = avcodec_open2(enc, codec, NULL);
    if (ret < 0) {
        avcodec_free_context(&enc);
        mv_fail(err, MAIVID_E_RENDER, "the H.264 encoder refused %dx%d at %d fps (%s): use a "
                "standard size such as 1920x1080", width, height, fps, av_err2str(ret));
        return NULL;
    }
    return enc;
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
