/*
 * mv_paint_bodies.c - the sun (a bright disc with a wide soft glow) and the moon (a cratered
 * disc, full or crescent, with a cool halo). Both sit where the composer put them; the
 * backdrop painted later hides a setting sun's lower half.
 */
#include "paint/mv_paint_internal.h"

static void mv_paint_sun(const mv_scene *s, const mv_canvas *c)
{
    float cx = s->sun_x * (float)c->w, cy = s->sun_y * (float)c->h;
    float r = s->sun_r * (float)c->h;
    float low = mv_clampf((s->horizon - s->sun_y) / fmaxf(s->horizon, 0.1f), 0.0f, 1.0f);
    mv_draw_glow(c, cx, cy, r * 8.0f, s->sun_colour, 0.3f - 0.12f * low, 3.0f);
    mv_draw_glow(c, cx, cy, r * 2.5f, s->sun_colour, 0.45f, 2.0f);
    mv_rgb core = mv_rgb_scale(mv_rgb_mix(s->sun_colour, mv_rgb_make(1.0f, 0.98f, 0.92f), 0.5f),
                               1.5f);
    mv_draw_disc(c, cx, cy, r, core, 1.0f);
}

static void mv_paint_moon(const mv_scene *s, const mv_canvas *c)
{
    float cx = s->sun_x * (float)c->w, cy = s->sun_y * (float)c->h;
    float r = s->sun_r * (float)c->h;
    float day = 1.0f - s->night; /* a daytime moon is pale */
    mv_draw_glow(c, cx, cy, r * 6.0f, mv_rgb_make(0.6f, 0.7f, 0.9f), 0.22f * (1 - day * 0.8f),
                 2.5f);
    /* the shadow disc that carves the crescent */
    float sx = cx + r * (0.4f + 1.2f * (1.0f - s->moon_phase)) * (s->seed & 1 ? 1.0f : -1.0f);
    float sy = cy - r * 0.2f;
    int x0 = (int)fmaxf(0, cx - r - 2), x1 = (int)fminf((float)c->w, cx + r + 2);
    int y0 = (int)fmaxf(0, cy - r - 2), y1 = (int)fminf((float)c->h, cy + r + 2);
    float crater_scale = 4.0f / r;
    for (int y = y0; y < y1; y++) {
        float dy = (float)y + 0.5f - cy;
        for (int x = x0; x < x1; x++) {
            float dx = (float)x + 0.5f - cx;
            float d = sqrtf(dx * dx + dy * dy);
            float a = mv_clampf(r - d + 0.5f, 0.0f, 1.0f);
            if (a <= 0)
                continue;
            if (s->moon_phase > 0.0f) {
                float ex = (float)x + 0.5f - sx, ey = (float)y + 0.5f - sy;
                float ds = sqrtf(ex * ex + ey * ey);
                a *= mv_clampf(ds - r * 1.05f + 0.5f, 0.0f, 1.0f);
                if (a <= 0)
                    continue;
            }
            float n = mv_fbm2(dx * crater_scale * 0.12f, dy * crater_scale * 0.12f, 3,
                              s->seed + 77U);
            float shade = 0.78f + 0.3f * n - 0.12f * (d / r) * (d / r);
            mv_rgb col = mv_rgb_scale(s->sun_colour, shade);
            mv_canvas_blend(c, x, y, col, a * (1.0f - 0.55f * day));
        }
    }
}

void mv_paint_bodies(const mv_scene *s, const mv_canvas *c)
{
    if (s->show_sun)
        mv_paint_sun(s, c);
    if (s->show_moon) {
        if (s->show_sun) { /* a daytime moon opposite the sun */
            mv_scene pale = *s;
            pale.sun_x = s->sun_x < 0.5f ? 0.78f : 0.22f;
            pale.sun_y = 0.18f;
            pale.sun_r = 0.035f;
            pale.sun_colour = mv_rgb_make(0.95f, 0.95f, 0.97f);
            mv_paint_moon(&pale, c);
        } else {
            mv_paint_moon(s, c);
        }
    }
}
