/*
 * analyse.c - the analysis stage from end to end: decodes the song once, feeds every block
 * to the tempo, onset, energy and timbre analysers, then derives the BPM, downbeats and
 * sections (see mv_analysis.h). The tempo and timbre analysers take their blocks on a
 * second thread (relay.c) while the decoding thread runs the others: about half of the
 * work each, so on two cores the analysis takes a little over half the time (the example
 * song: 0.37-0.40 s against 0.66-0.67 s on one thread).
 */
#include "analysis/mv_analysis_internal.h"

#include <stdlib.h>
#include <string.h>

#define MV_DECODE_SHARE 0.9 /* part of the progress bar spent decoding and listening */

typedef struct mv_analysis_run {
    mv_tempo_tracker *tempo;
    mv_onset_tracker *onsets;
    mv_energy_meter energy;
    mv_bass_meter bass;
    mv_timbre_meter *timbre;
    mv_block_relay relay; /* to the tempo and timbre analysers' thread */
} mv_analysis_run;

/* On the relay's thread. */
static maivid_code mv_analysis_on_relayed_block(void *ctx, const float *block, mv_error *err)
{
    mv_analysis_run *run = ctx;
    mv_tempo_feed(run->tempo, block);
    if (mv_timbre_feed(run->timbre, block) != 0)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while analysing the song");
    return MAIVID_OK;
}

static maivid_code mv_analysis_on_block(void *ctx, const float *block, mv_error *err)
{
    mv_analysis_run *run = ctx;
    maivid_code rc = mv_block_relay_push(&run->relay, block, err);
    if (rc != MAIVID_OK)
        return rc;
    if (mv_onsets_feed(run->onsets, block) != 0 || mv_energy_feed(&run->energy, block) != 0 ||
        mv_bass_feed(&run->bass, block) != 0)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while analysing the song");
    return MAIVID_OK;
}

static void mv_analysis_run_free(mv_analysis_run *run)
{
    mv_tempo_free(run->tempo);
    mv_onsets_free(run->onsets);
    mv_energy_free(&run->energy);
    mv_bass_free(&run->bass);
    mv_timbre_free(run->timbre);
}

/* Everything after decoding: energy, onsets, tempo, sections and downbeats into `out`. */
static maivid_code mv_analysis_derive(mv_analysis_run *run, mv_analysis *out, mv_error *err)
{
    double *raw_rms = NULL, *mfcc = NULL;
    float *odf = NULL;
    size_t odf_count = 0, mfcc_frames = 0;
    maivid_code rc = MAIVID_OK;
    mv_onsets_finish(run->onsets, out->duration, &out->onsets, &out->onset_count, &odf,
                     &odf_count);
    mv_timbre_finish(run->timbre, &mfcc, &mfcc_frames);
    if (mv_energy_finish(&run->energy, &out->energy, &out->energy_count, &raw_rms) != 0 ||
        mv_tempo_finish(run->tempo, odf, odf_count, out->onsets, out->onset_count,
                        out->duration, &out->beats, &out->beat_count, &out->bpm) != 0) {
        rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory while analysing the song");
        goto done;
    }
    out->energy_rate = mv_energy_rate();
    size_t frames = out->energy_count < mfcc_frames ? out->energy_count : mfcc_frames;
    if (mv_sections_find(raw_rms, mfcc, frames, out->energy_rate, out->duration,
                         &out->sections, &out->section_count) != 0 ||
        mv_downbeats_find(out->beats, out->beat_count, run->bass.energy, run->bass.count,
                          out->sections, out->section_count, &out->downbeats, &out->downbeat_count) != 0)
        rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory while analysing the song");
done:
    free(raw_rms);
    free(mfcc);
    free(odf);
    return rc;
}

maivid_code mv_analyse_audio(const char *audio_path, mv_analysis *out, const mv_task *task,
                             mv_error *err)
{
    if (!out)
        return mv_fail(err, MAIVID_E_INVALID, "mv_analyse_audio needs an output record");
    memset(out, 0, sizeof *out);
    if (!audio_path || !*audio_path)
        return mv_fail(err, MAIVID_E_INVALID, "no song to analyse; pass the audio file path");
    mv_analysis_run run;
    memset(&run, 0, sizeof run);
    run.tempo = mv_tempo_new();
    run.onsets = mv_onsets_new();
    run.timbre = mv_timbre_new();
    if (!run.tempo || !run.onsets || !run.timbre) {
        mv_analysis_run_free(&run);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while preparing the audio analysis");
    }
    mv_task_progress(task, 0, "analysing the song");
    size_t samples = 0;
    maivid_code rc = mv_block_relay_start(&run.relay, mv_analysis_on_relayed_block, &run, err);
    if (rc == MAIVID_OK) {
        rc = mv_audio_decode(audio_path, mv_analysis_on_block, &run, task, 0,
                             MV_DECODE_SHARE, &samples, err);
        mv_error relay_err;
        mv_error_clear(&relay_err);
        maivid_code relay_rc = mv_block_relay_finish(&run.relay, &relay_err);
        if (rc == MAIVID_OK && relay_rc != MAIVID_OK) {
            rc = relay_rc;
            if (err)
                *err = relay_err;
        }
    }
    if (rc == MAIVID_OK && mv_task_cancelled(task))
        rc = mv_fail(err, MAIVID_E_CANCELLED, "the analysis of %s was cancelled", audio_path);
    if (rc == MAIVID_OK) {
        out->duration = (double)samples / MV_AN_SAMPLE_RATE;
        rc = mv_analysis_derive(&run, out, err);
    }
    mv_analysis_run_free(&run);
    if (rc != MAIVID_OK) {
        mv_analysis_free(out);
        return rc;
    }
    mv_task_progress(task, 1, "song analysed");
    return MAIVID_OK;
}

void mv_analysis_free(mv_analysis *a)
{
    if (!a)
        return;
    free(a->beats);
    free(a->downbeats);
    free(a->onsets);
    free(a->energy);
    free(a->sections);
    memset(a, 0, sizeof *a);
}
