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
                         "or text; remove it or complete the cue", r.number);
            break;
        }
        double start, end;
        rc = mv_cue_range(s, len, r.number, MV_LYRICS_SRT, &start, &end, err);
        if (rc == MAIVID_OK)
            rc = mv_cue_text(&r, &cue, err);
        if (rc != MAIVID_OK)
            break;
        char *clean = mv_caption_clean_text(cue.data, cue.len);
        if (!clean || (clean[0] && mv_timed_add_line(out, clean, start, end, NULL) < 0))
            rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory while reading lyrics");
        free(clean);
    }
    mv_buf_free(&cue);
    return mv_user_timed_finish(out, rc);
}
