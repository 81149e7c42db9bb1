/*
 * mv_paint_compose.c - turns the request (prompt words, style, seed, size) into a composed
 * scene: which backdrop and ground, where the horizon and the sun sit, the sky and surface
 * colours for the time of day and weather, tinted by colour words and pulled toward the
 * style's palette, and the finishing amounts (bloom, grain, vignette).
 */
#include "paint/mv_paint_internal.h"

#include <string.h>

#include "catalog/mv_styles.h"

typedef struct mv_tod_light {
    uint32_t zenith, mid, horizon, ambient;
    float sun_elevation; /* 1 high .. 0 on the horizon .. negative below */
    float night;         /* 0 day .. 1 deep night */
    float stars;
} mv_tod_light;

static const mv_tod_light mv_tod_table[MV_TOD_COUNT] = {
    [MV_TOD_NONE] = {0x2a66c8, 0x5a90d8, 0xb8d8f0, 0xffffff, 0.8f, 0.0f, 0.0f},
    [MV_TOD_DAWN] = {0x2b3270, 0x9a6a98, 0xf6a66e, 0x9a8a98, 0.10f, 0.25f, 0.15f},
    [MV_TOD_MORNING] = {0x3a6fc0, 0x86a8d8, 0xf0dcc0, 0xe0dcd0, 0.40f, 0.0f, 0.0f},
    [MV_TOD_NOON] = {0x2a66c8, 0x5a90d8, 0xb8d8f0, 0xffffff, 0.80f, 0.0f, 0.0f},
    [MV_TOD_AFTERNOON] = {0x3268b8, 0x7aa0d0, 0xe6dcc0, 0xf0e4cc, 0.50f, 0.0f, 0.0f},
    [MV_TOD_SUNSET] = {0x2a2060, 0xc04a5a, 0xff8a3a, 0xa87058, 0.07f, 0.2f, 0.05f},
    [MV_TOD_DUSK] = {0x1a1a48, 0x6a3a6a, 0xd0605a, 0x6a4a5a, -0.02f, 0.45f, 0.3f},
    [MV_TOD_TWILIGHT] = {0x0c1238, 0x2a2a5e, 0x6a4a80, 0x3a3a5a, -0.2f, 0.65f, 0.55f},
    [MV_TOD_NIGHT] = {0x050a1e, 0x0c1a40, 0x1c2c56, 0x2a3456, -1.0f, 1.0f, 1.0f},
};

typedef struct mv_style_finish {
    const char *id;
    float grain, grade, saturation;
} mv_style_finish;

/* Per-style finishing touches; styles not listed use the defaults below. */
static const mv_style_finish mv_style_finishes[] = {
    {"noir", 9.0f, 0.5f, 0.0f},        {"retro_film", 9.0f, 0.35f, 0.9f},
    {"photorealistic", 3.0f, 0.12f, 1.0f}, {"pixel_art", 0.0f, 0.4f, 1.1f},
    {"3d_render", 1.5f, 0.2f, 1.05f},  {"watercolor", 3.0f, 0.3f, 0.8f},
    {"cartoon", 0.0f, 0.3f, 1.25f},    {"cyberpunk", 4.0f, 0.35f, 1.2f},
    {"vaporwave", 3.0f, 0.4f, 1.1f},   {"oil_painting", 5.0f, 0.3f, 1.0f},
    {"comic", 0.0f, 0.3f, 1.2f},       {"anime", 1.5f, 0.25f, 1.15f},
};

/* Scales tint t to c's brightness and mixes it in by amount. */
static mv_rgb mv_rgb_tint(mv_rgb c, mv_rgb t, float amount)
{
    float lt = mv_luma(t), lc = mv_luma(c);
    float k = lt > 0.01f ? lc / lt : 0.0f;
    if (k > 1.6f)
        k = 1.6f;
    mv_rgb scaled = mv_rgb_make(mv_clampf(t.r * k, 0, 1), mv_clampf(t.g * k, 0, 1),
                                mv_clampf(t.b * k, 0, 1));
    return mv_rgb_mix(c, scaled, amount);
}

mv_rgb mv_paint_style_colour(const mv_scene *s, mv_rgb c, float strength)
{
    float l = mv_clampf(mv_luma(c), 0.0f, 1.0f) * 4.0f;
    int i = (int)l;
    if (i > 3)
        i = 3;
    mv_rgb ramp = mv_rgb_mix(s->palette[i], s->palette[i + 1], l - (float)i);
    return mv_rgb_tint(c, ramp, strength);
}

static mv_time_of_day mv_pick_time(const mv_paint_words *w, mv_rng *rng)
{
    if (w->time != MV_TOD_NONE)
        return w->time;
    if (w->neon || w->dark || w->space || w->stars || mv_words_has_motif(w, MV_M_FIREWORKS))
        return MV_TOD_NIGHT;
    if (mv_words_has_motif(w, MV_M_LANTERN) || mv_words_has_motif(w, MV_M_CANDLE) ||
        mv_words_has_motif(w, MV_M_LIGHTHOUSE) || mv_words_has_motif(w, MV_M_LAMP)) {
        static const mv_time_of_day lit[] = {MV_TOD_DUSK, MV_TOD_TWILIGHT, MV_TOD_NIGHT,
                                             MV_TOD_SUNSET};
        return lit[mv_rng_next(rng) % 4];
    }
    if (w->moon)
        return mv_rng_float(rng) < 0.5f ? MV_TOD_NIGHT : MV_TOD_TWILIGHT;
    if (w->sun)
        return mv_rng_float(rng) < 0.5f ? MV_TOD_AFTERNOON : MV_TOD_SUNSET;
    static const mv_time_of_day choices[] = {MV_TOD_NOON,     MV_TOD_SUNSET, MV_TOD_TWILIGHT,
                                             MV_TOD_NIGHT,    MV_TOD_DAWN,   MV_TOD_AFTERNOON,
                                             MV_TOD_DUSK,     MV_TOD_MORNING};
    return choices[mv_rng_next(rng) % (sizeof choices / sizeof choices[0])];
}

static void mv_pick_layout(mv_scene *s, mv_rng *rng)
{
    const mv_paint_words *w = &s->words;
    int water = w->sea || w->beach || w->lake;
    s->space = w->space || (w->planet && !water && !w->mountain && !w->city && !w->desert);
    if (w->mountain)
        s->backdrop = MV_BACK_MOUNTAINS;
    else if (w->city || w->neon || (w->buildings && !w->hill && !w->field && !w->forest))
        s->backdrop = MV_BACK_CITY;
    else if (w->desert)
        s->backdrop = MV_BACK_DUNES;
    else if (w->hill || w->forest || w->field)
        s->backdrop = MV_BACK_HILLS;
    else if (w->sea || w->beach)
        s->backdrop = MV_BACK_NONE;
    else if (w->lake || w->room || w->figures || w->trees || w->birds)
        s->backdrop = mv_rng_float(rng) < 0.5f ? MV_BACK_MOUNTAINS : MV_BACK_HILLS;
    else {
        static const mv_backdrop any[] = {MV_BACK_MOUNTAINS, MV_BACK_HILLS, MV_BACK_NONE,
                                          MV_BACK_MOUNTAINS};
        s->backdrop = any[mv_rng_next(rng) % 4];
    }
    if (water || (s->backdrop == MV_BACK_NONE && !s->space))
        s->ground = MV_GROUND_WATER;
    else if (s->backdrop == MV_BACK_CITY)
        s->ground = MV_GROUND_STREET;
    else if (s->backdrop == MV_BACK_DUNES)
        s->ground = MV_GROUND_SAND;
    else if (w->snow)
        s->ground = MV_GROUND_SNOW;
    else
        s->ground = MV_GROUND_LAND;
    s->beach = w->beach;
    if (s->space) {
        s->backdrop = MV_BACK_NONE;
        s->ground = MV_GROUND_NONE;
        s->horizon = 1.0f;
        return;
    }
    switch (s->backdrop) {
    case MV_BACK_CITY: s->horizon = mv_rng_range(rng, 0.6f, 0.78f); break;
    case MV_BACK_MOUNTAINS: s->horizon = mv_rng_range(rng, 0.52f, 0.74f); break;
    case MV_BACK_NONE: s->horizon = mv_rng_range(rng, 0.42f, 0.7f); break;
    default: s->horizon = mv_rng_range(rng, 0.48f, 0.72f); break;
    }
    /* the camera looks up at sky subjects (a low horizon) and down at boats (a high one) */
    if (w->motif_count > 0) { /* its own generator: the rest of the scene stays as it was */
        mv_rng cam = {s->seed ^ 0xca3e2aULL};
        mv_motif_stage hero = mv_motif_get(w->motifs[0].id)->stage;
        if (hero == MV_STAGE_SKY)
            s->horizon = fmaxf(s->horizon, mv_rng_range(&cam, 0.7f, 0.8f));
        else if (hero == MV_STAGE_WATER)
            s->horizon = fminf(s->horizon, mv_rng_range(&cam, 0.42f, 0.55f));
    }
}

static void mv_pick_light(mv_scene *s, mv_rng *rng)
{
    const mv_paint_words *w = &s->words;
    mv_time_of_day tod = mv_pick_time(w, rng);
    const mv_tod_light *L = &mv_tod_table[tod];
    s->zenith = mv_rgb_hex(L->zenith);
    s->sky_mid = mv_rgb_hex(L->mid);
    s->sky_horizon = mv_rgb_hex(L->horizon);
    s->ambient = mv_rgb_hex(L->ambient);
    s->night = L->night;
    s->star_density = L->stars;
    if (w->stars && s->night > 0.2f && s->star_density < 0.7f)
        s->star_density = 0.7f;
    if (s->space)
        s->star_density = 1.0f;

    /* weather */
    s->cloud_cover = mv_rng_range(rng, 0.12f, 0.42f);
    if (w->clear)
        s->cloud_cover = 0.04f;
    if (w->cloud)
        s->cloud_cover = 0.62f;
    if (w->snow)
        s->cloud_cover = fmaxf(s->cloud_cover, 0.6f);
    if (w->rain)
        s->cloud_cover = fmaxf(s->cloud_cover, 0.72f);
    if (w->storm)
        s->cloud_cover = 0.9f;
    if (s->space)
        s->cloud_cover = 0.0f;
    mv_rgb *sky[3] = {&s->zenith, &s->sky_mid, &s->sky_horizon};
    for (int i = 0; i < 3; i++) {
        if (w->storm)
            *sky[i] = mv_rgb_scale(mv_rgb_mix(mv_rgb_saturate(*sky[i], 0.35f),
                                              mv_rgb_hex(0x3a4450), 0.35f),
                                   0.55f);
        else if (w->rain)
            *sky[i] = mv_rgb_scale(mv_rgb_saturate(*sky[i], 0.5f), 0.8f);
        if (w->snow)
            *sky[i] = mv_rgb_mix(mv_rgb_saturate(*sky[i], 0.5f),
                                 mv_rgb_scale(mv_rgb_hex(0xc8d0dc), 1.0f - 0.8f * s->night),
                                 0.3f);
    }
    if (w->storm || w->rain)
        s->ambient = mv_rgb_scale(mv_rgb_saturate(s->ambient, 0.5f), 0.7f);
    s->haze = w->fog ? 0.75f : (w->snow || w->rain ? 0.3f : 0.1f);
    if (w->dream)
        s->haze += 0.2f;

    /* colour words tint the sky and the light */
    s->has_accent = w->colour_count > 0;
    if (s->has_accent) {
        mv_rgb a = w->colours[0];
        mv_rgb b = w->colour_count > 1 ? w->colours[1] : a;
        s->accent = a;
        s->sky_horizon = mv_rgb_tint(s->sky_horizon, a, 0.55f);
        s->sky_mid = mv_rgb_tint(s->sky_mid, mv_rgb_mix(a, b, 0.5f), 0.5f);
        s->zenith = mv_rgb_tint(s->zenith, b, 0.4f);
        s->ambient = mv_rgb_tint(s->ambient, a, 0.25f);
    } else {
        s->accent = s->palette[3];
    }

    /* sun and moon */
    s->sun_x = mv_rng_range(rng, 0.22f, 0.78f);
    float elevation = L->sun_elevation;
    if (s->backdrop == MV_BACK_MOUNTAINS && elevation > -0.05f && elevation < 0.5f)
        elevation += 0.22f; /* low sun still shows above the peaks */
    s->sun_y = s->horizon - elevation * (s->horizon - 0.1f);
    if (s->space)
        s->sun_y = mv_rng_range(rng, 0.2f, 0.5f);
    s->sun_r = elevation < 0.2f ? 0.075f : 0.055f;
    s->show_sun = !s->space && elevation > -0.05f && !w->storm && !(w->rain && !w->sun) &&
                  !(w->moon && !w->sun);
    mv_rgb sun_low = mv_rgb_hex(0xffa048), sun_high = mv_rgb_hex(0xfff4dc);
    s->sun_colour = mv_rgb_mix(sun_low, sun_high, mv_clampf(elevation * 2.0f, 0, 1));
    if (s->has_accent)
        s->sun_colour = mv_rgb_mix(s->sun_colour, s->accent, 0.3f);
    s->show_moon = !s->show_sun && !w->storm &&
                   (w->moon || (!s->space && s->night > 0.4f && mv_rng_float(rng) < 0.65f));
    if (s->show_moon) {
        s->sun_y = mv_rng_range(rng, 0.12f, fminf(0.35f, s->horizon - 0.2f));
        s->sun_r = mv_rng_range(rng, 0.04f, 0.07f);
        s->sun_colour = mv_rgb_hex(0xf2eedc);
        s->moon_phase = mv_rng_float(rng) < 0.5f ? 0.0f : mv_rng_range(rng, 0.35f, 0.8f);
        if (w->moon_phase_set)
            s->moon_phase = w->moon_phase;
    }
    if (w->moon && w->sun) /* both asked for: a pale daytime moon */
        s->show_moon = 1;

    /* surfaces */
    s->fog = mv_rgb_mix(s->sky_horizon, s->sky_mid, 0.25f);
    mv_rgb land = mv_rgb_hex(w->forest ? 0x2e5a30 : (w->field ? 0x8a9a3a : 0x4f7a3a));
    if (w->snow)
        land = mv_rgb_hex(0xe4eaf2);
    s->land = mv_rgb_mul(land, s->ambient);
    s->rock = mv_rgb_mul(mv_rgb_hex(0x6a6e7c), s->ambient);
    s->sand = mv_rgb_mul(mv_rgb_hex(0xd8a86a), s->ambient);
    s->water = mv_rgb_mul(mv_rgb_hex(0x1e4a6a), s->ambient);
    s->building = mv_rgb_mul(mv_rgb_hex(0x3a404c), s->ambient);
    s->window_light = w->neon ? s->palette[2] : mv_rgb_hex(0xffc86e);
    if (s->has_accent)
        s->window_light = mv_rgb_mix(s->window_light, s->accent, 0.6f);
    if (w->fire) /* firelight warms everything */
        s->ambient = mv_rgb_mix(s->ambient, mv_rgb_hex(0xff7a30), 0.3f);

    /* the style's colours, part way */
    mv_rgb *graded[] = {&s->zenith, &s->sky_mid, &s->sky_horizon, &s->fog,  &s->land,
                        &s->rock,   &s->sand,    &s->water,       &s->building};
    for (size_t i = 0; i < sizeof graded / sizeof graded[0]; i++)
        *graded[i] = mv_paint_style_colour(s, *graded[i], 0.3f);
}

maivid_code mv_paint_compose(const mv_paint_request *req, mv_scene *s, mv_error *err)
{
    memset(s, 0, sizeof *s);
    const char *style_id = req->style_id ? req->style_id : "cinematic";
    const mv_style *style = mv_style_find(style_id);
    if (!style)
        return mv_fail(err, MAIVID_E_INVALID,
                       "unknown style '%s' for the built-in painter; use a style id from the "
                       "styles catalog (for example cinematic, anime, noir, cyberpunk)",
                       style_id);
    s->w = req->width;
    s->h = req->height;
    s->seed = (uint32_t)(req->seed ^ (req->seed >> 32)) * 2654435761U + 12345U;
    mv_paint_words_parse(req->prompt, &s->words);
    for (int i = 0; i < 5; i++)
        s->palette[i] = mv_rgb_hex(style->palette[i]);

    s->grain = 4.0f;
    s->grade = 0.22f;
    float saturation = 1.0f;
    for (size_t i = 0; i < sizeof mv_style_finishes / sizeof mv_style_finishes[0]; i++) {
        if (strcmp(mv_style_finishes[i].id, style->entry.id) == 0) {
            s->grain = mv_style_finishes[i].grain;
            s->grade = mv_style_finishes[i].grade;
            saturation = mv_style_finishes[i].saturation;
        }
    }
    int grey_palette = 1;
    for (int i = 0; i < 5; i++) {
        uint32_t p = style->palette[i];
        if (((p >> 16) & 255) != (p & 255) || ((p >> 8) & 255) != (p & 255))
            grey_palette = 0;
    }
    s->mono = grey_palette || s->words.mono || saturation == 0.0f;
    s->treatment = mv_paint_treatment(style->entry.id);

    { /* the song's weather comes and goes from scene to scene */
        mv_rng weather = {s->seed ^ 0x3ea7ULL};
        mv_paint_words *w = &s->words;
        w->rain |= w->ambient_rain && mv_rng_float(&weather) < 0.5f;
        w->snow |= w->ambient_snow && mv_rng_float(&weather) < 0.5f;
        w->fog |= w->ambient_fog && mv_rng_float(&weather) < 0.5f;
        if (w->time == MV_TOD_NONE && mv_rng_float(&weather) < 0.6f)
            w->time = w->ambient_time;
    }
    mv_rng rng = {s->seed ^ 0x5eedULL};
    s->hero_x = mv_rng_float(&rng) < 0.5f ? mv_rng_range(&rng, 0.26f, 0.4f)
                                          : mv_rng_range(&rng, 0.6f, 0.74f);
    mv_pick_layout(s, &rng);
    mv_pick_light(s, &rng);
    if (saturation != 1.0f && saturation > 0.0f) {
        mv_rgb *all[] = {&s->zenith, &s->sky_mid, &s->sky_horizon, &s->fog,
                         &s->land,   &s->rock,    &s->sand,        &s->water};
        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
            *all[i] = mv_rgb_saturate(*all[i], saturation);
    }
    s->bloom = 0.35f + (s->words.glow ? 0.45f : 0.0f) + (s->words.dream ? 0.35f : 0.0f) +
               (s->words.neon ? 0.3f : 0.0f);
    s->vignette = s->words.dark ? 0.55f : 0.35f;
    s->exposure = s->words.dark ? 0.72f : 1.0f;
    return MAIVID_OK;
}
