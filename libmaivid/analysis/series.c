/*
 * series.c - a growable list of doubles, the building block the analysers use to collect
 * beat times, onset times and per-frame summaries while the song streams past, and the one
 * rule that keeps a list of times inside the song.
 */
#include "analysis/mv_analysis_internal.h"

#include <stdlib.h>

int mv_series_push(mv_series *s, double value)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        double *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return -1;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = value;
    return 0;
}

void mv_series_free(mv_series *s)
{
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

double *mv_series_take(mv_series *s, size_t *count)
{
    double *v = s->v;
    *count = s->n;
    if (s->n == 0) {
        free(v);
        v = NULL;
    }
    s->v = NULL;
    s->n = s->cap = 0;
    return v;
}

void mv_times_clip(double *times, size_t *count, double duration)
{
    size_t kept = 0;
    for (size_t i = 0; i < *count; i++)
        if (times[i] >= 0 && times[i] <= duration)
            times[kept++] = times[i];
    *count = kept;
}
