/*
 * mv_lyrics.h - lyrics as the planner sees them: lines grouped into sections ([Verse 1],
 * [Chorus], ...; case and numbering free) with optional times from LRC (line and enhanced
 * word-level). Markers are structure, never text.
 */
#ifndef MV_LYRICS_H
#define MV_LYRICS_H

#include <stddef.h>

#include "util/mv_common.h"

typedef struct mv_lyric_line {
    char *text;   /* without markers or timestamps */
    double time;  /* seconds from LRC, or -1 */
    size_t section;
} mv_lyric_line;

typedef struct mv_lyric_section {
    char *kind;   /* lower-case canonical: intro, verse, pre-chorus, chorus, bridge, outro,
                     instrumental, hook, or "verse" when the text had no markers */
    int number;   /* 1 for "[Verse 1]", 0 when unnumbered */
    double start; /* time of its first timed line, or -1 */
    size_t first_line, line_count;
} mv_lyric_section;

typedef struct mv_lyrics {
    mv_lyric_line *lines;       size_t line_count;
    mv_lyric_section *sections; size_t section_count;
    int timed;                  /* 1 when lines carry LRC times */
} mv_lyrics;

/* Parses plain text or LRC. Empty or whitespace-only text gives zero lines (instrumental). */
maivid_code mv_lyrics_parse(const char *text, mv_lyrics *out, mv_error *err);
void mv_lyrics_free(mv_lyrics *l);

#endif /* MV_LYRICS_H */
