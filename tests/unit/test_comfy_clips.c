/*
 * test_comfy_clips.c - clips from ComfyUI against the fixture server: every video output
 * shape (SaveVideo, SaveWEBM, SaveAnimatedPNG under "images" with "animated": [true], VHS
 * "gifs" as gif and mp4) is fetched, checked and kept beside the still (its first frame as
 * the still); an animated WebP this FFmpeg cannot decode is refused with the fix; the
 * image-to-video job uploads the still (POST /upload/image), fills {{image}} (following the
 * reply's subfolder), {{prompt}}, {{negative_prompt}}, {{seed}}, {{width}}, {{height}},
 * {{frames}}, {{fps}}, and keeps the still; the clip made from it starts as the still and
 * ends zoomed in; cancel during a clip interrupts that prompt; two servers share clips.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clip_maker.h"
#include "comfy/mv_comfy.h"
#include "comfy_fixture.h"
#include "images/mv_clip.h"
#include "mv_test_util.h"

static const mv_comfy_timing fast_timing = {
    .connect_timeout = 2.0,
    .request_timeout = 5.0,
    .image_timeout = 30.0,
    .poll_interval = 0.05,
    .backoff_initial = 0.1,
    .backoff_max = 0.4,
    .restart_budget = 3.0,
};

static mv_image_backends *open_backends(const char *const *urls, size_t n)
{
    mv_image_config cfg = {.comfyui_urls = urls, .comfyui_url_count = n};
    mv_image_backends *b = NULL;
    mv_error err;
    assert_int_equal(mv_images_open(&cfg, &b, &err), MAIVID_OK);
    mv_images_set_timing(b, &fast_timing);
    return b;
}

static void write_text(const char *path, const char *text)
{
    mv_error err;
    assert_int_equal(mv_write_file_atomic(path, text, strlen(text), &err), MAIVID_OK);
}

/* A text-to-video graph ending in `save` (a JSON node body). */
static void write_video_workflow(const char *path, const char *save)
{
    char graph[4096];
    snprintf(graph, sizeof graph,
             "{\"1\": {\"class_type\": \"CheckpointLoaderSimple\", \"inputs\": {\"ckpt_name\": "
             "\"custom_model.safetensors\"}},"
             " \"2\": {\"class_type\": \"CLIPTextEncode\", \"inputs\": {\"text\": "
             "\"{{prompt}}\", \"clip\": [\"1\", 1]}},"
             " \"3\": {\"class_type\": \"EmptyImage\", \"inputs\": {\"width\": 64, \"height\": "
             "48, \"batch_size\": 12, \"color\": 0}},"
             " \"4\": {\"class_type\": \"CreateVideo\", \"inputs\": {\"images\": [\"3\", 0], "
             "\"fps\": 12}},"
             " \"5\": %s}",
             save);
    write_text(path, graph);
}

typedef struct shape {
    const char *save, *ext;
} shape;

static void test_video_output_shapes(void **state)
{
    (void)state;
    static const shape shapes[] = {
        {"{\"class_type\": \"SaveVideo\", \"inputs\": {\"video\": [\"4\", 0], "
         "\"filename_prefix\": \"v\", \"format\": \"auto\", \"codec\": \"auto\"}}", "mp4"},
        {"{\"class_type\": \"SaveWEBM\", \"inputs\": {\"images\": [\"3\", 0], "
         "\"filename_prefix\": \"v\", \"codec\": \"vp9\", \"fps\": 12, \"crf\": 32}}", "webm"},
        {"{\"class_type\": \"SaveAnimatedPNG\", \"inputs\": {\"images\": [\"3\", 0], "
         "\"filename_prefix\": \"v\", \"fps\": 12, \"compress_level\": 4}}", "apng"},
        {"{\"class_type\": \"VHS_VideoCombine\", \"inputs\": {\"images\": [\"3\", 0], "
         "\"frame_rate\": 12, \"loop_count\": 0, \"filename_prefix\": \"v\", \"format\": "
         "\"image/gif\", \"pingpong\": false, \"save_output\": true}}", "gif"},
        {"{\"class_type\": \"VHS_VideoCombine\", \"inputs\": {\"images\": [\"3\", 0], "
         "\"frame_rate\": 12, \"loop_count\": 0, \"filename_prefix\": \"v\", \"format\": "
         "\"video/h264-mp4\", \"pingpong\": false, \"save_output\": true}}", "mp4"},
    };
    mv_comfy_fixture *fx = mv_comfy_fixture_start(NULL);
    const char *urls[] = {mv_comfy_fixture_url(fx)};
    mv_image_backends *b = open_backends(urls, 1);
    char *dir = mv_test_tmpdir("comfy-clip-shapes");
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        char wf[4096], still[4096];
        snprintf(wf, sizeof wf, "%s/wf%zu.json", dir, i);
        snprintf(still, sizeof still, "%s/scene_%03zu.png", dir, i + 1);
        write_video_workflow(wf, shapes[i].save);
        mv_image_job job = {.model = "custom", .workflow_path = wf, .prompt = "waves",
                            .seed = 7, .width = 640, .height = 360, .output_path = still};
        mv_error err;
        mv_error_clear(&err);
        maivid_code rc = mv_images_make(b, &job, NULL, &err);
        if (rc != MAIVID_OK)
            fail_msg("shape %s: %s", shapes[i].save, err.message);
        char *clip = mv_scene_clip_find(still);
        assert_non_null(clip);
        char *want = mv_scene_clip_path(still, shapes[i].ext);
        assert_string_equal(clip, want);
        mv_clip_info info;
        assert_int_equal(mv_clip_check(clip, NULL, &info, &err), MAIVID_OK);
        assert_int_equal(info.frames, 12); /* the graph's batch of 12 */
        /* the first frame became the still */
        int w = 0, h = 0;
        unsigned char *rgb = mv_test_read_rgb(still, 0, &w, &h, NULL);
        assert_non_null(rgb);
        assert_int_equal(w, info.width);
        free(rgb);
        free(clip);
        free(want);
    }
    mv_comfy_fixture_stats st;
    mv_comfy_fixture_get_stats(fx, &st);
    assert_int_equal(st.views, 5);
    mv_images_close(b);
    mv_comfy_fixture_stop(fx);
    mv_error err;
    mv_remove_tree(dir, &err);
    free(dir);
}

static void test_animated_webp_refused_with_fix(void **state)
{
    (void)state;
    mv_comfy_fixture *fx = mv_comfy_fixture_start(NULL);
    const char *urls[] = {mv_comfy_fixture_url(fx)};
    mv_image_backends *b = open_backends(urls, 1);
    char *dir = mv_test_tmpdir("comfy-clip-webp");
    char wf[4096], still[4096];
    snprintf(wf, sizeof wf, "%s/wf.json", dir);
    snprintf(still, sizeof still, "%s/scene_001.png", dir);
    write_video_workflow(wf, "{\"class_type\": \"SaveAnimatedWEBP\", \"inputs\": {\"images\": "
                             "[\"3\", 0], \"filename_prefix\": \"v\", \"fps\": 12, "
                             "\"lossless\": false, \"quality\": 80, \"method\": \"default\"}}");
    mv_image_job job = {.model = "custom", .workflow_path = wf, .prompt = "waves",
                        .width = 640, .height = 360, .output_path = still};
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_images_make(b, &job, NULL, &err), MAIVID_E_MEDIA);
    assert_non_null(strstr(err.message, "SaveVideo"));
    char *clip = mv_scene_clip_find(still);
    assert_null(clip); /* nothing half-kept */
    mv_images_close(b);
    mv_comfy_fixture_stop(fx);
    mv_remove_tree(dir, &err);
    free(dir);
}

/* An image-to-video graph using every placeholder. */
static const char i2v_graph[] =
    "{\"1\": {\"class_type\": \"LoadImage\", \"inputs\": {\"image\": \"{{image}}\"}},"
    " \"2\": {\"class_type\": \"CheckpointLoaderSimple\", \"inputs\": {\"ckpt_name\": "
    "\"custom_model.safetensors\"}},"
    " \"3\": {\"class_type\": \"CLIPTextEncode\", \"inputs\": {\"text\": \"{{prompt}}\", "
    "\"clip\": [\"2\", 1]}},"
    " \"4\": {\"class_type\": \"CLIPTextEncode\", \"inputs\": {\"text\": "
    "\"{{negative_prompt}}\", \"clip\": [\"2\", 1]}},"
    " \"5\": {\"class_type\": \"Wan22ImageToVideoLatent\", \"inputs\": {\"vae\": [\"2\", 2], "
    "\"width\": \"{{width}}\", \"height\": \"{{height}}\", \"length\": \"{{frames}}\", "
    "\"batch_size\": 1, \"start_image\": [\"1\", 0]}},"
    " \"6\": {\"class_type\": \"KSampler\", \"inputs\": {\"model\": [\"2\", 0], \"seed\": "
    "\"{{seed}}\", \"steps\": 4, \"cfg\": 1.0, \"sampler_name\": \"euler\", \"scheduler\": "
    "\"simple\", \"denoise\": 1.0, \"positive\": [\"3\", 0], \"negative\": [\"4\", 0], "
    "\"latent_image\": [\"5\", 0]}},"
    " \"7\": {\"class_type\": \"VAEDecode\", \"inputs\": {\"samples\": [\"6\", 0], \"vae\": "
    "[\"2\", 2]}},"
    " \"8\": {\"class_type\": \"CreateVideo\", \"inputs\": {\"images\": [\"7\", 0], \"fps\": "
    "\"{{fps}}\"}},"
    " \"9\": {\"class_type\": \"SaveVideo\", \"inputs\": {\"video\": [\"8\", 0], "
    "\"filename_prefix\": \"i2v\", \"format\": \"auto\", \"codec\": \"auto\"}}}";

/* A still with four coloured quadrants (so a zoom shows). */
static void write_still(const char *path)
{
    static unsigned char rgb[96 * 64 * 3];
    for (int y = 0; y < 64; y++)
        for (int x = 0; x < 96; x++) {
            unsigned char *p = rgb + (y * 96 + x) * 3;
            p[0] = x < 48 ? 230 : 20;
            p[1] = y < 32 ? 200 : 40;
            p[2] = (x + y) % 16 < 8 ? 180 : 60;
        }
    mv_test_clip_spec s = {"apng", 96, 64, 1, 1, 0, 0, rgb, 96, 64};
    assert_int_equal(mv_test_make_clip(&s, path), 0);
}

static double rgb_diff(const unsigned char *a, const unsigned char *b, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += fabs((double)a[i] - b[i]);
    return sum / (double)n;
}

static mv_image_job i2v_job(const char *wf, const char *still)
{
    mv_image_job job = {.model = "custom", .workflow_path = wf,
                        .prompt = "harbour at dusk, camera pushes in",
                        .negative_prompt = "blurry", .seed = 99, .width = 1280, .height = 720,
                        .output_path = still, .input_image = still, .frames = 25, .fps = 24};
    return job;
}

static void test_i2v_upload_and_placeholders(void **state)
{
    (void)state;
    mv_comfy_fixture_opts o = {.upload_subfolder = "maivid"};
    mv_comfy_fixture *fx = mv_comfy_fixture_start(&o);
    const char *urls[] = {mv_comfy_fixture_url(fx)};
    mv_image_backends *b = open_backends(urls, 1);
    char *dir = mv_test_tmpdir("comfy-i2v");
    char wf[4096], still[4096];
    snprintf(wf, sizeof wf, "%s/i2v.json", dir);
    snprintf(still, sizeof still, "%s/scene_001.png", dir);
    write_text(wf, i2v_graph);
    write_still(still);
    size_t before_len = 0, after_len = 0;
    char *before = NULL, *after = NULL;
    mv_error err;
    assert_int_equal(mv_read_file(still, &before, &before_len, &err), MAIVID_OK);
    mv_image_job job = i2v_job(wf, still);
    mv_error_clear(&err);
    maivid_code rc = mv_images_make(b, &job, NULL, &err);
    if (rc != MAIVID_OK)
        fail_msg("i2v: %s", err.message);
    mv_comfy_fixture_stats st;
    mv_comfy_fixture_get_stats(fx, &st);
    assert_int_equal(st.uploads, 1);
    char *graph_text = mv_comfy_fixture_last_graph(fx);
    cJSON *g = cJSON_Parse(graph_text);
    assert_null(strstr(graph_text, "{{"));
    char *name = mv_comfy_upload_name(still);
    char placed[256];
    snprintf(placed, sizeof placed, "maivid/%s", name); /* the reply's subfolder */
    cJSON *in1 = cJSON_GetObjectItem(cJSON_GetObjectItem(g, "1"), "inputs");
    assert_string_equal(cJSON_GetObjectItem(in1, "image")->valuestring, placed);
    cJSON *in3 = cJSON_GetObjectItem(cJSON_GetObjectItem(g, "3"), "inputs");
    assert_string_equal(cJSON_GetObjectItem(in3, "text")->valuestring, job.prompt);
    cJSON *in4 = cJSON_GetObjectItem(cJSON_GetObjectItem(g, "4"), "inputs");
    assert_string_equal(cJSON_GetObjectItem(in4, "text")->valuestring, "blurry");
    cJSON *in5 = cJSON_GetObjectItem(cJSON_GetObjectItem(g, "5"), "inputs");
    assert_int_equal(cJSON_GetObjectItem(in5, "length")->valueint, 25);
    assert_true(cJSON_GetObjectItem(in5, "width")->valueint % 16 == 0);
    assert_true(cJSON_GetObjectItem(in5, "width")->valueint > cJSON_GetObjectItem(in5, "height")->valueint);
    cJSON *in6 = cJSON_GetObjectItem(cJSON_GetObjectItem(g, "6"), "inputs");
    assert_int_equal(cJSON_GetObjectItem(in6, "seed")->valueint, 99);
    cJSON *in8 = cJSON_GetObjectItem(cJSON_GetObjectItem(g, "8"), "inputs");
    assert_int_equal(cJSON_GetObjectItem(in8, "fps")->valueint, 24);
    cJSON_Delete(g);
    free(graph_text);
    free(name);
    /* the still stays; the clip beside it starts as the still and zooms in */
    assert_int_equal(mv_read_file(still, &after, &after_len, &err), MAIVID_OK);
    assert_int_equal(before_len, after_len);
    assert_memory_equal(before, after, before_len);
    char *clip = mv_scene_clip_find(still);
    assert_non_null(clip);
    int sw, sh, cw, ch, count = 0;
    unsigned char *s0 = mv_test_read_rgb(still, 0, &sw, &sh, NULL);
    unsigned char *c0 = mv_test_read_rgb(clip, 0, &cw, &ch, &count);
    unsigned char *cl = mv_test_read_rgb(clip, count - 1, &cw, &ch, NULL);
    assert_int_equal(count, 25);
    /* the clip is 160x96 and the still 96x64: compare the still scaled as the fixture did */
    mv_test_clip_spec first = {"apng", cw, ch, 2, 1, 0, 0, s0, sw, sh};
    char ref[4096];
    snprintf(ref, sizeof ref, "%s/ref.apng", dir);
    assert_int_equal(mv_test_make_clip(&first, ref), 0);
    unsigned char *r0 = mv_test_read_rgb(ref, 0, &cw, &ch, NULL);
    unsigned char *r1 = mv_test_read_rgb(ref, 1, &cw, &ch, NULL); /* zoomed 1.5x */
    size_t n = (size_t)cw * ch * 3;
    double start_vs_still = rgb_diff(c0, r0, n), end_vs_still = rgb_diff(cl, r0, n),
           end_vs_zoom = rgb_diff(cl, r1, n);
    assert_true(start_vs_still < 12);
    assert_true(end_vs_zoom < 12);
    assert_true(end_vs_still > 3 * end_vs_zoom);
    free(s0);
    free(c0);
    free(cl);
    free(r0);
    free(r1);
    free(clip);
    free(before);
    free(after);
    mv_images_close(b);
    mv_comfy_fixture_stop(fx);
    mv_remove_tree(dir, &err);
    free(dir);
}

static void test_i2v_needs_image_placeholder(void **state)
{
    (void)state;
    mv_comfy_fixture *fx = mv_comfy_fixture_start(NULL);
    const char *urls[] = {mv_comfy_fixture_url(fx)};
    mv_image_backends *b = open_backends(urls, 1);
    char *dir = mv_test_tmpdir("comfy-i2v-noimage");
    char wf[4096], still[4096];
    snprintf(wf, sizeof wf, "%s/t2v.json", dir);
    snprintf(still, sizeof still, "%s/scene_001.png", dir);
    write_video_workflow(wf, "{\"class_type\": \"SaveVideo\", \"inputs\": {\"video\": [\"4\", "
                             "0], \"filename_prefix\": \"v\", \"format\": \"auto\", "
                             "\"codec\": \"auto\"}}");
    write_still(still);
    mv_image_job job = i2v_job(wf, still);
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_images_make(b, &job, NULL, &err), MAIVID_E_INVALID);
    assert_non_null(strstr(err.message, "{{image}}"));
    mv_images_close(b);
    mv_comfy_fixture_stop(fx);
    mv_remove_tree(dir, &err);
    free(dir);
}

typedef struct make_call {
    mv_image_backends *b;
    mv_image_job job;
    mv_task task;
    maivid_code rc;
} make_call;

static void *make_thread(void *arg)
{
    make_call *c = arg;
    mv_error err;
    mv_error_clear(&err);
    c->rc = mv_images_make(c->b, &c->job, &c->task, &err);
    return NULL;
}

static void nap(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

static void test_cancel_during_clip(void **state)
{
    (void)state;
    mv_comfy_fixture_opts o = {.mode = MV_FIXTURE_SLOW, .steps = 60, .step_seconds = 0.1};
    mv_comfy_fixture *fx = mv_comfy_fixture_start(&o);
    const char *urls[] = {mv_comfy_fixture_url(fx)};
    mv_image_backends *b = open_backends(urls, 1);
    char *dir = mv_test_tmpdir("comfy-i2v-cancel");
    char wf[4096], still[4096];
    snprintf(wf, sizeof wf, "%s/i2v.json", dir);
    snprintf(still, sizeof still, "%s/scene_001.png", dir);
    write_text(wf, i2v_graph);
    write_still(still);
    atomic_int cancel = 0;
    make_call call = {.b = b, .job = i2v_job(wf, still), .task = {.cancel = &cancel}};
    pthread_t t;
    pthread_create(&t, NULL, make_thread, &call);
    mv_comfy_fixture_stats st = {0};
    for (int i = 0; i < 100 && st.accepted == 0; i++) {
        nap(0.05);
        mv_comfy_fixture_get_stats(fx, &st);
    }
    nap(0.3);
    double t0 = mv_monotonic();
    atomic_store(&cancel, 1);
    pthread_join(t, NULL);
    assert_true(mv_monotonic() - t0 < 2.0);
    assert_int_equal(call.rc, MAIVID_E_CANCELLED);
    nap(0.3);
    mv_comfy_fixture_get_stats(fx, &st);
    assert_int_equal(st.interrupts_by_id, 1);
    assert_int_equal(st.interrupted, 1);
    char *clip = mv_scene_clip_find(still);
    assert_null(clip);
    mv_images_close(b);
    mv_comfy_fixture_stop(fx);
    mv_error err;
    mv_remove_tree(dir, &err);
    free(dir);
}

typedef struct results {
    maivid_code rc[8];
    int calls;
} results;

static void on_done(void *user, size_t index, maivid_code code, const char *message)
{
    (void)message;
    results *r = user;
    r->rc[index] = code;
    r->calls++;
}

static void test_two_servers_share_clips(void **state)
{
    (void)state;
    mv_comfy_fixture_opts o = {.mode = MV_FIXTURE_SLOW, .steps = 4, .step_seconds = 0.1};
    mv_comfy_fixture *f1 = mv_comfy_fixture_start(&o), *f2 = mv_comfy_fixture_start(&o);
    const char *urls[] = {mv_comfy_fixture_url(f1), mv_comfy_fixture_url(f2)};
    mv_image_backends *b = open_backends(urls, 2);
    char *dir = mv_test_tmpdir("comfy-i2v-two");
    char wf[4096], stills[4][4096];
    snprintf(wf, sizeof wf, "%s/i2v.json", dir);
    write_text(wf, i2v_graph);
    mv_image_job jobs[4];
    for (int i = 0; i < 4; i++) {
        snprintf(stills[i], sizeof stills[i], "%s/scene_%03d.png", dir, i + 1);
        write_still(stills[i]);
        jobs[i] = i2v_job(wf, stills[i]);
        jobs[i].seed = i;
    }
    results r = {0};
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_images_make_batch(b, NULL, jobs, 4, on_done, &r, NULL, &err), MAIVID_OK);
    assert_int_equal(r.calls, 4);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(r.rc[i], MAIVID_OK);
        char *clip = mv_scene_clip_find(stills[i]);
        assert_non_null(clip);
        free(clip);
    }
    mv_comfy_fixture_stats s1, s2;
    mv_comfy_fixture_get_stats(f1, &s1);
    mv_comfy_fixture_get_stats(f2, &s2);
    assert_true(s1.completed >= 1 && s2.completed >= 1);
    assert_int_equal(s1.completed + s2.completed, 4);
    assert_int_equal(s1.uploads, s1.accepted); /* each server got the still it animated */
    assert_int_equal(s2.uploads, s2.accepted);
    mv_images_close(b);
    mv_comfy_fixture_stop(f1);
    mv_comfy_fixture_stop(f2);
    mv_remove_tree(dir, &err);
    free(dir);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_video_output_shapes),
        cmocka_unit_test(test_animated_webp_refused_with_fix),
        cmocka_unit_test(test_i2v_upload_and_placeholders),
        cmocka_unit_test(test_i2v_needs_image_placeholder),
        cmocka_unit_test(test_cancel_during_clip),
        cmocka_unit_test(test_two_servers_share_clips),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
