/*
 * decode.c - decodes a song once with libavformat + libavcodec, resamples it with
 * libswresample to mono float at MV_AN_SAMPLE_RATE and streams it to the analysers in
 * blocks of MV_AN_HOP samples. Only one decoded frame and one block are in memory at a time.
 */
#include "analysis/mv_analysis_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libswresample/swresample.h>

typedef struct mv_decoder {
    const char *path;
    AVFormatContext *fmt;
    AVCodecContext *codec;
    SwrContext *swr;
    AVChannelLayout swr_in_layout; /* what the resampler was set up for */
    int swr_in_format, swr_in_rate;
    AVPacket *packet;
    AVFrame *frame;
    int stream;
    float *out;
    int out_cap;
    float block[MV_AN_HOP];
    size_t fill;
    size_t samples;
    size_t bad_packets;
    mv_audio_block_fn on_block;
    void *ctx;
    const mv_task *task;
    double expected_seconds, progress_from, progress_to, last_progress;
} mv_decoder;

static const char mv_audio_hint[] =
    "pass an audio file such as MP3, WAV, FLAC, OGG or M4A (or a video with a sound track)";

static maivid_code mv_decoder_push(mv_decoder *d, const float *samples, size_t n, mv_error *err)
{
    for (size_t i = 0; i < n; i++) {
        d->block[d->fill++] = samples[i];
        d->samples++;
        if (d->fill == MV_AN_HOP) {
            d->fill = 0;
            maivid_code rc = d->on_block(d->ctx, d->block, err);
            if (rc != MAIVID_OK)
                return rc;
        }
    }
    return MAIVID_OK;
}

static maivid_code mv_decoder_setup_resampler(mv_decoder *d, const AVFrame *f, mv_error *err)
{
    /* zeroed: av_channel_layout_copy() first uninits its destination, which frees the map
     * of a CUSTOM-order layout; stack garbage there crashed (SIGBUS under ASan) */
    AVChannelLayout in_layout = {0};
    if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || f->ch_layout.nb_channels <= 0)
        av_channel_layout_default(&in_layout, f->ch_layout.nb_channels > 0 ? f->ch_layout.nb_channels : 1);
    else if (av_channel_layout_copy(&in_layout, &f->ch_layout) < 0)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while decoding %s", d->path);
    if (d->swr && d->swr_in_format == f->format && d->swr_in_rate == f->sample_rate &&
        av_channel_layout_compare(&d->swr_in_layout, &in_layout) == 0) {
        av_channel_layout_uninit(&in_layout);
        return MAIVID_OK;
    }
    swr_free(&d->swr);
    av_channel_layout_uninit(&d->swr_in_layout);
    AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
    int ret = swr_alloc_set_opts2(&d->swr, &mono, AV_SAMPLE_FMT_FLT, MV_AN_SAMPLE_RATE,
                                  &in_layout, f->format, f->sample_rate, 0, NULL);
    if (ret >= 0)
        ret = swr_init(d->swr);
    d->swr_in_layout = in_layout;
    d->swr_in_format = f->format;
    d->swr_in_rate = f->sample_rate;
    if (ret < 0) {
        char why[AV_ERROR_MAX_STRING_SIZE];
        av_strerror(ret, why, sizeof why);
        return mv_fail(err, MAIVID_E_MEDIA,
                       "cannot convert the audio of %s (%d Hz, %d channels) to mono: %s; "
                       "convert the song to a standard MP3 or WAV file",
                       d->path, f->sample_rate, f->ch_layout.nb_channels, why);
    }
    return MAIVID_OK;
}

/* Converts whatever the resampler gives for `f` (NULL: flush) and pushes it on. */
static maivid_code mv_decoder_resample(mv_decoder *d, const AVFrame *f, mv_error *err)
{
    int in_count = f ? f->nb_samples : 0;
    int need = swr_get_out_samples(d->swr, in_count) + 32;
    if (need > d->out_cap) {
        float *out = realloc(d->out, (size_t)need * sizeof *out);
        if (!out)
            return mv_fail(err, MAIVID_E_NOMEM, "out of memory while decoding %s", d->path);
        d->out = out;
        d->out_cap = need;
    }
    for (;;) {
        uint8_t *out_planes[1] = {(uint8_t *)d->out};
        int got = swr_convert(d->swr, out_planes, d->out_cap,
                              f ? (const uint8_t **)f->extended_data : NULL, in_count);
        if (got < 0)
            return mv_fail(err, MAIVID_E_MEDIA,
                           "resampling the audio of %s failed; convert the song to a "
                           "standard MP3 or WAV file", d->path);
        if (got == 0)
            return MAIVID_OK;
        maivid_code rc = mv_decoder_push(d, d->out, (size_t)got, err);
        if (rc != MAIVID_OK)
            return rc;
        if (f)
            return MAIVID_OK; /* one call per frame; the rest stays buffered in swr */
    }
}

static void mv_decoder_report(mv_decoder *d)
{
    if (d->expected_seconds <= 0)
        return;
    double done = (double)d->samples / MV_AN_SAMPLE_RATE / d->expected_seconds;
    if (done > 1)
        done = 1;
    if (done - d->last_progress < 0.02)
        return;
    d->last_progress = done;
    mv_task_progress(d->task, d->progress_from + (d->progress_to - d->progress_from) * done,
                     "analysing the song");
}

/* Sends one packet (NULL: drain) to the decoder and handles every frame that comes out. */
static maivid_code mv_decoder_feed(mv_decoder *d, const AVPacket *packet, mv_error *err)
{
    int ret = avcodec_send_packet(d->codec, packet);
    if (ret == AVERROR_INVALIDDATA) {
        d->bad_packets++; /* a damaged packet: skip it, the rest may be fine */
        return MAIVID_OK;
    }
    if (ret < 0 && ret != AVERROR(EAGAIN) && ret != AVERROR_EOF) {
        char why[AV_ERROR_MAX_STRING_SIZE];
        av_strerror(ret, why, sizeof why);
        return mv_fail(err, MAIVID_E_MEDIA, "decoding the audio of %s failed: %s; %s", d->path,
                       why, mv_audio_hint);
    }
    for (;;) {
        ret = avcodec_receive_frame(d->codec, d->frame);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return MAIVID_OK;
        if (ret < 0) {
            d->bad_packets++;
            return MAIVID_OK;
        }
        maivid_code rc = mv_decoder_setup_resampler(d, d->frame, err);
        if (rc == MAIVID_OK)
            rc = mv_decoder_resample(d, d->frame, err);
        av_frame_unref(d->frame);
        if (rc != MAIVID_OK)
            return rc;
    }
}

static maivid_code mv_decoder_open(mv_decoder *d, mv_error *err)
{
    struct stat st;
    if (stat(d->path, &st) != 0)
        return mv_fail(err, MAIVID_E_IO, "cannot read the song %s: %s; check the path", d->path,
                       strerror(errno));
    if (S_ISDIR(st.st_mode))
        return mv_fail(err, MAIVID_E_IO, "the song %s is a folder, not a file; %s", d->path,
                       mv_audio_hint);
    int ret = avformat_open_input(&d->fmt, d->path, NULL, NULL);
    if (ret >= 0)
        ret = avformat_find_stream_info(d->fmt, NULL);
    if (ret < 0) {
        char why[AV_ERROR_MAX_STRING_SIZE];
        av_strerror(ret, why, sizeof why);
        if (ret == AVERROR(EACCES) || ret == AVERROR(EIO))
            return mv_fail(err, MAIVID_E_IO, "cannot read the song %s: %s; check the file "
                           "and its permissions", d->path, why);
        return mv_fail(err, MAIVID_E_MEDIA, "%s is not a readable audio file (%s); %s",
                       d->path, why, mv_audio_hint);
    }
    const AVCodec *decoder = NULL;
    d->stream = av_find_best_stream(d->fmt, AVMEDIA_TYPE_AUDIO, -1, -1, &decoder, 0);
    if (d->stream == AVERROR_DECODER_NOT_FOUND)
        return mv_fail(err, MAIVID_E_MEDIA, "the audio codec of %s is not supported here; "
                       "convert the song to MP3, WAV or FLAC", d->path);
    if (d->stream < 0 || !decoder)
        return mv_fail(err, MAIVID_E_MEDIA, "%s has no audio stream; %s", d->path,
                       mv_audio_hint);
    AVStream *stream = d->fmt->streams[d->stream];
    d->codec = avcodec_alloc_context3(decoder);
    if (!d->codec)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while opening %s", d->path);
    ret = avcodec_parameters_to_context(d->codec, stream->codecpar);
    if (ret >= 0)
        ret = avcodec_open2(d->codec, decoder, NULL);
    if (ret < 0) {
        char why[AV_ERROR_MAX_STRING_SIZE];
        av_strerror(ret, why, sizeof why);
        return mv_fail(err, MAIVID_E_MEDIA, "cannot open the %s audio of %s: %s; convert the "
                       "song to MP3, WAV or FLAC", decoder->name, d->path, why);
    }
    d->packet = av_packet_alloc();
    d->frame = av_frame_alloc();
    if (!d->packet || !d->frame)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while opening %s", d->path);
    if (stream->duration > 0 && stream->time_base.den > 0)
        d->expected_seconds = (double)stream->duration * av_q2d(stream->time_base);
    else if (d->fmt->duration > 0)
        d->expected_seconds = (double)d->fmt->duration / AV_TIME_BASE;
    return MAIVID_OK;
}

static maivid_code mv_decoder_run(mv_decoder *d, mv_error *err)
{
    maivid_code rc = MAIVID_OK;
    int ret;
    while ((ret = av_read_frame(d->fmt, d->packet)) >= 0) {
        if (d->packet->stream_index == d->stream)
            rc = mv_decoder_feed(d, d->packet, err);
        av_packet_unref(d->packet);
        if (rc != MAIVID_OK)
            return rc;
        if (mv_task_cancelled(d->task))
            return mv_fail(err, MAIVID_E_CANCELLED, "the analysis of %s was cancelled", d->path);
        mv_decoder_report(d);
    }
    if (ret != AVERROR_EOF && d->samples == 0) {
        char why[AV_ERROR_MAX_STRING_SIZE];
        av_strerror(ret, why, sizeof why);
        return mv_fail(err, MAIVID_E_MEDIA, "reading %s failed: %s; %s", d->path, why,
                       mv_audio_hint);
    }
    if (ret != AVERROR_EOF) {
        char why[AV_ERROR_MAX_STRING_SIZE];
        av_strerror(ret, why, sizeof why);
        mv_task_warn(d->task, "reading %s stopped at %.1f s (%s); only that part of the song "
                     "is analysed", d->path, (double)d->samples / MV_AN_SAMPLE_RATE, why);
    }
    rc = mv_decoder_feed(d, NULL, err); /* drain the decoder */
    if (rc == MAIVID_OK && d->swr)
        rc = mv_decoder_resample(d, NULL, err); /* drain the resampler */
    if (rc != MAIVID_OK)
        return rc;
    if (d->samples == 0)
        return mv_fail(err, MAIVID_E_MEDIA, "%s contains no decodable audio samples; %s",
                       d->path, mv_audio_hint);
    if (d->fill > 0) {
        size_t real = d->samples;
        memset(d->block + d->fill, 0, (MV_AN_HOP - d->fill) * sizeof d->block[0]);
        d->fill = 0;
        rc = d->on_block(d->ctx, d->block, err);
        d->samples = real;
    }
    return rc;
}

maivid_code mv_audio_decode(const char *path, mv_audio_block_fn on_block, void *ctx,
                            const mv_task *task, double progress_from, double progress_to,
                            size_t *samples, mv_error *err)
{
    mv_decoder d;
    memset(&d, 0, sizeof d);
    d.path = path;
    d.on_block = on_block;
    d.ctx = ctx;
    d.task = task;
    d.progress_from = progress_from;
    d.progress_to = progress_to;
    d.stream = -1;
    *samples = 0;
    maivid_code rc = mv_decoder_open(&d, err);
    if (rc == MAIVID_OK)
        rc = mv_decoder_run(&d, err);
    if (rc == MAIVID_OK && d.bad_packets > 0)
        mv_task_warn(task, "%zu damaged audio packets in %s were skipped", d.bad_packets, path);
    *samples = d.samples;
    free(d.out);
    av_frame_free(&d.frame);
    av_packet_free(&d.packet);
    swr_free(&d.swr);
    av_channel_layout_uninit(&d.swr_in_layout);
    avcodec_free_context(&d.codec);
    avformat_close_input(&d.fmt);
    return rc;
}
