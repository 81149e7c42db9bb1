/*
 * sections.c - where the song changes: intro, verses, choruses, breaks. Each frame gets a
 * feature vector (loudness in dB and the MFCC timbre, standardized over the song); the
 * novelty at a frame is how far the mean of the few seconds after it lies from the mean of
 * the few seconds before it. The strongest novelty peaks, a minimum section length apart,
 * become the boundaries; the sections tile [0, duration].
 */
#include "analysis/mv_analysis_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MV_SECTION_WINDOW_S 4.0   /* seconds compared on each side of a candidate */
#define MV_SECTION_MIN_S 6.0      /* shortest section */
#define MV_SECTION_THRESHOLD 0.6  /* novelty (in standard deviations) that counts as a change */
#define MV_DB_STD_FLOOR 3.0       /* loudness changes below a few dB are not sections */
#define MV_MFCC_STD_FLOOR 0.5     /* same for timbre, in MFCC units */
#define MV_DIMS MV_AN_MFCC_COEFS  /* loudness + c1..c12 */

/* Standardized features, frame-major, MV_DIMS per frame. */
static double *mv_section_features(const double *raw_rms, const double *mfcc, size_t frames)
{
    double *z = malloc(frames * MV_DIMS * sizeof *z);
    if (!z)
        return NULL;
    for (size_t i = 0; i < frames; i++) {
        z[i * MV_DIMS] = 20.0 * log10(raw_rms[i] + 1e-5);
        for (size_t k = 1; k < MV_DIMS; k++)
            z[i * MV_DIMS + k] = mfcc[i * MV_AN_MFCC_COEFS + k];
    }
    for (size_t k = 0; k < MV_DIMS; k++) {
        double sum = 0, squares = 0;
        for (size_t i = 0; i < frames; i++)
            sum += z[i * MV_DIMS + k];
        double mean = sum / (double)frames;
        for (size_t i = 0; i < frames; i++) {
            double d = z[i * MV_DIMS + k] - mean;
            squares += d * d;
        }
        double sd = sqrt(squares / (double)frames);
        double floor_sd = k == 0 ? MV_DB_STD_FLOOR : MV_MFCC_STD_FLOOR;
        if (sd < floor_sd)
            sd = floor_sd;
        for (size_t i = 0; i < frames; i++)
            z[i * MV_DIMS + k] = (z[i * MV_DIMS + k] - mean) / sd;
    }
    return z;
}

/* Novelty per frame: distance of the window means on both sides (loudness and timbre weigh
 * half each). */
static double *mv_section_novelty(const double *z, size_t frames, size_t window)
{
    double *prefix = calloc((frames + 1) * MV_DIMS, sizeof *prefix);
    double *novelty = calloc(frames, sizeof *novelty);
    if (!prefix || !novelty) {
        free(prefix);
        free(novelty);
        return NULL;
    }
    for (size_t i = 0; i < frames; i++)
        for (size_t k = 0; k < MV_DIMS; k++)
            prefix[(i + 1) * MV_DIMS + k] = prefix[i * MV_DIMS + k] + z[i * MV_DIMS + k];
    for (size_t i = 1; i < frames; i++) {
        size_t left = i < window ? i : window;
        size_t right = frames - i < window ? frames - i : window;
        double loud = 0, timbre = 0;
        for (size_t k = 0; k < MV_DIMS; k++) {
            double before = (prefix[i * MV_DIMS + k] - prefix[(i - left) * MV_DIMS + k]) / left;
            double after = (prefix[(i + right) * MV_DIMS + k] - prefix[i * MV_DIMS + k]) / right;
            double d = after - before;
            if (k == 0)
                loud = d * d;
            else
                timbre += d * d;
        }
        novelty[i] = sqrt(0.5 * loud + 0.5 * timbre / (MV_DIMS - 1));
    }
    free(prefix);
    return novelty;
}

/* Picks boundary frames: strongest peaks first, each at least min_gap frames from the song's
 * ends and from every other boundary. Returns the count; `picked` is sorted. */
static size_t mv_section_pick(const double *novelty, size_t frames, size_t min_gap,
                              size_t *picked, size_t max_picked)
{
    size_t count = 0;
    for (;;) {
        size_t best = 0;
        double best_value = MV_SECTION_THRESHOLD;
        for (size_t i = min_gap; i + min_gap <= frames; i++) {
            if (novelty[i] <= best_value)
                continue;
            int clear = 1;
            for (size_t j = 0; j < count && clear; j++) {
                size_t gap = picked[j] > i ? picked[j] - i : i - picked[j];
                if (gap < min_gap)
                    clear = 0;
            }
            if (clear) {
                best = i;
                best_value = novelty[i];
            }
        }
        if (best == 0 || count == max_picked)
            break;
        size_t at = count++;
        while (at > 0 && picked[at - 1] > best) {
            picked[at] = picked[at - 1];
            at--;
        }
        picked[at] = best;
    }
    return count;
}

void mv_sections_set_energy(mv_section *sections, size_t count, const double *rms,
                            size_t frames, double frame_rate)
{
    double loudest = 0;
    for (size_t s = 0; s < count; s++) {
        size_t first = (size_t)floor(sections[s].start * frame_rate);
        size_t last = (size_t)ceil(sections[s].end * frame_rate);
        if (last > frames)
            last = frames;
        double sum = 0;
        size_t n = 0;
        for (size_t i = first; i < last; i++, n++)
            sum += rms[i];
        sections[s].energy = n ? sum / (double)n : 0;
        if (sections[s].energy > loudest)
            loudest = sections[s].energy;
    }
    for (size_t s = 0; s < count; s++)
        sections[s].energy = loudest > 0 ? sections[s].energy / loudest : 0;
}

int mv_sections_find(const double *raw_rms, const double *mfcc, size_t frames,
                     double frame_rate, double duration, mv_section **sections,
                     size_t *section_count)
{
    *sections = NULL;
    *section_count = 0;
    size_t window = (size_t)lround(MV_SECTION_WINDOW_S * frame_rate);
    size_t min_gap = (size_t)lround(MV_SECTION_MIN_S * frame_rate);
    size_t boundary_count = 0, *picked = NULL;
    if (frames > 2 * min_gap && mfcc) {
        size_t max_picked = frames / min_gap + 1;
        picked = malloc(max_picked * sizeof *picked);
        double *z = mv_section_features(raw_rms, mfcc, frames);
        double *novelty = z ? mv_section_novelty(z, frames, window) : NULL;
        if (picked && novelty)
            boundary_count = mv_section_pick(novelty, frames, min_gap, picked, max_picked);
        free(z);
        free(novelty);
        if (!picked || !novelty) {
            free(picked);
            return -1;
        }
    }
    mv_section *list = calloc(boundary_count + 1, sizeof *list);
    if (!list) {
        free(picked);
        return -1;
    }
    double start = 0;
    for (size_t b = 0; b < boundary_count; b++) {
        double at = (double)picked[b] / frame_rate;
        list[b].start = start;
        list[b].end = at;
        start = at;
    }
    list[boundary_count].start = start;
    list[boundary_count].end = duration;
    free(picked);
    mv_sections_set_energy(list, boundary_count + 1, raw_rms, frames, frame_rate);
    *sections = list;
    *section_count = boundary_count + 1;
    return 0;
}
