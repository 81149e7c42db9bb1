/*
 * mv_render_thumbnail.c - scales a rendered frame down if large (libswscale, converting
 * BT.709 limited range to JPEG's full-range BT.601) and encodes it with the mjpeg encoder.
 */
#include "render/mv_render_thumbnail.h"

#include <libavcodec/avcodec.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

static maivid_code mv_thumbnail_scale(const mv_yuv *frame, AVFrame *out, mv_error *err)
{
    int w = frame->width, h = frame->height;
    int long_side = w > h ? w : h;
    if (long_side > MV_THUMBNAIL_MAX_SIDE) {
        w = 2 * (int)((double)w * MV_THUMBNAIL_MAX_SIDE / long_side / 2 + 0.5);
        h = 2 * (int)((double)h * MV_THUMBNAIL_MAX_SIDE / long_side / 2 + 0.5);
    }
    out->format = AV_PIX_FMT_YUV420P;
    out->width = w;
    out->height = h;
    out->color_range = AVCOL_RANGE_JPEG;
    if (av_frame_get_buffer(out, 0) < 0)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the thumbnail");
    struct SwsContext *sws = sws_getContext(frame->width, frame->height, AV_PIX_FMT_YUV420P, w,
                                            h, AV_PIX_FMT_YUV420P, SWS_BICUBIC, NULL, NULL, NULL);
    if (!sws)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the thumbnail");
    sws_setColorspaceDetails(sws, sws_getCoefficients(SWS_CS_ITU709), 0,
                             sws_getCoefficients(SWS_CS_ITU601), 1, 0, 1 << 16, 1 << 16);
    const uint8_t *src[4] = {frame->plane[0], frame->plane[1], frame->plane[2], NULL};
    const int stride[4] = {frame->stride[0], frame->stride[1], frame->stride[2], 0};
    sws_scale(sws, src, stride, 0, frame->height, out->data, out->linesize);
    sws_freeContext(sws);
    return MAIVID_OK;
}

maivid_code mv_render_write_thumbnail(const mv_yuv *frame, const char *path, mv_error *err)
{
    AVFrame *pic = av_frame_alloc();
    AVPacket *pkt = av_packet_alloc();
    AVCodecContext *enc = NULL;
    maivid_code rc = MAIVID_OK;
    if (!pic || !pkt)
        rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory for the thumbnail");
    if (rc == MAIVID_OK)
        rc = mv_thumbnail_scale(frame, pic, err);
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    if (rc == MAIVID_OK && !codec)
        rc = mv_fail(err, MAIVID_E_RENDER, "this FFmpeg build has no JPEG encoder: install a "
                     "standard libavcodec");
    if (rc == MAIVID_OK) {
        enc = avcodec_alloc_context3(codec);
        if (!enc)
            rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory for the thumbnail");
    }
    if (rc == MAIVID_OK) {
        enc->width = pic->width;
        enc->height = pic->height;
        enc->pix_fmt = AV_PIX_FMT_YUV420P;
        enc->color_range = AVCOL_RANGE_JPEG;
        enc->time_base = (AVRational){1, 25};
        enc->flags |= AV_CODEC_FLAG_QSCALE;
        enc->global_quality = FF_QP2LAMBDA * 3;
        pic->quality = enc->global_quality;
        pic->pts = 0;
        int ret = avcodec_open2(enc, codec, NULL);
        if (ret >= 0)
            ret = avcodec_send_frame(enc, pic);
        if (ret >= 0)
            ret = avcodec_receive_packet(enc, pkt);
        if (ret < 0)
            rc = mv_fail(err, MAIVID_E_RENDER, "the thumbnail could not be encoded (%s): "
                         "report this", av_err2str(ret));
    }
    if (rc == MAIVID_OK)
        rc = mv_write_file_atomic(path, pkt->data, (size_t)pkt->size, err);
    avcodec_free_context(&enc);
    av_packet_free(&pkt);
    av_frame_free(&pic);
    return rc;
}
