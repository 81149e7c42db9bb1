/*
 * sizes.c - the generation size for a model family: close to the pixel count the model was
 * trained at, at the video's aspect ratio, in the multiples its latent needs (the renderer
 * scales the image to the frame); and a video family's clip length rule.
 */
#include "comfy/mv_comfy.h"

#include <math.h>

void mv_comfy_size_for(mv_model_family family, long native_pixels, int frame_w, int frame_h,
                       int *out_w, int *out_h)
{
    long pixels;
    int step;
    switch (family) {
    case MV_FAMILY_SDXL_TURBO: pixels = 512L * 512L; step = 64; break;
    case MV_FAMILY_SD3:        pixels = 1024L * 1024L; step = 16; break;
    case MV_FAMILY_FLUX:       pixels = 1024L * 1024L; step = 16; break;
    case MV_FAMILY_WAN22:      pixels = 1280L * 704L; step = 32; break;
    case MV_FAMILY_LTXV:       pixels = 768L * 512L; step = 32; break;
    default:
        pixels = native_pixels > 64L * 64L ? native_pixels : 1024L * 1024L;
        step = 16;
        break;
    }
    double aspect = (frame_w > 0 && frame_h > 0) ? (double)frame_w / frame_h : 1.0;
    if (aspect < 0.25)
        aspect = 0.25;
    if (aspect > 4.0)
        aspect = 4.0;
    double ideal_h = sqrt((double)pixels / aspect);
    /* Try heights around the ideal one; score aspect error first, then pixel count. */
    int best_w = step, best_h = step;
    double best_score = 1e30;
    for (int h = step; h <= (int)(ideal_h * 1.5) + step; h += step) {
        if (h < ideal_h * 0.7)
            continue;
        int w = (int)lround(aspect * h / step) * step;
        if (w < step)
            w = step;
        double aspect_err = fabs(log((double)w / h / aspect));
        double pixel_err = fabs(log((double)w * h / (double)pixels));
        double score = aspect_err * 3.0 + pixel_err;
        if (score < best_score) {
            best_score = score;
            best_w = w;
            best_h = h;
        }
    }
    *out_w = best_w;
    *out_h = best_h;
}

void mv_comfy_clip_frames(mv_model_family family, double seconds, int *frames, int *fps)
{
    int rate = 24, group = family == MV_FAMILY_WAN22 ? 4 : 8;
    double want = seconds > 0 ? seconds * rate : 0;
    long n = lround((want - 1) / group);
    if (n < 16 / group)
        n = 16 / group;
    if (n > 120 / group)
        n = 120 / group;
    *frames = (int)(n * group + 1);
    *fps = rate;
}
