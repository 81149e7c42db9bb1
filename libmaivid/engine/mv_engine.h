/*
 * mv_engine.h - the engine's private state: configuration copy, the job table, the FIFO
 * queue and the worker pool, all behind one mutex; a condition variable wakes workers and
 * waiters on every state change.
 */
#ifndef MV_ENGINE_H
#define MV_ENGINE_H

#include <pthread.h>

#include "images/mv_images.h"
#include "engine/mv_job.h"
#include "ingest/mv_ingest.h"
#include "maivid/maivid.h"
#include "plan/mv_plan.h"
#include "queue/mv_queue.h"

struct maivid_engine {
    /* configuration (strings owned) */
    char *data_dir, *jobs_dir;
    unsigned workers, queue_limit;
    int allow_local_files, resume_jobs;
    maivid_log_fn log;
    void *log_user_data;
    maivid_stages stages;       /* copy of the caller's, zeroed members past its version */
    int has_stages;
    mv_fetch_config fetch;      /* strings point into owned copies below */
    char *suno_web_base, *suno_api_base, *suno_cdn_base;
    char **comfyui_urls;
    size_t comfyui_url_count;
    char *models_dir;
    double image_timeout;
    mv_llm_config llm;
    char *llm_url, *llm_model, *llm_api_key;
    char *stt_url, *stt_model, *stt_api_key;
    char *suno_token;           /* a secret: wiped when the engine closes */
    mv_image_backends *images;
    double keep_seconds;        /* retention (retention.c); 0: off */
    uint64_t max_data_bytes;    /* 0: no cap */

    pthread_mutex_t lock;
    struct mv_log_entry *logs;  /* messages logged with the lock held, oldest first */
    struct mv_log_entry **logs_tail;
    pthread_cond_t changed;     /* broadcast on any job state change */
    mv_job **jobs;              /* all known jobs, in creation order */
    size_t job_count, job_cap;
    mv_job **queue;             /* FIFO of queued jobs */
    size_t queue_len, queue_cap;
    pthread_t *threads;
    unsigned thread_count;
    int closing;
    unsigned busy_workers;
    double next_sweep;          /* mv_monotonic() of the next periodic retention sweep */
    int sweeping;               /* a retention sweep is running */
    char worker_name[MV_WORKER_SIZE]; /* "host:pid": stamped on each stage this engine runs */
    mv_queue *shared;           /* the shared queue (shared_jobs.c); NULL: embedded */
    pthread_t heartbeat;        /* shared queue: renews claims, polls cancel requests */
    int heartbeat_started;
    int submit_only;            /* shared queue: no workers (maivid_config.queue_submit_only) */
};

/* Logging through the caller's callback (no-op without one), never with the lock held, so
 * the callback may call back into the engine: mv_engine_log() with the lock NOT held calls it
 * at once; mv_engine_log_locked() (lock held) queues the message, and mv_engine_unlock()
 * releases the lock and then delivers what was queued. */
void mv_engine_log(maivid_engine *e, maivid_log_level level, const char *job_id,
                   const char *format, ...) __attribute__((format(printf, 4, 5)));
void mv_engine_log_locked(maivid_engine *e, maivid_log_level level, const char *job_id,
                          const char *format, ...) __attribute__((format(printf, 4, 5)));
void mv_engine_unlock(maivid_engine *e);
/* Drops undelivered messages (closing). */
void mv_engine_logs_free(maivid_engine *e);

/* With the lock held: the job with this id, or NULL. */
mv_job *mv_engine_find_locked(maivid_engine *e, const char *id);
/* With the lock held: 1-based queue position, 0 when not queued. */
int mv_engine_queue_position_locked(maivid_engine *e, const mv_job *job);

/* With the lock held: append to the job table / the queue. 0 when out of memory. */
int mv_engine_add_job_locked(maivid_engine *e, mv_job *job);
int mv_engine_enqueue_locked(maivid_engine *e, mv_job *job);

/* Retention (retention.c): removes ended jobs that ended before now - keep_seconds, then the
 * oldest ended jobs while all jobs' files exceed max_data_bytes. `now` is epoch seconds
 * (mv_now(); tests pass a later one). Lock NOT held; one sweep at a time. Returns how many
 * jobs it removed. */
size_t mv_retention_sweep(maivid_engine *e, double now);
/* 1 when a retention limit is set. */
int mv_retention_enabled(const maivid_engine *e);

/* space.c: keeps a small reserve file in the data directory (made again when there is
 * room), and gives it up when `failure` (a failed job.json write) says the disk is full;
 * 1 when it did, so the write is worth one retry. */
void mv_space_reserve(maivid_engine *e);
int mv_space_release(maivid_engine *e, const mv_error *failure, int locked);

/* Runs a job's pipeline on the calling worker thread (lock NOT held). */
void mv_pipeline_run(maivid_engine *e, mv_job *job);

/* Progress bookkeeping (lock NOT held; they take it). */
void mv_progress_enter_stage(maivid_engine *e, mv_job *job, maivid_stage stage, const char *text);
void mv_progress_stage(maivid_engine *e, mv_job *job, double fraction, const char *text);
/* The same for `stage` only: ignored once the job has moved on (a stage running beside the
 * next one, engine/images_beside.c). */
void mv_progress_stage_if(maivid_engine *e, mv_job *job, maivid_stage stage, double fraction,
                          const char *text);
void mv_progress_finish_stage(maivid_engine *e, mv_job *job);
void mv_progress_set_state(maivid_engine *e, mv_job *job, maivid_job_state state);
/* With the lock held: the overall percent for a stage fraction, and the ETA. */
double mv_progress_overall_locked(const mv_job *job, maivid_stage stage, double fraction);
double mv_progress_eta_locked(const mv_job *job);
/* The animate pass's estimate of the seconds its clips still need (< 0: not known yet); the
 * ETA adds the later stages at the run's pace (progress.c). The next stage ends it. */
void mv_progress_clip_eta(maivid_engine *e, mv_job *job, double seconds);
/* After a change to `job` (lock held): wakes waiters and fills `event` for mv_emit_event()
 * after unlocking. job.json is saved always when `force`, else at most once a second. A job
 * a worker holds is only serialised here and written (with its fsync) by mv_emit_event(),
 * outside the lock, so status readers never wait on the disk; other jobs are written here. */
typedef struct mv_pending_event {
    maivid_event event;
    char job_id[MAIVID_JOB_ID_SIZE];
    char text[256];
    mv_job *job;        /* for the deferred save */
    char *record;       /* job.json text to write, or NULL */
} mv_pending_event;
void mv_job_changed_locked(maivid_engine *e, mv_job *job, int force, maivid_event_type type,
                           int scene_index, mv_pending_event *event);
/* Calls the observer, if any (lock NOT held). */
void mv_emit_event(maivid_engine *e, mv_pending_event *event);
/* Marks a scene's state and counts processed scenes (lock NOT held). */
void mv_progress_scene(maivid_engine *e, mv_job *job, size_t index, mv_scene_state state,
                       const char *image_path);

/* jobs.c: maivid_job_create() with an optional upload: `take` runs once the job's folder
 * exists and before the job is saved and queued; it moves the song into the job and points
 * job->settings.local_path at it (upload.c). */
typedef struct mv_job_upload mv_job_upload;
struct mv_job_upload {
    maivid_code (*take)(const mv_job_upload *upload, mv_job *job, mv_error *err);
    const char *path;     /* the received file */
    const char *filename; /* the name the client gave it */
};
maivid_code mv_job_create_with(maivid_engine *e, const maivid_job_params *params,
                               const mv_job_upload *upload, char job_id[MAIVID_JOB_ID_SIZE],
                               char *errbuf, size_t errbuf_size);
/* upload.c: 1 when the job's song is a file uploaded into its own source/ folder. */
int mv_job_is_upload(const mv_job *job);
/* The shared queue (shared_jobs.c), used when the configuration names one: opening (the
 * queue and the claim heartbeat), the worker loop, and the job calls for jobs this engine is
 * not running (their records are in Redis, their files on the shared data_dir). */
maivid_code mv_shared_open(maivid_engine *e, const char *url, mv_error *err);
void mv_shared_close(maivid_engine *e); /* after closing is set and the workers joined */
void *mv_shared_worker_main(void *arg);
maivid_code mv_shared_submit(maivid_engine *e, mv_job *job, mv_error *err);
maivid_code mv_shared_status(maivid_engine *e, const char *job_id, mv_job **out, int *position,
                             mv_error *err);
maivid_code mv_shared_list(maivid_engine *e, char ***ids, size_t *count, mv_error *err);
maivid_code mv_shared_cancel(maivid_engine *e, const char *job_id, mv_error *err);
maivid_code mv_shared_delete(maivid_engine *e, const char *job_id, mv_error *err);
maivid_code mv_shared_wait(maivid_engine *e, const char *job_id, int timeout_ms);
/* After a progress write of a job this engine runs (lock NOT held): the record to Redis. */
void mv_shared_publish(maivid_engine *e, mv_job *job, const char *record);

#endif /* MV_ENGINE_H */
