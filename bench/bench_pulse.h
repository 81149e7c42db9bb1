/*
 * bench_pulse.h - keyframe pulsing measured on a finished video (issue 15): decodes the MP4,
 * takes the mean absolute luma difference between each frame and the one before, and at each
 * I-frame divides it by the median of the 10 frames around it (5 before, 5 after). A ratio
 * near 1 means the keyframe is invisible; the target is <= 1.5 at every keyframe.
 * Shared by bench_render and the test test_render_keyframes. bench_pulse_drawn_ratio gives
 * the same ratio on the frames as drawn, before any encoding: what the picture itself does
 * at a keyframe (about 1.0 in the middle of a 1-second crossfade at 30 fps; at a hard cut
 * it is the cut's own change, so a large ratio there is the picture's, not the encoder's).
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

struct mv_render_plan;

/* The ratio at frame `frame` of the frames the plan draws (over `seconds` of song), before
 * any encoding; -1 when they cannot be drawn. */
double bench_pulse_drawn_ratio(const struct mv_render_plan *plan, double seconds,
                               int64_t frame);

#endif /* BENCH_PULSE_H */
