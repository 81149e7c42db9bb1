/*
 * progress.c - honest progress: stage weights that follow where the time really goes (the
 * encoder with the built-in painter, the GPU with ComfyUI), an overall percent that never
 * goes backwards and reaches 100 only on completion, and an ETA from the current run's rate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/mv_engine.h"

/* Percent of the whole job each stage takes. Built-in painter: measured on the README's
 * example song at 1080p30 (render 163 s, images 12 s, analysis 2 s of 177 s). ComfyUI: the
 * GPU dominates (about 2-10 s per image against about 2.5 s of render per 1080p second). */
static const double mv_weights_builtin[MAIVID_STAGE_COUNT] = {1, 1, 2, 1, 7, 88};
static const double mv_weights_comfyui[MAIVID_STAGE_COUNT] = {3, 1, 2, 1, 63, 30};

static const double *mv_weights(const mv_job *job)
{
    const char *model = job->settings.model ? job->settings.model : "";
    if (job->settings.animate || job->settings.animate_workflow)
        return mv_weights_comfyui; /* clips: the GPU dominates whatever made the stills */
    return strcmp(model, "procedural") == 0 ? mv_weights_builtin : mv_weights_comfyui;
}

double mv_progress_overall_locked(const mv_job *job, maivid_stage stage, double fraction)
{
    const double *w = mv_weights(job);
    double done = 0;
    for (int s = 0; s < (int)stage && s < MAIVID_STAGE_COUNT; s++)
        done += w[s];
    if (stage < MAIVID_STAGE_COUNT)
        done += w[stage] * fraction;
    if (done > 99.9)
        done = 99.9; /* 100 is for completion only */
    return done;
}

double mv_progress_eta_locked(const mv_job *job)
{
    if (job->state != MAIVID_JOB_RUNNING || job->run_clock_start <= 0)
        return job->state == MAIVID_JOB_COMPLETED ? 0 : -1;
    double now = mv_monotonic();
    double gained = job->overall_progress - job->run_progress_start;
    double elapsed = now - job->run_clock_start;
    double rate = gained >= 1.0 && elapsed >= 1.0 ? gained / elapsed : 0;
    if (job->clip_eta_at > 0 && job->stage == MAIVID_STAGE_SCENE_GENERATION) {
        /* The clips at their measured pace, then the stages after them at the run's; unknown
         * until the first clip's steps have been timed. */
        if (job->clip_eta < 0)
            return -1;
        double clips = job->clip_eta - (now - job->clip_eta_at);
        double after = 100.0 - mv_progress_overall_locked(job, job->stage, 1.0);
        return (clips > 0 ? clips : 0) + (rate > 0 ? after / rate : 0);
    }
    if (rate <= 0)
        return -1;
    return (100.0 - job->overall_progress) / rate;
}

void mv_progress_clip_eta(maivid_engine *e, mv_job *job, double seconds)
{
    pthread_mutex_lock(&e->lock);
    job->clip_eta = seconds;
    job->clip_eta_at = mv_monotonic();
    mv_engine_unlock(e);
}

void mv_job_changed_locked(maivid_engine *e, mv_job *job, int force, maivid_event_type type,
                           int scene_index, mv_pending_event *ev)
{
    job->updated_at = mv_now();
    memset(ev, 0, sizeof *ev);
    if (atomic_load(&job->claim_lost)) {
        /* another worker owns the job now: its files and record are no longer ours */
    } else if (force || mv_monotonic() - job->last_saved >= 1.0) {
        job->last_saved = mv_monotonic();
        /* An ended job is on disk before any waiter wakes; progress can be written later. */
        if (job->in_pipeline && !job->corrupt && !mv_job_ended(job)) {
            ev->job = job;
            ev->record = mv_job_record_text(job);
        } else {
            mv_error err;
            if (mv_job_save(job, &err) != MAIVID_OK &&
                (!mv_space_release(e, &err, 1) || mv_job_save(job, &err) != MAIVID_OK))
                mv_engine_log_locked(e, MAIVID_LOG_ERROR, job->id, "%s", err.message);
        }
    }
    pthread_cond_broadcast(&e->changed);
    mv_strlcpy(ev->job_id, job->id, sizeof ev->job_id);
    mv_strlcpy(ev->text, job->stage_text, sizeof ev->text);
    ev->event.struct_size = sizeof ev->event;
    ev->event.type = type;
    ev->event.state = job->state;
    ev->event.stage = job->stage;
    ev->event.stage_progress = job->stage_progress;
    ev->event.overall_progress = job->overall_progress;
    ev->event.scene_index = scene_index;
}

void mv_emit_event(maivid_engine *e, mv_pending_event *ev)
{
    if (ev->record) {
        /* Only the worker holding the job gets here, so its writes stay in order. */
        mv_error err;
        if (mv_job_write_record(ev->job, ev->record, &err) != MAIVID_OK &&
            (!mv_space_release(e, &err, 0) ||
             mv_job_write_record(ev->job, ev->record, &err) != MAIVID_OK))
            mv_engine_log(e, MAIVID_LOG_ERROR, ev->job_id, "%s", err.message);
        mv_shared_publish(e, ev->job, ev->record);
        free(ev->record);
        ev->record = NULL;
    }
    if (!e->has_stages || !e->stages.on_event)
        return;
    ev->event.job_id = ev->job_id;
    ev->event.text = ev->text;
    e->stages.on_event(e->stages.user_data, &ev->event);
}

void mv_progress_enter_stage(maivid_engine *e, mv_job *job, maivid_stage stage, const char *text)
{
    mv_pending_event ev;
    pthread_mutex_lock(&e->lock);
    job->stage = stage;
    job->stage_progress = 0;
    job->clip_eta_at = 0;
    mv_strlcpy(job->stage_text, text, sizeof job->stage_text);
    mv_strlcpy(job->stage_worker[stage], e->worker_name, sizeof job->stage_worker[stage]);
    mv_strlcpy(job->worker, e->worker_name, sizeof job->worker);
    double overall = mv_progress_overall_locked(job, stage, 0);
    if (overall > job->overall_progress)
        job->overall_progress = overall;
    mv_job_changed_locked(e, job, 1, MAIVID_EVENT_STAGE, -1, &ev);
    mv_engine_unlock(e);
    mv_engine_log(e, MAIVID_LOG_INFO, job->id, "stage %s: %s", maivid_stage_name(stage), text);
    mv_emit_event(e, &ev);
}

/* The stage's progress, when the job is in `stage` (any stage: MAIVID_STAGE_COUNT). */
static void mv_progress_of(maivid_engine *e, mv_job *job, maivid_stage stage, double fraction,
                           const char *text)
{
    if (fraction < 0)
        fraction = 0;
    if (fraction > 1)
        fraction = 1;
    mv_pending_event ev;
    pthread_mutex_lock(&e->lock);
    if (stage != MAIVID_STAGE_COUNT && job->stage != stage) {
        pthread_mutex_unlock(&e->lock); /* a stage running beside the job's current one */
        return;
    }
    if (fraction * 100.0 > job->stage_progress)
        job->stage_progress = fraction * 100.0;
    if (text && *text)
        mv_strlcpy(job->stage_text, text, sizeof job->stage_text);
    double overall = mv_progress_overall_locked(job, job->stage, job->stage_progress / 100.0);
    if (overall > job->overall_progress)
        job->overall_progress = overall;
    mv_job_changed_locked(e, job, 0, MAIVID_EVENT_PROGRESS, -1, &ev);
    mv_engine_unlock(e);
    mv_emit_event(e, &ev);
}

void mv_progress_stage(maivid_engine *e, mv_job *job, double fraction, const char *text)
{
    mv_progress_of(e, job, MAIVID_STAGE_COUNT, fraction, text);
}

void mv_progress_stage_if(maivid_engine *e, mv_job *job, maivid_stage stage, double fraction,
                          const char *text)
{
    mv_progress_of(e, job, stage, fraction, text);
}

void mv_progress_finish_stage(maivid_engine *e, mv_job *job)
{
    mv_pending_event ev;
    pthread_mutex_lock(&e->lock);
    job->stage_done[job->stage] = 1;
    job->stage_progress = 100.0;
    double overall = mv_progress_overall_locked(job, job->stage, 1.0);
    if (overall > job->overall_progress)
        job->overall_progress = overall;
    mv_job_changed_locked(e, job, 1, MAIVID_EVENT_PROGRESS, -1, &ev);
    mv_engine_unlock(e);
    mv_emit_event(e, &ev);
}

void mv_progress_scene(maivid_engine *e, mv_job *job, size_t index, mv_scene_state state,
                       const char *image_path)
{
    mv_pending_event ev;
    pthread_mutex_lock(&e->lock);
    if (index < job->scene_count) {
        mv_job_scene *s = &job->scenes[index];
        s->state = state;
        if (image_path && (!s->image_path || strcmp(s->image_path, image_path) != 0)) {
            char *copy = mv_strdup(image_path);
            if (copy) {
                free(s->image_path);
                s->image_path = copy;
            }
        }
    }
    int done = 0;
    for (size_t i = 0; i < job->scene_count; i++)
        done += job->scenes[i].state == MV_SCENE_DONE;
    job->processed_scenes = done;
    if (job->stage == MAIVID_STAGE_SCENE_GENERATION && job->scene_count > 0) {
        snprintf(job->stage_text, sizeof job->stage_text, "Generating scene %d/%zu",
                 done < (int)job->scene_count ? done + 1 : done, job->scene_count);
        double fraction = (double)done / (double)job->scene_count;
        if (job->settings.animate || job->settings.animate_workflow)
            fraction *= 0.5; /* the clips are the stage's second half (stages_animate.c) */
        if (fraction * 100.0 > job->stage_progress)
            job->stage_progress = fraction * 100.0;
        double overall = mv_progress_overall_locked(job, job->stage, fraction);
        if (overall > job->overall_progress)
            job->overall_progress = overall;
    }
    mv_job_changed_locked(e, job, state != MV_SCENE_GENERATING, MAIVID_EVENT_SCENE, (int)index,
                          &ev);
    mv_engine_unlock(e);
    mv_emit_event(e, &ev);
}

void mv_progress_set_state(maivid_engine *e, mv_job *job, maivid_job_state state)
{
    mv_pending_event ev;
    pthread_mutex_lock(&e->lock);
    job->state = state;
    double now = mv_now();
    if (state == MAIVID_JOB_RUNNING) {
        if (job->started_at <= 0)
            job->started_at = now;
        job->run_clock_start = mv_monotonic();
        job->run_progress_start = job->overall_progress;
    }
    if (state == MAIVID_JOB_COMPLETED) {
        job->overall_progress = 100.0;
        job->stage_progress = 100.0;
        mv_strlcpy(job->stage_text, "Completed", sizeof job->stage_text);
    }
    if (state == MAIVID_JOB_COMPLETED || state == MAIVID_JOB_FAILED ||
        state == MAIVID_JOB_CANCELLED)
        job->completed_at = now;
    if (state == MAIVID_JOB_CANCELLED)
        mv_strlcpy(job->stage_text, "Cancelled", sizeof job->stage_text);
    if (state == MAIVID_JOB_FAILED)
        mv_strlcpy(job->stage_text, "Failed", sizeof job->stage_text);
    mv_job_changed_locked(e, job, 1, MAIVID_EVENT_STATE, -1, &ev);
    int failed = state == MAIVID_JOB_FAILED && job->error;
    mv_engine_log_locked(e, state == MAIVID_JOB_FAILED ? MAIVID_LOG_ERROR : MAIVID_LOG_INFO,
                         job->id, "job %s%s%s",
                         maivid_job_state_name(state), failed ? ": " : "",
                         failed ? job->error : "");
    mv_engine_unlock(e);
    mv_emit_event(e, &ev);
}
