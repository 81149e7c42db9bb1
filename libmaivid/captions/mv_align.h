/*
 * mv_align.h - timing known lyrics from words someone (Suno's aligner, a speech-to-text
 * server) heard with times: the known text always wins, only the times come from the heard
 * words. The heard words are matched to the known ones by a global sequence alignment over
 * normalised words (Needleman-Wunsch with a near-match score for misheard words), so
 * repeated, dropped and invented words cost only locally; known words left without a match
 * get times interpolated between their timed neighbours.
 */
#ifndef MV_ALIGN_H
#define MV_ALIGN_H

#include <stddef.h>

#include "captions/mv_timed_lyrics.h"
#include "plan/mv_lyrics.h"

typedef struct mv_heard_word {
    char *text;
    double start, end;   /* seconds */
    double p;            /* the source's confidence 0..1 (1 when it gives none) */
} mv_heard_word;

typedef struct mv_heard_words {
    mv_heard_word *v;
    size_t n, cap;
} mv_heard_words;

/* Appends a word (text copied); 0, or -1 when out of memory. */
int mv_heard_add(mv_heard_words *h, const char *text, double start, double end, double p);
void mv_heard_free(mv_heard_words *h);

/* Times the lines of `known` from `heard`: every known word gets a start and an end, lines
 * span their words, sections carry over. `out` gets the given source and a confidence: the
 * share of known words matched exactly or nearly, times the heard words' mean p.
 * MAIVID_E_NOT_FOUND when too few words match (under a quarter) for the times to mean
 * anything; MAIVID_E_NOMEM; MAIVID_E_UNSUPPORTED when the texts are too long to align. */
maivid_code mv_align_known_text(const mv_lyrics *known, const mv_heard_words *heard,
                                double duration, mv_timing_source source,
                                mv_timed_lyrics *out, mv_error *err);

/* The word as compared: lower-case ASCII letters and digits and every non-ASCII byte,
 * nothing else ("Don't!" -> "dont"). Writes at most n-1 bytes. */
void mv_align_normalise(const char *word, char *out, size_t n);

#endif /* MV_ALIGN_H */
