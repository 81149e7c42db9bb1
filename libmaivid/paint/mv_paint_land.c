/*
 * mv_paint_land.c - the land: layered ridges behind the horizon (jagged mountains with lit
 * faces and snow caps, rolling hills, dunes) fading into the atmosphere with distance and mist
 * in the valleys, optional pine fringes for forests, and the foreground ground the figures
 * and trees stand on.
 */
#include "paint/mv_paint_internal.h"

#include <stdlib.h>

typedef struct mv_layer_look {
    mv_rgb colour;
    float mist;        /* how much the layer fades to fog below its crest */
    float light;       /* strength of slope lighting */
    float snow_y;      /* pixels: above this a snow cap (negative: none) */
    int bottom;        /* last row to fill (exclusive) */
    float light_depth; /* fraction of height the slope light reaches below the crest */
    float texture;     /* strength of the surface texture */
    const mv_field *tex; /* shared surface noise */
} mv_layer_look;

/* Box-filters a profile (prefix sums), so lighting follows the big shapes, not every spike. */
static void mv_smooth_profile(const float *in, float *out, double *sums, int w, int r)
{
    sums[0] = 0.0;
    for (int x = 0; x < w; x++)
        sums[x + 1] = sums[x] + in[x];
    for (int x = 0; x < w; x++) {
        int a = x - r < 0 ? 0 : x - r, b = x + r + 1 > w ? w : x + r + 1;
        out[x] = (float)((sums[b] - sums[a]) / (double)(b - a));
    }
}

/* Fills everything below the crest line `top` (pixels per column), row by row. */
static void mv_fill_layer(const mv_scene *s, const mv_canvas *c, const float *top,
                          const int *limit, const mv_layer_look *look)
{
    int w = c->w;
    /* falloffs by whole pixels of depth below the crest, instead of exp() per pixel */
    float *fall = malloc((size_t)c->h * 3 * sizeof(float));
    if (!fall)
        return;
    mv_rgb *lit_col = malloc((size_t)w * sizeof(mv_rgb));
    float *snow_end = malloc((size_t)w * sizeof(float));
    float *soft = malloc((size_t)w * sizeof(float));
    double *sums = malloc(((size_t)w + 1) * sizeof(double));
    if (!lit_col || !snow_end || !soft || !sums) {
        free(fall);
        free(lit_col);
        free(snow_end);
        free(soft);
        free(sums);
        return;
    }
    mv_rgb *broad_col = malloc((size_t)w * sizeof(mv_rgb));
    float *broad = malloc((size_t)w * sizeof(float));
    if (!broad_col || !broad) {
        free(fall);
        free(lit_col);
        free(snow_end);
        free(soft);
        free(sums);
        free(broad_col);
        free(broad);
        return;
    }
    /* two lights: a crest highlight from the finer shape, and whole faces lit from the broad
     * shape (smoothed wide, so no column shows) */
    mv_smooth_profile(top, soft, sums, w, (int)fmaxf(1.0f, (float)w * 0.006f));
    mv_smooth_profile(top, broad, sums, w, (int)fmaxf(2.0f, (float)w * 0.03f));
    float sun_dir = s->sun_x > 0.5f ? 1.0f : -1.0f;
    float mist_depth = 0.16f * (float)c->h;
    float light_depth = 1.0f / (0.05f * (float)c->h);
    float broad_depth = 1.0f / (fmaxf(look->light_depth, 0.01f) * (float)c->h);
    mv_rgb snow = mv_rgb_mix(mv_rgb_mul(mv_rgb_make(0.95f, 0.96f, 1.0f), s->ambient), s->fog,
                             look->mist * 0.8f);
    float *fall_fine = fall, *fall_broad = fall + c->h, *fall_mist = fall + 2 * c->h;
    for (int d = 0; d < c->h; d++) {
        float depth = (float)d + 0.5f;
        fall_fine[d] = expf(-depth * light_depth);
        fall_broad[d] = expf(-depth * broad_depth);
        fall_mist[d] = look->mist * mv_smoothstep(0.0f, mist_depth, depth);
    }
    float min_top = (float)c->h;
    int max_limit = 0;
    float settle = fmaxf(mist_depth, 3.0f / fminf(broad_depth, light_depth));
    int reach = (int)fmaxf(2.0f, (float)w * 0.004f), far = (int)fmaxf(3.0f, (float)w * 0.02f);
    for (int x = 0; x < w; x++) {
        int xa = x - reach < 0 ? 0 : x - reach, xb = x + reach >= w ? w - 1 : x + reach;
        float slope = (soft[xb] - soft[xa]) / (float)(xb - xa > 0 ? xb - xa : 1);
        float lit = mv_clampf(slope * sun_dir * 1.5f, -1.0f, 1.0f) * look->light;
        lit_col[x] = mv_rgb_scale(look->colour, 0.25f * lit);
        lit_col[x] = mv_rgb_add(lit_col[x], mv_rgb_scale(s->sun_colour, fmaxf(lit, 0.0f) * 0.1f));
        xa = x - far < 0 ? 0 : x - far;
        xb = x + far >= w ? w - 1 : x + far;
        float bslope = (broad[xb] - broad[xa]) / (float)(xb - xa > 0 ? xb - xa : 1);
        float blit = mv_clampf(bslope * sun_dir * 2.5f, -1.0f, 1.0f) * look->light;
        broad_col[x] = mv_rgb_scale(look->colour, 0.4f * blit);
        snow_end[x] = look->snow_y >= 0
                          ? look->snow_y + (mv_fbm1((float)x * 0.02f, 3, s->seed) - 0.5f) * 0.05f *
                                               (float)c->h
                          : -1.0f;
        min_top = fminf(min_top, top[x]);
        if (limit[x] > max_limit)
            max_limit = limit[x];
    }
    /* deep below the crest the colour no longer changes but for the texture */
    mv_rgb deep = mv_rgb_mix(look->colour, s->fog, look->mist);
    float tex_k = look->tex ? look->texture : 0.0f;
    float inv_w = 1.0f / (float)w, inv_h = 1.0f / (float)c->h;
    int y0 = (int)fmaxf(0.0f, floorf(min_top));
    int y1 = max_limit < look->bottom ? max_limit : look->bottom;
    for (int y = y0; y < y1; y++) {
        float *p = mv_canvas_at(c, 0, y);
        float fy = (float)y + 1.0f;
        float v = ((float)y + 0.5f) * inv_h;
        for (int x = 0; x < w; x++, p += 3) {
            float depth = fy - top[x]; /* pixels below the crest */
            if (depth <= 0.0f || y >= limit[x])
                continue;
            float k = tex_k > 0.0f ? 1.0f + tex_k * (mv_field_at(look->tex, ((float)x + 0.5f) * inv_w, v) - 0.5f) : 1.0f;
            if (depth > settle && (float)y > snow_end[x]) {
                p[0] = deep.r * k;
                p[1] = deep.g * k;
                p[2] = deep.b * k;
                continue;
            }
            float a = depth >= 1.0f ? 1.0f : depth;
            int d = (int)depth;
            if (d >= c->h)
                d = c->h - 1;
            float l = fall_fine[d], lb = fall_broad[d];
            mv_rgb col = mv_rgb_add(look->colour, mv_rgb_add(mv_rgb_scale(lit_col[x], l),
                                                             mv_rgb_scale(broad_col[x], lb)));
            if ((float)y < snow_end[x])
                col = mv_rgb_mix(mv_rgb_scale(snow, 0.7f), mv_rgb_scale(snow, 1.1f),
                                 mv_clampf(0.5f + (lit_col[x].r + broad_col[x].r) * 4.0f, 0.0f, 1.0f));
            float m = fall_mist[d];
            col = mv_rgb_scale(mv_rgb_mix(col, s->fog, m), k);
            p[0] += (col.r - p[0]) * a;
            p[1] += (col.g - p[1]) * a;
            p[2] += (col.b - p[2]) * a;
        }
    }
    free(lit_col);
    free(snow_end);
    free(soft);
    free(sums);
    free(broad_col);
    free(broad);
    free(fall);
}

/* Pine-tree spikes along a ridge (a forest seen from afar). */
static void mv_add_pines(const mv_scene *s, float *top, int w, int h, float size, uint32_t salt)
{
    float spacing = fmaxf(2.0f, (float)h * 0.012f * size);
    for (int x = 0; x < w; x++) {
        int cell = (int)((float)x / spacing);
        float best = 0.0f;
        for (int k = cell - 1; k <= cell + 1; k++) {
            float jitter = mv_hashf(k, 11, s->seed + salt) - 0.5f;
            float cx = ((float)k + 0.5f + jitter * 0.6f) * spacing;
            float hw = spacing * 0.55f;
            float d = fabsf((float)x - cx) / hw;
            if (d >= 1.0f)
                continue;
            float height = (float)h * 0.035f * size * (0.6f + 0.8f * mv_hashf(k, 12, s->seed + salt));
            float t = 1.0f - d;
            float tiers = 0.8f + 0.2f * (t * 5.0f - floorf(t * 5.0f));
            best = fmaxf(best, height * t * tiers);
        }
        top[x] -= best;
    }
}

void mv_paint_land(const mv_scene *s, const mv_canvas *c, float *ground_y)
{
    int w = c->w, h = c->h;
    for (int x = 0; x < w; x++)
        ground_y[x] = (float)h;
    if (s->space || s->backdrop == MV_BACK_CITY)
        return;
#define MV_LAND_LAYERS 5
    float *tops = malloc((size_t)w * MV_LAND_LAYERS * sizeof(float));
    int *limits = malloc((size_t)w * sizeof(int));
    if (!tops || !limits) {
        free(tops);
        free(limits);
        return;
    }
    mv_layer_look looks[MV_LAND_LAYERS];
    int count = 0;
    int land_ground = s->ground == MV_GROUND_LAND || s->ground == MV_GROUND_SNOW ||
                      s->ground == MV_GROUND_SAND;
    float horizon_px = s->horizon * (float)h;
    float aspect = (float)w / (float)h;
    mv_rng rng = {s->seed ^ 0x1a2dULL};
    mv_field tex = {0, 0, NULL};
    int tw = w / 4 < 480 ? w / 4 : 480;
    if (tw < 8)
        tw = 8;
    int th = (int)((float)tw * (float)h / (float)w);
    if (mv_field_fbm(&tex, tw, th < 8 ? 8 : th, aspect, 9.0f, 2.5f, 4, s->seed + 404U) != 0)
        tex.v = NULL;
    int layers = s->backdrop == MV_BACK_MOUNTAINS ? 4 : 3;
    if (s->backdrop == MV_BACK_NONE)
        layers = 0;
    int forest = s->words.forest;
    int snowy = s->words.snow || (s->backdrop == MV_BACK_MOUNTAINS && mv_rng_float(&rng) < 0.5f);
    for (int i = 0; i < layers; i++) {
        float *top = tops + (size_t)count * (size_t)w;
        float t = layers > 1 ? (float)i / (float)(layers - 1) : 1.0f;
        float base = horizon_px + (land_ground ? t * 0.05f * (float)h : 0.0f);
        float offset = mv_rng_range(&rng, 0.0f, 100.0f);
        uint32_t salt = s->seed + (uint32_t)i * 101U;
        mv_layer_look look;
        look.bottom = land_ground ? h : (int)ceilf(horizon_px);
        look.snow_y = -1.0f;
        look.tex = tex.v ? &tex : NULL;
        look.texture = 0.18f;
        look.light_depth = 0.3f;
        float fade = powf(1.0f - t, 1.3f) * 0.72f + s->haze * 0.25f * (1.0f - t);
        if (s->backdrop == MV_BACK_MOUNTAINS) {
            float amp = (float)h * s->horizon * (0.62f - 0.32f * t) * mv_rng_range(&rng, 0.8f, 1.1f);
            float freq = (1.3f + 2.0f * t) * aspect;
            for (int x = 0; x < w; x++) {
                float u = (float)x / (float)w * freq + offset;
                float n = mv_fbm1(u, 5, salt);
                float ridge = 1.0f - fabsf(2.0f * n - 1.0f);
                float env = mv_fbm1(u * 0.35f + 3.0f, 2, salt + 9U);
                top[x] = base - amp * (0.12f + 0.88f * ridge * ridge * (0.35f + 0.9f * env));
            }
            look.colour = s->rock;
            look.light = 0.9f * (1.0f - s->night);
            if (snowy && i < 2)
                look.snow_y = base - amp * 0.62f;
        } else if (s->backdrop == MV_BACK_HILLS) {
            float amp = (float)h * (0.11f - 0.035f * t) * mv_rng_range(&rng, 0.8f, 1.2f);
            float freq = (0.9f + 1.3f * t) * aspect;
            for (int x = 0; x < w; x++) {
                float u = (float)x / (float)w * freq + offset;
                top[x] = base - amp * (0.2f + 0.8f * mv_fbm1(u, 3, salt));
            }
            if (forest && i > 0)
                mv_add_pines(s, top, w, h, 0.6f + 0.9f * t, (uint32_t)i);
            look.colour = mv_rgb_mix(s->land, s->rock, 0.15f * (1.0f - t));
            look.light = 0.4f * (1.0f - s->night);
            look.light_depth = 0.1f;
        } else { /* dunes */
            float amp = (float)h * (0.1f - 0.03f * t) * mv_rng_range(&rng, 0.8f, 1.2f);
            float freq = (0.8f + 1.2f * t) * aspect;
            for (int x = 0; x < w; x++) {
                float u = (float)x / (float)w * freq + offset;
                float n = mv_fbm1(u, 3, salt);
                float crest = 1.0f - fabsf(2.0f * n - 1.0f);
                top[x] = base - amp * (0.15f + 0.85f * crest * crest);
            }
            look.colour = s->sand;
            look.light = 1.0f * (1.0f - s->night * 0.8f);
            look.light_depth = 0.06f;
            look.texture = 0.08f;
        }
        /* nearer layers are darker, farther ones melt into the air */
        look.colour = mv_rgb_scale(look.colour, 1.0f - 0.45f * t * (1.0f - 0.5f * (1.0f - s->night)));
        look.colour = mv_rgb_mix(look.colour, s->fog, fade);
        look.mist = (0.25f + 0.5f * s->haze) * (1.0f - 0.6f * t);
        looks[count++] = look;
    }
    if (land_ground) {
        /* the near ground: a gentle rise across the bottom of the picture */
        float *top = tops + (size_t)count * (size_t)w;
        float base = (float)h * mv_rng_range(&rng, 0.84f, 0.9f);
        float offset = mv_rng_range(&rng, 0.0f, 50.0f);
        for (int x = 0; x < w; x++) {
            float u = (float)x / (float)w * 1.2f * aspect + offset;
            top[x] = base - (float)h * 0.06f * mv_fbm1(u, 3, s->seed + 555U);
            if (s->ground == MV_GROUND_LAND) /* grass */
                top[x] -= (float)h * 0.006f * mv_hashf(x / 3, 13, s->seed);
            ground_y[x] = top[x] + (float)h * 0.01f;
        }
        if (s->words.forest)
            mv_add_pines(s, top, w, h, 1.6f, 99U);
        mv_layer_look look;
        mv_rgb near = s->ground == MV_GROUND_SAND ? s->sand : s->land;
        if (s->ground == MV_GROUND_SNOW)
            near = mv_rgb_mul(mv_rgb_make(0.9f, 0.93f, 0.98f), s->ambient);
        look.colour = mv_rgb_scale(near, 0.55f);
        look.mist = 0.1f * s->haze;
        look.light = 0.0f;
        look.light_depth = 0.1f;
        look.snow_y = -1.0f;
        look.bottom = h;
        look.tex = tex.v ? &tex : NULL;
        look.texture = 0.25f;
        looks[count++] = look;
    }
    /* paint back to front, each layer only where no nearer layer covers it */
    for (int x = 0; x < w; x++)
        limits[x] = h;
    int *cover = malloc((size_t)w * (size_t)(count > 0 ? count : 1) * sizeof(int));
    if (cover) {
        for (int i = count - 1; i >= 0; i--) {
            const float *top = tops + (size_t)i * (size_t)w;
            for (int x = 0; x < w; x++) {
                cover[(size_t)i * (size_t)w + (size_t)x] = limits[x];
                int opaque_from = (int)ceilf(fmaxf(top[x], 0.0f));
                if (opaque_from < limits[x]) /* nearer layers reach at least as low */
                    limits[x] = opaque_from;
            }
        }
        for (int i = 0; i < count; i++)
            mv_fill_layer(s, c, tops + (size_t)i * (size_t)w, cover + (size_t)i * (size_t)w,
                          &looks[i]);
    }
    free(cover);
    free(tops);
    free(limits);
    mv_field_free(&tex);
}
