/*
 * mv_paint_batch.h - painting a batch of scenes on a small pool of threads (mv_paint_batch.c),
 * for the painter backend's make_batch (paint/backend.c).
 */
#ifndef MV_PAINT_BATCH_H
#define MV_PAINT_BATCH_H

#include <stddef.h>

#include "images/mv_image_backend.h"

/* How many threads paint a batch: one per online CPU, at most `cap`, at most as many as
 * `budget` bytes hold paintings of `job_bytes` each, at most `count`; at least 1. */
int mv_paint_batch_workers(int cpus, int cap, size_t job_bytes, size_t budget, size_t count);

/* The backend's make() for one job. */
typedef maivid_code (*mv_image_make_fn)(void *state, const mv_prepared_job *p,
                                        const mv_image_job *job, const mv_task *task,
                                        mv_error *err);

/* Makes jobs[which[k]] for k < count with `workers` threads (the caller's among them),
 * telling done() once for each job it made; stops taking jobs once batch_task is cancelled
 * (those are left for the stage to end). Returns when every thread has been joined. */
void mv_paint_batch_run(int workers, void *state, mv_image_make_fn make,
                        const mv_image_job *jobs, const mv_prepared_job *prep,
                        const size_t *which, size_t count, const mv_task *tasks,
                        mv_image_done_fn done, void *user, const mv_task *batch_task);

#endif /* MV_PAINT_BATCH_H */
