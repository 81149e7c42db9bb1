/*
 * estimate.c - untimed lyric lines spread over the sung stretches (see mv_estimate.h).
 *
 * Every line starts at the start of a sung stretch (singers breathe between lines), so the
 * choice is which stretch each line starts at. A dynamic programme picks the starts that
 * cost least, where a line's cost is
 *   - how far its sung time (the voiced seconds until the next line) is from its syllable
 *     count times the song's pace (voiced seconds per syllable), on a log scale;
 *   - a long pause inside it (a line does not run across an instrumental gap);
 *   - minus a reward for starting after a pause, larger for the first line of a section
 *     (sections begin after the longest pauses);
 * and voiced stretches before the first or after the last line cost their length (an
 * intro hum, an outro ad-lib). A line ends where its last stretch ends.
 */
#include "captions/mv_estimate.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "captions/mv_captions.h"

#define MV_EST_MAX_SPANS_PER_LINE 48
#define MV_EST_LONG_PAUSE 1.2   /* s: a pause this long inside a line costs */
#define MV_EST_W_LENGTH 4.0
#define MV_EST_W_PAUSE 3.0
#define MV_EST_W_BREATH 0.6
#define MV_EST_W_SECTION 1.5
#define MV_EST_W_SKIP 2.0       /* per voiced second left without a line */

typedef struct est {
    const mv_span *s;
    size_t k;               /* spans */
    double *voiced;         /* prefix sums of span lengths: voiced[b] - voiced[a] */
    double pace;            /* voiced seconds per syllable */
} est;

static double pause_before(const est *e, size_t a)
{
    return a == 0 ? e->s[0].start : e->s[a].start - e->s[a - 1].end;
}

static double line_cost(const est *e, size_t syllables, int section_start, size_t a, size_t b)
{
    double voiced = e->voiced[b] - e->voiced[a];
    double expect = (double)(syllables ? syllables : 1) * e->pace;
    double r = log(voiced / expect);
    double cost = MV_EST_W_LENGTH * r * r;
    double longest = 0;
    for (size_t j = a + 1; j < b; j++)
        if (pause_before(e, j) > longest)
            longest = pause_before(e, j);
    if (longest > MV_EST_LONG_PAUSE)
        cost += MV_EST_W_PAUSE * (longest - MV_EST_LONG_PAUSE + 0.5);
    double p = pause_before(e, a);
    cost -= MV_EST_W_BREATH * (p < 1.5 ? p : 1.5) / 1.5;
    if (section_start)
        cost -= MV_EST_W_SECTION * (p < 4.0 ? p : 4.0) / 4.0;
    return cost;
}

/* The DP: best[i * (k + 1) + a] = least cost of lines 0..i-1 with line i starting at a. */
static int choose_starts(const est *e, const size_t *syl, const int *section_start, size_t n,
                         size_t *start_of)
{
    size_t k = e->k, w = k + 1;
    double *best = malloc((n + 1) * w * sizeof *best);
    size_t *from = malloc((n + 1) * w * sizeof *from);
    if (!best || !from) {
        free(best);
        free(from);
        return -1;
    }
    for (size_t i = 0; i < (n + 1) * w; i++)
        best[i] = INFINITY;
    for (size_t a = 0; a < k; a++)
        best[a] = MV_EST_W_SKIP * e->voiced[a]; /* voiced before the first line */
    for (size_t i = 0; i < n; i++)
        for (size_t a = i; a < k; a++) {
            double here = best[i * w + a];
            if (!isfinite(here))
                continue;
            size_t last = a + MV_EST_MAX_SPANS_PER_LINE < k ? a + MV_EST_MAX_SPANS_PER_LINE : k;
            for (size_t b = a + 1; b <= last; b++) {
                if (k - b < n - i - 1)
                    break; /* the lines after need a stretch each */
                double c = here + line_cost(e, syl[i], section_start[i], a, b);
                if (c < best[(i + 1) * w + b]) {
                    best[(i + 1) * w + b] = c;
                    from[(i + 1) * w + b] = a;
                }
            }
        }
    /* the last line ends at some b; voiced after it costs */
    size_t end = k;
    double least = INFINITY;
    for (size_t b = n; b <= k; b++) {
        double c = best[n * w + b] + MV_EST_W_SKIP * (e->voiced[k] - e->voiced[b]);
        if (c < least) {
            least = c;
            end = b;
        }
    }
    int ok = isfinite(least);
    for (size_t i = n; ok && i > 0; i--) {
        start_of[i] = end;
        end = from[i * w + end];
    }
    start_of[0] = end;
    free(best);
    free(from);
    return ok ? 0 : -1;
}

maivid_code mv_estimate_timing(const mv_lyrics *known, const mv_span *spans, size_t count,
                               double duration, mv_timed_lyrics *out, mv_error *err)
{
    memset(out, 0, sizeof *out);
    size_t n = known->line_count;
    if (n == 0)
        return MAIVID_OK;
    if (count < n)
        return mv_fail(err, MAIVID_E_NOT_FOUND, "found %zu sung stretches in the audio for %zu "
                       "lyric lines; too few to place them", count, n);
    est e = {.s = spans, .k = count};
    e.voiced = malloc((count + 1) * sizeof *e.voiced);
    size_t *syl = malloc(n * sizeof *syl), *start_of = malloc((n + 1) * sizeof *start_of);
    int *section_start = malloc(n * sizeof *section_start);
    maivid_code rc = MAIVID_OK;
    if (!e.voiced || !syl || !start_of || !section_start) {
        rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory while placing the lyrics");
        goto done;
    }
    e.voiced[0] = 0;
    for (size_t j = 0; j < count; j++)
        e.voiced[j + 1] = e.voiced[j] + (spans[j].end - spans[j].start);
    size_t total_syl = 0;
    for (size_t i = 0; i < n; i++) {
        syl[i] = mv_syllable_count(known->lines[i].text);
        total_syl += syl[i] ? syl[i] : 1;
        section_start[i] = i > 0 && known->lines[i].section != known->lines[i - 1].section;
    }
    e.pace = e.voiced[count] / (double)total_syl;
    if (choose_starts(&e, syl, section_start, n, start_of) != 0) {
        rc = mv_fail(err, MAIVID_E_NOT_FOUND, "could not place %zu lyric lines on the %zu sung "
                     "stretches found", n, count);
        goto done;
    }
    double placed = 0;
    for (size_t i = 0; i < n; i++) {
        size_t a = start_of[i], b = start_of[i + 1];
        const mv_lyric_line *line = &known->lines[i];
        const char *section = line->section < known->section_count
                                  ? known->sections[line->section].kind : NULL;
        placed += e.voiced[b] - e.voiced[a];
        if (mv_timed_add_line(out, line->text, spans[a].start, spans[b - 1].end, section) < 0) {
            rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory while placing the lyrics");
            goto done;
        }
    }
    out->source = MV_TIMING_ESTIMATED;
    /* an estimate is never trusted like a measurement: at most 0.5, less when much of the
     * voice found was left without a line */
    out->confidence = 0.5 * (e.voiced[count] > 0 ? placed / e.voiced[count] : 0);
    mv_timed_normalise(out, duration);
done:
    if (rc != MAIVID_OK)
        mv_timed_lyrics_free(out);
    free(e.voiced);
    free(syl);
    free(start_of);
    free(section_start);
    return rc;
}
