/*
 * mv_transition_maps.c - the threshold maps of the masked transitions (wipes, circles, radial,
 * dissolve): a 16-bit value per pixel saying when, in the transition's progress, that pixel
 * switches to the next scene. Built once per kind and frame size (the trigonometry happens
 * here, never per frame), so the per-frame work is one compare-and-blend loop.
 */
#include "render/mv_transition.h"
#include "render/mv_transition_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void mv_transition_maps_free(mv_transition_maps *maps)
{
    for (int p = 0; p < 3; p++)
        free(maps->map[p]);
    memset(maps, 0, sizeof *maps);
}

static uint32_t mv_pixel_hash(uint32_t x, uint32_t y)
{
    uint32_t h = x * 0x8da6b343U ^ y * 0xd8163841U ^ 0x5bd1e995U;
    h ^= h >> 15;
    h *= 0x2c1b3c6dU;
    h ^= h >> 12;
    h *= 0x297a2d39U;
    h ^= h >> 15;
    return h;
}

/* Map value in 0..1 for a point at luma position (x, y) of a width x height frame. */
static double mv_map_value(mv_transition_kind kind, double x, double y, int width, int height)
{
    double cx = width / 2.0, cy = height / 2.0;
    switch (kind) {
    case MV_TRANSITION_WIPERIGHT: return x / width;
    case MV_TRANSITION_WIPELEFT: return 1.0 - x / width;
    case MV_TRANSITION_WIPEDOWN: return y / height;
    case MV_TRANSITION_WIPEUP: return 1.0 - y / height;
    case MV_TRANSITION_CIRCLEOPEN:
    case MV_TRANSITION_CIRCLECLOSE: {
        double d = hypot(x - cx, y - cy) / hypot(cx, cy);
        return kind == MV_TRANSITION_CIRCLEOPEN ? d : 1.0 - d;
    }
    case MV_TRANSITION_RADIAL: { /* clockwise from 12 o'clock */
        double a = atan2(x - cx, cy - y);
        if (a < 0)
            a += 2 * M_PI;
        return a / (2 * M_PI);
    }
    default:
        return 0;
    }
}

int mv_transition_maps_prepare(mv_transition_maps *maps, mv_transition_kind kind,
                               const mv_yuv *frame)
{
    if (maps->map[0] && maps->kind == (int)kind && maps->width == frame->width &&
        maps->height == frame->height)
        return 0;
    mv_transition_maps_free(maps);
    for (int p = 0; p < 3; p++) {
        int pw = frame->plane_w[p], ph = frame->plane_h[p];
        uint16_t *m = malloc(sizeof(uint16_t) * (size_t)pw * (size_t)ph);
        if (!m) {
            mv_transition_maps_free(maps);
            return -1;
        }
        maps->map[p] = m;
        int sub = p ? 2 : 1; /* luma pixels per plane pixel */
        for (int j = 0; j < ph; j++) {
            for (int i = 0; i < pw; i++) {
                double v;
                if (kind == MV_TRANSITION_DISSOLVE) /* chroma follows its top-left luma pixel */
                    v = (mv_pixel_hash((uint32_t)(i * sub), (uint32_t)(j * sub)) & 0xffffU) /
                        65535.0;
                else
                    v = mv_map_value(kind, (i + 0.5) * sub, (j + 0.5) * sub, frame->width,
                                     frame->height);
                if (v < 0)
                    v = 0;
                if (v > 1)
                    v = 1;
                m[(size_t)j * pw + i] = (uint16_t)lrint(v * 65535.0);
            }
        }
    }
    maps->kind = (int)kind;
    maps->width = frame->width;
    maps->height = frame->height;
    return 0;
}

/* Soft edge width in map units: about 1.5 pixels for geometric edges, none for dissolve. */
static int32_t mv_soft_width(mv_transition_kind kind, const mv_yuv *frame)
{
    double pixels;
    switch (kind) {
    case MV_TRANSITION_DISSOLVE: return 1;
    case MV_TRANSITION_WIPELEFT:
    case MV_TRANSITION_WIPERIGHT: pixels = frame->width; break;
    case MV_TRANSITION_WIPEUP:
    case MV_TRANSITION_WIPEDOWN: pixels = frame->height; break;
    case MV_TRANSITION_RADIAL: pixels = 2 * M_PI * frame->height / 2; break;
    default: pixels = hypot(frame->width / 2.0, frame->height / 2.0); break;
    }
    int32_t s = (int32_t)lrint(65535.0 * 1.5 / pixels);
    return s < 1 ? 1 : s;
}

void mv_transition_masked(mv_transition_kind kind, double p, const mv_yuv *a, const mv_yuv *b,
                          mv_yuv *out, const mv_transition_maps *maps)
{
    const int32_t soft = mv_soft_width(kind, out);
    const int32_t gain = (256 << 16) / soft;
    const int32_t threshold = (int32_t)lrint(p * (65535.0 + soft));
    for (int pl = 0; pl < 3; pl++) {
        int pw = out->plane_w[pl], ph = out->plane_h[pl];
        for (int j = 0; j < ph; j++) {
            const uint16_t *restrict m = maps->map[pl] + (size_t)j * pw;
            const uint8_t *restrict ra = a->plane[pl] + (size_t)j * a->stride[pl];
            const uint8_t *restrict rb = b->plane[pl] + (size_t)j * b->stride[pl];
            uint8_t *restrict ro = out->plane[pl] + (size_t)j * out->stride[pl];
            for (int i = 0; i < pw; i++) {
                int32_t d = threshold - (int32_t)m[i];
                d = d < 0 ? 0 : d;
                d = d > soft ? soft : d;
                int32_t w = (d * gain) >> 16; /* 0..256: share of b */
                ro[i] = (uint8_t)((ra[i] * (256 - w) + rb[i] * w + 128) >> 8);
            }
        }
    }
}
