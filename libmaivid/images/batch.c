/*
 * batch.c - mv_images_make_batch: many scene images at once, backend-neutral. Every job is
 * prepared on its backend; invalid jobs and cache hits end at once. A backend that can run
 * many jobs concurrently (an ops make_batch: ComfyUI's servers, the painter's thread pool)
 * gets its jobs on a thread of its own, while the jobs of the others (the plug-in) are made
 * one after another on the calling thread. Progress is the mean over all jobs; each finished
 * image goes into the cache before `done` is told.
 */
#include "images/mv_image_backend.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct mv_batch mv_batch;

typedef struct mv_job_ref {
    mv_batch *batch;
    size_t index;
} mv_job_ref;

struct mv_batch {
    const mv_image_job *jobs;
    size_t count;
    mv_image_backend *backend; /* per job */
    mv_prepared_job *prep;
    int *ended;
    double *fraction;
    mv_task *tasks;   /* per job: progress and warnings name the scene */
    mv_job_ref *refs; /* their user data */
    pthread_mutex_t lock;
    mv_image_done_fn done;
    void *user_data;
    const mv_task *task;
};

/* Records job i's fraction and reports the batch's (one thread at a time). */
static void mv_batch_report(mv_batch *bt, size_t i, double fraction)
{
    pthread_mutex_lock(&bt->lock);
    bt->fraction[i] = fraction < 0 ? 0 : fraction > 1 ? 1 : fraction;
    double sum = 0;
    for (size_t k = 0; k < bt->count; k++)
        sum += bt->fraction[k];
    mv_task_progress(bt->task, bt->count ? sum / bt->count : 1.0, "making scene images");
    pthread_mutex_unlock(&bt->lock);
}

static void mv_job_progress(void *user, double fraction, const char *text)
{
    (void)text;
    mv_job_ref *r = user;
    mv_task_progress(r->batch->jobs[r->index].observer, fraction, text);
    mv_batch_report(r->batch, r->index, fraction);
}

static void mv_job_warn(void *user, const char *text)
{
    mv_job_ref *r = user;
    mv_task_warn(r->batch->task, "scene %zu: %s", r->index + 1, text);
}

/* Ends job i once: caches a made image, tells the caller, reports progress. */
static void mv_batch_end(mv_batch *bt, size_t i, maivid_code code, const char *message)
{
    pthread_mutex_lock(&bt->lock);
    int already = bt->ended[i];
    bt->ended[i] = 1;
    pthread_mutex_unlock(&bt->lock);
    if (already)
        return;
    if (code == MAIVID_OK && bt->prep[i].cache_path)
        mv_cache_store(bt->prep[i].cache_path, bt->jobs[i].output_path, &bt->tasks[i]);
    if (bt->done)
        bt->done(bt->user_data, i, code, code == MAIVID_OK ? NULL : message);
    mv_batch_report(bt, i, 1.0);
}

static void mv_backend_done(void *user, size_t index, maivid_code code, const char *message)
{
    mv_batch_end(user, index, code, message);
}

static int mv_is_ended(mv_batch *bt, size_t i)
{
    pthread_mutex_lock(&bt->lock);
    int ended = bt->ended[i];
    pthread_mutex_unlock(&bt->lock);
    return ended;
}

/* One concurrent backend's share of the batch, run on its own thread. */
typedef struct mv_group {
    mv_batch *bt;
    mv_image_backend backend;
    size_t *which;
    size_t count;
    pthread_t thread;
    int started;
} mv_group;

static void *mv_group_main(void *arg)
{
    mv_group *g = arg;
    g->backend.ops->make_batch(g->backend.state, g->bt->jobs, g->bt->prep, g->which, g->count,
                               g->bt->tasks, mv_backend_done, g->bt, g->bt->task);
    return NULL;
}

static void mv_batch_free(mv_batch *bt)
{
    for (size_t i = 0; bt->prep && bt->backend && i < bt->count; i++)
        if (bt->backend[i].ops)
            mv_prepared_free(&bt->backend[i], &bt->prep[i]);
    free(bt->backend);
    free(bt->prep);
    free(bt->ended);
    free(bt->fraction);
    free(bt->tasks);
    free(bt->refs);
    pthread_mutex_destroy(&bt->lock);
}

/* Starts a thread per concurrent backend with pending jobs; returns the groups (or NULL). */
static mv_group *mv_start_groups(mv_batch *bt, size_t *group_count)
{
    mv_group *groups = calloc(bt->count ? bt->count : 1, sizeof *groups);
    *group_count = 0;
    for (size_t i = 0; groups && i < bt->count; i++) {
        if (bt->ended[i] || !bt->backend[i].ops->make_batch)
            continue;
        mv_group *g = NULL;
        for (size_t k = 0; k < *group_count && !g; k++)
            if (groups[k].backend.state == bt->backend[i].state &&
                groups[k].backend.ops == bt->backend[i].ops)
                g = &groups[k];
        if (!g) {
            g = &groups[(*group_count)++];
            g->bt = bt;
            g->backend = bt->backend[i];
            g->which = calloc(bt->count, sizeof *g->which);
        }
        if (g->which)
            g->which[g->count++] = i;
    }
    for (size_t k = 0; groups && k < *group_count; k++)
        groups[k].started = groups[k].which &&
                            pthread_create(&groups[k].thread, NULL, mv_group_main, &groups[k]) == 0;
    return groups;
}

maivid_code mv_images_make_batch(mv_image_backends *b, const mv_image_backend *only,
                                 const mv_image_job *jobs, size_t count, mv_image_done_fn done,
                                 void *user_data, const mv_task *task, mv_error *err)
{
    mv_batch bt = {.jobs = jobs, .count = count, .done = done, .user_data = user_data,
                   .task = task};
    pthread_mutex_init(&bt.lock, NULL);
    size_t n = count ? count : 1;
    bt.backend = calloc(n, sizeof *bt.backend);
    bt.prep = calloc(n, sizeof *bt.prep);
    bt.ended = calloc(n, sizeof *bt.ended);
    bt.fraction = calloc(n, sizeof *bt.fraction);
    bt.tasks = calloc(n, sizeof *bt.tasks);
    bt.refs = calloc(n, sizeof *bt.refs);
    if (!bt.backend || !bt.prep || !bt.ended || !bt.fraction || !bt.tasks || !bt.refs) {
        mv_batch_free(&bt);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory planning %zu scene images", count);
    }
    for (size_t i = 0; i < count; i++) {
        bt.refs[i] = (mv_job_ref){&bt, i};
        bt.tasks[i] = (mv_task){.progress = mv_job_progress, .warn = mv_job_warn,
                                .user_data = &bt.refs[i], .cancel = task ? task->cancel : NULL};
    }

    /* Prepare every job; invalid ones and cache hits end now. */
    for (size_t i = 0; i < count; i++) {
        mv_error e;
        mv_error_clear(&e);
        if (mv_images_prepare(b, only, &jobs[i], &bt.backend[i], &bt.prep[i], &e) != MAIVID_OK)
            mv_batch_end(&bt, i, e.code, e.message);
        else if (mv_cache_fetch(bt.prep[i].cache_path, jobs[i].output_path))
            mv_batch_end(&bt, i, MAIVID_OK, NULL);
    }

    size_t group_count = 0;
    mv_group *groups = mv_start_groups(&bt, &group_count);

    /* The other backends, one job after another on this thread. */
    int stopped = 0;
    for (size_t i = 0; i < count && !stopped; i++) {
        if (mv_is_ended(&bt, i) || !bt.backend[i].ops || bt.backend[i].ops->make_batch)
            continue;
        if (mv_task_cancelled(task))
            break;
        mv_error e;
        mv_error_clear(&e);
        maivid_code rc = bt.backend[i].ops->make(bt.backend[i].state, &bt.prep[i], &jobs[i],
                                                 &bt.tasks[i], &e);
        if (rc == MAIVID_E_CANCELLED)
            stopped = 1; /* the backend stopped the stage: the rest are not made */
        mv_batch_end(&bt, i, rc, e.message);
    }

    for (size_t k = 0; groups && k < group_count; k++) {
        if (groups[k].started)
            pthread_join(groups[k].thread, NULL);
        free(groups[k].which);
    }
    free(groups);

    /* Whatever is left was cancelled, or its backend gave up on it. */
    int cancelled = stopped || mv_task_cancelled(task);
    for (size_t i = 0; i < count; i++)
        if (!mv_is_ended(&bt, i))
            mv_batch_end(&bt, i, cancelled ? MAIVID_E_CANCELLED : MAIVID_E_BACKEND,
                         cancelled ? "cancelled"
                                   : "no backend could make this scene; check the image "
                                     "servers and run the job again");
    mv_batch_free(&bt);
    if (cancelled)
        return mv_fail(err, MAIVID_E_CANCELLED, "cancelled while making scene images");
    return MAIVID_OK;
}
