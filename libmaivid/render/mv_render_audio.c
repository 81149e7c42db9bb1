/*
 * mv_render_audio.c - decode -> resample (float planar, the AAC encoder's format, at a rate
 * AAC supports, mono or stereo) -> FIFO of 1024-sample frames -> AAC-LC -> packet file; or,
 * to learn the length before encoding, decode -> resample -> count. A song that already is
 * AAC-LC in an MP4/M4A at a rate AAC takes, mono or stereo, is not encoded again: its packets
 * are copied (no second lossy generation, no encoder time), still decoded to count them.
 */
#include "render/mv_render_audio.h"

#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libswresample/swresample.h>

#include "render/mv_packet_file.h"
#include "render/mv_render_encoder.h"

#define MV_AAC_FRAME 1024 /* samples per AAC-LC packet */

typedef struct mv_audio_job {
    AVFormatContext *in;
    AVCodecContext *dec, *enc;
    SwrContext *swr;
    AVAudioFifo *fifo;
    AVFrame *decoded, *chunk;
    AVPacket *pkt;
    mv_packet_writer out;
    int stream;
    int64_t samples_in, samples_out; /* resampled samples queued, samples sent to the encoder */
    int count_only;                  /* measuring: no encoder, no FIFO, nothing written */
    int copy;                        /* copying the song's AAC packets into the packet file */
    AVPacket *held;                  /* copying: the last packet, written once the next comes */
    int64_t held_own_duration;       /* copying: that packet's duration in the song's timeline */
    int64_t copied_duration;         /* copying: samples of the packets written so far */
    const atomic_int *stop;          /* the caller's own stop, besides the task's cancel */
} mv_audio_job;

static int mv_aac_rate(int rate)
{
    static const int rates[] = {96000, 88200, 64000, 48000, 44100, 32000,
                                24000, 22050, 16000, 12000, 11025, 8000};
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++)
        if (rates[i] == rate)
            return rate;
    return 48000;
}

static maivid_code mv_audio_open_input(mv_audio_job *j, const char *path, mv_error *err)
{
    int ret = avformat_open_input(&j->in, path, NULL, NULL);
    if (ret < 0)
        return mv_fail(err, MAIVID_E_MEDIA, "the song %s cannot be opened (%s): check that the "
                       "audio file exists", path, av_err2str(ret));
    if (avformat_find_stream_info(j->in, NULL) < 0)
        return mv_fail(err, MAIVID_E_MEDIA, "the song %s is not readable audio: pass an MP3, "
                       "WAV, FLAC, OGG or M4A file", path);
    j->stream = av_find_best_stream(j->in, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
    const AVCodec *codec = j->stream >= 0
        ? avcodec_find_decoder(j->in->streams[j->stream]->codecpar->codec_id) : NULL;
    if (!codec)
        return mv_fail(err, MAIVID_E_MEDIA, "the song %s has no audio track this build can "
                       "decode: pass an MP3, WAV, FLAC, OGG or M4A file", path);
    j->dec = avcodec_alloc_context3(codec);
    if (!j->dec || avcodec_parameters_to_context(j->dec, j->in->streams[j->stream]->codecpar) < 0 ||
        avcodec_open2(j->dec, codec, NULL) < 0)
        return mv_fail(err, MAIVID_E_MEDIA, "the audio decoder for %s could not start: convert "
                       "the song to MP3 or WAV", path);
    return MAIVID_OK;
}

/* The resampler from the song's format to the encoder's (rate, channels, planar float). */
static maivid_code mv_audio_open_resampler(mv_audio_job *j, AVChannelLayout *out_layout,
                                           int out_rate, mv_error *err)
{
    AVChannelLayout in_layout = {0}; /* zeroed: the copy uninits its destination first */
    if (j->dec->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC)
        av_channel_layout_default(&in_layout, j->dec->ch_layout.nb_channels);
    else if (av_channel_layout_copy(&in_layout, &j->dec->ch_layout) < 0)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the song's channel layout");
    int ret = swr_alloc_set_opts2(&j->swr, out_layout, AV_SAMPLE_FMT_FLTP, out_rate, &in_layout,
                                  j->dec->sample_fmt, j->dec->sample_rate, 0, NULL);
    av_channel_layout_uninit(&in_layout);
    if (ret < 0 || swr_init(j->swr) < 0)
        return mv_fail(err, MAIVID_E_MEDIA, "the song's audio layout cannot be converted: "
                       "convert the song to a stereo MP3 or WAV");
    j->decoded = av_frame_alloc();
    j->pkt = av_packet_alloc();
    if (!j->decoded || !j->pkt)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the audio");
    return MAIVID_OK;
}

static int mv_audio_channels(const mv_audio_job *j)
{
    return j->dec->ch_layout.nb_channels == 1 ? 1 : 2;
}

/* Measuring only: the resampler to what the encoder would get, nothing else. */
static maivid_code mv_audio_open_counter(mv_audio_job *j, int *rate, mv_error *err)
{
    AVChannelLayout layout = {0};
    av_channel_layout_default(&layout, mv_audio_channels(j));
    *rate = mv_aac_rate(j->dec->sample_rate);
    j->count_only = 1;
    maivid_code rc = mv_audio_open_resampler(j, &layout, *rate, err);
    av_channel_layout_uninit(&layout);
    return rc;
}

/* Whether the song's audio can go into the MP4 as it is: AAC-LC with its configuration,
 * mono or stereo, at a rate AAC takes, timed in samples (MP4/M4A). */
static int mv_audio_can_copy(const mv_audio_job *j)
{
    const AVStream *st = j->in->streams[j->stream];
    const AVCodecParameters *par = st->codecpar;
    return par->codec_id == AV_CODEC_ID_AAC && par->profile == FF_PROFILE_AAC_LOW &&
           par->extradata_size > 0 && (par->ch_layout.nb_channels == 1 ||
                                       par->ch_layout.nb_channels == 2) &&
           par->sample_rate > 0 && mv_aac_rate(par->sample_rate) == par->sample_rate &&
           st->time_base.num == 1 && st->time_base.den == par->sample_rate &&
           (par->frame_size == 0 || par->frame_size == MV_AAC_FRAME);
}

/* Copying: the counter, and the packet file described by the song's own stream. */
static maivid_code mv_audio_open_copy(mv_audio_job *j, const char *out_path, mv_error *err)
{
    int rate = 0;
    maivid_code rc = mv_audio_open_counter(j, &rate, err);
    j->copy = 1;
    j->held = av_packet_alloc();
    if (rc == MAIVID_OK && !j->held)
        rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory for the audio");
    if (rc != MAIVID_OK)
        return rc;
    const AVCodecParameters *par = j->in->streams[j->stream]->codecpar;
    mv_packet_file_info info = {0};
    info.time_base_num = 1;
    info.time_base_den = rate;
    info.sample_rate = rate;
    info.channels = par->ch_layout.nb_channels;
    info.frame_size = MV_AAC_FRAME;
    info.extradata = par->extradata;
    info.extradata_size = par->extradata_size;
    return mv_packet_writer_open(&j->out, out_path, &info, err); /* padding: first packet */
}

/* Copying: keeps pkt and writes the one before it. Each packet is timed by the samples it
 * decodes to (MV_AAC_FRAME; the last one trimmed to the song's end), one after the
 * other, not by the song's own timestamps: files joined with a stream copy squeeze the
 * packets at each join to 1 and 255 samples, so their timeline ends before their samples
 * do, and the video, measured by the samples, would outlast the copied audio. */
static maivid_code mv_audio_copy_packet(mv_audio_job *j, const AVPacket *pkt, mv_error *err)
{
    maivid_code rc = MAIVID_OK;
    if (pkt && j->held->size == 0 && j->copied_duration == 0 && pkt->pts < 0)
        j->out.initial_padding = (int32_t)-pkt->pts; /* the encoder's priming samples */
    if (j->held->size > 0) {
        j->held->pts = j->held->dts = j->copied_duration - j->out.initial_padding;
        j->copied_duration += j->held->duration;
        rc = mv_packet_writer_add(&j->out, j->held, err);
        av_packet_unref(j->held);
    }
    if (rc == MAIVID_OK && pkt) {
        if (av_packet_ref(j->held, pkt) < 0)
            rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory for the audio");
        j->held_own_duration = pkt->duration;
        j->held->duration = MV_AAC_FRAME;
    }
    return rc;
}

static maivid_code mv_audio_open_output(mv_audio_job *j, const char *out_path, mv_error *err)
{
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_AAC);
    if (!codec)
        return mv_fail(err, MAIVID_E_RENDER, "this FFmpeg build has no AAC encoder: install "
                       "a standard libavcodec");
    j->enc = avcodec_alloc_context3(codec);
    if (!j->enc)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the audio encoder");
    int channels = mv_audio_channels(j);
    av_channel_layout_default(&j->enc->ch_layout, channels);
    j->enc->sample_rate = mv_aac_rate(j->dec->sample_rate);
    j->enc->sample_fmt = AV_SAMPLE_FMT_FLTP;
    j->enc->bit_rate = channels == 1 ? 128000 : 192000;
    j->enc->profile = FF_PROFILE_AAC_LOW;
    j->enc->time_base = (AVRational){1, j->enc->sample_rate};
    j->enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    int ret = avcodec_open2(j->enc, codec, NULL);
    if (ret < 0)
        return mv_fail(err, MAIVID_E_RENDER, "the AAC encoder could not start (%s): report "
                       "this", av_err2str(ret));
    maivid_code rc = mv_audio_open_resampler(j, &j->enc->ch_layout, j->enc->sample_rate, err);
    if (rc != MAIVID_OK)
        return rc;
    j->fifo = av_audio_fifo_alloc(j->enc->sample_fmt, channels, j->enc->frame_size * 4);
    j->chunk = av_frame_alloc();
    if (!j->fifo || !j->chunk)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the audio");
    mv_packet_file_info info = {0};
    info.time_base_num = 1;
    info.time_base_den = j->enc->sample_rate;
    info.sample_rate = j->enc->sample_rate;
    info.channels = channels;
    info.frame_size = j->enc->frame_size;
    info.initial_padding = j->enc->initial_padding;
    info.extradata = j->enc->extradata;
    info.extradata_size = j->enc->extradata_size;
    return mv_packet_writer_open(&j->out, out_path, &info, err);
}

static maivid_code mv_audio_sink(void *user, AVPacket *pkt, mv_error *err)
{
    mv_audio_job *j = user;
    return mv_packet_writer_add(&j->out, pkt, err);
}

/* Encodes whole frames from the FIFO (all that is left when flushing). */
static maivid_code mv_audio_drain_fifo(mv_audio_job *j, int flush, mv_error *err)
{
    int frame_size = j->enc->frame_size;
    while (av_audio_fifo_size(j->fifo) >= frame_size ||
           (flush && av_audio_fifo_size(j->fifo) > 0)) {
        int n = av_audio_fifo_size(j->fifo) < frame_size ? av_audio_fifo_size(j->fifo) : frame_size;
        av_frame_unref(j->chunk);
        j->chunk->nb_samples = n;
        j->chunk->format = j->enc->sample_fmt;
        j->chunk->sample_rate = j->enc->sample_rate;
        if (av_channel_layout_copy(&j->chunk->ch_layout, &j->enc->ch_layout) < 0 ||
            av_frame_get_buffer(j->chunk, 0) < 0)
            return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the audio");
        if (av_audio_fifo_read(j->fifo, (void **)j->chunk->data, n) != n)
            return mv_fail(err, MAIVID_E_INTERNAL, "the audio queue lost samples: report this");
        j->chunk->pts = j->samples_out;
        j->samples_out += n;
        maivid_code rc = mv_encoder_push(j->enc, j->chunk, j->pkt, mv_audio_sink, j, err);
        if (rc != MAIVID_OK)
            return rc;
    }
    return MAIVID_OK;
}

/* Resamples one decoded frame (NULL: the resampler's tail) into the FIFO. */
static maivid_code mv_audio_queue(mv_audio_job *j, const AVFrame *in, mv_error *err)
{
    int max_out = swr_get_out_samples(j->swr, in ? in->nb_samples : 0);
    if (max_out <= 0)
        return MAIVID_OK;
    uint8_t **buf = NULL;
    if (av_samples_alloc_array_and_samples(&buf, NULL, mv_audio_channels(j), max_out,
                                           AV_SAMPLE_FMT_FLTP, 0) < 0)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the audio");
    int got = swr_convert(j->swr, buf, max_out, in ? (const uint8_t **)in->extended_data : NULL,
                          in ? in->nb_samples : 0);
    maivid_code rc = MAIVID_OK;
    if (got < 0)
        rc = mv_fail(err, MAIVID_E_MEDIA, "the song's audio could not be resampled: convert "
                     "it to a 44.1 kHz stereo WAV");
    else if (got > 0 && !j->count_only && av_audio_fifo_write(j->fifo, (void **)buf, got) != got)
        rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory for the audio");
    else
        j->samples_in += got;
    av_freep(&buf[0]);
    av_freep(&buf);
    if (rc == MAIVID_OK && !j->count_only)
        rc = mv_audio_drain_fifo(j, 0, err);
    return rc;
}

static maivid_code mv_audio_decode_available(mv_audio_job *j, mv_error *err)
{
    for (;;) {
        int ret = avcodec_receive_frame(j->dec, j->decoded);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return MAIVID_OK;
        if (ret < 0)
            return mv_fail(err, MAIVID_E_MEDIA, "the song's audio is damaged (%s): re-download "
                           "or convert the song", av_err2str(ret));
        maivid_code rc = mv_audio_queue(j, j->decoded, err);
        av_frame_unref(j->decoded);
        if (rc != MAIVID_OK)
            return rc;
    }
}

static maivid_code mv_audio_run(mv_audio_job *j, const mv_task *task, mv_error *err)
{
    maivid_code rc = MAIVID_OK;
    int64_t packets = 0;
    while (rc == MAIVID_OK) {
        int ret = av_read_frame(j->in, j->pkt);
        if (ret < 0)
            break;
        if (j->pkt->stream_index == j->stream) {
            /* a damaged packet is skipped, like players do */
            if (avcodec_send_packet(j->dec, j->pkt) >= 0) {
                rc = mv_audio_decode_available(j, err);
                if (rc == MAIVID_OK && j->copy)
                    rc = mv_audio_copy_packet(j, j->pkt, err);
            }
        }
        av_packet_unref(j->pkt);
        if ((++packets & 255) == 0 &&
            (mv_task_cancelled(task) || (j->stop && atomic_load(j->stop))))
            return mv_fail(err, MAIVID_E_CANCELLED, "the render was cancelled");
    }
    if (rc == MAIVID_OK && avcodec_send_packet(j->dec, NULL) >= 0)
        rc = mv_audio_decode_available(j, err);
    if (rc == MAIVID_OK)
        rc = mv_audio_queue(j, NULL, err);
    if (rc == MAIVID_OK && j->copy && j->held->size > 0) {
        /* the last packet keeps the song's own end (its encoder's padding cut off) and lasts
         * no longer than what is left of the counted samples, as an encoder's would */
        if (j->held_own_duration > 0 && j->held_own_duration < j->held->duration)
            j->held->duration = j->held_own_duration;
        int64_t left = j->samples_in + j->out.initial_padding - j->copied_duration;
        if (left > 0 && left < j->held->duration)
            j->held->duration = left;
        rc = mv_audio_copy_packet(j, NULL, err);
    }
    if (rc != MAIVID_OK || j->count_only)
        return rc;
    if (rc == MAIVID_OK)
        rc = mv_audio_drain_fifo(j, 1, err);
    if (rc == MAIVID_OK)
        rc = mv_encoder_push(j->enc, NULL, j->pkt, mv_audio_sink, j, err);
    return rc;
}

static void mv_audio_job_free(mv_audio_job *j)
{
    av_packet_free(&j->pkt);
    av_packet_free(&j->held);
    av_frame_free(&j->decoded);
    av_frame_free(&j->chunk);
    if (j->fifo)
        av_audio_fifo_free(j->fifo);
    swr_free(&j->swr);
    avcodec_free_context(&j->enc);
    avcodec_free_context(&j->dec);
    avformat_close_input(&j->in);
}

static maivid_code mv_audio_empty(const char *audio_path, mv_error *err)
{
    return mv_fail(err, MAIVID_E_MEDIA, "the song %s holds no audio samples: pass a song that "
                   "plays", audio_path);
}

maivid_code mv_render_audio_encode(const char *audio_path, const char *out_path,
                                   const mv_task *task, const atomic_int *stop, double *seconds,
                                   mv_error *err)
{
    mv_audio_job j;
    memset(&j, 0, sizeof j);
    j.stop = stop;
    if (!audio_path || !*audio_path)
        return mv_fail(err, MAIVID_E_INVALID, "the render plan has no song: pass the audio file");
    maivid_code rc = mv_audio_open_input(&j, audio_path, err);
    if (rc == MAIVID_OK)
        rc = mv_audio_can_copy(&j) ? mv_audio_open_copy(&j, out_path, err)
                                   : mv_audio_open_output(&j, out_path, err);
    if (rc == MAIVID_OK)
        rc = mv_audio_run(&j, task, err);
    if (j.copy)
        j.samples_out = j.samples_in;
    if (rc == MAIVID_OK && j.samples_out == 0)
        rc = mv_audio_empty(audio_path, err);
    if (rc == MAIVID_OK) {
        j.out.frame_count = j.samples_out;
        rc = mv_packet_writer_finish(&j.out, err);
    }
    else
        mv_packet_writer_abandon(&j.out);
    if (rc == MAIVID_OK)
        *seconds = (double)j.samples_out / (j.copy ? j.dec->sample_rate : j.enc->sample_rate);
    mv_audio_job_free(&j);
    return rc;
}

maivid_code mv_render_audio_measure(const char *audio_path, const mv_task *task,
                                    double *seconds, mv_error *err)
{
    mv_audio_job j;
    memset(&j, 0, sizeof j);
    if (!audio_path || !*audio_path)
        return mv_fail(err, MAIVID_E_INVALID, "the render plan has no song: pass the audio file");
    int rate = 0;
    maivid_code rc = mv_audio_open_input(&j, audio_path, err);
    if (rc == MAIVID_OK)
        rc = mv_audio_open_counter(&j, &rate, err);
    if (rc == MAIVID_OK)
        rc = mv_audio_run(&j, task, err);
    if (rc == MAIVID_OK && j.samples_in == 0)
        rc = mv_audio_empty(audio_path, err);
    if (rc == MAIVID_OK)
        *seconds = (double)j.samples_in / rate;
    mv_audio_job_free(&j);
    return rc;
}
