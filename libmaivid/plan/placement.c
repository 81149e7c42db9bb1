/*
 * placement.c - when each lyric line is sung: its LRC time, interpolated between timed
 * neighbours when it has none, or, for untimed lyrics, spread over the song section by
 * section in proportion to their lines (marker-only sections such as [Intro] or
 * [Instrumental] get a share too).
 */
#include "plan/mv_plan_parts.h"

#include <math.h>

/* Share of the song of a section with no lines ([Intro], [Instrumental], [Outro]). */
#define MV_PLAN_EMPTY_SECTION_WEIGHT 2.0

static void mv_plan_interpolate(const mv_lyrics *l, double duration, double *times)
{
    long prev = -1;
    for (size_t i = 0; i <= l->line_count; i++) {
        if (i < l->line_count && l->lines[i].time < 0)
            continue;
        double t0 = prev >= 0 ? l->lines[prev].time : 0.0;
        double t1 = i < l->line_count ? l->lines[i].time : duration;
        size_t gap = i - (size_t)(prev + 1);
        for (size_t k = 0; k < gap; k++)
            times[prev + 1 + (long)k] = t0 + (t1 - t0) * (double)(k + 1) / (double)(gap + 1);
        if (i < l->line_count)
            times[i] = l->lines[i].time;
        prev = (long)i;
    }
}

static void mv_plan_spread(const mv_lyrics *l, double duration, double *times,
                           double *starts)
{
    double lead = duration > 30 ? 0.04 * duration : 0.0;
    double body = duration - 2 * lead;
    double total = 0;
    for (size_t s = 0; s < l->section_count; s++)
        total += l->sections[s].line_count ? (double)l->sections[s].line_count
                                           : MV_PLAN_EMPTY_SECTION_WEIGHT;
    double t = lead;
    for (size_t s = 0; s < l->section_count; s++) {
        const mv_lyric_section *sec = &l->sections[s];
        double weight = sec->line_count ? (double)sec->line_count : MV_PLAN_EMPTY_SECTION_WEIGHT;
        double span = total > 0 ? body * weight / total : 0;
        starts[s] = s == 0 ? 0.0 : t;
        for (size_t j = 0; j < sec->line_count; j++)
            times[sec->first_line + j] = t + span * (double)j / (double)sec->line_count;
        t += span;
    }
}

/* Timed lyrics: a section starts at its marker's time or its first line. */
static void mv_plan_timed_starts(const mv_lyrics *l, const double *times, double *starts)
{
    double previous = 0.0;
    for (size_t s = 0; s < l->section_count; s++) {
        const mv_lyric_section *sec = &l->sections[s];
        double t = sec->start >= 0 ? sec->start
                   : sec->line_count ? times[sec->first_line] : previous;
        if (sec->line_count && times[sec->first_line] < t)
            t = times[sec->first_line];
        if (t < previous)
            t = previous;
        starts[s] = t;
        previous = t;
        if (sec->line_count)
            previous = fmax(previous, times[sec->first_line + sec->line_count - 1]);
    }
}

void mv_plan_line_times(const mv_lyrics *l, double duration, double *times, double *starts)
{
    if (!l || l->section_count == 0)
        return;
    if (l->timed)
        mv_plan_interpolate(l, duration, times);
    else
        mv_plan_spread(l, duration, times, starts);
    for (size_t i = 0; i < l->line_count; i++)
        times[i] = fmin(fmax(times[i], 0.0), duration);
    if (l->timed)
        mv_plan_timed_starts(l, times, starts);
    for (size_t s = 0; s < l->section_count; s++)
        starts[s] = fmin(fmax(starts[s], 0.0), duration);
}

void mv_plan_align_untimed(const mv_lyrics *l, const double *cuts, size_t scene_count,
                           double duration, double *times, double *starts)
{
    if (!l || l->timed || l->section_count == 0)
        return;
    size_t previous = 0;
    for (size_t s = 0; s < l->section_count; s++) {
        size_t best = previous;
        for (size_t c = previous; c < scene_count; c++)
            if (fabs(cuts[c] - starts[s]) < fabs(cuts[best] - starts[s]))
                best = c;
        starts[s] = s == 0 ? 0.0 : cuts[best];
        previous = best;
    }
    for (size_t s = 0; s < l->section_count; s++) {
        const mv_lyric_section *sec = &l->sections[s];
        double end = s + 1 < l->section_count ? starts[s + 1] : duration;
        for (size_t j = 0; j < sec->line_count; j++)
            times[sec->first_line + j] =
                starts[s] + (end - starts[s]) * (double)j / (double)sec->line_count;
    }
}
