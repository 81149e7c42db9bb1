/*
 * clip_maker.c - test clips (clip_maker.h): RGB frames drawn here, converted with libswscale
 * to what the encoder takes, encoded and muxed with libavcodec/libavformat; and frames read
 * back as RGB24.
 */
#include "clip_maker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>

static void draw_frame(const mv_test_clip_spec *s, int k, unsigned char *rgb)
{
    int w = s->width, h = s->height;
    if (!s->rgb) {
        int v = s->first_level + k * s->level_step;
        v = v < 0 ? 0 : v > 255 ? 255 : v;
        memset(rgb, v, (size_t)w * h * 3);
        return;
    }
    double zoom = 1.0 + 0.5 * (s->frames > 1 ? (double)k / (s->frames - 1) : 0);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            double u = ((x + 0.5) / w - 0.5) / zoom + 0.5, v = ((y + 0.5) / h - 0.5) / zoom + 0.5;
            int sx = (int)(u * s->rgb_w), sy = (int)(v * s->rgb_h);
            sx = sx < 0 ? 0 : sx >= s->rgb_w ? s->rgb_w - 1 : sx;
            sy = sy < 0 ? 0 : sy >= s->rgb_h ? s->rgb_h - 1 : sy;
            memcpy(rgb + ((size_t)y * w + x) * 3, s->rgb + ((size_t)sy * s->rgb_w + sx) * 3, 3);
        }
}

static int encode(AVFormatContext *fmt, AVCodecContext *enc, AVStream *st, AVFrame *frame)
{
    AVPacket *pkt = av_packet_alloc();
    int ret = avcodec_send_frame(enc, frame);
    while (ret >= 0) {
        ret = avcodec_receive_packet(enc, pkt);
        if (ret < 0)
            break;
        if (pkt->duration <= 0)
            pkt->duration = 1; /* one frame: the last sample keeps its time */
        av_packet_rescale_ts(pkt, enc->time_base, st->time_base);
        pkt->stream_index = st->index;
        if (av_interleaved_write_frame(fmt, pkt) < 0) {
            ret = -1;
            break;
        }
    }
    av_packet_free(&pkt);
    return ret == AVERROR(EAGAIN) || ret == AVERROR_EOF ? 0 : ret;
}

int mv_test_make_clip(const mv_test_clip_spec *s, const char *path)
{
    av_log_set_level(AV_LOG_QUIET);
    const char *codec_name = "libx264";
    enum AVPixelFormat pix = AV_PIX_FMT_YUV420P;
    if (strcmp(s->format, "webm") == 0) {
        codec_name = "libvpx";
    } else if (strcmp(s->format, "gif") == 0) {
        codec_name = "gif";
        pix = AV_PIX_FMT_GRAY8;
    } else if (strcmp(s->format, "apng") == 0) {
        codec_name = "apng";
        pix = AV_PIX_FMT_RGB24;
    } else if (strcmp(s->format, "webp") == 0) {
        codec_name = "libwebp_anim";
    }
    AVFormatContext *fmt = NULL;
    if (avformat_alloc_output_context2(&fmt, NULL, s->format, path) < 0)
        return -1;
    const AVCodec *codec = avcodec_find_encoder_by_name(codec_name);
    AVStream *st = avformat_new_stream(fmt, NULL);
    AVCodecContext *enc = codec ? avcodec_alloc_context3(codec) : NULL;
    AVFrame *frame = av_frame_alloc();
    unsigned char *rgb = malloc((size_t)s->width * s->height * 3);
    struct SwsContext *sws = sws_getContext(s->width, s->height, AV_PIX_FMT_RGB24, s->width,
                                            s->height, pix, SWS_BICUBIC, NULL, NULL, NULL);
    int rc = -1;
    if (!st || !enc || !frame || !rgb || !sws)
        goto done;
    enc->width = s->width;
    enc->height = s->height;
    enc->pix_fmt = pix;
    enc->time_base = (AVRational){1, s->fps};
    enc->framerate = (AVRational){s->fps, 1};
    enc->gop_size = 12;
    enc->max_b_frames = 0; /* frames in decode order: nothing for an edit list to hide */
    if (strcmp(codec_name, "libx264") == 0) {
        av_opt_set(enc->priv_data, "preset", "ultrafast", 0);
        av_opt_set(enc->priv_data, "crf", "4", 0);
    }
    if (strcmp(codec_name, "libvpx") == 0)
        enc->bit_rate = 4000000;
    if (fmt->oformat->flags & AVFMT_GLOBALHEADER)
        enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if (avcodec_open2(enc, codec, NULL) < 0 ||
        avcodec_parameters_from_context(st->codecpar, enc) < 0)
        goto done;
    st->time_base = enc->time_base;
    if (avio_open(&fmt->pb, path, AVIO_FLAG_WRITE) < 0)
        goto done;
    if (avformat_write_header(fmt, NULL) < 0)
        goto done;
    frame->format = pix;
    frame->width = s->width;
    frame->height = s->height;
    if (av_frame_get_buffer(frame, 0) < 0)
        goto done;
    for (int k = 0; k < s->frames; k++) {
        draw_frame(s, k, rgb);
        if (av_frame_make_writable(frame) < 0)
            goto done;
        const uint8_t *src[1] = {rgb};
        int stride[1] = {s->width * 3};
        sws_scale(sws, src, stride, 0, s->height, frame->data, frame->linesize);
        frame->pts = k;
        if (encode(fmt, enc, st, frame) < 0)
            goto done;
    }
    if (encode(fmt, enc, st, NULL) < 0 || av_write_trailer(fmt) < 0)
        goto done;
    rc = 0;
done:
    sws_freeContext(sws);
    free(rgb);
    av_frame_free(&frame);
    avcodec_free_context(&enc);
    if (fmt && fmt->pb)
        avio_closep(&fmt->pb);
    avformat_free_context(fmt);
    return rc;
}

unsigned char *mv_test_make_clip_bytes(const mv_test_clip_spec *s, size_t *len)
{
    char path[] = "/tmp/maivid-clip-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    close(fd);
    unsigned char *out = NULL;
    if (mv_test_make_clip(s, path) == 0) {
        FILE *f = fopen(path, "rb");
        if (f) {
            fseek(f, 0, SEEK_END);
            long n = ftell(f);
            fseek(f, 0, SEEK_SET);
            out = n > 0 ? malloc((size_t)n) : NULL;
            if (out && fread(out, 1, (size_t)n, f) != (size_t)n) {
                free(out);
                out = NULL;
            }
            *len = out ? (size_t)n : 0;
            fclose(f);
        }
    }
    unlink(path);
    return out;
}

unsigned char *mv_test_read_rgb(const char *path, int index, int *w, int *h, int *count)
{
    AVFormatContext *fmt = NULL;
    if (avformat_open_input(&fmt, path, NULL, NULL) < 0)
        return NULL;
    unsigned char *out = NULL;
    AVCodecContext *dec = NULL;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    int n = 0, stream = -1;
    if (avformat_find_stream_info(fmt, NULL) >= 0)
        stream = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    const AVCodec *codec =
        stream >= 0 ? avcodec_find_decoder(fmt->streams[stream]->codecpar->codec_id) : NULL;
    dec = codec ? avcodec_alloc_context3(codec) : NULL;
    if (!dec || avcodec_parameters_to_context(dec, fmt->streams[stream]->codecpar) < 0 ||
        avcodec_open2(dec, codec, NULL) < 0)
        goto done;
    int flushing = 0;
    for (;;) {
        int ret = avcodec_receive_frame(dec, frame);
        if (ret == 0) {
            if (n == index) {
                *w = frame->width;
                *h = frame->height;
                out = malloc((size_t)frame->width * frame->height * 3);
                struct SwsContext *sws = sws_getContext(
                    frame->width, frame->height, (enum AVPixelFormat)frame->format, frame->width,
                    frame->height, AV_PIX_FMT_RGB24, SWS_POINT, NULL, NULL, NULL);
                uint8_t *dst[1] = {out};
                int stride[1] = {frame->width * 3};
                if (out && sws)
                    sws_scale(sws, (const uint8_t *const *)frame->data, frame->linesize, 0,
                              frame->height, dst, stride);
                sws_freeContext(sws);
            }
            n++;
            av_frame_unref(frame);
            if (out && !count)
                break;
            continue;
        }
        if (ret != AVERROR(EAGAIN) || flushing)
            break;
        if (av_read_frame(fmt, pkt) < 0) {
            flushing = 1;
            avcodec_send_packet(dec, NULL);
            continue;
        }
        if (pkt->stream_index == stream)
            avcodec_send_packet(dec, pkt);
        av_packet_unref(pkt);
    }
done:
    if (count)
        *count = n;
    av_frame_free(&frame);
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
    return out;
}
