/*
 * test_render_producer.c - the render's drawing thread (mv_frame_producer): frames come out
 * in order and pixel-identical to drawing on the calling thread, the ring never holds more
 * than its ring's frames (3 to MV_FRAME_RING_MAX, by size), a drawing failure reaches the caller with its message, stopping
 * early joins the thread, a cancelled render leaves no files and no threads behind, and a
 * frame lent to the encoder as a buffer is never drawn over while the encoder holds it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libavutil/buffer.h>

#include "mv_test_util.h"
#include "render/mv_frame_producer.h"
#include "render/mv_render.h"
#include "render_test_util.h"

#define W 160
#define H 90
#define FPS 12
#define SECONDS 4.0

typedef struct fixture {
    char *dir;
    char song[1024], disc[1024], blue[1024], out[1024], work[1024];
    mv_render_scene scenes[2];
    mv_render_plan plan;
    mv_timeline timeline;
} fixture;

static void make_fixture(fixture *fx, const char *name)
{
    memset(fx, 0, sizeof *fx);
    fx->dir = mv_test_tmpdir(name);
    assert_non_null(fx->dir);
    snprintf(fx->song, sizeof fx->song, "%s/song.wav", fx->dir);
    snprintf(fx->disc, sizeof fx->disc, "%s/disc.ppm", fx->dir);
    snprintf(fx->blue, sizeof fx->blue, "%s/blue.ppm", fx->dir);
    snprintf(fx->out, sizeof fx->out, "%s/video.mp4", fx->dir);
    mv_test_song song = {SECONDS, 120, 0, 0, 44100, 2};
    assert_int_equal(mv_test_write_song_wav(fx->song, &song), 0);
    /* textured, so every frame of the zoom differs */
    assert_int_equal(rt_write_disc_ppm(fx->disc, 240, 160, 40), 0);
    assert_int_equal(rt_write_solid_ppm(fx->blue, 100, 300, 40, 40, 220), 0);
    mv_render_scene a = {fx->disc, 0, SECONDS / 2, "zoom_in", "fade", 1.0, 1, NULL};
    mv_render_scene b = {fx->blue, SECONDS / 2, SECONDS, "ken_burns", "fade", 1.0, 2, NULL};
    fx->scenes[0] = a;
    fx->scenes[1] = b;
    mv_render_plan plan = {fx->scenes, 2, fx->song, W, H, FPS, fx->out, NULL,
                           NULL, NULL, 0, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL};
    fx->plan = plan;
    assert_int_equal(mv_timeline_build(&fx->plan, SECONDS, &fx->timeline, NULL), MAIVID_OK);
}

static void free_fixture(fixture *fx)
{
    mv_timeline_free(&fx->timeline);
    mv_remove_tree(fx->dir, NULL);
    free(fx->dir);
}

static int same_picture(const mv_yuv *a, const mv_yuv *b)
{
    for (int p = 0; p < 3; p++)
        for (int row = 0; row < a->plane_h[p]; row++)
            if (memcmp(a->plane[p] + (size_t)row * a->stride[p],
                       b->plane[p] + (size_t)row * b->stride[p], (size_t)a->plane_w[p]) != 0)
                return 0;
    return 1;
}

static void short_pause(void)
{
    struct timespec ts = {0, 2 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

static void test_frames_in_order_and_identical(void **state)
{
    (void)state;
    fixture fx;
    make_fixture(&fx, "producer-order");
    int threads_before = mv_test_thread_count_settled(1, 2.0);
    mv_frame_renderer threaded, direct;
    assert_int_equal(mv_frame_renderer_init(&threaded, &fx.plan, &fx.timeline, NULL), MAIVID_OK);
    assert_int_equal(mv_frame_renderer_init(&direct, &fx.plan, &fx.timeline, NULL), MAIVID_OK);
    mv_yuv expected;
    assert_int_equal(mv_yuv_alloc(&expected, W, H), 0);
    /* two runs with a gap, as on resume with a finished segment in the middle; the second
     * run crosses the fade */
    const mv_frame_span spans[2] = {{0, 10}, {18, 12}};
    mv_frame_producer p;
    mv_error err = {0};
    assert_int_equal(mv_frame_producer_start(&p, &threaded, W, H, FPS, spans, 2, &err),
                     MAIVID_OK);
    int changed = 0;
    mv_yuv previous;
    assert_int_equal(mv_yuv_alloc(&previous, W, H), 0);
    for (int s = 0; s < 2; s++)
        for (int64_t n = spans[s].first; n < spans[s].first + spans[s].count; n++) {
            if (n % 3 == 0)
                short_pause(); /* let the producer fill the ring */
            const mv_yuv *frame = NULL;
            int64_t number = -1;
            assert_int_equal(mv_frame_producer_take(&p, &frame, &number, &err), MAIVID_OK);
            assert_int_equal(number, n);
            pthread_mutex_lock(&p.lock);
            int64_t held = p.drawn - p.released; /* bounded by the ring */
            pthread_mutex_unlock(&p.lock);
            assert_true(held >= 1 && held <= p.ring);
            assert_int_equal(mv_frame_renderer_draw(&direct, (double)n / FPS, &expected, NULL),
                             MAIVID_OK);
            assert_true(same_picture(frame, &expected));
            if (n > 0 && !same_picture(frame, &previous))
                changed++;
            mv_yuv_copy(&previous, frame);
            mv_frame_producer_release(&p);
        }
    assert_true(changed > 15); /* the frames really move, so the comparison means something */
    const mv_yuv *frame = NULL;
    int64_t number = -1;
    assert_int_equal(mv_frame_producer_take(&p, &frame, &number, &err), MAIVID_E_INTERNAL);
    mv_frame_producer_stop(&p);
    mv_frame_producer_stop(&p); /* twice is harmless */
    assert_int_equal(mv_test_thread_count_settled(threads_before, 2.0), threads_before);
    mv_yuv_free(&previous);
    mv_yuv_free(&expected);
    mv_frame_renderer_free(&threaded);
    mv_frame_renderer_free(&direct);
    free_fixture(&fx);
}

static void test_drawing_failure_reaches_the_caller(void **state)
{
    (void)state;
    fixture fx;
    make_fixture(&fx, "producer-failure");
    char missing[1100];
    snprintf(missing, sizeof missing, "%s/missing.png", fx.dir);
    fx.scenes[1].image_path = missing; /* frames of the second scene cannot be drawn */
    int threads_before = mv_test_thread_count_settled(1, 2.0);
    mv_frame_renderer r;
    assert_int_equal(mv_frame_renderer_init(&r, &fx.plan, &fx.timeline, NULL), MAIVID_OK);
    const mv_frame_span span = {0, 48};
    mv_frame_producer p;
    mv_error err = {0};
    assert_int_equal(mv_frame_producer_start(&p, &r, W, H, FPS, &span, 1, &err), MAIVID_OK);
    maivid_code rc = MAIVID_OK;
    int64_t got = 0;
    while (rc == MAIVID_OK) {
        const mv_yuv *frame = NULL;
        int64_t number = -1;
        rc = mv_frame_producer_take(&p, &frame, &number, &err);
        if (rc == MAIVID_OK) {
            assert_int_equal(number, got);
            got++;
            mv_frame_producer_release(&p);
        }
    }
    assert_int_not_equal(rc, MAIVID_E_INTERNAL);
    assert_int_equal(err.code, rc);
    assert_non_null(strstr(err.message, "missing.png"));
    /* the first scene's frames before the fade came through */
    assert_true(got >= 12 && got < 24);
    mv_frame_producer_stop(&p);
    assert_int_equal(mv_test_thread_count_settled(threads_before, 2.0), threads_before);
    mv_frame_renderer_free(&r);
    free_fixture(&fx);
}

static void test_stop_early_joins_the_thread(void **state)
{
    (void)state;
    fixture fx;
    make_fixture(&fx, "producer-stop");
    int threads_before = mv_test_thread_count_settled(1, 2.0);
    mv_frame_renderer r;
    assert_int_equal(mv_frame_renderer_init(&r, &fx.plan, &fx.timeline, NULL), MAIVID_OK);
    const mv_frame_span span = {0, 48};
    for (int taken = 0; taken < 3; taken++) {
        mv_frame_producer p;
        assert_int_equal(mv_frame_producer_start(&p, &r, W, H, FPS, &span, 1, NULL), MAIVID_OK);
        assert_int_equal(mv_test_thread_count_settled(threads_before + 1, 2.0),
                         threads_before + 1);
        for (int i = 0; i < taken; i++) {
            const mv_yuv *frame = NULL;
            int64_t number = -1;
            assert_int_equal(mv_frame_producer_take(&p, &frame, &number, NULL), MAIVID_OK);
            if (i + 1 < taken) /* the last one is stopped while still taken */
                mv_frame_producer_release(&p);
        }
        short_pause(); /* the producer is now waiting for a free slot */
        mv_frame_producer_stop(&p);
        assert_int_equal(mv_test_thread_count_settled(threads_before, 2.0), threads_before);
    }
    mv_frame_renderer_free(&r);
    free_fixture(&fx);
}

/* A lent frame: returned at once, its slot's memory is drawn into again (no copy, no new
 * memory); kept by the "encoder" past its release, the slot gets fresh memory, the drawing
 * goes on, and the kept picture stays exactly as it was until its last reference goes. */
static void test_lent_frames_are_never_drawn_over(void **state)
{
    (void)state;
    fixture fx;
    make_fixture(&fx, "producer-lend");
    mv_frame_renderer r;
    assert_int_equal(mv_frame_renderer_init(&r, &fx.plan, &fx.timeline, NULL), MAIVID_OK);
    const mv_frame_span span = {0, 30};
    mv_frame_producer p;
    mv_error err = {0};
    assert_int_equal(mv_frame_producer_start(&p, &r, W, H, FPS, &span, 1, &err), MAIVID_OK);
    uint8_t *memory[30] = {0};
    AVBufferRef *kept = NULL;
    mv_yuv kept_copy;
    assert_int_equal(mv_yuv_alloc(&kept_copy, W, H), 0);
    mv_yuv kept_view = {0};
    for (int64_t n = 0; n < 30; n++) {
        const mv_yuv *frame = NULL;
        int64_t number = -1;
        assert_int_equal(mv_frame_producer_take(&p, &frame, &number, &err), MAIVID_OK);
        assert_int_equal(number, n);
        memory[n] = frame->plane[0];
        assert_null(mv_frame_producer_lend(&p, &kept_copy)); /* not the taken frame */
        AVBufferRef *ref = mv_frame_producer_lend(&p, frame);
        assert_non_null(ref);
        assert_ptr_equal(ref->data, frame->plane[0]);
        assert_null(mv_frame_producer_lend(&p, frame)); /* one loan at a time */
        if (n == 4) { /* the encoder keeps this one past its slot's next turn */
            kept = av_buffer_ref(ref);
            kept_view = *frame;
            mv_yuv_copy(&kept_copy, frame);
        }
        av_buffer_unref(&ref);
        mv_frame_producer_release(&p);
        if (n >= p.ring && n != 4 + p.ring)
            assert_ptr_equal(memory[n], memory[n - p.ring]); /* reused, not copied */
        if (n == 4 + p.ring)
            assert_ptr_not_equal(memory[n], memory[4]); /* the kept one got a successor */
        if (kept && n >= 5) /* drawing went on past it, and never over it */
            assert_true(same_picture(&kept_view, &kept_copy));
        if (n == 4 + p.ring + 2)
            av_buffer_unref(&kept); /* its block is freed now (ASan checks) */
    }
    mv_frame_producer_stop(&p);
    mv_yuv_free(&kept_copy);
    mv_frame_renderer_free(&r);
    free_fixture(&fx);
}

/* The ring holds as many frames as its byte budget allows, within its bounds. */
static void test_ring_size_follows_the_frame_size(void **state)
{
    (void)state;
    assert_int_equal(mv_frame_ring_size(3840, 2160), MV_FRAME_RING_MIN);
    assert_int_equal(mv_frame_ring_size(1920, 1080), 4);
    assert_int_equal(mv_frame_ring_size(1280, 720), MV_FRAME_RING_MAX);
    assert_int_equal(mv_frame_ring_size(W, H), MV_FRAME_RING_MAX);
    for (int h = 90; h <= 4320; h += 90) {
        int w = h * 16 / 9, n = mv_frame_ring_size(w, h);
        assert_true(n >= MV_FRAME_RING_MIN && n <= MV_FRAME_RING_MAX);
        assert_true(n == MV_FRAME_RING_MIN ||
                    (size_t)n * (size_t)w * (size_t)h * 3 / 2 <= MV_FRAME_RING_BYTES);
    }
}

typedef struct cancel_after {
    atomic_int cancel;
    int threads_seen;
} cancel_after;

static void cancel_mid_render(void *user, double fraction, const char *text)
{
    cancel_after *c = user;
    if (text && strncmp(text, "rendering frame", 15) == 0) {
        int n = mv_test_thread_count();
        if (n > c->threads_seen)
            c->threads_seen = n;
    }
    if (fraction >= 0.4)
        atomic_store(&c->cancel, 1);
}

static int leftovers(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int found = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strstr(e->d_name, "partial") || strstr(e->d_name, "render-") ||
            strstr(e->d_name, ".mp4"))
            found = 1;
    closedir(d);
    return found;
}

static void test_cancelled_render_leaves_no_files_or_threads(void **state)
{
    (void)state;
    fixture fx;
    make_fixture(&fx, "producer-cancel");
    cancel_after c = {0};
    atomic_init(&c.cancel, 0);
    mv_task task = {cancel_mid_render, &c, &c.cancel, NULL};
    int threads_before = mv_test_thread_count_settled(1, 2.0);
    mv_error err = {0};
    assert_int_equal(mv_render_video(&fx.plan, &task, &err), MAIVID_E_CANCELLED);
    assert_true(c.threads_seen > threads_before); /* the drawing thread (and x264's) ran */
    assert_int_equal(mv_test_thread_count_settled(threads_before, 2.0), threads_before);
    assert_false(leftovers(fx.dir));
    free_fixture(&fx);
}

static void test_render_threads_all_joined_after_success(void **state)
{
    (void)state;
    fixture fx;
    make_fixture(&fx, "producer-success");
    int threads_before = mv_test_thread_count_settled(1, 2.0);
    mv_error err = {0};
    assert_int_equal(mv_render_video(&fx.plan, NULL, &err), MAIVID_OK);
    assert_true(mv_file_exists(fx.out));
    assert_int_equal(mv_test_thread_count_settled(threads_before, 2.0), threads_before);
    free_fixture(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frames_in_order_and_identical),
        cmocka_unit_test(test_drawing_failure_reaches_the_caller),
        cmocka_unit_test(test_stop_early_joins_the_thread),
        cmocka_unit_test(test_lent_frames_are_never_drawn_over),
        cmocka_unit_test(test_ring_size_follows_the_frame_size),
        cmocka_unit_test(test_cancelled_render_leaves_no_files_or_threads),
        cmocka_unit_test(test_render_threads_all_joined_after_success),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
