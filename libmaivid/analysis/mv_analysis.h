/*
 * mv_analysis.h - audio analysis (stage analysis): decode once to mono float, then with aubio
 * the tempo, beats, onsets, an energy envelope, downbeats and section boundaries. Saved as
 * analysis.json in the job directory.
 */
#ifndef MV_ANALYSIS_H
#define MV_ANALYSIS_H

#include <stddef.h>

#include "util/mv_common.h"

typedef struct mv_section {
    double start, end; /* seconds */
    double energy;     /* mean RMS energy, 0..1 relative to the song's loudest section */
} mv_section;

typedef struct mv_analysis {
    double duration;     /* seconds, from decoding */
    double bpm;          /* 0 when no steady tempo */
    double *beats;       size_t beat_count;
    double *downbeats;   size_t downbeat_count;
    double *onsets;      size_t onset_count;
    float *energy;       size_t energy_count; /* RMS per hop, 0..1 */
    double energy_rate;  /* energy values per second */
    mv_section *sections; size_t section_count; /* tile [0, duration] */
} mv_analysis;

maivid_code mv_analyse_audio(const char *audio_path, mv_analysis *out, const mv_task *task,
                             mv_error *err);
void mv_analysis_free(mv_analysis *a);
/* Energy 0..1 averaged over [start, end). */
double mv_analysis_energy_between(const mv_analysis *a, double start, double end);
maivid_code mv_analysis_save(const mv_analysis *a, const char *path, mv_error *err);
maivid_code mv_analysis_load(const char *path, mv_analysis *out, mv_error *err);

#endif /* MV_ANALYSIS_H */
