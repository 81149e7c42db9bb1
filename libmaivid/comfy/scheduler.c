/*
 * scheduler.c - mv_images_make_batch: many scene images at once. Every ComfyUI server gets a
 * worker thread that keeps it busy with one prompt at a time; a scene that fails on a server
 * goes back to the queue for the servers that have not tried it, and a server that stops
 * answering is dropped so its scenes move to the others. Built-in illustrator scenes are
 * painted one after another on the calling thread meanwhile. Cache hits end at once.
 */
#include "comfy/mv_comfy.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MV_JOB_PENDING = 0, MV_JOB_RUNNING = 1, MV_JOB_ENDED = 2 };

typedef struct mv_batch mv_batch;

typedef struct mv_job_task {
    mv_task task;
    mv_batch *batch;
    size_t index;
} mv_job_task;

struct mv_batch {
    mv_image_backends *b;
    const mv_image_job *jobs;
    size_t count;
    mv_prepared_job *prep;
    int *state;
    unsigned char *tried;  /* count x url_count: 1 = that server failed this job */
    mv_error *last_err;
    int *server_dead;
    double *fraction;
    size_t in_flight;
    mv_job_task *job_tasks;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    pthread_mutex_t progress_lock;
    mv_image_done_fn done;
    void *user_data;
    const mv_task *task;
};

typedef struct mv_worker {
    mv_batch *batch;
    size_t server;
    pthread_t thread;
    int started;
} mv_worker;

/* Records job i's fraction and reports the batch's (one thread at a time). */
static void mv_batch_report(mv_batch *bt, size_t i, double fraction)
{
    pthread_mutex_lock(&bt->progress_lock);
    bt->fraction[i] = fraction < 0 ? 0 : fraction > 1 ? 1 : fraction;
    double sum = 0;
    for (size_t i = 0; i < bt->count; i++)
        sum += bt->fraction[i];
    mv_task_progress(bt->task, bt->count ? sum / bt->count : 1.0, "making scene images");
    pthread_mutex_unlock(&bt->progress_lock);
}

static void mv_job_progress(void *user, double fraction, const char *text)
{
    (void)text;
    mv_job_task *jt = user;
    mv_batch_report(jt->batch, jt->index, fraction);
}

static void mv_job_warn(void *user, const char *text)
{
    mv_job_task *jt = user;
    mv_task_warn(jt->batch->task, "scene %zu: %s", jt->index + 1, text);
}

/* Marks job i ended and tells the caller. Called without the lock held. */
static void mv_batch_end(mv_batch *bt, size_t i, maivid_code code, const char *message)
{
    if (bt->done)
        bt->done(bt->user_data, i, code, code == MAIVID_OK ? NULL : message);
    mv_batch_report(bt, i, 1.0);
}

/* 1 if some live server has not yet failed job i. Lock held. */
static int mv_job_has_chance(const mv_batch *bt, size_t i)
{
    for (size_t s = 0; s < bt->b->url_count; s++)
        if (!bt->server_dead[s] && !bt->tried[i * bt->b->url_count + s])
            return 1;
    return 0;
}

static void *mv_worker_main(void *arg)
{
    mv_worker *w = arg;
    mv_batch *bt = w->batch;
    size_t s = w->server, n = bt->b->url_count;
    pthread_mutex_lock(&bt->lock);
    for (;;) {
        if (mv_task_cancelled(bt->task) || bt->server_dead[s])
            break;
        size_t pick = bt->count;
        for (size_t i = 0; i < bt->count && pick == bt->count; i++)
            if (bt->state[i] == MV_JOB_PENDING && !bt->tried[i * n + s])
                pick = i;
        if (pick == bt->count) {
            if (bt->in_flight == 0)
                break; /* nothing this server can take will come back */
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += 200000000L;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&bt->changed, &bt->lock, &until);
            continue;
        }
        bt->state[pick] = MV_JOB_RUNNING;
        bt->in_flight++;
        pthread_mutex_unlock(&bt->lock);

        mv_error err;
        mv_error_clear(&err);
        mv_comfy_fault fault = MV_FAULT_NONE;
        const mv_prepared_job *p = &bt->prep[pick];
        maivid_code rc = mv_comfy_run(bt->b->urls[s], p->graph, p->model ? p->model->id : NULL,
                                      &bt->b->timing, bt->jobs[pick].output_path,
                                      &bt->job_tasks[pick].task, &fault, &err);
        if (rc == MAIVID_OK)
            mv_cache_store(bt->prep[pick].cache_path, bt->jobs[pick].output_path,
                           &bt->job_tasks[pick].task);

        pthread_mutex_lock(&bt->lock);
        bt->in_flight--;
        int ended = 0;
        if (rc == MAIVID_OK) {
            bt->state[pick] = MV_JOB_ENDED;
            ended = 1;
        } else if (rc == MAIVID_E_CANCELLED) {
            bt->state[pick] = MV_JOB_PENDING; /* reported as cancelled at the end */
        } else {
            bt->last_err[pick] = err;
            bt->tried[pick * n + s] = 1;
            if (fault == MV_FAULT_SERVER) {
                bt->server_dead[s] = 1;
                mv_task_warn(bt->task, "%s; its scenes move to the other servers", err.message);
            }
            if (mv_job_has_chance(bt, pick)) {
                bt->state[pick] = MV_JOB_PENDING;
            } else {
                bt->state[pick] = MV_JOB_ENDED;
                ended = 1;
            }
        }
        /* Jobs that only this (now dead) server could still have run end here too. */
        size_t orphans[64];
        size_t orphan_count = 0;
        if (bt->server_dead[s])
            for (size_t i = 0; i < bt->count && orphan_count < 64; i++)
                if (bt->state[i] == MV_JOB_PENDING && !mv_job_has_chance(bt, i) &&
                    bt->last_err[i].code != MAIVID_OK) {
                    bt->state[i] = MV_JOB_ENDED;
                    orphans[orphan_count++] = i;
                }
        pthread_cond_broadcast(&bt->changed);
        pthread_mutex_unlock(&bt->lock);
        if (ended)
            mv_batch_end(bt, pick, rc, err.message);
        for (size_t k = 0; k < orphan_count; k++)
            mv_batch_end(bt, orphans[k], bt->last_err[orphans[k]].code,
                         bt->last_err[orphans[k]].message);
        pthread_mutex_lock(&bt->lock);
    }
    pthread_cond_broadcast(&bt->changed);
    pthread_mutex_unlock(&bt->lock);
    return NULL;
}

static void mv_batch_free(mv_batch *bt)
{
    for (size_t i = 0; bt->prep && i < bt->count; i++)
        mv_prepared_free(&bt->prep[i]);
    free(bt->prep);
    free(bt->state);
    free(bt->tried);
    free(bt->last_err);
    free(bt->server_dead);
    free(bt->fraction);
    free(bt->job_tasks);
    pthread_mutex_destroy(&bt->lock);
    pthread_mutex_destroy(&bt->progress_lock);
    pthread_cond_destroy(&bt->changed);
}

maivid_code mv_images_make_batch(mv_image_backends *b, const mv_image_job *jobs, size_t count,
                                 mv_image_done_fn done, void *user_data, const mv_task *task,
                                 mv_error *err)
{
    mv_batch bt = {.b = b, .jobs = jobs, .count = count, .done = done, .user_data = user_data,
                   .task = task};
    size_t n = b->url_count;
    pthread_mutex_init(&bt.lock, NULL);
    pthread_mutex_init(&bt.progress_lock, NULL);
    pthread_cond_init(&bt.changed, NULL);
    bt.prep = calloc(count ? count : 1, sizeof *bt.prep);
    bt.state = calloc(count ? count : 1, sizeof *bt.state);
    bt.tried = calloc((count ? count : 1) * (n ? n : 1), 1);
    bt.last_err = calloc(count ? count : 1, sizeof *bt.last_err);
    bt.server_dead = calloc(n ? n : 1, sizeof *bt.server_dead);
    bt.fraction = calloc(count ? count : 1, sizeof *bt.fraction);
    bt.job_tasks = calloc(count ? count : 1, sizeof *bt.job_tasks);
    if (!bt.prep || !bt.state || !bt.tried || !bt.last_err || !bt.server_dead || !bt.fraction ||
        !bt.job_tasks) {
        mv_batch_free(&bt);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory planning %zu scene images", count);
    }
    for (size_t i = 0; i < count; i++) {
        mv_job_task *jt = &bt.job_tasks[i];
        jt->batch = &bt;
        jt->index = i;
        jt->task.progress = mv_job_progress;
        jt->task.warn = mv_job_warn;
        jt->task.user_data = jt;
        jt->task.cancel = task ? task->cancel : NULL;
    }

    /* Prepare every job; invalid ones and cache hits end now. */
    size_t comfy_jobs = 0;
    for (size_t i = 0; i < count; i++) {
        mv_error e;
        mv_error_clear(&e);
        if (mv_images_prepare(b, &jobs[i], &bt.prep[i], &e) != MAIVID_OK) {
            bt.state[i] = MV_JOB_ENDED;
            mv_batch_end(&bt, i, e.code, e.message);
        } else if (mv_cache_fetch(bt.prep[i].cache_path, jobs[i].output_path)) {
            bt.state[i] = MV_JOB_ENDED;
            mv_batch_end(&bt, i, MAIVID_OK, NULL);
        } else if (!bt.prep[i].is_painter && n == 0) {
            bt.state[i] = MV_JOB_ENDED;
            mv_images_run_comfy(b, &bt.prep[i], jobs[i].output_path, 0, task, &e);
            mv_batch_end(&bt, i, e.code, e.message);
        } else if (!bt.prep[i].is_painter) {
            comfy_jobs++;
        }
    }

    mv_worker *workers = calloc(n ? n : 1, sizeof *workers);
    for (size_t s = 0; workers && comfy_jobs > 0 && s < n; s++) {
        workers[s].batch = &bt;
        workers[s].server = s;
        workers[s].started = pthread_create(&workers[s].thread, NULL, mv_worker_main,
                                            &workers[s]) == 0;
    }

    /* The illustrator paints on this thread, one scene after another. */
    for (size_t i = 0; i < count; i++) {
        if (bt.state[i] != MV_JOB_PENDING || !bt.prep[i].is_painter)
            continue;
        if (mv_task_cancelled(task))
            break;
        bt.state[i] = MV_JOB_ENDED;
        mv_error e;
        mv_error_clear(&e);
        maivid_code rc = mv_images_paint(&jobs[i], &e);
        if (rc == MAIVID_OK)
            mv_cache_store(bt.prep[i].cache_path, jobs[i].output_path, task);
        mv_batch_end(&bt, i, rc, e.message);
    }

    for (size_t s = 0; workers && s < n; s++)
        if (workers[s].started)
            pthread_join(workers[s].thread, NULL);
    free(workers);

    /* Whatever is left either was cancelled or failed on every server. */
    int cancelled = mv_task_cancelled(task);
    for (size_t i = 0; i < count; i++) {
        if (bt.state[i] == MV_JOB_ENDED)
            continue;
        bt.state[i] = MV_JOB_ENDED;
        if (cancelled)
            mv_batch_end(&bt, i, MAIVID_E_CANCELLED, "cancelled");
        else if (bt.last_err[i].code != MAIVID_OK)
            mv_batch_end(&bt, i, bt.last_err[i].code, bt.last_err[i].message);
        else
            mv_batch_end(&bt, i, MAIVID_E_BACKEND,
                         "no ComfyUI server could take this scene (all of them failed); check "
                         "the servers and run the job again");
    }
    mv_batch_free(&bt);
    if (cancelled)
        return mv_fail(err, MAIVID_E_CANCELLED, "cancelled while making scene images");
    return MAIVID_OK;
}
