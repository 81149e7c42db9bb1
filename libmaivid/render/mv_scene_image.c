/*
 * mv_scene_image.c - decodes a still image with libavformat/libavcodec (once: no
 * avformat_find_stream_info for a still, whose header says what it holds), crops it to the
 * working picture's shape (cover fit) and scales it once with libswscale (Lanczos) into YUV
 * 4:2:0 BT.709 limited range.
 */
#include "render/mv_scene_image.h"

#include <errno.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/log.h>
#include <libswscale/swscale.h>

void mv_render_quiet_ffmpeg_logs(void)
{
    if (av_log_get_level() != AV_LOG_QUIET)
        av_log_set_level(AV_LOG_QUIET);
}

maivid_code mv_scene_image_decode(const char *path, AVFrame *frame, mv_error *err)
{
    AVFormatContext *fmt = NULL;
    AVCodecContext *dec = NULL;
    AVPacket *pkt = av_packet_alloc();
    maivid_code rc = MAIVID_E_MEDIA;
    if (!pkt)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while reading a scene image");
    int ret = avformat_open_input(&fmt, path, NULL, NULL);
    if (ret < 0) {
        mv_fail(err, MAIVID_E_MEDIA,
                "the scene image %s cannot be opened (%s): check that the file exists and is "
                "a PNG, JPEG or PPM picture", path, av_err2str(ret));
        goto done;
    }
    /* A still's demuxer names its codec in the header and the decoder learns the size from
     * the picture itself: avformat_find_stream_info would decode the whole picture once more
     * just to learn its parameters. Only a file whose header names no decodable picture
     * (a container that finds its streams by reading on) needs it. */
    int stream = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    if ((stream < 0 || !avcodec_find_decoder(fmt->streams[stream]->codecpar->codec_id)) &&
        avformat_find_stream_info(fmt, NULL) < 0) {
        mv_fail(err, MAIVID_E_MEDIA, "the scene image %s is not a readable picture: "
                "regenerate the image or replace it with a PNG or JPEG", path);
        goto done;
    }
    if (stream < 0)
        stream = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    const AVCodec *codec = stream >= 0
        ? avcodec_find_decoder(fmt->streams[stream]->codecpar->codec_id) : NULL;
    if (!codec) {
        mv_fail(err, MAIVID_E_MEDIA, "the scene image %s holds no picture this build can "
                "decode: use a PNG or JPEG file", path);
        goto done;
    }
    dec = avcodec_alloc_context3(codec);
    if (!dec || avcodec_parameters_to_context(dec, fmt->streams[stream]->codecpar) < 0 ||
        avcodec_open2(dec, codec, NULL) < 0) {
        mv_fail(err, MAIVID_E_MEDIA, "the decoder for the scene image %s could not start: "
                "convert the image to PNG", path);
        goto done;
    }
    int got = 0;
    while (!got && av_read_frame(fmt, pkt) >= 0) {
        if (pkt->stream_index == stream && avcodec_send_packet(dec, pkt) >= 0)
            got = avcodec_receive_frame(dec, frame) >= 0;
        av_packet_unref(pkt);
    }
    if (!got && avcodec_send_packet(dec, NULL) >= 0)
        got = avcodec_receive_frame(dec, frame) >= 0;
    if (!got || frame->width < 2 || frame->height < 2) {
        mv_fail(err, MAIVID_E_MEDIA, "the scene image %s could not be decoded (damaged or "
                "empty file): regenerate the image", path);
        goto done;
    }
    rc = MAIVID_OK;
done:
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
    av_packet_free(&pkt);
    return rc;
}

static int mv_is_full_range_yuv(enum AVPixelFormat f)
{
    return f == AV_PIX_FMT_YUVJ420P || f == AV_PIX_FMT_YUVJ422P || f == AV_PIX_FMT_YUVJ444P ||
           f == AV_PIX_FMT_YUVJ440P || f == AV_PIX_FMT_YUVJ411P;
}

/* The pixel format to hand to swscale (it wants the non-deprecated full-range names). */
static enum AVPixelFormat mv_sws_source_format(enum AVPixelFormat f)
{
    switch (f) {
    case AV_PIX_FMT_YUVJ420P: return AV_PIX_FMT_YUV420P;
    case AV_PIX_FMT_YUVJ422P: return AV_PIX_FMT_YUV422P;
    case AV_PIX_FMT_YUVJ444P: return AV_PIX_FMT_YUV444P;
    case AV_PIX_FMT_YUVJ440P: return AV_PIX_FMT_YUV440P;
    case AV_PIX_FMT_YUVJ411P: return AV_PIX_FMT_YUV411P;
    default: return f;
    }
}

maivid_code mv_scene_image_load(const char *path, int work_w, int work_h, mv_yuv *out,
                                mv_error *err)
{
    if (!path || !*path)
        return mv_fail(err, MAIVID_E_INVALID, "a scene has no image path: generate the scene "
                       "images before rendering");
    mv_render_quiet_ffmpeg_logs();
    AVFrame *frame = av_frame_alloc();
    if (!frame)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while reading a scene image");
    maivid_code rc = mv_scene_image_decode(path, frame, err);
    if (rc != MAIVID_OK) {
        av_frame_free(&frame);
        return rc;
    }
    /* cover fit: keep the centre part of the source that has the working picture's shape */
    double src_aspect = (double)frame->width / frame->height;
    double dst_aspect = (double)work_w / work_h;
    if (src_aspect > dst_aspect) {
        int keep = (int)(frame->height * dst_aspect + 0.5);
        int cut = frame->width - keep;
        frame->crop_left = (size_t)(cut / 2);
        frame->crop_right = (size_t)(cut - cut / 2);
    } else if (src_aspect < dst_aspect) {
        int keep = (int)(frame->width / dst_aspect + 0.5);
        int cut = frame->height - keep;
        frame->crop_top = (size_t)(cut / 2);
        frame->crop_bottom = (size_t)(cut - cut / 2);
    }
    if (av_frame_apply_cropping(frame, AV_FRAME_CROP_UNALIGNED) < 0) {
        av_frame_free(&frame);
        return mv_fail(err, MAIVID_E_MEDIA, "the scene image %s could not be cropped to the "
                       "video's shape: convert it to PNG", path);
    }
    enum AVPixelFormat src_format = (enum AVPixelFormat)frame->format;
    int src_full = mv_is_full_range_yuv(src_format) || frame->color_range == AVCOL_RANGE_JPEG;
    struct SwsContext *sws = sws_getContext(frame->width, frame->height,
                                            mv_sws_source_format(src_format), work_w, work_h,
                                            AV_PIX_FMT_YUV420P,
                                            SWS_LANCZOS | SWS_ACCURATE_RND, NULL, NULL, NULL);
    if (!sws) {
        av_frame_free(&frame);
        return mv_fail(err, MAIVID_E_MEDIA, "the scene image %s has a pixel layout that cannot "
                       "be converted: convert it to an 8-bit RGB PNG", path);
    }
    sws_setColorspaceDetails(sws, sws_getCoefficients(SWS_CS_ITU601), src_full,
                             sws_getCoefficients(SWS_CS_ITU709), 0, 0, 1 << 16, 1 << 16);
    if (mv_yuv_alloc(out, work_w, work_h) != 0) {
        sws_freeContext(sws);
        av_frame_free(&frame);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for a %dx%d scene picture",
                       work_w, work_h);
    }
    int scaled = sws_scale(sws, (const uint8_t *const *)frame->data, frame->linesize, 0,
                           frame->height, out->plane, out->stride);
    sws_freeContext(sws);
    av_frame_free(&frame);
    if (scaled <= 0) {
        mv_yuv_free(out);
        return mv_fail(err, MAIVID_E_MEDIA, "the scene image %s could not be scaled: convert "
                       "it to an 8-bit RGB PNG", path);
    }
    return MAIVID_OK;
}
