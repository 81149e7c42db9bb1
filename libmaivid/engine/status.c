/*
 * status.c - status snapshots: a deep copy of a job taken under the engine lock, so callers
 * read a consistent state without holding anything, plus its accessors and JSON form.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "engine/mv_engine.h"
#include "engine/mv_job_json.h"
#include "engine/mv_sync_report.h"

struct maivid_status {
    mv_job *job;         /* private copy */
    int queue_position;
    double eta_seconds;
};

static char *mv_dup_or_null(const char *s)
{
    return s ? mv_strdup(s) : NULL;
}

static mv_job *mv_job_clone(const mv_job *src)
{
    mv_job *job = mv_job_new(src->id, src->dir);
    if (!job)
        return NULL;
    mv_settings_copy(&job->settings, &src->settings);
    job->state = src->state;
    job->stage = src->stage;
    memcpy(job->stage_text, src->stage_text, sizeof job->stage_text);
    job->stage_progress = src->stage_progress;
    job->overall_progress = src->overall_progress;
    memcpy(job->stage_done, src->stage_done, sizeof job->stage_done);
    job->total_scenes = src->total_scenes;
    job->processed_scenes = src->processed_scenes;
    job->created_at = src->created_at;
    job->started_at = src->started_at;
    job->updated_at = src->updated_at;
    job->completed_at = src->completed_at;
    job->bpm = src->bpm;
    memcpy(job->stage_worker, src->stage_worker, sizeof job->stage_worker);
    memcpy(job->worker, src->worker, sizeof job->worker);
    mv_job_song_copy(&job->song, &src->song);
    job->timing = src->timing;
    job->title = mv_dup_or_null(src->title);
    job->error = mv_dup_or_null(src->error);
    job->error_code = src->error_code;
    job->video_path = mv_dup_or_null(src->video_path);
    job->thumbnail_path = mv_dup_or_null(src->thumbnail_path);
    job->sync_json = mv_dup_or_null(src->sync_json);
    for (size_t i = 0; i < src->warning_count; i++)
        mv_job_add_warning(job, src->warnings[i]);
    if (src->scene_count) {
        job->scenes = calloc(src->scene_count, sizeof *job->scenes);
        if (job->scenes) {
            job->scene_count = src->scene_count;
            for (size_t i = 0; i < src->scene_count; i++) {
                job->scenes[i] = src->scenes[i];
                job->scenes[i].lyrics = mv_dup_or_null(src->scenes[i].lyrics);
                job->scenes[i].prompt = mv_dup_or_null(src->scenes[i].prompt);
                job->scenes[i].image_path = mv_dup_or_null(src->scenes[i].image_path);
                job->scenes[i].drawn = mv_dup_or_null(src->scenes[i].drawn);
                job->scenes[i].unmatched = mv_dup_or_null(src->scenes[i].unmatched);
            }
        }
    }
    return job;
}

MAIVID_API maivid_code maivid_job_status(maivid_engine *e, const char *job_id,
                                         maivid_status **out)
{
    if (!e || !out || !maivid_job_id_valid(job_id))
        return MAIVID_E_INVALID;
    *out = NULL;
    maivid_status *st = calloc(1, sizeof *st);
    if (!st)
        return MAIVID_E_NOMEM;
    pthread_mutex_lock(&e->lock);
    mv_job *job = mv_engine_find_locked(e, job_id);
    if (!job && e->shared) { /* not running here: the shared queue's record */
        mv_engine_unlock(e);
        mv_error err;
        maivid_code rc = mv_shared_status(e, job_id, &st->job, &st->queue_position, &err);
        if (rc != MAIVID_OK) {
            free(st);
            return rc;
        }
        st->eta_seconds = st->job->state == MAIVID_JOB_COMPLETED ? 0 : -1;
        *out = st;
        return MAIVID_OK;
    }
    if (!job) {
        mv_engine_unlock(e);
        free(st);
        return MAIVID_E_NOT_FOUND;
    }
    st->job = mv_job_clone(job);
    st->queue_position = mv_engine_queue_position_locked(e, job);
    st->eta_seconds = mv_progress_eta_locked(job);
    mv_engine_unlock(e);
    if (!st->job) {
        free(st);
        return MAIVID_E_NOMEM;
    }
    *out = st;
    return MAIVID_OK;
}

MAIVID_API void maivid_status_free(maivid_status *st)
{
    if (!st)
        return;
    mv_job_free(st->job);
    free(st);
}

MAIVID_API const char *maivid_status_job_id(const maivid_status *st) { return st->job->id; }
MAIVID_API maivid_job_state maivid_status_state(const maivid_status *st) { return st->job->state; }
MAIVID_API maivid_stage maivid_status_stage(const maivid_status *st) { return st->job->stage; }
MAIVID_API const char *maivid_status_stage_text(const maivid_status *st) { return st->job->stage_text; }
MAIVID_API double maivid_status_stage_progress(const maivid_status *st) { return st->job->stage_progress; }
MAIVID_API double maivid_status_overall_progress(const maivid_status *st) { return st->job->overall_progress; }
MAIVID_API int maivid_status_total_scenes(const maivid_status *st) { return st->job->total_scenes; }
MAIVID_API int maivid_status_processed_scenes(const maivid_status *st) { return st->job->processed_scenes; }
MAIVID_API int maivid_status_queue_position(const maivid_status *st) { return st->queue_position; }
MAIVID_API double maivid_status_eta_seconds(const maivid_status *st) { return st->eta_seconds; }
MAIVID_API const char *maivid_status_title(const maivid_status *st) { return st->job->title ? st->job->title : ""; }
MAIVID_API const char *maivid_status_error(const maivid_status *st) { return st->job->error; }
MAIVID_API maivid_code maivid_status_error_code(const maivid_status *st) { return st->job->error_code; }
MAIVID_API const char *maivid_status_job_dir(const maivid_status *st) { return st->job->dir; }
MAIVID_API const char *maivid_status_sync(const maivid_status *st) { return st->job->sync_json; }

MAIVID_API char *maivid_sync_summary(const char *sync_json)
{
    char line[600];
    mv_sync_report_summary(sync_json, line, sizeof line);
    return mv_strdup(line);
}

/* The song (see maivid.h): NULL / 0 while unknown. */
MAIVID_API const char *maivid_status_song_title(const maivid_status *st) { return st->job->song.title; }
MAIVID_API const char *maivid_status_song_artist(const maivid_status *st) { return st->job->song.artist; }
MAIVID_API const char *maivid_status_song_tags(const maivid_status *st) { return st->job->song.tags; }
MAIVID_API double maivid_status_song_duration(const maivid_status *st) { return st->job->song.duration; }
MAIVID_API const char *maivid_status_song_source_kind(const maivid_status *st) { return st->job->song.source_kind; }
MAIVID_API const char *maivid_status_song_suno_id(const maivid_status *st) { return st->job->song.suno_id; }
MAIVID_API const char *maivid_status_song_cover_path(const maivid_status *st) { return st->job->song.cover_path; }

MAIVID_API double maivid_status_song_bpm(const maivid_status *st)
{
    return st->job->song.bpm > 0 ? st->job->song.bpm : st->job->bpm;
}

MAIVID_API const char *maivid_status_video_path(const maivid_status *st)
{
    return st->job->state == MAIVID_JOB_COMPLETED ? st->job->video_path : NULL;
}

MAIVID_API const char *maivid_status_thumbnail_path(const maivid_status *st)
{
    return st->job->state == MAIVID_JOB_COMPLETED ? st->job->thumbnail_path : NULL;
}

MAIVID_API char *maivid_status_to_json(const maivid_status *st, unsigned flags)
{
    if (!st)
        return NULL;
    cJSON *o = mv_job_to_json(st->job, MV_JOB_VIEW_STATUS, st->queue_position, st->eta_seconds);
    if (!o)
        return NULL;
    char *text = (flags & MAIVID_JSON_PRETTY) ? cJSON_Print(o) : cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}
