/*
 * mv_paint_forest.c - the forest: pines and round trees standing on the ground line as
 * silhouettes, keeping to the sides (single named trees, people and birds are motifs).
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
    if (!s->words.forest)
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
