/*
 * bench_extras.c - builds the captions and beat-motion workload (see bench_extras.h).
 */
#include "bench_extras.h"

#include <stdlib.h>
#include <string.h>

#include "util/mv_common.h"

static const char *const bench_lines[] = {
    "Blue lights on the harbor water", "Silver rain across the city street",
    "I walk beneath the sleeping towers", "Counting echoes of my heartbeat",
    "We are fire in the midnight sky", "Golden stars that never die",
};

static int bench_make_lyrics(mv_timed_lyrics *l, double seconds)
{
    size_t n = (size_t)(seconds / 4);
    l->lines = calloc(n ? n : 1, sizeof *l->lines);
    if (!l->lines)
        return -1;
    for (size_t i = 0; i < n; i++) {
        mv_timed_line *line = &l->lines[i];
        line->text = mv_strdup(bench_lines[i % 6]);
        line->start = 4.0 * i + 0.1;
        line->end = 4.0 * i + 3.9;
        l->line_count++;
        if (!line->text)
            return -1;
    }
    l->source = MV_TIMING_USER;
    l->confidence = 1;
    return 0;
}

static int bench_make_analysis(mv_analysis *a, double seconds)
{
    size_t beats = (size_t)(seconds * 2);
    a->duration = seconds;
    a->bpm = 120;
    a->beats = calloc(beats + 1, sizeof *a->beats);
    a->onsets = calloc(beats + 1, sizeof *a->onsets);
    a->downbeats = calloc(beats / 4 + 1, sizeof *a->downbeats);
    a->energy_rate = 10;
    a->energy_count = (size_t)(seconds * 10);
    a->energy = calloc(a->energy_count + 1, sizeof *a->energy);
    a->sections = calloc(2, sizeof *a->sections);
    if (!a->beats || !a->onsets || !a->downbeats || !a->energy || !a->sections)
        return -1;
    for (size_t i = 0; i < beats; i++) {
        a->beats[i] = a->onsets[i] = 0.5 * i;
        if (i % 4 == 0)
            a->downbeats[a->downbeat_count++] = 0.5 * i;
    }
    a->beat_count = a->onset_count = beats;
    for (size_t i = 0; i < a->energy_count; i++)
        a->energy[i] = i < a->energy_count / 2 ? 0.45f : 0.9f;
    a->sections[0] = (mv_section){0, seconds / 2, 0.5};
    a->sections[1] = (mv_section){seconds / 2, seconds, 1.0};
    a->section_count = 2;
    return 0;
}

int bench_extras_make(bench_extras *x, double seconds)
{
    memset(x, 0, sizeof *x);
    if (bench_make_lyrics(&x->lyrics, seconds) != 0 ||
        bench_make_analysis(&x->analysis, seconds) != 0) {
        bench_extras_free(x);
        return -1;
    }
    return 0;
}

void bench_extras_free(bench_extras *x)
{
    mv_timed_lyrics_free(&x->lyrics);
    mv_analysis_free(&x->analysis);
}
