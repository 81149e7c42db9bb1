/*
 * jobs.c - the public job calls: create (validate, persist, queue), wait, cancel, resume,
 * delete and list. Ids are checked for shape before any file is touched.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/mv_engine.h"

static int mv_engine_model_known(void *user_data, const char *model)
{
    return mv_images_model_known((mv_image_backends *)user_data, model);
}

static void mv_copy_error(char *errbuf, size_t errbuf_size, const mv_error *err)
{
    if (errbuf && errbuf_size)
        mv_strlcpy(errbuf, err->message, errbuf_size);
}

MAIVID_API maivid_code maivid_job_create(maivid_engine *e, const maivid_job_params *params,
                                         char job_id[MAIVID_JOB_ID_SIZE], char *errbuf,
                                         size_t errbuf_size)
{
    return mv_job_create_with(e, params, NULL, job_id, errbuf, errbuf_size);
}

maivid_code mv_job_create_with(maivid_engine *e, const maivid_job_params *params,
                               const mv_job_upload *upload, char job_id[MAIVID_JOB_ID_SIZE],
                               char *errbuf, size_t errbuf_size)
{
    mv_error err;
    mv_error_clear(&err);
    if (!e || !params || !job_id) {
        mv_fail(&err, MAIVID_E_INVALID, "engine, params and job_id are required");
        mv_copy_error(errbuf, errbuf_size, &err);
        return MAIVID_E_INVALID;
    }
    mv_settings settings;
    maivid_code rc = mv_settings_from_params(params, upload ? 1 : e->allow_local_files,
                                             mv_engine_model_known, e->images, &settings, &err);
    if (rc == MAIVID_OK) {
        rc = mv_images_check_roles(e->images, settings.workflow_path ? NULL : settings.model,
                                   settings.animate_workflow ? NULL : settings.animate, &err);
        if (rc != MAIVID_OK)
            mv_settings_free(&settings);
    }
    if (rc != MAIVID_OK) {
        mv_copy_error(errbuf, errbuf_size, &err);
        return rc;
    }
    pthread_mutex_lock(&e->lock);
    if (e->closing) {
        mv_engine_unlock(e);
        mv_settings_free(&settings);
        mv_fail(&err, MAIVID_E_BUSY, "the engine is shutting down");
        mv_copy_error(errbuf, errbuf_size, &err);
        return MAIVID_E_BUSY;
    }
    if (!e->shared && e->queue_len >= e->queue_limit) { /* a shared queue checks in Redis */
        mv_engine_unlock(e);
        mv_settings_free(&settings);
        mv_fail(&err, MAIVID_E_QUEUE_FULL,
                "the job queue is full (%u waiting): try again when a job has finished",
                e->queue_limit);
        mv_copy_error(errbuf, errbuf_size, &err);
        return MAIVID_E_QUEUE_FULL;
    }
    char id[MAIVID_JOB_ID_SIZE];
    char *dir = NULL;
    for (int attempt = 0; attempt < 8; attempt++) {
        rc = mv_job_id_generate(id, &err);
        if (rc != MAIVID_OK)
            break;
        free(dir);
        dir = mv_strdup_printf("%s/%s", e->jobs_dir, id);
        if (!dir) {
            rc = mv_fail(&err, MAIVID_E_NOMEM, "out of memory");
            break;
        }
        if (!mv_engine_find_locked(e, id) && !mv_file_exists(dir))
            break;
    }
    mv_job *job = NULL;
    if (rc == MAIVID_OK)
        rc = mv_mkdir_p(dir, &err);
    if (rc == MAIVID_OK) {
        job = mv_job_new(id, dir);
        if (!job)
            rc = mv_fail(&err, MAIVID_E_NOMEM, "out of memory");
    }
    if (rc == MAIVID_OK) {
        job->settings = settings;
        memset(&settings, 0, sizeof settings);
        job->state = MAIVID_JOB_QUEUED;
        job->created_at = job->updated_at = mv_now();
        job->total_scenes = job->settings.scene_count;
        if (job->settings.title)
            job->title = mv_strdup(job->settings.title);
        mv_strlcpy(job->stage_text, "Queued", sizeof job->stage_text);
        if (upload)
            rc = upload->take(upload, job, &err);
        if (rc == MAIVID_OK)
            rc = mv_job_save(job, &err);
    }
    if (rc == MAIVID_OK && e->shared) {
        /* Shared queue: the record goes to Redis; whichever engine is free takes the job. */
        mv_engine_unlock(e);
        rc = mv_shared_submit(e, job, &err);
        pthread_mutex_lock(&e->lock);
        if (rc == MAIVID_OK) {
            mv_engine_unlock(e);
            mv_job_free(job);
            free(dir);
            mv_strlcpy(job_id, id, MAIVID_JOB_ID_SIZE);
            mv_engine_log(e, MAIVID_LOG_INFO, id, "job queued on the shared queue");
            return MAIVID_OK;
        }
    } else if (rc == MAIVID_OK) {
        if (!mv_engine_add_job_locked(e, job)) {
            rc = mv_fail(&err, MAIVID_E_NOMEM, "out of memory");
        } else if (!mv_engine_enqueue_locked(e, job)) {
            e->job_count--;
            rc = mv_fail(&err, MAIVID_E_NOMEM, "out of memory");
        }
    }
    mv_pending_event ev;
    if (rc == MAIVID_OK)
        mv_job_changed_locked(e, job, 0, MAIVID_EVENT_STATE, -1, &ev);
    mv_engine_unlock(e);
    if (rc != MAIVID_OK) {
        if (job) {
            mv_remove_tree(job->dir, NULL);
            mv_job_free(job);
        } else if (dir) {
            mv_remove_tree(dir, NULL);
        }
        mv_settings_free(&settings);
        free(dir);
        mv_copy_error(errbuf, errbuf_size, &err);
        return rc;
    }
    free(dir);
    mv_strlcpy(job_id, id, MAIVID_JOB_ID_SIZE);
    mv_engine_log(e, MAIVID_LOG_INFO, id, "job queued");
    mv_emit_event(e, &ev);
    return MAIVID_OK;
}

MAIVID_API maivid_code maivid_job_wait(maivid_engine *e, const char *job_id, int timeout_ms)
{
    if (!e || !maivid_job_id_valid(job_id))
        return MAIVID_E_INVALID;
    if (e->shared)
        return mv_shared_wait(e, job_id, timeout_ms);
    struct timespec deadline = mv_realtime_in_ms(timeout_ms >= 0 ? timeout_ms : 0);
    pthread_mutex_lock(&e->lock);
    maivid_code rc = MAIVID_OK;
    for (;;) {
        mv_job *job = mv_engine_find_locked(e, job_id);
        if (!job) {
            rc = MAIVID_E_NOT_FOUND;
            break;
        }
        if (mv_job_ended(job))
            break;
        if (e->closing) {
            rc = MAIVID_E_CANCELLED;
            break;
        }
        if (timeout_ms < 0) {
            pthread_cond_wait(&e->changed, &e->lock);
        } else if (pthread_cond_timedwait(&e->changed, &e->lock, &deadline) == ETIMEDOUT) {
            job = mv_engine_find_locked(e, job_id);
            rc = job && mv_job_ended(job) ? MAIVID_OK : MAIVID_E_TIMEOUT;
            break;
        }
    }
    mv_engine_unlock(e);
    return rc;
}

static void mv_remove_from_queue_locked(maivid_engine *e, mv_job *job)
{
    for (size_t i = 0; i < e->queue_len; i++) {
        if (e->queue[i] == job) {
            memmove(e->queue + i, e->queue + i + 1, (e->queue_len - i - 1) * sizeof *e->queue);
            e->queue_len--;
            return;
        }
    }
}

/* The error of a call naming a job that is malformed or unknown. */
static maivid_code mv_job_missing(const char *job_id, int malformed, mv_error *err)
{
    if (malformed)
        return mv_fail(err, MAIVID_E_INVALID,
                       "'%.64s' is not a job id: job ids look like job_20250516_123456_abcdef12",
                       job_id ? job_id : "(null)");
    return mv_fail(err, MAIVID_E_NOT_FOUND, "no job %s here: list the jobs to see which exist",
                   job_id);
}

static maivid_code mv_job_cancel_err(maivid_engine *e, const char *job_id, mv_error *err)
{
    if (!e || !maivid_job_id_valid(job_id))
        return mv_job_missing(job_id, 1, err);
    mv_pending_event ev;
    int emit = 0;
    pthread_mutex_lock(&e->lock);
    mv_job *job = mv_engine_find_locked(e, job_id);
    if (!job && e->shared) { /* not running here: through the shared queue */
        mv_engine_unlock(e);
        return mv_shared_cancel(e, job_id, err);
    }
    if (!job) {
        mv_engine_unlock(e);
        return mv_job_missing(job_id, 0, err);
    }
    if ((job->state == MAIVID_JOB_QUEUED && !job->in_pipeline) || job->dormant) {
        mv_remove_from_queue_locked(e, job);
        job->dormant = 0;
        job->state = MAIVID_JOB_CANCELLED;
        job->completed_at = mv_now();
        mv_strlcpy(job->stage_text, "Cancelled", sizeof job->stage_text);
        mv_job_changed_locked(e, job, 1, MAIVID_EVENT_STATE, -1, &ev);
        mv_engine_log_locked(e, MAIVID_LOG_INFO, job_id, "job cancelled while queued");
        emit = 1;
    } else if (job->state == MAIVID_JOB_RUNNING || job->state == MAIVID_JOB_QUEUED) {
        /* running, or taken by a worker that has not marked it running yet: it ends it */
        atomic_store(&job->stop, MV_STOP_CANCEL);
    }
    mv_engine_unlock(e);
    if (emit)
        mv_emit_event(e, &ev);
    return MAIVID_OK;
}

static maivid_code mv_job_resume_err(maivid_engine *e, const char *job_id, mv_error *err)
{
    if (!e || !maivid_job_id_valid(job_id))
        return mv_job_missing(job_id, 1, err);
    if (e->shared)
        return mv_fail(err, MAIVID_E_UNSUPPORTED, "resuming a job is not available on a shared "
                       "queue yet: create the job again");
    maivid_code rc = MAIVID_OK;
    mv_pending_event ev;
    int emit = 0;
    pthread_mutex_lock(&e->lock);
    mv_job *job = mv_engine_find_locked(e, job_id);
    if (!job) {
        rc = mv_job_missing(job_id, 0, err);
    } else if (job->corrupt) {
        rc = mv_fail(err, MAIVID_E_CORRUPT, "the record of job %s is damaged (%s): delete the "
                     "job and create it again", job_id, job->error ? job->error : "unreadable");
    } else if ((job->state == MAIVID_JOB_QUEUED || job->state == MAIVID_JOB_RUNNING) &&
               !job->dormant) {
        rc = mv_fail(err, MAIVID_E_BUSY, "job %s is %s: only a failed or cancelled job can be "
                     "resumed", job_id, maivid_job_state_name(job->state));
    } else if (job->state == MAIVID_JOB_COMPLETED) {
        rc = MAIVID_OK; /* nothing to do */
    } else if (e->queue_len >= e->queue_limit) {
        rc = mv_fail(err, MAIVID_E_QUEUE_FULL, "the job queue is full (%u waiting): try again "
                     "when a job has finished", e->queue_limit);
    } else {
        job->dormant = 0;
        free(job->error);
        job->error = NULL;
        job->error_code = MAIVID_OK;
        job->completed_at = 0;
        job->state = MAIVID_JOB_QUEUED;
        atomic_store(&job->stop, MV_STOP_NONE);
        mv_strlcpy(job->stage_text, "Queued (resuming)", sizeof job->stage_text);
        if (!mv_engine_enqueue_locked(e, job))
            rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory queueing job %s", job_id);
        mv_job_changed_locked(e, job, 1, MAIVID_EVENT_STATE, -1, &ev);
        emit = 1;
    }
    mv_engine_unlock(e);
    if (emit)
        mv_emit_event(e, &ev);
    return rc;
}

static maivid_code mv_job_delete_err(maivid_engine *e, const char *job_id, mv_error *err)
{
    if (!e || !maivid_job_id_valid(job_id))
        return mv_job_missing(job_id, 1, err);
    pthread_mutex_lock(&e->lock);
    mv_job *job = mv_engine_find_locked(e, job_id);
    if (!job && e->shared) { /* not running here: through the shared queue */
        mv_engine_unlock(e);
        return mv_shared_delete(e, job_id, err);
    }
    if (!job) {
        mv_engine_unlock(e);
        return mv_job_missing(job_id, 0, err);
    }
    /* An ended job's worker may still be letting go of it: that takes moments. */
    while (mv_job_ended(job) && job->in_pipeline)
        pthread_cond_wait(&e->changed, &e->lock);
    if (!mv_job_ended(job)) {
        maivid_job_state state = job->state;
        mv_engine_unlock(e);
        return mv_fail(err, MAIVID_E_BUSY, "job %s is still %s: cancel it and wait until it "
                       "has stopped, then delete it", job_id, maivid_job_state_name(state));
    }
    for (size_t i = 0; i < e->job_count; i++) {
        if (e->jobs[i] == job) {
            memmove(e->jobs + i, e->jobs + i + 1, (e->job_count - i - 1) * sizeof *e->jobs);
            e->job_count--;
            break;
        }
    }
    pthread_cond_broadcast(&e->changed);
    mv_engine_unlock(e);
    maivid_code rc = mv_remove_tree(job->dir, err);
    if (rc != MAIVID_OK)
        mv_engine_log(e, MAIVID_LOG_ERROR, job_id, "%s", err->message);
    mv_job_free(job);
    return rc;
}

/* Runs one of the calls above and copies its reason into the caller's errbuf. */
typedef maivid_code (*mv_job_call)(maivid_engine *e, const char *job_id, mv_error *err);

static maivid_code mv_job_call_errbuf(mv_job_call call, maivid_engine *e, const char *job_id,
                                      char *errbuf, size_t errbuf_size)
{
    mv_error err;
    mv_error_clear(&err);
    maivid_code rc = call(e, job_id, &err);
    if (rc != MAIVID_OK)
        mv_copy_error(errbuf, errbuf_size, &err);
    return rc;
}

MAIVID_API maivid_code maivid_job_cancel_ex(maivid_engine *e, const char *job_id, char *errbuf,
                                            size_t errbuf_size)
{
    return mv_job_call_errbuf(mv_job_cancel_err, e, job_id, errbuf, errbuf_size);
}

MAIVID_API maivid_code maivid_job_resume_ex(maivid_engine *e, const char *job_id, char *errbuf,
                                            size_t errbuf_size)
{
    return mv_job_call_errbuf(mv_job_resume_err, e, job_id, errbuf, errbuf_size);
}

MAIVID_API maivid_code maivid_job_delete_ex(maivid_engine *e, const char *job_id, char *errbuf,
                                            size_t errbuf_size)
{
    return mv_job_call_errbuf(mv_job_delete_err, e, job_id, errbuf, errbuf_size);
}

MAIVID_API maivid_code maivid_job_cancel(maivid_engine *e, const char *job_id)
{
    return maivid_job_cancel_ex(e, job_id, NULL, 0);
}

MAIVID_API maivid_code maivid_job_resume(maivid_engine *e, const char *job_id)
{
    return maivid_job_resume_ex(e, job_id, NULL, 0);
}

MAIVID_API maivid_code maivid_job_delete(maivid_engine *e, const char *job_id)
{
    return maivid_job_delete_ex(e, job_id, NULL, 0);
}

/* The shared queue's job list in maivid_job_list()'s one-block form. */
static maivid_code mv_job_list_shared(maivid_engine *e, char ***ids_out, size_t *count_out)
{
    char **list = NULL;
    size_t n = 0;
    mv_error err;
    maivid_code rc = mv_shared_list(e, &list, &n, &err);
    if (rc != MAIVID_OK)
        return rc;
    char **ids = malloc((n + 1) * sizeof *ids + n * MAIVID_JOB_ID_SIZE);
    char *strings = ids ? (char *)(ids + n + 1) : NULL;
    for (size_t i = 0; i < n; i++) {
        if (ids) {
            ids[i] = strings + i * MAIVID_JOB_ID_SIZE;
            mv_strlcpy(ids[i], list[i], MAIVID_JOB_ID_SIZE);
        }
        free(list[i]);
    }
    free(list);
    if (!ids)
        return MAIVID_E_NOMEM;
    ids[n] = NULL;
    *ids_out = ids;
    *count_out = n;
    return MAIVID_OK;
}

MAIVID_API maivid_code maivid_job_list(maivid_engine *e, char ***ids_out, size_t *count_out)
{
    if (!e || !ids_out || !count_out)
        return MAIVID_E_INVALID;
    *ids_out = NULL;
    *count_out = 0;
    if (e->shared)
        return mv_job_list_shared(e, ids_out, count_out);
    pthread_mutex_lock(&e->lock);
    size_t n = e->job_count;
    /* One block: the pointer array, then the strings, so one maivid_free() frees all. */
    char **ids = malloc((n + 1) * sizeof *ids + n * MAIVID_JOB_ID_SIZE);
    if (!ids) {
        mv_engine_unlock(e);
        return MAIVID_E_NOMEM;
    }
    char *strings = (char *)(ids + n + 1);
    for (size_t i = 0; i < n; i++) {
        ids[i] = strings + i * MAIVID_JOB_ID_SIZE;
        mv_strlcpy(ids[i], e->jobs[n - 1 - i]->id, MAIVID_JOB_ID_SIZE); /* newest first */
    }
    ids[n] = NULL;
    mv_engine_unlock(e);
    *ids_out = ids;
    *count_out = n;
    return MAIVID_OK;
}
