/*
 * mv_estimate.h - lyric times estimated from the audio alone, for untimed text (the usual
 * case for a Suno link without a session token): a vocal-activity measure per frame (how
 * far the voice band rises above the accompaniment's own floor), the sung stretches it
 * gives, and the spread of the lyric lines over those stretches by syllable count, with
 * section markers kept on phrase boundaries after a pause.
 */
#ifndef MV_ESTIMATE_H
#define MV_ESTIMATE_H

#include <stddef.h>

#include "captions/mv_timed_lyrics.h"
#include "plan/mv_lyrics.h"

typedef struct mv_vocal_track {
    float *level;   /* per frame: dB by which the voice band rises above its local floor */
    size_t count;
    double rate;    /* frames per second */
} mv_vocal_track;

/* Decodes the song and measures the vocal activity per 23 ms frame. */
maivid_code mv_vocal_measure(const char *audio_path, const mv_task *task,
                             mv_vocal_track *out, mv_error *err);
/* The same from samples in memory (mono, `rate` Hz; resampled is not needed when rate is
 * the analysis rate, 22050). For tests and for callers that already decoded. */
maivid_code mv_vocal_measure_samples(const float *samples, size_t count,
                                     mv_vocal_track *out, mv_error *err);
void mv_vocal_track_free(mv_vocal_track *t);

typedef struct mv_span {
    double start, end;
} mv_span;

/* The sung stretches: frames above the threshold (with hysteresis), gaps shorter than
 * 0.12 s closed, blips shorter than 0.15 s dropped. Caller frees *spans. */
size_t mv_vocal_spans(const mv_vocal_track *t, mv_span **spans);

/* Spreads the lines of `known` over the sung stretches: each line starts where a phrase
 * starts (after a pause), the lines' sung lengths follow their syllable counts, a line
 * never runs across a long pause, and a new section prefers to start after a long one.
 * MAIVID_E_NOT_FOUND when no voice was found (nothing to spread over). */
maivid_code mv_estimate_timing(const mv_lyrics *known, const mv_span *spans, size_t count,
                               double duration, mv_timed_lyrics *out, mv_error *err);

#endif /* MV_ESTIMATE_H */
