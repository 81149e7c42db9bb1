/*
 * mv_test_songgen.h - random but reproducible test songs for the analysis property tests:
 * clicks at random tempos (with a tempo change, silent stretches, background noise), pure
 * silence, pure noise, songs of a few milliseconds, and songs that end just after a beat
 * (the last click inside the analyser's last hop). Each song comes from a seed alone.
 */
#ifndef MV_TEST_SONGGEN_H
#define MV_TEST_SONGGEN_H

#include <stddef.h>
#include <stdint.h>

typedef enum mv_gen_kind {
    MV_GEN_LAST_HOP,     /* steady clicks, the song ends within 11 ms after a click */
    MV_GEN_STEADY,       /* steady clicks, any length */
    MV_GEN_TEMPO_CHANGE, /* one tempo, then another */
    MV_GEN_SILENCES,     /* clicks with silence at the start, in the middle and at the end */
    MV_GEN_SILENT,       /* nothing but digital silence */
    MV_GEN_NOISE,        /* nothing but white noise */
    MV_GEN_SHORT,        /* a few milliseconds to a second and a half */
    MV_GEN_NOISY_CLICKS, /* clicks under loud noise, ending in the last hop */
    MV_GEN_PICKUP_END,   /* steady clicks whose last few jump off the grid (a fill, a
                            pickup), the song ending in the hop of the last one */
    MV_GEN_KIND_COUNT
} mv_gen_kind;

typedef struct mv_gen_song {
    mv_gen_kind kind;
    uint64_t seed;
    int rate, channels;
    size_t frames;            /* exact length in frames at `rate` */
    double bpm, bpm_after;    /* clicks per minute; 0: no clicks */
    double change_at;         /* seconds where bpm_after takes over (0: never) */
    double jump_at, jump;     /* the first click after jump_at comes `jump` s late */
    double first_click;       /* seconds */
    double silence_from, silence_to; /* a silent stretch (equal: none) */
    double lead_silence, tail_silence; /* silent seconds at the start and the end */
    double noise;             /* white noise amplitude, 0..1 */
    double pad;               /* a soft sine pad under the clicks */
    char description[160];
} mv_gen_song;

/* Fills `song` from `seed` (deterministic; the kind is part of the recipe). */
void mv_gen_song_make(mv_gen_song *song, mv_gen_kind kind, uint64_t seed);
/* Seconds from the start to the song's last click (or -1 when there is none). */
double mv_gen_song_last_click(const mv_gen_song *song);
/* Writes the song as a 16-bit PCM WAV. Returns 0 on success. */
int mv_gen_song_write(const char *path, const mv_gen_song *song);

#endif /* MV_TEST_SONGGEN_H */
