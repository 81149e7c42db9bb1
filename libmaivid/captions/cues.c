/*
 * cues.c - what SRT and WebVTT cues have in common: the "start --> end [settings]" line, the
 * cue's text lines up to a blank line, and the end of every user-format parse (the user's
 * times, trusted fully, put in order). Each format's own rules stay in its parser.
 */
#include "captions/mv_captions.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static maivid_code bad_time(mv_lyrics_format f, size_t line_no, const char *s, size_t len,
                            mv_error *err)
{
    int vtt = f == MV_LYRICS_VTT;
    return mv_fail(err, MAIVID_E_INVALID, "lyrics line %zu: '%.*s' is not a%s time; write %s, "
                   "e.g. %s", line_no, (int)(len > 30 ? 30 : len), s, vtt ? " WebVTT" : "n SRT",
                   vtt ? "[HH:]MM:SS.mmm" : "HH:MM:SS,mmm", vtt ? "01:02.500" : "00:01:02,500");
}

maivid_code mv_cue_range(const char *s, size_t len, size_t line_no, mv_lyrics_format f,
                         double *start, double *end, mv_error *err)
{
    const char *arrow = memmem(s, len, "-->", 3);
    if (!arrow)
        return mv_fail(err, MAIVID_E_INVALID,
                       "lyrics line %zu: expected the cue's times '%s' but found '%.*s'; every "
                       "%s cue is %s, a line of times and its text, with a blank line after it",
                       line_no, f == MV_LYRICS_VTT ? "00:01.000 --> 00:04.000"
                                                   : "HH:MM:SS,mmm --> HH:MM:SS,mmm",
                       (int)(len > 60 ? 60 : len), s,
                       f == MV_LYRICS_VTT ? "WebVTT" : "SRT",
                       f == MV_LYRICS_VTT ? "an optional identifier" : "a number");
    size_t a = (size_t)(arrow - s);
    while (a > 0 && isspace((unsigned char)s[a - 1]))
        a--;
    const char *b = arrow + 3;
    while (b < s + len && isspace((unsigned char)*b))
        b++;
    size_t blen = 0;
    while (b + blen < s + len && !isspace((unsigned char)b[blen]))
        blen++;
    /* WebVTT writes milliseconds after a '.', never a ',' */
    int vtt = f == MV_LYRICS_VTT;
    if ((vtt && memchr(s, ',', a)) || !mv_time_parse_hms(s, a, start))
        return bad_time(f, line_no, s, a, err);
    if ((vtt && memchr(b, ',', blen)) || !mv_time_parse_hms(b, blen, end))
        return bad_time(f, line_no, b, blen, err);
    if (!(*end > *start))
        return mv_fail(err, MAIVID_E_INVALID,
                       "lyrics line %zu: the cue ends (%.*s) before it starts (%.*s); "
                       "correct its times", line_no, (int)blen, b, (int)a, s);
    return MAIVID_OK;
}

maivid_code mv_cue_text(mv_line_reader *r, mv_buf *cue, mv_error *err)
{
    const char *s;
    size_t len;
    mv_buf_reset(cue);
    while (mv_line_next(r, &s, &len) && len > 0)
        if ((cue->len && mv_buf_append_str(cue, " ")) || mv_buf_append(cue, s, len))
            return mv_fail(err, MAIVID_E_NOMEM, "out of memory while reading lyrics");
    if (!cue->data && mv_buf_append_str(cue, ""))
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while reading lyrics");
    return MAIVID_OK;
}

maivid_code mv_user_timed_finish(mv_timed_lyrics *out, maivid_code rc)
{
    if (rc != MAIVID_OK) {
        mv_timed_lyrics_free(out);
        return rc;
    }
    out->source = MV_TIMING_USER;
    out->confidence = 1.0;
    mv_timed_normalise(out, 0.0);
    return MAIVID_OK;
}
