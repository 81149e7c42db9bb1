/*
 * test_paint_batch.c - the painter backend's batch (issue 15): scenes painted by a pool of
 * threads are the same bytes (pictures and depth layers) as scenes painted one after
 * another, every job is reported done once with its progress reaching the end; cancelling
 * in the middle of a batch ends it promptly, the unpainted scenes as cancelled and without
 * files, and no thread is left behind; and how many threads a batch gets (CPUs, a cap, the
 * memory budget, the batch's size).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "images/mv_image_backend.h"
#include "mv_test_util.h"
#include "paint/mv_paint.h"
#include "paint/mv_paint_batch.h"
#include "render/mv_layer_stack.h"

#define JOBS 6

static const char *const prompts[JOBS] = {
    "a lighthouse on the rocks over the sea at dusk", "neon city street in the rain at night",
    "misty forest at dawn",                          "space, a ringed planet and stars",
    "lovers dancing by the church at dusk",          "a candle, a clock and a piano in the room",
};

typedef struct run {
    char out[JOBS][1024];
    mv_image_job jobs[JOBS];
    maivid_code results[JOBS];
    int done_count[JOBS];
    double last_fraction;
    atomic_int cancel;
    int cancel_after_first; /* set cancel once the first scene is done */
    int beside_render;      /* the jobs are painted beside a render */
    pthread_t painter[JOBS]; /* the thread that finished each job */
    double cancelled_at;
} run;

static void on_done(void *user, size_t index, maivid_code code, const char *message)
{
    (void)message;
    run *r = user;
    r->results[index] = code; /* each index from one thread only */
    r->painter[index] = pthread_self();
    __atomic_add_fetch(&r->done_count[index], 1, __ATOMIC_SEQ_CST);
    if (r->cancel_after_first && code == MAIVID_OK && !atomic_exchange(&r->cancel, 1))
        r->cancelled_at = mv_monotonic();
}

static void on_progress(void *user, double fraction, const char *text)
{
    (void)text;
    ((run *)user)->last_fraction = fraction; /* the batch reports under its lock */
}

/* Paints the JOBS scenes at w x h into dir with `workers` threads; returns the batch's code. */
static maivid_code paint_batch(run *r, const char *dir, int workers, int w, int h)
{
    mv_image_backends *b = NULL;
    mv_image_config cfg = {0}; /* no cache: every scene is painted */
    assert_int_equal(mv_images_open(&cfg, &b, NULL), MAIVID_OK);
    void *painter = mv_images_backend_state(b, &mv_paint_backend_ops);
    assert_non_null(painter);
    mv_paint_backend_set_workers(painter, workers);
    for (int i = 0; i < JOBS; i++) {
        snprintf(r->out[i], sizeof r->out[i], "%s/scene_%03d.png", dir, i + 1);
        r->jobs[i] = (mv_image_job){.model = "procedural", .style_id = "cinematic",
                                    .prompt = prompts[i], .seed = 40 + i, .width = w,
                                    .height = h, .output_path = r->out[i],
                                    .beside_render = r->beside_render};
    }
    mv_task task = {.progress = on_progress, .user_data = r, .cancel = &r->cancel};
    mv_error err = {0};
    maivid_code rc = mv_images_make_batch(b, NULL, r->jobs, JOBS, on_done, r, &task, &err);
    mv_images_close(b);
    return rc;
}

static char *read_all(const char *path, size_t *len)
{
    char *data = NULL;
    if (mv_read_file(path, &data, len, NULL) != MAIVID_OK)
        return NULL;
    return data;
}

static void assert_same_file(const char *a, const char *b)
{
    size_t la = 0, lb = 0;
    char *da = read_all(a, &la), *db = read_all(b, &lb);
    assert_non_null(da);
    assert_non_null(db);
    assert_int_equal(la, lb);
    assert_memory_equal(da, db, la);
    free(da);
    free(db);
}

static void test_parallel_is_byte_identical(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("paint-batch");
    assert_non_null(dir);
    char *one = mv_strdup_printf("%s/one", dir), *three = mv_strdup_printf("%s/three", dir);
    assert_int_equal(mv_mkdir_p(one, NULL), MAIVID_OK);
    assert_int_equal(mv_mkdir_p(three, NULL), MAIVID_OK);
    run *serial = calloc(1, sizeof *serial), *parallel = calloc(1, sizeof *parallel);
    assert_int_equal(paint_batch(serial, one, 1, 256, 144), MAIVID_OK);
    assert_int_equal(paint_batch(parallel, three, 3, 256, 144), MAIVID_OK);
    for (int i = 0; i < JOBS; i++) {
        assert_int_equal(serial->results[i], MAIVID_OK);
        assert_int_equal(parallel->results[i], MAIVID_OK);
        assert_int_equal(serial->done_count[i], 1);
        assert_int_equal(parallel->done_count[i], 1);
        assert_same_file(serial->out[i], parallel->out[i]);
        char *a = mv_layer_stack_path(serial->out[i]), *b = mv_layer_stack_path(parallel->out[i]);
        assert_same_file(a, b);
        free(a);
        free(b);
    }
    assert_true(serial->last_fraction > 0.999);
    assert_true(parallel->last_fraction > 0.999);
    /* and the same as painting one scene directly */
    char *direct = mv_strdup_printf("%s/direct.png", dir);
    char *direct_layers = mv_layer_stack_path(direct);
    mv_paint_request req = {prompts[2], "cinematic", 42, 256, 144};
    assert_int_equal(mv_paint_to_png_layers(&req, direct, direct_layers, NULL), MAIVID_OK);
    assert_same_file(direct, parallel->out[2]);
    char *layers2 = mv_layer_stack_path(parallel->out[2]);
    assert_same_file(direct_layers, layers2);
    free(layers2);
    free(direct);
    free(direct_layers);
    free(serial);
    free(parallel);
    free(one);
    free(three);
    mv_remove_tree(dir, NULL);
    free(dir);
}

/* Threads that finished the batch's jobs. */
static int painting_threads(const run *r)
{
    int distinct = 0;
    for (int i = 0; i < JOBS; i++) {
        int seen = 0;
        for (int k = 0; k < i && !seen; k++)
            seen = pthread_equal(r->painter[k], r->painter[i]);
        distinct += !seen;
    }
    return distinct;
}

/* Painted beside the render, whose memory the paintings add to, a batch gets one thread
 * whatever the painter's setting; otherwise the same setting spreads it over several. */
static void test_beside_the_render_one_thread(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("paint-beside");
    assert_non_null(dir);
    run *beside = calloc(1, sizeof *beside), *alone = calloc(1, sizeof *alone);
    beside->beside_render = 1;
    assert_int_equal(paint_batch(beside, dir, 3, 256, 144), MAIVID_OK);
    assert_int_equal(paint_batch(alone, dir, 3, 256, 144), MAIVID_OK);
    for (int i = 0; i < JOBS; i++) {
        assert_int_equal(beside->results[i], MAIVID_OK);
        assert_int_equal(beside->done_count[i], 1);
    }
    assert_int_equal(painting_threads(beside), 1);
    assert_true(painting_threads(alone) > 1);
    free(beside);
    free(alone);
    mv_remove_tree(dir, NULL);
    free(dir);
}

static void test_cancel_ends_promptly_without_threads(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("paint-batch-cancel");
    assert_non_null(dir);
    int before = mv_test_thread_count_settled(1, 2.0);
    assert_true(before >= 1);
    run *r = calloc(1, sizeof *r);
    r->cancel_after_first = 1;
    assert_int_equal(paint_batch(r, dir, 2, 640, 360), MAIVID_E_CANCELLED);
    double after_cancel = mv_monotonic() - r->cancelled_at;
    fprintf(stderr, "the batch returned %.2f s after the cancel\n", after_cancel);
    /* a scene in progress stops at its next layer: well under one scene's painting */
    assert_true(after_cancel < 10.0);
    assert_int_equal(mv_test_thread_count_settled(before, 2.0), before);
    int painted = 0, cancelled = 0;
    for (int i = 0; i < JOBS; i++) {
        assert_int_equal(r->done_count[i], 1); /* every job ends once */
        if (r->results[i] == MAIVID_OK) {
            painted++;
            assert_true(mv_file_exists(r->out[i]));
        } else {
            cancelled++;
            assert_int_equal(r->results[i], MAIVID_E_CANCELLED);
            assert_false(mv_file_exists(r->out[i]));
            char *layers = mv_layer_stack_path(r->out[i]);
            assert_false(mv_file_exists(layers));
            free(layers);
        }
    }
    assert_true(painted >= 1);
    assert_true(cancelled >= JOBS - 2); /* at most one more scene finished on another thread */
    assert_int_equal(mv_test_count_temp_files(dir), 0); /* none of the scenes stopped */
    free(r);
    mv_remove_tree(dir, NULL);
    free(dir);
}

static void test_worker_count(void **state)
{
    (void)state;
    size_t mb = (size_t)1 << 20;
    assert_int_equal(mv_paint_batch_workers(2, 4, 94 * mb, 200 * mb, 6), 2);  /* this VM */
    assert_int_equal(mv_paint_batch_workers(16, 4, 41 * mb, 200 * mb, 6), 4); /* 720p */
    assert_int_equal(mv_paint_batch_workers(16, 4, 94 * mb, 200 * mb, 6), 2); /* 1080p */
    assert_int_equal(mv_paint_batch_workers(1, 4, 1 * mb, 200 * mb, 6), 1);   /* one CPU */
    assert_int_equal(mv_paint_batch_workers(-1, 4, 1 * mb, 200 * mb, 6), 1);  /* unknown */
    assert_int_equal(mv_paint_batch_workers(8, 4, 300 * mb, 200 * mb, 6), 1); /* huge */
    assert_int_equal(mv_paint_batch_workers(8, 4, 1 * mb, 200 * mb, 3), 3);   /* 3 jobs */
    assert_int_equal(mv_paint_batch_workers(8, 4, 1 * mb, 200 * mb, 0), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parallel_is_byte_identical),
        cmocka_unit_test(test_beside_the_render_one_thread),
        cmocka_unit_test(test_cancel_ends_promptly_without_threads),
        cmocka_unit_test(test_worker_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
