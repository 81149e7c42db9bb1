/*
 * mv_paint_clouds.c - clouds on a perspective plane (large overhead, thin and flat toward the
 * horizon), their density from fractal noise precomputed at low resolution, lit on the side
 * facing the sun; and lightning bolts for storms.
 */
#include "paint/mv_paint_internal.h"

#include <stdlib.h>

/* Cloud density over the screen: fbm on a plane seen in perspective. */
static int mv_cloud_field(const mv_scene *s, mv_field *f, int fw, int fh)
{
    f->w = fw;
    f->h = fh;
    f->v = malloc((size_t)fw * (size_t)fh * sizeof(float));
    if (!f->v)
        return -1;
    float aspect = (float)s->w / (float)s->h;
    float stretch = s->words.wind ? 2.6f : 1.5f;
    float horizon = s->horizon;
    for (int y = 0; y < fh; y++) {
        float v = (float)y / (float)(fh - 1);
        float d = fmaxf(horizon - v, 0.0f) / horizon;
        float pz = 1.0f / (d + 0.15f);
        for (int x = 0; x < fw; x++) {
            float u = (float)x / (float)(fw - 1);
            float px = (u - 0.5f) * aspect * pz;
            f->v[(size_t)y * (size_t)fw + (size_t)x] =
                mv_fbm2(px * 1.3f / stretch + 31.0f, pz * 1.6f, 5, s->seed + 4242U);
        }
    }
    return 0;
}

int mv_paint_clouds(const mv_scene *s, const mv_canvas *c)
{
    if (s->cloud_cover <= 0.01f)
        return 0;
    int fw = c->w / 4 < 480 ? c->w / 4 : 480;
    if (fw < 8)
        fw = 8;
    int fh = (int)((float)fw * (float)c->h / (float)c->w);
    if (fh < 8)
        fh = 8;
    mv_field f;
    if (mv_cloud_field(s, &f, fw, fh) != 0)
        return -1;
    float day = 1.0f - s->night;
    mv_rgb light = mv_rgb_add(mv_rgb_scale(mv_rgb_mix(s->sky_horizon, s->sun_colour, 0.45f),
                                           1.0f - 0.6f * s->night),
                              mv_rgb_scale(mv_rgb_make(1, 1, 1), 0.35f * day));
    mv_rgb shadow = mv_rgb_scale(mv_rgb_mix(s->zenith, s->sky_mid, 0.6f), 0.8f);
    if (s->words.storm || s->words.rain) {
        light = mv_rgb_scale(mv_rgb_saturate(light, 0.4f), s->words.storm ? 0.55f : 0.75f);
        shadow = mv_rgb_scale(shadow, 0.7f);
    }
    if (s->night > 0.7f)
        light = mv_rgb_mix(light, mv_rgb_make(0.35f, 0.4f, 0.5f), s->show_moon ? 0.5f : 0.2f);
    float threshold = 1.0f - s->cloud_cover * 0.62f - 0.22f;
    float horizon_px = s->horizon * (float)c->h;
    /* where the light comes from, in field units */
    float lx = (s->sun_x - 0.5f) * 0.02f, ly = (s->sun_y - 0.3f) * 0.02f;
    float len = sqrtf(lx * lx + ly * ly) + 1e-6f;
    lx = lx / len * 0.012f;
    ly = ly / len * 0.012f;
    float inv_w = 1.0f / (float)c->w, inv_h = 1.0f / (float)c->h;
    int rows = (int)fminf((float)c->h, horizon_px + 1.0f);
    for (int y = 0; y < rows; y++) {
        float v = ((float)y + 0.5f) * inv_h;
        float horizon_fade = mv_smoothstep(horizon_px, horizon_px - 0.03f * (float)c->h, (float)y);
        float *p = mv_canvas_at(c, 0, y);
        for (int x = 0; x < c->w; x++, p += 3) {
            float u = ((float)x + 0.5f) * inv_w;
            float n = mv_field_at(&f, u, v);
            if (n < threshold - 0.06f)
                continue;
            float a = mv_smoothstep(threshold - 0.06f, threshold + 0.14f, n) * horizon_fade;
            float toward = mv_field_at(&f, u + lx, v + ly);
            float shade = mv_clampf(0.55f + (n - toward) * 9.0f - (n - threshold) * 0.8f, 0.0f,
                                    1.0f);
            float r = shadow.r + (light.r - shadow.r) * shade;
            float g = shadow.g + (light.g - shadow.g) * shade;
            float b = shadow.b + (light.b - shadow.b) * shade;
            a *= 0.92f;
            p[0] += (r - p[0]) * a;
            p[1] += (g - p[1]) * a;
            p[2] += (b - p[2]) * a;
        }
    }
    mv_field_free(&f);
    return 0;
}

static void mv_bolt(const mv_canvas *c, mv_rng *rng, float x, float y, float end_y, float scale,
                    float width, int depth)
{
    mv_rgb core = mv_rgb_make(0.95f, 0.97f, 1.0f), halo = mv_rgb_make(0.55f, 0.6f, 1.0f);
    float step = 0.035f * (float)c->h;
    while (y < end_y) {
        float nx = x + mv_rng_range(rng, -1.0f, 1.0f) * step * 0.8f;
        float ny = y + step * mv_rng_range(rng, 0.6f, 1.2f);
        mv_draw_line(c, x, y, nx, ny, width * 6.0f * scale, halo, 0.12f);
        mv_draw_line(c, x, y, nx, ny, width * scale, core, 1.0f);
        if (depth < 2 && mv_rng_float(rng) < 0.18f)
            mv_bolt(c, rng, nx, ny, ny + (end_y - ny) * 0.4f, scale, width * 0.55f, depth + 1);
        x = nx;
        y = ny;
    }
}

void mv_paint_lightning(const mv_scene *s, const mv_canvas *c)
{
    if (!s->words.lightning && !s->words.storm)
        return;
    mv_rng rng = {s->seed ^ 0xb017ULL};
    float scale = (float)c->h / 1080.0f;
    float x = mv_rng_range(&rng, 0.2f, 0.8f) * (float)c->w;
    float y = 0.05f * (float)c->h;
    mv_draw_glow(c, x, y + 0.1f * (float)c->h, 0.6f * (float)c->h, mv_rgb_make(0.6f, 0.65f, 0.9f),
                 0.25f, 2.0f);
    mv_bolt(c, &rng, x, y, s->horizon * (float)c->h, scale, 3.0f, 0);
}
