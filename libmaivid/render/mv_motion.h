/*
 * mv_motion.h - camera motions: for a motion id and the eased progress through a scene, the
 * window of the scene's working picture to show, as a float rectangle (never rounded, so the
 * sampler can place it with sub-pixel precision and nothing jitters).
 */
#ifndef MV_MOTION_H
#define MV_MOTION_H

#include <stdint.h>

/* The working picture is this much larger than the frame, so zooms and pans have room and the
 * tightest window is still sampled 1:1. */
#define MV_MOTION_HEADROOM 1.2

typedef enum mv_motion_kind {
    MV_MOTION_KEN_BURNS,
    MV_MOTION_ZOOM_IN,
    MV_MOTION_ZOOM_OUT,
    MV_MOTION_PAN_LEFT,
    MV_MOTION_PAN_RIGHT,
    MV_MOTION_PAN_UP,
    MV_MOTION_PAN_DOWN,
    MV_MOTION_STATIC
} mv_motion_kind;

/* The kind for an id from the motions catalog; -1 if unknown. */
int mv_motion_kind_from_id(const char *id);

/* A window in the working picture: centre and size as fractions of the picture (0..1). */
typedef struct mv_motion_window {
    double cx, cy, size;
} mv_motion_window;

/* The window at linear progress u in [0,1] through the scene's on-screen span (easing in and
 * out is applied here). `seed` picks ken_burns' zoom direction and drift deterministically. */
mv_motion_window mv_motion_at(mv_motion_kind kind, uint32_t seed, double u);

/* Ease in and out: 0 -> 0, 1 -> 1, zero speed at both ends. */
double mv_ease_in_out(double u);

#endif /* MV_MOTION_H */
