/*
 * test_render_output.c - end-to-end renders of short videos, read back with libavformat:
 * H.264/yuv420p + AAC, the requested size, frame count, video length = audio length within a
 * frame, the index before the media data, the thumbnail, progress, cancel (no output left),
 * bad input rejected, and resume from segment checkpoints with a seamless join (also when a
 * scene's picture arrived while the render ran).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>

#include "mv_test_util.h"
#include "render/mv_render.h"
#include "render_test_util.h"

typedef struct progress_log {
    int calls;
    double last, first_render;
    int monotone;
    double cancel_at;      /* > 0: raise the cancel flag when progress passes this */
    atomic_int cancel;
} progress_log;

static void on_progress(void *user, double fraction, const char *text)
{
    progress_log *log = user;
    if (log->calls > 0 && fraction + 1e-9 < log->last)
        log->monotone = 0;
    if (log->first_render < 0 && text && strncmp(text, "rendering frame", 15) == 0)
        log->first_render = fraction;
    log->last = fraction;
    log->calls++;
    if (log->cancel_at > 0 && fraction >= log->cancel_at)
        atomic_store(&log->cancel, 1);
}

static mv_task make_task(progress_log *log)
{
    memset(log, 0, sizeof *log);
    log->monotone = 1;
    log->first_render = -1;
    atomic_init(&log->cancel, 0);
    mv_task t = {on_progress, log, &log->cancel, NULL};
    return t;
}

typedef struct fixture {
    char *dir;
    char song[1024], red[1024], blue[1024], out[1024], thumb[1024], work[1024];
    mv_render_scene scenes[2];
    mv_render_plan plan;
} fixture;

static void make_fixture(fixture *fx, const char *name, double seconds, int width, int height,
                         int fps)
{
    memset(fx, 0, sizeof *fx);
    fx->dir = mv_test_tmpdir(name);
    assert_non_null(fx->dir);
    snprintf(fx->song, sizeof fx->song, "%s/song.wav", fx->dir);
    snprintf(fx->red, sizeof fx->red, "%s/red.ppm", fx->dir);
    snprintf(fx->blue, sizeof fx->blue, "%s/blue.ppm", fx->dir);
    snprintf(fx->out, sizeof fx->out, "%s/video.mp4", fx->dir);
    snprintf(fx->thumb, sizeof fx->thumb, "%s/video.jpg", fx->dir);
    snprintf(fx->work, sizeof fx->work, "%s/work", fx->dir);
    mv_test_song song = {seconds, 120, 0, 0, 44100, 2};
    assert_int_equal(mv_test_write_song_wav(fx->song, &song), 0);
    /* a wide and a tall picture, so both are cover-fitted */
    assert_int_equal(rt_write_solid_ppm(fx->red, 400, 150, 220, 40, 40), 0);
    assert_int_equal(rt_write_solid_ppm(fx->blue, 100, 300, 40, 40, 220), 0);
    mv_render_scene a = {fx->red, 0, seconds / 2, "ken_burns", "fade", 1.0, 1, NULL};
    mv_render_scene b = {fx->blue, seconds / 2, seconds, "zoom_out", "fade", 1.0, 2, NULL};
    fx->scenes[0] = a;
    fx->scenes[1] = b;
    mv_render_plan plan = {fx->scenes, 2, fx->song, width, height, fps, fx->out, fx->thumb,
                           NULL, NULL, 0, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL};
    fx->plan = plan;
}

static void free_fixture(fixture *fx)
{
    mv_remove_tree(fx->dir, NULL);
    free(fx->dir);
}

static int leftovers(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -q -e partial -e render-", dir);
    return system(cmd) == 0;
}

static void test_render_basic_video(void **state)
{
    (void)state;
    fixture fx;
    make_fixture(&fx, "render-basic", 3.0, 320, 180, 12);
    progress_log log;
    mv_task task = make_task(&log);
    mv_error err = {0};
    maivid_code rc = mv_render_video(&fx.plan, &task, &err);
    assert_int_equal(rc, MAIVID_OK);
    rt_media_info info;
    assert_int_equal(rt_probe(fx.out, &info), 0);
    assert_int_equal(info.video_codec, AV_CODEC_ID_H264);
    assert_int_equal(info.audio_codec, AV_CODEC_ID_AAC);
    assert_int_equal(info.pix_fmt, AV_PIX_FMT_YUV420P);
    assert_int_equal(info.width, 320);
    assert_int_equal(info.height, 180);
    assert_int_equal(info.video_frames, 36);
    assert_true(fabs(info.audio_seconds - 3.0) < 0.01);
    assert_true(fabs(info.video_seconds - info.audio_seconds) <= 1.0 / 12 + 1e-6);
    assert_true(info.moov_before_mdat);
    assert_int_equal(rt_decode_frames(fx.out, NULL, NULL) >= 0, 1);
    /* thumbnail: a JPEG */
    char *jpg = NULL;
    size_t len = 0;
    assert_int_equal(mv_read_file(fx.thumb, &jpg, &len, NULL), MAIVID_OK);
    assert_true(len > 100);
    assert_int_equal((unsigned char)jpg[0], 0xFF);
    assert_int_equal((unsigned char)jpg[1], 0xD8);
    free(jpg);
    assert_true(log.monotone);
    assert_true(log.calls > 3);
    assert_true(fabs(log.last - 1.0) < 1e-9);
    assert_false(leftovers(fx.dir)); /* no temp files or checkpoints left */
    free_fixture(&fx);
}

static void count_frame(void *user, const rt_frame *frame, int64_t index)
{
    (void)frame;
    (void)index;
    (*(int64_t *)user)++;
}

static void test_render_sizes_per_aspect(void **state)
{
    (void)state;
    /* the real sizes of each aspect at 480p come from mv_frame_size; render two small shapes */
    const char *aspects[] = {"9:16", "1:1"};
    const int expect_w[] = {160, 160}, expect_h[] = {284, 160};
    for (int i = 0; i < 2; i++) {
        int w = 0, h = 0;
        assert_int_equal(mv_frame_size(aspects[i], "480p", &w, &h, NULL), MAIVID_OK);
        /* scale the 480p size to a 160-pixel short side, keeping it even */
        int sw = 2 * (int)lrint(w * 160.0 / (w < h ? w : h) / 2);
        int sh = 2 * (int)lrint(h * 160.0 / (w < h ? w : h) / 2);
        assert_int_equal(sw, expect_w[i]);
        assert_int_equal(sh, expect_h[i]);
        fixture fx;
        make_fixture(&fx, "render-aspect", 1.0, sw, sh, 12);
        fx.plan.thumbnail_path = NULL;
        mv_error err = {0};
        assert_int_equal(mv_render_video(&fx.plan, NULL, &err), MAIVID_OK);
        rt_media_info info;
        assert_int_equal(rt_probe(fx.out, &info), 0);
        assert_int_equal(info.width, sw);
        assert_int_equal(info.height, sh);
        assert_int_equal(info.video_frames, 12);
        int64_t decoded = 0;
        assert_int_equal(rt_decode_frames(fx.out, count_frame, &decoded), 12);
        free_fixture(&fx);
    }
}

static void test_render_cancel_removes_output(void **state)
{
    (void)state;
    fixture fx;
    make_fixture(&fx, "render-cancel", 4.0, 320, 180, 12);
    progress_log log;
    mv_task task = make_task(&log);
    log.cancel_at = 0.3;
    mv_error err = {0};
    assert_int_equal(mv_render_video(&fx.plan, &task, &err), MAIVID_E_CANCELLED);
    assert_false(mv_file_exists(fx.out));
    assert_false(mv_file_exists(fx.thumb));
    assert_false(leftovers(fx.dir));
    assert_true(log.last < 0.9);
    free_fixture(&fx);
}

static void test_render_rejects_bad_input(void **state)
{
    (void)state;
    fixture fx;
    make_fixture(&fx, "render-bad", 1.0, 160, 90, 12);
    mv_error err = {0};
    fx.scenes[1].transition = "sparkle";
    fx.scenes[0].transition = "sparkle";
    assert_int_equal(mv_render_video(&fx.plan, NULL, &err), MAIVID_E_INVALID);
    assert_non_null(strstr(err.message, "sparkle"));
    assert_non_null(strstr(err.message, "wiperight"));
    fx.scenes[0].transition = "fade";
    fx.scenes[0].image_path = "/nonexistent/picture.png";
    assert_int_equal(mv_render_video(&fx.plan, NULL, &err), MAIVID_E_MEDIA);
    assert_non_null(strstr(err.message, "/nonexistent/picture.png"));
    fx.scenes[0].image_path = fx.red;
    fx.plan.audio_path = fx.red; /* a picture is no song */
    assert_int_not_equal(mv_render_video(&fx.plan, NULL, &err), MAIVID_OK);
    fx.plan.audio_path = fx.song;
    fx.plan.width = 161;
    assert_int_equal(mv_render_video(&fx.plan, NULL, &err), MAIVID_E_INVALID);
    assert_false(mv_file_exists(fx.out));
    assert_false(leftovers(fx.dir));
    free_fixture(&fx);
}

typedef struct pts_check {
    int64_t count, bad;
} pts_check;

static void check_pts(void *user, const rt_frame *frame, int64_t index)
{
    pts_check *c = user;
    if (frame->pts != index)
        c->bad++;
    c->count++;
}

static void test_render_resume_from_checkpoints(void **state)
{
    (void)state;
    /* 25 s at 12 fps: three 10-second segments */
    fixture fx;
    make_fixture(&fx, "render-resume", 25.0, 160, 90, 12);
    fx.plan.work_dir = fx.work;
    progress_log log;
    mv_task task = make_task(&log);
    log.cancel_at = 0.6; /* after the first segment (0.03 + 0.92 * 120/300 = 0.398) */
    mv_error err = {0};
    assert_int_equal(mv_render_video(&fx.plan, &task, &err), MAIVID_E_CANCELLED);
    assert_false(mv_file_exists(fx.out));
    char seg0[1200];
    snprintf(seg0, sizeof seg0, "%s/render-video-00000.pk", fx.work);
    assert_true(mv_file_exists(seg0));
    /* resume: the first segment is not rendered again */
    task = make_task(&log);
    assert_int_equal(mv_render_video(&fx.plan, &task, &err), MAIVID_OK);
    assert_true(log.first_render >= 0.39);
    assert_false(mv_file_exists(seg0)); /* checkpoints are removed after success */
    rt_media_info info;
    assert_int_equal(rt_probe(fx.out, &info), 0);
    assert_int_equal(info.video_frames, 300);
    assert_true(fabs(info.video_seconds - info.audio_seconds) <= 1.0 / 12 + 1e-6);
    pts_check c = {0, 0};
    assert_int_equal(rt_decode_frames(fx.out, check_pts, &c), 300);
    assert_int_equal(c.bad, 0); /* every frame in place across the segment joins */
    /* a changed plan invalidates the checkpoints */
    task = make_task(&log);
    log.cancel_at = 0.6;
    assert_int_equal(mv_render_video(&fx.plan, &task, &err), MAIVID_E_CANCELLED);
    fx.scenes[0].motion = "pan_left";
    task = make_task(&log);
    assert_int_equal(mv_render_video(&fx.plan, &task, &err), MAIVID_OK);
    assert_true(log.first_render < 0.1);
    free_fixture(&fx);
}

/* Scene 2's picture, kept aside until the render asks for it: as a painting beside the
 * render delivers it (mv_render_plan.scene_ready). */
typedef struct late_picture {
    const char *aside, *path;
    int calls;
} late_picture;

static maivid_code deliver_late_picture(void *user, size_t scene, mv_error *err)
{
    late_picture *late = user;
    late->calls++;
    if (scene == 1 && !mv_file_exists(late->path) && rename(late->aside, late->path) != 0)
        return mv_fail(err, MAIVID_E_IO, "cannot deliver %s", late->path);
    return MAIVID_OK;
}

/* A picture made after the render began does not throw away the segments made before an
 * interruption: the resume (every picture on disk by then) reuses them. */
static void test_render_resume_after_a_late_picture(void **state)
{
    (void)state;
    fixture fx;
    make_fixture(&fx, "render-resume-late", 25.0, 160, 90, 12);
    fx.plan.work_dir = fx.work;
    char aside[1200];
    snprintf(aside, sizeof aside, "%s/blue-aside.ppm", fx.dir);
    assert_int_equal(rename(fx.blue, aside), 0);
    late_picture late = {aside, fx.blue, 0};
    fx.plan.scene_ready = deliver_late_picture;
    fx.plan.scene_ready_user = &late;
    progress_log log;
    mv_task task = make_task(&log);
    log.cancel_at = 0.6; /* past scene 2's first frame (0.03 + 0.92 * 144/300 = 0.47) */
    mv_error err = {0};
    assert_int_equal(mv_render_video(&fx.plan, &task, &err), MAIVID_E_CANCELLED);
    assert_true(late.calls >= 2);
    assert_true(mv_file_exists(fx.blue));
    char seg0[1200];
    snprintf(seg0, sizeof seg0, "%s/render-video-00000.pk", fx.work);
    assert_true(mv_file_exists(seg0));
    /* resume with every picture there: the first segment is not rendered again */
    fx.plan.scene_ready = NULL;
    fx.plan.scene_ready_user = NULL;
    task = make_task(&log);
    assert_int_equal(mv_render_video(&fx.plan, &task, &err), MAIVID_OK);
    assert_true(log.first_render >= 0.39);
    rt_media_info info;
    assert_int_equal(rt_probe(fx.out, &info), 0);
    assert_int_equal(info.video_frames, 300);
    free_fixture(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_basic_video),
        cmocka_unit_test(test_render_sizes_per_aspect),
        cmocka_unit_test(test_render_cancel_removes_output),
        cmocka_unit_test(test_render_rejects_bad_input),
        cmocka_unit_test(test_render_resume_from_checkpoints),
        cmocka_unit_test(test_render_resume_after_a_late_picture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
