/*
 * mv_motion.c - the motion paths: zooms interpolate the window size geometrically (constant
 * perceived zoom speed), pans and drifts move the window centre linearly, both on an
 * ease-in-out curve. All in doubles; rounding never happens here.
 */
#include "render/mv_motion.h"

#include <math.h>
#include <string.h>

static const char *const mv_motion_ids[] = {
    "ken_burns", "zoom_in", "zoom_out", "pan_left", "pan_right", "pan_up", "pan_down", "static",
    "parallax",
};

int mv_motion_kind_from_id(const char *id)
{
    if (!id)
        return -1;
    for (int i = 0; i < (int)(sizeof mv_motion_ids / sizeof mv_motion_ids[0]); i++)
        if (strcmp(id, mv_motion_ids[i]) == 0)
            return i;
    return -1;
}

double mv_ease_in_out(double u)
{
    if (u <= 0)
        return 0;
    if (u >= 1)
        return 1;
    return 0.5 - 0.5 * cos(M_PI * u);
}

/* A well-mixed hash so neighbouring seeds give unrelated directions. */
static uint32_t mv_mix32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

static double mv_lerp(double a, double b, double e)
{
    return a + (b - a) * e;
}

/* geometric interpolation between window sizes: equal zoom ratio per unit of time */
static double mv_size_lerp(double a, double b, double e)
{
    return a * pow(b / a, e);
}

mv_motion_window mv_motion_at(mv_motion_kind kind, uint32_t seed, double u)
{
    const double tight = 1.0 / MV_MOTION_HEADROOM; /* smallest window: 1:1 sampling */
    double e = mv_ease_in_out(u);
    mv_motion_window w = {0.5, 0.5, 1.0};
    switch (kind) {
    case MV_MOTION_ZOOM_IN:
        w.size = mv_size_lerp(1.0, tight, e);
        break;
    case MV_MOTION_ZOOM_OUT:
        w.size = mv_size_lerp(tight, 1.0, e);
        break;
    case MV_MOTION_PAN_LEFT: /* the view moves left: the window travels right to left */
        w.size = tight;
        w.cx = mv_lerp(1.0 - tight / 2, tight / 2, e);
        break;
    case MV_MOTION_PAN_RIGHT:
        w.size = tight;
        w.cx = mv_lerp(tight / 2, 1.0 - tight / 2, e);
        break;
    case MV_MOTION_PAN_UP: /* the view moves up: the window travels bottom to top */
        w.size = tight;
        w.cy = mv_lerp(1.0 - tight / 2, tight / 2, e);
        break;
    case MV_MOTION_PAN_DOWN:
        w.size = tight;
        w.cy = mv_lerp(tight / 2, 1.0 - tight / 2, e);
        break;
    case MV_MOTION_KEN_BURNS: {
        /* zoom in towards, or out from, a point off centre in one of 8 directions */
        uint32_t h = mv_mix32(seed ^ 0x9e3779b9U);
        int zoom_out = (int)(h & 1U);
        double angle = (double)((h >> 1) % 8U) * (M_PI / 4.0) + M_PI / 8.0;
        double reach = 0.9 * (1.0 - tight) / 2.0; /* keeps the window inside the picture */
        double dx = reach * cos(angle), dy = reach * sin(angle);
        double k = zoom_out ? 1.0 - e : e; /* 0 = wide and centred, 1 = tight and off centre */
        w.size = mv_size_lerp(1.0, tight, k);
        w.cx = 0.5 + dx * k;
        w.cy = 0.5 + dy * k;
        break;
    }
    case MV_MOTION_STATIC:
    default:
        break;
    }
    return w;
}

/* Parallax: the nearest layer travels PARALLAX_TRAVEL of the picture's width across the scene
 * (within the headroom), farther ones proportionally less; each pushes in (or pulls out) by
 * up to PARALLAX_PUSH of its size, nearer ones more. */
#define MV_PARALLAX_TRAVEL 0.14
#define MV_PARALLAX_RISE 0.05
#define MV_PARALLAX_PUSH 0.06

mv_motion_window mv_motion_layer_at(mv_motion_kind kind, uint32_t seed, double u, double depth)
{
    if (kind != MV_MOTION_PARALLAX)
        return mv_motion_at(kind, seed, u);
    const double tight = 1.0 / MV_MOTION_HEADROOM;
    uint32_t h = mv_mix32(seed ^ 0x5a7a11a5U);
    double side = (h & 1U) ? 1.0 : -1.0;        /* the camera dollies right or left */
    double rise = (h & 2U) ? 1.0 : -1.0;        /* and drifts a little up or down */
    double push = (h & 4U) ? 1.0 : 0.0;         /* pushing in, or pulling out */
    double e = mv_ease_in_out(u), s = e - 0.5;  /* -0.5 .. 0.5 through the scene */
    double d = depth < 0 ? 0 : (depth > 1 ? 1 : depth);
    mv_motion_window w;
    double k = push ? e : 1.0 - e;
    w.size = tight * (1.0 - MV_PARALLAX_PUSH * d * k);
    w.cx = 0.5 + side * MV_PARALLAX_TRAVEL * d * s;
    w.cy = 0.5 + rise * MV_PARALLAX_RISE * d * s;
    return w;
}
