/*
 * batch.c - the ComfyUI backend's make_batch: every server gets a worker thread that keeps
 * it busy with one prompt at a time; a scene that fails on a server goes back to the queue
 * for the servers that have not tried it, and a server that stops answering is dropped so
 * its scenes move to the others. (The image stage has already prepared the jobs and served
 * cache hits; it stores each finished image in the cache.)
 */
#include "comfy/mv_comfy.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MV_JOB_PENDING = 0, MV_JOB_RUNNING = 1, MV_JOB_ENDED = 2 };

typedef struct mv_servers_batch {
    mv_comfy_backend *b;
    const mv_image_job *jobs;
    const mv_prepared_job *prep;
    const size_t *which;   /* k -> the caller's job index */
    size_t count;
    const mv_task *tasks;  /* indexed by the caller's job index */
    int *state;            /* per k */
    unsigned char *tried;  /* count x url_count: 1 = that server failed this job */
    mv_error *last_err;    /* per k */
    int *server_dead;
    size_t in_flight;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    mv_image_done_fn done;
    void *user;
    const mv_task *task;
} mv_servers_batch;

typedef struct mv_worker {
    mv_servers_batch *bt;
    size_t server;
    pthread_t thread;
    int started;
} mv_worker;

/* 1 if some live server has not yet failed job k. Lock held. */
static int mv_job_has_chance(const mv_servers_batch *bt, size_t k)
{
    for (size_t s = 0; s < bt->b->url_count; s++)
        if (!bt->server_dead[s] && !bt->tried[k * bt->b->url_count + s])
            return 1;
    return 0;
}

static void mv_end(mv_servers_batch *bt, size_t k, maivid_code code, const char *message)
{
    bt->done(bt->user, bt->which[k], code, message);
}

static void *mv_worker_main(void *arg)
{
    mv_worker *w = arg;
    mv_servers_batch *bt = w->bt;
    size_t s = w->server, n = bt->b->url_count;
    pthread_mutex_lock(&bt->lock);
    for (;;) {
        if (mv_task_cancelled(bt->task) || bt->server_dead[s])
            break;
        size_t pick = bt->count;
        for (size_t k = 0; k < bt->count && pick == bt->count; k++)
            if (bt->state[k] == MV_JOB_PENDING && !bt->tried[k * n + s])
                pick = k;
        if (pick == bt->count) {
            if (bt->in_flight == 0)
                break; /* nothing this server can take will come back */
            struct timespec until = mv_realtime_in_ms(200);
            pthread_cond_timedwait(&bt->changed, &bt->lock, &until);
            continue;
        }
        bt->state[pick] = MV_JOB_RUNNING;
        bt->in_flight++;
        pthread_mutex_unlock(&bt->lock);

        size_t j = bt->which[pick];
        const mv_prepared_job *p = &bt->prep[j];
        mv_error err;
        mv_error_clear(&err);
        mv_comfy_fault fault = MV_FAULT_NONE;
        maivid_code rc = mv_comfy_run_job(bt->b, s, p, &bt->jobs[j], &bt->tasks[j], &fault,
                                          &err);

        pthread_mutex_lock(&bt->lock);
        bt->in_flight--;
        int ended = 0;
        if (rc == MAIVID_OK) {
            bt->state[pick] = MV_JOB_ENDED;
            ended = 1;
        } else if (rc == MAIVID_E_CANCELLED) {
            bt->state[pick] = MV_JOB_PENDING; /* the stage reports it as cancelled */
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
            for (size_t k = 0; k < bt->count && orphan_count < 64; k++)
                if (bt->state[k] == MV_JOB_PENDING && !mv_job_has_chance(bt, k) &&
                    bt->last_err[k].code != MAIVID_OK) {
                    bt->state[k] = MV_JOB_ENDED;
                    orphans[orphan_count++] = k;
                }
        pthread_cond_broadcast(&bt->changed);
        pthread_mutex_unlock(&bt->lock);
        if (ended)
            mv_end(bt, pick, rc, err.message);
        for (size_t o = 0; o < orphan_count; o++)
            mv_end(bt, orphans[o], bt->last_err[orphans[o]].code,
                   bt->last_err[orphans[o]].message);
        pthread_mutex_lock(&bt->lock);
    }
    pthread_cond_broadcast(&bt->changed);
    pthread_mutex_unlock(&bt->lock);
    return NULL;
}

void mv_comfy_make_batch(void *state, const mv_image_job *jobs, const mv_prepared_job *prep,
                         const size_t *which, size_t count, const mv_task *tasks,
                         mv_image_done_fn done, void *user, const mv_task *batch_task)
{
    mv_comfy_backend *b = state;
    size_t n = b->url_count;
    if (n == 0) { /* each job says that no server is configured */
        for (size_t k = 0; k < count; k++) {
            mv_error e;
            mv_error_clear(&e);
            maivid_code rc = mv_comfy_run_prepared(b, &prep[which[k]], &jobs[which[k]], 0,
                                                   &tasks[which[k]], &e);
            done(user, which[k], rc, e.message);
        }
        return;
    }
    mv_servers_batch bt = {.b = b, .jobs = jobs, .prep = prep, .which = which, .count = count,
                           .tasks = tasks, .done = done, .user = user, .task = batch_task};
    pthread_mutex_init(&bt.lock, NULL);
    pthread_cond_init(&bt.changed, NULL);
    bt.state = calloc(count ? count : 1, sizeof *bt.state);
    bt.tried = calloc((count ? count : 1) * n, 1);
    bt.last_err = calloc(count ? count : 1, sizeof *bt.last_err);
    bt.server_dead = calloc(n, sizeof *bt.server_dead);
    mv_worker *workers = calloc(n, sizeof *workers);
    for (size_t s = 0; bt.state && bt.tried && bt.last_err && bt.server_dead && workers && s < n;
         s++) {
        workers[s].bt = &bt;
        workers[s].server = s;
        workers[s].started = pthread_create(&workers[s].thread, NULL, mv_worker_main,
                                            &workers[s]) == 0;
    }
    for (size_t s = 0; workers && s < n; s++)
        if (workers[s].started)
            pthread_join(workers[s].thread, NULL);
    /* What failed on every server ends with its last error; the rest (cancelled, or never
     * started for want of memory) is left to the stage. */
    for (size_t k = 0; bt.state && bt.last_err && k < count; k++)
        if (bt.state[k] != MV_JOB_ENDED && bt.last_err[k].code != MAIVID_OK &&
            !mv_task_cancelled(batch_task))
            mv_end(&bt, k, bt.last_err[k].code, bt.last_err[k].message);
    free(workers);
    free(bt.state);
    free(bt.tried);
    free(bt.last_err);
    free(bt.server_dead);
    pthread_mutex_destroy(&bt.lock);
    pthread_cond_destroy(&bt.changed);
}
