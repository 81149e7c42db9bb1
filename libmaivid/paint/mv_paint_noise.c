/*
 * mv_paint_noise.c - deterministic value noise for the painter: 1-D and 2-D fractal noise from
 * integer hashes (same seed, same values on every machine), and noise images precomputed at
 * low resolution so per-pixel layers (clouds, nebulae) only sample bilinearly.
 */
#include "paint/mv_paint_internal.h"

#include <stdlib.h>

static inline float mv_fade(float t)
{
    return t * t * (3.0f - 2.0f * t);
}

float mv_noise2(float x, float y, uint32_t seed)
{
    float fx = floorf(x), fy = floorf(y);
    int32_t ix = (int32_t)fx, iy = (int32_t)fy;
    float tx = mv_fade(x - fx), ty = mv_fade(y - fy);
    float a = mv_hashf(ix, iy, seed), b = mv_hashf(ix + 1, iy, seed);
    float c = mv_hashf(ix, iy + 1, seed), d = mv_hashf(ix + 1, iy + 1, seed);
    float top = a + (b - a) * tx, bottom = c + (d - c) * tx;
    return top + (bottom - top) * ty;
}

float mv_fbm2(float x, float y, int octaves, uint32_t seed)
{
    float sum = 0.0f, amp = 0.5f, norm = 0.0f;
    for (int i = 0; i < octaves; i++) {
        sum += amp * mv_noise2(x, y, seed + (uint32_t)i * 1013U);
        norm += amp;
        /* rotate a little between octaves so the lattice does not show */
        float nx = x * 1.6f - y * 1.2f, ny = x * 1.2f + y * 1.6f;
        x = nx + 17.3f;
        y = ny + 9.1f;
        amp *= 0.5f;
    }
    return sum / norm;
}

float mv_fbm1(float x, int octaves, uint32_t seed)
{
    float sum = 0.0f, amp = 0.5f, norm = 0.0f;
    for (int i = 0; i < octaves; i++) {
        float fx = floorf(x);
        int32_t ix = (int32_t)fx;
        float t = mv_fade(x - fx);
        uint32_t s = seed + (uint32_t)i * 7919U;
        float a = mv_hashf(ix, 0, s), b = mv_hashf(ix + 1, 0, s);
        sum += amp * (a + (b - a) * t);
        norm += amp;
        x = x * 2.03f + 5.7f;
        amp *= 0.5f;
    }
    return sum / norm;
}

int mv_field_fbm(mv_field *f, int w, int h, float aspect, float freq, float stretch, int octaves,
                 uint32_t seed)
{
    if (w < 2)
        w = 2;
    if (h < 2)
        h = 2;
    f->w = w;
    f->h = h;
    f->v = malloc((size_t)w * (size_t)h * sizeof(float));
    if (!f->v)
        return -1;
    for (int y = 0; y < h; y++) {
        float v = (float)y / (float)(h - 1) * freq;
        for (int x = 0; x < w; x++) {
            float u = (float)x / (float)(w - 1) * aspect * freq / stretch;
            f->v[(size_t)y * (size_t)w + (size_t)x] = mv_fbm2(u, v, octaves, seed);
        }
    }
    return 0;
}

void mv_field_free(mv_field *f)
{
    free(f->v);
    f->v = NULL;
}
