/*
 * probe.c - what libavformat/libavcodec can tell about a downloaded or local song: the real
 * duration (counted from decoded samples, because headers lie), the tags (title, artist,
 * genre, lyrics, BPM), embedded cover art, and the audio track of a video copied out
 * without re-encoding.
 */
#include "ingest/mv_ingest_internal.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int open_input(const char *path, AVFormatContext **fmt)
{
    AVDictionary *opts = NULL;
    av_dict_set(&opts, "protocol_whitelist", "file", 0);
    int r = avformat_open_input(fmt, path, NULL, &opts);
    av_dict_free(&opts);
    if (r < 0)
        return r;
    r = avformat_find_stream_info(*fmt, NULL);
    if (r < 0)
        avformat_close_input(fmt);
    return r;
}

static char *tag(AVFormatContext *fmt, const AVStream *st, const char *key)
{
    const AVDictionaryEntry *e = av_dict_get(fmt->metadata, key, NULL, 0);
    if (!e && st)
        e = av_dict_get(st->metadata, key, NULL, 0);
    return e && e->value && e->value[0] ? mv_strdup(e->value) : NULL;
}

static char *lyrics_tag(const AVDictionary *m)
{
    const AVDictionaryEntry *e = NULL;
    while ((e = av_dict_get(m, "", e, AV_DICT_IGNORE_SUFFIX))) {
        /* ID3 USLT arrives as "lyrics" or "lyrics-<lang>", Vorbis as LYRICS or
         * UNSYNCEDLYRICS */
        if ((strncasecmp(e->key, "lyrics", 6) == 0 || strcasecmp(e->key, "unsyncedlyrics") == 0 ||
             strcasecmp(e->key, "uslt") == 0) && e->value && e->value[0])
            return mv_strdup(e->value);
    }
    return NULL;
}

maivid_code mv_probe_audio(const char *path, mv_probe_info *info, mv_error *err)
{
    memset(info, 0, sizeof *info);
    AVFormatContext *fmt = NULL;
    if (open_input(path, &fmt) < 0)
        return mv_fail(err, MAIVID_E_MEDIA,
                       "the file %s is not audio that can be read (unknown format, damaged or "
                       "truncated); pass a complete mp3, m4a, wav, flac or ogg file", path);
    const AVCodec *dec = NULL;
    int idx = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, &dec, 0);
    if (idx < 0 || !dec) {
        avformat_close_input(&fmt);
        return mv_fail(err, MAIVID_E_MEDIA,
                       "the file %s holds no audio track that can be decoded; pass a song "
                       "file with sound", path);
    }
    AVStream *st = fmt->streams[idx];
    mv_strlcpy(info->codec, dec->name, sizeof info->codec);
    for (unsigned i = 0; i < fmt->nb_streams; i++) {
        const AVStream *s = fmt->streams[i];
        if (s->codecpar->codec_type != AVMEDIA_TYPE_VIDEO)
            continue;
        if (s->disposition & AV_DISPOSITION_ATTACHED_PIC)
            info->has_cover = 1;
        else
            info->has_video = 1;
    }
    if (fmt->duration != AV_NOPTS_VALUE && fmt->duration > 0)
        info->header_duration = (double)fmt->duration / AV_TIME_BASE;
    else if (st->duration != AV_NOPTS_VALUE && st->duration > 0)
        info->header_duration = (double)st->duration * av_q2d(st->time_base);

    info->title = tag(fmt, st, "title");
    info->artist = tag(fmt, st, "artist");
    if (!info->artist)
        info->artist = tag(fmt, st, "album_artist");
    info->genre = tag(fmt, st, "genre");
    info->lyrics = lyrics_tag(fmt->metadata);
    if (!info->lyrics)
        info->lyrics = lyrics_tag(st->metadata);
    char *bpm = tag(fmt, st, "TBPM");
    if (!bpm)
        bpm = tag(fmt, st, "BPM");
    if (bpm) {
        info->bpm = atof(bpm);
        free(bpm);
    }

    /* decode everything: the only duration that does not trust the header */
    AVCodecContext *ctx = avcodec_alloc_context3(dec);
    AVPacket *pkt = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    int64_t samples = 0;
    int rate = 0, ok = ctx && pkt && frame &&
                        avcodec_parameters_to_context(ctx, st->codecpar) >= 0 &&
                        avcodec_open2(ctx, dec, NULL) >= 0;
    while (ok && av_read_frame(fmt, pkt) >= 0) {
        if (pkt->stream_index == idx && avcodec_send_packet(ctx, pkt) >= 0) {
            while (avcodec_receive_frame(ctx, frame) >= 0) {
                samples += frame->nb_samples;
                rate = frame->sample_rate;
            }
        }
        av_packet_unref(pkt);
    }
    if (ok && avcodec_send_packet(ctx, NULL) >= 0)
        while (avcodec_receive_frame(ctx, frame) >= 0) {
            samples += frame->nb_samples;
            rate = frame->sample_rate;
        }
    av_frame_free(&frame);
    av_packet_free(&pkt);
    avcodec_free_context(&ctx);
    avformat_close_input(&fmt);
    if (samples <= 0 || rate <= 0) {
        mv_probe_info_free(info);
        return mv_fail(err, MAIVID_E_MEDIA,
                       "the file %s has an audio track but no sound could be decoded from it "
                       "(damaged, truncated or encrypted); pass a playable audio file", path);
    }
    info->duration = (double)samples / rate;
    return MAIVID_OK;
}

void mv_probe_info_free(mv_probe_info *info)
{
    if (!info)
        return;
    free(info->title);
    free(info->artist);
    free(info->genre);
    free(info->lyrics);
    memset(info, 0, sizeof *info);
}

char *mv_probe_extract_cover(const char *path, const char *dir)
{
    AVFormatContext *fmt = NULL;
    if (open_input(path, &fmt) < 0)
        return NULL;
    char *out = NULL;
    for (unsigned i = 0; i < fmt->nb_streams && !out; i++) {
        const AVStream *s = fmt->streams[i];
        if (!(s->disposition & AV_DISPOSITION_ATTACHED_PIC) || s->attached_pic.size <= 0)
            continue;
        mv_sniff_kind k = mv_sniff(s->attached_pic.data, (size_t)s->attached_pic.size);
        if (!mv_sniff_is_image(k))
            continue;
        char *dst = mv_strdup_printf("%s/cover.%s", dir, mv_sniff_ext(k));
        if (dst && mv_write_file_atomic(dst, s->attached_pic.data, (size_t)s->attached_pic.size,
                                        NULL) == MAIVID_OK)
            out = dst;
        else
            free(dst);
    }
    avformat_close_input(&fmt);
    return out;
}

maivid_code mv_remux_audio(const char *src, const char *dst, mv_error *err)
{
    AVFormatContext *in = NULL, *out = NULL;
    AVPacket *pkt = NULL;
    maivid_code rc = MAIVID_OK;
    if (open_input(src, &in) < 0)
        return mv_fail(err, MAIVID_E_MEDIA, "the video %s cannot be read (damaged or truncated); "
                       "pass the audio file instead", src);
    int idx = av_find_best_stream(in, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
    if (idx < 0) {
        rc = mv_fail(err, MAIVID_E_MEDIA, "the video %s has no audio track; pass the song's "
                     "audio file instead", src);
        goto done;
    }
    if (avformat_alloc_output_context2(&out, NULL, NULL, dst) < 0 || !out) {
        rc = mv_fail(err, MAIVID_E_MEDIA, "cannot write the audio track as %s", dst);
        goto done;
    }
    AVStream *ist = in->streams[idx];
    AVStream *ost = avformat_new_stream(out, NULL);
    if (!ost || avcodec_parameters_copy(ost->codecpar, ist->codecpar) < 0) {
        rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory copying an audio track");
        goto done;
    }
    ost->codecpar->codec_tag = 0;
    ost->time_base = ist->time_base;
    av_dict_copy(&out->metadata, in->metadata, 0);
    AVDictionary *opts = NULL;
    av_dict_set(&opts, "protocol_whitelist", "file", 0);
    if (avio_open2(&out->pb, dst, AVIO_FLAG_WRITE, NULL, &opts) < 0 ||
        avformat_write_header(out, NULL) < 0) {
        av_dict_free(&opts);
        rc = mv_fail(err, MAIVID_E_MEDIA, "cannot store the %s audio track of %s as %s; pass "
                     "the audio file instead", avcodec_get_name(ist->codecpar->codec_id), src,
                     dst);
        goto done;
    }
    av_dict_free(&opts);
    pkt = av_packet_alloc();
    while (pkt && av_read_frame(in, pkt) >= 0) {
        if (pkt->stream_index == idx) {
            pkt->stream_index = 0;
            av_packet_rescale_ts(pkt, ist->time_base, ost->time_base);
            pkt->pos = -1;
            if (av_interleaved_write_frame(out, pkt) < 0) {
                rc = mv_fail(err, MAIVID_E_MEDIA, "writing the audio track to %s failed", dst);
                av_packet_unref(pkt);
                break;
            }
        }
        av_packet_unref(pkt);
    }
    if (av_write_trailer(out) < 0 && rc == MAIVID_OK)
        rc = mv_fail(err, MAIVID_E_MEDIA, "finishing %s failed", dst);
done:
    av_packet_free(&pkt);
    if (out) {
        if (out->pb)
            avio_closep(&out->pb);
        avformat_free_context(out);
    }
    avformat_close_input(&in);
    if (rc != MAIVID_OK)
        remove(dst);
    return rc;
}
