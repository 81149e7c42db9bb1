/*
 * mv_job_json.h - a job as JSON: the stored record (job.json) or the public status.
 */
#ifndef MV_JOB_JSON_H
#define MV_JOB_JSON_H

#include <cjson/cJSON.h>

#include "engine/mv_job.h"

typedef enum mv_job_view { MV_JOB_VIEW_RECORD = 0, MV_JOB_VIEW_STATUS = 1 } mv_job_view;

cJSON *mv_job_to_json(const mv_job *job, mv_job_view view, int queue_position, double eta);

/* The `song` object: {title, artist, tags, duration, bpm, cover_url, cover_path, source_kind,
 * suno_id}, null where unknown; bpm falls back to `analysed_bpm`; cover_url is null (the
 * server fills it); `record` adds source_bpm for job.json. And back, from a stored record. */
cJSON *mv_job_song_to_json(const mv_job_song *song, double analysed_bpm, int record);
void mv_job_song_from_json(const cJSON *o, mv_job_song *song);

/* The `worker` object (job_worker.c): {host, pid} of the worker that ran the latest stage and
 * "stages": {<stage name>: {host, pid}} for every stage a worker ran; null before any ran. */
cJSON *mv_job_workers_to_json(const mv_job *job);
void mv_job_workers_from_json(const cJSON *o, mv_job *job);

/* A record's text (job.json's, or the shared queue's copy) as a job whose files are in `dir`;
 * `path` names the source in messages. MAIVID_E_CORRUPT with the reason when damaged. */
maivid_code mv_job_from_text(const char *text, const char *dir, const char *path, mv_job **out,
                             mv_error *err);

#endif /* MV_JOB_JSON_H */
