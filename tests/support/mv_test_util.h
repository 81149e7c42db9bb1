/*
 * mv_test_util.h - helpers every test shares: a fresh temporary directory per test and
 * synthesized songs (WAV) with known tempo and structure.
 */
#ifndef MV_TEST_UTIL_H
#define MV_TEST_UTIL_H

#include <stddef.h>
#include <stdio.h>

/* Creates and returns a new empty directory under $MAIVID_TEST_TMP (or /tmp), named after
 * `name` plus a unique suffix. Caller frees. */
char *mv_test_tmpdir(const char *name);

typedef struct mv_test_song {
    double seconds;     /* length */
    double bpm;         /* click/drum hits on every beat; 0: none */
    double loud_start;  /* a louder "chorus" (extra tones, higher gain) in [loud_start, */
    double loud_end;    /*  loud_end); equal: none */
    int sample_rate;    /* default 44100 when 0 */
    int channels;       /* default 2 when 0 */
} mv_test_song;

/* 16-bit PCM WAV pieces: the header for `frames` frames, then each frame's value (-1..1,
 * clipped) written to every channel. */
void mv_test_wav_begin(FILE *f, int rate, int channels, size_t frames);
void mv_test_wav_sample(FILE *f, double v, int channels);

/* Writes a 16-bit PCM WAV of the described song. Returns 0 on success. */
int mv_test_write_song_wav(const char *path, const mv_test_song *song);

/* Temporary files anywhere under `dir` (each printed): names with .tmp, .part (.partial),
 * the download and remux temporaries, render checkpoints (*.pk) and render/ folders, none
 * of which a finished or failed job may keep. Returns how many. */
int mv_test_count_temp_files(const char *dir);

/* The threads of this process right now (/proc/self/task), -1 when it cannot be read: a test
 * compares it before and after to prove nothing was left running. */
int mv_test_thread_count(void);
/* The thread count once it equals `expected`, polled for up to timeout_s, else the count at
 * the end. A joined thread leaves /proc/self/task a moment after pthread_join returns (the
 * kernel wakes the joiner when the thread clears its id, before its exit is complete), so a
 * count taken right after a join can still include it; a thread left running stays counted.
 * Taking the "before" count with expected 1 lets an earlier test's threads finish leaving. */
int mv_test_thread_count_settled(int expected, double timeout_s);

#endif /* MV_TEST_UTIL_H */
