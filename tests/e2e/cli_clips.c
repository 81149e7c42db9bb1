/*
 * cli_clips.c - end to end through maivid-cli against the ComfyUI fixture: a workflow that
 * saves a video makes each scene a clip, and a clip whose frames rise in a known order (grey
 * level = frame index) comes out of our MP4 in that order; --animate with the shipped Wan
 * 2.2 template moves the painter's stills (the fixture's clip is the uploaded still zooming
 * in: the clip starts as the painter's still and ends transformed); a server whose prompts
 * fail leaves the scenes on their stills with a warning and the job still finishes. A scene
 * longer than --clip-seconds gets a chain: clip 2 is made from clip 1's last frame (the PNG
 * uploaded for it has that frame's pixels), the storyboard and status say "clips": 2, the
 * MP4 plays clip 1 then clip 2 in order with no frame doubled at the join, a failed clip 2
 * keeps clip 1 with a warning, and a job killed during clip 2 resumes without making clip 1
 * again.
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
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

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

/* The job directory of the one job (its scenes/ folder's parent). */
static void mv_job_dir(const mv_env *e, char *out, size_t size)
{
    char scenes[4400];
    mv_scenes_dir(e, scenes, sizeof scenes);
    snprintf(out, size, "%.*s", (int)(strlen(scenes) - strlen("/scenes")), scenes);
}

/* scenes[0].clips in a job file (storyboard.json, job.json). */
static int mv_scene_clips(const char *job_dir, const char *file)
{
    char path[4600];
    snprintf(path, sizeof path, "%s/%s", job_dir, file);
    char *text = NULL;
    size_t len = 0;
    mv_error err;
    assert_int_equal(mv_read_file(path, &text, &len, &err), MAIVID_OK);
    cJSON *root = cJSON_Parse(text);
    free(text);
    const cJSON *scene = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "scenes"), 0);
    const cJSON *clips = cJSON_GetObjectItem(scene, "clips");
    int n = cJSON_IsNumber(clips) ? clips->valueint : -1;
    cJSON_Delete(root);
    return n;
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

/* A 3 s scene and clips of at most 1.5 s: a chain of two. */
#define MV_CHAIN_ARGS(e, fx, out, fps)                                                          \
    "generate", (e)->song, "--comfyui", mv_comfy_fixture_url(fx), "--model", "procedural",    \
        "--animate", "wan22_ti2v_5b", "--clip-seconds", "1.5", "--resolution", "480p",         \
        "--fps", fps, "-n", "1", "--reactivity", "0", "--captions", "off", "--motion",         \
        "static", "--keep", "-o", (out)

/* Runs the chained job on a fixture started with `o` (NULL: GOOD) into dir/name; the job
 * must finish. Returns the fixture (the caller stops it). */
static mv_comfy_fixture *mv_run_chain(const mv_env *e, const mv_comfy_fixture_opts *o,
                                      const char *name, const char *fps, char *out,
                                      size_t out_size, mv_cli_result *r)
{
    mv_comfy_fixture *fx = mv_comfy_fixture_start(o);
    assert_non_null(fx);
    snprintf(out, out_size, "%s/%s", e->dir, name);
    mv_run(e, (const char *[]){MV_CHAIN_ARGS(e, fx, out, fps), NULL}, r);
    assert_int_equal(r->exit_code, 0);
    return fx;
}

/* The video plays, as long as the song. */
static void mv_assert_plays_song(const char *out)
{
    double duration = 0;
    int w = 0, h = 0;
    assert_true(mv_cli_probe_video(out, &duration, &w, &h));
    assert_true(fabs(duration - 3.0) < 0.2);
}

static void test_chained_clips(void **state)
{
    mv_env *e = *state;
    char out[4300];
    mv_cli_result r;
    mv_comfy_fixture *fx = mv_run_chain(e, NULL, "chain.mp4", "12", out, sizeof out, &r);
    mv_comfy_fixture_stats st;
    mv_comfy_fixture_get_stats(fx, &st);
    assert_int_equal(st.uploads, 2);   /* the still, then clip 1's last frame */
    assert_int_equal(st.completed, 2);
    char job[4400], scenes[4400], clip1[4500], clip2[4500], start2[4500];
    mv_job_dir(e, job, sizeof job);
    mv_scenes_dir(e, scenes, sizeof scenes);
    snprintf(clip1, sizeof clip1, "%s/scene_001.mp4", scenes);
    snprintf(clip2, sizeof clip2, "%s/scene_001_c2.mp4", scenes);
    snprintf(start2, sizeof start2, "%s/scene_001_c2.png", scenes);
    assert_true(mv_file_exists(clip1));
    assert_true(mv_file_exists(clip2));
    assert_int_equal(mv_scene_clips(job, "storyboard.json"), 2);
    assert_int_equal(mv_scene_clips(job, "job.json"), 2);
    /* the second upload is clip 1's last frame, pixel for pixel */
    size_t len = 0;
    unsigned char *up = mv_comfy_fixture_last_upload(fx, &len);
    assert_non_null(up);
    char up_path[4600];
    snprintf(up_path, sizeof up_path, "%s/upload2.png", e->dir);
    mv_error err;
    assert_int_equal(mv_write_file_atomic(up_path, (const char *)up, len, &err), MAIVID_OK);
    free(up);
    int uw, uh, cw, ch, count = 0;
    unsigned char *u = mv_test_read_rgb(up_path, 0, &uw, &uh, NULL);
    unsigned char *c0 = mv_test_read_rgb(clip1, 0, &cw, &ch, &count);
    unsigned char *cl = mv_test_read_rgb(clip1, count - 1, &cw, &ch, NULL);
    assert_non_null(u);
    assert_non_null(cl);
    assert_int_equal(uw, cw);
    assert_int_equal(uh, ch);
    size_t n = (size_t)cw * ch * 3;
    double same = rgb_diff(u, cl, n), first = rgb_diff(u, c0, n);
    if (!(same < 1.5 && first > same + 3))
        fail_msg("upload against clip 1's last frame %.2f, against its first %.2f", same,
                 first);
    free(u);
    free(c0);
    free(cl);
    mv_assert_plays_song(out);
    mv_cli_result_free(&r);
    mv_comfy_fixture_stop(fx);
}

static void test_chain_plays_in_order(void **state)
{
    mv_env *e = *state;
    /* clips of flat grey rising 2 a frame, clip 2 from clip 1's last level */
    mv_comfy_fixture_opts o = {.i2v_levels = 1};
    char out[4300];
    mv_cli_result r;
    mv_comfy_fixture *fx = mv_run_chain(e, &o, "order.mp4", "12", out, sizeof out, &r);
    lumas l = {.n = 0};
    assert_true(rt_decode_frames(out, collect, &l) > 0);
    assert_int_equal(l.n, 36);
    /* 37 + 36 chain frames (20, 22, ... 164) at 24 fps over 36 frames at 12 fps: every
     * output frame about two chain frames on, clip 1's then clip 2's, never back (a restart
     * at the join would drop to clip 2's first level). The exact join (no frame doubled) is
     * checked frame by frame in test_render_clips, where the chain maps 1:1 to the output;
     * here the two encodes' noise on flat frames (about 1.3 luma) hides a single frame. */
    double step = 4 * 219.0 / 255;
    assert_true(fabs(l.v[0] - (16 + 21 * 219.0 / 255)) < 2.5);
    for (int i = 1; i < l.n; i++)
        if (l.v[i] - l.v[i - 1] < 0.3 * step || l.v[i] - l.v[i - 1] > 2.0 * step)
        {
            for (int k = 0; k < l.n; k++)
                fprintf(stderr, "%.1f ", l.v[k]);
            fail_msg("frames %d -> %d: luma %.1f -> %.1f (one chain frame is %.2f)", i - 1, i,
                     l.v[i - 1], l.v[i], step);
        }
    assert_true(l.v[l.n - 1] > 16 + 150 * 219.0 / 255); /* clip 2's frames were shown */
    mv_cli_result_free(&r);
    mv_comfy_fixture_stop(fx);
}

static void test_chain_clip2_fails(void **state)
{
    mv_env *e = *state;
    mv_comfy_fixture_opts o = {.fail_from = 2};
    char out[4300];
    mv_cli_result r;
    mv_comfy_fixture *fx = mv_run_chain(e, &o, "half.mp4", "12", out, sizeof out, &r);
    assert_non_null(strstr(r.err, "clip 2 of 2 failed"));
    assert_non_null(strstr(r.err, "the clips before it are stretched"));
    char scenes[4400], clip1[4500], clip2[4500];
    mv_scenes_dir(e, scenes, sizeof scenes);
    snprintf(clip1, sizeof clip1, "%s/scene_001.mp4", scenes);
    snprintf(clip2, sizeof clip2, "%s/scene_001_c2.mp4", scenes);
    assert_true(mv_file_exists(clip1));
    assert_false(mv_file_exists(clip2));
    mv_assert_plays_song(out);
    mv_cli_result_free(&r);
    mv_comfy_fixture_stop(fx);
}

static void test_chain_resumes(void **state)
{
    mv_env *e = *state;
    mv_comfy_fixture_opts o = {.mode = MV_FIXTURE_SLOW, .steps = 10, .step_seconds = 0.15};
    mv_comfy_fixture *fx = mv_comfy_fixture_start(&o);
    char out[4300];
    snprintf(out, sizeof out, "%s/resumed.mp4", e->dir);
    const char *env[] = {e->data_env, NULL};
    mv_cli_child child;
    assert_int_equal(mv_cli_spawn(mv_cli_binary(),
                                  (const char *[]){MV_CHAIN_ARGS(e, fx, out, "12"), NULL}, env,
                                  e->dir, &child),
                     0);
    /* clip 2's start picture appears as clip 2 begins: kill the CLI then */
    char start2[4500] = "";
    for (int i = 0; i < 1200 && !(start2[0] && mv_file_exists(start2)); i++) {
        mv_cli_child_wait_for(&child, "\x01", 0, 0.05); /* drains its pipes */
        DIR *d = opendir(e->jobs);
        for (struct dirent *de = d ? readdir(d) : NULL; de; de = readdir(d))
            if (de->d_name[0] != '.')
                snprintf(start2, sizeof start2, "%s/%.64s/scenes/scene_001_c2.png", e->jobs,
                         de->d_name);
        if (d)
            closedir(d);
    }
    assert_true(mv_file_exists(start2));
    mv_cli_stop(child.pid, SIGKILL, 10);
    mv_cli_child_free(&child);
    char job[4400], scenes[4400], clip1[4500];
    mv_job_dir(e, job, sizeof job);
    mv_scenes_dir(e, scenes, sizeof scenes);
    snprintf(clip1, sizeof clip1, "%s/scene_001.mp4", scenes);
    assert_true(mv_file_exists(clip1));
    struct stat before, after;
    assert_int_equal(stat(clip1, &before), 0);
    mv_comfy_fixture_stats st;
    mv_comfy_fixture_get_stats(fx, &st);
    int uploads = st.uploads;
    const char *id = strrchr(job, '/') + 1;
    mv_cli_result r;
    mv_run(e, (const char *[]){"resume", id, "--comfyui", mv_comfy_fixture_url(fx), "--keep",
                               "-o", out, NULL},
           &r);
    assert_int_equal(r.exit_code, 0);
    mv_comfy_fixture_get_stats(fx, &st);
    assert_int_equal(st.uploads, uploads + 1); /* only clip 2's start went up again */
    assert_int_equal(stat(clip1, &after), 0);
    assert_true(before.st_ino == after.st_ino && before.st_mtime == after.st_mtime);
    char clip2[4500];
    snprintf(clip2, sizeof clip2, "%s/scene_001_c2.mp4", scenes);
    assert_true(mv_file_exists(clip2));
    mv_assert_plays_song(out);
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
        cmocka_unit_test_setup_teardown(test_chained_clips, mv_setup, mv_teardown),
        cmocka_unit_test_setup_teardown(test_chain_plays_in_order, mv_setup, mv_teardown),
        cmocka_unit_test_setup_teardown(test_chain_clip2_fails, mv_setup, mv_teardown),
        cmocka_unit_test_setup_teardown(test_chain_resumes, mv_setup, mv_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
