/*
 * stages_plan.c - the built-in analysis and scene-planning stages: analyse the audio into
 * analysis.json, then turn it with the lyrics and the style into storyboard.json, and copy
 * the scene list into the job's status so callers see the plan before any image exists.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/mv_pipeline.h"
#include "render/mv_render.h"

maivid_code mv_builtin_analysis(maivid_stage_context *ctx)
{
    if (!ctx->audio_path)
        return maivid_ctx_fail(ctx, MAIVID_E_MEDIA,
                               "no source/audio.* in the job directory: the download stage "
                               "must leave the song there");
    mv_analysis a;
    memset(&a, 0, sizeof a);
    maivid_code rc = mv_analyse_audio(ctx->audio_path, &a, &ctx->task, &ctx->err);
    char *path = mv_job_path(ctx->job, "analysis.json");
    if (rc == MAIVID_OK)
        rc = path ? mv_analysis_save(&a, path, &ctx->err)
                  : maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "out of memory");
    if (rc == MAIVID_OK) {
        pthread_mutex_lock(&ctx->engine->lock);
        ctx->job->bpm = a.bpm;
        mv_engine_unlock(ctx->engine);
    }
    free(path);
    mv_analysis_free(&a);
    return rc;
}

/* Copies the storyboard's scenes into the job (for the status), keeping image states of a
 * resumed job whose scenes did not change. */
void mv_job_set_scenes_from_plan(maivid_engine *e, mv_job *job, const mv_plan *plan);
void mv_job_set_scenes_from_plan(maivid_engine *e, mv_job *job, const mv_plan *plan)
{
    mv_job_scene *scenes = calloc(plan->scene_count ? plan->scene_count : 1, sizeof *scenes);
    if (!scenes)
        return;
    pthread_mutex_lock(&e->lock);
    for (size_t i = 0; i < plan->scene_count; i++) {
        const mv_plan_scene *p = &plan->scenes[i];
        scenes[i].index = (int)i;
        scenes[i].start = p->start;
        scenes[i].end = p->end;
        scenes[i].lyrics = mv_strdup(p->lyrics ? p->lyrics : "");
        scenes[i].prompt = mv_strdup(p->prompt ? p->prompt : "");
        scenes[i].drawn = mv_strdup(p->drawn ? p->drawn : "");
        scenes[i].unmatched = mv_strdup(p->unmatched ? p->unmatched : "");
        scenes[i].clips = p->clips;
        if (i < job->scene_count && job->scenes[i].prompt && p->prompt &&
            strcmp(job->scenes[i].prompt, p->prompt) == 0) {
            scenes[i].state = job->scenes[i].state;
            scenes[i].image_path = mv_strdup(job->scenes[i].image_path);
        }
    }
    mv_job_clear_scenes(job);
    job->scenes = scenes;
    job->scene_count = plan->scene_count;
    job->total_scenes = (int)plan->scene_count;
    int done = 0;
    for (size_t i = 0; i < job->scene_count; i++)
        done += job->scenes[i].state == MV_SCENE_DONE;
    job->processed_scenes = done;
    mv_pending_event ev;
    mv_job_changed_locked(e, job, 1, MAIVID_EVENT_PROGRESS, -1, &ev);
    mv_engine_unlock(e);
    mv_emit_event(e, &ev);
}

maivid_code mv_builtin_plan(maivid_stage_context *ctx)
{
    mv_job *job = ctx->job;
    char *analysis_path = mv_job_path(job, "analysis.json");
    char *lyrics_path = mv_job_path(job, "source/lyrics.txt");
    char *source_dir = mv_job_path(job, "source");
    char *storyboard_path = mv_job_path(job, "storyboard.json");
    mv_analysis a;
    mv_lyrics lyrics;
    mv_song song;
    mv_plan plan;
    memset(&a, 0, sizeof a);
    memset(&lyrics, 0, sizeof lyrics);
    memset(&song, 0, sizeof song);
    memset(&plan, 0, sizeof plan);
    char *lyrics_text = NULL;
    maivid_code rc = MAIVID_OK;
    if (!analysis_path || !lyrics_path || !source_dir || !storyboard_path)
        rc = maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "out of memory");
    if (rc == MAIVID_OK)
        rc = mv_analysis_load(analysis_path, &a, &ctx->err);
    if (rc == MAIVID_OK && mv_file_exists(lyrics_path))
        rc = mv_read_file(lyrics_path, &lyrics_text, NULL, &ctx->err);
    if (rc == MAIVID_OK)
        rc = mv_lyrics_parse(lyrics_text ? lyrics_text : "", &lyrics, &ctx->err);
    if (rc == MAIVID_OK && mv_song_load(source_dir, &song, NULL) != MAIVID_OK)
        memset(&song, 0, sizeof song); /* a plugged fetch stage may leave no metadata */
    if (rc == MAIVID_OK) {
        mv_plan_input in;
        memset(&in, 0, sizeof in);
        in.analysis = &a;
        in.lyrics = &lyrics;
        in.title = job->title ? job->title : song.title;
        in.artist = song.artist;
        in.tags = song.tags;
        in.style_id = job->settings.style;
        in.scene_count = job->settings.scene_count;
        in.motion = job->settings.motion;
        in.transition = job->settings.transition;
        in.transition_duration = job->settings.transition_duration;
        in.seed = job->settings.seed;
        in.llm = ctx->engine->llm;
        if (mv_animate_on(job)) /* scenes as long as one clip of the video model, on beats */
            in.max_scene_seconds = mv_animate_longest_clip(ctx->engine, job);
        else /* the model whose default motion is parallax paints depth layers */
            in.depth_layers = strcmp(mv_motion_default(job->settings.model), "parallax") == 0;
        rc = mv_plan_build(&in, &plan, &ctx->task, &ctx->err);
    }
    for (size_t i = 0; rc == MAIVID_OK && mv_animate_on(job) && i < plan.scene_count; i++) {
        int frames, fps; /* a scene longer than one clip gets a chain of them */
        plan.scenes[i].clips = mv_animate_clip_plan(ctx->engine, job,
                                                    plan.scenes[i].end - plan.scenes[i].start,
                                                    &frames, &fps);
    }
    if (rc == MAIVID_OK)
        rc = mv_plan_save(&plan, storyboard_path, &ctx->err);
    if (rc == MAIVID_OK)
        mv_job_set_scenes_from_plan(ctx->engine, job, &plan);
    mv_plan_free(&plan);
    mv_song_free(&song);
    mv_lyrics_free(&lyrics);
    mv_analysis_free(&a);
    free(lyrics_text);
    free(analysis_path);
    free(lyrics_path);
    free(source_dir);
    free(storyboard_path);
    return rc;
}
