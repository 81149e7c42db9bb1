/*
 * mv_timed_lyrics.h - the song's words with their times: every lyric line (and every word
 * where a source gives word times) with a start and an end in seconds, plus where those
 * times came from and how far to trust them. Made by the lyrics timing step (user LRC/SRT/
 * VTT, Suno's aligned lyrics, speech-to-text aligned to the known text, or estimated from
 * the audio) and stored as <job_dir>/lyrics_timed.json; read by the caption renderer, the
 * sidecar writers (SRT, VTT, LRC, ASS) and the sync report.
 */
#ifndef MV_TIMED_LYRICS_H
#define MV_TIMED_LYRICS_H

#include <stddef.h>

#include "util/mv_common.h"

/* The job directory's file name for the timed lyrics. */
#define MV_TIMED_LYRICS_FILE "lyrics_timed.json"

/* Where the times came from, best first. The names ("user", ...) are stored and shown. */
typedef enum mv_timing_source {
    MV_TIMING_NONE = 0,      /* no lyrics (instrumental): zero lines */
    MV_TIMING_USER = 1,      /* timed lyrics the user gave: LRC, enhanced LRC, SRT, WebVTT */
    MV_TIMING_SUNO = 2,      /* Suno's aligned lyrics */
    MV_TIMING_STT = 3,       /* speech-to-text word times aligned to the known text */
    MV_TIMING_ESTIMATED = 4  /* spread over the sung stretches found in the audio */
} mv_timing_source;

typedef struct mv_timed_word {
    char *text;         /* as sung, UTF-8, no surrounding spaces */
    double start, end;  /* seconds from the song's start; start < end */
} mv_timed_word;

typedef struct mv_timed_line {
    char *text;              /* the whole line, UTF-8, without markers or time tags */
    double start, end;       /* seconds; start < end; lines are in time order, not overlapping */
    char *section;           /* section kind ("verse", "chorus", ...) or NULL */
    mv_timed_word *words;    /* word times, or NULL when the source has none */
    size_t word_count;
} mv_timed_line;

typedef struct mv_timed_lyrics {
    mv_timed_line *lines;
    size_t line_count;
    mv_timing_source source;
    double confidence;       /* 0..1: how far the times can be trusted (1 for user times) */
    int has_word_times;      /* 1 when every line carries word times */
} mv_timed_lyrics;

/* "none", "user", "suno", "speech_to_text", "estimated". */
const char *mv_timing_source_name(mv_timing_source source);
/* The source named `name`, or MV_TIMING_NONE when the name is unknown. */
mv_timing_source mv_timing_source_from_name(const char *name);

/* Checks the invariants above (times finite, inside [0, duration] when duration > 0, start
 * < end, lines in order and not overlapping, words inside their line and in order). The
 * error names the first line at fault. */
maivid_code mv_timed_lyrics_check(const mv_timed_lyrics *lyrics, double duration,
                                  mv_error *err);

/* Writes `lyrics` to `path` atomically as JSON. */
maivid_code mv_timed_lyrics_save(const mv_timed_lyrics *lyrics, const char *path,
                                 mv_error *err);
/* Reads a file written by mv_timed_lyrics_save(); `out` is zeroed first. A file that breaks
 * the invariants is refused with MAIVID_E_CORRUPT naming the line. */
maivid_code mv_timed_lyrics_load(const char *path, mv_timed_lyrics *out, mv_error *err);

/* Frees the contents (not the struct itself); leaves it zeroed. */
void mv_timed_lyrics_free(mv_timed_lyrics *lyrics);

#endif /* MV_TIMED_LYRICS_H */
