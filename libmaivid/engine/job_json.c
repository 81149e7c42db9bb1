/*
 * job_json.c - one JSON shape for a job, in two views: the record stored as job.json (every
 * field needed to resume) and the public status (the Convo Pilot spec's job_status fields
 * plus MaiVid's own). Also the atomic save and the tolerant load of job.json.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/mv_job.h"
#include "engine/mv_job_json.h"
#include "engine/mv_settings_json.h"
#include "util/mv_json.h"

static const char *const mv_scene_state_names[] = {"queued", "generating", "done", "failed"};

static void mv_add_time(cJSON *o, const char *key, double t)
{
    if (t > 0)
        cJSON_AddNumberToObject(o, key, t);
    else
        cJSON_AddNullToObject(o, key);
}

static void mv_add_string_or_null(cJSON *o, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(o, key, value);
    else
        cJSON_AddNullToObject(o, key);
}

static cJSON *mv_scenes_to_json(const mv_job *job)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < job->scene_count; i++) {
        const mv_job_scene *s = &job->scenes[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "index", s->index);
        cJSON_AddNumberToObject(o, "start", s->start);
        cJSON_AddNumberToObject(o, "end", s->end);
        cJSON_AddStringToObject(o, "lyrics", s->lyrics ? s->lyrics : "");
        cJSON_AddStringToObject(o, "prompt", s->prompt ? s->prompt : "");
        mv_add_string_or_null(o, "image_path", s->image_path);
        cJSON_AddStringToObject(o, "state", mv_scene_state_names[s->state]);
        cJSON_AddItemToObject(o, "drawn", mv_json_word_array(s->drawn));
        cJSON_AddItemToObject(o, "unmatched", mv_json_word_array(s->unmatched));
        if (s->clips > 0)
            cJSON_AddNumberToObject(o, "clips", s->clips);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

/* The original's name for the scene list: {scene_id, description, style, timestamp}. */
static cJSON *mv_scene_descriptions_to_json(const mv_job *job)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < job->scene_count; i++) {
        const mv_job_scene *s = &job->scenes[i];
        cJSON *o = cJSON_CreateObject();
        char id[16];
        snprintf(id, sizeof id, "%d", s->index + 1);
        cJSON_AddStringToObject(o, "scene_id", id);
        cJSON_AddStringToObject(o, "description", s->prompt ? s->prompt : "");
        cJSON_AddStringToObject(o, "lyrics", s->lyrics ? s->lyrics : "");
        cJSON_AddStringToObject(o, "style", job->settings.style ? job->settings.style : "");
        cJSON_AddNumberToObject(o, "timestamp", s->start);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

cJSON *mv_job_to_json(const mv_job *job, mv_job_view view, int queue_position, double eta)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "job_id", job->id);
    cJSON_AddStringToObject(o, "video_title", job->title ? job->title : "");
    cJSON_AddNumberToObject(o, "total_scenes", job->total_scenes);
    cJSON_AddNumberToObject(o, "processed_scenes", job->processed_scenes);
    cJSON_AddStringToObject(o, "current_stage", job->stage_text);
    cJSON_AddStringToObject(o, "stage_name", maivid_stage_name(job->stage));
    cJSON_AddNumberToObject(o, "stage_progress", job->stage_progress);
    cJSON_AddNumberToObject(o, "overall_progress", job->overall_progress);
    cJSON_AddStringToObject(o, "status", maivid_job_state_name(job->state));
    mv_add_time(o, "started_at", job->started_at);
    mv_add_time(o, "updated_at", job->updated_at);
    mv_add_time(o, "completed_at", job->completed_at);
    mv_add_string_or_null(o, "error", job->error);
    if (view == MV_JOB_VIEW_STATUS) {
        cJSON_AddNumberToObject(o, "queue_position", queue_position);
        if (eta >= 0)
            cJSON_AddNumberToObject(o, "eta_seconds", eta);
        else
            cJSON_AddNullToObject(o, "eta_seconds");
    }
    if (job->error_code != MAIVID_OK)
        cJSON_AddNumberToObject(o, "error_code", job->error_code);
    mv_add_time(o, "created_at", job->created_at);
    cJSON_AddItemToObject(o, "settings",
                          mv_settings_to_json(&job->settings, view == MV_JOB_VIEW_RECORD));
    mv_add_string_or_null(o, "video_path", job->video_path);
    mv_add_string_or_null(o, "thumbnail_path", job->thumbnail_path);
    if (job->bpm > 0)
        cJSON_AddNumberToObject(o, "bpm", job->bpm);
    else
        cJSON_AddNullToObject(o, "bpm");
    cJSON_AddItemToObject(o, "song",
                          mv_job_song_to_json(&job->song, job->bpm, view == MV_JOB_VIEW_RECORD));
    if (job->timing.source[0]) {
        cJSON *t = cJSON_AddObjectToObject(o, "lyrics_timing");
        if (t) {
            cJSON_AddStringToObject(t, "source", job->timing.source);
            cJSON_AddNumberToObject(t, "confidence", job->timing.confidence);
            cJSON_AddNumberToObject(t, "lines", job->timing.lines);
            cJSON_AddBoolToObject(t, "word_times", job->timing.word_times != 0);
        }
    } else {
        cJSON_AddNullToObject(o, "lyrics_timing");
    }
    cJSON *sync = job->sync_json ? mv_json_parse(job->sync_json) : NULL;
    if (sync)
        cJSON_AddItemToObject(o, "sync", sync);
    cJSON *warnings = cJSON_AddArrayToObject(o, "warnings");
    for (size_t i = 0; warnings && i < job->warning_count; i++)
        cJSON_AddItemToArray(warnings, cJSON_CreateString(job->warnings[i]));
    cJSON_AddItemToObject(o, "scenes", mv_scenes_to_json(job));
    cJSON_AddItemToObject(o, "worker", mv_job_workers_to_json(job));
    if (view == MV_JOB_VIEW_STATUS) {
        cJSON_AddItemToObject(o, "scene_descriptions", mv_scene_descriptions_to_json(job));
    } else {
        cJSON_AddNumberToObject(o, "record_version", 1);
        cJSON_AddStringToObject(o, "stage_text", job->stage_text);
        cJSON *done = cJSON_AddArrayToObject(o, "stages_done");
        for (int s = 0; done && s < MAIVID_STAGE_COUNT; s++)
            if (job->stage_done[s])
                cJSON_AddItemToArray(done, cJSON_CreateString(maivid_stage_name((maivid_stage)s)));
    }
    return o;
}

char *mv_job_record_text(const mv_job *job)
{
    cJSON *o = mv_job_to_json(job, MV_JOB_VIEW_RECORD, 0, -1);
    char *text = o ? cJSON_Print(o) : NULL;
    cJSON_Delete(o);
    return text;
}

maivid_code mv_job_write_record(const mv_job *job, const char *text, mv_error *err)
{
    if (job->corrupt)
        return MAIVID_OK; /* never overwrite a damaged record: it is evidence */
    if (!text)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory saving job %s", job->id);
    char *path = mv_strdup_printf("%s/job.json", job->dir);
    maivid_code rc = path ? mv_write_file_atomic(path, text, strlen(text), err)
                          : mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    free(path);
    return rc;
}

maivid_code mv_job_save(mv_job *job, mv_error *err)
{
    char *text = mv_job_record_text(job);
    maivid_code rc = mv_job_write_record(job, text, err);
    free(text);
    job->last_saved = mv_monotonic();
    return rc;
}

static int mv_state_from_name(const char *name, maivid_job_state *out)
{
    for (int s = MAIVID_JOB_QUEUED; s <= MAIVID_JOB_CANCELLED; s++)
        if (name && strcmp(name, maivid_job_state_name((maivid_job_state)s)) == 0) {
            *out = (maivid_job_state)s;
            return 1;
        }
    return 0;
}

static int mv_stage_from_name(const char *name, maivid_stage *out)
{
    for (int s = 0; s < MAIVID_STAGE_COUNT; s++)
        if (name && strcmp(name, maivid_stage_name((maivid_stage)s)) == 0) {
            *out = (maivid_stage)s;
            return 1;
        }
    return 0;
}

static const char *mv_get_string(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double mv_get_number(const cJSON *o, const char *key)
{
    return mv_json_number_or(o, key, 0.0);
}

static maivid_code mv_scenes_from_json(mv_job *job, const cJSON *arr)
{
    int n = cJSON_GetArraySize(arr);
    if (n <= 0)
        return MAIVID_OK;
    job->scenes = calloc((size_t)n, sizeof *job->scenes);
    if (!job->scenes)
        return MAIVID_E_NOMEM;
    job->scene_count = (size_t)n;
    int i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, arr)
    {
        mv_job_scene *s = &job->scenes[i++];
        s->index = (int)mv_get_number(item, "index");
        s->start = mv_get_number(item, "start");
        s->end = mv_get_number(item, "end");
        s->lyrics = mv_json_dup_string(item, "lyrics");
        s->prompt = mv_json_dup_string(item, "prompt");
        s->image_path = mv_json_dup_string(item, "image_path");
        s->drawn = mv_json_word_list(item, "drawn");
        s->unmatched = mv_json_word_list(item, "unmatched");
        s->clips = (int)mv_get_number(item, "clips");
        const char *state = mv_get_string(item, "state");
        for (int k = 0; k < 4; k++)
            if (state && strcmp(state, mv_scene_state_names[k]) == 0)
                s->state = (mv_scene_state)k;
    }
    return MAIVID_OK;
}

maivid_code mv_job_load(const char *dir, mv_job **out, mv_error *err)
{
    *out = NULL;
    char *path = mv_strdup_printf("%s/job.json", dir);
    if (!path)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    char *text = NULL;
    maivid_code rc = mv_read_file(path, &text, NULL, err);
    if (rc == MAIVID_OK)
        rc = mv_job_from_text(text, dir, path, out, err);
    free(text);
    free(path);
    return rc;
}

maivid_code mv_job_from_text(const char *text, const char *dir, const char *path, mv_job **out,
                             mv_error *err)
{
    *out = NULL;
    maivid_code rc = MAIVID_OK;
    cJSON *o = mv_json_parse(text);
    const char *id = o ? mv_get_string(o, "job_id") : NULL;
    const char *slash = strrchr(dir, '/');
    const char *dir_name = slash ? slash + 1 : dir;
    maivid_job_state state = MAIVID_JOB_FAILED;
    maivid_stage stage = MAIVID_STAGE_DOWNLOAD;
    if (!o || !cJSON_IsObject(o)) {
        rc = mv_fail(err, MAIVID_E_CORRUPT, "'%s' is not valid JSON (truncated or damaged)", path);
    } else if (!id || strcmp(id, dir_name) != 0 || !maivid_job_id_valid(id)) {
        rc = mv_fail(err, MAIVID_E_CORRUPT, "'%s' has a missing or mismatched job_id", path);
    } else if (!mv_state_from_name(mv_get_string(o, "status"), &state)) {
        rc = mv_fail(err, MAIVID_E_CORRUPT, "'%s' has an unknown status", path);
    }
    if (rc != MAIVID_OK) {
        cJSON_Delete(o);
        return rc;
    }
    mv_stage_from_name(mv_get_string(o, "stage_name"), &stage);
    mv_job *job = mv_job_new(id, dir);
    if (!job) {
        cJSON_Delete(o);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    }
    rc = mv_settings_from_json(cJSON_GetObjectItemCaseSensitive(o, "settings"), &job->settings,
                               err);
    if (rc == MAIVID_OK) {
        job->state = state;
        job->stage = stage;
        mv_strlcpy(job->stage_text, mv_get_string(o, "stage_text"), sizeof job->stage_text);
        job->stage_progress = mv_get_number(o, "stage_progress");
        job->overall_progress = mv_get_number(o, "overall_progress");
        job->total_scenes = (int)mv_get_number(o, "total_scenes");
        job->processed_scenes = (int)mv_get_number(o, "processed_scenes");
        job->created_at = mv_get_number(o, "created_at");
        job->started_at = mv_get_number(o, "started_at");
        job->updated_at = mv_get_number(o, "updated_at");
        job->completed_at = mv_get_number(o, "completed_at");
        job->bpm = mv_get_number(o, "bpm");
        mv_job_song_from_json(cJSON_GetObjectItemCaseSensitive(o, "song"), &job->song);
        const cJSON *timing = cJSON_GetObjectItemCaseSensitive(o, "lyrics_timing");
        if (cJSON_IsObject(timing)) {
            mv_strlcpy(job->timing.source, mv_get_string(timing, "source"),
                       sizeof job->timing.source);
            job->timing.confidence = mv_get_number(timing, "confidence");
            job->timing.lines = (int)mv_get_number(timing, "lines");
            job->timing.word_times =
                cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(timing, "word_times"));
        }
        const char *title = mv_get_string(o, "video_title");
        job->title = title && *title ? mv_strdup(title) : NULL;
        job->error = mv_json_dup_string(o, "error");
        job->error_code = (maivid_code)(int)mv_get_number(o, "error_code");
        job->video_path = mv_json_dup_string(o, "video_path");
        job->thumbnail_path = mv_json_dup_string(o, "thumbnail_path");
        const cJSON *sync = cJSON_GetObjectItemCaseSensitive(o, "sync");
        job->sync_json = cJSON_IsObject(sync) ? cJSON_PrintUnformatted(sync) : NULL;
        const cJSON *w;
        cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(o, "warnings"))
        {
            if (cJSON_IsString(w))
                mv_job_add_warning(job, w->valuestring);
        }
        const cJSON *d;
        cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(o, "stages_done"))
        {
            maivid_stage s;
            if (cJSON_IsString(d) && mv_stage_from_name(d->valuestring, &s))
                job->stage_done[s] = 1;
        }
        if (mv_scenes_from_json(job, cJSON_GetObjectItemCaseSensitive(o, "scenes")) != MAIVID_OK)
            rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    }
    mv_job_workers_from_json(cJSON_GetObjectItemCaseSensitive(o, "worker"), job);
    cJSON_Delete(o);
    if (rc != MAIVID_OK) {
        mv_job_free(job);
        return rc;
    }
    *out = job;
    return MAIVID_OK;
}
