/*
 * cli_clips.c - end to end through maivid-cli against the ComfyUI fixture: a workflow that
 * saves a video makes each scene a clip, and a clip whose frames rise in a known order (grey
 * level = frame index) comes out of our MP4 in that order; --animate with the shipped Wan
 * 2.2 template moves the painter's stills (the fixture's clip is the uploaded still zooming
 * in: the clip starts as the painter's still and ends transformed); a server whose prompts
 * fail leaves the scenes on their stills with a warning and the job still finishes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_harness.h"
#include "clip_maker.h"
#include "comfy_fixture.h"
#include "mv_test_util.h"
#include "render_test_util.h"
#include "util/mv_common.h"

typedef struct mv_env {
    char *dir;
    char song[4200], data_env[4300], jobs[4300];
} mv_env;

static int mv_setup(void **state)
{
    mv_env *e = calloc(1, sizeof *e);
    e->dir = mv_test_tmpdir("cli-clips");
    assert_non_null(e->dir);
    snprintf(e->song, sizeof e->song, "%s/song.wav", e->dir);
    snprintf(e->data_env, sizeof e->data_env, "MAIVID_DATA_DIR=%s/data", e->dir);
    snprintf(e->jobs, sizeof e->jobs, "%s/data/jobs", e->dir);
    mv_test_song song = {.seconds = 3, .bpm = 120};
    assert_int_equal(mv_test_write_song_wav(e->song, &song), 0);
    *state = e;
    return 0;
}

static int mv_teardown(void **state)
{
    mv_env *e = *state;
    mv_error err;
    mv_remove_tree(e->dir, &err);
    free(e->dir);
    free(e);
    return 0;
}

static void mv_run(const mv_env *e, const char *const *args, mv_cli_result *r)
{
    const char *env[] = {e->data_env, NULL};
    mv_cli_run(args, env, e->dir, 240, r);
    if (r->exit_code != 0)
        fprintf(stderr, "stderr: %s\nstdout: %s\n", r->err, r->out);
}

/* The scenes/ folder of the one job in the data directory. */
static void mv_scenes_dir(const mv_env *e, char *out, size_t size)
{
    DIR *d = opendir(e->jobs);
    assert_non_null(d);
    out[0] = '\0';
    for (struct dirent *de = readdir(d); de; de = readdir(d))
        if (de->d_name[0] != '.')
            if (snprintf(out, size, "%s/%.64s/scenes", e->jobs, de->d_name) >= (int)size)
                out[0] = '\0';
    closedir(d);
    assert_true(out[0] != '\0');
}

typedef struct lumas {
    double v[200];
    int n;
} lumas;

static void collect(void *user, const rt_frame *f, int64_t index)
{
    lumas *l = user;
    (void)index;
    if (l->n < 200)
        l->v[l->n++] = rt_mean(f->y, f->width, f->width / 4, f->height / 4, 3 * f->width / 4,
                               3 * f->height / 4);
}

static void test_clip_frames_in_order(void **state)
{
    mv_env *e = *state;
    mv_comfy_fixture *fx = mv_comfy_fixture_start(NULL);
    char wf[4300], out[4300];
    snprintf(wf, sizeof wf, "%s/t2v.json", e->dir);
    snprintf(out, sizeof out, "%s/t2v.mp4", e->dir);
    FILE *f = fopen(wf, "w");
    assert_non_null(f);
    /* 48 frames at 24 fps rising from grey 20 by 4 per frame (the fixture's clips) */
    fputs("{\"1\": {\"class_type\": \"CheckpointLoaderSimple\", \"inputs\": {\"ckpt_name\": "
          "\"custom_model.safetensors\"}},"
          " \"2\": {\"class_type\": \"CLIPTextEncode\", \"inputs\": {\"text\": \"{{prompt}}\", "
          "\"clip\": [\"1\", 1]}},"
          " \"3\": {\"class_type\": \"EmptyImage\", \"inputs\": {\"width\": 64, \"height\": 48, "
          "\"batch_size\": 48, \"color\": 0}},"
          " \"4\": {\"class_type\": \"CreateVideo\", \"inputs\": {\"images\": [\"3\", 0], "
          "\"fps\": 24}},"
          " \"5\": {\"class_type\": \"SaveVideo\", \"inputs\": {\"video\": [\"4\", 0], "
          "\"filename_prefix\": \"v\", \"format\": \"auto\", \"codec\": \"auto\"}}}",
          f);
    fclose(f);
    mv_cli_result r;
    mv_run(e, (const char *[]){"generate", e->song, "--comfyui", mv_comfy_fixture_url(fx),
                               "--workflow", wf, "--resolution", "480p", "--fps", "24", "-n",
                               "1", "--reactivity", "0", "--captions", "off", "--motion",
                               "static", "--keep", "-o", out, NULL},
           &r);
    assert_int_equal(r.exit_code, 0);
    char scenes[4400], clip[4500];
    mv_scenes_dir(e, scenes, sizeof scenes);
    snprintf(clip, sizeof clip, "%s/scene_001.mp4", scenes);
    assert_true(mv_file_exists(clip));
    lumas l = {.n = 0};
    assert_true(rt_decode_frames(out, collect, &l) > 0);
    assert_int_equal(l.n, 72); /* 3 s at 24 fps: the 2 s clip slowed to fill the scene */
    for (int i = 1; i < l.n; i++)
        if (l.v[i] < l.v[i - 1] - 1.0)
            fail_msg("frame %d (%.1f) is darker than frame %d (%.1f): out of order", i, l.v[i],
                     i - 1, l.v[i - 1]);
    double first = 16 + 20 * 219.0 / 255, last = 16 + (20 + 4 * 47) * 219.0 / 255;
    assert_true(fabs(l.v[0] - first) < 3);
    if (fabs(l.v[l.n - 1] - last) >= 3)
        fail_msg("last frame %.1f, the clip ends at %.1f", l.v[l.n - 1], last);
    mv_cli_result_free(&r);
    mv_comfy_fixture_stop(fx);
}

static double rgb_diff(const unsigned char *a, const unsigned char *b, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += fabs((double)a[i] - b[i]);
    return sum / (double)n;
}

static void test_animate_painter_stills(void **state)
{
    mv_env *e = *state;
    mv_comfy_fixture *fx = mv_comfy_fixture_start(NULL);
    char out[4300];
    snprintf(out, sizeof out, "%s/i2v.mp4", e->dir);
    mv_cli_result r;
    mv_run(e, (const char *[]){"generate", e->song, "--comfyui", mv_comfy_fixture_url(fx),
                               "--model", "procedural", "--animate", "wan22_ti2v_5b",
                               "--resolution", "480p", "--fps", "12", "-n", "2", "--keep", "-o", out,
                               NULL},
           &r);
    assert_int_equal(r.exit_code, 0);
    mv_comfy_fixture_stats st;
    mv_comfy_fixture_get_stats(fx, &st);
    assert_int_equal(st.uploads, 2);    /* each painter still went up */
    assert_int_equal(st.completed, 2);  /* and came back as a clip */
    char *graph = mv_comfy_fixture_last_graph(fx);
    assert_non_null(strstr(graph, "\"class_type\":\"Wan22ImageToVideoLatent\""));
    assert_null(strstr(graph, "{{"));
    assert_non_null(strstr(graph, "camera")); /* the motion words */
    free(graph);
    char scenes[4400];
    mv_scenes_dir(e, scenes, sizeof scenes);
    for (int i = 1; i <= 2; i++) {
        char still[4500], clip[4500];
        snprintf(still, sizeof still, "%s/scene_%03d.png", scenes, i);
        snprintf(clip, sizeof clip, "%s/scene_%03d.mp4", scenes, i);
        assert_true(mv_file_exists(still));
        assert_true(mv_file_exists(clip));
        /* the clip starts as the painter's still and ends transformed (zoomed in) */
        int sw, sh, cw, ch, count = 0;
        unsigned char *s0 = mv_test_read_rgb(still, 0, &sw, &sh, NULL);
        unsigned char *c0 = mv_test_read_rgb(clip, 0, &cw, &ch, &count);
        unsigned char *cl = mv_test_read_rgb(clip, count - 1, &cw, &ch, NULL);
        assert_non_null(s0);
        assert_non_null(c0);
        assert_non_null(cl);
        assert_true(count >= 17);
        mv_test_clip_spec ref = {"apng", cw, ch, 2, 1, 0, 0, s0, sw, sh};
        char refpath[4600];
        snprintf(refpath, sizeof refpath, "%s/ref.apng", e->dir);
        assert_int_equal(mv_test_make_clip(&ref, refpath), 0);
        unsigned char *r0 = mv_test_read_rgb(refpath, 0, &cw, &ch, NULL);
        unsigned char *r1 = mv_test_read_rgb(refpath, 1, &cw, &ch, NULL);
        size_t n = (size_t)cw * ch * 3;
        double start = rgb_diff(c0, r0, n), end_vs_still = rgb_diff(cl, r0, n),
               end_vs_zoom = rgb_diff(cl, r1, n);
        if (!(start < 10 && end_vs_zoom < 10 && end_vs_still > end_vs_zoom + 3))
            fail_msg("scene %d: start %.1f, end against the still %.1f, against the zoom %.1f",
                     i, start, end_vs_still, end_vs_zoom);
        free(s0);
        free(c0);
        free(cl);
        free(r0);
        free(r1);
    }
    double duration = 0;
    int w = 0, h = 0;
    assert_true(mv_cli_probe_video(out, &duration, &w, &h));
    assert_true(fabs(duration - 3.0) < 0.2);
    mv_cli_result_free(&r);
    mv_comfy_fixture_stop(fx);
}

static void test_failed_clips_fall_back(void **state)
{
    mv_env *e = *state;
    mv_comfy_fixture_opts o = {.mode = MV_FIXTURE_FAILING};
    mv_comfy_fixture *fx = mv_comfy_fixture_start(&o);
    char out[4300];
    snprintf(out, sizeof out, "%s/fallback.mp4", e->dir);
    mv_cli_result r;
    mv_run(e, (const char *[]){"generate", e->song, "--comfyui", mv_comfy_fixture_url(fx),
                               "--model", "procedural", "--animate", "ltxv_i2v",
                               "--resolution", "480p", "--fps", "12", "-n", "2", "--keep", "-o", out,
                               NULL},
           &r);
    assert_int_equal(r.exit_code, 0); /* the stills carry the video */
    assert_non_null(strstr(r.err, "clip failed"));
    assert_non_null(strstr(r.err, "the still with its camera motion stands in"));
    char scenes[4400], clip[4500];
    mv_scenes_dir(e, scenes, sizeof scenes);
    snprintf(clip, sizeof clip, "%s/scene_001.mp4", scenes);
    assert_false(mv_file_exists(clip));
    double duration = 0;
    int w = 0, h = 0;
    assert_true(mv_cli_probe_video(out, &duration, &w, &h));
    mv_cli_result_free(&r);
    mv_comfy_fixture_stop(fx);
}

static void test_animate_needs_a_video_model(void **state)
{
    mv_env *e = *state;
    char out[4300];
    snprintf(out, sizeof out, "%s/bad.mp4", e->dir);
    mv_cli_result r;
    mv_run(e, (const char *[]){"generate", e->song, "--model", "procedural", "--animate",
                               "sdxl_turbo", "-o", out, NULL},
           &r);
    assert_true(r.exit_code != 0);
    assert_non_null(strstr(r.err, "image-to-video"));
    assert_non_null(strstr(r.err, "wan22_ti2v_5b"));
    mv_cli_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_clip_frames_in_order, mv_setup, mv_teardown),
        cmocka_unit_test_setup_teardown(test_animate_painter_stills, mv_setup, mv_teardown),
        cmocka_unit_test_setup_teardown(test_failed_clips_fall_back, mv_setup, mv_teardown),
        cmocka_unit_test_setup_teardown(test_animate_needs_a_video_model, mv_setup,
                                        mv_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
