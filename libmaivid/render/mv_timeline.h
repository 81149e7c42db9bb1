/*
 * mv_timeline.h - turns the scene plan (times in seconds) into what the renderer draws at any
 * time t: the scene boundaries tiling [0, duration], the transitions centred on them (shortened
 * when a neighbouring scene is short), each scene's motion span and progress. Frames are
 * derived from times only here.
 */
#ifndef MV_TIMELINE_H
#define MV_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "render/mv_render.h"

typedef struct mv_timeline_scene {
    double start, end;       /* on-screen tile [start, end) without transitions */
    double half_in, half_out;/* halves of the incoming / outgoing transitions (0: cut) */
    int transition;          /* mv_transition_kind into the next scene */
    int motion;              /* mv_motion_kind */
    uint32_t seed;
} mv_timeline_scene;

typedef struct mv_timeline {
    mv_timeline_scene *scenes;
    size_t count;
    double duration;
    int fps;
    int64_t frames;          /* round(duration * fps) */
} mv_timeline;

/* What to draw at one instant. */
typedef struct mv_frame_recipe {
    size_t a, b;             /* scene indexes; b == a when there is no transition */
    int transition;          /* kind, when b != a */
    double progress;         /* of the transition, 0..1 */
    double motion_a, motion_b; /* linear progress of each scene's motion, 0..1 */
} mv_frame_recipe;

/* Validates the plan's scenes (ids, order) and lays them over [0, duration]. */
maivid_code mv_timeline_build(const mv_render_plan *plan, double duration, mv_timeline *tl,
                              mv_error *err);
void mv_timeline_free(mv_timeline *tl);

/* The span of time over which a scene's motion runs (its tile plus the transitions'
 * halves); the recipe's motion progress is linear over it. */
void mv_timeline_motion_span(const mv_timeline_scene *s, double *from, double *to);

/* The recipe for time t (seconds). */
void mv_timeline_recipe(const mv_timeline *tl, double t, mv_frame_recipe *r);

/* The time of the frame to use as the thumbnail: the middle of the longest scene. */
double mv_timeline_thumbnail_time(const mv_timeline *tl);

#endif /* MV_TIMELINE_H */
