/*
 * mv_transition.c - transition dispatch and the non-masked transitions: crossfade, fades
 * through black or white, slides (whole rows moved with memcpy, even luma offsets so chroma
 * stays aligned), the zoom-in crossfade (the zoom itself is done by the sampler) and the
 * pixelize mosaic. Masked reveals live in mv_transition_maps.c.
 */
#include "render/mv_transition.h"
#include "render/mv_transition_internal.h"

#include <math.h>
#include <string.h>

static const struct {
    const char *id;
    mv_transition_kind kind;
} mv_transition_ids[] = {
    {"none", MV_TRANSITION_NONE},           {"fade", MV_TRANSITION_FADE},
    {"fadeblack", MV_TRANSITION_FADEBLACK}, {"fadewhite", MV_TRANSITION_FADEWHITE},
    {"dissolve", MV_TRANSITION_DISSOLVE},   {"wipeleft", MV_TRANSITION_WIPELEFT},
    {"wiperight", MV_TRANSITION_WIPERIGHT}, {"wipeup", MV_TRANSITION_WIPEUP},
    {"wipedown", MV_TRANSITION_WIPEDOWN},   {"slideleft", MV_TRANSITION_SLIDELEFT},
    {"slideright", MV_TRANSITION_SLIDERIGHT}, {"slideup", MV_TRANSITION_SLIDEUP},
    {"slidedown", MV_TRANSITION_SLIDEDOWN}, {"circleopen", MV_TRANSITION_CIRCLEOPEN},
    {"circleclose", MV_TRANSITION_CIRCLECLOSE}, {"zoomin", MV_TRANSITION_ZOOMIN},
    {"pixelize", MV_TRANSITION_PIXELIZE},   {"radial", MV_TRANSITION_RADIAL},
    {"wipe", MV_TRANSITION_WIPERIGHT},
};

int mv_transition_kind_from_id(const char *id)
{
    if (!id)
        return -1;
    for (size_t i = 0; i < sizeof mv_transition_ids / sizeof mv_transition_ids[0]; i++)
        if (strcmp(id, mv_transition_ids[i].id) == 0)
            return (int)mv_transition_ids[i].kind;
    return -1;
}

double mv_transition_outgoing_zoom(mv_transition_kind kind, double p)
{
    return kind == MV_TRANSITION_ZOOMIN ? 1.0 + p : 1.0;
}

/* o = a * (1 - w) + b * w with w in 1/256 units, one plane */
static void mv_mix_plane(const uint8_t *a, int as, const uint8_t *b, int bs, uint8_t *o, int os,
                         int pw, int ph, int w)
{
    const int wa = 256 - w;
    for (int j = 0; j < ph; j++) {
        const uint8_t *restrict ra = a + (size_t)j * as;
        const uint8_t *restrict rb = b + (size_t)j * bs;
        uint8_t *restrict ro = o + (size_t)j * os;
        for (int i = 0; i < pw; i++)
            ro[i] = (uint8_t)((ra[i] * wa + rb[i] * w + 128) >> 8);
    }
}

/* o = a * (1 - w) + colour * w */
static void mv_mix_plane_colour(const uint8_t *a, int as, uint8_t colour, uint8_t *o, int os,
                                int pw, int ph, int w)
{
    const int wa = 256 - w, add = colour * w + 128;
    for (int j = 0; j < ph; j++) {
        const uint8_t *restrict ra = a + (size_t)j * as;
        uint8_t *restrict ro = o + (size_t)j * os;
        for (int i = 0; i < pw; i++)
            ro[i] = (uint8_t)((ra[i] * wa + add) >> 8);
    }
}

static int mv_weight256(double f)
{
    if (f <= 0)
        return 0;
    if (f >= 1)
        return 256;
    return (int)lrint(f * 256.0);
}

static void mv_crossfade(const mv_yuv *a, const mv_yuv *b, mv_yuv *out, double f)
{
    int w = mv_weight256(f);
    for (int p = 0; p < 3; p++)
        mv_mix_plane(a->plane[p], a->stride[p], b->plane[p], b->stride[p], out->plane[p],
                     out->stride[p], out->plane_w[p], out->plane_h[p], w);
}

static void mv_fade_through(const mv_yuv *a, const mv_yuv *b, mv_yuv *out, double p,
                            int white)
{
    const uint8_t colour[3] = {white ? 235 : 16, 128, 128};
    const mv_yuv *src = p < 0.5 ? a : b;
    int w = mv_weight256(p < 0.5 ? p * 2 : (1.0 - p) * 2); /* share of the colour */
    for (int pl = 0; pl < 3; pl++)
        mv_mix_plane_colour(src->plane[pl], src->stride[pl], colour[pl], out->plane[pl],
                            out->stride[pl], out->plane_w[pl], out->plane_h[pl], w);
}

/* Both pictures move by the same offset; b follows a in from the side it leaves towards. */
static void mv_slide(mv_transition_kind kind, double p, const mv_yuv *a, const mv_yuv *b,
                     mv_yuv *out)
{
    int horizontal = kind == MV_TRANSITION_SLIDELEFT || kind == MV_TRANSITION_SLIDERIGHT;
    int extent = horizontal ? out->width : out->height;
    int off = 2 * (int)lrint(p * extent / 2.0); /* even, so chroma moves by whole pixels */
    for (int pl = 0; pl < 3; pl++) {
        int pw = out->plane_w[pl], ph = out->plane_h[pl];
        int o = pl ? off / 2 : off;
        const uint8_t *pa = a->plane[pl], *pb = b->plane[pl];
        for (int j = 0; j < ph; j++) {
            uint8_t *ro = out->plane[pl] + (size_t)j * out->stride[pl];
            const uint8_t *ra = pa + (size_t)j * a->stride[pl];
            const uint8_t *rb = pb + (size_t)j * b->stride[pl];
            switch (kind) {
            case MV_TRANSITION_SLIDELEFT: /* a leaves to the left, b enters from the right */
                memcpy(ro, ra + o, (size_t)(pw - o));
                memcpy(ro + pw - o, rb, (size_t)o);
                break;
            case MV_TRANSITION_SLIDERIGHT:
                memcpy(ro, rb + pw - o, (size_t)o);
                memcpy(ro + o, ra, (size_t)(pw - o));
                break;
            case MV_TRANSITION_SLIDEUP: /* a leaves upwards, b enters from the bottom */
                if (j < ph - o)
                    memcpy(ro, pa + (size_t)(j + o) * a->stride[pl], (size_t)pw);
                else
                    memcpy(ro, pb + (size_t)(j - (ph - o)) * b->stride[pl], (size_t)pw);
                break;
            default: /* slidedown */
                if (j < o)
                    memcpy(ro, pb + (size_t)(j + ph - o) * b->stride[pl], (size_t)pw);
                else
                    memcpy(ro, pa + (size_t)(j - o) * a->stride[pl], (size_t)pw);
                break;
            }
        }
    }
}

/* Replaces each block x block cell of a plane with its average. */
static void mv_mosaic_plane(uint8_t *plane, int stride, int pw, int ph, int block)
{
    for (int by = 0; by < ph; by += block) {
        int bh = by + block > ph ? ph - by : block;
        for (int bx = 0; bx < pw; bx += block) {
            int bw = bx + block > pw ? pw - bx : block;
            uint32_t sum = 0;
            for (int j = 0; j < bh; j++) {
                const uint8_t *r = plane + (size_t)(by + j) * stride + bx;
                for (int i = 0; i < bw; i++)
                    sum += r[i];
            }
            uint8_t avg = (uint8_t)((sum + (uint32_t)(bw * bh) / 2) / (uint32_t)(bw * bh));
            for (int j = 0; j < bh; j++)
                memset(plane + (size_t)(by + j) * stride + bx, avg, (size_t)bw);
        }
    }
}

/* Blocks grow to a maximum at the midpoint, where the scenes swap, then shrink again. */
static void mv_pixelize(double p, const mv_yuv *a, const mv_yuv *b, mv_yuv *out)
{
    double swap = (p - 0.4) / 0.2; /* short crossfade around the midpoint */
    mv_crossfade(a, b, out, swap);
    int max_block = out->height / 12 < 2 ? 2 : out->height / 12;
    int block = 2 * (int)lrint(max_block * (1.0 - fabs(2.0 * p - 1.0)) / 2.0);
    if (block < 2)
        return;
    for (int pl = 0; pl < 3; pl++)
        mv_mosaic_plane(out->plane[pl], out->stride[pl], out->plane_w[pl], out->plane_h[pl],
                        pl ? block / 2 : block);
}

int mv_transition_blend(mv_transition_kind kind, double p, const mv_yuv *a, const mv_yuv *b,
                        mv_yuv *out, mv_transition_maps *maps)
{
    if (p < 0)
        p = 0;
    if (p > 1)
        p = 1;
    switch (kind) {
    case MV_TRANSITION_NONE:
        mv_yuv_copy(out, p < 0.5 ? a : b);
        return 0;
    case MV_TRANSITION_FADE:
    case MV_TRANSITION_ZOOMIN:
        mv_crossfade(a, b, out, p);
        return 0;
    case MV_TRANSITION_FADEBLACK:
    case MV_TRANSITION_FADEWHITE:
        mv_fade_through(a, b, out, p, kind == MV_TRANSITION_FADEWHITE);
        return 0;
    case MV_TRANSITION_SLIDELEFT:
    case MV_TRANSITION_SLIDERIGHT:
    case MV_TRANSITION_SLIDEUP:
    case MV_TRANSITION_SLIDEDOWN:
        mv_slide(kind, p, a, b, out);
        return 0;
    case MV_TRANSITION_PIXELIZE:
        mv_pixelize(p, a, b, out);
        return 0;
    default: /* wipes, circles, radial, dissolve */
        if (mv_transition_maps_prepare(maps, kind, out) != 0)
            return -1;
        mv_transition_masked(kind, p, a, b, out, maps);
        return 0;
    }
}
