/*
 * mv_flash_limiter.h - photosensitivity guard on the final frames (ITU-R BT.1702, WCAG
 * 2.3.1 style): a general flash is a pair of opposing changes of the frame's relative
 * luminance by at least 10% of the maximum where the darker state is below 0.8; never more
 * than 3 flashes (6 transitions) are allowed in any sliding one-second window. A frame that
 * would make one more transition is attenuated: its luma is shifted back towards the last
 * extreme so the change stays under the threshold. The whole frame's mean luminance is what
 * is measured, which counts a flash over a quarter of the screen once its change reaches
 * 2.5% of full scale, and a full-screen flash always.
 */
#ifndef MV_FLASH_LIMITER_H
#define MV_FLASH_LIMITER_H

#include <stdint.h>

#include "render/mv_yuv.h"

#define MV_FLASH_MAX_PER_SECOND 3

typedef struct mv_flash_limiter {
    int fps;
    int64_t last_frame;       /* -1: nothing seen */
    double reference;         /* relative luminance of the last extreme */
    int direction;            /* +1 / -1: of the last transition; 0: none yet */
    int64_t transitions[2 * MV_FLASH_MAX_PER_SECOND + 1]; /* frame numbers, a ring */
    int transition_count;     /* entries used in the ring */
    int transition_head;
    int max_flashes;          /* the most flashes seen in any one-second window */
    int64_t attenuated;       /* frames changed by the limiter */
} mv_flash_limiter;

void mv_flash_limiter_init(mv_flash_limiter *f, int fps);
/* Measures frame number n (frames in order; a jump in n restarts the history) and
 * attenuates it when it would exceed the limit. */
void mv_flash_limiter_apply(mv_flash_limiter *f, int64_t n, mv_yuv *frame);
/* Relative luminance 0..1 of the frame's mean luma (BT.709 limited range, gamma 2.2). */
double mv_frame_luminance(const mv_yuv *frame);

#endif /* MV_FLASH_LIMITER_H */
