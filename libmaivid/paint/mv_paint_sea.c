/*
 * mv_paint_sea.c - everything below a water or street horizon: the sea, lake or wet street
 * mirrors what was painted above (sky, clouds, mountains, skyline) with rippled rows and
 * perspective waves, a glittering path under the sun or moon, and a sandy or grassy shore in
 * front when the prompt has a beach or someone standing there.
 */
#include "paint/mv_paint_internal.h"

#include <stdlib.h>

/* Wave pattern over the water in perspective, at low resolution. */
static int mv_wave_field(const mv_scene *s, mv_field *f, int fw, int fh)
{
    f->w = fw;
    f->h = fh;
    f->v = malloc((size_t)fw * (size_t)fh * sizeof(float));
    if (!f->v)
        return -1;
    float aspect = (float)s->w / (float)s->h;
    for (int y = 0; y < fh; y++) {
        float z = (float)y / (float)(fh - 1);
        float pz = 1.0f / (z + 0.04f);
        for (int x = 0; x < fw; x++) {
            float u = (float)x / (float)(fw - 1);
            float px = (u - 0.5f) * aspect * pz;
            f->v[(size_t)y * (size_t)fw + (size_t)x] =
                mv_fbm2(px * 1.4f, pz * 7.0f, 3, s->seed + 999U);
        }
    }
    return 0;
}

static void mv_paint_shore(const mv_scene *s, const mv_canvas *c, float *ground_y)
{
    int w = c->w, h = c->h;
    int sandy = s->words.beach || s->words.sea;
    mv_rgb colour = sandy ? s->sand : s->land;
    colour = mv_rgb_scale(colour, sandy ? 0.85f : 0.55f);
    mv_rgb foam = mv_rgb_mix(mv_rgb_scale(mv_rgb_make(1, 1, 1), 0.9f), s->sky_horizon, 0.3f);
    foam = mv_rgb_mul(foam, mv_rgb_mix(s->ambient, mv_rgb_make(1, 1, 1), 0.3f));
    mv_rng rng = {s->seed ^ 0x5a4dULL};
    float base = (float)h * mv_rng_range(&rng, 0.84f, 0.9f);
    float tilt = mv_rng_range(&rng, -0.06f, 0.06f) * (float)h;
    float aspect = (float)w / (float)h;
    for (int x = 0; x < w; x++) {
        float u = (float)x / (float)w;
        ground_y[x] = base + tilt * (u - 0.5f) -
                      (float)h * 0.035f * mv_fbm1(u * aspect * 1.5f + 7.0f, 3, s->seed + 31U);
    }
    float foam_w = (float)h * 0.008f;
    for (int y = 0; y < h; y++) {
        float *p = mv_canvas_at(c, 0, y);
        for (int x = 0; x < w; x++, p += 3) {
            float d = (float)y + 1.0f - ground_y[x];
            if (d < -foam_w * 2.0f)
                continue;
            if (d < 1.0f) { /* foam or a wet edge along the shore */
                float a = mv_smoothstep(-foam_w * 2.0f, 0.0f, d) * (sandy ? 0.7f : 0.25f);
                p[0] += (foam.r - p[0]) * a;
                p[1] += (foam.g - p[1]) * a;
                p[2] += (foam.b - p[2]) * a;
                if (d <= 0.0f)
                    continue;
            }
            float a = mv_clampf(d, 0.0f, 1.0f);
            float shade = 1.0f - 0.35f * mv_clampf(((float)y - ground_y[x]) / (0.15f * (float)h), 0, 1);
            p[0] += (colour.r * shade - p[0]) * a;
            p[1] += (colour.g * shade - p[1]) * a;
            p[2] += (colour.b * shade - p[2]) * a;
        }
    }
}

void mv_paint_water(const mv_scene *s, const mv_canvas *c, float *ground_y)
{
    if (s->ground != MV_GROUND_WATER && s->ground != MV_GROUND_STREET)
        return;
    int w = c->w, h = c->h;
    int street = s->ground == MV_GROUND_STREET;
    int wet = !street || s->words.rain || s->words.neon || s->night > 0.5f;
    int horizon_px = (int)ceilf(s->horizon * (float)h);
    float span = (float)h - (float)horizon_px;
    if (span < 1.0f)
        return;
    int fw = w / 4 < 480 ? w / 4 : 480;
    if (fw < 8)
        fw = 8;
    int fh = (int)((float)fw * span / (float)w);
    if (fh < 8)
        fh = 8;
    mv_field waves;
    if (mv_wave_field(s, &waves, fw, fh) != 0)
        return;
    mv_rgb base = street ? mv_rgb_scale(s->building, 0.55f) : s->water;
    float reflect_near = street ? (wet ? 0.3f : 0.08f) : 0.45f;
    float reflect_far = street ? (wet ? 0.6f : 0.2f) : 0.92f;
    int glitter = (s->show_sun || s->show_moon) && !street;
    float sun_x = s->sun_x * (float)w;
    mv_rgb glint = mv_rgb_scale(s->sun_colour, s->show_sun ? 1.2f : 0.8f);
    float inv_w = 1.0f / (float)w;
    float ripple = (float)h * (street ? 0.006f : 0.016f);
    float *row_tmp = malloc((size_t)w * 3 * sizeof(float));
    if (!row_tmp) {
        mv_field_free(&waves);
        return;
    }
    for (int y = horizon_px; y < h; y++) {
        float z = ((float)y - (float)horizon_px) / span; /* 0 horizon .. 1 bottom */
        int src_y = 2 * horizon_px - y - 1;
        if (src_y < 0)
            src_y = 0;
        /* rows of wavelets: each row shifted sideways and reflecting more or less */
        float plane = 36.0f / (z + 0.06f); /* distance on the water: rows in perspective */
        float row_noise = mv_noise2(plane * 0.5f, 0.5f, s->seed + 5U);
        float shift = ripple * (z + 0.08f) * (row_noise - 0.5f) * 2.0f;
        float refl = reflect_far + (reflect_near - reflect_far) * sqrtf(z);
        refl *= 0.8f + 0.35f * mv_noise2(plane * 0.23f, 3.5f, s->seed + 6U);
        float glit_w = (0.02f + 0.12f * z) * (float)w;
        float *src = mv_canvas_at(c, 0, src_y);
        for (int x = 0; x < w; x++) {
            int sx = x + (int)shift;
            sx = sx < 0 ? 0 : (sx >= w ? w - 1 : sx);
            row_tmp[x * 3] = src[sx * 3];
            row_tmp[x * 3 + 1] = src[sx * 3 + 1];
            row_tmp[x * 3 + 2] = src[sx * 3 + 2];
        }
        float *p = mv_canvas_at(c, 0, y);
        for (int x = 0; x < w; x++, p += 3) {
            float n = mv_field_at(&waves, ((float)x + 0.5f) * inv_w, z);
            float k = refl * (0.75f + 0.5f * n);
            float r = base.r + (row_tmp[x * 3] - base.r) * k;
            float g = base.g + (row_tmp[x * 3 + 1] - base.g) * k;
            float b = base.b + (row_tmp[x * 3 + 2] - base.b) * k;
            if (glitter) {
                float dx = ((float)x - sun_x) / glit_w;
                if (dx > -1.5f && dx < 1.5f && n > 0.55f) {
                    float gl = (n - 0.55f) * 5.0f * expf(-dx * dx * 2.0f) * (1.0f - 0.5f * z);
                    r += glint.r * gl;
                    g += glint.g * gl;
                    b += glint.b * gl;
                }
            }
            p[0] = r;
            p[1] = g;
            p[2] = b;
        }
    }
    free(row_tmp);
    mv_field_free(&waves);
    if (street) {
        for (int x = 0; x < w; x++)
            ground_y[x] = (float)h * 0.93f;
        return;
    }
    if (s->beach || s->words.figures || s->words.trees)
        mv_paint_shore(s, c, ground_y);
}
