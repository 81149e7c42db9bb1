/*
 * mv_paint_weather.c - what hangs in the air in front of the scene: a mist band over the
 * horizon, slanted rain streaks and snowflakes of several sizes (nearer ones larger and
 * softer). Fire is a motif (mv_motif_lights.c), not a strip along the bottom.
 */
#include "paint/mv_paint_internal.h"

#include <stdlib.h>

void mv_paint_mist(const mv_scene *s, const mv_canvas *c)
{
    float amount = s->haze - 0.1f;
    if (amount <= 0.0f || s->space)
        return;
    int fw = c->w / 8 < 240 ? c->w / 8 : 240;
    if (fw < 8)
        fw = 8;
    int fh = (int)((float)fw * (float)c->h / (float)c->w);
    if (fh < 8)
        fh = 8;
    mv_field f;
    float aspect = (float)c->w / (float)c->h;
    if (mv_field_fbm(&f, fw, fh, aspect, 3.0f, 3.0f, 4, s->seed + 83U) != 0)
        return;
    mv_rgb fog = mv_rgb_mix(s->fog, s->sky_mid, 0.2f);
    fog = mv_rgb_add(fog, mv_rgb_scale(mv_rgb_make(1, 1, 1), 0.06f * (1.0f - s->night)));
    float hz = s->horizon * (float)c->h, band = 0.22f * (float)c->h;
    float inv_w = 1.0f / (float)c->w, inv_h = 1.0f / (float)c->h;
    for (int y = 0; y < c->h; y++) {
        float d = ((float)y - hz) / band;
        float row = expf(-d * d) * amount * 0.85f + amount * 0.12f;
        if (row < 0.01f)
            continue;
        float *p = mv_canvas_at(c, 0, y);
        float v = ((float)y + 0.5f) * inv_h;
        for (int x = 0; x < c->w; x++, p += 3) {
            float n = mv_field_at(&f, ((float)x + 0.5f) * inv_w, v);
            float a = mv_clampf(row * (0.5f + n), 0.0f, 0.92f);
            p[0] += (fog.r - p[0]) * a;
            p[1] += (fog.g - p[1]) * a;
            p[2] += (fog.b - p[2]) * a;
        }
    }
    mv_field_free(&f);
}

void mv_paint_rain(const mv_scene *s, const mv_canvas *c)
{
    if (!s->words.rain && !s->words.storm)
        return;
    mv_rng rng = {s->seed ^ 0x7a1dULL};
    float h = (float)c->h, w = (float)c->w;
    float slant = s->words.wind || s->words.storm ? 0.35f : 0.12f;
    int count = (int)(w * h / (s->words.storm ? 700.0f : 1000.0f));
    mv_rgb col = mv_rgb_mix(mv_rgb_make(0.75f, 0.8f, 0.9f), s->sky_horizon, 0.3f);
    col = mv_rgb_scale(col, 0.5f + 0.5f * (1.0f - s->night * 0.6f));
    float scale = h / 1080.0f;
    for (int i = 0; i < count; i++) {
        float x = mv_rng_range(&rng, -0.1f, 1.05f) * w, y = mv_rng_float(&rng) * h;
        float near = mv_rng_float(&rng);
        float len = h * (0.015f + 0.045f * near);
        float width = fmaxf(0.8f, (0.7f + 1.3f * near) * scale);
        mv_draw_line(c, x, y, x - slant * len, y + len, width, col, 0.12f + 0.25f * near);
    }
}

void mv_paint_snow(const mv_scene *s, const mv_canvas *c)
{
    if (!s->words.snow)
        return;
    mv_rng rng = {s->seed ^ 0x5e0ULL};
    float h = (float)c->h, w = (float)c->w;
    int count = (int)(w * h / 1800.0f);
    mv_rgb col = mv_rgb_scale(mv_rgb_make(0.96f, 0.97f, 1.0f), 0.55f + 0.45f * (1.0f - s->night * 0.5f));
    for (int i = 0; i < count; i++) {
        float x = mv_rng_float(&rng) * w, y = mv_rng_float(&rng) * h;
        float near = mv_rng_float(&rng);
        near = near * near * near;
        float r = h * (0.0009f + 0.0045f * near);
        mv_draw_disc(c, x, y, r, col, 0.55f + 0.35f * (1.0f - near));
    }
}
