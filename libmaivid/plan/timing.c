/*
 * timing.c - where the scenes cut: at the song's structure (timed lyric sections, else the
 * detected sections), split or merged to the wanted count, each cut snapped to the nearest
 * downbeat or beat. The scenes tile [0, duration] with no gap and no overlap.
 */
#include "plan/mv_plan_parts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MV_PLAN_MAX_SCENES 120

static int mv_compare_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* Index of the value nearest to t in a sorted array, or -1 when empty. */
static long mv_nearest(const double *v, size_t n, double t)
{
    if (!v || n == 0)
        return -1;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == n)
        return (long)n - 1;
    if (lo > 0 && t - v[lo - 1] <= v[lo] - t)
        return (long)lo - 1;
    return (long)lo;
}

double mv_plan_snap(const mv_analysis *a, double t, double tolerance)
{
    long d = mv_nearest(a->downbeats, a->downbeat_count, t);
    if (d >= 0 && fabs(a->downbeats[d] - t) <= tolerance)
        return a->downbeats[d];
    long b = mv_nearest(a->beats, a->beat_count, t);
    if (b >= 0 && fabs(a->beats[b] - t) <= tolerance)
        return a->beats[b];
    return t;
}

double mv_plan_energy(const mv_analysis *a, double start, double end)
{
    if (end <= start)
        end = start + 1e-3;
    if (a->energy && a->energy_count > 0 && a->energy_rate > 0)
        return mv_analysis_energy_between(a, start, end);
    if (a->sections && a->section_count > 0) {
        double sum = 0, weight = 0;
        for (size_t i = 0; i < a->section_count; i++) {
            double lo = fmax(start, a->sections[i].start);
            double hi = fmin(end, a->sections[i].end);
            if (hi > lo) {
                sum += (hi - lo) * a->sections[i].energy;
                weight += hi - lo;
            }
        }
        if (weight > 0)
            return sum / weight;
    }
    return 0.5;
}

maivid_code mv_plan_structure_boundaries(const mv_analysis *a, const mv_lyrics *l,
                                         double **out, size_t *count, mv_error *err)
{
    size_t cap = (l ? l->section_count : 0) + a->section_count + 1;
    double *b = malloc(cap * sizeof *b);
    if (!b)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while planning scenes");
    size_t n = 0;
    if (l && l->timed)
        for (size_t s = 0; s < l->section_count; s++)
            if (l->sections[s].start > 0 && l->sections[s].start < a->duration)
                b[n++] = l->sections[s].start;
    if (n < 2) /* untimed lyrics, or timed lines without structure: the music's sections */
        for (size_t s = 1; s < a->section_count; s++)
            if (a->sections[s].start > 0 && a->sections[s].start < a->duration)
                b[n++] = a->sections[s].start;
    qsort(b, n, sizeof *b, mv_compare_double);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (kept == 0 || b[i] - b[kept - 1] >= 1.0)
            b[kept++] = b[i];
    *out = b;
    *count = kept;
    return MAIVID_OK;
}

/* Segment edges: 0, the boundaries, duration; then the shortest segment merges with its
 * shorter neighbour until none is shorter than min_len and there are at most max_count. */
static size_t mv_plan_segments(double duration, const double *bounds, size_t bound_count,
                               double min_len, size_t max_count, double *edges)
{
    size_t n = 0;
    edges[n++] = 0.0;
    for (size_t i = 0; i < bound_count; i++)
        if (bounds[i] > edges[n - 1] && bounds[i] < duration)
            edges[n++] = bounds[i];
    edges[n++] = duration;
    for (;;) {
        size_t segs = n - 1;
        size_t shortest = 0;
        for (size_t s = 1; s < segs; s++)
            if (edges[s + 1] - edges[s] < edges[shortest + 1] - edges[shortest])
                shortest = s;
        double len = edges[shortest + 1] - edges[shortest];
        if (segs <= 1 || (len >= min_len && segs <= max_count))
            break;
        /* drop the edge to the shorter neighbour */
        size_t drop;
        if (shortest == 0)
            drop = 1;
        else if (shortest == segs - 1)
            drop = shortest;
        else
            drop = (edges[shortest] - edges[shortest - 1] <
                    edges[shortest + 2] - edges[shortest + 1]) ? shortest : shortest + 1;
        memmove(&edges[drop], &edges[drop + 1], (n - drop - 1) * sizeof *edges);
        n--;
    }
    return n;
}

/* Scenes a segment of this length wants on its own (about 9 s each, 4 .. 15 s). */
static int mv_plan_natural_parts(double len)
{
    int k = (int)lround(len / MV_PLAN_TARGET_SCENE);
    int lo = (int)ceil(len / MV_PLAN_MAX_SCENE - 1e-9);
    int hi = (int)floor(len / MV_PLAN_MIN_SCENE + 1e-9);
    if (k > hi)
        k = hi;
    if (k < lo)
        k = lo;
    return k < 1 ? 1 : k;
}

int mv_plan_auto_scene_count(double duration, const double *bounds, size_t bound_count)
{
    double *edges = malloc((bound_count + 2) * sizeof *edges);
    if (!edges)
        return 1;
    size_t n = mv_plan_segments(duration, bounds, bound_count, MV_PLAN_MIN_SCENE,
                                bound_count + 1, edges);
    long total = 0;
    for (size_t s = 0; s + 1 < n; s++)
        total += mv_plan_natural_parts(edges[s + 1] - edges[s]);
    free(edges);
    if (total < 1)
        total = 1;
    if (total > MV_PLAN_MAX_SCENES)
        total = MV_PLAN_MAX_SCENES;
    return (int)total;
}

/* The beats just below and just above t (1 when both exist). */
static int mv_plan_beats_around(const mv_analysis *a, double t, double *below, double *above)
{
    long b = mv_nearest(a->beats, a->beat_count, t);
    if (b < 0)
        return 0;
    long lo = a->beats[b] <= t ? b : b - 1;
    if (lo < 0 || lo + 1 >= (long)a->beat_count)
        return 0;
    *below = a->beats[lo];
    *above = a->beats[lo + 1];
    return 1;
}

maivid_code mv_plan_scene_times(const mv_analysis *a, const double *bounds, size_t bound_count,
                                int count, int automatic, double *times, mv_error *err)
{
    double duration = a->duration;
    if (!(duration > 0))
        return mv_fail(err, MAIVID_E_INVALID,
                       "the song has no length (duration %.3f s): analyse the audio again",
                       duration);
    if (count < 1 || count > MV_PLAN_MAX_SCENES)
        return mv_fail(err, MAIVID_E_INVALID,
                       "scene_count %d is out of range: use 1 to 120, or 0 for automatic",
                       count);
    size_t n = (size_t)count;
    double *edges = malloc((bound_count + 2) * sizeof *edges);
    int *parts = malloc((bound_count + 1) * sizeof *parts);
    double *raw = malloc((n + 1) * sizeof *raw);
    int *strong = calloc(n + 1, sizeof *strong);
    if (!edges || !parts || !raw || !strong) {
        free(edges);
        free(parts);
        free(raw);
        free(strong);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while planning scenes");
    }
    double min_len = fmin(MV_PLAN_MIN_SCENE, 0.5 * duration / (double)n);
    size_t edge_count = mv_plan_segments(duration, bounds, bound_count, min_len, n, edges);
    size_t segs = edge_count - 1;

    /* Scenes per segment: the natural split when it adds up, else greedily to the segment
     * whose scenes are longest. */
    long natural = 0;
    for (size_t s = 0; s < segs; s++)
        natural += parts[s] = mv_plan_natural_parts(edges[s + 1] - edges[s]);
    if (natural != (long)n) {
        for (size_t s = 0; s < segs; s++)
            parts[s] = 1;
        for (size_t given = segs; given < n; given++) {
            size_t best = 0;
            for (size_t s = 1; s < segs; s++)
                if ((edges[s + 1] - edges[s]) / parts[s] >
                    (edges[best + 1] - edges[best]) / parts[best])
                    best = s;
            parts[best]++;
        }
    }

    /* Raw cuts: the segment edges plus even subdivisions. */
    size_t c = 0;
    for (size_t s = 0; s < segs; s++) {
        double len = edges[s + 1] - edges[s];
        for (int j = 0; j < parts[s]; j++) {
            raw[c] = edges[s] + len * j / parts[s];
            strong[c] = (j == 0);
            c++;
        }
    }
    raw[n] = duration;

    /* Snap, keeping every scene between floor and ceiling seconds long. */
    double min_raw = duration;
    for (size_t i = 0; i < n; i++)
        min_raw = fmin(min_raw, raw[i + 1] - raw[i]);
    double floor_len = automatic ? fmin(MV_PLAN_MIN_SCENE, min_raw)
                                 : fmin(MV_PLAN_MIN_SCENE, 0.6 * min_raw);
    /* automatic scenes stay within 15 s; asked-for counts may stretch a little for beats */
    double ceiling_len = MV_PLAN_MAX_SCENE + (automatic ? 1e-6 : 1.5);
    times[0] = 0.0;
    times[n] = duration;
    for (size_t i = 1; i < n; i++) {
        double tolerance = MV_PLAN_SNAP_TOLERANCE;
        if (!strong[i]) {
            /* a cut inside a segment may move further, to land on a bar */
            double piece = raw[i + 1] - raw[i];
            tolerance = fmin(fmax(0.2 * piece, MV_PLAN_SNAP_TOLERANCE), 2.5);
        }
        /* candidates: the nearest downbeat or beat, then the beats either side */
        double cand[3];
        size_t cand_count = 0;
        double snapped = mv_plan_snap(a, raw[i], tolerance);
        if (snapped != raw[i])
            cand[cand_count++] = snapped;
        double below, above;
        if (mv_plan_beats_around(a, raw[i], &below, &above)) {
            double first = raw[i] - below <= above - raw[i] ? below : above;
            double second = first == below ? above : below;
            if (fabs(first - raw[i]) <= fmax(tolerance, 1.0))
                cand[cand_count++] = first;
            if (fabs(second - raw[i]) <= fmax(tolerance, 1.0))
                cand[cand_count++] = second;
        }
        times[i] = raw[i];
        for (size_t k = 0; k < cand_count; k++) {
            double before = cand[k] - times[i - 1], after = raw[i + 1] - cand[k];
            /* scenes already longer than the maximum (few scenes asked for) may move */
            double before_max = raw[i] - raw[i - 1] > ceiling_len ? duration : ceiling_len;
            double after_max = raw[i + 1] - raw[i] > ceiling_len ? duration : ceiling_len;
            if (before >= floor_len - 1e-6 && after >= floor_len - 1e-6 && before <= before_max &&
                after <= after_max) {
                times[i] = cand[k];
                break;
            }
        }
    }
    free(edges);
    free(parts);
    free(raw);
    free(strong);
    return MAIVID_OK;
}
