/*
 * mv_beat_motion.c - beat accents and the energy time warp (see mv_beat_motion.h).
 * A pulse is p(x) = (x/tau)^2 e^(2(1 - x/tau)) for x = t - beat >= 0: zero position and
 * zero speed at the beat, a peak of 1 at tau, then a fast decay, faded fully to zero before
 * the next beat, so the motion between accents is the scene's own smooth drift.
 */
#include "render/mv_beat_motion.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MV_BEAT_ZOOM 0.04          /* peak zoom of a full-strength accent at reactivity 1 */
#define MV_BEAT_DOWNBEAT 1.5       /* downbeats push harder */
#define MV_BEAT_SECTION 2.0        /* and a section change harder still */
#define MV_BEAT_LIGHT 0.16         /* peak brightness lift of a strong downbeat at reactivity 1 */
#define MV_BEAT_WARP_RATE 20.0     /* warp samples per second */
#define MV_BEAT_WARP_SMOOTH 2.0    /* seconds of energy averaged for the drift speed */
#define MV_BEAT_NEAR 0.07          /* an onset this close to a beat makes it strong */

static int mv_near_any(const double *times, size_t n, double t, double tol)
{
    size_t lo = 0, hi = n;
    while (lo < hi) { /* first time >= t - tol */
        size_t mid = (lo + hi) / 2;
        if (times[mid] < t - tol)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && times[lo] <= t + tol;
}

static int mv_section_starts_near(const mv_analysis *a, double t)
{
    for (size_t i = 1; i < a->section_count; i++)
        if (fabs(a->sections[i].start - t) <= 0.15)
            return 1;
    return 0;
}

/* A beat's strength 0.4..1 from an onset at it and the loudness just after it. */
static double mv_beat_strength(const mv_analysis *a, double t)
{
    double s = 0.4;
    if (a->onsets && mv_near_any(a->onsets, a->onset_count, t, MV_BEAT_NEAR))
        s += 0.3;
    double e = mv_analysis_energy_between(a, t, t + 0.1);
    return s + 0.3 * fmin(fmax(e, 0), 1);
}

static void mv_build_accents(mv_beat_motion *m, const mv_analysis *a)
{
    for (size_t i = 0; i < a->beat_count; i++) {
        double t = a->beats[i];
        if (!(t >= 0) || t >= m->duration)
            continue;
        double period = i + 1 < a->beat_count ? a->beats[i + 1] - t
                                              : (a->bpm > 0 ? 60.0 / a->bpm : 0.5);
        if (!(period > 0.1))
            continue;
        double s = mv_beat_strength(a, t);
        int down = a->downbeats && mv_near_any(a->downbeats, a->downbeat_count, t, 0.03);
        int section = mv_section_starts_near(a, t);
        double k = section ? MV_BEAT_SECTION : (down ? MV_BEAT_DOWNBEAT : 1.0);
        mv_beat_accent *acc = &m->accents[m->count++];
        acc->time = t;
        acc->period = fmin(period, 2.0);
        acc->zoom = MV_BEAT_ZOOM * m->reactivity * s * k;
        /* light only on strong downbeats of loud passages, or a section change */
        double loud = mv_analysis_energy_between(a, t, t + 0.5);
        acc->light = (down && s >= 0.85 && loud >= 0.6) || (section && s >= 0.7)
                         ? MV_BEAT_LIGHT * m->reactivity * s
                         : 0;
    }
}

/* Drift speed 0.4..2.5 from the song's smoothed loudness against its mean. */
static maivid_code mv_build_warp(mv_beat_motion *m, const mv_analysis *a, mv_error *err)
{
    size_t n = (size_t)ceil(m->duration * MV_BEAT_WARP_RATE) + 2;
    m->warp = malloc(n * sizeof *m->warp);
    if (!m->warp)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the beat motion");
    m->warp_count = n;
    m->warp_rate = MV_BEAT_WARP_RATE;
    double mean = mv_analysis_energy_between(a, 0, m->duration);
    double sum = 0;
    m->warp[0] = 0;
    for (size_t k = 1; k < n; k++) {
        double t = (k - 0.5) / MV_BEAT_WARP_RATE;
        double speed = 1;
        if (a && mean > 1e-6) {
            double e = mv_analysis_energy_between(a, t - MV_BEAT_WARP_SMOOTH / 2,
                                                  t + MV_BEAT_WARP_SMOOTH / 2);
            speed = fmin(fmax(1 + 1.5 * m->reactivity * (e - mean) / mean, 0.4), 2.5);
        }
        sum += speed / MV_BEAT_WARP_RATE;
        m->warp[k] = sum;
    }
    return MAIVID_OK;
}

maivid_code mv_beat_motion_build(mv_beat_motion *m, const mv_analysis *a, double reactivity,
                                 double duration, mv_error *err)
{
    memset(m, 0, sizeof *m);
    m->reactivity = isfinite(reactivity) ? fmin(fmax(reactivity, 0), 1) : 0;
    m->duration = duration > 0 ? duration : 0;
    if (m->reactivity <= 0 || !a)
        return MAIVID_OK;
    if (a->beat_count > 0) {
        m->accents = calloc(a->beat_count, sizeof *m->accents);
        if (!m->accents)
            return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the beat motion");
        mv_build_accents(m, a);
    }
    maivid_code rc = mv_build_warp(m, a, err);
    if (rc != MAIVID_OK)
        mv_beat_motion_free(m);
    return rc;
}

void mv_beat_motion_free(mv_beat_motion *m)
{
    free(m->accents);
    free(m->warp);
    memset(m, 0, sizeof *m);
}

int mv_beat_motion_active(const mv_beat_motion *m)
{
    return m && m->reactivity > 0;
}

/* The pulse shape at x seconds after an accent with the given period and rise time. */
static double mv_pulse(double x, double period, double tau)
{
    if (x <= 0 || x >= period)
        return 0;
    double u = x / tau;
    double p = u * u * exp(2 * (1 - u));
    /* fade the tail to exactly zero by the next beat (smoothstep from 60% of the period) */
    double f = (x - 0.6 * period) / (0.4 * period);
    if (f > 0)
        p *= 1 - f * f * (3 - 2 * f);
    return p;
}

/* The last accent at or before t, or -1. */
static long mv_accent_before(const mv_beat_motion *m, double t)
{
    size_t lo = 0, hi = m->count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->accents[mid].time <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (long)lo - 1;
}

double mv_beat_zoom(const mv_beat_motion *m, double t)
{
    if (!mv_beat_motion_active(m))
        return 1;
    double z = 0;
    long i = mv_accent_before(m, t);
    for (long k = i; k >= 0 && k > i - 2; k--) {
        const mv_beat_accent *acc = &m->accents[k];
        double tau = fmin(0.075, acc->period * 0.2);
        z += acc->zoom * mv_pulse(t - acc->time, acc->period, tau);
    }
    return 1 + fmin(z, 0.1);
}

double mv_beat_light(const mv_beat_motion *m, double t)
{
    if (!mv_beat_motion_active(m))
        return 0;
    long i = mv_accent_before(m, t);
    if (i < 0 || m->accents[i].light <= 0)
        return 0;
    const mv_beat_accent *acc = &m->accents[i];
    return acc->light * mv_pulse(t - acc->time, acc->period, fmin(0.05, acc->period * 0.15));
}

double mv_beat_warp(const mv_beat_motion *m, double t)
{
    if (!mv_beat_motion_active(m) || !m->warp || m->warp_count < 2)
        return t;
    double x = t * m->warp_rate;
    if (x <= 0)
        return t;
    size_t k = (size_t)x;
    if (k + 1 >= m->warp_count)
        return m->warp[m->warp_count - 1] + (t - (double)(m->warp_count - 1) / m->warp_rate);
    double f = x - (double)k;
    return m->warp[k] + (m->warp[k + 1] - m->warp[k]) * f;
}

int mv_beat_frame_class(const double *beats, size_t count, double t)
{
    if (count < 2)
        return -1;
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (beats[mid] <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || lo >= count)
        return -1; /* before the first beat or after the last */
    double prev = beats[lo - 1], next = beats[lo], period = next - prev;
    if (t - prev < 0.1)
        return 1;
    if (t - prev >= 0.35 * period && next - t >= 0.35 * period)
        return 0;
    return -1;
}

double mv_beat_zoom_at_depth(double zoom, double depth)
{
    double d = depth < 0 ? 0 : (depth > 1 ? 1 : depth);
    return 1.0 + (zoom - 1.0) * (0.3 + 0.7 * d);
}
