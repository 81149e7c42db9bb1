/*
 * test_comfy_video_templates.c - the shipped image-to-video templates (data/workflows/
 * wan22_ti2v_5b.json, ltxv_i2v.json, and any other video template there): each, filled for a
 * scene, passes a validator like ComfyUI's over the /object_info the fixture serves
 * (tests/fixtures/comfy_object_info_video.json, node definitions replayed from ComfyUI's
 * source, not a real server: required inputs present, no unknown ones, links to existing
 * outputs of the right type, numbers in range, combo values offered, model files named where
 * the server lists files), and broken copies fail it; every placeholder fills, the sizes and frame counts follow each family's rules (Wan:
 * multiples of 32 (its latent's step; 16 is the family's minimum), 4n+1 frames; LTX:
 * multiples of 32, 8n+1), both are listed in the catalog with "kind": "video", and both run
 * against the fixture (still uploaded, clip kept). Also the motion words of the prompt.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clip_maker.h"
#include "comfy/mv_comfy.h"
#include "comfy_fixture.h"
#include "images/mv_clip.h"
#include "mv_test_util.h"
#include "plan/mv_plan.h"

/* Why a graph would not pass ComfyUI's prompt validator, judged on /object_info (`info`): an
 * unknown class, a missing required input, an unknown input, a link to a missing node or
 * output or of the wrong type, a literal of the wrong type or out of range, a combo value
 * not offered. Combos whose list is empty name files (models not installed on a server
 * without weights, the uploaded image): counted in *files, not judged. Placeholders
 * ("{{...}}") pass until filled. Returns the number of problems, the first in `why`. */
static int validate_graph(const cJSON *g, const cJSON *info, int *files, char *why, size_t size)
{
    int problems = 0;
    why[0] = '\0';
#define PROBLEM(...)                                                                         \
    do {                                                                                     \
        if (problems++ == 0)                                                                 \
            snprintf(why, size, __VA_ARGS__);                                                \
    } while (0)
    for (const cJSON *node = g->child; node; node = node->next) {
        const cJSON *cls = cJSON_GetObjectItemCaseSensitive(node, "class_type");
        const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(node, "inputs");
        const cJSON *def = cJSON_IsString(cls)
                               ? cJSON_GetObjectItemCaseSensitive(info, cls->valuestring)
                               : NULL;
        if (!def || !cJSON_IsObject(inputs)) {
            PROBLEM("node %s: class %s is not in /object_info", node->string,
                    cJSON_IsString(cls) ? cls->valuestring : "?");
            continue;
        }
        const cJSON *in = cJSON_GetObjectItemCaseSensitive(def, "input");
        const cJSON *req = cJSON_GetObjectItemCaseSensitive(in, "required");
        const cJSON *opt = cJSON_GetObjectItemCaseSensitive(in, "optional");
        for (const cJSON *r = req ? req->child : NULL; r; r = r->next)
            if (!cJSON_GetObjectItemCaseSensitive(inputs, r->string))
                PROBLEM("node %s (%s): required input %s is missing", node->string,
                        cls->valuestring, r->string);
        for (const cJSON *v = inputs->child; v; v = v->next) {
            const cJSON *spec = cJSON_GetObjectItemCaseSensitive(req, v->string);
            if (!spec)
                spec = cJSON_GetObjectItemCaseSensitive(opt, v->string);
            if (!spec) {
                PROBLEM("node %s (%s): input %s is not defined", node->string,
                        cls->valuestring, v->string);
                continue;
            }
            const cJSON *type = cJSON_GetArrayItem(spec, 0), *o = cJSON_GetArrayItem(spec, 1);
            const cJSON *options = cJSON_IsArray(type) ? type : NULL;
            if (cJSON_IsString(type) && strcmp(type->valuestring, "COMBO") == 0)
                options = cJSON_GetObjectItemCaseSensitive(o, "options");
            const char *tname = cJSON_IsString(type) ? type->valuestring : "COMBO";
            if (cJSON_IsArray(v)) { /* a link: [node id, output index] */
                const cJSON *src = cJSON_GetArrayItem(v, 0), *idx = cJSON_GetArrayItem(v, 1);
                const cJSON *sn = cJSON_IsString(src)
                                      ? cJSON_GetObjectItemCaseSensitive(g, src->valuestring)
                                      : NULL;
                const cJSON *sc = cJSON_GetObjectItemCaseSensitive(sn, "class_type");
                const cJSON *sdef = cJSON_IsString(sc)
                                        ? cJSON_GetObjectItemCaseSensitive(info, sc->valuestring)
                                        : NULL;
                const cJSON *outs = cJSON_GetObjectItemCaseSensitive(sdef, "output");
                const cJSON *out = cJSON_IsNumber(idx) ? cJSON_GetArrayItem(outs, idx->valueint)
                                                       : NULL;
                if (!sn)
                    PROBLEM("node %s: input %s links to missing node %s", node->string,
                            v->string, cJSON_IsString(src) ? src->valuestring : "?");
                else if (!out)
                    PROBLEM("node %s: input %s links to output %d of %s, which has %d",
                            node->string, v->string, cJSON_IsNumber(idx) ? idx->valueint : -1,
                            cJSON_IsString(sc) ? sc->valuestring : "?", cJSON_GetArraySize(outs));
                else if (strcmp(out->valuestring, tname) != 0 && strcmp(tname, "*") != 0)
                    PROBLEM("node %s (%s): input %s takes %s but gets %s from node %s",
                            node->string, cls->valuestring, v->string, tname, out->valuestring,
                            src->valuestring);
                continue;
            }
            if (cJSON_IsString(v) && strncmp(v->valuestring, "{{", 2) == 0)
                continue; /* a placeholder, filled per scene */
            if (options) {
                if (cJSON_GetArraySize(options) == 0) {
                    (*files)++; /* a file: a model or the uploaded image */
                    continue;
                }
                int found = 0;
                for (const cJSON *x = options->child; x && !found; x = x->next)
                    found = cJSON_IsString(x) && cJSON_IsString(v) &&
                            strcmp(x->valuestring, v->valuestring) == 0;
                if (!found)
                    PROBLEM("node %s (%s): %s is not one of the %s values", node->string,
                            cls->valuestring, cJSON_IsString(v) ? v->valuestring : "(no text)",
                            v->string);
            } else if (strcmp(tname, "INT") == 0 || strcmp(tname, "FLOAT") == 0) {
                const cJSON *mn = cJSON_GetObjectItemCaseSensitive(o, "min");
                const cJSON *mx = cJSON_GetObjectItemCaseSensitive(o, "max");
                if (!cJSON_IsNumber(v) ||
                    (strcmp(tname, "INT") == 0 && v->valuedouble != floor(v->valuedouble)))
                    PROBLEM("node %s (%s): %s needs a%s number", node->string, cls->valuestring,
                            v->string, strcmp(tname, "INT") == 0 ? " whole" : "");
                else if ((mn && v->valuedouble < mn->valuedouble) ||
                         (mx && v->valuedouble > mx->valuedouble))
                    PROBLEM("node %s (%s): %s = %g is outside %g..%g", node->string,
                            cls->valuestring, v->string, v->valuedouble,
                            mn ? mn->valuedouble : 0, mx ? mx->valuedouble : 0);
            } else if (strcmp(tname, "BOOLEAN") == 0) {
                if (!cJSON_IsBool(v))
                    PROBLEM("node %s (%s): %s needs true or false", node->string,
                            cls->valuestring, v->string);
            } else if (strcmp(tname, "STRING") == 0) {
                if (!cJSON_IsString(v))
                    PROBLEM("node %s (%s): %s needs text", node->string, cls->valuestring,
                            v->string);
            } else {
                PROBLEM("node %s (%s): %s takes a %s link, not a value", node->string,
                        cls->valuestring, v->string, tname);
            }
        }
    }
#undef PROBLEM
    return problems;
}

/* tests/fixtures/comfy_object_info_video.json: ComfyUI's node definitions replayed from its
 * source (not captured from a running server). */
static cJSON *recorded_object_info(void)
{
    char *text = NULL;
    size_t len = 0;
    mv_error err;
    assert_int_equal(mv_read_file(MAIVID_TEST_SOURCE_DIR
                                  "/tests/fixtures/comfy_object_info_video.json",
                                  &text, &len, &err),
                     MAIVID_OK);
    cJSON *info = cJSON_Parse(text);
    free(text);
    assert_non_null(info);
    return info;
}

static void check_api_graph(const cJSON *g, const char *id)
{
    cJSON *info = recorded_object_info();
    char why[512];
    int files = 0;
    if (validate_graph(g, info, &files, why, sizeof why) != 0)
        fail_msg("%s: %s", id, why);
    cJSON_Delete(info);
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

/* Every video template in data/workflows, filled for a scene, against the /object_info the
 * fixture serves (the recorded node definitions, with the model files it "installs" in the
 * loaders' lists): each passes, model file names included. Broken copies are caught. */
static void test_templates_pass_object_info(void **state)
{
    (void)state;
    mv_comfy_fixture *fx = mv_comfy_fixture_start(NULL);
    char url[256];
    snprintf(url, sizeof url, "%s/object_info", mv_comfy_fixture_url(fx));
    mv_http_reply reply;
    assert_int_equal(mv_http_request("GET", url, NULL, 2, 10, 0, 0, NULL, &reply), MAIVID_OK);
    assert_int_equal(reply.status, 200);
    cJSON *info = cJSON_Parse(reply.body);
    mv_http_reply_free(&reply);
    assert_non_null(cJSON_GetObjectItem(info, "Wan22ImageToVideoLatent"));
    assert_non_null(cJSON_GetObjectItem(info, "CheckpointLoaderSimple")); /* the loaders too */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/workflows", mv_share_dir());
    DIR *d = opendir(dir);
    assert_non_null(d);
    int checked = 0;
    for (struct dirent *de = readdir(d); de; de = readdir(d)) {
        size_t n = strlen(de->d_name);
        if (n < 6 || strcmp(de->d_name + n - 5, ".json") != 0)
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        cJSON *g = NULL;
        mv_error err;
        assert_int_equal(mv_workflow_load(path, &g, NULL, NULL, &err), MAIVID_OK);
        if (!mv_workflow_makes_clip(g)) { /* the still models' templates are checked elsewhere */
            cJSON_Delete(g);
            continue;
        }
        mv_workflow_params p = {.prompt = "harbour at dusk", .negative_prompt = "blurry",
                                .seed = 5, .width = 1280, .height = 704,
                                .image = "maivid_0123.png", .frames = 49, .fps = 24};
        assert_int_equal(mv_workflow_apply(g, &p, NULL, &err), MAIVID_OK);
        char why[512];
        int files = 0;
        if (validate_graph(g, info, &files, why, sizeof why) != 0)
            fail_msg("%s: %s", de->d_name, why);
        assert_true(files >= 1); /* the uploaded image (the fixture "installs" the models) */
        checked++;

        /* the validator can fail: a link of the wrong type, a length out of range, a
         * sampler ComfyUI does not have, a missing required input */
        cJSON *bad = cJSON_Duplicate(g, 1);
        for (cJSON *nd = bad->child; nd; nd = nd->next) {
            cJSON *in = cJSON_GetObjectItem(nd, "inputs");
            const char *c = cJSON_GetObjectItem(nd, "class_type")->valuestring;
            if (strcmp(c, "VAEDecode") == 0) /* samples <- a CONDITIONING output */
                for (cJSON *o = bad->child; o; o = o->next)
                    if (strcmp(cJSON_GetObjectItem(o, "class_type")->valuestring,
                               "CLIPTextEncode") == 0) {
                        cJSON *link = cJSON_CreateArray();
                        cJSON_AddItemToArray(link, cJSON_CreateString(o->string));
                        cJSON_AddItemToArray(link, cJSON_CreateNumber(0));
                        cJSON_ReplaceItemInObject(in, "samples", link);
                        break;
                    }
        }
        files = 0;
        assert_true(validate_graph(bad, info, &files, why, sizeof why) > 0);
        assert_non_null(strstr(why, "takes LATENT but gets CONDITIONING"));
        cJSON_Delete(bad);
        bad = cJSON_Duplicate(g, 1);
        for (cJSON *nd = bad->child; nd; nd = nd->next) {
            cJSON *in = cJSON_GetObjectItem(nd, "inputs");
            if (cJSON_GetObjectItem(in, "length"))
                cJSON_ReplaceItemInObject(in, "length", cJSON_CreateNumber(0));
            if (cJSON_GetObjectItem(in, "sampler_name"))
                cJSON_ReplaceItemInObject(in, "sampler_name", cJSON_CreateString("warp9"));
            cJSON_DeleteItemFromObject(in, "vae");
        }
        assert_true(validate_graph(bad, info, &files, why, sizeof why) >= 3);
        cJSON_Delete(bad);
        cJSON_Delete(g);
    }
    closedir(d);
    assert_true(checked >= 2);
    cJSON_Delete(info);
    mv_comfy_fixture_stop(fx);
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
        cmocka_unit_test(test_templates_pass_object_info),
        cmocka_unit_test(test_family_rules),
        cmocka_unit_test(test_catalog_lists_video_models),
        cmocka_unit_test(test_templates_run_on_fixture),
        cmocka_unit_test(test_motion_words_follow_the_plan),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
