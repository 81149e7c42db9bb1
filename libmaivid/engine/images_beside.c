/*
 * images_beside.c - scene_generation on a thread of its own while video_creation runs
 * (mv_images_beside.h). The stage itself is the usual one (stages_images.c) with its own
 * stage context; what it shares with the render is a list of the scenes whose pictures are
 * on disk, under one mutex and condition variable. Its progress is the job's until the
 * render begins, then only its scenes' states are (processed_scenes). Its cancel flag is
 * its own: set when the job is stopped or the render ends without a video, so the stage
 * never outlives the render; the pipeline always joins it.
 */
#include "engine/mv_images_beside.h"
#include "paint/mv_paint.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define MV_BESIDE_POLL_MS 50 /* how often a wait looks at the job's stop flag */
#define MV_BESIDE_NICE 10 /* 720p job, 4 alternating rounds: 1.4 s sooner than at nice 0 */
/* The most one painting beside the render may add to its memory: a 720p job's (1536x864,
 * 41 MB). At 1080p (94 MB) the job paints first, as before: there it meets the time target
 * and would miss the memory one by more (bench/README.md, issue 15 session 10). */
#define MV_BESIDE_PAINT_BUDGET ((size_t)48 << 20)

struct mv_images_beside {
    maivid_stage_context ctx; /* the stage's own: its error, its task */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    unsigned char *on_disk; /* per scene, under lock; grows as scenes are marked */
    size_t on_disk_count;
    int finished;        /* the stage has returned rc (under lock) */
    maivid_code rc;
    atomic_int stop;     /* the stage's cancel flag */
};

int mv_images_beside_fits(const maivid_stage_context *ctx)
{
    const mv_job *job = ctx->job;
    const maivid_engine *e = ctx->engine;
    const maivid_stages *plug = e->has_stages ? &e->stages : NULL;
    if (!job->settings.model || strcmp(job->settings.model, "procedural") != 0 ||
        mv_animate_on(job) || (plug && (plug->image || plug->render)))
        return 0;
    int w = 0, h = 0;
    mv_scene_image_size(job, &w, &h);
    return (size_t)w * (size_t)h * MV_PAINT_BYTES_PER_PIXEL <= MV_BESIDE_PAINT_BUDGET;
}

static int mv_job_stopped(const mv_images_beside *b)
{
    return atomic_load(&b->ctx.job->stop) != MV_STOP_NONE;
}

/* Forwards the stage's progress to the job until the render begins. */
static void mv_beside_progress(void *user_data, double fraction, const char *text)
{
    mv_images_beside *b = user_data;
    mv_progress_stage_if(b->ctx.engine, b->ctx.job, MAIVID_STAGE_SCENE_GENERATION, fraction,
                         text);
}

static void mv_beside_warn(void *user_data, const char *text)
{
    mv_images_beside *b = user_data;
    maivid_ctx_warn(&b->ctx, text);
}

static void *mv_beside_main(void *arg)
{
    mv_images_beside *b = arg;
    /* Lower priority for this thread and the painter's workers it starts (Linux threads
     * inherit it): the render comes first, the painting takes what x264 leaves idle. */
    (void)setpriority(PRIO_PROCESS, (id_t)gettid(), MV_BESIDE_NICE);
    maivid_code rc = mv_stage_images(&b->ctx);
    if (rc == MAIVID_OK && atomic_load(&b->stop))
        rc = MAIVID_E_CANCELLED;
    if (rc == MAIVID_OK && !mv_stage_output_complete(&b->ctx, MAIVID_STAGE_SCENE_GENERATION))
        rc = maivid_ctx_fail(&b->ctx, MAIVID_E_INTERNAL, "the scene_generation stage reported "
                             "success but left no complete output");
    pthread_mutex_lock(&b->lock);
    b->rc = rc;
    b->finished = 1;
    pthread_cond_broadcast(&b->changed);
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

/* Waits on the condition for at most MV_BESIDE_POLL_MS (lock held). */
static void mv_beside_wait_a_little(mv_images_beside *b)
{
    struct timespec until = mv_realtime_in_ms(MV_BESIDE_POLL_MS);
    pthread_cond_timedwait(&b->changed, &b->lock, &until);
}

static int mv_on_disk_locked(const mv_images_beside *b, size_t index)
{
    return index < b->on_disk_count && b->on_disk[index];
}

static void mv_beside_free(mv_images_beside *b)
{
    pthread_mutex_destroy(&b->lock);
    pthread_cond_destroy(&b->changed);
    free(b->on_disk);
    free(b);
}

maivid_code mv_images_beside_start(maivid_stage_context *ctx, mv_images_beside **out)
{
    *out = NULL;
    mv_images_beside *b = calloc(1, sizeof *b);
    if (!b)
        return maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "out of memory");
    b->ctx = *ctx;
    mv_error_clear(&b->ctx.err);
    b->ctx.beside = b;
    b->ctx.audio_path = NULL; /* the pipeline's; the images stage does not read it */
    b->ctx.video_path = NULL;
    b->ctx.thumbnail_path = NULL;
    b->ctx.task.progress = mv_beside_progress;
    b->ctx.task.warn = mv_beside_warn;
    b->ctx.task.user_data = b;
    b->ctx.task.cancel = &b->stop;
    atomic_init(&b->stop, 0);
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->changed, NULL);
    int e = pthread_create(&b->thread, NULL, mv_beside_main, b);
    if (e != 0) {
        mv_beside_free(b);
        return maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "could not start the scene images' thread "
                               "(%s): the system is out of threads or memory; retry later",
                               strerror(e));
    }
    pthread_mutex_lock(&b->lock);
    while (!b->finished && !mv_on_disk_locked(b, 0) && !mv_job_stopped(b))
        mv_beside_wait_a_little(b);
    int finished = b->finished;
    pthread_mutex_unlock(&b->lock);
    if (!finished && !mv_job_stopped(b)) {
        *out = b;
        return MAIVID_OK;
    }
    mv_error err;
    maivid_code rc = mv_images_beside_end(b, 1, &err);
    if (rc != MAIVID_OK)
        ctx->err = err;
    return rc;
}

maivid_code mv_images_beside_wait(void *beside, size_t index, mv_error *err)
{
    mv_images_beside *b = beside;
    pthread_mutex_lock(&b->lock);
    while (!mv_on_disk_locked(b, index) && !b->finished && !mv_job_stopped(b))
        mv_beside_wait_a_little(b);
    maivid_code rc = MAIVID_OK;
    if (mv_on_disk_locked(b, index) || (b->finished && b->rc == MAIVID_OK))
        rc = MAIVID_OK; /* a scene that failed has its neighbour's picture by now */
    else if (!b->finished || b->rc == MAIVID_E_CANCELLED)
        rc = mv_fail(err, MAIVID_E_CANCELLED, "cancelled while scene %zu's image was made",
                     index + 1);
    else
        rc = mv_fail(err, b->rc, "scene %zu has no image: %s", index + 1,
                     b->ctx.err.message[0] ? b->ctx.err.message : maivid_strerror(b->rc));
    pthread_mutex_unlock(&b->lock);
    return rc;
}

int mv_images_beside_pending(mv_images_beside *b, size_t index)
{
    if (!b)
        return 0;
    pthread_mutex_lock(&b->lock);
    int pending = !mv_on_disk_locked(b, index) && !b->finished;
    pthread_mutex_unlock(&b->lock);
    return pending;
}

void mv_images_beside_mark(mv_images_beside *b, size_t index)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->lock);
    if (index >= b->on_disk_count) {
        size_t count = index + 16;
        unsigned char *grown = realloc(b->on_disk, count);
        if (grown) { /* else the render waits for the stage's end instead */
            memset(grown + b->on_disk_count, 0, count - b->on_disk_count);
            b->on_disk = grown;
            b->on_disk_count = count;
        }
    }
    if (index < b->on_disk_count)
        b->on_disk[index] = 1;
    pthread_cond_broadcast(&b->changed);
    pthread_mutex_unlock(&b->lock);
}

maivid_code mv_images_beside_end(mv_images_beside *b, int abandon, mv_error *err)
{
    if (abandon)
        atomic_store(&b->stop, 1);
    pthread_join(b->thread, NULL);
    maivid_code rc = b->rc;
    *err = b->ctx.err;
    mv_beside_free(b);
    return rc;
}
