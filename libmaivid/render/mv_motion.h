/*
 * mv_motion.h - camera motions: for a motion id and the eased progress through a scene, the
 * window of the scene's working picture to show, as a float rectangle (never rounded, so the
 * sampler can place it with sub-pixel precision and nothing jitters), per depth layer for the
 * parallax motion.
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
    MV_MOTION_STATIC,
    MV_MOTION_PARALLAX /* a sideways dolly over the scene's depth layers (mv_layer_stack.h) */
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

/* The window of the layer at `depth` (0 infinitely far .. 1 nearest) of a scene's depth
 * stack: parallax moves near layers further than far ones (a sideways dolly with a slight
 * push in or pull out, direction by seed); every other motion moves all layers alike, as
 * mv_motion_at(). */
mv_motion_window mv_motion_layer_at(mv_motion_kind kind, uint32_t seed, double u, double depth);

/* Ease in and out: 0 -> 0, 1 -> 1, zero speed at both ends. */
double mv_ease_in_out(double u);

#endif /* MV_MOTION_H */
