/*
 * parse_vtt.c - WebVTT (.vtt) as timed lyrics: the "WEBVTT" header, then cues (an optional
 * identifier, "[HH:]MM:SS.mmm --> [HH:]MM:SS.mmm [settings]", text lines) separated by blank
 * lines; NOTE, STYLE and REGION blocks are skipped. Karaoke-style timestamp tags inside a
 * cue ("<00:00:12.500>") become word times; other tags (<v>, <c>, <i>) are removed.
 */
#include "captions/mv_captions.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int starts_with_word(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    return len >= n && strncmp(s, word, n) == 0 && (len == n || isspace((unsigned char)s[n]));
}

/* Word times from timestamp tags: the words before the first tag start with the cue, each
 * tag starts the words after it. Only used when the cue holds at least one such tag. */
static int add_words(mv_timed_lyrics *l, size_t index, const char *s, size_t len)
{
    const mv_timed_line *line = &l->lines[index];
    double t = line->start;
    size_t i = 0;
    while (i < len) {
        if (s[i] == '<') {
            const char *close = memchr(s + i, '>', len - i);
            double stamp;
            if (close && mv_time_parse_hms(s + i + 1, (size_t)(close - s - i - 1), &stamp)) {
                t = stamp;
                i = (size_t)(close - s) + 1;
                continue;
            }
        }
        size_t n = 0;
        while (i + n < len) {
            if (s[i + n] == '<') {
                const char *close = memchr(s + i + n, '>', len - i - n);
                double stamp;
                if (close &&
                    mv_time_parse_hms(s + i + n + 1, (size_t)(close - s - i - n - 1), &stamp))
                    break;
            }
            n++;
        }
        char *chunk = mv_caption_clean_text(s + i, n);
        if (!chunk)
            return -1;
        char *save = NULL;
        for (char *w = strtok_r(chunk, " ", &save); w; w = strtok_r(NULL, " ", &save))
            if (mv_timed_add_word(l, index, w, t, t) != 0) {
                free(chunk);
                return -1;
            }
        free(chunk);
        i += n;
    }
    mv_timed_spread_words(&l->lines[index]);
    return 0;
}

static int has_timestamp_tag(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        const char *close = s[i] == '<' ? memchr(s + i, '>', len - i) : NULL;
        double t;
        if (close && mv_time_parse_hms(s + i + 1, (size_t)(close - s - i - 1), &t))
            return 1;
    }
    return 0;
}

maivid_code mv_vtt_parse(const char *text, mv_timed_lyrics *out, mv_error *err)
{
    memset(out, 0, sizeof *out);
    mv_line_reader r;
    mv_line_reader_init(&r, text);
    const char *s;
    size_t len;
    if (!mv_line_next(&r, &s, &len) || !starts_with_word(s, len, "WEBVTT"))
        return mv_fail(err, MAIVID_E_INVALID, "lyrics line 1: a WebVTT file must begin with "
                       "the line WEBVTT");
    while (mv_line_next(&r, &s, &len) && len > 0)
        ; /* header lines */
    maivid_code rc = MAIVID_OK;
    mv_buf cue = {0};
    while (rc == MAIVID_OK && mv_line_next(&r, &s, &len)) {
        if (len == 0)
            continue;
        if (starts_with_word(s, len, "NOTE") || starts_with_word(s, len, "STYLE") ||
            starts_with_word(s, len, "REGION")) {
            while (mv_line_next(&r, &s, &len) && len > 0)
                ;
            continue;
        }
        /* an identifier line comes before the times */
        if (!memmem(s, len, "-->", 3) && !mv_line_next(&r, &s, &len))
            len = 0;
        double start, end;
        rc = mv_cue_range(s, len, r.number, MV_LYRICS_VTT, &start, &end, err);
        if (rc == MAIVID_OK)
            rc = mv_cue_text(&r, &cue, err);
        if (rc != MAIVID_OK)
            break;
        const char *body = cue.data;
        char *clean = mv_caption_clean_text(body, cue.len);
        long index = clean && clean[0] ? mv_timed_add_line(out, clean, start, end, NULL) : -2;
        if (!clean || index == -1 ||
            (index >= 0 && has_timestamp_tag(body, cue.len) &&
             add_words(out, (size_t)index, body, cue.len) != 0))
            rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory while reading lyrics");
        free(clean);
    }
    mv_buf_free(&cue);
    return mv_user_timed_finish(out, rc);
}
