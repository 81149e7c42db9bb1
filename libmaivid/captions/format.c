/*
 * format.c - which timed-lyrics format a text is in (LRC, SRT, WebVTT or plain), the entry
 * point that parses any of them, and the small text helpers the parsers share (a line
 * reader that counts lines for error messages, markup removal).
 */
#include "captions/mv_captions.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "plan/mv_plan_parts.h"

void mv_line_reader_init(mv_line_reader *r, const char *text)
{
    r->p = text ? text : "";
    if ((unsigned char)r->p[0] == 0xEF && (unsigned char)r->p[1] == 0xBB &&
        (unsigned char)r->p[2] == 0xBF)
        r->p += 3;
    r->number = 0;
}

int mv_line_next(mv_line_reader *r, const char **start, size_t *len)
{
    if (!*r->p)
        return 0;
    const char *s = r->p;
    size_t n = strcspn(s, "\r\n");
    r->p = s + n;
    if (r->p[0] == '\r' && r->p[1] == '\n')
        r->p += 2;
    else if (*r->p)
        r->p++;
    r->number++;
    while (n > 0 && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    *start = s;
    *len = n;
    return 1;
}

static const struct {
    const char *name;
    const char *text;
} entities[] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&nbsp;", " "},
                {"&quot;", "\""}, {"&apos;", "'"}};

char *mv_caption_clean_text(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    int space = 1;
    for (size_t i = 0; i < len;) {
        char c = s[i];
        const char *close = NULL;
        if (c == '<' || c == '{')
            close = memchr(s + i, c == '<' ? '>' : '}', len - i);
        if (close) {
            i = (size_t)(close - s) + 1;
            continue;
        }
        const char *add = NULL;
        size_t skip = 1;
        if (c == '&')
            for (size_t e = 0; e < sizeof entities / sizeof entities[0]; e++) {
                size_t n = strlen(entities[e].name);
                if (len - i >= n && strncmp(s + i, entities[e].name, n) == 0) {
                    add = entities[e].text;
                    skip = n;
                    break;
                }
            }
        char ch = add ? add[0] : c;
        i += skip;
        if (isspace((unsigned char)ch)) {
            if (!space)
                out[o++] = ' ';
            space = 1;
            continue;
        }
        out[o++] = ch;
        space = 0;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    return out;
}

const char *mv_lyrics_format_name(mv_lyrics_format f)
{
    switch (f) {
    case MV_LYRICS_LRC: return "LRC";
    case MV_LYRICS_SRT: return "SRT";
    case MV_LYRICS_VTT: return "WebVTT";
    default: return "plain";
    }
}

/* A line that opens with "[<digits>:" is meant as an LRC time tag (well formed or not). */
static int looks_like_lrc_tag(const char *s, size_t len)
{
    size_t i = 1;
    if (len < 3 || s[0] != '[')
        return 0;
    while (i < len && isdigit((unsigned char)s[i]))
        i++;
    return i > 1 && i < len && s[i] == ':';
}

/* A line that reads like a cue's times: only timestamp characters (digits, ':', ',', '.')
 * before "-->", at least one ':' among them (so plain lyrics that happen to hold an arrow,
 * "love --> hate" or "24:7 all night --> home", stay plain text). */
static int looks_like_cue_times(const char *s, size_t len)
{
    const char *arrow = len >= 3 ? memmem(s, len, "-->", 3) : NULL;
    if (!arrow)
        return 0;
    size_t i = 0, end = (size_t)(arrow - s);
    while (i < end && isspace((unsigned char)s[i]))
        i++;
    while (end > i && isspace((unsigned char)s[end - 1]))
        end--;
    int colon = 0;
    if (i == end || !isdigit((unsigned char)s[i]))
        return 0;
    for (size_t k = i; k < end; k++) {
        if (s[k] == ':')
            colon = 1;
        else if (!isdigit((unsigned char)s[k]) && s[k] != ',' && s[k] != '.')
            return 0;
    }
    return colon;
}

mv_lyrics_format mv_lyrics_detect_format(const char *text)
{
    mv_line_reader r;
    mv_line_reader_init(&r, text);
    const char *s;
    size_t len;
    int first = 1;
    while (mv_line_next(&r, &s, &len)) {
        if (first && len >= 6 && strncmp(s, "WEBVTT", 6) == 0 &&
            (len == 6 || isspace((unsigned char)s[6])))
            return MV_LYRICS_VTT;
        if (len > 0)
            first = 0;
        if (looks_like_cue_times(s, len))
            return MV_LYRICS_SRT;
        if (looks_like_lrc_tag(s, len))
            return MV_LYRICS_LRC;
    }
    return MV_LYRICS_PLAIN;
}

/* Drops what lies past the song and clips what straddles its end. */
static void clip_to_song(mv_timed_lyrics *l, double duration)
{
    if (duration <= 0)
        return;
    mv_timed_normalise(l, duration);
}

maivid_code mv_user_timed_parse(const char *text, double duration, mv_timed_lyrics *out,
                                mv_error *err)
{
    memset(out, 0, sizeof *out);
    maivid_code rc;
    switch (mv_lyrics_detect_format(text)) {
    case MV_LYRICS_LRC: rc = mv_lrc_parse_timed(text, out, err); break;
    case MV_LYRICS_SRT: rc = mv_srt_parse(text, out, err); break;
    case MV_LYRICS_VTT: rc = mv_vtt_parse(text, out, err); break;
    default:
        return mv_fail(err, MAIVID_E_NOT_FOUND, "the lyrics carry no times");
    }
    if (rc == MAIVID_OK)
        clip_to_song(out, duration);
    return rc;
}

maivid_code mv_user_lyrics_check(const char *text, mv_error *err)
{
    mv_timed_lyrics l;
    maivid_code rc = mv_user_timed_parse(text, 0.0, &l, err);
    mv_timed_lyrics_free(&l);
    if (rc == MAIVID_E_NOT_FOUND) {
        mv_error_clear(err);
        return MAIVID_OK;
    }
    return rc;
}
