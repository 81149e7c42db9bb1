/*
 * parse_srt.c - SubRip (.srt) as timed lyrics: blocks of an optional cue number, a line
 * "HH:MM:SS,mmm --> HH:MM:SS,mmm", and the cue's text (its lines joined, <i>/<font> tags and
 * {\an8} overrides removed), separated by blank lines. Each cue becomes one lyric line.
 */
#include "captions/mv_captions.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return len > 0;
}

/* "start --> end [position settings]" into times; MAIVID_E_INVALID naming the line. */
static maivid_code read_range(const char *s, size_t len, size_t line_no, double *start,
                              double *end, mv_error *err)
{
    const char *arrow = memmem(s, len, "-->", 3);
    if (!arrow)
        return mv_fail(err, MAIVID_E_INVALID,
                       "lyrics line %zu: expected the cue's times 'HH:MM:SS,mmm --> "
                       "HH:MM:SS,mmm' but found '%.*s'; every SRT cue is a number, a line of "
                       "times and its text, with a blank line after it",
                       line_no, (int)(len > 60 ? 60 : len), s);
    size_t a = (size_t)(arrow - s);
    while (a > 0 && isspace((unsigned char)s[a - 1]))
        a--;
    const char *b = arrow + 3;
    while (b < s + len && isspace((unsigned char)*b))
        b++;
    size_t blen = 0;
    while (b + blen < s + len && !isspace((unsigned char)b[blen]))
        blen++;
    if (!mv_time_parse_hms(s, a, start))
        return mv_fail(err, MAIVID_E_INVALID,
                       "lyrics line %zu: '%.*s' is not an SRT time; write HH:MM:SS,mmm, "
                       "e.g. 00:01:02,500", line_no, (int)(a > 30 ? 30 : a), s);
    if (!mv_time_parse_hms(b, blen, end))
        return mv_fail(err, MAIVID_E_INVALID,
                       "lyrics line %zu: '%.*s' is not an SRT time; write HH:MM:SS,mmm, "
                       "e.g. 00:01:02,500", line_no, (int)(blen > 30 ? 30 : blen), b);
    if (!(*end > *start))
        return mv_fail(err, MAIVID_E_INVALID,
                       "lyrics line %zu: the cue ends (%.*s) before it starts (%.*s); "
                       "correct its times", line_no, (int)blen, b, (int)a, s);
    return MAIVID_OK;
}

maivid_code mv_srt_parse(const char *text, mv_timed_lyrics *out, mv_error *err)
{
    memset(out, 0, sizeof *out);
    mv_line_reader r;
    mv_line_reader_init(&r, text);
    const char *s;
    size_t len;
    maivid_code rc = MAIVID_OK;
    mv_buf cue = {0};
    while (rc == MAIVID_OK && mv_line_next(&r, &s, &len)) {
        if (len == 0)
            continue;
        if (all_digits(s, len) && !mv_line_next(&r, &s, &len)) {
            rc = mv_fail(err, MAIVID_E_INVALID, "lyrics line %zu: cue number without times "
                         "or text; remove it or complete the cue", r.number - 1);
            break;
        }
        double start, end;
        rc = read_range(s, len, r.number, &start, &end, err);
        mv_buf_reset(&cue);
        while (rc == MAIVID_OK && mv_line_next(&r, &s, &len) && len > 0)
            if ((cue.len && mv_buf_append_str(&cue, " ")) || mv_buf_append(&cue, s, len))
                rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory while reading lyrics");
        if (rc != MAIVID_OK)
            break;
        char *clean = mv_caption_clean_text(cue.data ? cue.data : "", cue.len);
        if (!clean || (clean[0] && mv_timed_add_line(out, clean, start, end, NULL) < 0))
            rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory while reading lyrics");
        free(clean);
    }
    mv_buf_free(&cue);
    if (rc != MAIVID_OK) {
        mv_timed_lyrics_free(out);
        return rc;
    }
    out->source = MV_TIMING_USER;
    out->confidence = 1.0;
    mv_timed_normalise(out, 0.0);
    return MAIVID_OK;
}
