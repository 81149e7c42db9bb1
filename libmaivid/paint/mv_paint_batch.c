/*
 * mv_paint_batch.c - the built-in painter's make_batch (mv_image_backend.h): paints a batch's
 * scenes on a small pool of threads (the caller's thread and up to `workers - 1` more), each
 * taking the next scene in order until none is left or the batch is cancelled; every thread
 * is joined before it returns. Each scene is painted exactly as one after another would
 * (the painter has no shared state), so the files are the same bytes either way.
 */
#include "paint/mv_paint_batch.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct mv_paint_pool {
    void *state;
    mv_image_make_fn make;
    const mv_image_job *jobs;
    const mv_prepared_job *prep;
    const size_t *which;
    size_t count;
    const mv_task *tasks;
    mv_image_done_fn done;
    void *user;
    const mv_task *batch_task;
    pthread_mutex_t lock;
    size_t next; /* the next k to paint; under lock */
} mv_paint_pool;

static void *mv_paint_pool_worker(void *arg)
{
    mv_paint_pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t k = p->next < p->count && !mv_task_cancelled(p->batch_task) ? p->next++
                                                                             : p->count;
        pthread_mutex_unlock(&p->lock);
        if (k == p->count)
            return NULL; /* what is left unpainted the stage ends as cancelled */
        size_t j = p->which[k];
        mv_error e;
        mv_error_clear(&e);
        maivid_code rc = p->make(p->state, &p->prep[j], &p->jobs[j], &p->tasks[j], &e);
        p->done(p->user, j, rc, rc == MAIVID_OK ? NULL : e.message);
    }
}

int mv_paint_batch_workers(int cpus, int cap, size_t job_bytes, size_t budget, size_t count)
{
    int n = cpus < 1 ? 1 : cpus;
    if (n > cap)
        n = cap;
    if (job_bytes > 0 && (size_t)n > budget / job_bytes)
        n = budget / job_bytes > 0 ? (int)(budget / job_bytes) : 1;
    if ((size_t)n > count)
        n = count > 0 ? (int)count : 1;
    return n;
}

void mv_paint_batch_run(int workers, void *state, mv_image_make_fn make,
                        const mv_image_job *jobs, const mv_prepared_job *prep,
                        const size_t *which, size_t count, const mv_task *tasks,
                        mv_image_done_fn done, void *user, const mv_task *batch_task)
{
    mv_paint_pool p = {.state = state, .make = make, .jobs = jobs, .prep = prep,
                       .which = which, .count = count, .tasks = tasks, .done = done,
                       .user = user, .batch_task = batch_task};
    pthread_mutex_init(&p.lock, NULL);
    int extra = workers > 1 ? workers - 1 : 0;
    pthread_t *threads = extra ? calloc((size_t)extra, sizeof *threads) : NULL;
    int started = 0;
    while (threads && started < extra &&
           pthread_create(&threads[started], NULL, mv_paint_pool_worker, &p) == 0)
        started++; /* fewer threads when the system refuses more: slower, not wrong */
    (void)mv_paint_pool_worker(&p);
    for (int t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    free(threads);
    pthread_mutex_destroy(&p.lock);
}
