/*
 * mv_paint_figures.c - silhouettes: pines and round trees standing on the ground line, a
 * lone figure or a couple holding hands (placed against the light when there is a sun or
 * moon), and a flock of birds in the sky.
 */
#include "paint/mv_paint_internal.h"

static mv_rgb mv_silhouette_colour(const mv_scene *s, float lightness)
{
    /* the style's darkest colour, made dark enough to read as a silhouette */
    float l = mv_luma(s->palette[0]);
    mv_rgb dark = l > 0.05f ? mv_rgb_scale(s->palette[0], 0.05f / l) : s->palette[0];
    return mv_rgb_mix(dark, mv_rgb_scale(s->land, 0.6f), lightness * (1.0f - s->night));
}

static float mv_ground_at(const mv_canvas *c, const float *ground_y, float x)
{
    int ix = (int)x;
    if (ix < 0)
        ix = 0;
    if (ix >= c->w)
        ix = c->w - 1;
    return ground_y[ix];
}

static void mv_pine(const mv_canvas *c, float cx, float base, float H, mv_rgb col, uint32_t id)
{
    float W = H * 0.26f;
    int tiers = 4 + (int)(id % 3);
    int x0 = (int)fmaxf(0, cx - W - 1), x1 = (int)fminf((float)c->w, cx + W + 1);
    int y0 = (int)fmaxf(0, base - H), y1 = (int)fminf((float)c->h, base + 1);
    for (int y = y0; y < y1; y++) {
        float t = (base - (float)y) / H;
        float half;
        if (t < 0.1f) {
            half = W * 0.07f;
        } else {
            float k = (t - 0.1f) / 0.9f * (float)tiers;
            float frac = k - floorf(k);
            half = W * (1.0f - t) * (0.55f + 0.45f * (1.0f - frac));
        }
        for (int x = x0; x < x1; x++) {
            float a = mv_clampf(half - fabsf((float)x + 0.5f - cx) + 0.5f, 0.0f, 1.0f);
            if (a > 0)
                mv_canvas_blend(c, x, y, col, a);
        }
    }
}

static void mv_round_tree(const mv_canvas *c, float cx, float base, float H, mv_rgb col,
                          uint32_t id)
{
    mv_draw_line(c, cx, base, cx, base - H * 0.55f, H * 0.06f, col, 1.0f);
    for (int i = 0; i < 6; i++) {
        float ox = (mv_hashf((int)id, i, 1U) - 0.5f) * H * 0.45f;
        float oy = (mv_hashf((int)id, i, 2U) - 0.5f) * H * 0.3f;
        float r = H * (0.16f + 0.1f * mv_hashf((int)id, i, 3U));
        mv_draw_disc(c, cx + ox, base - H * 0.68f + oy, r, col, 1.0f);
    }
}

void mv_paint_trees(const mv_scene *s, const mv_canvas *c, const float *ground_y)
{
    if (!s->words.trees && !s->words.forest)
        return;
    if (s->ground == MV_GROUND_STREET)
        return;
    mv_rng rng = {s->seed ^ 0x7ee5ULL};
    int count = s->words.forest ? 7 + (int)(mv_rng_next(&rng) % 6) : 2 + (int)(mv_rng_next(&rng) % 4);
    int pines = s->words.forest || s->words.snow || s->backdrop == MV_BACK_MOUNTAINS ||
                mv_rng_float(&rng) < 0.4f;
    float h = (float)c->h, w = (float)c->w;
    for (int i = 0; i < count; i++) {
        /* trees keep to the sides, leaving the middle for figures and the light */
        float u = mv_rng_float(&rng);
        u = u < 0.5f ? u * 0.7f : 1.0f - (1.0f - u) * 0.7f;
        float x = u * w;
        float H = h * mv_rng_range(&rng, 0.18f, 0.42f);
        float base = mv_ground_at(c, ground_y, x) + h * 0.01f;
        mv_rgb col = mv_silhouette_colour(s, mv_rng_range(&rng, 0.45f, 0.8f));
        if (pines)
            mv_pine(c, x, base, H, col, (uint32_t)i + s->seed);
        else
            mv_round_tree(c, x, base, H * 0.8f, col, (uint32_t)i + s->seed);
    }
}

static void mv_person(const mv_canvas *c, float x, float base, float H, mv_rgb col, float lean,
                      int reach)
{
    float top = base - H;
    float shoulder_y = top + 0.19f * H, waist_y = top + 0.5f * H;
    mv_draw_disc(c, x + lean * 0.1f * H, top + 0.065f * H, 0.068f * H, col, 1.0f);
    mv_draw_line(c, x + lean * 0.05f * H, top + 0.12f * H, x, top + 0.16f * H, 0.06f * H, col, 1.0f);
    mv_draw_line(c, x, shoulder_y, x, waist_y, 0.17f * H, col, 1.0f);
    mv_draw_line(c, x - 0.035f * H, waist_y, x - 0.06f * H, base, 0.075f * H, col, 1.0f);
    mv_draw_line(c, x + 0.035f * H, waist_y, x + 0.06f * H, base, 0.075f * H, col, 1.0f);
    for (int side = -1; side <= 1; side += 2) {
        float sx = x + (float)side * 0.085f * H;
        if (reach == side) /* this hand reaches out to the other figure */
            mv_draw_line(c, sx, shoulder_y + 0.02f * H, x + (float)side * 0.2f * H,
                         top + 0.47f * H, 0.045f * H, col, 1.0f);
        else
            mv_draw_line(c, sx, shoulder_y + 0.02f * H, sx + (float)side * 0.02f * H,
                         top + 0.52f * H, 0.045f * H, col, 1.0f);
    }
}

/* A street lamp whose cone of light the figures stand in (city or night scenes). */
static void mv_street_lamp(const mv_scene *s, const mv_canvas *c, float x, float ground, float H,
                           float toward)
{
    float top = ground - H * 2.3f;
    mv_rgb post = mv_silhouette_colour(s, 0.0f);
    mv_rgb light = mv_rgb_mix(mv_rgb_make(1.0f, 0.85f, 0.55f), s->window_light, 0.3f);
    if (s->mono)
        light = mv_rgb_make(1, 1, 1);
    float hx = x + toward * H * 0.4f; /* the lamp head hangs from an arm over the figures */
    /* the cone: brighter toward its axis, fading with distance from the lamp */
    int y0 = (int)fmaxf(0, top), y1 = (int)fminf((float)c->h, ground + H * 0.15f);
    for (int y = y0; y < y1; y++) {
        float t = ((float)y - top) / (ground - top);
        float half = H * (0.08f + 0.75f * t);
        int xa = (int)fmaxf(0, hx - half), xb = (int)fminf((float)c->w, hx + half);
        for (int px = xa; px < xb; px++) {
            float d = fabsf((float)px + 0.5f - hx) / half;
            float a = (1.0f - d * d) * (0.32f - 0.17f * t);
            mv_canvas_add(c, px, y, light, a);
        }
    }
    mv_draw_glow(c, hx, ground, H * 1.1f, light, 0.25f, 2.0f);
    mv_draw_line(c, x, ground, x, top, H * 0.035f, post, 1.0f);
    mv_draw_line(c, x, top, hx, top, H * 0.03f, post, 1.0f);
    mv_draw_glow(c, hx, top + H * 0.03f, H * 0.6f, light, 0.6f, 2.0f);
    mv_draw_disc(c, hx, top + H * 0.03f, H * 0.04f, mv_rgb_scale(light, 1.5f), 1.0f);
}

void mv_paint_figures(const mv_scene *s, const mv_canvas *c, const float *ground_y)
{
    if (s->words.figures <= 0)
        return;
    mv_rng rng = {s->seed ^ 0xf16eULL};
    float h = (float)c->h, w = (float)c->w;
    float x = (s->show_sun || s->show_moon)
                  ? (s->sun_x + mv_rng_range(&rng, -0.06f, 0.06f)) * w
                  : mv_rng_range(&rng, 0.35f, 0.65f) * w;
    float H = h * mv_rng_range(&rng, 0.15f, 0.22f);
    if (s->words.room)
        H = h * 0.42f;
    mv_rgb col = mv_silhouette_colour(s, 0.1f);
    if (!s->words.room && !s->space &&
        (s->ground == MV_GROUND_STREET || (s->night > 0.6f && !s->show_moon))) {
        float side = x < w * 0.5f ? -1.0f : 1.0f;
        float lamp_x = x + side * H * 0.6f;
        mv_street_lamp(s, c, lamp_x, mv_ground_at(c, ground_y, x) + H * 0.02f, H, -side);
    }
    if (s->words.figures >= 2) {
        float gap = H * 0.2f;
        mv_person(c, x - gap, mv_ground_at(c, ground_y, x - gap) + H * 0.02f, H, col, 0.3f, 1);
        mv_person(c, x + gap, mv_ground_at(c, ground_y, x + gap) + H * 0.02f, H * 0.92f, col,
                  -0.3f, -1);
    } else {
        mv_person(c, x, mv_ground_at(c, ground_y, x) + H * 0.02f, H, col, 0.0f, 0);
    }
}

void mv_paint_birds(const mv_scene *s, const mv_canvas *c)
{
    if (!s->words.birds)
        return;
    mv_rng rng = {s->seed ^ 0xb1dULL};
    float h = (float)c->h, w = (float)c->w;
    int count = 3 + (int)(mv_rng_next(&rng) % 7);
    float gx = mv_rng_range(&rng, 0.2f, 0.7f) * w, gy = mv_rng_range(&rng, 0.12f, 0.3f) * h;
    mv_rgb col = mv_silhouette_colour(s, 0.0f);
    if (s->night > 0.8f)
        col = mv_rgb_scale(s->sky_horizon, 0.3f);
    for (int i = 0; i < count; i++) {
        float bx = gx + mv_rng_range(&rng, -0.15f, 0.25f) * w;
        float by = gy + mv_rng_range(&rng, -0.08f, 0.1f) * h;
        float span = h * mv_rng_range(&rng, 0.01f, 0.024f);
        float flap = mv_rng_range(&rng, 0.2f, 0.6f);
        float lw = fmaxf(1.0f, span * 0.14f);
        for (int side = -1; side <= 1; side += 2) {
            float fs = (float)side;
            float mx = bx + fs * span * 0.5f, my = by - span * flap;
            mv_draw_line(c, bx, by, mx, my, lw, col, 1.0f);
            mv_draw_line(c, mx, my, bx + fs * span, by - span * flap * 0.4f, lw * 0.8f, col, 1.0f);
        }
    }
}
