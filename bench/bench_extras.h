/*
 * bench_extras.h - the workload of the captions and beat-motion benchmark: lyrics with a
 * line every 4 seconds (as a lyric video has) and a 120 bpm analysis (beats, downbeats,
 * onsets, an energy envelope louder in the second half, two sections), to render with
 * captions on and reactivity 0.5 against the same render without them.
 */
#ifndef BENCH_EXTRAS_H
#define BENCH_EXTRAS_H

#include "analysis/mv_analysis.h"
#include "captions/mv_timed_lyrics.h"

typedef struct bench_extras {
    mv_timed_lyrics lyrics;
    mv_analysis analysis;
} bench_extras;

/* 0 on success. */
int bench_extras_make(bench_extras *x, double seconds);
void bench_extras_free(bench_extras *x);

#endif /* BENCH_EXTRAS_H */
