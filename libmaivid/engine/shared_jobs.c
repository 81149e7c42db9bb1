/*
 * shared_jobs.c - the engine on a shared queue (maivid_config.queue_url): its workers take
 * jobs from the Redis stream instead of the in-process FIFO, a heartbeat thread renews their
 * claims and polls cancel requests, and the job calls read and change the records in Redis
 * for jobs this engine is not running. The engine's job table then holds only the jobs it
 * runs. Without Redis, status and list answer from the job.json files on the shared data_dir.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/mv_engine.h"
#include "engine/mv_job_json.h"

maivid_code mv_shared_open(maivid_engine *e, const char *url, mv_error *err)
{
    return mv_queue_open(url, e->worker_name, &e->shared, err);
}

/* Waits up to `ms` or until the engine closes (lock held). */
static void mv_shared_nap_locked(maivid_engine *e, int ms)
{
    struct timespec deadline = mv_realtime_in_ms(ms);
    if (!e->closing)
        pthread_cond_timedwait(&e->changed, &e->lock, &deadline);
}

static void mv_shared_nap(maivid_engine *e, int ms)
{
    pthread_mutex_lock(&e->lock);
    mv_shared_nap_locked(e, ms);
    pthread_mutex_unlock(&e->lock);
}

/* Stops a job whose claim this engine no longer holds (lock held). */
static void mv_shared_lose_locked(maivid_engine *e, mv_job *job, const char *why)
{
    if (atomic_exchange(&job->claim_lost, 1))
        return;
    atomic_store(&job->stop, MV_STOP_SHUTDOWN);
    mv_engine_log_locked(e, MAIVID_LOG_WARN, job->id, "%s: stopping here; another worker "
                         "resumes the job from its checkpoint", why);
}

void mv_shared_publish(maivid_engine *e, mv_job *job, const char *record)
{
    if (!e->shared || !job->claim || atomic_load(&job->claim_lost))
        return;
    mv_error err;
    if (mv_queue_publish(e->shared, job->claim, record, &err) == 0) {
        pthread_mutex_lock(&e->lock);
        mv_shared_lose_locked(e, job, "the job's claim was taken by another worker");
        mv_engine_unlock(e);
    }
}

/* ---- the heartbeat: every MV_QUEUE_HEARTBEAT_MS, for each job this engine runs */

typedef struct mv_beat {
    char job_id[MAIVID_JOB_ID_SIZE];
    mv_queue_claim claim;
    int result;
} mv_beat;

static void mv_shared_beat_once(maivid_engine *e)
{
    mv_beat beats[64];
    size_t n = 0;
    for (size_t i = 0; i < e->job_count && n < 64; i++) {
        mv_job *job = e->jobs[i];
        if (!job->in_pipeline || !job->claim || atomic_load(&job->claim_lost))
            continue;
        mv_strlcpy(beats[n].job_id, job->id, sizeof beats[n].job_id);
        beats[n++].claim = *job->claim;
    }
    pthread_mutex_unlock(&e->lock);
    for (size_t i = 0; i < n; i++) {
        mv_error err;
        beats[i].result = mv_queue_heartbeat(e->shared, &beats[i].claim, &err);
    }
    pthread_mutex_lock(&e->lock);
    double now = mv_monotonic();
    for (size_t i = 0; i < n; i++) {
        mv_job *job = mv_engine_find_locked(e, beats[i].job_id);
        if (!job || !job->claim || strcmp(job->claim->owner, beats[i].claim.owner) != 0)
            continue;
        int r = beats[i].result;
        if (r >= 1)
            job->claim->renewed_at = now;
        if (r == 2 && atomic_load(&job->stop) == MV_STOP_NONE) {
            atomic_store(&job->stop, MV_STOP_CANCEL);
            mv_engine_log_locked(e, MAIVID_LOG_INFO, job->id, "cancel requested through the "
                                 "shared queue");
        } else if (r == 0) {
            mv_shared_lose_locked(e, job, "the job's claim was taken by another worker");
        } else if (r < 0 && now - job->claim->renewed_at > 0.8 * MV_QUEUE_LEASE_MS / 1000.0) {
            /* Past 80% of the lease without reaching Redis: others may take the job soon. */
            mv_shared_lose_locked(e, job, "the shared queue was unreachable for most of the "
                                  "claim's lease");
        }
    }
}

static void *mv_shared_heartbeat_main(void *arg)
{
    maivid_engine *e = arg;
    for (;;) {
        pthread_mutex_lock(&e->lock);
        mv_shared_nap_locked(e, MV_QUEUE_HEARTBEAT_MS);
        int closing = e->closing;
        if (!closing)
            mv_shared_beat_once(e);
        mv_engine_unlock(e); /* delivers what the beat logged */
        if (closing)
            return NULL;
    }
}

/* Starts the heartbeat; called by the first worker (so opening stays simple). */
static void mv_shared_start_heartbeat_locked(maivid_engine *e)
{
    if (e->heartbeat_started)
        return;
    if (pthread_create(&e->heartbeat, NULL, mv_shared_heartbeat_main, e) == 0)
        e->heartbeat_started = 1;
}

void mv_shared_close(maivid_engine *e)
{
    if (e->heartbeat_started)
        pthread_join(e->heartbeat, NULL);
    e->heartbeat_started = 0;
    mv_queue_close(e->shared);
    e->shared = NULL;
}

/* ---- the worker */

/* After the pipeline: the final record, acknowledged; retried while Redis is away (the
 * heartbeat keeps the claim). An interrupted job goes back into the queue. */
static void mv_shared_settle(maivid_engine *e, mv_job *job, mv_queue_claim *claim)
{
    pthread_mutex_lock(&e->lock);
    int ended = mv_job_ended(job);
    if (!ended) { /* interrupted here: it waits for the next free worker */
        job->state = MAIVID_JOB_QUEUED;
        mv_strlcpy(job->stage_text, "Queued (resuming)", sizeof job->stage_text);
    }
    char *record = mv_job_record_text(job);
    mv_engine_unlock(e);
    mv_error err;
    double give_up = 0;
    for (;;) {
        if (atomic_load(&job->claim_lost))
            break;
        int r = ended ? mv_queue_finish(e->shared, claim, record, &err)
                      : mv_queue_release(e->shared, claim, record, &err);
        if (r == 0)
            mv_engine_log(e, MAIVID_LOG_WARN, job->id, "the job's claim was taken by another "
                          "worker before it could be settled");
        if (r >= 0 || !ended)
            break; /* an interrupted job not released is taken over after the lease */
        pthread_mutex_lock(&e->lock);
        int closing = e->closing;
        mv_engine_unlock(e);
        if (closing && give_up == 0)
            give_up = mv_monotonic() + 5.0;
        if (give_up > 0 && mv_monotonic() > give_up) {
            mv_engine_log(e, MAIVID_LOG_ERROR, job->id, "could not record the job's end in the "
                          "shared queue (%s); another worker will find it ended", err.message);
            break;
        }
        mv_shared_nap(e, 500);
    }
    free(record);
}

static void mv_shared_run(maivid_engine *e, mv_queue_claim *claim, const char *record)
{
    mv_error err;
    mv_error_clear(&err);
    char *dir = mv_strdup_printf("%s/%s", e->jobs_dir, claim->job_id);
    mv_job *job = NULL;
    maivid_code rc = MAIVID_E_NOT_FOUND;
    if (record && dir && maivid_job_id_valid(claim->job_id))
        rc = mv_job_from_text(record, dir, "the shared queue's record", &job, &err);
    free(dir);
    if (rc != MAIVID_OK || mv_job_ended(job)) {
        if (rc != MAIVID_OK && rc != MAIVID_E_NOT_FOUND)
            mv_engine_log(e, MAIVID_LOG_ERROR, claim->job_id, "dropped from the shared queue: %s",
                          err.message);
        mv_queue_finish(e->shared, claim, NULL, &err); /* deleted, damaged or ended: done */
        mv_job_free(job);
        return;
    }
    if (mv_queue_cancel_requested(e->shared, job->id))
        atomic_store(&job->stop, MV_STOP_CANCEL);
    claim->renewed_at = mv_monotonic();
    job->claim = claim;
    pthread_mutex_lock(&e->lock);
    if (e->closing || !mv_engine_add_job_locked(e, job)) {
        mv_engine_unlock(e);
        mv_queue_release(e->shared, claim, record, &err);
        mv_job_free(job);
        return;
    }
    job->in_pipeline = 1;
    e->busy_workers++;
    if (claim->taken_over || job->state == MAIVID_JOB_RUNNING)
        mv_strlcpy(job->stage_text, "Resuming", sizeof job->stage_text);
    mv_engine_log_locked(e, MAIVID_LOG_INFO, job->id, "job taken by %s%s", e->worker_name,
                         claim->taken_over ? " (from a worker that stopped renewing its claim)"
                                           : "");
    mv_engine_unlock(e);
    mv_pipeline_run(e, job);
    pthread_mutex_lock(&e->lock);
    job->claim = NULL; /* settled below: the heartbeat lets go of it */
    mv_engine_unlock(e);
    mv_shared_settle(e, job, claim);
    pthread_mutex_lock(&e->lock);
    for (size_t i = 0; i < e->job_count; i++) {
        if (e->jobs[i] == job) {
            memmove(e->jobs + i, e->jobs + i + 1, (e->job_count - i - 1) * sizeof *e->jobs);
            e->job_count--;
            break;
        }
    }
    e->busy_workers--;
    job->in_pipeline = 0;
    pthread_cond_broadcast(&e->changed);
    mv_engine_unlock(e);
    mv_job_free(job);
}

void *mv_shared_worker_main(void *arg)
{
    maivid_engine *e = arg;
    int outage = 0;
    pthread_mutex_lock(&e->lock);
    mv_shared_start_heartbeat_locked(e);
    while (!e->closing) {
        mv_engine_unlock(e);
        mv_queue_claim claim;
        char *record = NULL;
        mv_error err;
        mv_error_clear(&err);
        int got = mv_queue_take(e->shared, 1000, &claim, &record, &err);
        if (got < 0) {
            if (!outage++)
                mv_engine_log(e, MAIVID_LOG_WARN, NULL, "%s", err.message);
            mv_shared_nap(e, 500);
        } else {
            if (outage)
                mv_engine_log(e, MAIVID_LOG_INFO, NULL, "the shared job queue answers again");
            outage = 0;
            if (got > 0)
                mv_shared_run(e, &claim, record);
        }
        free(record);
        pthread_mutex_lock(&e->lock);
    }
    mv_engine_unlock(e);
    return NULL;
}

/* ---- the job calls */

maivid_code mv_shared_submit(maivid_engine *e, mv_job *job, mv_error *err)
{
    char *record = mv_job_record_text(job);
    if (!record)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    maivid_code rc = mv_queue_submit(e->shared, job->id, record, job->created_at, e->queue_limit,
                                     err);
    free(record);
    return rc;
}

/* From the job's own job.json on the shared data_dir (Redis unreachable). */
static maivid_code mv_shared_status_from_disk(maivid_engine *e, const char *job_id, mv_job **out,
                                              mv_error *err)
{
    char *dir = mv_strdup_printf("%s/%s", e->jobs_dir, job_id);
    if (!dir)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    maivid_code rc = mv_file_exists(dir) ? mv_job_load(dir, out, err)
                                         : mv_fail(err, MAIVID_E_NOT_FOUND, "no job %s", job_id);
    free(dir);
    return rc;
}

maivid_code mv_shared_status(maivid_engine *e, const char *job_id, mv_job **out, int *position,
                             mv_error *err)
{
    *out = NULL;
    *position = 0;
    char *record = NULL;
    maivid_code rc = mv_queue_get(e->shared, job_id, &record, position, err);
    if (rc == MAIVID_E_UNAVAILABLE)
        return mv_shared_status_from_disk(e, job_id, out, err);
    if (rc != MAIVID_OK)
        return rc;
    char *dir = mv_strdup_printf("%s/%s", e->jobs_dir, job_id);
    rc = dir ? mv_job_from_text(record, dir, "the shared queue's record", out, err)
             : mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    free(dir);
    free(record);
    if (rc == MAIVID_OK && (*out)->state != MAIVID_JOB_QUEUED)
        *position = 0;
    return rc;
}

static int mv_id_desc(const void *a, const void *b)
{
    return strcmp(*(char *const *)b, *(char *const *)a);
}

/* The job directories on the shared data_dir, newest first (Redis unreachable). */
static maivid_code mv_shared_list_disk(maivid_engine *e, char ***ids_out, size_t *count_out)
{
    DIR *d = opendir(e->jobs_dir);
    size_t count = 0, cap = 16;
    char **ids = calloc(cap + 1, sizeof *ids);
    struct dirent *de;
    while (d && ids && (de = readdir(d)) != NULL) {
        if (!maivid_job_id_valid(de->d_name))
            continue;
        if (count == cap) {
            char **grown = realloc(ids, (cap * 2 + 1) * sizeof *ids);
            if (!grown)
                break;
            ids = grown;
            cap *= 2;
        }
        if ((ids[count] = mv_strdup(de->d_name)) != NULL)
            count++;
    }
    if (d)
        closedir(d);
    if (!ids)
        return MAIVID_E_NOMEM;
    qsort(ids, count, sizeof *ids, mv_id_desc);
    *ids_out = ids;
    *count_out = count;
    return MAIVID_OK;
}

maivid_code mv_shared_list(maivid_engine *e, char ***ids, size_t *count, mv_error *err)
{
    maivid_code rc = mv_queue_list(e->shared, ids, count, err);
    return rc == MAIVID_E_UNAVAILABLE ? mv_shared_list_disk(e, ids, count) : rc;
}

typedef struct mv_cancel_edit {
    maivid_engine *e;
    const char *job_id;
} mv_cancel_edit;

/* The stored record as cancelled, when the job still waits; else NULL. */
static char *mv_shared_cancelled_record(void *user_data, const char *record)
{
    mv_cancel_edit *edit = user_data;
    char *dir = mv_strdup_printf("%s/%s", edit->e->jobs_dir, edit->job_id);
    mv_job *job = NULL;
    mv_error err;
    char *text = NULL;
    if (dir && mv_job_from_text(record, dir, "the shared queue's record", &job, &err) == MAIVID_OK &&
        job->state == MAIVID_JOB_QUEUED) {
        job->state = MAIVID_JOB_CANCELLED;
        job->completed_at = job->updated_at = mv_now();
        mv_strlcpy(job->stage_text, "Cancelled", sizeof job->stage_text);
        text = mv_job_record_text(job);
    }
    mv_job_free(job);
    free(dir);
    return text;
}

maivid_code mv_shared_cancel(maivid_engine *e, const char *job_id, mv_error *err)
{
    char *record = NULL;
    int position = 0;
    maivid_code rc = mv_queue_get(e->shared, job_id, &record, &position, err);
    free(record);
    if (rc != MAIVID_OK)
        return rc;
    mv_cancel_edit edit = {e, job_id};
    char *written = NULL;
    rc = mv_queue_cancel(e->shared, job_id, mv_shared_cancelled_record, &edit, &written, err);
    if (rc == MAIVID_OK && written) {
        /* the local mirror of the record */
        char *path = mv_strdup_printf("%s/%s/job.json", e->jobs_dir, job_id);
        mv_error werr;
        if (path && mv_write_file_atomic(path, written, strlen(written), &werr) != MAIVID_OK)
            mv_engine_log(e, MAIVID_LOG_ERROR, job_id, "%s", werr.message);
        free(path);
        mv_engine_log(e, MAIVID_LOG_INFO, job_id, "job cancelled while queued");
        /* the observer hears of it as of any other end (a server's webhook, say) */
        mv_pending_event ev;
        memset(&ev, 0, sizeof ev);
        mv_strlcpy(ev.job_id, job_id, sizeof ev.job_id);
        mv_strlcpy(ev.text, "Cancelled", sizeof ev.text);
        ev.event.struct_size = sizeof ev.event;
        ev.event.type = MAIVID_EVENT_STATE;
        ev.event.state = MAIVID_JOB_CANCELLED;
        ev.event.scene_index = -1;
        mv_emit_event(e, &ev);
    }
    free(written);
    return rc;
}

maivid_code mv_shared_delete(maivid_engine *e, const char *job_id, mv_error *err)
{
    mv_job *job = NULL;
    int position = 0;
    maivid_code rc = mv_shared_status(e, job_id, &job, &position, err);
    if (rc != MAIVID_OK)
        return rc;
    int ended = mv_job_ended(job);
    maivid_job_state state = job->state;
    char *dir = job->dir ? mv_strdup(job->dir) : NULL;
    mv_job_free(job);
    if (!ended) {
        free(dir);
        return mv_fail(err, MAIVID_E_BUSY, "job %s is still %s: cancel it and wait until it "
                       "has stopped, then delete it", job_id, maivid_job_state_name(state));
    }
    rc = mv_queue_delete(e->shared, job_id, err);
    if (rc == MAIVID_OK && dir)
        rc = mv_remove_tree(dir, err);
    free(dir);
    return rc;
}

maivid_code mv_shared_wait(maivid_engine *e, const char *job_id, int timeout_ms)
{
    double deadline = mv_monotonic() + timeout_ms / 1000.0;
    for (;;) {
        maivid_status *st = NULL;
        maivid_code rc = maivid_job_status(e, job_id, &st);
        if (rc != MAIVID_OK)
            return rc;
        int ended = maivid_status_state(st) == MAIVID_JOB_COMPLETED ||
                    maivid_status_state(st) == MAIVID_JOB_FAILED ||
                    maivid_status_state(st) == MAIVID_JOB_CANCELLED;
        maivid_status_free(st);
        if (ended)
            return MAIVID_OK;
        pthread_mutex_lock(&e->lock);
        int closing = e->closing;
        if (!closing)
            mv_shared_nap_locked(e, 200);
        pthread_mutex_unlock(&e->lock);
        if (closing)
            return MAIVID_E_CANCELLED;
        if (timeout_ms >= 0 && mv_monotonic() >= deadline)
            return MAIVID_E_TIMEOUT;
    }
}
