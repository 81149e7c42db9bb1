/*
 * downbeats.c - bar starts, assuming 4/4: every 4th beat, with the phase (which of the first
 * four beats starts a bar) whose beats carry the strongest bass attacks (the kick and the
 * bass mark the bar; snares and hats on the off-beats are louder in a plain onset function)
 * and that best lines up with the section starts, since songs change on the bar.
 */
#include "analysis/mv_analysis_internal.h"

#include <math.h>
#include <stdlib.h>

#define MV_BEATS_PER_BAR 4

/* Index of the beat nearest to t (beats sorted, count > 0). */
static size_t mv_nearest_beat(const double *beats, size_t count, double t)
{
    size_t lo = 0, hi = count - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (beats[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > 0 && fabs(beats[lo - 1] - t) <= fabs(beats[lo] - t))
        lo--;
    return lo;
}

int mv_downbeats_find(const double *beats, size_t beat_count, const float *bass,
                      size_t bass_count, const mv_section *sections, size_t section_count,
                      double **downbeats, size_t *downbeat_count)
{
    *downbeats = NULL;
    *downbeat_count = 0;
    if (beat_count < MV_BEATS_PER_BAR)
        return 0;
    double strength[MV_BEATS_PER_BAR] = {0}, total = 0;
    size_t hits[MV_BEATS_PER_BAR] = {0};
    for (size_t i = 0; i < beat_count; i++) {
        double s = mv_bass_rise_at(bass, bass_count, beats[i]);
        strength[i % MV_BEATS_PER_BAR] += s;
        hits[i % MV_BEATS_PER_BAR]++;
        total += s;
    }
    double mean = total / (double)beat_count;
    /* section starts (not the song's start) vote for the phase of their nearest beat, the
     * more the closer they are to it */
    double votes[MV_BEATS_PER_BAR] = {0};
    size_t voters = 0;
    for (size_t s = 1; s < section_count; s++) {
        size_t b = mv_nearest_beat(beats, beat_count, sections[s].start);
        double gap = b + 1 < beat_count ? beats[b + 1] - beats[b] : beats[b] - beats[b - 1];
        double off = fabs(beats[b] - sections[s].start);
        if (gap > 0 && off < 0.5 * gap) {
            votes[b % MV_BEATS_PER_BAR] += 1.0 - off / (0.5 * gap);
            voters++;
        }
    }
    size_t best = 0;
    double best_score = -1;
    for (size_t p = 0; p < MV_BEATS_PER_BAR; p++) {
        double score = 0;
        if (hits[p] > 0 && mean > 0)
            score += strength[p] / (double)hits[p] / mean;
        if (voters > 0)
            score += votes[p] / (double)voters;
        if (score > best_score + 1e-9) {
            best = p;
            best_score = score;
        }
    }
    size_t count = (beat_count - best + MV_BEATS_PER_BAR - 1) / MV_BEATS_PER_BAR;
    double *list = malloc(count * sizeof *list);
    if (!list)
        return -1;
    for (size_t k = 0; k < count; k++)
        list[k] = beats[best + k * MV_BEATS_PER_BAR];
    *downbeats = list;
    *downbeat_count = count;
    return 0;
}
