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

#include "bench_pulse.h"
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

typedef struct bench_raw_out {
    bench_raw *raw;
    FILE *file;
} bench_raw_out;

static int bench_raw_frame(void *user, const AVFrame *frame)
{
    bench_raw_out *o = user;
    bench_raw *raw = o->raw;
    if (frame->format != AV_PIX_FMT_YUV420P)
        return -1;
    unsigned char *key = realloc(raw->key, (size_t)raw->frames + 1);
    if (!key)
        return -1;
    raw->key = key;
    key[raw->frames++] = frame->pict_type == AV_PICTURE_TYPE_I;
    raw->width = frame->width;
    raw->height = frame->height;
    return bench_write_frame(o->file, frame);
}

int bench_decode_raw(const char *mp4, bench_raw *raw)
{
    AVFormatContext *fmt = NULL;
    raw->fps = 30;
    if (avformat_open_input(&fmt, mp4, NULL, NULL) == 0 &&
        avformat_find_stream_info(fmt, NULL) >= 0) {
        int si = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
        AVRational fr = si >= 0 ? fmt->streams[si]->avg_frame_rate : (AVRational){30, 1};
        raw->fps = fr.den ? (int)(fr.num / fr.den) : 30;
    }
    avformat_close_input(&fmt);
    bench_raw_out o = {raw, fopen(raw->path, "wb")};
    raw->frames = 0;
    if (!o.file) {
        fprintf(stderr, "cannot write %s\n", raw->path);
        return -1;
    }
    int rc = bench_decode_each(mp4, bench_raw_frame, &o, NULL);
    if (fclose(o.file) != 0)
        rc = -1;
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
    t->peak_kib = ru.ru_maxrss; /* Linux: KiB */
    FILE *f = fopen(out, "rb");
    if (f) {
        fseek(f, 0, SEEK_END);
        t->bytes = ftell(f);
        fclose(f);
    }
    unlink(out);
    return 0;
}
