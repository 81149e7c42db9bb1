/*
 * test_comfy_batch.c - mv_images_make_batch: scenes spread over two ComfyUI fixture servers
 * (each busy with one prompt at a time), a dead or failing server's scenes moving to the
 * other, every scene failing when no server can make it, cancel, invalid jobs, and the
 * built-in illustrator running alongside.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "comfy/mv_comfy.h"
#include "comfy_fixture.h"
#include "mv_test_util.h"

#define MAX_JOBS 8

typedef struct done_log {
    pthread_mutex_t lock;
    int calls[MAX_JOBS];
    maivid_code code[MAX_JOBS];
    char message[MAX_JOBS][1024];
    int warnings;
    char last_warning[1024];
} done_log;

static void on_done(void *user, size_t index, maivid_code code, const char *message)
{
    done_log *d = user;
    pthread_mutex_lock(&d->lock);
    d->calls[index]++;
    d->code[index] = code;
    mv_strlcpy(d->message[index], message ? message : "", sizeof d->message[index]);
    pthread_mutex_unlock(&d->lock);
}

static void on_warn(void *user, const char *text)
{
    done_log *d = user;
    pthread_mutex_lock(&d->lock);
    d->warnings++;
    mv_strlcpy(d->last_warning, text, sizeof d->last_warning);
    pthread_mutex_unlock(&d->lock);
}

static const mv_comfy_timing fast_timing = {
    .connect_timeout = 1.0,
    .request_timeout = 5.0,
    .image_timeout = 20.0,
    .poll_interval = 0.05,
    .backoff_initial = 0.1,
    .backoff_max = 0.2,
    .restart_budget = 0.6,
};

typedef struct batch_env {
    char *dir;
    char paths[MAX_JOBS][4096];
    mv_image_job jobs[MAX_JOBS];
    done_log log;
} batch_env;

static void env_init(batch_env *e, const char *name, size_t count, const char *model)
{
    memset(e, 0, sizeof *e);
    pthread_mutex_init(&e->log.lock, NULL);
    e->dir = mv_test_tmpdir(name);
    for (size_t i = 0; i < count; i++) {
        snprintf(e->paths[i], sizeof e->paths[i], "%s/scene%zu.png", e->dir, i);
        e->jobs[i] = (mv_image_job){
            .model = model,
            .style_id = "cinematic",
            .prompt = "a lighthouse on a cliff at dusk",
            .seed = (int64_t)(100 + i),
            .width = 64,
            .height = 36,
            .output_path = e->paths[i],
        };
    }
}

static void env_free(batch_env *e)
{
    mv_error err;
    mv_remove_tree(e->dir, &err);
    free(e->dir);
    pthread_mutex_destroy(&e->log.lock);
}

static mv_image_backends *open_backends(const char *const *urls, size_t n)
{
    mv_image_config cfg = {.comfyui_urls = urls, .comfyui_url_count = n};
    mv_image_backends *b = NULL;
    mv_error err;
    assert_int_equal(mv_images_open(&cfg, &b, &err), MAIVID_OK);
    mv_images_set_timing(b, &fast_timing);
    return b;
}

static void assert_each_done_once(const batch_env *e, size_t count)
{
    for (size_t i = 0; i < count; i++)
        assert_int_equal(e->log.calls[i], 1);
}

static void test_spread_over_two_servers(void **state)
{
    (void)state;
    mv_comfy_fixture_opts o = {.mode = MV_FIXTURE_SLOW, .steps = 4, .step_seconds = 0.1};
    mv_comfy_fixture *a = mv_comfy_fixture_start(&o);
    mv_comfy_fixture *c = mv_comfy_fixture_start(&o);
    const char *urls[] = {mv_comfy_fixture_url(a), mv_comfy_fixture_url(c)};
    mv_image_backends *b = open_backends(urls, 2);
    batch_env e;
    env_init(&e, "comfy-spread", 6, "sdxl_turbo");
    mv_task task = {.warn = on_warn, .user_data = &e.log};
    mv_error err;
    double t0 = mv_monotonic();
    assert_int_equal(mv_images_make_batch(b, NULL, e.jobs, 6, on_done, &e.log, &task, &err),
                     MAIVID_OK);
    double elapsed = mv_monotonic() - t0;
    assert_each_done_once(&e, 6);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(e.log.code[i], MAIVID_OK);
        assert_true(mv_file_exists(e.paths[i]));
    }
    mv_comfy_fixture_stats sa, sc;
    mv_comfy_fixture_get_stats(a, &sa);
    mv_comfy_fixture_get_stats(c, &sc);
    assert_int_equal(sa.accepted + sc.accepted, 6);
    assert_true(sa.accepted >= 2 && sc.accepted >= 2); /* both servers worked */
    assert_int_equal(sa.max_busy, 1);                 /* one prompt at a time each */
    assert_int_equal(sc.max_busy, 1);
    /* 6 prompts of ~0.4 s each: in parallel well under the 2.4 s one server would need. */
    assert_true(elapsed < 2.3);
    mv_images_close(b);
    mv_comfy_fixture_stop(a);
    mv_comfy_fixture_stop(c);
    env_free(&e);
}

static void test_dead_server_scenes_move(void **state)
{
    (void)state;
    mv_comfy_fixture *gone = mv_comfy_fixture_start(NULL);
    char gone_url[64];
    mv_strlcpy(gone_url, mv_comfy_fixture_url(gone), sizeof gone_url);
    mv_comfy_fixture_stop(gone);
    mv_comfy_fixture *good = mv_comfy_fixture_start(NULL);
    const char *urls[] = {gone_url, mv_comfy_fixture_url(good)};
    mv_image_backends *b = open_backends(urls, 2);
    batch_env e;
    env_init(&e, "comfy-dead", 4, "sdxl_turbo");
    mv_task task = {.warn = on_warn, .user_data = &e.log};
    mv_error err;
    assert_int_equal(mv_images_make_batch(b, NULL, e.jobs, 4, on_done, &e.log, &task, &err),
                     MAIVID_OK);
    assert_each_done_once(&e, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(e.log.code[i], MAIVID_OK);
    mv_comfy_fixture_stats st;
    mv_comfy_fixture_get_stats(good, &st);
    assert_int_equal(st.accepted, 4);
    assert_true(e.log.warnings >= 1);
    mv_images_close(b);
    mv_comfy_fixture_stop(good);
    env_free(&e);
}

static void test_failing_server_scenes_move(void **state)
{
    (void)state;
    mv_comfy_fixture_opts fo = {.mode = MV_FIXTURE_FAILING};
    mv_comfy_fixture *bad = mv_comfy_fixture_start(&fo);
    mv_comfy_fixture_opts so = {.mode = MV_FIXTURE_SLOW, .steps = 2, .step_seconds = 0.1};
    mv_comfy_fixture *good = mv_comfy_fixture_start(&so);
    const char *urls[] = {mv_comfy_fixture_url(bad), mv_comfy_fixture_url(good)};
    mv_image_backends *b = open_backends(urls, 2);
    batch_env e;
    env_init(&e, "comfy-failing", 4, "sdxl_turbo");
    mv_error err;
    assert_int_equal(mv_images_make_batch(b, NULL, e.jobs, 4, on_done, &e.log, NULL, &err), MAIVID_OK);
    assert_each_done_once(&e, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(e.log.code[i], MAIVID_OK);
    mv_comfy_fixture_stats sb, sg;
    mv_comfy_fixture_get_stats(bad, &sb);
    mv_comfy_fixture_get_stats(good, &sg);
    assert_true(sb.accepted >= 1); /* the failing server was tried ... */
    assert_int_equal(sg.completed, 4); /* ... and the good one made every image */
    mv_images_close(b);
    mv_comfy_fixture_stop(bad);
    mv_comfy_fixture_stop(good);
    env_free(&e);
}

static void test_every_scene_fails_on_a_failing_server(void **state)
{
    (void)state;
    mv_comfy_fixture_opts fo = {.mode = MV_FIXTURE_FAILING};
    mv_comfy_fixture *bad = mv_comfy_fixture_start(&fo);
    const char *urls[] = {mv_comfy_fixture_url(bad)};
    mv_image_backends *b = open_backends(urls, 1);
    batch_env e;
    env_init(&e, "comfy-allfail", 3, "sdxl_turbo");
    e.jobs[1].model = "no_such_model";
    mv_error err;
    assert_int_equal(mv_images_make_batch(b, NULL, e.jobs, 3, on_done, &e.log, NULL, &err), MAIVID_OK);
    assert_each_done_once(&e, 3);
    assert_int_equal(e.log.code[0], MAIVID_E_BACKEND);
    assert_non_null(strstr(e.log.message[0], "CheckpointLoaderSimple"));
    assert_int_equal(e.log.code[1], MAIVID_E_INVALID);
    assert_non_null(strstr(e.log.message[1], "no_such_model"));
    assert_int_equal(e.log.code[2], MAIVID_E_BACKEND);
    assert_false(mv_file_exists(e.paths[0]));
    mv_images_close(b);
    mv_comfy_fixture_stop(bad);
    env_free(&e);
}

typedef struct batch_call {
    mv_image_backends *b;
    batch_env *e;
    size_t count;
    mv_task task;
    maivid_code rc;
} batch_call;

static void *batch_thread(void *arg)
{
    batch_call *c = arg;
    mv_error err;
    c->rc = mv_images_make_batch(c->b, NULL, c->e->jobs, c->count, on_done, &c->e->log, &c->task, &err);
    return NULL;
}

static void test_cancel_batch(void **state)
{
    (void)state;
    mv_comfy_fixture_opts o = {.mode = MV_FIXTURE_SLOW, .steps = 50, .step_seconds = 0.1};
    mv_comfy_fixture *a = mv_comfy_fixture_start(&o);
    mv_comfy_fixture *c = mv_comfy_fixture_start(&o);
    const char *urls[] = {mv_comfy_fixture_url(a), mv_comfy_fixture_url(c)};
    mv_image_backends *b = open_backends(urls, 2);
    batch_env e;
    env_init(&e, "comfy-cancel-batch", 5, "sdxl_turbo");
    atomic_int cancel = 0;
    batch_call call = {.b = b, .e = &e, .count = 5, .task = {.cancel = &cancel}};
    pthread_t t;
    pthread_create(&t, NULL, batch_thread, &call);
    struct timespec ts = {.tv_sec = 0, .tv_nsec = 500000000L};
    nanosleep(&ts, NULL);
    double t0 = mv_monotonic();
    atomic_store(&cancel, 1);
    pthread_join(t, NULL);
    assert_true(mv_monotonic() - t0 < 2.0);
    assert_int_equal(call.rc, MAIVID_E_CANCELLED);
    assert_each_done_once(&e, 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(e.log.code[i], MAIVID_E_CANCELLED);
    nanosleep(&ts, NULL);
    mv_comfy_fixture_stats sa, sc;
    mv_comfy_fixture_get_stats(a, &sa);
    mv_comfy_fixture_get_stats(c, &sc);
    assert_int_equal(sa.interrupts_by_id + sc.interrupts_by_id, 2); /* the two running ones */
    assert_int_equal(sa.interrupts_all + sc.interrupts_all, 0);
    assert_int_equal(sa.completed + sc.completed, 0);
    mv_images_close(b);
    mv_comfy_fixture_stop(a);
    mv_comfy_fixture_stop(c);
    env_free(&e);
}

static void test_painter_in_batch(void **state)
{
    (void)state;
    mv_image_backends *b = open_backends(NULL, 0);
    batch_env e;
    env_init(&e, "comfy-painter", 3, "procedural");
    e.jobs[1].prompt = "a red moon over a dark sea";
    mv_error err;
    assert_int_equal(mv_images_make_batch(b, NULL, e.jobs, 3, on_done, &e.log, NULL, &err), MAIVID_OK);
    assert_each_done_once(&e, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(e.log.code[i], MAIVID_OK);
        char *data = NULL;
        size_t len = 0;
        assert_int_equal(mv_read_file(e.paths[i], &data, &len, &err), MAIVID_OK);
        assert_true(len > 8);
        assert_memory_equal(data, "\x89PNG\r\n\x1a\n", 8);
        free(data);
    }
    mv_images_close(b);
    env_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spread_over_two_servers),
        cmocka_unit_test(test_dead_server_scenes_move),
        cmocka_unit_test(test_failing_server_scenes_move),
        cmocka_unit_test(test_every_scene_fails_on_a_failing_server),
        cmocka_unit_test(test_cancel_batch),
        cmocka_unit_test(test_painter_in_batch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
