/*
 * stage_timing.c - the lyric timing step, run by the pipeline right after the analysis
 * stage (it needs the song's length and its audio) and before scene planning, so that
 * lyrics_timed.json and the caption sidecars exist before anything is planned or rendered.
 * A resumed job skips it when lyrics_timed.json is already there.
 *
 * Sources, best first; each optional one that fails leaves a warning and hands over to the
 * next, none fails the job:
 *   1. times the lyrics carry (LRC, enhanced LRC, SRT, WebVTT): the user's, or a
 *      transcription's when the lyrics stage had to transcribe the song;
 *   2. Suno's aligned lyrics, for a Suno song when the operator gave a session token;
 *   3. word times from the speech-to-text server, aligned to the known text;
 *   4. an estimate from the audio (vocal activity, section markers, syllable counts);
 *   5. when even that finds no voice: the lines spread evenly, confidence 0.1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/mv_analysis.h"
#include "captions/mv_align.h"
#include "captions/mv_captions.h"
#include "captions/mv_estimate.h"
#include "engine/mv_pipeline.h"
#include "ingest/mv_ingest_internal.h"

typedef struct timing_input {
    char *text;          /* source/lyrics.txt */
    char *origin;        /* source/lyrics_origin, or NULL */
    double duration;
    mv_song song;
    mv_lyrics known;     /* the text parsed (markers, lines) */
} timing_input;

static void input_free(timing_input *in)
{
    free(in->text);
    free(in->origin);
    mv_song_free(&in->song);
    mv_lyrics_free(&in->known);
}

static void warn(maivid_stage_context *ctx, const char *what, const mv_error *why,
                 const char *next)
{
    mv_task_warn(&ctx->task, "Lyric timing: %s (%s); %s.", what, why->message, next);
}

/* Step 1: times in the text itself. */
static int from_text(maivid_stage_context *ctx, timing_input *in, mv_timed_lyrics *out)
{
    mv_error why = {0};
    maivid_code rc = mv_user_timed_parse(in->text, in->duration, out, &why);
    if (rc == MAIVID_E_NOT_FOUND)
        return 0;
    if (rc != MAIVID_OK) {
        warn(ctx, "the lyrics' times could not be read", &why, "timing them another way");
        return 0;
    }
    if (out->line_count == 0) {
        mv_timed_lyrics_free(out);
        return 0;
    }
    if (in->origin && strcmp(in->origin, "speech_to_text") == 0) {
        out->source = MV_TIMING_STT;
        out->confidence = 0.6;
    }
    return 1;
}

/* Steps 2 and 3: heard words aligned to the known text. */
static int from_heard(maivid_stage_context *ctx, timing_input *in, mv_timing_source source,
                      mv_timed_lyrics *out)
{
    maivid_engine *e = ctx->engine;
    mv_heard_words heard;
    mv_error why = {0};
    maivid_code rc;
    const char *what;
    if (source == MV_TIMING_SUNO) {
        if (!e->suno_token || !in->song.song_id)
            return 0;
        what = "Suno's aligned lyrics could not be used";
        mv_task_progress(&ctx->task, 0.85, "Fetching Suno's aligned lyrics");
        rc = mv_suno_aligned_words(&e->fetch, in->song.song_id, e->suno_token, &ctx->task,
                                   &heard, &why);
    } else {
        if (!e->fetch.stt_url || !e->fetch.stt_url[0] || !ctx->audio_path)
            return 0;
        what = "the speech-to-text word times could not be used";
        mv_fetch_config cfg = e->fetch;
        cfg.allow_private_urls = 1; /* the operator's own server, as in the lyrics stage */
        rc = mv_stt_words(&cfg, ctx->audio_path, in->duration, &ctx->task, &heard, &why);
    }
    if (rc == MAIVID_OK) {
        rc = mv_align_known_text(&in->known, &heard, in->duration, source, out, &why);
        mv_heard_free(&heard);
    }
    if (rc == MAIVID_OK && out->line_count > 0)
        return 1;
    if (rc == MAIVID_OK)
        mv_timed_lyrics_free(out);
    if (rc == MAIVID_E_CANCELLED || mv_task_cancelled(&ctx->task))
        return -1;
    warn(ctx, what, &why, "timing the lyrics another way");
    return 0;
}

/* Step 5: evenly by syllables over the middle of the song. */
static maivid_code spread_evenly(const timing_input *in, mv_timed_lyrics *out)
{
    double from = in->duration * 0.05, to = in->duration * 0.95;
    size_t total = 0;
    for (size_t i = 0; i < in->known.line_count; i++)
        total += mv_syllable_count(in->known.lines[i].text) + 1;
    double t = from;
    for (size_t i = 0; i < in->known.line_count; i++) {
        const mv_lyric_line *line = &in->known.lines[i];
        double len = (to - from) * (double)(mv_syllable_count(line->text) + 1) / (double)total;
        const char *section = line->section < in->known.section_count
                                  ? in->known.sections[line->section].kind : NULL;
        if (mv_timed_add_line(out, line->text, t, t + len, section) < 0)
            return MAIVID_E_NOMEM;
        t += len;
    }
    out->source = MV_TIMING_ESTIMATED;
    out->confidence = 0.1;
    mv_timed_normalise(out, in->duration);
    return MAIVID_OK;
}

/* Step 4 (and 5). */
static maivid_code estimate(maivid_stage_context *ctx, timing_input *in, mv_timed_lyrics *out)
{
    mv_task_progress(&ctx->task, 0.9, "Finding where the voice sings");
    mv_vocal_track track;
    mv_error why = {0};
    maivid_code rc = ctx->audio_path ? mv_vocal_measure(ctx->audio_path, NULL, &track, &why)
                                     : mv_fail(&why, MAIVID_E_IO, "no audio");
    if (rc == MAIVID_OK) {
        mv_span *spans;
        size_t count = mv_vocal_spans(&track, &spans);
        rc = mv_estimate_timing(&in->known, spans, count, in->duration, out, &why);
        free(spans);
        mv_vocal_track_free(&track);
    }
    if (rc == MAIVID_OK && out->line_count > 0)
        return MAIVID_OK;
    if (rc == MAIVID_OK)
        mv_timed_lyrics_free(out);
    if (rc == MAIVID_E_NOMEM)
        return rc;
    warn(ctx, "no sung stretches were found to place the lines on", &why,
         "the lines are spread evenly over the song");
    return spread_evenly(in, out);
}

static maivid_code load_input(maivid_stage_context *ctx, timing_input *in)
{
    memset(in, 0, sizeof *in);
    char *lyrics_path = mv_job_path(ctx->job, "source/lyrics.txt");
    char *origin_path = mv_job_path(ctx->job, "source/" MV_LYRICS_ORIGIN_FILE);
    char *source_dir = mv_job_path(ctx->job, "source");
    char *analysis_path = mv_job_path(ctx->job, "analysis.json");
    maivid_code rc = MAIVID_OK;
    if (!lyrics_path || !origin_path || !source_dir || !analysis_path)
        rc = maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "out of memory");
    if (rc == MAIVID_OK && mv_file_exists(lyrics_path))
        rc = mv_read_file(lyrics_path, &in->text, NULL, &ctx->err);
    if (rc == MAIVID_OK && mv_file_exists(origin_path) &&
        mv_read_file(origin_path, &in->origin, NULL, NULL) != MAIVID_OK)
        in->origin = NULL;
    if (rc == MAIVID_OK && mv_song_load(source_dir, &in->song, NULL) != MAIVID_OK)
        memset(&in->song, 0, sizeof in->song); /* a plugged fetch stage may leave none */
    mv_analysis a;
    memset(&a, 0, sizeof a);
    if (rc == MAIVID_OK && mv_analysis_load(analysis_path, &a, NULL) == MAIVID_OK)
        in->duration = a.duration;
    mv_analysis_free(&a);
    if (in->duration <= 0)
        in->duration = in->song.duration;
    if (rc == MAIVID_OK)
        rc = mv_lyrics_parse(in->text ? in->text : "", &in->known, &ctx->err);
    if (rc == MAIVID_E_INVALID) {
        /* a damaged timed file: its text is still worth timing another way */
        mv_error_clear(&ctx->err);
        rc = MAIVID_OK;
    }
    free(lyrics_path);
    free(origin_path);
    free(source_dir);
    free(analysis_path);
    return rc;
}

static maivid_code time_lyrics(maivid_stage_context *ctx, timing_input *in,
                               mv_timed_lyrics *out)
{
    memset(out, 0, sizeof *out);
    if (in->known.line_count == 0 && !(in->text && mv_lyrics_detect_format(in->text)))
        return MAIVID_OK; /* instrumental: no lines, source none */
    if (from_text(ctx, in, out))
        return MAIVID_OK;
    if (in->known.line_count == 0)
        return MAIVID_OK;
    int got = from_heard(ctx, in, MV_TIMING_SUNO, out);
    if (got == 0)
        got = from_heard(ctx, in, MV_TIMING_STT, out);
    if (got < 0)
        return maivid_ctx_fail(ctx, MAIVID_E_CANCELLED, "cancelled");
    if (got > 0)
        return MAIVID_OK;
    maivid_code rc = estimate(ctx, in, out);
    if (rc != MAIVID_OK)
        return maivid_ctx_fail(ctx, rc, "out of memory while timing the lyrics");
    return MAIVID_OK;
}

static void publish(maivid_stage_context *ctx, const mv_timed_lyrics *l)
{
    maivid_engine *e = ctx->engine;
    pthread_mutex_lock(&e->lock);
    mv_strlcpy(ctx->job->timing.source, mv_timing_source_name(l->source),
               sizeof ctx->job->timing.source);
    ctx->job->timing.confidence = l->confidence;
    ctx->job->timing.lines = (int)l->line_count;
    ctx->job->timing.word_times = l->has_word_times;
    mv_pending_event ev;
    mv_job_changed_locked(e, ctx->job, 1, MAIVID_EVENT_PROGRESS, -1, &ev);
    mv_engine_unlock(e);
    mv_emit_event(e, &ev);
}

maivid_code mv_lyrics_timing_step(maivid_stage_context *ctx)
{
    timing_input in;
    mv_timed_lyrics timed;
    memset(&timed, 0, sizeof timed);
    maivid_code rc = load_input(ctx, &in);
    if (rc == MAIVID_OK)
        rc = time_lyrics(ctx, &in, &timed);
    char *dir = ctx->job->dir;
    char *path = mv_job_path(ctx->job, MV_TIMED_LYRICS_FILE);
    if (rc == MAIVID_OK && !path)
        rc = maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "out of memory");
    /* sidecars first: lyrics_timed.json is what marks the step complete */
    if (rc == MAIVID_OK)
        rc = mv_captions_write_sidecars(&timed, dir, &ctx->err);
    if (rc == MAIVID_OK)
        rc = mv_timed_lyrics_save(&timed, path, &ctx->err);
    if (rc == MAIVID_OK) {
        publish(ctx, &timed);
        char text[96];
        snprintf(text, sizeof text, timed.line_count ? "Lyrics timed (%s)" : "No lyrics to time",
                 mv_timing_source_name(timed.source));
        mv_task_progress(&ctx->task, 1.0, text);
    }
    free(path);
    mv_timed_lyrics_free(&timed);
    input_free(&in);
    return rc;
}
