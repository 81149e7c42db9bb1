/*
 * test_comfy_video_templates.c - the shipped image-to-video templates (data/workflows/
 * wan22_ti2v_5b.json, ltxv_i2v.json): each is an API-format graph whose nodes and inputs are
 * those of ComfyUI's own node definitions (comfy_extras/nodes_wan.py, nodes_lt.py,
 * nodes_video.py, nodes.py; required inputs all present, no unknown ones, every link names a
 * node), every placeholder fills, the sizes and frame counts follow each family's rules (Wan:
 * multiples of 32 (its latent's step; 16 is the family's minimum), 4n+1 frames; LTX:
 * multiples of 32, 8n+1), both are listed in the catalog with "kind": "video", and both run
 * against the fixture (still uploaded, clip kept). Also the motion words of the prompt.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clip_maker.h"
#include "comfy/mv_comfy.h"
#include "comfy_fixture.h"
#include "images/mv_clip.h"
#include "mv_test_util.h"
#include "plan/mv_plan.h"

/* ComfyUI's definitions of the nodes the templates use: required inputs, then optional. */
typedef struct node_def {
    const char *cls;
    const char *required[10];
    const char *optional[3];
} node_def;

static const node_def defs[] = {
    {"UNETLoader", {"unet_name", "weight_dtype"}, {NULL}},
    {"CLIPLoader", {"clip_name", "type"}, {"device"}},
    {"VAELoader", {"vae_name"}, {NULL}},
    {"CheckpointLoaderSimple", {"ckpt_name"}, {NULL}},
    {"ModelSamplingSD3", {"model", "shift"}, {NULL}},
    {"CLIPTextEncode", {"text", "clip"}, {NULL}},
    {"LoadImage", {"image"}, {NULL}},
    {"Wan22ImageToVideoLatent", {"vae", "width", "height", "length", "batch_size"},
     {"start_image"}},
    {"LTXVImgToVideo",
     {"positive", "negative", "vae", "image", "width", "height", "length", "batch_size",
      "strength"},
     {NULL}},
    {"LTXVConditioning", {"positive", "negative", "frame_rate"}, {NULL}},
    {"KSamplerSelect", {"sampler_name"}, {NULL}},
    {"LTXVScheduler", {"steps", "max_shift", "base_shift", "stretch", "terminal"}, {"latent"}},
    {"SamplerCustom",
     {"model", "add_noise", "noise_seed", "cfg", "positive", "negative", "sampler", "sigmas",
      "latent_image"},
     {NULL}},
    {"KSampler",
     {"model", "seed", "steps", "cfg", "sampler_name", "scheduler", "positive", "negative",
      "latent_image", "denoise"},
     {NULL}},
    {"VAEDecode", {"samples", "vae"}, {NULL}},
    {"CreateVideo", {"images", "fps"}, {"audio"}},
    {"SaveVideo", {"video", "filename_prefix", "format", "codec"}, {NULL}},
};

static const node_def *find_def(const char *cls)
{
    for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++)
        if (strcmp(defs[i].cls, cls) == 0)
            return &defs[i];
    return NULL;
}

static int listed(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n && names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

static void check_api_graph(const cJSON *g, const char *id)
{
    for (const cJSON *node = g->child; node; node = node->next) {
        const cJSON *cls = cJSON_GetObjectItemCaseSensitive(node, "class_type");
        const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(node, "inputs");
        assert_true(cJSON_IsString(cls));
        assert_true(cJSON_IsObject(inputs));
        const node_def *d = find_def(cls->valuestring);
        if (!d)
            fail_msg("%s: node %s has class %s, which the test does not know", id, node->string,
                     cls->valuestring);
        for (size_t i = 0; i < 10 && d->required[i]; i++)
            if (!cJSON_GetObjectItemCaseSensitive(inputs, d->required[i]))
                fail_msg("%s: node %s (%s) lacks required input %s", id, node->string,
                         cls->valuestring, d->required[i]);
        for (const cJSON *in = inputs->child; in; in = in->next) {
            if (!listed(d->required, 10, in->string) && !listed(d->optional, 3, in->string))
                fail_msg("%s: node %s (%s) has input %s, which ComfyUI does not define", id,
                         node->string, cls->valuestring, in->string);
            if (cJSON_IsArray(in)) { /* a link: ["node id", output index] */
                const cJSON *src = cJSON_GetArrayItem(in, 0), *idx = cJSON_GetArrayItem(in, 1);
                assert_true(cJSON_GetArraySize(in) == 2 && cJSON_IsString(src) &&
                            cJSON_IsNumber(idx) && idx->valueint >= 0);
                if (!cJSON_GetObjectItemCaseSensitive(g, src->valuestring))
                    fail_msg("%s: node %s links to missing node %s", id, node->string,
                             src->valuestring);
            }
        }
    }
}

static int number_input(const cJSON *g, const char *cls, const char *input)
{
    for (const cJSON *node = g->child; node; node = node->next) {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(node, "class_type");
        if (strcmp(c->valuestring, cls) == 0) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(node, "inputs"), input);
            assert_true(cJSON_IsNumber(v));
            return v->valueint;
        }
    }
    fail_msg("no %s node", cls);
    return -1;
}

static void check_template(const char *id, mv_model_family family, const char *latent_cls,
                           int frame_group)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/workflows/%s.json", mv_share_dir(), id);
    cJSON *g = NULL;
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_workflow_load(path, &g, NULL, NULL, &err), MAIVID_OK);
    check_api_graph(g, id);
    int w = 0, h = 0, frames = 0, fps = 0;
    mv_comfy_size_for(family, 0, 1920, 1080, &w, &h);
    mv_comfy_clip_frames(family, 4.0, &frames, &fps);
    mv_workflow_params p = {.prompt = "harbour at dusk", .negative_prompt = "blurry", .seed = 5,
                            .width = w, .height = h, .image = "maivid_0123.png",
                            .frames = frames, .fps = fps};
    mv_workflow_report r;
    assert_int_equal(mv_workflow_apply(g, &p, &r, &err), MAIVID_OK);
    assert_int_equal(r.image_set, 1);
    assert_true(r.frames_set >= 1 && r.fps_set >= 1 && r.size_set == 2 && r.seed_set == 1);
    char *text = cJSON_PrintUnformatted(g);
    assert_null(strstr(text, "{{"));
    free(text);
    check_api_graph(g, id); /* still valid once filled */
    int length = number_input(g, latent_cls, "length");
    assert_int_equal(length, frames);
    assert_int_equal(length % frame_group, 1);
    assert_true(number_input(g, latent_cls, "width") % 32 == 0);
    assert_true(number_input(g, latent_cls, "height") % 32 == 0);
    assert_int_equal(number_input(g, "CreateVideo", "fps"), 24);
    cJSON_Delete(g);
}

static void test_templates_are_valid_api_graphs(void **state)
{
    (void)state;
    check_template("wan22_ti2v_5b", MV_FAMILY_WAN22, "Wan22ImageToVideoLatent", 4);
    check_template("ltxv_i2v", MV_FAMILY_LTXV, "LTXVImgToVideo", 8);
}

static void test_family_rules(void **state)
{
    (void)state;
    int w, h, frames, fps;
    mv_comfy_size_for(MV_FAMILY_WAN22, 0, 1920, 1080, &w, &h);
    assert_true(w % 32 == 0 && h % 32 == 0 && w > h);
    assert_true(w * h > 800000 && w * h < 1000000); /* ~1280x704 */
    mv_comfy_size_for(MV_FAMILY_LTXV, 0, 1080, 1920, &w, &h);
    assert_true(w % 32 == 0 && h % 32 == 0 && h > w);
    for (double s = 0.5; s < 10; s += 0.37) {
        mv_comfy_clip_frames(MV_FAMILY_WAN22, s, &frames, &fps);
        assert_int_equal(frames % 4, 1);
        assert_true(frames >= 17 && frames <= 121 && fps == 24);
        mv_comfy_clip_frames(MV_FAMILY_LTXV, s, &frames, &fps);
        assert_int_equal(frames % 8, 1);
        assert_true(frames >= 17 && frames <= 121);
    }
    mv_comfy_clip_frames(MV_FAMILY_WAN22, 3.0, &frames, &fps);
    assert_int_equal(frames, 73); /* 3 s at 24 fps, 4n+1 */
}

static void test_catalog_lists_video_models(void **state)
{
    (void)state;
    mv_comfy_fixture *fx = mv_comfy_fixture_start(NULL);
    const char *urls[] = {mv_comfy_fixture_url(fx)};
    mv_image_config cfg = {.comfyui_urls = urls, .comfyui_url_count = 1};
    mv_image_backends *b = NULL;
    mv_error err;
    assert_int_equal(mv_images_open(&cfg, &b, &err), MAIVID_OK);
    cJSON *cat = mv_images_catalog(b);
    int videos = 0;
    for (const cJSON *m = cat->child; m; m = m->next) {
        const char *id = cJSON_GetObjectItem(m, "id")->valuestring;
        const char *kind = cJSON_GetObjectItem(m, "kind")->valuestring;
        int is_video = strcmp(id, "wan22_ti2v_5b") == 0 || strcmp(id, "ltxv_i2v") == 0;
        assert_int_equal(strcmp(kind, "video") == 0, is_video);
        if (is_video) {
            videos++;
            if (!cJSON_IsTrue(cJSON_GetObjectItem(m, "usable")))
                fail_msg("%s: %s", id, cJSON_GetObjectItem(m, "unusable_reason")->valuestring);
            assert_string_equal(cJSON_GetObjectItem(m, "backend")->valuestring, "comfyui");
        }
    }
    assert_int_equal(videos, 2);
    cJSON_Delete(cat);
    /* roles: a video model is no image model, an image model is no animate model */
    assert_int_equal(mv_images_check_roles(b, "wan22_ti2v_5b", NULL, &err), MAIVID_E_INVALID);
    assert_non_null(strstr(err.message, "--animate wan22_ti2v_5b"));
    assert_int_equal(mv_images_check_roles(b, "procedural", "flux", &err), MAIVID_E_INVALID);
    assert_int_equal(mv_images_check_roles(b, "procedural", "ltxv_i2v", &err), MAIVID_OK);
    mv_images_close(b);
    mv_comfy_fixture_stop(fx);
}

static void test_templates_run_on_fixture(void **state)
{
    (void)state;
    mv_comfy_fixture *fx = mv_comfy_fixture_start(NULL);
    const char *urls[] = {mv_comfy_fixture_url(fx)};
    mv_image_config cfg = {.comfyui_urls = urls, .comfyui_url_count = 1};
    mv_image_backends *b = NULL;
    mv_error err;
    assert_int_equal(mv_images_open(&cfg, &b, &err), MAIVID_OK);
    char *dir = mv_test_tmpdir("comfy-video-templates");
    const char *ids[] = {"wan22_ti2v_5b", "ltxv_i2v"};
    for (int i = 0; i < 2; i++) {
        char still[4096];
        snprintf(still, sizeof still, "%s/scene_%03d.png", dir, i + 1);
        mv_test_clip_spec s = {"apng", 64, 36, 1, 1, 90, 0, NULL, 0, 0};
        assert_int_equal(mv_test_make_clip(&s, still), 0);
        mv_image_job job = {.model = ids[i], .prompt = "sea", .seed = 3, .width = 1280,
                            .height = 720, .output_path = still, .input_image = still};
        mv_images_clip_shape(b, ids[i], 2.0, &job.frames, &job.fps);
        mv_error_clear(&err);
        if (mv_images_make(b, &job, NULL, &err) != MAIVID_OK)
            fail_msg("%s: %s", ids[i], err.message);
        char *clip = mv_scene_clip_find(still);
        assert_non_null(clip);
        mv_clip_info info;
        assert_int_equal(mv_clip_check(clip, NULL, &info, &err), MAIVID_OK);
        assert_int_equal(info.frames, job.frames);
        free(clip);
    }
    mv_comfy_fixture_stats st;
    mv_comfy_fixture_get_stats(fx, &st);
    assert_int_equal(st.uploads, 2);
    mv_images_close(b);
    mv_comfy_fixture_stop(fx);
    mv_remove_tree(dir, &err);
    free(dir);
}

static void test_motion_words_follow_the_plan(void **state)
{
    (void)state;
    const char *chorus = mv_plan_motion_words("chorus", 0.5);
    const char *verse = mv_plan_motion_words("verse", 0.5);
    const char *intro = mv_plan_motion_words("intro", 0.5);
    assert_non_null(strstr(chorus, "dynamic"));
    assert_null(strstr(verse, "dynamic"));
    assert_non_null(strstr(intro, "slow"));
    assert_non_null(strstr(mv_plan_motion_words("verse", 0.9), "dynamic")); /* loud */
    assert_non_null(strstr(mv_plan_motion_words("verse", 0.1), "slow"));    /* quiet */
    assert_string_equal(mv_plan_motion_words(NULL, -1), verse);             /* unknown */
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_templates_are_valid_api_graphs),
        cmocka_unit_test(test_family_rules),
        cmocka_unit_test(test_catalog_lists_video_models),
        cmocka_unit_test(test_templates_run_on_fixture),
        cmocka_unit_test(test_motion_words_follow_the_plan),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
