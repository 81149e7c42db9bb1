/*
 * energy.c - the loudness envelope: RMS per frame of MV_AN_FRAME_HOPS hops, normalized to
 * 0..1 at the end (by the 99th percentile, so a single spike does not flatten the rest), and
 * the average energy over a time span.
 */
#include "analysis/mv_analysis_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double mv_energy_rate(void)
{
    return (double)MV_AN_SAMPLE_RATE / (MV_AN_HOP * MV_AN_FRAME_HOPS);
}

static int mv_energy_close_frame(mv_energy_meter *m)
{
    double rms = sqrt(m->sum_squares / (double)(m->hops * MV_AN_HOP));
    m->sum_squares = 0;
    m->hops = 0;
    return mv_series_push(&m->rms, rms);
}

int mv_energy_feed(mv_energy_meter *m, const float *hop)
{
    double sum = 0;
    for (size_t i = 0; i < MV_AN_HOP; i++)
        sum += (double)hop[i] * hop[i];
    m->sum_squares += sum;
    if (++m->hops == MV_AN_FRAME_HOPS)
        return mv_energy_close_frame(m);
    return 0;
}

static int mv_compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int mv_energy_finish(mv_energy_meter *m, float **energy, size_t *count, double **raw_rms)
{
    *energy = NULL;
    *count = 0;
    if (raw_rms)
        *raw_rms = NULL;
    if (m->hops > 0 && mv_energy_close_frame(m) != 0)
        return -1;
    size_t n = m->rms.n;
    if (n == 0)
        return 0;
    double *sorted = malloc(n * sizeof *sorted);
    float *out = malloc(n * sizeof *out);
    double *raw = raw_rms ? malloc(n * sizeof *raw) : NULL;
    if (!sorted || !out || (raw_rms && !raw)) {
        free(sorted);
        free(out);
        free(raw);
        return -1;
    }
    memcpy(sorted, m->rms.v, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, mv_compare_doubles);
    double top = sorted[(size_t)((double)(n - 1) * 0.99)];
    free(sorted);
    for (size_t i = 0; i < n; i++) {
        double v = top > 1e-9 ? m->rms.v[i] / top : 0;
        out[i] = (float)(v > 1 ? 1 : v);
    }
    if (raw)
        memcpy(raw, m->rms.v, n * sizeof *raw);
    mv_series_free(&m->rms);
    *energy = out;
    *count = n;
    if (raw_rms)
        *raw_rms = raw;
    return 0;
}

void mv_energy_free(mv_energy_meter *m)
{
    mv_series_free(&m->rms);
    m->sum_squares = 0;
    m->hops = 0;
}

double mv_analysis_energy_between(const mv_analysis *a, double start, double end)
{
    if (!a || !a->energy || a->energy_count == 0 || a->energy_rate <= 0)
        return 0;
    if (end < start) {
        double swap = start;
        start = end;
        end = swap;
    }
    double first = floor(start * a->energy_rate);
    double last = ceil(end * a->energy_rate); /* exclusive */
    if (first < 0)
        first = 0;
    if (last > (double)a->energy_count)
        last = (double)a->energy_count;
    if (last <= first) {
        /* a span shorter than a frame, or outside the song: the nearest frame */
        double k = floor(start * a->energy_rate);
        if (k < 0)
            k = 0;
        if (k > (double)a->energy_count - 1)
            k = (double)a->energy_count - 1;
        return a->energy[(size_t)k];
    }
    double sum = 0;
    for (size_t k = (size_t)first; k < (size_t)last; k++)
        sum += a->energy[k];
    return sum / (last - first);
}
