/*
 * lyrics_parse.c - turns lyrics text (plain or LRC, with or without section markers) into
 * lines grouped in sections, each line with its LRC time when it has one. Markers, time
 * tags, metadata tags and bracketed performance notes are structure, never line text.
 * SRT and WebVTT are read as the LRC they are equivalent to.
 */
#include "plan/mv_lyrics.h"
#include "plan/mv_plan_parts.h"
#include "captions/mv_captions.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define MV_LYRICS_MAX_STAMPS 32

typedef struct mv_lyrics_builder {
    mv_lyrics *out;
    size_t line_cap, section_cap;
    int current_implicit;  /* the open section was made without a marker */
    int blank_since_text;  /* a blank line came after the last text line */
    int compressed;        /* some line carried several time tags */
    long offset_ms;        /* from [offset:] */
} mv_lyrics_builder;

static char *mv_lyrics_trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

static maivid_code mv_lyrics_add_section(mv_lyrics_builder *b, const char *kind, int number,
                                         double start, int implicit, mv_error *err)
{
    mv_lyrics *l = b->out;
    if (l->section_count == b->section_cap) {
        size_t cap = b->section_cap ? b->section_cap * 2 : 8;
        mv_lyric_section *s = realloc(l->sections, cap * sizeof *s);
        if (!s)
            return mv_fail(err, MAIVID_E_NOMEM, "out of memory while parsing lyrics");
        l->sections = s;
        b->section_cap = cap;
    }
    mv_lyric_section *s = &l->sections[l->section_count];
    s->kind = mv_strdup(kind);
    if (!s->kind)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while parsing lyrics");
    s->number = number;
    s->start = start;
    s->first_line = l->line_count;
    s->line_count = 0;
    l->section_count++;
    b->current_implicit = implicit;
    b->blank_since_text = 0;
    return MAIVID_OK;
}

static maivid_code mv_lyrics_add_line(mv_lyrics_builder *b, const char *text, double time,
                                      mv_error *err)
{
    mv_lyrics *l = b->out;
    maivid_code rc;
    if (l->section_count == 0 || (b->current_implicit && b->blank_since_text &&
                                  l->sections[l->section_count - 1].line_count > 0)) {
        rc = mv_lyrics_add_section(b, "verse", 0, -1.0, 1, err);
        if (rc != MAIVID_OK)
            return rc;
    }
    if (l->line_count == b->line_cap) {
        size_t cap = b->line_cap ? b->line_cap * 2 : 32;
        mv_lyric_line *lines = realloc(l->lines, cap * sizeof *lines);
        if (!lines)
            return mv_fail(err, MAIVID_E_NOMEM, "out of memory while parsing lyrics");
        l->lines = lines;
        b->line_cap = cap;
    }
    mv_lyric_line *line = &l->lines[l->line_count];
    line->text = mv_strdup(text);
    if (!line->text)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while parsing lyrics");
    line->time = time;
    line->section = l->section_count - 1;
    l->line_count++;
    l->sections[l->section_count - 1].line_count++;
    b->blank_since_text = 0;
    return MAIVID_OK;
}

/* Removes "[...]" notes and squeezes blanks, in place. */
static void mv_lyrics_clean_text(char *text)
{
    char *out = text;
    int space = 1;
    for (char *p = text; *p;) {
        if (*p == '[') {
            char *close = strchr(p, ']');
            if (close) {
                p = close + 1;
                continue;
            }
        }
        if (isspace((unsigned char)*p)) {
            if (!space)
                *out++ = ' ';
            space = 1;
            p++;
            continue;
        }
        *out++ = *p++;
        space = 0;
    }
    while (out > text && out[-1] == ' ')
        out--;
    *out = '\0';
}

/* Words that are also sung, so alone on a line they are only markers in brackets. */
static int mv_lyrics_ambiguous_bare_marker(const char *s)
{
    static const char *const words[] = {"break", "drop", "solo", "hook", "end", "build",
                                        "ending", "coda"};
    char first[16];
    size_t n = 0;
    while (*s && isalpha((unsigned char)*s) && n + 1 < sizeof first)
        first[n++] = (char)tolower((unsigned char)*s++);
    first[n] = '\0';
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(first, words[i]) == 0)
            return 1;
    return 0;
}

static maivid_code mv_lyrics_parse_line(mv_lyrics_builder *b, char *raw, mv_error *err)
{
    char *line = mv_lyrics_trim(raw);
    if (*line == '\0') {
        b->blank_since_text = 1;
        return MAIVID_OK;
    }
    if (mv_lrc_metadata_tag(line, &b->offset_ms))
        return MAIVID_OK;

    double stamps[MV_LYRICS_MAX_STAMPS];
    size_t stamp_count = 0;
    while (*line == '[') {
        char *close = strchr(line, ']');
        double t;
        if (!close || !mv_lrc_parse_time(line + 1, (size_t)(close - line - 1), &t))
            break;
        if (stamp_count < MV_LYRICS_MAX_STAMPS)
            stamps[stamp_count++] = t;
        line = mv_lyrics_trim(close + 1);
    }
    if (stamp_count > 1)
        b->compressed = 1;
    double marker_time = stamp_count ? stamps[0] : -1.0;

    const char *kind = NULL;
    int number = 0;
    size_t n = strlen(line);
    if (line[0] == '[') {
        char *close = strchr(line, ']');
        if (close) {
            int known = mv_lyrics_marker_kind(line + 1, (size_t)(close - line - 1), 0, &kind,
                                              &number);
            line = mv_lyrics_trim(close + 1);
            if (known) {
                maivid_code rc = mv_lyrics_add_section(b, kind, number, marker_time, 0, err);
                if (rc != MAIVID_OK)
                    return rc;
            }
            if (*line == '\0')
                return MAIVID_OK;
        }
    } else if (n > 2 && line[0] == '(' && line[n - 1] == ')' &&
               !strchr(line + 1, '(') &&
               mv_lyrics_marker_kind(line + 1, n - 2, 1, &kind, &number)) {
        return mv_lyrics_add_section(b, kind, number, marker_time, 0, err);
    } else if (n > 1 && line[n - 1] == ':' &&
               mv_lyrics_marker_kind(line, n - 1, 1, &kind, &number)) {
        return mv_lyrics_add_section(b, kind, number, marker_time, 0, err);
    } else if (!mv_lyrics_ambiguous_bare_marker(line) &&
               mv_lyrics_marker_kind(line, n, 1, &kind, &number)) {
        return mv_lyrics_add_section(b, kind, number, marker_time, 0, err);
    }

    double word_time = -1.0;
    mv_lrc_strip_word_times(line, &word_time);
    mv_lyrics_clean_text(line);
    if (*line == '\0')
        return MAIVID_OK; /* a timed empty line: a pause, not a lyric */
    if (stamp_count == 0) {
        stamps[0] = word_time;
        stamp_count = 1;
    }
    for (size_t i = 0; i < stamp_count; i++) {
        maivid_code rc = mv_lyrics_add_line(b, line, stamps[i], err);
        if (rc != MAIVID_OK)
            return rc;
    }
    return MAIVID_OK;
}

typedef struct mv_sort_line {
    mv_lyric_line line;
    size_t order;
} mv_sort_line;

static int mv_lyrics_compare_time(const void *pa, const void *pb)
{
    const mv_sort_line *a = pa, *b = pb;
    double ta = a->line.time < 0 ? 1e18 : a->line.time;
    double tb = b->line.time < 0 ? 1e18 : b->line.time;
    if (ta != tb)
        return ta < tb ? -1 : 1;
    return a->order < b->order ? -1 : (a->order > b->order);
}

/* Compressed LRC ("[00:10][01:20]line") repeats lines out of order: sort them by time and
 * regroup sections as runs of lines that came from the same section. */
static maivid_code mv_lyrics_sort_compressed(mv_lyrics *l, mv_error *err)
{
    if (l->line_count == 0)
        return MAIVID_OK;
    mv_sort_line *tmp = calloc(l->line_count, sizeof *tmp);
    mv_lyric_section *sections = calloc(l->line_count, sizeof *sections);
    if (!tmp || !sections) {
        free(tmp);
        free(sections);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while parsing lyrics");
    }
    for (size_t i = 0; i < l->line_count; i++) {
        tmp[i].line = l->lines[i];
        tmp[i].order = i;
    }
    qsort(tmp, l->line_count, sizeof *tmp, mv_lyrics_compare_time);
    size_t count = 0;
    maivid_code rc = MAIVID_OK;
    for (size_t i = 0; i < l->line_count; i++) {
        l->lines[i] = tmp[i].line;
        size_t old = l->lines[i].section;
        if (i == 0 || old != tmp[i - 1].line.section) {
            sections[count].kind = mv_strdup(l->sections[old].kind);
            if (!sections[count].kind)
                rc = MAIVID_E_NOMEM;
            sections[count].number = l->sections[old].number;
            sections[count].start = -1.0;
            sections[count].first_line = i;
            sections[count].line_count = 0;
            count++;
        }
        l->lines[i].section = count - 1;
        sections[count - 1].line_count++;
    }
    for (size_t s = 0; s < l->section_count; s++)
        free(l->sections[s].kind);
    free(l->sections);
    free(tmp);
    l->sections = sections;
    l->section_count = count;
    if (rc != MAIVID_OK)
        return mv_fail(err, rc, "out of memory while parsing lyrics");
    return MAIVID_OK;
}

static void mv_lyrics_finish(mv_lyrics *l, long offset_ms)
{
    l->timed = 0;
    for (size_t i = 0; i < l->line_count; i++) {
        if (l->lines[i].time >= 0) {
            l->lines[i].time -= (double)offset_ms / 1000.0;
            if (l->lines[i].time < 0)
                l->lines[i].time = 0;
            l->timed = 1;
        }
    }
    for (size_t s = 0; s < l->section_count; s++) {
        mv_lyric_section *sec = &l->sections[s];
        if (sec->start >= 0) {
            sec->start -= (double)offset_ms / 1000.0;
            if (sec->start < 0)
                sec->start = 0;
            continue;
        }
        for (size_t i = 0; i < sec->line_count; i++) {
            double t = l->lines[sec->first_line + i].time;
            if (t >= 0) {
                sec->start = t;
                break;
            }
        }
    }
}

/* SRT and WebVTT become LRC first (the same lines and times), so the rest reads one form. */
static char *mv_lyrics_cues_as_lrc(const char *text, mv_error *err, maivid_code *rc)
{
    mv_lyrics_format f = mv_lyrics_detect_format(text);
    *rc = MAIVID_OK;
    if (f != MV_LYRICS_SRT && f != MV_LYRICS_VTT)
        return NULL;
    mv_timed_lyrics timed;
    *rc = mv_user_timed_parse(text, 0.0, &timed, err);
    mv_buf lrc = {0};
    if (*rc == MAIVID_OK && mv_captions_lrc(&timed, &lrc) != 0)
        *rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory while parsing lyrics");
    mv_timed_lyrics_free(&timed);
    if (*rc != MAIVID_OK)
        mv_buf_free(&lrc);
    return lrc.data;
}

maivid_code mv_lyrics_parse(const char *text, mv_lyrics *out, mv_error *err)
{
    memset(out, 0, sizeof *out);
    if (!text)
        return MAIVID_OK;
    maivid_code cue_rc;
    char *from_cues = mv_lyrics_cues_as_lrc(text, err, &cue_rc);
    if (cue_rc != MAIVID_OK)
        return cue_rc;
    if (from_cues) {
        maivid_code rc = mv_lyrics_parse(from_cues, out, err);
        free(from_cues);
        return rc;
    }
    if ((unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        text += 3;
    char *copy = mv_strdup(text);
    if (!copy)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while parsing lyrics");
    mv_lyrics_builder b = {.out = out};
    maivid_code rc = MAIVID_OK;
    char *p = copy;
    while (p && rc == MAIVID_OK) {
        char *eol = strpbrk(p, "\r\n");
        char *next = NULL;
        if (eol) {
            next = eol + 1;
            if (eol[0] == '\r' && eol[1] == '\n')
                next++;
            *eol = '\0';
        }
        rc = mv_lyrics_parse_line(&b, p, err);
        p = next;
    }
    free(copy);
    if (rc == MAIVID_OK && b.compressed)
        rc = mv_lyrics_sort_compressed(out, err);
    if (rc != MAIVID_OK) {
        mv_lyrics_free(out);
        return rc;
    }
    mv_lyrics_finish(out, b.offset_ms);
    return MAIVID_OK;
}

void mv_lyrics_free(mv_lyrics *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->line_count; i++)
        free(l->lines[i].text);
    for (size_t s = 0; s < l->section_count; s++)
        free(l->sections[s].kind);
    free(l->lines);
    free(l->sections);
    memset(l, 0, sizeof *l);
}
