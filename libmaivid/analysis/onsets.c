/*
 * onsets.c - note and hit onsets with aubio_onset, run on every hop while the song streams
 * past. Besides the onset times it keeps the onset strength (aubio's detection function)
 * per hop, which tempo.c and downbeats.c use to tell strong beats from weak ones.
 */
#include "analysis/mv_analysis_internal.h"

#include <aubio/aubio.h>
#include <math.h>
#include <stdlib.h>

struct mv_onset_tracker {
    aubio_onset_t *onset;
    fvec_t *in, *out;
    mv_series times;
    float *odf;
    size_t odf_count, odf_cap;
};

mv_onset_tracker *mv_onsets_new(void)
{
    mv_onset_tracker *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->onset = new_aubio_onset("default", MV_AN_WIN, MV_AN_HOP, MV_AN_SAMPLE_RATE);
    o->in = new_fvec(MV_AN_HOP);
    o->out = new_fvec(1);
    if (!o->onset || !o->in || !o->out) {
        mv_onsets_free(o);
        return NULL;
    }
    return o;
}

int mv_onsets_feed(mv_onset_tracker *o, const float *hop)
{
    for (size_t i = 0; i < MV_AN_HOP; i++)
        o->in->data[i] = hop[i];
    aubio_onset_do(o->onset, o->in, o->out);
    if (o->out->data[0] != 0) {
        double when = aubio_onset_get_last_s(o->onset);
        if (when < 0)
            when = 0;
        if (mv_series_push(&o->times, when) != 0)
            return -1;
    }
    if (o->odf_count == o->odf_cap) {
        size_t cap = o->odf_cap ? o->odf_cap * 2 : 4096;
        float *odf = realloc(o->odf, cap * sizeof *odf);
        if (!odf)
            return -1;
        o->odf = odf;
        o->odf_cap = cap;
    }
    float strength = aubio_onset_get_descriptor(o->onset);
    o->odf[o->odf_count++] = isfinite(strength) && strength > 0 ? strength : 0;
    return 0;
}

void mv_onsets_finish(mv_onset_tracker *o, double duration, double **onsets,
                      size_t *onset_count, float **odf, size_t *odf_count)
{
    /* the last block is zero-padded: aubio may place an onset in the padding */
    mv_times_clip(o->times.v, &o->times.n, duration);
    *onsets = mv_series_take(&o->times, onset_count);
    *odf = o->odf;
    *odf_count = o->odf_count;
    o->odf = NULL;
    o->odf_count = o->odf_cap = 0;
}

void mv_onsets_free(mv_onset_tracker *o)
{
    if (!o)
        return;
    if (o->onset)
        del_aubio_onset(o->onset);
    if (o->in)
        del_fvec(o->in);
    if (o->out)
        del_fvec(o->out);
    mv_series_free(&o->times);
    free(o->odf);
    free(o);
}

double mv_odf_at(const float *odf, size_t odf_count, double t)
{
    if (!odf || odf_count == 0 || t < 0)
        return 0;
    /* the detection function lags the onset by about a window: look a little after t */
    long centre = lround(t * MV_AN_SAMPLE_RATE / MV_AN_HOP) + 2;
    double best = 0;
    for (long k = centre - 2; k <= centre + 2; k++)
        if (k >= 0 && (size_t)k < odf_count && odf[k] > best)
            best = odf[k];
    return best;
}
