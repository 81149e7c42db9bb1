/*
 * align.c - known lyric text timed by heard words (see mv_align.h). Scores: an exact word
 * +3, a near one (misheard: edit distance within a third of the length) +1, any other pair
 * -1, a word on one side only -1. The best path is traced back; known words paired with a
 * heard word take its times, the others are placed between their timed neighbours at a
 * sung pace (words of a timed word's own line stay next to it, so a missing line does not
 * smear across an instrumental gap).
 */
#include "captions/mv_align.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "captions/mv_captions.h"

#define MV_ALIGN_MAX_CELLS (40u * 1000u * 1000u)
#define MV_WORD_MAX 48

enum { PAIR_NONE = 0, PAIR_EXACT, PAIR_NEAR, PAIR_OTHER };

int mv_heard_add(mv_heard_words *h, const char *text, double start, double end, double p)
{
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 64;
        mv_heard_word *v = realloc(h->v, cap * sizeof *v);
        if (!v)
            return -1;
        h->v = v;
        h->cap = cap;
    }
    char *copy = mv_strdup(text);
    if (!copy)
        return -1;
    h->v[h->n++] = (mv_heard_word){copy, start, end, p};
    return 0;
}

void mv_heard_free(mv_heard_words *h)
{
    for (size_t i = 0; i < h->n; i++)
        free(h->v[i].text);
    free(h->v);
    memset(h, 0, sizeof *h);
}

void mv_align_normalise(const char *word, char *out, size_t n)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)word; *p && o + 1 < n; p++)
        if (isalnum(*p) || *p >= 0x80)
            out[o++] = (char)tolower(*p);
    out[o] = '\0';
}

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[MV_WORD_MAX + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

static int pair_kind(const char *a, const char *b)
{
    if (!a[0] || !b[0])
        return PAIR_OTHER;
    if (strcmp(a, b) == 0)
        return PAIR_EXACT;
    size_t la = strlen(a), lb = strlen(b), longest = la > lb ? la : lb;
    if (longest >= 3 && edit_distance(a, b) * 3 <= longest)
        return PAIR_NEAR;
    return PAIR_OTHER;
}

static int pair_score(int kind)
{
    return kind == PAIR_EXACT ? 3 : kind == PAIR_NEAR ? 1 : -1;
}

typedef struct known_word {
    char norm[MV_WORD_MAX];
    char *text;      /* points into a line copy */
    size_t line;
    double start, end;
    int kind;        /* PAIR_* of its partner */
    double p;
} known_word;

/* Splits the known lines into words. */
static known_word *split_known(const mv_lyrics *known, char **copies, size_t *count)
{
    size_t cap = 64, n = 0;
    known_word *w = malloc(cap * sizeof *w);
    if (!w)
        return NULL;
    for (size_t i = 0; i < known->line_count; i++) {
        copies[i] = mv_strdup(known->lines[i].text);
        if (!copies[i]) {
            free(w);
            return NULL;
        }
        char *save = NULL;
        for (char *t = strtok_r(copies[i], " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
            if (n == cap) {
                known_word *g = realloc(w, (cap *= 2) * sizeof *w);
                if (!g) {
                    free(w);
                    return NULL;
                }
                w = g;
            }
            memset(&w[n], 0, sizeof w[n]);
            w[n].text = t;
            w[n].line = i;
            mv_align_normalise(t, w[n].norm, sizeof w[n].norm);
            n++;
        }
    }
    *count = n;
    return w;
}

/* The alignment itself: sets kind, start, end, p of paired known words. */
static int align(known_word *kw, size_t n, const mv_heard_words *heard, char (*hn)[MV_WORD_MAX])
{
    size_t m = heard->n;
    uint8_t *dir = malloc((n + 1) * (m + 1));
    int *prev = malloc((m + 1) * sizeof *prev), *cur = malloc((m + 1) * sizeof *cur);
    if (!dir || !prev || !cur) {
        free(dir);
        free(prev);
        free(cur);
        return -1;
    }
    for (size_t j = 0; j <= m; j++) {
        prev[j] = -(int)j;
        dir[j] = 2; /* from the left: a heard word alone */
    }
    for (size_t i = 1; i <= n; i++) {
        cur[0] = -(int)i;
        dir[i * (m + 1)] = 1; /* from above: a known word alone */
        for (size_t j = 1; j <= m; j++) {
            int diag = prev[j - 1] + pair_score(pair_kind(kw[i - 1].norm, hn[j - 1]));
            int up = prev[j] - 1, left = cur[j - 1] - 1;
            uint8_t d = 0;
            int best = diag;
            if (up > best) {
                best = up;
                d = 1;
            }
            if (left > best) {
                best = left;
                d = 2;
            }
            cur[j] = best;
            dir[i * (m + 1) + j] = d;
        }
        int *t = prev;
        prev = cur;
        cur = t;
    }
    size_t i = n, j = m;
    while (i > 0 && j > 0) {
        uint8_t d = dir[i * (m + 1) + j];
        if (d == 0) {
            known_word *k = &kw[i - 1];
            const mv_heard_word *h = &heard->v[j - 1];
            k->kind = pair_kind(k->norm, hn[j - 1]);
            k->start = h->start;
            k->end = h->end;
            k->p = h->p;
            i--;
            j--;
        } else if (d == 1) {
            i--;
        } else {
            j--;
        }
    }
    free(dir);
    free(prev);
    free(cur);
    return 0;
}

static double pace(const known_word *k)
{
    size_t s = mv_syllable_count(k->text);
    return 0.3 * (double)(s ? s : 1);
}

/* Places the unpaired words kw[a..b) between `from` and `to` (either may be < 0: open).
 * Words on the line of kw[a-1] follow it, words on the line of kw[b] lead into it, words
 * of lines in between sit centred in what is left (squeezed when it is too little). */
static void place_run(known_word *kw, size_t n, size_t a, size_t b)
{
    double from = a > 0 ? kw[a - 1].end : -1.0;
    double to = b < n ? kw[b].start : -1.0;
    double need = 0;
    for (size_t k = a; k < b; k++)
        need += pace(&kw[k]);
    if (from < 0)
        from = to - need > 0 ? to - need : 0;
    if (to < 0)
        to = from + need;
    double room = to - from;
    if (room <= 0)
        room = 0;
    double scale = need > room ? room / need : 1.0;
    /* the words of the line before, at pace right after it */
    size_t k = a;
    double t = from;
    while (k < b && a > 0 && kw[k].line == kw[a - 1].line) {
        kw[k].start = t;
        t += pace(&kw[k]) * scale;
        kw[k++].end = t;
    }
    /* the words of the line after, at pace right before it (filled backwards) */
    size_t z = b;
    double u = to;
    while (z > k && b < n && kw[z - 1].line == kw[b].line) {
        kw[z - 1].end = u;
        u -= pace(&kw[z - 1]) * scale;
        kw[z - 1].start = u;
        z--;
    }
    /* the middle: evenly over what is left, by pace */
    double mid_need = 0;
    for (size_t q = k; q < z; q++)
        mid_need += pace(&kw[q]);
    double step = mid_need > 0 ? (u - t) / mid_need : 0;
    if (step >= 1.0) {
        t += (u - t - mid_need) / 2.0; /* centred in the room left, at pace */
        step = 1.0;
    }
    for (size_t q = k; q < z; q++) {
        kw[q].start = t;
        t += pace(&kw[q]) * step;
        kw[q].end = t;
    }
}

static maivid_code build_lines(const mv_lyrics *known, known_word *kw, size_t n,
                               mv_timed_lyrics *out, mv_error *err)
{
    size_t w = 0;
    for (size_t i = 0; i < known->line_count; i++) {
        const mv_lyric_line *src = &known->lines[i];
        size_t first = w;
        while (w < n && kw[w].line == i)
            w++;
        if (w == first)
            continue;
        const char *section = src->section < known->section_count
                                  ? known->sections[src->section].kind : NULL;
        long index = mv_timed_add_line(out, src->text, kw[first].start, kw[w - 1].end,
                                       section);
        if (index < 0)
            return mv_fail(err, MAIVID_E_NOMEM, "out of memory while timing the lyrics");
        for (size_t k = first; k < w; k++)
            if (mv_timed_add_word(out, (size_t)index, kw[k].text, kw[k].start, kw[k].end))
                return mv_fail(err, MAIVID_E_NOMEM, "out of memory while timing the lyrics");
    }
    return MAIVID_OK;
}

maivid_code mv_align_known_text(const mv_lyrics *known, const mv_heard_words *heard,
                                double duration, mv_timing_source source,
                                mv_timed_lyrics *out, mv_error *err)
{
    memset(out, 0, sizeof *out);
    if (!known->line_count || !heard->n)
        return mv_fail(err, MAIVID_E_NOT_FOUND, "nothing to align (no lyrics or no words "
                       "heard)");
    char **copies = calloc(known->line_count, sizeof *copies);
    size_t n = 0;
    known_word *kw = copies ? split_known(known, copies, &n) : NULL;
    char (*hn)[MV_WORD_MAX] = malloc(heard->n * sizeof *hn);
    maivid_code rc = MAIVID_OK;
    if (!copies || !kw || !hn) {
        rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory while aligning the lyrics");
    } else if ((double)(n + 1) * (double)(heard->n + 1) > MV_ALIGN_MAX_CELLS) {
        rc = mv_fail(err, MAIVID_E_UNSUPPORTED, "the lyrics (%zu words) and the heard words "
                     "(%zu) are too long to align", n, heard->n);
    } else {
        for (size_t j = 0; j < heard->n; j++)
            mv_align_normalise(heard->v[j].text, hn[j], sizeof hn[j]);
        if (align(kw, n, heard, hn) != 0)
            rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory while aligning the lyrics");
    }
    size_t matched = 0;
    double p_sum = 0;
    for (size_t k = 0; rc == MAIVID_OK && k < n; k++) {
        if (kw[k].kind == PAIR_EXACT || kw[k].kind == PAIR_NEAR) {
            matched++;
            p_sum += kw[k].p;
        }
    }
    if (rc == MAIVID_OK && (n == 0 || matched * 4 < n))
        rc = mv_fail(err, MAIVID_E_NOT_FOUND, "only %zu of the %zu lyric words were heard, "
                     "too few to time the lyrics by", matched, n);
    if (rc == MAIVID_OK) {
        /* unpaired runs between paired words */
        size_t k = 0;
        while (k < n) {
            if (kw[k].kind != PAIR_NONE) {
                k++;
                continue;
            }
            size_t b = k;
            while (b < n && kw[b].kind == PAIR_NONE)
                b++;
            place_run(kw, n, k, b);
            k = b;
        }
        /* keep the words in order and each at least 50 ms long */
        double previous = 0;
        for (k = 0; k < n; k++) {
            if (kw[k].start < previous)
                kw[k].start = previous;
            if (kw[k].end < kw[k].start + 0.05)
                kw[k].end = kw[k].start + 0.05;
            previous = kw[k].end;
        }
        rc = build_lines(known, kw, n, out, err);
    }
    if (rc == MAIVID_OK) {
        out->source = source;
        out->confidence = ((double)matched / (double)n) * (p_sum / (double)matched);
        mv_timed_normalise(out, duration);
    } else {
        mv_timed_lyrics_free(out);
    }
    for (size_t i = 0; copies && i < known->line_count; i++)
        free(copies[i]);
    free(copies);
    free(kw);
    free(hn);
    return rc;
}
