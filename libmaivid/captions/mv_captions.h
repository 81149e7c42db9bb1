/*
 * mv_captions.h - reading and writing timed lyrics as text: the parsers for the timed
 * formats a user may give (LRC and enhanced LRC, SRT, WebVTT), the sidecar writers (SRT,
 * WebVTT, LRC, ASS) and the small builder they share. Every parser turns text into an
 * mv_timed_lyrics (source "user", confidence 1); a bad file is refused with an error that
 * names the line and the fix.
 */
#ifndef MV_CAPTIONS_H
#define MV_CAPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "captions/mv_timed_lyrics.h"
#include "util/mv_buf.h"

/* ---- builder (timed_build.c) ---- */

/* Appends a line (text copied) with its times and section (may be NULL); returns its index
 * or -1 when out of memory. */
long mv_timed_add_line(mv_timed_lyrics *l, const char *text, double start, double end,
                       const char *section);
/* Appends a word to line `index`; 0, or -1 when out of memory. */
int mv_timed_add_word(mv_timed_lyrics *l, size_t index, const char *text, double start,
                      double end);
/* Sets has_word_times when every line has words (and there is at least one line). */
void mv_timed_update_word_flag(mv_timed_lyrics *l);
/* Sorts the lines by start and trims overlaps (a line ends where the next starts, its words
 * clipped likewise); drops lines that are left empty or end before they start, and clamps
 * everything into [0, duration] when duration > 0. */
void mv_timed_normalise(mv_timed_lyrics *l, double duration);
/* Seconds a line of `text` takes to sing when nothing says otherwise: about 0.3 s per
 * syllable, at least 1 s. */
double mv_timed_default_length(const char *text);
/* Syllables in `text` (vowel groups per word, at least 1 per word). */
size_t mv_syllable_count(const char *text);

/* ---- timed formats a user gives (format.c, parse_lrc.c, parse_srt.c, parse_vtt.c) ---- */

typedef enum mv_lyrics_format {
    MV_LYRICS_PLAIN = 0,  /* untimed text, possibly with [Section] markers */
    MV_LYRICS_LRC,        /* [mm:ss.xx] line tags, optionally <mm:ss.xx> word tags */
    MV_LYRICS_SRT,        /* numbered cues "HH:MM:SS,mmm --> HH:MM:SS,mmm" */
    MV_LYRICS_VTT         /* "WEBVTT" then cues "HH:MM:SS.mmm --> HH:MM:SS.mmm" */
} mv_lyrics_format;

/* "plain", "LRC", "SRT", "WebVTT". */
const char *mv_lyrics_format_name(mv_lyrics_format f);
/* Which format the text is in (a UTF-8 byte-order mark is skipped). */
mv_lyrics_format mv_lyrics_detect_format(const char *text);

/* Each parser fills `out` (zeroed first; freed again on error) with source MV_TIMING_USER
 * and confidence 1. Errors are MAIVID_E_INVALID naming the 1-based line of the text. */
maivid_code mv_lrc_parse_timed(const char *text, mv_timed_lyrics *out, mv_error *err);
maivid_code mv_srt_parse(const char *text, mv_timed_lyrics *out, mv_error *err);
maivid_code mv_vtt_parse(const char *text, mv_timed_lyrics *out, mv_error *err);
/* Detects the format and parses a timed one; plain text gives MAIVID_E_NOT_FOUND (nothing
 * timed here) with `out` empty. Times past `duration` (when > 0) are clipped, lines wholly
 * past it dropped. */
maivid_code mv_user_timed_parse(const char *text, double duration, mv_timed_lyrics *out,
                                mv_error *err);
/* For job validation: MAIVID_OK for plain text and well-formed timed text, else the
 * parser's error naming the line. */
maivid_code mv_user_lyrics_check(const char *text, mv_error *err);

/* ---- shared by the parsers (cues.c, timed_build.c) ---- */

/* A cue's "start --> end [settings]" line (`f`: MV_LYRICS_SRT or MV_LYRICS_VTT). */
maivid_code mv_cue_range(const char *s, size_t len, size_t line_no, mv_lyrics_format f,
                         double *start, double *end, mv_error *err);
/* The cue's text lines up to a blank line (or the end), joined by spaces, into `cue`. */
struct mv_line_reader;
maivid_code mv_cue_text(struct mv_line_reader *r, mv_buf *cue, mv_error *err);
/* Ends a parse: on an error frees `out` and returns rc; else marks the times the user's
 * (confidence 1) and puts the lines in order. */
maivid_code mv_user_timed_finish(mv_timed_lyrics *out, maivid_code rc);
/* Word ends from word starts: each word lasts until the next starts, the last until the
 * line's end; words sharing a start (one tag before several words) share its span. */
void mv_timed_spread_words(mv_timed_line *line);

/* ---- sidecar writers (write_srt.c, write_vtt.c, write_lrc.c, write_ass.c) ---- */

/* Each returns 0 and appends the whole file to `b`, or -1 when out of memory. */
int mv_captions_srt(const mv_timed_lyrics *l, mv_buf *b);
int mv_captions_vtt(const mv_timed_lyrics *l, mv_buf *b);
/* LRC with [mm:ss.xx] line tags, <mm:ss.xx> word tags when the lyrics have word times,
 * section markers, and an empty timed line where a line ends before the next begins. */
int mv_captions_lrc(const mv_timed_lyrics *l, mv_buf *b);

/* The look of ASS captions. Colours are 0xRRGGBBAA with AA the opacity (0xff: opaque). */
typedef struct mv_ass_style {
    const char *name;        /* style name, NULL: "Lyrics" */
    const char *font;        /* font family, NULL: "DejaVu Sans" */
    double font_size;        /* in script pixels, <= 0: play_res_y / 18 */
    uint32_t primary;        /* text (or sung karaoke text) */
    uint32_t secondary;      /* karaoke text not yet sung */
    uint32_t outline;        /* outline colour */
    uint32_t shadow;         /* shadow/back colour */
    double outline_width, shadow_depth;
    int alignment;           /* numpad position: 2 bottom centre (default when 0) */
    int margin_v;            /* vertical margin in script pixels, 0: play_res_y / 14 */
    int play_res_x, play_res_y; /* script resolution, 0: 1920x1080 */
    int karaoke;             /* 1: \k tags from word times (lines without words stay plain) */
    double fade_in, fade_out; /* seconds of \fad, 0: none */
} mv_ass_style;

/* Fills `s` with the defaults above (white text, black outline, bottom centre). */
void mv_ass_style_default(mv_ass_style *s);
/* A whole ASS script (Script Info, one style, one Dialogue per line); `style` NULL: the
 * defaults. Reusable by the caption renderer for libass (ass_read_memory). */
int mv_captions_write_ass(const mv_timed_lyrics *l, const mv_ass_style *style, mv_buf *b);
/* What the sidecar and the burned-in captions' script (render/mv_caption_script.c) share:
 * an ASS colour "&HAABBGGRR" from 0xRRGGBBAA; an event time "H:MM:SS.cc" from centiseconds
 * (negative: 0); and text appended with ASS's override and escape characters neutralised
 * ('{' '}' as '(' ')', '\\' as '/', line breaks and tabs as spaces); -1 when out of memory. */
void mv_ass_colour(uint32_t rgba, char out[16]);
void mv_ass_time(long long cs, char out[32]);
int mv_ass_append_text(mv_buf *b, const char *s, size_t n);

/* ---- sidecar files (sidecars.c) ---- */

/* The sidecar formats, by extension: "srt", "vtt", "lrc", "ass". */
#define MV_SIDECAR_COUNT 4
extern const char *const mv_sidecar_extensions[MV_SIDECAR_COUNT];
/* Writes captions.srt, .vtt, .lrc and .ass in `dir` atomically from `l`; with zero lines the files
 * are removed instead (an instrumental song has no captions). */
maivid_code mv_captions_write_sidecars(const mv_timed_lyrics *l, const char *dir,
                                       mv_error *err);

/* ---- reading text line by line (format.c) ---- */

typedef struct mv_line_reader {
    const char *p;     /* the rest of the text */
    size_t number;     /* 1-based number of the line last returned */
} mv_line_reader;
/* Starts at `text`, skipping a UTF-8 byte-order mark. */
void mv_line_reader_init(mv_line_reader *r, const char *text);
/* The next line without its end (\n, \r\n or \r) and without surrounding blanks: 1 with
 * start and len set, 0 at the end of the text. */
int mv_line_next(mv_line_reader *r, const char **start, size_t *len);
/* A malloc'd copy of s[0..len) with markup removed (<...> tags, {...} ASS overrides), the
 * entities &amp; &lt; &gt; &nbsp; &quot; decoded and blanks squeezed; NULL when out of
 * memory. */
char *mv_caption_clean_text(const char *s, size_t len);

/* ---- time text (time_text.c) ---- */

/* Formats seconds as "HH:MM:SS<sep>mmm" (SRT: ',', VTT: '.'). */
void mv_time_hms_ms(double t, char sep, char *out, size_t n);
/* Formats seconds as "mm:ss.xx" (LRC). */
void mv_time_lrc(double t, char *out, size_t n);
/* Parses "HH:MM:SS<sep>mmm" or "MM:SS<sep>mmm" (len bytes, sep '.' or ','); 1 on success. */
int mv_time_parse_hms(const char *s, size_t len, double *seconds);

#endif /* MV_CAPTIONS_H */
