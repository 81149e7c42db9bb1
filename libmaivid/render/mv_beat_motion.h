/*
 * mv_beat_motion.h - motion that hears the music: from the audio analysis (beats, downbeats,
 * onsets, energy, sections) and a reactivity 0..1, a short zoom push on each beat that
 * decays within the beat (scaled by the beat's strength, stronger on downbeats and at
 * section changes), brightness pulses on strong downbeats only, and a time warp that makes
 * the scenes' drift run faster where the song is loud and slower where it is calm. All
 * curves are smooth (no steps in position or speed). Reactivity 0 gives no accents and the
 * identity warp, i.e. the motion the render had without this module.
 */
#ifndef MV_BEAT_MOTION_H
#define MV_BEAT_MOTION_H

#include <stddef.h>

#include "analysis/mv_analysis.h"

typedef struct mv_beat_accent {
    double time;    /* seconds */
    double period;  /* seconds to the next beat (the pulse has died out by then) */
    double zoom;    /* peak extra zoom, e.g. 0.02 = 2% closer */
    double light;   /* peak brightness lift 0..1 (strong downbeats only; else 0) */
} mv_beat_accent;

typedef struct mv_beat_motion {
    double reactivity;
    mv_beat_accent *accents;  /* by time */
    size_t count;
    double *warp;             /* cumulative drift time M(k / warp_rate) */
    size_t warp_count;
    double warp_rate;
    double duration;
} mv_beat_motion;

/* Builds the accents and the warp. `a` may be NULL or lack beats (then no accents);
 * reactivity is clamped to 0..1. */
maivid_code mv_beat_motion_build(mv_beat_motion *m, const mv_analysis *a, double reactivity,
                                 double duration, mv_error *err);
void mv_beat_motion_free(mv_beat_motion *m);

/* 1 when the motion does anything (reactivity > 0). */
int mv_beat_motion_active(const mv_beat_motion *m);
/* Extra zoom factor at t (1 = none). */
double mv_beat_zoom(const mv_beat_motion *m, double t);
/* The beat's zoom factor `zoom` (from mv_beat_zoom) as felt by a depth layer at `depth`
 * (0 infinitely far .. 1 nearest): the nearest layer gets all of the push, the farthest
 * about a third, so the beat pushes the near layers more than the far ones. */
double mv_beat_zoom_at_depth(double zoom, double depth);
/* Brightness lift at t, 0..1 of the way to white. */
double mv_beat_light(const mv_beat_motion *m, double t);
/* Warped drift time M(t): increasing, M(t) = t when inactive. */
double mv_beat_warp(const mv_beat_motion *m, double t);

/* For measuring reactivity: 1 for the frames at a beat's attack (the first 100 ms after
 * it), 0 for frames well between beats (at least 35% of the beat period from any beat),
 * -1 for the rest. `beats` sorted. */
int mv_beat_frame_class(const double *beats, size_t count, double t);

#endif /* MV_BEAT_MOTION_H */
