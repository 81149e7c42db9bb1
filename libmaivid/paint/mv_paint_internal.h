/*
 * mv_paint_internal.h - what the painter's files share: the words found in a prompt, the
 * composed scene (colours, horizon, sun, layout chosen from words, style and seed), the float
 * canvas the layers paint on, and small inline helpers (colour maths, hashes, a seeded
 * random generator). Private to libmaivid/paint/.
 */
#ifndef MV_PAINT_INTERNAL_H
#define MV_PAINT_INTERNAL_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "paint/mv_paint.h"
#include "paint/mv_paint_motifs.h"

/* ---- colours: float sRGB-ish 0..1 */
typedef struct mv_rgb {
    float r, g, b;
} mv_rgb;

static inline mv_rgb mv_rgb_make(float r, float g, float b)
{
    mv_rgb c = {r, g, b};
    return c;
}
static inline mv_rgb mv_rgb_hex(uint32_t hex)
{
    return mv_rgb_make((float)((hex >> 16) & 255) / 255.0f, (float)((hex >> 8) & 255) / 255.0f,
                       (float)(hex & 255) / 255.0f);
}
static inline mv_rgb mv_rgb_mix(mv_rgb a, mv_rgb b, float t)
{
    return mv_rgb_make(a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t);
}
static inline mv_rgb mv_rgb_scale(mv_rgb a, float k)
{
    return mv_rgb_make(a.r * k, a.g * k, a.b * k);
}
static inline mv_rgb mv_rgb_mul(mv_rgb a, mv_rgb b)
{
    return mv_rgb_make(a.r * b.r, a.g * b.g, a.b * b.b);
}
static inline mv_rgb mv_rgb_add(mv_rgb a, mv_rgb b)
{
    return mv_rgb_make(a.r + b.r, a.g + b.g, a.b + b.b);
}
static inline float mv_luma(mv_rgb c)
{
    return 0.2126f * c.r + 0.7152f * c.g + 0.0722f * c.b;
}
/* Moves saturation: 0 grey, 1 unchanged, >1 more vivid. */
static inline mv_rgb mv_rgb_saturate(mv_rgb c, float s)
{
    float l = mv_luma(c);
    return mv_rgb_make(l + (c.r - l) * s, l + (c.g - l) * s, l + (c.b - l) * s);
}

static inline float mv_clampf(float v, float lo, float hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}
static inline float mv_smoothstep(float e0, float e1, float x)
{
    float t = mv_clampf((x - e0) / (e1 - e0), 0.0f, 1.0f);
    return t * t * (3.0f - 2.0f * t);
}
static inline float mv_lerpf(float a, float b, float t)
{
    return a + (b - a) * t;
}

/* ---- hashes and a seeded generator (no global state: the generator lives on the stack) */
static inline uint32_t mv_hash32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}
static inline uint32_t mv_hash3(int32_t x, int32_t y, uint32_t seed)
{
    return mv_hash32((uint32_t)x * 0x8da6b343U ^ mv_hash32((uint32_t)y * 0xd8163841U ^ seed));
}
/* 0..1 */
static inline float mv_hashf(int32_t x, int32_t y, uint32_t seed)
{
    return (float)(mv_hash3(x, y, seed) >> 8) * (1.0f / 16777216.0f);
}

typedef struct mv_rng {
    uint64_t state;
} mv_rng;

static inline uint64_t mv_rng_next(mv_rng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
/* 0..1 */
static inline float mv_rng_float(mv_rng *r)
{
    return (float)(mv_rng_next(r) >> 40) * (1.0f / 16777216.0f);
}
static inline float mv_rng_range(mv_rng *r, float lo, float hi)
{
    return lo + (hi - lo) * mv_rng_float(r);
}

/* ---- noise (mv_paint_noise.c) */
/* Smooth value noise in 0..1 at (x, y) (lattice spacing 1). */
float mv_noise2(float x, float y, uint32_t seed);
/* Fractal sum of `octaves` value noises, normalized to 0..1. */
float mv_fbm2(float x, float y, int octaves, uint32_t seed);
/* 1-D fractal noise 0..1. */
float mv_fbm1(float x, int octaves, uint32_t seed);

/* A noise image precomputed at low resolution and sampled bilinearly (clouds, nebulae). */
typedef struct mv_field {
    int w, h;
    float *v;
} mv_field;
/* fbm over normalized coordinates u in 0..aspect, v in 0..1 times `freq`; x stretch for wind. */
int mv_field_fbm(mv_field *f, int w, int h, float aspect, float freq, float stretch, int octaves,
                 uint32_t seed);
void mv_field_free(mv_field *f);
/* u, v in 0..1 over the image. */
static inline float mv_field_at(const mv_field *f, float u, float v)
{
    float fx = u * (float)(f->w - 1), fy = v * (float)(f->h - 1);
    if (fx < 0)
        fx = 0;
    if (fy < 0)
        fy = 0;
    int x0 = (int)fx, y0 = (int)fy;
    if (x0 >= f->w - 1)
        x0 = f->w - 2;
    if (y0 >= f->h - 1)
        y0 = f->h - 2;
    float tx = fx - (float)x0, ty = fy - (float)y0;
    const float *p = f->v + (size_t)y0 * (size_t)f->w + (size_t)x0;
    float a = p[0] + (p[1] - p[0]) * tx;
    float b = p[f->w] + (p[f->w + 1] - p[f->w]) * tx;
    return a + (b - a) * ty;
}

/* ---- the words of a prompt (mv_paint_words.c) */
typedef enum mv_time_of_day {
    MV_TOD_NONE = 0,
    MV_TOD_DAWN,
    MV_TOD_MORNING,
    MV_TOD_NOON,
    MV_TOD_AFTERNOON,
    MV_TOD_SUNSET,
    MV_TOD_DUSK,
    MV_TOD_TWILIGHT,
    MV_TOD_NIGHT,
    MV_TOD_COUNT
} mv_time_of_day;

#define MV_PAINT_MAX_COLOURS 4
#define MV_PAINT_MAX_MOTIFS 6
#define MV_PAINT_MAX_UNMATCHED 12

/* A motif the words named, in order of first mention (the first is the most prominent). */
typedef struct mv_motif_use {
    mv_motif_id id;
    int variant;    /* -1: chosen by the seed */
    int contextual; /* "burning": a fire unless something in the scene gives light */
} mv_motif_use;

typedef struct mv_paint_words {
    mv_time_of_day time;
    /* weather */
    int rain, storm, snow, fog, cloud, clear, wind, lightning;
    /* places */
    int mountain, hill, forest, field, desert, city, neon, sea, beach, lake, space, planet, room;
    /* celestial bodies and silhouettes */
    int sun, moon, stars, trees, buildings, figures, birds;
    /* mood */
    int fire, glow, dark, dream, mono;
    /* colour words, in prompt order */
    mv_rgb colours[MV_PAINT_MAX_COLOURS];
    int colour_count;
    /* the moon's phase when the words say it (crescent, half, full, old, new): 0 full .. 1 */
    int moon_phase_set;
    float moon_phase;
    int river;
    /* drawable things the lyric names, most prominent first */
    mv_motif_use motifs[MV_PAINT_MAX_MOTIFS];
    int motif_count;
    /* content words of the lyric that name nothing the painter can draw */
    char unmatched[MV_PAINT_MAX_UNMATCHED][24];
    int unmatched_count;
    int from_setting; /* the scene named nothing: the song's recurring setting was used */
    /* the song's time and weather (not the lyric's): a fallback the composer may vary */
    mv_time_of_day ambient_time;
    int ambient_rain, ambient_snow, ambient_fog;
} mv_paint_words;

/* Reads a prompt: the lyric part ("depicting ...") names the subjects; the song's recurring
 * setting ("recurring setting in the same ...") is used only when the lyric names no place and
 * nothing drawable; the rest (shot, mood, style words) colours the light and weather. */
void mv_paint_words_parse(const char *prompt, mv_paint_words *words);
/* Candidate base forms of an inflected word, the word itself first; returns the count. */
int mv_word_forms(const char *w, char forms[][32], int max);
/* The motif a word (or one of its base forms) names (mv_paint_lexicon.c). */
int mv_lexicon_find(const char *word, mv_motif_id *motif, int *variant);
/* Appends word to a list of 24-character words unless it is there or the list is full. */
static inline void mv_word_list_add(char list[][24], int *count, int max, const char *word)
{
    for (int i = 0; i < *count; i++)
        if (strcmp(list[i], word) == 0)
            return;
    if (*count < max)
        mv_strlcpy(list[(*count)++], word, 24);
}
static inline int mv_words_has_motif(const mv_paint_words *w, mv_motif_id id)
{
    for (int i = 0; i < w->motif_count; i++)
        if (w->motifs[i].id == id)
            return 1;
    return 0;
}

/* ---- the composed scene (mv_paint_compose.c) */
typedef enum mv_backdrop {
    MV_BACK_NONE = 0,
    MV_BACK_MOUNTAINS,
    MV_BACK_HILLS,
    MV_BACK_DUNES,
    MV_BACK_CITY
} mv_backdrop;

typedef enum mv_ground {
    MV_GROUND_LAND = 0,
    MV_GROUND_WATER,
    MV_GROUND_SAND,
    MV_GROUND_STREET,
    MV_GROUND_SNOW,
    MV_GROUND_NONE /* space */
} mv_ground;

typedef struct mv_scene {
    int w, h;
    uint32_t seed; /* folded request seed */
    mv_paint_words words;
    int space;          /* deep space instead of a sky over land */
    mv_backdrop backdrop;
    mv_ground ground;
    int beach;          /* sand strip in front of the water */
    float horizon;      /* y of the horizon, fraction of height */
    /* light */
    mv_rgb zenith, sky_mid, sky_horizon; /* sky gradient */
    mv_rgb fog;          /* atmospheric colour distant layers fade to */
    mv_rgb ambient;      /* multiplier for lit surfaces (time of day) */
    mv_rgb sun_colour;   /* disc and glow */
    mv_rgb land, rock, sand, water, building, window_light; /* surface base colours */
    mv_rgb accent;       /* colour words (or the style's accent) */
    int has_accent;
    float hero_x;        /* where the most prominent subject stands, fraction of width */
    float sun_x, sun_y, sun_r; /* fractions of width / height; radius fraction of height */
    int show_sun, show_moon;
    float moon_phase;    /* 0 full .. 1 thin crescent */
    float star_density;  /* 0 none .. 1 dense */
    float cloud_cover;   /* 0 .. 1 */
    float night;         /* 0 day .. 1 deep night */
    float haze;          /* 0..1 extra fog */
    float bloom;         /* bloom strength */
    float grain;         /* film grain amplitude (0..255 units) */
    float vignette;      /* 0..1 */
    float exposure;      /* final multiplier */
    /* style */
    mv_rgb palette[5];
    float grade;         /* how strongly the final image is mapped to the palette */
    int mono;            /* black and white */
    int treatment;       /* the style's line and texture treatment (mv_paint_treat.c) */
} mv_scene;

maivid_code mv_paint_compose(const mv_paint_request *req, mv_scene *scene, mv_error *err);
/* Checks a request's size (mv_paint.c). */
maivid_code mv_paint_check(const mv_paint_request *req, mv_error *err);
/* Takes one finished RGBA depth layer (width x height, packed), back to front; anything
 * but MAIVID_OK (with err set) stops the painting. */
typedef maivid_code (*mv_depth_sink)(void *user, int layer, const uint8_t *rgba,
                                     mv_error *err);
/* Paints a composed scene's depth layers into the sink, one at a time (mv_layer_stack.h's
 * order), then returns the flat RGB24 picture, malloc'd (mv_paint_depth.c). */
maivid_code mv_paint_depth_layers(const mv_scene *scene, mv_depth_sink sink, void *user,
                                  uint8_t **flat_out, mv_error *err);
/* Paints a composed scene into a malloc'd RGB24 buffer (mv_paint.c). */
maivid_code mv_paint_scene_rgb(const mv_scene *scene, uint8_t **rgb_out, mv_error *err);
/* Pulls a colour toward the style's palette (by brightness). */
mv_rgb mv_paint_style_colour(const mv_scene *s, mv_rgb c, float strength);

/* ---- the canvas: packed float RGB */
typedef struct mv_canvas {
    int w, h;
    float *px;
} mv_canvas;

static inline float *mv_canvas_at(const mv_canvas *c, int x, int y)
{
    return c->px + ((size_t)y * (size_t)c->w + (size_t)x) * 3;
}
/* Blends colour over the pixel with coverage a (0..1). */
static inline void mv_canvas_blend(const mv_canvas *c, int x, int y, mv_rgb col, float a)
{
    float *p = mv_canvas_at(c, x, y);
    p[0] += (col.r - p[0]) * a;
    p[1] += (col.g - p[1]) * a;
    p[2] += (col.b - p[2]) * a;
}
static inline void mv_canvas_add(const mv_canvas *c, int x, int y, mv_rgb col, float a)
{
    float *p = mv_canvas_at(c, x, y);
    p[0] += col.r * a;
    p[1] += col.g * a;
    p[2] += col.b * a;
}

/* ---- drawing primitives (mv_paint_draw.c), coordinates in pixels */
void mv_draw_disc(const mv_canvas *c, float cx, float cy, float r, mv_rgb col, float alpha);
/* Additive glow falling off as (1 - d/r)^power. */
void mv_draw_glow(const mv_canvas *c, float cx, float cy, float r, mv_rgb col, float strength,
                  float power);
/* Anti-aliased thick segment. */
void mv_draw_line(const mv_canvas *c, float x0, float y0, float x1, float y1, float width,
                  mv_rgb col, float alpha);
/* Axis-aligned rectangle with anti-aliased edges. */
void mv_draw_rect(const mv_canvas *c, float x0, float y0, float x1, float y1, mv_rgb col,
                  float alpha);

/* ---- the depth groups the layers are painted in, back to front (mv_paint.c); the mist
 * hangs between MID and NEAR */
typedef enum mv_paint_depth {
    MV_DEPTH_SKY = 0, /* sky, stars, sun or moon, clouds, space, sky motifs */
    MV_DEPTH_FAR,     /* land or city, water */
    MV_DEPTH_MID,     /* trees and the named subjects on the ground or water */
    MV_DEPTH_NEAR     /* the room around a window, close-up subjects */
} mv_paint_depth;
#define MV_DEPTH_GROUPS 4
/* Rain and snow, painted where they belong: before the near group (before_room 1) in a room,
 * after it outdoors. Not a layer of their own: a streak blended over the moon would carry
 * the moon's colour along with the near layer. */
void mv_paint_weather_at(const mv_scene *s, const mv_canvas *c, int before_room);
/* Paints one depth group onto c; nonzero when out of memory. */
int mv_paint_group(const mv_scene *s, const mv_canvas *c, float *ground_y, mv_paint_depth group);
/* The float canvas (mapped with huge pages where the kernel allows). */
float *mv_canvas_alloc(size_t bytes);
void mv_canvas_free(float *p, size_t bytes);

/* ---- layers, in painting order */
void mv_paint_sky(const mv_scene *s, const mv_canvas *c);          /* mv_paint_sky.c */
void mv_paint_stars(const mv_scene *s, const mv_canvas *c);        /* mv_paint_sky.c */
void mv_paint_bodies(const mv_scene *s, const mv_canvas *c);       /* mv_paint_bodies.c */
int mv_paint_clouds(const mv_scene *s, const mv_canvas *c);        /* mv_paint_clouds.c */
void mv_paint_lightning(const mv_scene *s, const mv_canvas *c);    /* mv_paint_clouds.c */
int mv_paint_nebula(const mv_scene *s, const mv_canvas *c);        /* mv_paint_space.c */
void mv_paint_planet(const mv_scene *s, const mv_canvas *c, float *ground_y); /* space.c */
/* Backdrop ridges and the land in front; fills ground_y[x] with the foreground top. */
void mv_paint_land(const mv_scene *s, const mv_canvas *c, float *ground_y); /* mv_paint_land.c */
void mv_paint_city(const mv_scene *s, const mv_canvas *c);         /* mv_paint_city.c */
void mv_paint_water(const mv_scene *s, const mv_canvas *c, float *ground_y); /* mv_paint_sea.c */
void mv_paint_trees(const mv_scene *s, const mv_canvas *c, const float *ground_y);
void mv_paint_mist(const mv_scene *s, const mv_canvas *c);         /* mv_paint_weather.c */
void mv_paint_rain(const mv_scene *s, const mv_canvas *c);         /* mv_paint_weather.c */
void mv_paint_snow(const mv_scene *s, const mv_canvas *c);         /* mv_paint_weather.c */
void mv_paint_room(const mv_scene *s, const mv_canvas *c);         /* mv_paint_room.c */
int mv_paint_bloom(const mv_scene *s, const mv_canvas *c);         /* mv_paint_finish.c */
/* Writes packed RGB24 as a PNG at path, atomically (mv_paint_png.c). */
maivid_code mv_paint_png_write(const uint8_t *rgb, int width, int height, const char *path,
                               mv_error *err);
/* The same for packed RGBA. */
maivid_code mv_paint_png_write_rgba(const uint8_t *rgba, int width, int height,
                                    const char *path, mv_error *err);
/* The style's treatment flags, 0 for none (mv_paint_treat.c). */
int mv_paint_treatment(const char *style_id);
/* Applies the scene's style treatment to finished RGB24; -1 when out of memory. */
int mv_paint_treat(const mv_scene *s, uint8_t *rgb, int w, int h);
/* Grade, vignette, grain and conversion to RGB24. */
void mv_paint_finish(const mv_scene *s, const mv_canvas *c, uint8_t *rgb);

#endif /* MV_PAINT_INTERNAL_H */
