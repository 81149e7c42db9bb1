/*
 * timed_build.c - building an mv_timed_lyrics piece by piece (the parsers and the timing
 * sources all do), then putting it in order: sorted, no overlaps, inside the song, so that
 * mv_timed_lyrics_check() holds. Also the syllable count the estimates spread lines by.
 */
#include "captions/mv_captions.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

long mv_timed_add_line(mv_timed_lyrics *l, const char *text, double start, double end,
                       const char *section)
{
    mv_timed_line *lines = realloc(l->lines, (l->line_count + 1) * sizeof *lines);
    if (!lines)
        return -1;
    l->lines = lines;
    mv_timed_line *line = &lines[l->line_count];
    memset(line, 0, sizeof *line);
    line->text = mv_strdup(text);
    line->section = section ? mv_strdup(section) : NULL;
    if (!line->text || (section && !line->section)) {
        free(line->text);
        free(line->section);
        return -1;
    }
    line->start = start;
    line->end = end;
    return (long)l->line_count++;
}

int mv_timed_add_word(mv_timed_lyrics *l, size_t index, const char *text, double start,
                      double end)
{
    mv_timed_line *line = &l->lines[index];
    mv_timed_word *words = realloc(line->words, (line->word_count + 1) * sizeof *words);
    if (!words)
        return -1;
    line->words = words;
    mv_timed_word *w = &words[line->word_count];
    w->text = mv_strdup(text);
    if (!w->text)
        return -1;
    w->start = start;
    w->end = end;
    line->word_count++;
    return 0;
}

void mv_timed_spread_words(mv_timed_line *line)
{
    size_t w = 0;
    while (w < line->word_count) {
        size_t run = 1;
        while (w + run < line->word_count && line->words[w + run].start <= line->words[w].start)
            run++;
        double from = line->words[w].start;
        double to = w + run < line->word_count ? line->words[w + run].start : line->end;
        for (size_t k = 0; k < run; k++) {
            line->words[w + k].start = from + (to - from) * (double)k / (double)run;
            line->words[w + k].end = from + (to - from) * (double)(k + 1) / (double)run;
        }
        w += run;
    }
}

void mv_timed_update_word_flag(mv_timed_lyrics *l)
{
    l->has_word_times = l->line_count > 0;
    for (size_t i = 0; i < l->line_count; i++)
        if (l->lines[i].word_count == 0)
            l->has_word_times = 0;
}

static int compare_start(const void *pa, const void *pb)
{
    const mv_timed_line *a = pa, *b = pb;
    return (a->start > b->start) - (a->start < b->start);
}

static void free_line(mv_timed_line *line)
{
    free(line->text);
    free(line->section);
    for (size_t w = 0; w < line->word_count; w++)
        free(line->words[w].text);
    free(line->words);
    memset(line, 0, sizeof *line);
}

/* Keeps the words inside [start, end] and in order; drops the ones left empty. */
static void clip_words(mv_timed_line *line)
{
    size_t kept = 0;
    double previous = line->start;
    for (size_t w = 0; w < line->word_count; w++) {
        mv_timed_word *word = &line->words[w];
        if (word->start < previous)
            word->start = previous;
        if (word->end > line->end)
            word->end = line->end;
        if (!(word->end > word->start + 1e-4)) {
            free(word->text);
            continue;
        }
        previous = word->end;
        line->words[kept++] = *word;
    }
    line->word_count = kept;
    if (kept == 0) {
        free(line->words);
        line->words = NULL;
    }
}

void mv_timed_normalise(mv_timed_lyrics *l, double duration)
{
    if (l->line_count > 1)
        qsort(l->lines, l->line_count, sizeof *l->lines, compare_start);
    size_t kept = 0;
    for (size_t i = 0; i < l->line_count; i++) {
        mv_timed_line *line = &l->lines[i];
        if (line->start < 0)
            line->start = 0;
        if (duration > 0 && line->end > duration)
            line->end = duration;
        if (i + 1 < l->line_count && line->end > l->lines[i + 1].start)
            line->end = l->lines[i + 1].start;
        if (kept > 0 && line->start < l->lines[kept - 1].end)
            line->start = l->lines[kept - 1].end;
        if (!(line->end > line->start + 1e-3) || !isfinite(line->start) ||
            !isfinite(line->end)) {
            free_line(line);
            continue;
        }
        clip_words(line);
        l->lines[kept++] = *line;
    }
    l->line_count = kept;
    if (kept == 0) {
        free(l->lines);
        l->lines = NULL;
    }
    mv_timed_update_word_flag(l);
}

static int is_vowel(unsigned char c)
{
    c = (unsigned char)tolower(c);
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y' || c >= 0x80;
}

size_t mv_syllable_count(const char *text)
{
    size_t total = 0;
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        while (*p && isspace(*p))
            p++;
        if (!*p)
            break;
        size_t groups = 0, letters = 0;
        int in_vowel = 0;
        const unsigned char *word = p;
        while (*p && !isspace(*p)) {
            if (isalpha(*p) || *p >= 0x80) {
                letters++;
                int v = is_vowel(*p);
                /* a UTF-8 sequence (accented letter, CJK) counts as one vowel group */
                if (*p >= 0x80) {
                    if ((*p & 0xC0) != 0x80)
                        groups++;
                    in_vowel = 0;
                } else {
                    if (v && !in_vowel)
                        groups++;
                    in_vowel = v;
                }
            }
            p++;
        }
        /* a silent final "e" ("fire", "time") when the word has another vowel group */
        size_t len = (size_t)(p - word);
        if (groups > 1 && len > 2 && tolower(word[len - 1]) == 'e' &&
            !is_vowel(word[len - 2]))
            groups--;
        if (letters > 0)
            total += groups ? groups : 1;
    }
    return total;
}

double mv_timed_default_length(const char *text)
{
    double t = 0.3 * (double)mv_syllable_count(text) + 0.4;
    return t < 1.0 ? 1.0 : t;
}
