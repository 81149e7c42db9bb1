/*
 * ingest_audio.c - encodes a few seconds of a sine tone into the container the test asks
 * for, with optional tags, using libavformat/libavcodec (no mocks).
 */
#include "ingest_audio.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int drain(AVFormatContext *oc, AVCodecContext *c, AVStream *st, AVFrame *f)
{
    if (avcodec_send_frame(c, f) < 0)
        return -1;
    AVPacket *pkt = av_packet_alloc();
    int r = 0;
    while (avcodec_receive_packet(c, pkt) >= 0) {
        av_packet_rescale_ts(pkt, c->time_base, st->time_base);
        pkt->stream_index = st->index;
        if (av_interleaved_write_frame(oc, pkt) < 0)
            r = -1;
    }
    av_packet_free(&pkt);
    return r;
}

static void fill_audio(AVFrame *f, int64_t first, int rate)
{
    for (int i = 0; i < f->nb_samples; i++) {
        double v = 0.3 * sin(2 * M_PI * 440.0 * (double)(first + i) / rate);
        for (int ch = 0; ch < 2; ch++) {
            switch (f->format) {
            case AV_SAMPLE_FMT_S16: ((int16_t *)f->data[0])[2 * i + ch] = (int16_t)(v * 32767); break;
            case AV_SAMPLE_FMT_S16P: ((int16_t *)f->data[ch])[i] = (int16_t)(v * 32767); break;
            case AV_SAMPLE_FMT_S32: ((int32_t *)f->data[0])[2 * i + ch] = (int32_t)(v * 2147483647.0); break;
            case AV_SAMPLE_FMT_FLTP: ((float *)f->data[ch])[i] = (float)v; break;
            case AV_SAMPLE_FMT_FLT: ((float *)f->data[0])[2 * i + ch] = (float)v; break;
            default: break;
            }
        }
    }
}

int ingest_make_audio(const char *path, const char *kind, double seconds,
                      const ingest_audio_tags *tags)
{
    const char *fmt = kind, *enc = NULL;
    int video = 0;
    if (!strcmp(kind, "mp3")) enc = "libmp3lame";
    else if (!strcmp(kind, "adts")) enc = "aac";
    else if (!strcmp(kind, "m4a")) { fmt = "ipod"; enc = "aac"; }
    else if (!strcmp(kind, "flac")) enc = "flac";
    else if (!strcmp(kind, "wav")) enc = "pcm_s16le";
    else if (!strcmp(kind, "ogg")) enc = "libvorbis";
    else if (!strcmp(kind, "mp4video")) { fmt = "mp4"; enc = "aac"; video = 1; }
    else return -1;
    AVFormatContext *oc = NULL;
    if (avformat_alloc_output_context2(&oc, NULL, fmt, path) < 0)
        return -1;
    const AVCodec *codec = avcodec_find_encoder_by_name(enc);
    AVCodecContext *c = codec ? avcodec_alloc_context3(codec) : NULL;
    int rc = -1, rate = 44100;
    AVCodecContext *vc = NULL;
    AVStream *vs = NULL;
    AVFrame *f = NULL, *vf = NULL;
    if (!c)
        goto out;
    c->sample_rate = rate;
    av_channel_layout_default(&c->ch_layout, 2);
    c->sample_fmt = codec->sample_fmts ? codec->sample_fmts[0] : AV_SAMPLE_FMT_S16;
    c->bit_rate = 96000;
    c->time_base = (AVRational){1, rate};
    if (oc->oformat->flags & AVFMT_GLOBALHEADER)
        c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if (avcodec_open2(c, codec, NULL) < 0)
        goto out;
    AVStream *st = avformat_new_stream(oc, NULL);
    avcodec_parameters_from_context(st->codecpar, c);
    st->time_base = c->time_base;
    if (video) {
        const AVCodec *vcodec = avcodec_find_encoder(AV_CODEC_ID_MPEG4);
        vc = avcodec_alloc_context3(vcodec);
        vc->width = 64;
        vc->height = 64;
        vc->pix_fmt = AV_PIX_FMT_YUV420P;
        vc->time_base = (AVRational){1, 5};
        vc->framerate = (AVRational){5, 1};
        vc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
        if (avcodec_open2(vc, vcodec, NULL) < 0)
            goto out;
        vs = avformat_new_stream(oc, NULL);
        avcodec_parameters_from_context(vs->codecpar, vc);
        vs->time_base = vc->time_base;
    }
    if (tags) {
        if (tags->title) av_dict_set(&oc->metadata, "title", tags->title, 0);
        if (tags->artist) av_dict_set(&oc->metadata, "artist", tags->artist, 0);
        if (tags->genre) av_dict_set(&oc->metadata, "genre", tags->genre, 0);
        if (tags->lyrics) av_dict_set(&oc->metadata, "LYRICS", tags->lyrics, 0);
    }
    if (avio_open(&oc->pb, path, AVIO_FLAG_WRITE) < 0)
        goto out;
    if (avformat_write_header(oc, NULL) < 0)
        goto out;
    f = av_frame_alloc();
    int fs = c->frame_size > 0 ? c->frame_size : 1024;
    int64_t total = (int64_t)(seconds * rate), done = 0, vframes = 0;
    if (video) {
        vf = av_frame_alloc();
        vf->format = vc->pix_fmt;
        vf->width = 64;
        vf->height = 64;
        av_frame_get_buffer(vf, 0);
    }
    while (done < total) {
        av_frame_unref(f);
        f->nb_samples = fs;
        f->format = c->sample_fmt;
        f->sample_rate = rate;
        av_channel_layout_copy(&f->ch_layout, &c->ch_layout);
        if (av_frame_get_buffer(f, 0) < 0)
            goto out;
        fill_audio(f, done, rate);
        f->pts = done;
        if (drain(oc, c, st, f) < 0)
            goto out;
        done += fs;
        while (video && vframes * rate < done * 5) {
            av_frame_make_writable(vf);
            for (int y = 0; y < 64; y++) {
                memset(vf->data[0] + y * vf->linesize[0], (int)(vframes * 20 + y) & 0xff, 64);
                if (y < 32) {
                    memset(vf->data[1] + y * vf->linesize[1], 128, 32);
                    memset(vf->data[2] + y * vf->linesize[2], 128, 32);
                }
            }
            vf->pts = vframes++;
            if (drain(oc, vc, vs, vf) < 0)
                goto out;
        }
    }
    drain(oc, c, st, NULL);
    if (video)
        drain(oc, vc, vs, NULL);
    rc = av_write_trailer(oc) < 0 ? -1 : 0;
out:
    av_frame_free(&f);
    av_frame_free(&vf);
    avcodec_free_context(&c);
    avcodec_free_context(&vc);
    if (oc->pb)
        avio_closep(&oc->pb);
    avformat_free_context(oc);
    return rc;
}

uint8_t *ingest_read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    uint8_t *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    if (buf)
        *len = (size_t)n;
    return buf;
}
