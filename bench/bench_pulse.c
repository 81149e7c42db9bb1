/*
 * bench_pulse.c - measures keyframe pulsing on a decoded video (see bench_pulse.h).
 */
#include "bench_pulse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include "render/mv_frame_renderer.h"

#define PULSE_SIDE 5           /* frames on each side of a keyframe */
#define PULSE_FLOOR 0.01       /* smallest denominator: a still picture is not a pulse */

typedef struct pulse_series {
    double *diff;              /* diff[n]: mean |Y(n) - Y(n-1)|, diff[0] = 0 */
    unsigned char *key;        /* 1 where frame n is an I-frame */
    int64_t count, cap;
    uint8_t *prev;             /* the previous frame's luma, width x height */
    int width, height;
} pulse_series;

static int pulse_add(pulse_series *s, const AVFrame *f)
{
    if (s->count == s->cap) {
        int64_t cap = s->cap ? 2 * s->cap : 1024;
        double *d = realloc(s->diff, (size_t)cap * sizeof *d);
        if (!d)
            return -1;
        s->diff = d;
        unsigned char *k = realloc(s->key, (size_t)cap);
        if (!k)
            return -1;
        s->key = k;
        s->cap = cap;
    }
    if (!s->prev) {
        s->width = f->width;
        s->height = f->height;
        if (!(s->prev = malloc((size_t)f->width * f->height)))
            return -1;
    }
    int64_t sum = 0;
    for (int y = 0; y < s->height; y++) {
        const uint8_t *row = f->data[0] + (size_t)y * f->linesize[0];
        uint8_t *prev = s->prev + (size_t)y * s->width;
        for (int x = 0; x < s->width; x++) {
            int d = row[x] - prev[x];
            sum += d < 0 ? -d : d;
        }
        memcpy(prev, row, (size_t)s->width);
    }
    s->diff[s->count] = s->count ? (double)sum / ((double)s->width * s->height) : 0;
    s->key[s->count] = f->pict_type == AV_PICTURE_TYPE_I;
    s->count++;
    return 0;
}

static int pulse_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* diff[n] over the median of the PULSE_SIDE values on each side of it. */
static double pulse_ratio(const double *diff, int64_t n, double *median_out)
{
    double around[2 * PULSE_SIDE];
    for (int i = 0; i < PULSE_SIDE; i++) {
        around[i] = diff[n - 1 - i];
        around[PULSE_SIDE + i] = diff[n + 1 + i];
    }
    qsort(around, 2 * PULSE_SIDE, sizeof around[0], pulse_cmp);
    double median = (around[PULSE_SIDE - 1] + around[PULSE_SIDE]) / 2;
    if (median_out)
        *median_out = median;
    return diff[n] / (median > PULSE_FLOOR ? median : PULSE_FLOOR);
}

static void pulse_summarise(const pulse_series *s, bench_pulse *out)
{
    double sum = 0;
    for (int64_t n = PULSE_SIDE + 1; n + PULSE_SIDE < s->count; n++) {
        if (!s->key[n])
            continue;
        double median;
        double ratio = pulse_ratio(s->diff, n, &median);
        if (getenv("BENCH_PULSE_VERBOSE")) {
            printf("keyframe %lld: change %.3f, median around %.3f, ratio %.2f; around:",
                   (long long)n, s->diff[n], median, ratio);
            for (int64_t k = n - PULSE_SIDE; k <= n + PULSE_SIDE; k++)
                printf(" %.2f", s->diff[k]);
            printf("\n");
        }
        if (out->keyframes == 0 || ratio > out->worst) {
            out->worst = ratio;
            out->worst_frame = n;
        }
        out->keyframes++;
        sum += ratio;
    }
    out->frames = s->count;
    out->mean = out->keyframes ? sum / out->keyframes : 0;
}

int bench_decode_each(const char *mp4, int (*fn)(void *user, const AVFrame *frame), void *user,
                      int64_t *bytes)
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
    int failed = 0, eof = 0;
    if (bytes)
        *bytes = 0;
    if (!dec || !pkt || !frame ||
        avcodec_parameters_to_context(dec, fmt->streams[si]->codecpar) < 0 ||
        avcodec_open2(dec, codec, NULL) < 0) {
        fprintf(stderr, "no decoder for the video of %s\n", mp4);
        failed = 1;
    }
    while (!failed) {
        if (!eof) {
            if (av_read_frame(fmt, pkt) < 0) {
                eof = 1;
                avcodec_send_packet(dec, NULL);
            } else {
                if (pkt->stream_index == si) {
                    if (bytes)
                        *bytes += pkt->size;
                    avcodec_send_packet(dec, pkt);
                }
                av_packet_unref(pkt);
            }
        }
        int r;
        while (!failed && (r = avcodec_receive_frame(dec, frame)) == 0) {
            failed = fn(user, frame) != 0;
            av_frame_unref(frame);
        }
        if (failed || r == AVERROR_EOF)
            break;
        if (r != AVERROR(EAGAIN))
            failed = 1;
    }
    if (failed)
        fprintf(stderr, "decoding %s failed\n", mp4);
    av_frame_free(&frame);
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
    return failed ? -1 : 0;
}

static int pulse_frame(void *user, const AVFrame *frame)
{
    return pulse_add(user, frame);
}

int bench_pulse_measure(const char *mp4, bench_pulse *out)
{
    memset(out, 0, sizeof *out);
    pulse_series s = {0};
    int rc = bench_decode_each(mp4, pulse_frame, &s, &out->bytes);
    if (rc == 0)
        pulse_summarise(&s, out);
    free(s.diff);
    free(s.key);
    free(s.prev);
    return rc;
}

double bench_pulse_drawn_ratio(const mv_render_plan *plan, double seconds, int64_t frame)
{
    mv_timeline tl;
    mv_frame_renderer r;
    mv_yuv prev, cur;
    double diff[2 * PULSE_SIDE + 1], ratio = -1;
    if (frame <= PULSE_SIDE || mv_timeline_build(plan, seconds, &tl, NULL) != MAIVID_OK)
        return -1;
    int inited = mv_frame_renderer_init(&r, plan, &tl, NULL) == MAIVID_OK;
    int have_prev = inited && mv_yuv_alloc(&prev, plan->width, plan->height) == 0;
    int have_cur = have_prev && mv_yuv_alloc(&cur, plan->width, plan->height) == 0;
    int ok = have_cur;
    /* frames drawn in order, from the one before the first difference needed */
    for (int64_t k = frame - PULSE_SIDE - 1; ok && k <= frame + PULSE_SIDE; k++) {
        ok = mv_frame_renderer_draw(&r, (double)k / plan->fps, &cur, NULL) == MAIVID_OK;
        if (ok && k >= frame - PULSE_SIDE) {
            int64_t sum = 0;
            for (int y = 0; y < plan->height; y++) {
                const uint8_t *a = cur.plane[0] + (size_t)y * cur.stride[0];
                const uint8_t *b = prev.plane[0] + (size_t)y * prev.stride[0];
                for (int x = 0; x < plan->width; x++)
                    sum += abs(a[x] - b[x]);
            }
            diff[k - (frame - PULSE_SIDE)] = (double)sum / ((double)plan->width * plan->height);
        }
        mv_yuv t = prev;
        prev = cur;
        cur = t;
    }
    if (ok)
        ratio = pulse_ratio(diff, PULSE_SIDE, NULL);
    if (have_cur)
        mv_yuv_free(&cur);
    if (have_prev)
        mv_yuv_free(&prev);
    if (inited)
        mv_frame_renderer_free(&r);
    mv_timeline_free(&tl);
    return ratio;
}
