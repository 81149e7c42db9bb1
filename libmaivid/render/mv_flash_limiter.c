/*
 * mv_flash_limiter.c - counts luminance transitions over a sliding one-second window and
 * dims (or lifts) the frame that would exceed 3 flashes a second (see mv_flash_limiter.h).
 */
#include "render/mv_flash_limiter.h"

#include <math.h>
#include <string.h>

#define MV_FLASH_THRESHOLD 0.10   /* of the maximum relative luminance */
#define MV_FLASH_DARK_LIMIT 0.80  /* the darker state must be below this */
#define MV_FLASH_RING (2 * MV_FLASH_MAX_PER_SECOND + 1)

static double mv_lum_of_code(double y)
{
    double v = (y - 16) / 219;
    v = v < 0 ? 0 : (v > 1 ? 1 : v);
    return pow(v, 2.2);
}

static double mv_code_of_lum(double l)
{
    l = l < 0 ? 0 : (l > 1 ? 1 : l);
    return 16 + 219 * pow(l, 1 / 2.2);
}

static double mv_mean_luma(const mv_yuv *frame)
{
    double sum = 0;
    long n = 0;
    for (int j = 1; j < frame->height; j += 4) {
        const uint8_t *row = frame->plane[0] + (size_t)j * frame->stride[0];
        long s = 0;
        for (int i = 1; i < frame->width; i += 4)
            s += row[i];
        sum += (double)s;
        n += (frame->width + 2) / 4;
    }
    return n ? sum / n : 16;
}

double mv_frame_luminance(const mv_yuv *frame)
{
    return mv_lum_of_code(mv_mean_luma(frame));
}

void mv_flash_limiter_init(mv_flash_limiter *f, int fps)
{
    memset(f, 0, sizeof *f);
    f->fps = fps > 0 ? fps : 30;
    f->last_frame = -1;
}

/* Transitions inside the window of one second ending at frame n. */
static int mv_window_count(mv_flash_limiter *f, int64_t n)
{
    int count = 0;
    for (int k = 0; k < f->transition_count; k++) {
        int64_t at = f->transitions[(f->transition_head + MV_FLASH_RING - 1 - k) % MV_FLASH_RING];
        if (at > n - f->fps)
            count++;
    }
    return count;
}

static void mv_shift_luma(mv_yuv *frame, int shift)
{
    for (int j = 0; j < frame->height; j++) {
        uint8_t *row = frame->plane[0] + (size_t)j * frame->stride[0];
        for (int i = 0; i < frame->width; i++) {
            int v = row[i] + shift;
            row[i] = (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
        }
    }
}

void mv_flash_limiter_apply(mv_flash_limiter *f, int64_t n, mv_yuv *frame)
{
    double mean = mv_mean_luma(frame);
    double l = mv_lum_of_code(mean);
    if (f->last_frame < 0 || n != f->last_frame + 1) {
        f->last_frame = n;
        f->reference = l;
        f->direction = 0;
        f->transition_count = 0;
        return;
    }
    f->last_frame = n;
    double delta = l - f->reference;
    int sign = delta > 0 ? 1 : -1;
    int transition = fabs(delta) >= MV_FLASH_THRESHOLD &&
                     fmin(l, f->reference) < MV_FLASH_DARK_LIMIT &&
                     (f->direction == 0 || sign != f->direction);
    if (!transition) {
        /* follow the extreme reached since the last transition */
        if (f->direction == 0 || (f->direction > 0 && l > f->reference) ||
            (f->direction < 0 && l < f->reference))
            f->reference = l;
    } else if (mv_window_count(f, n) + 1 > 2 * MV_FLASH_MAX_PER_SECOND) {
        /* one more transition would make a 4th flash this second: keep the change under
         * the threshold instead */
        double target = f->reference + sign * MV_FLASH_THRESHOLD * 0.8;
        mv_shift_luma(frame, (int)lrint(mv_code_of_lum(target) - mean));
        f->attenuated++;
    } else {
        f->transitions[f->transition_head] = n;
        f->transition_head = (f->transition_head + 1) % MV_FLASH_RING;
        if (f->transition_count < MV_FLASH_RING)
            f->transition_count++;
        f->direction = sign;
        f->reference = l;
    }
    int flashes = mv_window_count(f, n) / 2;
    if (flashes > f->max_flashes)
        f->max_flashes = flashes;
}
