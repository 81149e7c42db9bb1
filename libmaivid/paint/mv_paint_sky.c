/*
 * mv_paint_sky.c - the sky: a three-stop gradient from zenith to horizon with the sun's haze
 * brightening the sky around it, and the star field (seeded positions, varied brightness and
 * tint, a few large stars with a soft halo, fading toward the horizon).
 */
#include "paint/mv_paint_internal.h"

void mv_paint_sky(const mv_scene *s, const mv_canvas *c)
{
    float horizon_px = s->horizon * (float)c->h;
    float sun_x = s->sun_x * (float)c->w, sun_y = s->sun_y * (float)c->h;
    /* haze around the sun (or the glow where it just set) */
    float haze_strength = s->show_sun ? 0.55f * (1.0f - 0.5f * fminf(1.0f, s->cloud_cover))
                                      : (s->show_moon ? 0.12f : 0.0f);
    if (!s->show_sun && s->night < 0.6f && !s->space) {
        haze_strength = 0.35f * (1.0f - s->night);
        sun_y = horizon_px;
    }
    float haze_r = 0.45f * (float)c->h;
    float inv_haze = 1.0f / (haze_r * haze_r);
    mv_rgb haze_col = mv_rgb_mix(s->sun_colour, s->sky_horizon, 0.3f);
    for (int y = 0; y < c->h; y++) {
        float t = mv_clampf((float)y / fmaxf(horizon_px, 1.0f), 0.0f, 1.0f);
        mv_rgb row;
        if (t < 0.55f)
            row = mv_rgb_mix(s->zenith, s->sky_mid, mv_smoothstep(0.0f, 0.55f, t));
        else
            row = mv_rgb_mix(s->sky_mid, s->sky_horizon, mv_smoothstep(0.55f, 1.0f, t));
        /* a thin bright band right at the horizon */
        float band = expf(-fabsf((float)y - horizon_px) / (0.04f * (float)c->h)) * 0.12f;
        row = mv_rgb_add(row, mv_rgb_scale(s->sky_horizon, band));
        float dy = (float)y - sun_y;
        float dy2 = dy * dy * 2.2f; /* the haze is wider than tall */
        float *p = mv_canvas_at(c, 0, y);
        for (int x = 0; x < c->w; x++, p += 3) {
            float dx = (float)x - sun_x;
            float g = haze_strength / (1.0f + (dx * dx + dy2) * inv_haze * 6.0f);
            p[0] = row.r + haze_col.r * g;
            p[1] = row.g + haze_col.g * g;
            p[2] = row.b + haze_col.b * g;
        }
    }
}

void mv_paint_stars(const mv_scene *s, const mv_canvas *c)
{
    if (s->star_density <= 0.0f)
        return;
    float limit = s->space ? (float)c->h : s->horizon * (float)c->h;
    int count = (int)(s->star_density * (float)c->w * (float)c->h / 900.0f);
    float scale = (float)c->h / 1080.0f;
    float visibility = s->space ? 1.0f : mv_clampf(s->night * 1.2f, 0.0f, 1.0f) *
                                            (1.0f - 0.8f * s->cloud_cover);
    static const uint32_t tints[4] = {0xffffff, 0xcfe0ff, 0xfff0d0, 0xffd6e8};
    for (int i = 0; i < count; i++) {
        float u = mv_hashf(i, 1, s->seed), v = mv_hashf(i, 2, s->seed);
        float x = u * (float)c->w, y = v * limit;
        float fade = s->space ? 1.0f : mv_smoothstep(limit, limit * 0.55f, y);
        float b = mv_hashf(i, 3, s->seed);
        b = b * b * b * b;
        float bright = (0.25f + 1.1f * b) * fade * visibility;
        if (bright < 0.02f)
            continue;
        mv_rgb col = mv_rgb_hex(tints[mv_hash3(i, 4, s->seed) & 3]);
        if (b > 0.55f) {
            mv_draw_glow(c, x, y, 7.0f * scale * (0.5f + b), col, bright * 0.5f, 3.0f);
            mv_draw_disc(c, x, y, 1.3f * scale, col, fminf(1.0f, bright));
            continue;
        }
        /* a one-pixel star split over its four neighbours */
        int ix = (int)x, iy = (int)y;
        if (ix < 0 || iy < 0 || ix + 1 >= c->w || iy + 1 >= c->h)
            continue;
        float fx = x - (float)ix, fy = y - (float)iy;
        float sz = fmaxf(1.0f, scale);
        mv_canvas_add(c, ix, iy, col, bright * (1 - fx) * (1 - fy) * sz);
        mv_canvas_add(c, ix + 1, iy, col, bright * fx * (1 - fy) * sz);
        mv_canvas_add(c, ix, iy + 1, col, bright * (1 - fx) * fy * sz);
        mv_canvas_add(c, ix + 1, iy + 1, col, bright * fx * fy * sz);
    }
}
