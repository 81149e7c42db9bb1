/*
 * mv_test_songgen.c - random, reproducible test songs for the analysis property tests (see
 * mv_test_songgen.h). A small splitmix64 generator turns the seed into the recipe and the
 * noise, so a failing seed can be replayed alone.
 */
#include "mv_test_songgen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mv_test_util.h"

#define MV_GEN_HOP_S (256.0 / 22050.0) /* the analyser's hop */
#define MV_GEN_CLICK_S 0.04            /* length of one click */

static uint64_t mv_gen_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi). */
static double mv_gen_uniform(uint64_t *state, double lo, double hi)
{
    return lo + (hi - lo) * (double)(mv_gen_next(state) >> 11) / 9007199254740992.0;
}

/* The click after the one at t. */
static double mv_gen_next_click(const mv_gen_song *s, double t)
{
    double bpm = s->change_at > 0 && t >= s->change_at ? s->bpm_after : s->bpm;
    double next = t + 60.0 / bpm;
    if (s->jump > 0 && t < s->jump_at && next >= s->jump_at)
        next += s->jump;
    return next;
}

double mv_gen_song_last_click(const mv_gen_song *s)
{
    double end = (double)s->frames / s->rate, last = -1;
    if (s->bpm <= 0)
        return -1;
    for (double t = s->first_click; t < end; t = mv_gen_next_click(s, t))
        last = t;
    return last;
}

/* Cuts the song to end a random part of a hop after its last click. */
static void mv_gen_end_in_last_hop(mv_gen_song *s, uint64_t *state)
{
    double last = mv_gen_song_last_click(s);
    if (last < 0)
        return;
    size_t click = (size_t)ceil(last * s->rate);
    size_t hop = (size_t)floor(MV_GEN_HOP_S * s->rate);
    s->frames = click + 1 + (size_t)mv_gen_uniform(state, 0, (double)(hop - 1));
}

void mv_gen_song_make(mv_gen_song *s, mv_gen_kind kind, uint64_t seed)
{
    memset(s, 0, sizeof *s);
    uint64_t state = seed * 0x2545f4914f6cdd1dull + (uint64_t)kind;
    s->kind = kind;
    s->seed = seed;
    int resampled = mv_gen_next(&state) % 5 == 0; /* one song in five: 44.1 kHz stereo */
    s->rate = resampled ? 44100 : 22050;
    s->channels = resampled ? 2 : 1;
    double seconds = mv_gen_uniform(&state, 1.5, 8);
    s->bpm = mv_gen_uniform(&state, 60, 200);
    s->first_click = mv_gen_uniform(&state, 0, 60.0 / s->bpm);
    s->pad = mv_gen_uniform(&state, 0, 0.1);
    switch (kind) {
    case MV_GEN_LAST_HOP:
    case MV_GEN_STEADY:
        break;
    case MV_GEN_TEMPO_CHANGE:
        seconds = mv_gen_uniform(&state, 4, 9);
        s->bpm_after = mv_gen_uniform(&state, 60, 200);
        /* half change mid-song, half in the last few beats (the grid's end is then unsteady) */
        s->change_at = seed & 2 ? seconds - mv_gen_uniform(&state, 0.5, 2.5)
                                : mv_gen_uniform(&state, 0.3, 0.7) * seconds;
        break;
    case MV_GEN_SILENCES:
        s->lead_silence = mv_gen_uniform(&state, 0, 2);
        s->silence_from = mv_gen_uniform(&state, 0.2, 0.5) * seconds;
        s->silence_to = s->silence_from + mv_gen_uniform(&state, 0.3, 3);
        s->tail_silence = mv_gen_uniform(&state, 0, 2);
        break;
    case MV_GEN_SILENT:
        seconds = mv_gen_uniform(&state, 0.001, 5);
        s->bpm = 0;
        s->pad = 0;
        break;
    case MV_GEN_NOISE:
        seconds = mv_gen_uniform(&state, 0.05, 5);
        s->bpm = 0;
        s->pad = 0;
        s->noise = mv_gen_uniform(&state, 0.02, 0.9);
        break;
    case MV_GEN_SHORT:
        seconds = mv_gen_uniform(&state, 0.002, 1.5);
        s->first_click = mv_gen_uniform(&state, 0, seconds);
        break;
    case MV_GEN_NOISY_CLICKS:
        s->noise = mv_gen_uniform(&state, 0.05, 0.4);
        break;
    case MV_GEN_PICKUP_END: {
        double period = 60.0 / s->bpm;
        s->jump = mv_gen_uniform(&state, 0.25, 0.75) * period;
        s->jump_at = seconds - mv_gen_uniform(&state, 0.5, 3.5) * period;
        break;
    }
    case MV_GEN_KIND_COUNT:
        break;
    }
    s->frames = (size_t)ceil(seconds * s->rate);
    if (kind == MV_GEN_LAST_HOP || kind == MV_GEN_NOISY_CLICKS || kind == MV_GEN_PICKUP_END ||
        (kind == MV_GEN_TEMPO_CHANGE && (seed & 1)))
        mv_gen_end_in_last_hop(s, &state);
    static const char *const names[] = {"last-hop", "steady", "tempo-change", "silences",
                                        "silent", "noise", "short", "noisy-clicks",
                                        "pickup-end"};
    char change[48] = "";
    if (s->change_at > 0)
        snprintf(change, sizeof change, " then %.1f bpm from %.2f s", s->bpm_after,
                 s->change_at);
    snprintf(s->description, sizeof s->description,
             "%s song, seed %llu: %.4f s at %d Hz, %.1f bpm%s, first click %.3f s, noise %.2f",
             names[kind], (unsigned long long)seed, (double)s->frames / s->rate, s->rate,
             s->bpm, change, s->first_click, s->noise);
}

int mv_gen_song_write(const char *path, const mv_gen_song *s)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    mv_test_wav_begin(f, s->rate, s->channels, s->frames);
    uint64_t state = s->seed ^ 0x5851f42d4c957f2dull;
    double end = (double)s->frames / s->rate;
    double click = s->first_click, next = s->bpm > 0 ? s->first_click : INFINITY;
    for (size_t i = 0; i < s->frames; i++) {
        double t = (double)i / s->rate;
        while (t >= next) {
            click = next;
            next = mv_gen_next_click(s, next);
        }
        double noise = mv_gen_uniform(&state, -1, 1);
        double v = s->pad * sin(2 * M_PI * 220.0 * t) + s->noise * noise;
        double since = t - click;
        if (s->bpm > 0 && since >= 0 && since < MV_GEN_CLICK_S)
            v += 0.5 * exp(-since * 120.0) * (0.6 * noise + 0.4 * sin(2 * M_PI * 90.0 * since));
        int silent = t < s->lead_silence || t >= end - s->tail_silence ||
                     (t >= s->silence_from && t < s->silence_to);
        mv_test_wav_sample(f, silent ? 0 : v, s->channels);
    }
    int rc = ferror(f) ? -1 : 0;
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}
