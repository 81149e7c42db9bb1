/*
 * mv_paint_finish.c - the last passes: bloom (bright parts blurred at 1/8 resolution and added
 * back), then per pixel a soft highlight shoulder, exposure, the style's colour grade, black
 * and white for noir, a vignette and film grain, written out as RGB24.
 */
#include "paint/mv_paint_internal.h"

#include <stdlib.h>
#include <string.h>

#define MV_BLOOM_SCALE 8

/* Box blur of a small float RGB image in place, along rows then columns. */
static void mv_box_blur(float *img, float *tmp, int w, int h, int r)
{
    float norm = 1.0f / (float)(2 * r + 1);
    for (int pass = 0; pass < 2; pass++) {
        int n = pass == 0 ? h : w, len = pass == 0 ? w : h;
        size_t step = pass == 0 ? 3 : (size_t)w * 3;
        for (int line = 0; line < n; line++) {
            float *base = pass == 0 ? img + (size_t)line * (size_t)w * 3 : img + (size_t)line * 3;
            for (int i = 0; i < len; i++) {
                float acc[3] = {0, 0, 0};
                for (int k = -r; k <= r; k++) {
                    int j = i + k < 0 ? 0 : (i + k >= len ? len - 1 : i + k);
                    const float *q = base + (size_t)j * step;
                    acc[0] += q[0];
                    acc[1] += q[1];
                    acc[2] += q[2];
                }
                tmp[i * 3] = acc[0] * norm;
                tmp[i * 3 + 1] = acc[1] * norm;
                tmp[i * 3 + 2] = acc[2] * norm;
            }
            for (int i = 0; i < len; i++)
                memcpy(base + (size_t)i * step, tmp + i * 3, 3 * sizeof(float));
        }
    }
}

int mv_paint_bloom(const mv_scene *s, const mv_canvas *c)
{
    if (s->bloom <= 0.0f)
        return 0;
    int bw = (c->w + MV_BLOOM_SCALE - 1) / MV_BLOOM_SCALE;
    int bh = (c->h + MV_BLOOM_SCALE - 1) / MV_BLOOM_SCALE;
    if (bw < 2 || bh < 2)
        return 0;
    float *small = calloc((size_t)bw * (size_t)bh * 3, sizeof(float));
    float *tmp = malloc((size_t)(bw > bh ? bw : bh) * 3 * sizeof(float));
    if (!small || !tmp) {
        free(small);
        free(tmp);
        return -1;
    }
    const float threshold = 0.62f;
    for (int y = 0; y < c->h; y++) {
        const float *p = mv_canvas_at(c, 0, y);
        float *row = small + (size_t)(y / MV_BLOOM_SCALE) * (size_t)bw * 3;
        for (int x = 0; x < c->w; x++, p += 3) {
            float l = 0.2126f * p[0] + 0.7152f * p[1] + 0.0722f * p[2];
            if (l <= threshold)
                continue;
            float k = (l - threshold) / l;
            float *q = row + (x / MV_BLOOM_SCALE) * 3;
            q[0] += p[0] * k;
            q[1] += p[1] * k;
            q[2] += p[2] * k;
        }
    }
    float norm = 1.0f / (float)(MV_BLOOM_SCALE * MV_BLOOM_SCALE);
    for (size_t i = 0; i < (size_t)bw * (size_t)bh * 3; i++)
        small[i] *= norm;
    int radius = bh / 40 > 2 ? bh / 40 : 2;
    mv_box_blur(small, tmp, bw, bh, radius);
    mv_box_blur(small, tmp, bw, bh, radius);
    float strength = s->bloom;
    float *row = malloc((size_t)bw * 3 * sizeof(float));
    if (!row) {
        free(small);
        free(tmp);
        return -1;
    }
    for (int y = 0; y < c->h; y++) {
        float fy = ((float)y + 0.5f) / MV_BLOOM_SCALE - 0.5f;
        int y0 = (int)fmaxf(0.0f, floorf(fy));
        int y1 = y0 + 1 < bh ? y0 + 1 : bh - 1;
        float ty = mv_clampf(fy - (float)y0, 0.0f, 1.0f);
        const float *r0 = small + (size_t)y0 * (size_t)bw * 3, *r1 = small + (size_t)y1 * (size_t)bw * 3;
        float peak = 0.0f;
        for (int i = 0; i < bw * 3; i++) {
            row[i] = (r0[i] + (r1[i] - r0[i]) * ty) * strength;
            peak = fmaxf(peak, row[i]);
        }
        if (peak < 0.002f) /* nothing bright near this row */
            continue;
        float *p = mv_canvas_at(c, 0, y);
        for (int x = 0; x < c->w; x++, p += 3) {
            float fx = ((float)x + 0.5f) / MV_BLOOM_SCALE - 0.5f;
            int x0 = fx > 0.0f ? (int)fx : 0;
            int x1 = x0 + 1 < bw ? x0 + 1 : bw - 1;
            float tx = mv_clampf(fx - (float)x0, 0.0f, 1.0f);
            const float *a = row + x0 * 3, *b = row + x1 * 3;
            p[0] += a[0] + (b[0] - a[0]) * tx;
            p[1] += a[1] + (b[1] - a[1]) * tx;
            p[2] += a[2] + (b[2] - a[2]) * tx;
        }
    }
    free(row);
    free(small);
    free(tmp);
    return 0;
}

static inline float mv_shoulder(float v)
{
    const float knee = 0.8f;
    if (v <= knee)
        return v;
    return knee + (1.0f - knee) * (1.0f - expf(-(v - knee) / (1.0f - knee)));
}

void mv_paint_finish(const mv_scene *s, const mv_canvas *c, uint8_t *rgb)
{
    mv_rgb ramp[256];
    for (int i = 0; i < 256; i++) {
        float l = (float)i / 255.0f * 4.0f;
        int k = (int)l;
        if (k > 3)
            k = 3;
        ramp[i] = mv_rgb_mix(s->palette[k], s->palette[k + 1], l - (float)k);
    }
    float grade = s->grade, exposure = s->exposure;
    float grain = s->grain, vignette = s->vignette * 0.25f;
    float inv_w = 2.0f / (float)c->w, inv_h = 2.0f / (float)c->h;
    for (int y = 0; y < c->h; y++) {
        const float *p = mv_canvas_at(c, 0, y);
        uint8_t *out = rgb + (size_t)y * (size_t)c->w * 3;
        float vy = ((float)y + 0.5f) * inv_h - 1.0f;
        vy *= vy;
        for (int x = 0; x < c->w; x++, p += 3, out += 3) {
            float r = mv_shoulder(p[0] * exposure);
            float g = mv_shoulder(p[1] * exposure);
            float b = mv_shoulder(p[2] * exposure);
            float l = 0.2126f * r + 0.7152f * g + 0.0722f * b;
            int li = (int)(mv_clampf(l, 0.0f, 1.0f) * 255.0f);
            r += (ramp[li].r - r) * grade;
            g += (ramp[li].g - g) * grade;
            b += (ramp[li].b - b) * grade;
            if (s->mono) {
                float m = 0.2126f * r + 0.7152f * g + 0.0722f * b;
                /* a touch more contrast for the noir look */
                m = mv_clampf((m - 0.5f) * 1.15f + 0.5f, 0.0f, 1.0f);
                r = g = b = m;
            }
            float vx = ((float)x + 0.5f) * inv_w - 1.0f;
            float r2 = vx * vx + vy;
            float v = 1.0f - vignette * r2 * r2;
            uint32_t hsh = ((uint32_t)x * 0x9E3779B1U) ^ ((uint32_t)y * 0x85EBCA77U) ^ s->seed;
            hsh *= 0xC2B2AE3DU;
            float n = grain > 0.0f ? ((float)(hsh >> 24) * (1.0f / 255.0f) - 0.5f) * grain : 0.0f;
            float R = r * v * 255.0f + n + 0.5f, G = g * v * 255.0f + n + 0.5f;
            float B = b * v * 255.0f + n + 0.5f;
            out[0] = (uint8_t)(R < 0 ? 0 : (R > 255 ? 255 : R));
            out[1] = (uint8_t)(G < 0 ? 0 : (G > 255 ? 255 : G));
            out[2] = (uint8_t)(B < 0 ? 0 : (B > 255 ? 255 : B));
        }
    }
}
