/*
 * render_test_util.c - test pictures and MP4 inspection for the render tests.
 */
#include "render_test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

int rt_write_solid_ppm(const char *path, int width, int height, uint8_t r, uint8_t g, uint8_t b)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fprintf(f, "P6\n%d %d\n255\n", width, height);
    for (long i = 0; i < (long)width * height; i++) {
        fputc(r, f);
        fputc(g, f);
        fputc(b, f);
    }
    return fclose(f) == 0 ? 0 : -1;
}

int rt_write_disc_ppm(const char *path, int width, int height, double radius)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fprintf(f, "P6\n%d %d\n255\n", width, height);
    uint32_t noise = 2463534242u;
    for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
            noise ^= noise << 13;
            noise ^= noise >> 17;
            noise ^= noise << 5;
            double d = hypot(x + 0.5 - width / 2.0, y + 0.5 - height / 2.0);
            /* fine dark texture, flat grey 70 in a ring around the disc */
            double v = d < radius * 1.6 ? 70 : 60 + (noise & 15);
            double inside = radius + 0.5 - d; /* soft one-pixel edge */
            inside = inside < 0 ? 0 : (inside > 1 ? 1 : inside);
            v = v * (1 - inside) + 230 * inside;
            uint8_t c = (uint8_t)lrint(v);
            fputc(c, f);
            fputc(c, f);
            fputc(c, f);
        }
    }
    return fclose(f) == 0 ? 0 : -1;
}

/* Order of the top-level boxes: is moov before mdat? */
static int rt_moov_first(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    int result = 0;
    unsigned char h[16];
    long long pos = 0;
    while (fseeko(f, pos, SEEK_SET) == 0 && fread(h, 1, 8, f) == 8) {
        unsigned long long size = ((unsigned long long)h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3];
        if (size == 1) {
            if (fread(h + 8, 1, 8, f) != 8)
                break;
            size = 0;
            for (int i = 8; i < 16; i++)
                size = (size << 8) | h[i];
        }
        if (memcmp(h + 4, "moov", 4) == 0) {
            result = 1;
            break;
        }
        if (memcmp(h + 4, "mdat", 4) == 0 || size < 8)
            break;
        pos += (long long)size;
    }
    fclose(f);
    return result;
}

int rt_probe(const char *path, rt_media_info *info)
{
    memset(info, 0, sizeof *info);
    AVFormatContext *ic = NULL;
    if (avformat_open_input(&ic, path, NULL, NULL) < 0)
        return -1;
    if (avformat_find_stream_info(ic, NULL) < 0) {
        avformat_close_input(&ic);
        return -1;
    }
    int v = av_find_best_stream(ic, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    int a = av_find_best_stream(ic, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
    if (v >= 0) {
        AVStream *s = ic->streams[v];
        info->video_codec = s->codecpar->codec_id;
        info->pix_fmt = s->codecpar->format;
        info->width = s->codecpar->width;
        info->height = s->codecpar->height;
        info->video_frames = s->nb_frames;
        info->video_seconds = s->duration * av_q2d(s->time_base);
    }
    if (a >= 0) {
        AVStream *s = ic->streams[a];
        info->audio_codec = s->codecpar->codec_id;
        info->audio_seconds = s->duration * av_q2d(s->time_base);
    }
    avformat_close_input(&ic);
    info->moov_before_mdat = rt_moov_first(path);
    return 0;
}

double rt_mean(const uint8_t *plane, int width, int x0, int y0, int x1, int y1)
{
    double sum = 0;
    long n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++, n++)
            sum += plane[(long)y * width + x];
    return n ? sum / n : 0;
}

static void rt_copy_plane(uint8_t *dst, const uint8_t *src, int stride, int w, int h)
{
    for (int y = 0; y < h; y++)
        memcpy(dst + (long)y * w, src + (long)y * stride, (size_t)w);
}

static int rt_emit(AVCodecContext *dec, AVFrame *f, AVRational tb, int fps, rt_frame_fn fn,
                   void *user, int64_t *count)
{
    while (avcodec_receive_frame(dec, f) >= 0) {
        rt_frame out;
        out.width = f->width;
        out.height = f->height;
        out.y = malloc((size_t)f->width * f->height);
        out.u = malloc((size_t)(f->width / 2) * (f->height / 2));
        out.v = malloc((size_t)(f->width / 2) * (f->height / 2));
        if (!out.y || !out.u || !out.v)
            return -1;
        rt_copy_plane(out.y, f->data[0], f->linesize[0], f->width, f->height);
        rt_copy_plane(out.u, f->data[1], f->linesize[1], f->width / 2, f->height / 2);
        rt_copy_plane(out.v, f->data[2], f->linesize[2], f->width / 2, f->height / 2);
        out.pts = llround(f->best_effort_timestamp * av_q2d(tb) * fps);
        if (fn)
            fn(user, &out, *count);
        (*count)++;
        free(out.y);
        free(out.u);
        free(out.v);
        av_frame_unref(f);
    }
    return 0;
}

int64_t rt_decode_frames(const char *path, rt_frame_fn fn, void *user)
{
    AVFormatContext *ic = NULL;
    if (avformat_open_input(&ic, path, NULL, NULL) < 0)
        return -1;
    avformat_find_stream_info(ic, NULL);
    int v = av_find_best_stream(ic, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    if (v < 0) {
        avformat_close_input(&ic);
        return -1;
    }
    AVStream *st = ic->streams[v];
    int fps = (int)lrint(av_q2d(st->avg_frame_rate));
    const AVCodec *codec = avcodec_find_decoder(st->codecpar->codec_id);
    AVCodecContext *dec = avcodec_alloc_context3(codec);
    avcodec_parameters_to_context(dec, st->codecpar);
    dec->thread_count = 1;
    int64_t count = 0;
    if (avcodec_open2(dec, codec, NULL) < 0)
        count = -1;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *f = av_frame_alloc();
    while (count >= 0 && av_read_frame(ic, pkt) >= 0) {
        if (pkt->stream_index == v && avcodec_send_packet(dec, pkt) < 0)
            count = -1;
        av_packet_unref(pkt);
        if (count >= 0 && rt_emit(dec, f, st->time_base, fps, fn, user, &count) < 0)
            count = -1;
    }
    if (count >= 0) {
        avcodec_send_packet(dec, NULL);
        if (rt_emit(dec, f, st->time_base, fps, fn, user, &count) < 0)
            count = -1;
    }
    av_frame_free(&f);
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
    avformat_close_input(&ic);
    return count;
}
