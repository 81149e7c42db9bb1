/*
 * bench_reference.c - the encoder alone on the frames a render produced (see
 * bench_reference.h): decode to raw yuv420p, then encode in-process and with the ffmpeg CLI.
 */
#include "bench_reference.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include "render/mv_render_checkpoint.h"
#include "render/mv_render_encoder.h"

double bench_cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

static int bench_write_frame(FILE *f, const AVFrame *fr)
{
    for (int p = 0; p < 3; p++) {
        int w = p ? (fr->width + 1) / 2 : fr->width, h = p ? (fr->height + 1) / 2 : fr->height;
        for (int y = 0; y < h; y++)
            if (fwrite(fr->data[p] + (size_t)y * fr->linesize[p], 1, (size_t)w, f) != (size_t)w)
                return -1;
    }
    return 0;
}

int bench_decode_raw(const char *mp4, bench_raw *raw)
{
    AVFormatContext *fmt = NULL;
    if (avformat_open_input(&fmt, mp4, NULL, NULL) < 0 || avformat_find_stream_info(fmt, NULL) < 0) {
        fprintf(stderr, "cannot read %s\n", mp4);
        avformat_close_input(&fmt);
        return -1;
    }
    int si = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    const AVCodec *codec = si >= 0 ? avcodec_find_decoder(fmt->streams[si]->codecpar->codec_id)
                                   : NULL;
    AVCodecContext *dec = codec ? avcodec_alloc_context3(codec) : NULL;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    FILE *out = fopen(raw->path, "wb");
    int rc = -1, eof = 0, failed = 0;
    raw->frames = 0;
    if (!dec || !pkt || !frame || !out ||
        avcodec_parameters_to_context(dec, fmt->streams[si]->codecpar) < 0 ||
        avcodec_open2(dec, codec, NULL) < 0 || dec->pix_fmt != AV_PIX_FMT_YUV420P) {
        fprintf(stderr, "cannot decode the video of %s to %s\n", mp4, raw->path);
        goto done;
    }
    raw->width = dec->width;
    raw->height = dec->height;
    AVRational fr = fmt->streams[si]->avg_frame_rate;
    raw->fps = fr.den ? (int)(fr.num / fr.den) : 30;
    while (!failed) {
        if (!eof) {
            if (av_read_frame(fmt, pkt) < 0) {
                eof = 1;
                avcodec_send_packet(dec, NULL);
            } else {
                if (pkt->stream_index == si)
                    avcodec_send_packet(dec, pkt);
                av_packet_unref(pkt);
            }
        }
        int r;
        while ((r = avcodec_receive_frame(dec, frame)) == 0) {
            failed |= bench_write_frame(out, frame) != 0;
            unsigned char *key = realloc(raw->key, (size_t)raw->frames + 1);
            if (!key) {
                failed = 1;
                break;
            }
            raw->key = key;
            key[raw->frames] = frame->pict_type == AV_PICTURE_TYPE_I;
            raw->frames++;
            av_frame_unref(frame);
        }
        if (r == AVERROR_EOF)
            break;
        if (r != AVERROR(EAGAIN))
            failed = 1;
    }
    rc = failed ? -1 : 0;
done:
    if (out && fclose(out) != 0)
        rc = -1;
    av_frame_free(&frame);
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
    return rc;
}

static maivid_code bench_count(void *user, AVPacket *pkt, mv_error *err)
{
    (void)err;
    *(int64_t *)user += pkt->size;
    return MAIVID_OK;
}

int bench_encode_raw(const bench_raw *raw, bench_timing *t)
{
    FILE *in = fopen(raw->path, "rb");
    AVFrame *f = av_frame_alloc();
    AVPacket *pkt = av_packet_alloc();
    int rc = -1;
    if (!in || !f || !pkt)
        goto done;
    f->format = AV_PIX_FMT_YUV420P;
    f->width = raw->width;
    f->height = raw->height;
    if (av_frame_get_buffer(f, 0) < 0)
        goto done;
    memset(t, 0, sizeof *t);
    int keyint = (int)raw->frames + 1; /* the render's: keyframes only where it forces them */
    double t0 = mv_monotonic(), c0 = bench_cpu_seconds();
    mv_video_encoder enc;
    if (mv_video_encoder_open(&enc, MV_RENDER_DEFAULT_ENCODER, raw->width, raw->height,
                              raw->fps, keyint, NULL) != MAIVID_OK)
        goto done;
    rc = 0;
    for (int64_t n = 0; rc == 0 && n < raw->frames; n++) {
        if (av_frame_make_writable(f) < 0) {
            rc = -1;
            break;
        }
        for (int p = 0; p < 3 && rc == 0; p++) {
            int w = p ? raw->width / 2 : raw->width, h = p ? raw->height / 2 : raw->height;
            for (int y = 0; y < h; y++)
                if (fread(f->data[p] + (size_t)y * f->linesize[p], 1, (size_t)w, in) != (size_t)w)
                    rc = -1;
        }
        f->pts = n;
        /* keyframes where the render had them (segment starts, scene cuts) */
        f->pict_type = raw->key[n] ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
        if (rc == 0 && mv_video_encoder_send(&enc, f, pkt, bench_count, &t->bytes, NULL) != MAIVID_OK)
            rc = -1;
    }
    if (rc == 0 && mv_video_encoder_send(&enc, NULL, pkt, bench_count, &t->bytes, NULL) != MAIVID_OK)
        rc = -1;
    t->wall = mv_monotonic() - t0;
    t->cpu = bench_cpu_seconds() - c0;
    mv_video_encoder_close(&enc);
done:
    if (in)
        fclose(in);
    av_frame_free(&f);
    av_packet_free(&pkt);
    return rc;
}

int bench_encode_raw_cli(const bench_raw *raw, bench_timing *t)
{
    if (system("command -v ffmpeg >/dev/null 2>&1") != 0)
        return 1;
    memset(t, 0, sizeof *t);
    int keyint = (int)raw->frames + 1; /* the render's: keyframes only where it forces them */
    char size[32], rate[16], gop[16], out[4300];
    size_t cap = 16 * (size_t)raw->frames + 16, len = 0;
    char *force = malloc(cap);
    if (!force)
        return -1;
    force[0] = 0;
    for (int64_t n = 0; n < raw->frames; n++)
        if (raw->key[n])
            len += (size_t)snprintf(force + len, cap - len, "%s%.6f", len ? "," : "",
                                    (double)n / raw->fps);
    snprintf(size, sizeof size, "%dx%d", raw->width, raw->height);
    snprintf(rate, sizeof rate, "%d", raw->fps);
    snprintf(gop, sizeof gop, "%d", keyint);
    snprintf(out, sizeof out, "%s.cli.h264", raw->path);
    double t0 = mv_monotonic();
    pid_t pid = fork();
    if (pid == 0) {
        execlp("ffmpeg", "ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "rawvideo",
               "-pix_fmt", "yuv420p", "-s", size, "-r", rate, "-i", raw->path, "-c:v", "libx264",
               "-preset", MV_RENDER_X264_PRESET, "-crf", MV_RENDER_X264_CRF, "-profile:v", "high",
               "-g", gop, "-force_key_frames", force, "-x264-params", MV_RENDER_X264_PARAMS,
               "-threads", "0", out, (char *)NULL);
        _exit(127);
    }
    free(force);
    if (pid < 0)
        return -1;
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    t->wall = mv_monotonic() - t0;
    t->cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
             ru.ru_stime.tv_usec / 1e6;
    FILE *f = fopen(out, "rb");
    if (f) {
        fseek(f, 0, SEEK_END);
        t->bytes = ftell(f);
        fclose(f);
    }
    unlink(out);
    return 0;
}
