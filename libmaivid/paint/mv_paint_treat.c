/*
 * mv_paint_treat.c - each style's line and texture treatment on the finished picture: cel
 * steps and ink outlines (anime, cartoon, comic), halftone dots (comic), big square pixels
 * in few colours (pixel art), a paper grain and soft pooled edges (watercolor), brush
 * strokes (oil painting), scanlines and colour fringes (vaporwave, cyberpunk), a warm light
 * leak (retro film). Styles without one keep the painted look.
 */
#include "paint/mv_paint_internal.h"

#include <stdlib.h>
#include <string.h>

typedef enum mv_treat_flag {
    MV_T_CEL = 1,       /* flat colour steps */
    MV_T_INK = 2,       /* dark outlines where brightness jumps */
    MV_T_HALFTONE = 4,  /* printed dots in the mid tones */
    MV_T_PIXELS = 8,    /* big square pixels, few colours */
    MV_T_PAPER = 16,    /* paper grain, lighter washes */
    MV_T_BRUSH = 32,    /* short strokes */
    MV_T_SCAN = 64,     /* scanlines */
    MV_T_FRINGE = 128,  /* red and blue shifted apart */
    MV_T_LEAK = 256     /* a warm light leak from one side */
} mv_treat_flag;

static const struct {
    const char *id;
    int flags;
} mv_treatments[] = {
    {"anime", MV_T_CEL | MV_T_INK},       {"cartoon", MV_T_CEL | MV_T_INK},
    {"comic", MV_T_CEL | MV_T_INK | MV_T_HALFTONE},
    {"pixel_art", MV_T_PIXELS},           {"watercolor", MV_T_PAPER},
    {"oil_painting", MV_T_BRUSH},         {"vaporwave", MV_T_SCAN | MV_T_FRINGE},
    {"cyberpunk", MV_T_FRINGE},           {"retro_film", MV_T_LEAK},
    {"abstract", MV_T_CEL},               {"surreal", MV_T_BRUSH},
};

int mv_paint_treatment(const char *style_id)
{
    for (size_t i = 0; style_id && i < sizeof mv_treatments / sizeof mv_treatments[0]; i++)
        if (strcmp(mv_treatments[i].id, style_id) == 0)
            return mv_treatments[i].flags;
    return 0;
}

static inline uint8_t mv_u8(float v)
{
    return (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v + 0.5f));
}

static void mv_treat_cel(uint8_t *rgb, size_t n)
{
    uint8_t lut[256];
    for (int i = 0; i < 256; i++) { /* six steps per channel, soft at the step */
        float v = (float)i / 255.0f * 5.0f;
        float k = floorf(v), t = mv_smoothstep(0.35f, 0.65f, v - k);
        lut[i] = mv_u8((k + t) / 5.0f * 255.0f);
    }
    for (size_t i = 0; i < n * 3; i++)
        rgb[i] = lut[rgb[i]];
}

static int mv_treat_ink(uint8_t *rgb, int w, int h, float strength)
{
    uint8_t *l = malloc((size_t)w * (size_t)h);
    if (!l)
        return -1;
    for (size_t i = 0; i < (size_t)w * (size_t)h; i++)
        l[i] = (uint8_t)((54 * rgb[i * 3] + 183 * rgb[i * 3 + 1] + 19 * rgb[i * 3 + 2]) >> 8);
    int step = h > 700 ? 2 : 1; /* outlines scale with the picture */
    for (int y = step; y < h - step; y++)
        for (int x = step; x < w - step; x++) {
            const uint8_t *c = l + (size_t)y * w + x;
            int gx = c[step] - c[-step], gy = c[(size_t)step * w] - c[-(ptrdiff_t)step * w];
            int g = abs(gx) + abs(gy);
            if (g < 36)
                continue;
            float a = mv_clampf((float)(g - 36) / 60.0f, 0.0f, 1.0f) * strength;
            uint8_t *p = rgb + ((size_t)y * w + x) * 3;
            for (int k = 0; k < 3; k++)
                p[k] = mv_u8((float)p[k] * (1.0f - a) + 12.0f * a);
        }
    free(l);
    return 0;
}

#define MV_HALFTONE_MAX_CELL 32

static void mv_treat_halftone(uint8_t *rgb, int w, int h)
{
    int cell = h / 135 > 4 ? h / 135 : 4;
    if (cell > MV_HALFTONE_MAX_CELL)
        cell = MV_HALFTONE_MAX_CELL;
    float r0 = (float)cell * 0.5f;
    /* distance to the dot centre on a 45-degree grid, by position in the cell */
    float dist[MV_HALFTONE_MAX_CELL][MV_HALFTONE_MAX_CELL];
    for (int a = 0; a < cell; a++)
        for (int b = 0; b < cell; b++) {
            float du = ((float)a + 0.5f) / (float)cell - 0.5f;
            float dv = ((float)b + 0.5f) / (float)cell - 0.5f;
            dist[a][b] = sqrtf(du * du + dv * dv) * (float)cell;
        }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t *p = rgb + ((size_t)y * w + x) * 3;
            int li = (54 * p[0] + 183 * p[1] + 19 * p[2]) >> 8;
            if (li < 51 || li > 217)
                continue;
            /* a dot whose size grows with darkness */
            float l = (float)li / 255.0f;
            float d = dist[(x + y) % cell][(x - y + h * cell) % cell];
            float a = mv_clampf(r0 * (1.0f - l) * 1.1f - d + 0.5f, 0.0f, 1.0f) * 0.35f;
            if (a <= 0.0f)
                continue;
            for (int k = 0; k < 3; k++)
                p[k] = mv_u8((float)p[k] * (1.0f - a));
        }
}

static void mv_treat_pixels(const mv_scene *s, uint8_t *rgb, int w, int h)
{
    int block = h / 120 > 2 ? h / 120 : 2;
    for (int by = 0; by < h; by += block)
        for (int bx = 0; bx < w; bx += block) {
            int ex = bx + block < w ? bx + block : w, ey = by + block < h ? by + block : h;
            float sum[3] = {0, 0, 0};
            for (int y = by; y < ey; y++)
                for (int x = bx; x < ex; x++)
                    for (int k = 0; k < 3; k++)
                        sum[k] += rgb[((size_t)y * w + x) * 3 + k];
            float n = (float)((ex - bx) * (ey - by));
            mv_rgb c = mv_rgb_make(sum[0] / n / 255.0f, sum[1] / n / 255.0f, sum[2] / n / 255.0f);
            /* few colours: the nearer of the palette's and four steps per channel */
            mv_rgb q = mv_rgb_make(roundf(c.r * 4.0f) / 4.0f, roundf(c.g * 4.0f) / 4.0f,
                                   roundf(c.b * 4.0f) / 4.0f);
            float best = 1e9f;
            for (int i = 0; i < 5; i++) {
                mv_rgb p = s->palette[i];
                float d = (p.r - c.r) * (p.r - c.r) + (p.g - c.g) * (p.g - c.g) +
                          (p.b - c.b) * (p.b - c.b);
                if (d < best) {
                    best = d;
                    if (d < 0.02f)
                        q = p;
                }
            }
            uint8_t out[3] = {mv_u8(q.r * 255.0f), mv_u8(q.g * 255.0f), mv_u8(q.b * 255.0f)};
            for (int y = by; y < ey; y++)
                for (int x = bx; x < ex; x++)
                    memcpy(rgb + ((size_t)y * w + x) * 3, out, 3);
        }
}

static void mv_treat_paper(const mv_scene *s, uint8_t *rgb, int w, int h)
{
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t *p = rgb + ((size_t)y * w + x) * 3;
            uint32_t fine = (((uint32_t)(x >> 1) * 0x9E3779B1U) ^
                             ((uint32_t)(y >> 1) * 0x85EBCA77U) ^ s->seed) * 0xC2B2AE3DU;
            uint32_t coarse = (((uint32_t)(x >> 3) * 0x27D4EB2FU) ^
                               ((uint32_t)(y >> 3) * 0x165667B1U) ^ s->seed) * 0xC2B2AE3DU;
            int grain = 230 + (int)(fine >> 28) + (int)(coarse >> 28); /* 230..260 of 256 */
            for (int k = 0; k < 3; k++) { /* washes: lighter, toward the paper */
                int v = ((p[k] * 200 + 250 * 56) >> 8) * grain >> 8;
                p[k] = (uint8_t)(v > 255 ? 255 : v);
            }
        }
}

static int mv_treat_brush(const mv_scene *s, uint8_t *rgb, int w, int h)
{
    int len = h / 180 > 2 ? h / 180 : 2, cw = len * 4, ch = len * 2;
    int cells = w / cw + 1;
    int *off = malloc((size_t)cells * 2 * sizeof *off);
    if (!off)
        return -1;
    for (int y = 0; y < h; y++) {
        if (y % ch == 0) /* each small cell is one stroke in one direction */
            for (int k = 0; k < cells; k++) {
                float a = mv_hashf(k, y / ch, s->seed ^ 0x0b1U) * 3.14159f;
                off[k * 2] = (int)(cosf(a) * (float)len);
                off[k * 2 + 1] = (int)(sinf(a) * (float)len);
            }
        for (int x = 0; x < w; x++) {
            const int *o = off + (x / cw) * 2;
            int x2 = x + o[0], y2 = y + o[1];
            if (x2 < 0 || y2 < 0 || x2 >= w || y2 >= h)
                continue;
            /* smear along the stroke, with a little ridge of paint */
            uint8_t *p = rgb + ((size_t)y * w + x) * 3, *q = rgb + ((size_t)y2 * w + x2) * 3;
            uint32_t r = (((uint32_t)(x >> 1) * 0x9E3779B1U) ^ ((uint32_t)(y >> 1) * 0x85EBCA77U)) >> 27;
            int ridge = 240 + (int)r; /* 240..271 of 256 */
            for (int k = 0; k < 3; k++) {
                int v = (((int)p[k] + (int)q[k]) * ridge) >> 9;
                p[k] = (uint8_t)(v > 255 ? 255 : v);
            }
        }
    }
    free(off);
    return 0;
}

static void mv_treat_lines(uint8_t *rgb, int w, int h, int flags)
{
    int shift = (flags & MV_T_FRINGE) ? (h > 700 ? 3 : 1) : 0;
    for (int y = 0; y < h; y++) {
        uint8_t *row = rgb + (size_t)y * w * 3;
        if (shift) /* red to the right, blue to the left */
            for (int x = w - 1; x >= shift; x--)
                row[x * 3] = row[(x - shift) * 3];
        if (shift)
            for (int x = 0; x < w - shift; x++)
                row[x * 3 + 2] = row[(x + shift) * 3 + 2];
        if ((flags & MV_T_SCAN) && (y / (h > 700 ? 2 : 1)) % 3 == 0)
            for (int x = 0; x < w * 3; x++)
                row[x] = (uint8_t)(row[x] * 3 / 4);
    }
}

static void mv_treat_leak(const mv_scene *s, uint8_t *rgb, int w, int h)
{
    float side = (s->seed & 2) ? 1.0f : 0.0f;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            float u = (float)x / (float)w;
            float d = fabsf(u - side);
            float a = mv_clampf(1.0f - d * 3.0f, 0.0f, 1.0f);
            a *= a * 0.45f;
            uint8_t *p = rgb + ((size_t)y * w + x) * 3;
            p[0] = mv_u8(p[0] + (255 - p[0]) * a);
            p[1] = mv_u8(p[1] + (150 - p[1]) * a * 0.7f);
            p[2] = mv_u8(p[2] * (1.0f - a * 0.5f));
        }
}

int mv_paint_treat(const mv_scene *s, uint8_t *rgb, int w, int h)
{
    int flags = s->treatment;
    if ((flags & MV_T_BRUSH) && mv_treat_brush(s, rgb, w, h))
        return -1;
    if (flags & MV_T_CEL)
        mv_treat_cel(rgb, (size_t)w * (size_t)h);
    if (flags & MV_T_HALFTONE)
        mv_treat_halftone(rgb, w, h);
    if ((flags & MV_T_INK) && mv_treat_ink(rgb, w, h, (flags & MV_T_HALFTONE) ? 1.0f : 0.8f))
        return -1;
    if (flags & MV_T_PIXELS)
        mv_treat_pixels(s, rgb, w, h);
    if (flags & MV_T_PAPER)
        mv_treat_paper(s, rgb, w, h);
    if (flags & (MV_T_SCAN | MV_T_FRINGE))
        mv_treat_lines(rgb, w, h, flags);
    if (flags & MV_T_LEAK)
        mv_treat_leak(s, rgb, w, h);
    return 0;
}
