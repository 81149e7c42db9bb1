/*
 * mv_paint_city.c - a city skyline in three depths: towers with stepped tops and antennas,
 * window grids lit at night (warm or neon), distant rows fading into the haze, and neon signs
 * when the prompt says neon.
 */
#include "paint/mv_paint_internal.h"

typedef struct mv_building {
    float x0, x1, top, base;
    float cell_w, cell_h; /* window grid */
    float lit_share;      /* fraction of lit windows */
    uint32_t id;
} mv_building;

static void mv_paint_building(const mv_canvas *c, const mv_building *b,
                              mv_rgb wall, mv_rgb window_on, mv_rgb window_off)
{
    int x0 = (int)fmaxf(0, floorf(b->x0)), x1 = (int)fminf((float)c->w, ceilf(b->x1));
    int y0 = (int)fmaxf(0, floorf(b->top)), y1 = (int)fminf((float)c->h, ceilf(b->base));
    float margin = b->cell_w * 0.6f;
    for (int y = y0; y < y1; y++) {
        float cov_y = mv_clampf((float)y + 1.0f - b->top, 0.0f, 1.0f);
        float ly = (float)y - b->top - margin;
        int row = (int)floorf(ly / b->cell_h);
        float fy = ly / b->cell_h - (float)row;
        int in_row = ly >= 0 && fy > 0.3f && fy < 0.8f;
        /* the wall darkens toward the street */
        float shade = 1.0f - 0.25f * ((float)y - b->top) / fmaxf(1.0f, b->base - b->top);
        mv_rgb wall_row = mv_rgb_scale(wall, shade);
        for (int x = x0; x < x1; x++) {
            float cov = cov_y * mv_clampf(fminf((float)x + 1.0f, b->x1) - fmaxf((float)x, b->x0),
                                          0.0f, 1.0f);
            if (cov <= 0)
                continue;
            mv_rgb col = wall_row;
            float lx = (float)x - b->x0 - margin;
            if (in_row && lx >= 0 && (float)x < b->x1 - margin) {
                int column = (int)floorf(lx / b->cell_w);
                float fx = lx / b->cell_w - (float)column;
                if (fx > 0.25f && fx < 0.75f) {
                    float r = mv_hashf(column, row, b->id);
                    if (r < b->lit_share)
                        col = mv_rgb_scale(window_on, 0.6f + 0.8f * mv_hashf(column, row, b->id + 1U));
                    else
                        col = window_off;
                }
            }
            mv_canvas_blend(c, x, y, col, cov);
        }
    }
}

void mv_paint_city(const mv_scene *s, const mv_canvas *c)
{
    if (s->backdrop != MV_BACK_CITY)
        return;
    float h = (float)c->h, w = (float)c->w;
    float base = s->horizon * h;
    mv_rng rng = {s->seed ^ 0xc17aULL};
    float night = s->night;
    mv_rgb neon_a = s->has_accent ? s->accent : s->palette[2];
    mv_rgb neon_b = s->palette[3];
    for (int layer = 0; layer < 3; layer++) {
        float t = (float)layer / 2.0f; /* 0 far .. 1 near */
        float fade = powf(1.0f - t, 1.2f) * 0.7f + s->haze * 0.3f * (1.0f - t);
        mv_rgb wall = mv_rgb_mix(mv_rgb_scale(s->building, 0.7f + 0.3f * (1 - t)), s->fog, fade);
        mv_rgb window_off = mv_rgb_mix(wall, s->sky_mid, 0.25f * (1.0f - night));
        mv_rgb window_on = night > 0.3f ? mv_rgb_mix(s->window_light, s->fog, fade * 0.6f)
                                        : mv_rgb_mix(wall, s->sky_horizon, 0.5f);
        float scale = 0.6f + 0.5f * t;
        float x = -mv_rng_range(&rng, 0.0f, 0.05f) * w;
        uint32_t id = s->seed + (uint32_t)layer * 7777U;
        while (x < w) {
            mv_building b;
            float bw = h * mv_rng_range(&rng, 0.045f, 0.11f) * scale;
            float bh = h * mv_rng_range(&rng, 0.06f, 0.26f) * scale * (1.2f - 0.3f * t);
            if (mv_rng_float(&rng) < 0.15f)
                bh *= 1.7f; /* a tower */
            b.x0 = x;
            b.x1 = x + bw;
            b.top = base - bh;
            b.base = base;
            b.cell_w = fmaxf(2.0f, h * 0.012f * scale);
            b.cell_h = fmaxf(2.0f, h * 0.016f * scale);
            b.lit_share = night > 0.3f ? mv_rng_range(&rng, 0.12f, 0.45f) : 0.5f;
            b.id = id++;
            mv_rgb own_wall = mv_rgb_scale(wall, mv_rng_range(&rng, 0.8f, 1.15f));
            mv_rgb own_on = window_on;
            if (s->words.neon && night > 0.3f && mv_rng_float(&rng) < 0.4f)
                own_on = mv_rgb_mix(neon_b, s->fog, fade * 0.6f);
            else if (night > 0.3f && mv_rng_float(&rng) < 0.3f)
                own_on = mv_rgb_mix(mv_rgb_make(1.0f, 0.85f, 0.6f), s->fog, fade * 0.6f);
            mv_paint_building(c, &b, own_wall, own_on, window_off);
            float roll = mv_rng_float(&rng);
            if (roll < 0.3f) { /* stepped top */
                mv_building top = b;
                float inset = bw * mv_rng_range(&rng, 0.15f, 0.3f);
                top.x0 += inset;
                top.x1 -= inset;
                top.base = b.top;
                top.top = b.top - bh * mv_rng_range(&rng, 0.08f, 0.2f);
                top.id = id++;
                mv_paint_building(c, &top, own_wall, own_on, window_off);
                b.top = top.top;
            } else if (roll < 0.5f) { /* antenna */
                float ax = (b.x0 + b.x1) * 0.5f;
                mv_draw_line(c, ax, b.top, ax, b.top - bh * 0.25f, fmaxf(1.0f, h * 0.002f), wall,
                             1.0f);
                if (night > 0.3f)
                    mv_draw_glow(c, ax, b.top - bh * 0.25f, h * 0.01f, mv_rgb_make(1, 0.2f, 0.2f),
                                 0.8f, 2.0f);
            }
            if (s->words.neon && layer > 0 && mv_rng_float(&rng) < 0.45f) {
                mv_rgb neon = mv_rng_float(&rng) < 0.5f ? neon_a : neon_b;
                neon = mv_rgb_saturate(neon, 1.4f);
                float nx = b.x0 + bw * mv_rng_range(&rng, 0.15f, 0.7f);
                float ny = b.top + (base - b.top) * mv_rng_range(&rng, 0.1f, 0.4f);
                float nh = (base - b.top) * mv_rng_range(&rng, 0.15f, 0.35f);
                float nw = fmaxf(2.0f, bw * 0.12f);
                mv_draw_glow(c, nx + nw * 0.5f, ny + nh * 0.5f, nh * 0.9f, neon, 0.35f, 2.0f);
                mv_draw_rect(c, nx, ny, nx + nw, ny + nh, mv_rgb_scale(neon, 1.3f), 1.0f);
                mv_draw_rect(c, b.x0, b.top, b.x1, b.top + fmaxf(1.5f, h * 0.003f),
                             mv_rgb_scale(neon, 1.2f), 0.9f);
            }
            x += bw + h * mv_rng_range(&rng, -0.01f, 0.015f) * scale;
        }
    }
}
