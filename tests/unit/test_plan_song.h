/*
 * test_plan_song.h - synthetic song analyses for the planner tests: a steady beat grid with
 * bars of four, sections at known times with known loudness and an energy envelope that
 * follows them. Header-only so each test_plan_* program can include it.
 */
#ifndef TEST_PLAN_SONG_H
#define TEST_PLAN_SONG_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/mv_analysis.h"

/* A song of `duration` s at `bpm` (first beat at `offset` s) with sections starting at
 * starts[0] = 0, starts[1], ... and the given energies. Free with test_song_free. */
static inline void test_song_make(mv_analysis *a, double duration, double bpm, double offset,
                                  const double *starts, const double *energies,
                                  size_t section_count)
{
    memset(a, 0, sizeof *a);
    a->duration = duration;
    a->bpm = bpm;
    if (bpm > 0) {
        double period = 60.0 / bpm;
        size_t n = (size_t)((duration - offset) / period) + 1;
        a->beats = calloc(n, sizeof *a->beats);
        a->downbeats = calloc(n / 4 + 1, sizeof *a->downbeats);
        for (size_t i = 0; i < n; i++) {
            double t = offset + period * (double)i;
            if (t >= duration)
                break;
            a->beats[a->beat_count++] = t;
            if (i % 4 == 0)
                a->downbeats[a->downbeat_count++] = t;
        }
    }
    a->sections = calloc(section_count ? section_count : 1, sizeof *a->sections);
    a->section_count = section_count;
    for (size_t s = 0; s < section_count; s++) {
        a->sections[s].start = starts[s];
        a->sections[s].end = s + 1 < section_count ? starts[s + 1] : duration;
        a->sections[s].energy = energies ? energies[s] : 0.5;
    }
    a->energy_rate = 10.0;
    a->energy_count = (size_t)(duration * a->energy_rate);
    a->energy = calloc(a->energy_count + 1, sizeof *a->energy);
    for (size_t i = 0; i < a->energy_count; i++) {
        double t = (double)i / a->energy_rate;
        float e = 0.5f;
        for (size_t s = 0; s < section_count; s++)
            if (t >= a->sections[s].start && t < a->sections[s].end)
                e = (float)a->sections[s].energy;
        a->energy[i] = e;
    }
}

static inline void test_song_free(mv_analysis *a)
{
    free(a->beats);
    free(a->downbeats);
    free(a->onsets);
    free(a->energy);
    free(a->sections);
    memset(a, 0, sizeof *a);
}

/* 1 when t is (within 1 ms) one of the values. */
static inline int test_song_on_grid(const double *v, size_t n, double t)
{
    for (size_t i = 0; i < n; i++)
        if (fabs(v[i] - t) < 1e-3)
            return 1;
    return 0;
}

#endif /* TEST_PLAN_SONG_H */
