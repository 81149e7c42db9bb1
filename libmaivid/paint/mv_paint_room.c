/*
 * mv_paint_room.c - for "room" and "window" prompts: turns the painted landscape into the view
 * through a window, with the dark interior wall lit by the window's light, a frame with
 * mullions, a sill and a patch of light thrown on the floor.
 */
#include "paint/mv_paint_internal.h"

void mv_paint_room(const mv_scene *s, const mv_canvas *c)
{
    if (!s->words.room)
        return;
    float w = (float)c->w, h = (float)c->h;
    mv_rng rng = {s->seed ^ 0x400aULL};
    float ww = w * mv_rng_range(&rng, 0.34f, 0.46f);
    float wx0 = w * mv_rng_range(&rng, 0.3f, 0.7f) - ww * 0.5f, wx1 = wx0 + ww;
    float wy0 = h * 0.1f, wy1 = h * mv_rng_range(&rng, 0.62f, 0.7f);
    float floor_y = h * 0.8f;
    /* the light that comes in: the average colour near the horizon of the view */
    mv_rgb light = mv_rgb_mix(s->sky_horizon, s->sun_colour, s->show_sun ? 0.4f : 0.0f);
    mv_rgb wall = mv_rgb_scale(mv_rgb_mix(s->palette[1], s->palette[0], 0.5f), 0.6f);
    mv_rgb floor_col = mv_rgb_scale(mv_rgb_mix(s->palette[1], s->palette[2], 0.3f), 0.3f);
    float wcx = (wx0 + wx1) * 0.5f, wcy = (wy0 + wy1) * 0.5f;
    float inv_r2 = 1.0f / (h * h * 0.5f);
    for (int y = 0; y < c->h; y++) {
        float fy = (float)y + 0.5f;
        int in_rows = fy > wy0 && fy < wy1;
        float *p = mv_canvas_at(c, 0, y);
        for (int x = 0; x < c->w; x++, p += 3) {
            float fx = (float)x + 0.5f;
            if (in_rows && fx > wx0 && fx < wx1)
                continue;
            float dx = fx - wcx, dy = fy - wcy;
            float lit = 0.5f / (1.0f + (dx * dx + dy * dy) * inv_r2 * 4.0f);
            mv_rgb base = wall;
            if (fy > floor_y) {
                base = floor_col;
                /* the window's light on the floor, widening toward us */
                float t = (fy - floor_y) / (h - floor_y);
                float spread = 0.3f * t * ww;
                float lx0 = wx0 + (wx0 - wcx) * t * 0.3f - spread * 0.2f;
                float lx1 = wx1 + (wx1 - wcx) * t * 0.3f + spread * 0.2f;
                float edge = fminf(fx - lx0, lx1 - fx) / (0.02f * w);
                lit += 0.6f * mv_clampf(edge, 0.0f, 1.0f) * (1.0f - 0.5f * t);
            }
            p[0] = base.r + light.r * lit * 0.6f;
            p[1] = base.g + light.g * lit * 0.6f;
            p[2] = base.b + light.b * lit * 0.6f;
        }
    }
    mv_rgb frame = mv_rgb_scale(wall, 0.6f);
    float bar = h * 0.012f;
    mv_draw_rect(c, wx0 - bar, wy0 - bar, wx1 + bar, wy0 + bar * 0.5f, frame, 1.0f);
    mv_draw_rect(c, wx0 - bar, wy0, wx0 + bar * 0.5f, wy1, frame, 1.0f);
    mv_draw_rect(c, wx1 - bar * 0.5f, wy0, wx1 + bar, wy1, frame, 1.0f);
    mv_draw_rect(c, wcx - bar * 0.5f, wy0, wcx + bar * 0.5f, wy1, frame, 1.0f);
    float cross_y = wy0 + (wy1 - wy0) * 0.38f;
    mv_draw_rect(c, wx0, cross_y - bar * 0.5f, wx1, cross_y + bar * 0.5f, frame, 1.0f);
    mv_rgb sill = mv_rgb_add(mv_rgb_scale(wall, 1.3f), mv_rgb_scale(light, 0.25f));
    mv_draw_rect(c, wx0 - bar * 2.5f, wy1, wx1 + bar * 2.5f, wy1 + bar * 1.8f, sill, 1.0f);
}
