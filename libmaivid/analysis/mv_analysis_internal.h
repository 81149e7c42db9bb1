/*
 * mv_analysis_internal.h - the pieces of the analysis stage that talk to each other but not
 * to the rest of the library: the streaming decoder, the growable number lists, the
 * per-hop analysers (tempo, onsets, energy, timbre) and the post-processing steps
 * (tempo octave correction, downbeats, sections).
 *
 * The pipeline: the decoder hands mono float blocks of MV_AN_HOP samples at
 * MV_AN_SAMPLE_RATE to every analyser; nothing keeps the whole song in memory, only per-hop
 * or per-frame summaries (a few bytes per 12 or 46 ms).
 */
#ifndef MV_ANALYSIS_INTERNAL_H
#define MV_ANALYSIS_INTERNAL_H

#include <pthread.h>
#include <stddef.h>

#include "analysis/mv_analysis.h"
#include "util/mv_common.h"

#define MV_AN_SAMPLE_RATE 22050 /* analysis rate: plenty for beats, energy and timbre */
#define MV_AN_HOP 256           /* samples per hop (11.6 ms) for tempo and onsets */
#define MV_AN_WIN 1024          /* FFT window for tempo, onsets and timbre */
#define MV_AN_FRAME_HOPS 4      /* hops per energy/timbre frame (46 ms) */
#define MV_AN_MFCC_COEFS 13     /* MFCC coefficients per frame (c0 is dropped later) */

/* ---- growable list of doubles (series.c) */
typedef struct mv_series {
    double *v;
    size_t n, cap;
} mv_series;

int mv_series_push(mv_series *s, double value); /* 0, or -1 when out of memory */
void mv_series_free(mv_series *s);
/* Hands the array over to the caller (NULL when empty) and empties the series. */
double *mv_series_take(mv_series *s, size_t *count);
/* Keeps a sorted list of times inside the song: drops the times after `duration` (and
 * below 0, which no analyser makes). Every list of times is clipped where it is made, so
 * analysis.json never holds a time its reader refuses. */
void mv_times_clip(double *times, size_t *count, double duration);

/* ---- streaming decoder (decode.c) */
/* Called for every block of exactly MV_AN_HOP mono samples (the last one zero-padded).
 * Returns MAIVID_OK to go on, or an error code (with err filled) to stop. */
typedef maivid_code (*mv_audio_block_fn)(void *ctx, const float *block, mv_error *err);

/* Decodes `path` once, resampled to mono float at MV_AN_SAMPLE_RATE, and streams it in
 * blocks. Reports progress from progress_from to progress_to and stops with
 * MAIVID_E_CANCELLED when the task is cancelled. *samples gets the number of real
 * (unpadded) samples. Missing/unreadable file: MAIVID_E_IO; not audio: MAIVID_E_MEDIA. */
maivid_code mv_audio_decode(const char *path, mv_audio_block_fn on_block, void *ctx,
                            const mv_task *task, double progress_from, double progress_to,
                            size_t *samples, mv_error *err);

/* ---- the block relay (relay.c): part of the analysers on a second thread. Blocks pushed
 * reach `fn` on the relay's thread in order; push waits while MV_RELAY_BLOCKS are queued.
 * After a failure of `fn` the rest are dropped and push returns that failure (err filled).
 * finish closes the queue, lets the thread take what is left, joins it and frees the
 * relay; it returns the first failure of `fn` (MAIVID_OK when none). Call finish after
 * every start, also when the decoding failed. Without a thread (the system refused one),
 * push runs `fn` itself. */
#define MV_RELAY_BLOCKS 64
typedef struct mv_block_relay {
    mv_audio_block_fn fn;
    void *ctx;
    float *ring; /* MV_RELAY_BLOCKS blocks of MV_AN_HOP samples */
    pthread_t thread;
    int started;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    size_t pushed, taken; /* blocks so far; under lock */
    int closed;           /* no more blocks come; under lock */
    maivid_code failed;   /* fn's first failure; under lock */
    mv_error err;         /* its message */
} mv_block_relay;
maivid_code mv_block_relay_start(mv_block_relay *r, mv_audio_block_fn fn, void *ctx,
                                 mv_error *err);
maivid_code mv_block_relay_push(mv_block_relay *r, const float *block, mv_error *err);
maivid_code mv_block_relay_finish(mv_block_relay *r, mv_error *err);

/* ---- tempo (tempo.c): aubio_tempo per hop, then the BPM and octave correction */
typedef struct mv_tempo_tracker mv_tempo_tracker;
mv_tempo_tracker *mv_tempo_new(void);
void mv_tempo_feed(mv_tempo_tracker *t, const float *hop);
/* Beat times (s, within [0, duration]) and BPM, folded into the 70..180 bpm range; 0 bpm
 * when no steady tempo.
 * `odf`/`odf_count`: onset strength per hop, used to pick the phase when halving; each beat
 * is then moved onto the nearest of the `onsets` close enough (aubio's beats are
 * predictions that drift by a few tens of ms; the onsets are where the hits really are). */
int mv_tempo_finish(mv_tempo_tracker *t, const float *odf, size_t odf_count,
                    const double *onsets, size_t onset_count, double duration, double **beats,
                    size_t *beat_count, double *bpm);
void mv_tempo_free(mv_tempo_tracker *t);
/* mv_tempo_finish's work on aubio's raw beat times (malloc'd, handed over; sorted): the same
 * result, testable without audio. */
int mv_tempo_from_beats(double *raw, size_t raw_count, const float *odf, size_t odf_count,
                        const double *onsets, size_t onset_count, double duration,
                        double **beats, size_t *beat_count, double *bpm);

/* Pure post-processing, testable on its own: estimates the BPM from beat times (robust mean
 * of the regular inter-beat intervals; 0 when fewer than 4 beats or no regular run). */
double mv_tempo_bpm_from_beats(const double *beats, size_t count);
/* Folds a beat list into 70..180 bpm: inserts mid-beats when too slow, drops every other
 * beat (keeping the phase with the stronger onsets) when too fast. Updates *bpm. */
int mv_tempo_fold_octave(double **beats, size_t *count, double *bpm, const float *odf,
                         size_t odf_count);
/* Moves each beat onto the nearest onset within a fifth of the beat period (onsets sorted);
 * keeps the beats in order and never puts two beats on one onset. Returns how many beats
 * have an onset (few: the "beats" are aubio's guesses in music without a pulse). */
size_t mv_tempo_snap_to_onsets(double *beats, size_t count, double period, const double *onsets,
                             size_t onset_count);

/* Repairs the stretches where aubio lost the beat: between two beats that sit in a steady
 * run (both intervals within 12 % of the local period), the beats are replaced by evenly
 * spaced ones snapped to onsets; the ends are walked from the nearest steady beat. */
int mv_tempo_repair_grid(double **beats, size_t *count, const double *onsets,
                         size_t onset_count);

/* ---- onsets (onsets.c): aubio_onset per hop, keeps onset times and the onset strength */
typedef struct mv_onset_tracker mv_onset_tracker;
mv_onset_tracker *mv_onsets_new(void);
int mv_onsets_feed(mv_onset_tracker *o, const float *hop); /* 0, -1 out of memory */
/* Hands over onset times (within [0, duration]) and the per-hop onset strength (odf, >= 0). */
void mv_onsets_finish(mv_onset_tracker *o, double duration, double **onsets,
                      size_t *onset_count, float **odf, size_t *odf_count);
void mv_onsets_free(mv_onset_tracker *o);
/* Onset strength at time t (s): the max of the odf within +-1 hop. */
double mv_odf_at(const float *odf, size_t odf_count, double t);

/* ---- energy (energy.c): RMS per frame of MV_AN_FRAME_HOPS hops */
typedef struct mv_energy_meter {
    double sum_squares;
    size_t hops;
    mv_series rms;
} mv_energy_meter;
int mv_energy_feed(mv_energy_meter *m, const float *hop); /* 0, -1 out of memory */
/* Flushes a partial frame, normalizes to 0..1 (by the 99th percentile, clipped) and hands
 * over the envelope. raw_rms (optional) gets the unnormalized copy. */
int mv_energy_finish(mv_energy_meter *m, float **energy, size_t *count, double **raw_rms);
void mv_energy_free(mv_energy_meter *m);
double mv_energy_rate(void); /* frames per second */

/* ---- bass (bass.c): energy below ~150 Hz per hop */
typedef struct mv_bass_meter {
    double low1, low2; /* low-pass filter state */
    float *energy;     /* per hop */
    size_t count, cap;
} mv_bass_meter;
int mv_bass_feed(mv_bass_meter *m, const float *hop); /* 0, -1 out of memory */
void mv_bass_free(mv_bass_meter *m);
/* How much the bass energy rises at t (s): after minus before, >= 0. */
double mv_bass_rise_at(const float *energy, size_t count, double t);

/* ---- timbre (timbre.c): mean MFCC per frame */
typedef struct mv_timbre_meter mv_timbre_meter;
mv_timbre_meter *mv_timbre_new(void);
int mv_timbre_feed(mv_timbre_meter *m, const float *hop); /* 0, -1 out of memory */
/* Frame-major array of MV_AN_MFCC_COEFS values per frame. */
void mv_timbre_finish(mv_timbre_meter *m, double **mfcc, size_t *frames);
void mv_timbre_free(mv_timbre_meter *m);

/* ---- sections (sections.c) */
/* Section boundaries where energy and timbre change (novelty between the windows before and
 * after each frame), tiling [0, duration], each with its mean energy relative to the
 * loudest section. `raw_rms` and `mfcc` are per frame at `frame_rate`. */
int mv_sections_find(const double *raw_rms, const double *mfcc, size_t frames,
                     double frame_rate, double duration, mv_section **sections,
                     size_t *section_count);
/* Fills sections[i].energy with each section's mean of `rms`, relative to the loudest. */
void mv_sections_set_energy(mv_section *sections, size_t count, const double *rms,
                            size_t frames, double frame_rate);

/* ---- downbeats (downbeats.c) */
/* Every 4th beat, with the phase whose beats have the strongest bass attacks (kick, bass
 * notes) and that best lines up with the section starts. `bass`: per-hop low-band energy.
 * Empty when there are fewer than 4 beats. */
int mv_downbeats_find(const double *beats, size_t beat_count, const float *bass,
                      size_t bass_count, const mv_section *sections, size_t section_count,
                      double **downbeats, size_t *downbeat_count);

#endif /* MV_ANALYSIS_INTERNAL_H */
