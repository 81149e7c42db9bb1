/*
 * bass.c - the low end per hop: energy below about 150 Hz (a two-pole low-pass on the
 * stream), and how much it rises at a given moment. Kick drums and bass notes land on the
 * strong beats of a bar, so downbeats.c uses this to find where bars start.
 */
#include "analysis/mv_analysis_internal.h"

#include <math.h>
#include <stdlib.h>

#define MV_BASS_CUTOFF_HZ 150.0
#define MV_BASS_SPAN_S 0.07 /* compared before and after a moment */

int mv_bass_feed(mv_bass_meter *m, const float *hop)
{
    const double a = 1.0 - exp(-2.0 * M_PI * MV_BASS_CUTOFF_HZ / MV_AN_SAMPLE_RATE);
    double sum = 0;
    for (size_t i = 0; i < MV_AN_HOP; i++) {
        m->low1 += a * (hop[i] - m->low1);
        m->low2 += a * (m->low1 - m->low2);
        sum += m->low2 * m->low2;
    }
    if (m->count == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 4096;
        float *energy = realloc(m->energy, cap * sizeof *energy);
        if (!energy)
            return -1;
        m->energy = energy;
        m->cap = cap;
    }
    m->energy[m->count++] = (float)(sum / MV_AN_HOP);
    return 0;
}

void mv_bass_free(mv_bass_meter *m)
{
    free(m->energy);
    m->energy = NULL;
    m->count = m->cap = 0;
}

/* Mean of energy over hops [from, to), clipped to the array. */
static double mv_bass_mean(const float *energy, size_t count, long from, long to)
{
    double sum = 0;
    long n = 0;
    for (long k = from < 0 ? 0 : from; k < to && (size_t)k < count; k++, n++)
        sum += energy[k];
    return n ? sum / (double)n : 0;
}

double mv_bass_rise_at(const float *energy, size_t count, double t)
{
    if (!energy || count == 0)
        return 0;
    long at = lround(t * MV_AN_SAMPLE_RATE / MV_AN_HOP);
    long span = lround(MV_BASS_SPAN_S * MV_AN_SAMPLE_RATE / MV_AN_HOP);
    double rise = mv_bass_mean(energy, count, at, at + span) -
                  mv_bass_mean(energy, count, at - span, at);
    return rise > 0 ? rise : 0;
}
