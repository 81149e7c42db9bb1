/*
 * mv_paint_space.c - deep space: glowing nebula clouds and a galactic band in the style's
 * colours, a banded planet lit from one side with an atmosphere rim and (sometimes) rings,
 * and a curved rocky horizon when someone stands in the scene.
 */
#include "paint/mv_paint_internal.h"

int mv_paint_nebula(const mv_scene *s, const mv_canvas *c)
{
    if (!s->space)
        return 0;
    int fw = c->w / 4 < 400 ? c->w / 4 : 400;
    if (fw < 8)
        fw = 8;
    int fh = (int)((float)fw * (float)c->h / (float)c->w);
    if (fh < 8)
        fh = 8;
    float aspect = (float)c->w / (float)c->h;
    mv_field shape, tint;
    if (mv_field_fbm(&shape, fw, fh, aspect, 2.2f, 1.0f, 6, s->seed + 61U) != 0)
        return -1;
    if (mv_field_fbm(&tint, fw, fh, aspect, 1.2f, 1.0f, 3, s->seed + 62U) != 0) {
        mv_field_free(&shape);
        return -1;
    }
    mv_rgb a = mv_rgb_saturate(s->palette[1], 1.5f);
    mv_rgb b = s->has_accent ? s->accent : mv_rgb_saturate(s->palette[2], 1.3f);
    if (mv_luma(a) < 0.15f)
        a = mv_rgb_scale(a, 0.15f / fmaxf(mv_luma(a), 0.02f));
    /* the galactic band: a tilted stripe */
    mv_rng rng = {s->seed ^ 0x9a1aULL};
    float band_slope = mv_rng_range(&rng, -0.6f, 0.6f);
    float band_y = mv_rng_range(&rng, 0.35f, 0.65f);
    float inv_w = 1.0f / (float)c->w, inv_h = 1.0f / (float)c->h;
    for (int y = 0; y < c->h; y++) {
        float v = ((float)y + 0.5f) * inv_h;
        float *p = mv_canvas_at(c, 0, y);
        for (int x = 0; x < c->w; x++, p += 3) {
            float u = ((float)x + 0.5f) * inv_w;
            float n = mv_field_at(&shape, u, v);
            float d = (v - band_y - band_slope * (u - 0.5f)) * 3.0f;
            float band = 1.0f / (1.0f + d * d * 4.0f);
            float glow = mv_smoothstep(0.38f, 0.8f, n + band * 0.2f);
            glow *= glow;
            float dust = mv_smoothstep(0.55f, 0.7f, mv_field_at(&tint, v * 1.7f, u));
            float k = glow * (1.0f - 0.6f * dust) * 1.4f + band * 0.08f;
            float t = mv_field_at(&tint, u, v);
            p[0] += (a.r + (b.r - a.r) * t) * k;
            p[1] += (a.g + (b.g - a.g) * t) * k;
            p[2] += (a.b + (b.b - a.b) * t) * k;
        }
    }
    mv_field_free(&shape);
    mv_field_free(&tint);
    return 0;
}

static void mv_paint_planet_body(const mv_scene *s, const mv_canvas *c, mv_rng *rng)
{
    float h = (float)c->h, w = (float)c->w;
    float R = h * mv_rng_range(rng, 0.16f, 0.3f);
    float cx = (s->sun_x < 0.5f ? mv_rng_range(rng, 0.6f, 0.8f) : mv_rng_range(rng, 0.2f, 0.4f)) * w;
    float cy = mv_rng_range(rng, 0.3f, 0.6f) * h;
    int rings = mv_rng_float(rng) < 0.55f;
    float angle = mv_rng_range(rng, -0.35f, 0.35f);
    float ca = cosf(angle), sa = sinf(angle);
    /* light from the sun's side */
    float lx = s->sun_x < 0.5f ? -0.7f : 0.7f, ly = -0.35f, lz = 0.6f;
    mv_rgb ca_col = s->has_accent ? s->accent : s->palette[3];
    mv_rgb cb_col = s->palette[2];
    mv_rgb ring_col = mv_rgb_mix(s->palette[4], ca_col, 0.3f);
    mv_draw_glow(c, cx, cy, R * 1.25f, mv_rgb_mix(ca_col, mv_rgb_make(0.5f, 0.7f, 1), 0.5f), 0.5f,
                 2.0f);
    float extent = rings ? R * 2.3f : R + 2.0f;
    int x0 = (int)fmaxf(0, cx - extent), x1 = (int)fminf(w, cx + extent);
    int y0 = (int)fmaxf(0, cy - extent), y1 = (int)fminf(h, cy + extent);
    for (int y = y0; y < y1; y++) {
        float dy = (float)y + 0.5f - cy;
        for (int x = x0; x < x1; x++) {
            float dx = (float)x + 0.5f - cx;
            float d = sqrtf(dx * dx + dy * dy);
            float cover = mv_clampf(R - d + 0.5f, 0.0f, 1.0f);
            /* ring in its own tilted, flattened frame */
            float ring_a = 0.0f, rx = 0.0f, ry = 0.0f;
            if (rings) {
                rx = dx * ca + dy * sa;
                ry = (-dx * sa + dy * ca) / 0.22f;
                float rr = sqrtf(rx * rx + ry * ry) / R;
                if (rr > 1.35f && rr < 2.2f) {
                    float gaps = 0.55f + 0.45f * mv_noise2(rr * 18.0f, 0.5f, s->seed + 3U);
                    ring_a = gaps * mv_smoothstep(1.35f, 1.45f, rr) * mv_smoothstep(2.2f, 2.05f, rr);
                }
            }
            int ring_front = ry > 0.0f;
            if (ring_a > 0 && !ring_front)
                mv_canvas_blend(c, x, y, ring_col, ring_a * 0.85f * (1.0f - cover));
            if (cover > 0) {
                float nx = dx / R, ny = dy / R;
                float nz = sqrtf(fmaxf(0.0f, 1.0f - nx * nx - ny * ny));
                float lambert = fmaxf(0.0f, nx * lx + ny * ly + nz * lz);
                float bands = mv_fbm2(ny * 7.0f + 0.6f * mv_noise2(nx * 3.0f, ny * 3.0f, s->seed), 0.5f, 3,
                                      s->seed + 21U);
                mv_rgb col = mv_rgb_mix(ca_col, cb_col, bands);
                col = mv_rgb_scale(col, 0.04f + 1.05f * lambert);
                mv_canvas_blend(c, x, y, col, cover);
            }
            if (ring_a > 0 && ring_front)
                mv_canvas_blend(c, x, y, mv_rgb_scale(ring_col, 0.9f), ring_a * 0.85f);
        }
    }
}

void mv_paint_planet(const mv_scene *s, const mv_canvas *c, float *ground_y)
{
    if (!s->space)
        return;
    mv_rng rng = {s->seed ^ 0x91a7ULL};
    if (s->words.planet || mv_rng_float(&rng) < 0.7f)
        mv_paint_planet_body(s, c, &rng);
    if (!s->words.figures && !s->words.trees)
        return;
    /* a rocky horizon curving away under the figures */
    float w = (float)c->w, h = (float)c->h;
    float R = w * 1.3f, cx = w * mv_rng_range(&rng, 0.3f, 0.7f), cy = h * 0.86f + R;
    mv_rgb rock = mv_rgb_scale(s->palette[1], 0.35f);
    mv_rgb rim = mv_rgb_mix(s->palette[3], mv_rgb_make(1, 1, 1), 0.3f);
    for (int y = (int)(h * 0.7f); y < c->h; y++) {
        for (int x = 0; x < c->w; x++) {
            float dx = (float)x + 0.5f - cx, dy = (float)y + 0.5f - cy;
            float d = R - sqrtf(dx * dx + dy * dy);
            if (d <= -1.0f)
                continue;
            float a = mv_clampf(d + 0.5f, 0.0f, 1.0f);
            float k = mv_smoothstep(h * 0.01f, 0.0f, d);
            mv_canvas_blend(c, x, y, mv_rgb_mix(rock, rim, k * 0.7f), a);
        }
    }
    for (int x = 0; x < c->w; x++) {
        float dx = (float)x + 0.5f - cx;
        ground_y[x] = cy - sqrtf(fmaxf(0.0f, R * R - dx * dx)) + h * 0.01f;
    }
}
