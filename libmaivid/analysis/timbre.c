/*
 * timbre.c - the colour of the sound per frame: MFCCs from aubio (phase vocoder + mfcc) on
 * frames of MV_AN_FRAME_HOPS hops, which sections.c compares to find where the
 * instrumentation changes.
 */
#include "analysis/mv_analysis_internal.h"

#include <aubio/aubio.h>
#include <math.h>
#include <stdlib.h>

#define MV_TIMBRE_FRAME (MV_AN_HOP * MV_AN_FRAME_HOPS)
#define MV_TIMBRE_FILTERS 40

struct mv_timbre_meter {
    aubio_pvoc_t *pvoc;
    aubio_mfcc_t *mfcc;
    fvec_t *frame, *coefs;
    cvec_t *spectrum;
    size_t fill; /* samples in frame so far */
    mv_series values;
};

mv_timbre_meter *mv_timbre_new(void)
{
    mv_timbre_meter *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->pvoc = new_aubio_pvoc(2 * MV_TIMBRE_FRAME, MV_TIMBRE_FRAME);
    m->mfcc = new_aubio_mfcc(2 * MV_TIMBRE_FRAME, MV_TIMBRE_FILTERS, MV_AN_MFCC_COEFS,
                             MV_AN_SAMPLE_RATE);
    m->frame = new_fvec(MV_TIMBRE_FRAME);
    m->coefs = new_fvec(MV_AN_MFCC_COEFS);
    m->spectrum = new_cvec(2 * MV_TIMBRE_FRAME);
    if (!m->pvoc || !m->mfcc || !m->frame || !m->coefs || !m->spectrum) {
        mv_timbre_free(m);
        return NULL;
    }
    return m;
}

int mv_timbre_feed(mv_timbre_meter *m, const float *hop)
{
    for (size_t i = 0; i < MV_AN_HOP; i++)
        m->frame->data[m->fill + i] = hop[i];
    m->fill += MV_AN_HOP;
    if (m->fill < MV_TIMBRE_FRAME)
        return 0;
    m->fill = 0;
    aubio_pvoc_do(m->pvoc, m->frame, m->spectrum);
    aubio_mfcc_do(m->mfcc, m->spectrum, m->coefs);
    for (size_t k = 0; k < MV_AN_MFCC_COEFS; k++) {
        double v = m->coefs->data[k];
        if (mv_series_push(&m->values, isfinite(v) ? v : 0) != 0)
            return -1;
    }
    return 0;
}

void mv_timbre_finish(mv_timbre_meter *m, double **mfcc, size_t *frames)
{
    size_t count = 0;
    *mfcc = mv_series_take(&m->values, &count);
    *frames = count / MV_AN_MFCC_COEFS;
}

void mv_timbre_free(mv_timbre_meter *m)
{
    if (!m)
        return;
    if (m->pvoc)
        del_aubio_pvoc(m->pvoc);
    if (m->mfcc)
        del_aubio_mfcc(m->mfcc);
    if (m->frame)
        del_fvec(m->frame);
    if (m->coefs)
        del_fvec(m->coefs);
    if (m->spectrum)
        del_cvec(m->spectrum);
    mv_series_free(&m->values);
    free(m);
}
