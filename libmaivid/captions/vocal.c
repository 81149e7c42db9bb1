/*
 * vocal.c - where a voice sings: per 23 ms frame (aubio phase vocoder, 1024-sample window
 * at 22050 Hz) the energy in the voice band (300-3400 Hz, where the formants of sung
 * vowels lie), smoothed by a short median that removes drum hits, and compared with the
 * band's own floor over the surrounding 12 s (a low percentile): the accompaniment keeps
 * the floor, a voice lifts the band above it. The result is a level in dB per frame;
 * mv_vocal_spans() turns it into sung stretches with a hysteresis threshold.
 */
#include "captions/mv_estimate.h"

#include <aubio/aubio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/mv_analysis_internal.h"

#define MV_VOC_WIN 1024
#define MV_VOC_HOP 512
#define MV_VOC_LOW_HZ 300.0
#define MV_VOC_HIGH_HZ 3400.0
#define MV_VOC_MEDIAN 7          /* frames (160 ms) */
#define MV_VOC_FLOOR_SPAN 6.0    /* seconds each side */
#define MV_VOC_FLOOR_PCT 0.10
#define MV_VOC_FLOOR_STEP 8      /* the floor is computed every 8 frames, interpolated */
#define MV_VOC_ON_DB 4.5
#define MV_VOC_OFF_DB 2.5

typedef struct vocal_meter {
    aubio_pvoc_t *pvoc;
    fvec_t *hop;
    cvec_t *spectrum;
    size_t fill;
    size_t low_bin, high_bin;
    float *band;
    size_t count, cap;
} vocal_meter;

static int meter_open(vocal_meter *m)
{
    memset(m, 0, sizeof *m);
    m->pvoc = new_aubio_pvoc(MV_VOC_WIN, MV_VOC_HOP);
    m->hop = new_fvec(MV_VOC_HOP);
    m->spectrum = new_cvec(MV_VOC_WIN);
    m->low_bin = (size_t)(MV_VOC_LOW_HZ * MV_VOC_WIN / MV_AN_SAMPLE_RATE);
    m->high_bin = (size_t)(MV_VOC_HIGH_HZ * MV_VOC_WIN / MV_AN_SAMPLE_RATE);
    return m->pvoc && m->hop && m->spectrum ? 0 : -1;
}

static void meter_close(vocal_meter *m)
{
    if (m->pvoc)
        del_aubio_pvoc(m->pvoc);
    if (m->hop)
        del_fvec(m->hop);
    if (m->spectrum)
        del_cvec(m->spectrum);
    free(m->band);
    memset(m, 0, sizeof *m);
}

static int meter_frame(vocal_meter *m)
{
    aubio_pvoc_do(m->pvoc, m->hop, m->spectrum);
    double e = 1e-10;
    for (size_t k = m->low_bin; k <= m->high_bin && k < m->spectrum->length; k++)
        e += (double)m->spectrum->norm[k] * m->spectrum->norm[k];
    if (m->count == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 4096;
        float *b = realloc(m->band, cap * sizeof *b);
        if (!b)
            return -1;
        m->band = b;
        m->cap = cap;
    }
    m->band[m->count++] = (float)(10.0 * log10(e));
    return 0;
}

static int meter_feed(vocal_meter *m, const float *block, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        m->hop->data[m->fill++] = block[i];
        if (m->fill == MV_VOC_HOP) {
            m->fill = 0;
            if (meter_frame(m) != 0)
                return -1;
        }
    }
    return 0;
}

static maivid_code on_block(void *ctx, const float *block, mv_error *err)
{
    if (meter_feed(ctx, block, MV_AN_HOP) != 0)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while measuring the voice");
    return MAIVID_OK;
}

static int compare_floats(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* Median of 7 frames (drum hits out), then the level above the local floor. */
static maivid_code finish(vocal_meter *m, mv_vocal_track *out, mv_error *err)
{
    size_t n = m->count;
    out->rate = (double)MV_AN_SAMPLE_RATE / MV_VOC_HOP;
    if (n == 0)
        return MAIVID_OK;
    float *smooth = malloc(n * sizeof *smooth);
    float *level = malloc(n * sizeof *level);
    size_t span = (size_t)(MV_VOC_FLOOR_SPAN * out->rate);
    float *window = malloc((2 * span + MV_VOC_MEDIAN + 1) * sizeof *window);
    size_t steps = n / MV_VOC_FLOOR_STEP + 2;
    float *floor_at = malloc(steps * sizeof *floor_at);
    if (!smooth || !level || !window || !floor_at) {
        free(smooth);
        free(level);
        free(window);
        free(floor_at);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while measuring the voice");
    }
    for (size_t i = 0; i < n; i++) {
        size_t a = i >= MV_VOC_MEDIAN / 2 ? i - MV_VOC_MEDIAN / 2 : 0;
        size_t b = i + MV_VOC_MEDIAN / 2 + 1 < n ? i + MV_VOC_MEDIAN / 2 + 1 : n;
        memcpy(window, m->band + a, (b - a) * sizeof *window);
        qsort(window, b - a, sizeof *window, compare_floats);
        smooth[i] = window[(b - a) / 2];
    }
    for (size_t s = 0; s < steps; s++) {
        size_t i = s * MV_VOC_FLOOR_STEP < n ? s * MV_VOC_FLOOR_STEP : n - 1;
        size_t a = i >= span ? i - span : 0, b = i + span + 1 < n ? i + span + 1 : n;
        memcpy(window, smooth + a, (b - a) * sizeof *window);
        qsort(window, b - a, sizeof *window, compare_floats);
        floor_at[s] = window[(size_t)((double)(b - a - 1) * MV_VOC_FLOOR_PCT)];
    }
    for (size_t i = 0; i < n; i++) {
        size_t s = i / MV_VOC_FLOOR_STEP;
        double f = (double)(i % MV_VOC_FLOOR_STEP) / MV_VOC_FLOOR_STEP;
        double fl = floor_at[s] * (1 - f) + floor_at[s + 1 < steps ? s + 1 : s] * f;
        level[i] = (float)(smooth[i] - fl);
    }
    free(smooth);
    free(window);
    free(floor_at);
    out->level = level;
    out->count = n;
    return MAIVID_OK;
}

maivid_code mv_vocal_measure_samples(const float *samples, size_t count, mv_vocal_track *out,
                                     mv_error *err)
{
    memset(out, 0, sizeof *out);
    vocal_meter m;
    if (meter_open(&m) != 0 || meter_feed(&m, samples, count) != 0) {
        meter_close(&m);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while measuring the voice");
    }
    maivid_code rc = finish(&m, out, err);
    meter_close(&m);
    return rc;
}

maivid_code mv_vocal_measure(const char *audio_path, const mv_task *task, mv_vocal_track *out,
                             mv_error *err)
{
    memset(out, 0, sizeof *out);
    vocal_meter m;
    if (meter_open(&m) != 0) {
        meter_close(&m);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while measuring the voice");
    }
    size_t samples = 0;
    maivid_code rc = mv_audio_decode(audio_path, on_block, &m, task, 0.0, 0.8, &samples, err);
    if (rc == MAIVID_OK)
        rc = finish(&m, out, err);
    meter_close(&m);
    return rc;
}

void mv_vocal_track_free(mv_vocal_track *t)
{
    free(t->level);
    memset(t, 0, sizeof *t);
}

size_t mv_vocal_spans(const mv_vocal_track *t, mv_span **spans)
{
    *spans = NULL;
    size_t n = 0, cap = 0;
    int on = 0;
    double start = 0;
    for (size_t i = 0; i <= t->count; i++) {
        double level = i < t->count ? t->level[i] : -100.0;
        double time = (double)i / t->rate;
        if (!on && level >= MV_VOC_ON_DB) {
            on = 1;
            start = time;
        } else if (on && level < MV_VOC_OFF_DB) {
            on = 0;
            if (n > 0 && start - (*spans)[n - 1].end < 0.12) {
                (*spans)[n - 1].end = time; /* a consonant, not a pause */
                continue;
            }
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                mv_span *s = realloc(*spans, cap * sizeof *s);
                if (!s)
                    return n;
                *spans = s;
            }
            (*spans)[n++] = (mv_span){start, time};
        }
    }
    /* blips */
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if ((*spans)[i].end - (*spans)[i].start >= 0.15)
            (*spans)[kept++] = (*spans)[i];
    return kept;
}
