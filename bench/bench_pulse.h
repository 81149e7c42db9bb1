/*
 * bench_pulse.h - keyframe pulsing measured on a finished video (issue 15): decodes the MP4,
 * takes the mean absolute luma difference between each frame and the one before, and at each
 * I-frame divides it by the median of the 10 frames around it (5 before, 5 after). A ratio
 * near 1 means the keyframe is invisible; the target is <= 1.5 at every keyframe.
 * Shared by bench_render (--pulse) and the end-to-end test test_render_keyframe_pulse.
 */
#ifndef BENCH_PULSE_H
#define BENCH_PULSE_H

#include <stdint.h>

typedef struct bench_pulse {
    int64_t frames, keyframes;  /* keyframes: I-frames after the first frame with 5 on each side */
    double worst, mean;         /* of the keyframe ratios */
    int64_t worst_frame;
    int64_t bytes;              /* of the video stream */
} bench_pulse;

struct AVFrame;

/* Decodes the first video stream of mp4 and calls fn for every frame in order (a non-zero
 * return stops it); *bytes (may be NULL) gets the stream's packet bytes. 0 on success. */
int bench_decode_each(const char *mp4, int (*fn)(void *user, const struct AVFrame *frame),
                      void *user, int64_t *bytes);

/* 0 on success, -1 when the file cannot be decoded (message on stderr). */
int bench_pulse_measure(const char *mp4, bench_pulse *out);

#endif /* BENCH_PULSE_H */
