/*
 * parse_lrc.c - LRC and enhanced LRC as timed lyrics: "[mm:ss.xx]" starts a line (several
 * tags repeat it), "<mm:ss.xx>" before a word starts the word and a last one after it ends
 * the line, an empty timed line ends the line before it, "[Verse]"-style markers name the
 * section of the lines after them (a timed one, "[01:10.00][Solo]", also ends the line
 * before it), "[offset:+/-ms]" shifts everything. Without an explicit
 * end a line lasts until the next one starts, but never longer than 7 s or twice its sung
 * length (captions are not left up through an instrumental stretch).
 */
#include "captions/mv_captions.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "plan/mv_plan_parts.h"

#define MV_LRC_MAX_TAGS 32
#define MV_LRC_NO_END (-1.0)

typedef struct lrc_state {
    mv_timed_lyrics *out;
    char section[24];
    long offset_ms;
    size_t line_no;
    mv_error *err;
} lrc_state;

static maivid_code bad_tag(lrc_state *st, const char *tag, size_t len, char open)
{
    return mv_fail(st->err, MAIVID_E_INVALID,
                   "lyrics line %zu: '%.*s' is not an LRC time; write %s with minutes, "
                   "seconds below 60 and hundredths, e.g. %s",
                   st->line_no, (int)(len > 40 ? 40 : len), tag,
                   open == '[' ? "[mm:ss.xx]" : "<mm:ss.xx>",
                   open == '[' ? "[01:02.50]" : "<01:02.50>");
}

/* Reads the words of an enhanced-LRC body ("<t>word <t>word <t>") into line `index`;
 * *end gets a closing tag's time or stays. */
static maivid_code read_words(lrc_state *st, size_t index, const char *s, size_t len,
                              double *end)
{
    mv_timed_line *line = &st->out->lines[index];
    double t = line->start;
    size_t i = 0;
    int tagged = 0;
    for (size_t k = 0; k + 1 < len && !tagged; k++)
        tagged = s[k] == '<' && isdigit((unsigned char)s[k + 1]);
    while (i < len) {
        if (s[i] == '<') {
            const char *close = memchr(s + i, '>', len - i);
            size_t tag_len = close ? (size_t)(close - s - i - 1) : 0;
            if (close && tag_len > 0 && isdigit((unsigned char)s[i + 1])) {
                if (!mv_lrc_parse_time(s + i + 1, tag_len, &t))
                    return bad_tag(st, s + i, tag_len + 2, '<');
                t -= (double)st->offset_ms / 1000.0;
                i += tag_len + 2;
                continue;
            }
        }
        /* text up to the next '<'; a '<' that opens no time ("<3") is text itself */
        size_t n = s[i] == '<' ? 1 : 0;
        while (i + n < len && s[i + n] != '<')
            n++;
        char *text = mv_caption_clean_text(s + i, n);
        if (!text)
            return mv_fail(st->err, MAIVID_E_NOMEM, "out of memory while reading lyrics");
        i += n;
        /* one chunk between tags may hold several words: they share its time */
        char *save = NULL;
        for (char *w = strtok_r(text, " ", &save); tagged && w; w = strtok_r(NULL, " ", &save))
            if (mv_timed_add_word(st->out, index, w, t, t) != 0) {
                free(text);
                return mv_fail(st->err, MAIVID_E_NOMEM, "out of memory while reading lyrics");
            }
        free(text);
    }
    line = &st->out->lines[index];
    if (line->word_count > 0 && t > line->words[line->word_count - 1].start)
        *end = t; /* the closing tag */
    return MAIVID_OK;
}

/* Removes "[...]" performance notes inside a line and the blanks they leave, in place. */
static void strip_notes(char *text)
{
    char *out = text;
    for (char *p = text; *p;) {
        char *close = *p == '[' ? strchr(p, ']') : NULL;
        if (close) {
            p = close + 1;
            continue;
        }
        if (*p == ' ' && (out == text || out[-1] == ' ')) {
            p++;
            continue;
        }
        *out++ = *p++;
    }
    while (out > text && out[-1] == ' ')
        out--;
    *out = '\0';
}

static maivid_code add_timed(lrc_state *st, const double *times, size_t count,
                             const char *body, size_t len)
{
    char *text = mv_caption_clean_text(body, len);
    if (!text)
        return mv_fail(st->err, MAIVID_E_NOMEM, "out of memory while reading lyrics");
    strip_notes(text);
    /* the line text without word tags */
    maivid_code rc = MAIVID_OK;
    for (size_t k = 0; k < count && rc == MAIVID_OK; k++) {
        double start = times[k] - (double)st->offset_ms / 1000.0;
        if (start < 0)
            start = 0;
        long index = mv_timed_add_line(st->out, text, start,
                                       text[0] ? MV_LRC_NO_END : start,
                                       st->section[0] ? st->section : NULL);
        if (index < 0) {
            rc = mv_fail(st->err, MAIVID_E_NOMEM, "out of memory while reading lyrics");
            break;
        }
        double end = MV_LRC_NO_END;
        if (text[0])
            rc = read_words(st, (size_t)index, body, len, &end);
        if (end > 0)
            st->out->lines[index].end = end;
    }
    free(text);
    return rc;
}

static maivid_code parse_line(lrc_state *st, const char *s, size_t len)
{
    if (len == 0)
        return MAIVID_OK;
    char buf[256];
    if (len < sizeof buf && s[0] == '[') {
        memcpy(buf, s, len);
        buf[len] = '\0';
        if (mv_lrc_metadata_tag(buf, &st->offset_ms))
            return MAIVID_OK;
    }
    double times[MV_LRC_MAX_TAGS];
    size_t count = 0, i = 0;
    while (i < len && s[i] == '[') {
        const char *close = memchr(s + i, ']', len - i);
        if (!close)
            break;
        size_t tag_len = (size_t)(close - s - i - 1);
        double t;
        if (!mv_lrc_parse_time(s + i + 1, tag_len, &t)) {
            if (tag_len > 0 && isdigit((unsigned char)s[i + 1]) && memchr(s + i, ':', tag_len))
                return bad_tag(st, s + i, tag_len + 2, '[');
            break;
        }
        if (count < MV_LRC_MAX_TAGS)
            times[count++] = t;
        i += tag_len + 2;
        while (i < len && isspace((unsigned char)s[i]))
            i++;
    }
    const char *body = s + i;
    size_t body_len = len - i;
    int marker_seen = 0;
    while (body_len > 0 && body[0] == '[') {
        const char *close = memchr(body, ']', body_len);
        const char *kind;
        int number;
        if (!close)
            break;
        /* a section marker names what follows; other brackets are performance notes */
        if (mv_lyrics_marker_kind(body + 1, (size_t)(close - body - 1), 0, &kind, &number)) {
            mv_strlcpy(st->section, kind, sizeof st->section);
            marker_seen = 1;
        }
        body_len -= (size_t)(close - body) + 1;
        body = close + 1;
        while (body_len > 0 && isspace((unsigned char)*body)) {
            body++;
            body_len--;
        }
    }
    if (body_len == 0 && marker_seen && count > 0)
        return add_timed(st, times, count, body, 0); /* a timed marker ends the line before */
    if (body_len == 0 && (marker_seen || count == 0))
        return MAIVID_OK;
    if (count == 0)
        return mv_fail(st->err, MAIVID_E_INVALID,
                       "lyrics line %zu has no time tag although the lyrics are LRC; put "
                       "[mm:ss.xx] before it, or remove it", st->line_no);
    return add_timed(st, times, count, body, body_len);
}

/* Ends: an empty timed line (end == start) ends the line before it; other lines run to
 * the next start, at most 7 s or twice their sung length. */
static void settle_ends(mv_timed_lyrics *l)
{
    for (size_t i = 0; i < l->line_count; i++) {
        mv_timed_line *line = &l->lines[i];
        if (line->end != MV_LRC_NO_END)
            continue;
        double cap = 2.0 * mv_timed_default_length(line->text);
        if (cap < 7.0)
            cap = 7.0;
        double end = line->start + cap;
        for (size_t j = i + 1; j < l->line_count; j++)
            if (l->lines[j].start > line->start) {
                if (l->lines[j].start < end)
                    end = l->lines[j].start;
                break;
            }
        line->end = end;
    }
    /* empty timed lines have served as ends: remove them */
    size_t kept = 0;
    for (size_t i = 0; i < l->line_count; i++) {
        if (l->lines[i].text[0] == '\0') {
            free(l->lines[i].text);
            free(l->lines[i].section);
            continue;
        }
        l->lines[kept++] = l->lines[i];
    }
    l->line_count = kept;
    for (size_t i = 0; i < l->line_count; i++)
        mv_timed_spread_words(&l->lines[i]);
}

static int compare_start(const void *pa, const void *pb)
{
    const mv_timed_line *a = pa, *b = pb;
    return (a->start > b->start) - (a->start < b->start);
}

maivid_code mv_lrc_parse_timed(const char *text, mv_timed_lyrics *out, mv_error *err)
{
    memset(out, 0, sizeof *out);
    lrc_state st = {.out = out, .err = err};
    mv_line_reader r;
    mv_line_reader_init(&r, text);
    const char *s;
    size_t len;
    maivid_code rc = MAIVID_OK;
    while (rc == MAIVID_OK && mv_line_next(&r, &s, &len)) {
        st.line_no = r.number;
        rc = parse_line(&st, s, len);
    }
    if (rc != MAIVID_OK)
        return mv_user_timed_finish(out, rc);
    /* repeated lines ("[00:10][01:20]...") come out of order; qsort is not stable, but
     * lines at one time are merged by the normalisation anyway */
    if (out->line_count > 1)
        qsort(out->lines, out->line_count, sizeof *out->lines, compare_start);
    settle_ends(out);
    return mv_user_timed_finish(out, MAIVID_OK);
}
