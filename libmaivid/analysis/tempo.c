/*
 * tempo.c - the tempo and the beat times: aubio_tempo runs on every hop while the song
 * streams past; afterwards the BPM is estimated from the regular inter-beat intervals and
 * folded into the 70..180 bpm range, where listeners usually put the beat (aubio may lock to
 * half or double tempo).
 */
#include "analysis/mv_analysis_internal.h"

#include <aubio/aubio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MV_BPM_LOW 70.0
#define MV_BPM_HIGH 180.0
#define MV_HEARD_SHARE 3 /* at least 1 beat in 3 must fall on an onset */

struct mv_tempo_tracker {
    aubio_tempo_t *tempo;
    fvec_t *in, *out;
    mv_series beats;
    int failed; /* out of memory while collecting beats */
};

mv_tempo_tracker *mv_tempo_new(void)
{
    mv_tempo_tracker *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->tempo = new_aubio_tempo("default", MV_AN_WIN, MV_AN_HOP, MV_AN_SAMPLE_RATE);
    t->in = new_fvec(MV_AN_HOP);
    t->out = new_fvec(2);
    if (!t->tempo || !t->in || !t->out) {
        mv_tempo_free(t);
        return NULL;
    }
    return t;
}

void mv_tempo_feed(mv_tempo_tracker *t, const float *hop)
{
    for (size_t i = 0; i < MV_AN_HOP; i++)
        t->in->data[i] = hop[i];
    aubio_tempo_do(t->tempo, t->in, t->out);
    if (t->out->data[0] != 0 && !t->failed) {
        double when = aubio_tempo_get_last_s(t->tempo);
        if (when >= 0 && (t->beats.n == 0 || when > t->beats.v[t->beats.n - 1]))
            if (mv_series_push(&t->beats, when) != 0)
                t->failed = 1;
    }
}

static int mv_compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of the inter-beat intervals, 0 when there are none. */
static double mv_median_interval(const double *beats, size_t count)
{
    if (count < 2)
        return 0;
    double *gaps = malloc((count - 1) * sizeof *gaps);
    if (!gaps)
        return 0;
    for (size_t i = 1; i < count; i++)
        gaps[i - 1] = beats[i] - beats[i - 1];
    qsort(gaps, count - 1, sizeof *gaps, mv_compare_doubles);
    double median = gaps[(count - 1) / 2];
    free(gaps);
    return median;
}

double mv_tempo_bpm_from_beats(const double *beats, size_t count)
{
    if (count < 4)
        return 0;
    double median = mv_median_interval(beats, count);
    if (median <= 0)
        return 0;
    double sum = 0;
    size_t regular = 0;
    for (size_t i = 1; i < count; i++) {
        double gap = beats[i] - beats[i - 1];
        if (gap > 0.85 * median && gap < 1.15 * median) {
            sum += gap;
            regular++;
        }
    }
    /* a steady tempo: most intervals agree, and there are a few of them */
    if (regular < 3 || regular * 2 < count - 1)
        return 0;
    return 60.0 / (sum / (double)regular);
}

/* Doubles the tempo: a beat between every two regular beats. */
static int mv_tempo_double(double **beats, size_t *count)
{
    size_t n = *count;
    double median = mv_median_interval(*beats, n);
    double *more = malloc((2 * n) * sizeof *more);
    if (!more)
        return -1;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        more[m++] = (*beats)[i];
        if (i + 1 < n) {
            double gap = (*beats)[i + 1] - (*beats)[i];
            if (gap < 1.5 * median)
                more[m++] = (*beats)[i] + gap / 2;
        }
    }
    free(*beats);
    *beats = more;
    *count = m;
    return 0;
}

/* Halves the tempo: keeps every other beat, the half with the stronger onsets. */
static void mv_tempo_halve(double *beats, size_t *count, const float *odf, size_t odf_count)
{
    double strength[2] = {0, 0};
    for (size_t i = 0; i < *count; i++)
        strength[i % 2] += mv_odf_at(odf, odf_count, beats[i]);
    size_t phase = strength[1] > strength[0] ? 1 : 0, m = 0;
    for (size_t i = phase; i < *count; i += 2)
        beats[m++] = beats[i];
    *count = m;
}

int mv_tempo_fold_octave(double **beats, size_t *count, double *bpm, const float *odf,
                         size_t odf_count)
{
    if (*bpm <= 0)
        return 0;
    while (*bpm < MV_BPM_LOW) {
        if (mv_tempo_double(beats, count) != 0)
            return -1;
        *bpm *= 2;
    }
    while (*bpm > MV_BPM_HIGH && *count >= 8) {
        mv_tempo_halve(*beats, count, odf, odf_count);
        *bpm /= 2;
    }
    return 0;
}

size_t mv_tempo_snap_to_onsets(double *beats, size_t count, double period,
                               const double *onsets, size_t onset_count)
{
    size_t snapped = 0;
    if (period <= 0 || onset_count == 0)
        return 0;
    double reach = 0.2 * period;
    size_t j = 0; /* first onset not yet behind us */
    for (size_t i = 0; i < count; i++) {
        while (j < onset_count && onsets[j] < beats[i] - reach)
            j++;
        size_t best = onset_count;
        for (size_t k = j; k < onset_count && onsets[k] <= beats[i] + reach; k++)
            if (best == onset_count || fabs(onsets[k] - beats[i]) < fabs(onsets[best] - beats[i]))
                best = k;
        if (best == onset_count)
            continue;
        double previous = i > 0 ? beats[i - 1] : -1;
        double next = i + 1 < count ? beats[i + 1] : INFINITY;
        if (onsets[best] > previous && onsets[best] < next) {
            beats[i] = onsets[best];
            j = best + 1;
            snapped++;
        }
    }
    return snapped;
}

/* aubio listens for a few seconds before its first beat: walk the grid back to the song's
 * start while there are onsets on it. */
static int mv_tempo_extend_back(double **beats, size_t *count, double period,
                                const double *onsets, size_t onset_count)
{
    if (*count == 0 || period <= 0)
        return 0;
    double reach = 0.2 * period;
    size_t added = 0;
    double at = (*beats)[0];
    double found[64];
    while (added < 64) {
        double want = at - period, best = -1;
        for (size_t k = 0; k < onset_count && onsets[k] <= want + reach; k++)
            if (onsets[k] >= want - reach && (best < 0 || fabs(onsets[k] - want) < fabs(best - want)))
                best = onsets[k];
        if (best < 0)
            break;
        found[added++] = best;
        at = best;
    }
    if (added == 0)
        return 0;
    double *more = malloc((*count + added) * sizeof *more);
    if (!more)
        return -1;
    for (size_t i = 0; i < added; i++)
        more[i] = found[added - 1 - i];
    memcpy(more + added, *beats, *count * sizeof *more);
    free(*beats);
    *beats = more;
    *count += added;
    return 0;
}

/* The beat period around beat i: the median of up to 8 intervals on each side. */
static double mv_local_period(const double *beats, size_t count, size_t i)
{
    size_t from = i > 8 ? i - 8 : 0, to = i + 8 < count - 1 ? i + 8 : count - 1, n = 0;
    double gaps[16];
    for (size_t j = from; j < to && n < 16; j++)
        gaps[n++] = beats[j + 1] - beats[j];
    if (n == 0)
        return 0;
    qsort(gaps, n, sizeof gaps[0], mv_compare_doubles);
    return gaps[n / 2];
}

/* The onset nearest to t within reach (onsets sorted), or t itself. */
static double mv_snap_one(double t, double reach, const double *onsets, size_t count)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (onsets[mid] < t - reach)
            lo = mid + 1;
        else
            hi = mid;
    }
    double best = t, best_distance = reach;
    for (size_t k = lo; k < count && onsets[k] <= t + reach; k++)
        if (fabs(onsets[k] - t) < best_distance) {
            best = onsets[k];
            best_distance = fabs(onsets[k] - t);
        }
    return best;
}

/* Appends a beat near t (snapped to an onset), keeping the list in order. */
static int mv_push_grid_beat(mv_series *out, double t, double period, const double *onsets,
                             size_t onset_count)
{
    if (t < 0)
        return 0;
    double at = mv_snap_one(t, 0.2 * period, onsets, onset_count);
    double last = out->n ? out->v[out->n - 1] : -INFINITY;
    if (at <= last + 0.5 * period)
        at = t;
    if (at <= last + 0.5 * period)
        return 0;
    return mv_series_push(out, at);
}

int mv_tempo_repair_grid(double **beats, size_t *count, const double *onsets,
                         size_t onset_count)
{
    size_t n = *count;
    if (n < 8)
        return 0;
    const double *b = *beats;
    double *period = malloc(n * sizeof *period);
    unsigned char *good = malloc(n);
    mv_series out = {0};
    int rc = period && good ? 0 : -1;
    size_t first = n;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        period[i] = mv_local_period(b, n, i);
        double tolerance = 0.12 * period[i];
        int before = i == 0 || fabs(b[i] - b[i - 1] - period[i]) < tolerance;
        int after = i + 1 == n || fabs(b[i + 1] - b[i] - period[i]) < tolerance;
        good[i] = before && after && period[i] > 0;
        if (good[i] && first == n)
            first = i;
    }
    if (rc == 0 && first < n) {
        /* before the first steady beat: the grid walked back */
        long back = lround((b[first] - b[0]) / period[first]);
        for (long j = back; rc == 0 && j >= 1; j--)
            rc = mv_push_grid_beat(&out, b[first] - (double)j * period[first], period[first],
                                   onsets, onset_count);
        if (rc == 0)
            rc = mv_series_push(&out, b[first]);
        size_t last = first;
        for (size_t i = first + 1; rc == 0 && i < n; i++) {
            if (!good[i])
                continue;
            /* the beats between two steady beats, evenly spaced */
            double span = b[i] - b[last];
            long steps = lround(span / period[last]);
            for (long j = 1; rc == 0 && j < steps; j++)
                rc = mv_push_grid_beat(&out, b[last] + span * (double)j / (double)steps,
                                       span / (double)steps, onsets, onset_count);
            if (rc == 0)
                rc = mv_series_push(&out, b[i]);
            last = i;
        }
        /* after the last steady beat: the grid walked forward */
        long ahead = lround((b[n - 1] - b[last]) / period[last]);
        for (long j = 1; rc == 0 && j <= ahead; j++)
            rc = mv_push_grid_beat(&out, b[last] + (double)j * period[last], period[last],
                                   onsets, onset_count);
        if (rc == 0) {
            free(*beats);
            *beats = mv_series_take(&out, count);
        }
    }
    mv_series_free(&out);
    free(period);
    free(good);
    return rc;
}

int mv_tempo_from_beats(double *raw, size_t raw_count, const float *odf, size_t odf_count,
                        const double *onsets, size_t onset_count, double duration,
                        double **beats, size_t *beat_count, double *bpm)
{
    /* aubio predicts beats into the zero-padded last block: those are not in the song */
    mv_times_clip(raw, &raw_count, duration);
    double *list = raw;
    *beat_count = raw_count;
    if (raw_count == 0) {
        free(raw);
        list = NULL;
    }
    *beats = NULL;
    *bpm = 0;
    double tempo = mv_tempo_bpm_from_beats(list, *beat_count);
    if (mv_tempo_fold_octave(&list, beat_count, &tempo, odf, odf_count) != 0) {
        free(list);
        *beat_count = 0;
        return -1;
    }
    if (tempo > 0 &&
        mv_tempo_extend_back(&list, beat_count, 60.0 / tempo, onsets, onset_count) != 0) {
        free(list);
        *beat_count = 0;
        return -1;
    }
    if (tempo > 0) {
        size_t heard = mv_tempo_snap_to_onsets(list, *beat_count, 60.0 / tempo, onsets,
                                               onset_count);
        if (heard * MV_HEARD_SHARE < *beat_count) {
            /* no pulse in the music: aubio's beats are guesses, not beats */
            free(list);
            list = NULL;
            *beat_count = 0;
            tempo = 0;
        }
    }
    if (tempo > 0 && mv_tempo_repair_grid(&list, beat_count, onsets, onset_count) != 0) {
        free(list);
        *beat_count = 0;
        return -1;
    }
    if (tempo > 0) {
        double refined = mv_tempo_bpm_from_beats(list, *beat_count);
        if (refined > 0 && fabs(refined - tempo) < 0.05 * tempo)
            tempo = refined;
    }
    /* the repaired grid walks forward from its last steady beat, possibly past the end */
    mv_times_clip(list, beat_count, duration);
    if (*beat_count == 0) {
        free(list);
        list = NULL;
    }
    *beats = list;
    *bpm = tempo;
    return 0;
}

int mv_tempo_finish(mv_tempo_tracker *t, const float *odf, size_t odf_count,
                    const double *onsets, size_t onset_count, double duration, double **beats,
                    size_t *beat_count, double *bpm)
{
    *beats = NULL;
    *beat_count = 0;
    *bpm = 0;
    if (t->failed)
        return -1;
    size_t count = 0;
    double *raw = mv_series_take(&t->beats, &count);
    return mv_tempo_from_beats(raw, count, odf, odf_count, onsets, onset_count, duration, beats,
                               beat_count, bpm);
}

void mv_tempo_free(mv_tempo_tracker *t)
{
    if (!t)
        return;
    if (t->tempo)
        del_aubio_tempo(t->tempo);
    if (t->in)
        del_fvec(t->in);
    if (t->out)
        del_fvec(t->out);
    mv_series_free(&t->beats);
    free(t);
}
