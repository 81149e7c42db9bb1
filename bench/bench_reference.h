/*
 * bench_reference.h - the honest reference for the render benchmark (issue 15): the encoder
 * alone on the very frames a render produced. The render's MP4 is decoded to a raw yuv420p
 * file, which is then encoded with the render's own encoder settings, in-process
 * (mv_video_encoder_open) and with the ffmpeg command-line tool when it is installed.
 */
#ifndef BENCH_REFERENCE_H
#define BENCH_REFERENCE_H

#include <stdint.h>

typedef struct bench_raw {
    char path[4200];
    int width, height, fps;
    int64_t frames;
    unsigned char *key; /* key[n]: 1 where the video had an I-frame (the reference forces
                         * its keyframes at the same frames); malloc'd, free it */
} bench_raw;

typedef struct bench_timing {
    double wall, cpu; /* seconds; cpu: this process's (in-process) or the child's (CLI) */
    int64_t bytes;    /* of the encoded stream */
    long peak_kib;    /* the CLI child's peak RSS (KiB; the encoder alone, no decoder: it reads
                       * the raw file); 0 in-process, where the process holds more */
} bench_timing;

/* Decodes the first video stream of mp4 into raw->path (yuv420p, planes one after another,
 * no padding). 0 on success. */
int bench_decode_raw(const char *mp4, bench_raw *raw);

/* Encodes the raw frames in-process with the render's encoder settings. 0 on success. */
int bench_encode_raw(const bench_raw *raw, bench_timing *t);

/* The same with the ffmpeg CLI (same preset, crf, keyint, x264 options, automatic threads):
 * 0 on success, 1 when there is no ffmpeg on PATH, -1 when it failed. */
int bench_encode_raw_cli(const bench_raw *raw, bench_timing *t);

/* CPU seconds (user + system) of this process, all threads. */
double bench_cpu_seconds(void);

#endif /* BENCH_REFERENCE_H */
