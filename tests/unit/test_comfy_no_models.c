/*
 * test_comfy_no_models.c - the image backends against a fixture that behaves like a real
 * ComfyUI 0.3.64 with empty model folders (research/comfyui.md): the fixture's captured 400
 * body, the models catalog's reasons (the real one, with the --checkpoint fix), the same
 * reason from a run's 400, a job's own weight-free workflow judged usable and run, and a
 * checkpoint override making a shipped model usable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comfy/mv_comfy.h"
#include "maivid/maivid.h"
#include "comfy_fixture.h"
#include "mv_test_util.h"

static const mv_comfy_timing fast_timing = {
    .connect_timeout = 2.0,
    .request_timeout = 5.0,
    .image_timeout = 20.0,
    .poll_interval = 0.05,
    .backoff_initial = 0.1,
    .backoff_max = 0.4,
    .restart_budget = 5.0,
};

/* A weight-free graph such as a user runs on a server without checkpoints. */
static const char weight_free[] =
    "{\"1\": {\"class_type\": \"EmptyImage\", \"inputs\": {\"width\": \"{{width}}\", "
    "\"height\": \"{{height}}\", \"batch_size\": 1, \"color\": 16711680}},"
    " \"2\": {\"class_type\": \"ImageInvert\", \"inputs\": {\"image\": [\"1\", 0]}},"
    " \"3\": {\"class_type\": \"SaveImage\", \"inputs\": {\"images\": [\"2\", 0], "
    "\"filename_prefix\": \"{{prompt}}\"}}}";

/* A custom workflow that names a checkpoint file. */
static const char with_ckpt[] =
    "{\"1\": {\"class_type\": \"CheckpointLoaderSimple\", \"inputs\": {\"ckpt_name\": "
    "\"my_model.safetensors\"}},"
    " \"2\": {\"class_type\": \"CLIPTextEncode\", \"inputs\": {\"text\": \"{{prompt}}\", "
    "\"clip\": [\"1\", 1]}},"
    " \"3\": {\"class_type\": \"SaveImage\", \"inputs\": {\"images\": [\"2\", 0], "
    "\"filename_prefix\": \"x\"}}}";

typedef struct fixture_env {
    mv_comfy_fixture *fx;
    char *dir;
} fixture_env;

static int setup(void **state)
{
    fixture_env *e = calloc(1, sizeof *e);
    mv_comfy_fixture_opts o = {.mode = MV_FIXTURE_NO_MODELS};
    e->fx = mv_comfy_fixture_start(&o);
    e->dir = mv_test_tmpdir("comfy-no-models");
    *state = e;
    return e->fx && e->dir ? 0 : -1;
}

static int teardown(void **state)
{
    fixture_env *e = *state;
    mv_error err;
    mv_comfy_fixture_stop(e->fx);
    mv_remove_tree(e->dir, &err);
    free(e->dir);
    free(e);
    return 0;
}

static mv_image_backends *open_on(const char *url, const char *const *ckpts, size_t n)
{
    const char *urls[] = {url};
    mv_image_config cfg = {.comfyui_urls = urls, .comfyui_url_count = 1, .checkpoints = ckpts,
                           .checkpoint_count = n};
    mv_image_backends *b = NULL;
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_images_open(&cfg, &b, &err), MAIVID_OK);
    mv_images_set_timing(b, &fast_timing);
    return b;
}

static char *write_workflow(const fixture_env *e, const char *name, const char *text)
{
    char *path = mv_strdup_printf("%s/%s", e->dir, name);
    mv_error err;
    assert_int_equal(mv_write_file_atomic(path, text, strlen(text), &err), MAIVID_OK);
    return path;
}

/* The reason the catalog gives for a model, malloc'd (NULL when usable). */
static char *catalog_reason(mv_image_backends *b, const char *model)
{
    cJSON *cat = mv_images_catalog(b);
    char *why = NULL;
    for (cJSON *m = cat->child; m; m = m->next)
        if (strcmp(cJSON_GetObjectItemCaseSensitive(m, "id")->valuestring, model) == 0) {
            const cJSON *r = cJSON_GetObjectItemCaseSensitive(m, "unusable_reason");
            assert_int_equal(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "usable")), r == NULL);
            why = r ? strdup(r->valuestring) : NULL;
        }
    cJSON_Delete(cat);
    return why;
}

/* The fixture answers like the real server: object_info lists no files, /prompt gives the
 * captured 400 with value_not_in_list. */
static void test_fixture_replays_the_real_server(void **state)
{
    fixture_env *e = *state;
    char url[256];
    snprintf(url, sizeof url, "%s/object_info/CheckpointLoaderSimple", mv_comfy_fixture_url(e->fx));
    mv_http_reply reply;
    mv_http_request("GET", url, NULL, 2, 5, 5, 1 << 20, NULL, &reply);
    assert_int_equal(reply.status, 200);
    cJSON *info = cJSON_Parse(reply.body);
    const cJSON *spec = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(info, "CheckpointLoaderSimple"), "input"),
            "required"),
        "ckpt_name");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetArrayItem(spec, 0)), 0);
    cJSON_Delete(info);
    mv_http_reply_free(&reply);

    snprintf(url, sizeof url, "%s/prompt", mv_comfy_fixture_url(e->fx));
    const char *body =
        "{\"client_id\": \"t\", \"prompt\": {\"4\": {\"class_type\": \"CheckpointLoaderSimple\", "
        "\"inputs\": {\"ckpt_name\": \"sd_xl_turbo_1.0_fp16.safetensors\"}}, \"9\": "
        "{\"class_type\": \"SaveImage\", \"inputs\": {\"images\": [\"4\", 0], "
        "\"filename_prefix\": \"x\"}}}}";
    mv_http_request("POST", url, body, 2, 5, 5, 1 << 20, NULL, &reply);
    assert_int_equal(reply.status, 400);
    cJSON *root = cJSON_Parse(reply.body);
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(root, "error");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(error, "type")->valuestring,
                        "prompt_outputs_failed_validation");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(error, "details")->valuestring, "");
    const cJSON *node = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(root, "node_errors"), "4");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(node, "class_type")->valuestring,
                        "CheckpointLoaderSimple");
    assert_string_equal(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(node, "dependent_outputs"), 0)
            ->valuestring,
        "9");
    const cJSON *e0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(node, "errors"), 0);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(e0, "type")->valuestring,
                        "value_not_in_list");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(e0, "message")->valuestring,
                        "Value not in list");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(e0, "details")->valuestring,
                        "ckpt_name: 'sd_xl_turbo_1.0_fp16.safetensors' not in []");
    const cJSON *extra = cJSON_GetObjectItemCaseSensitive(e0, "extra_info");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(extra, "input_name")->valuestring,
                        "ckpt_name");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(extra, "received_value")->valuestring,
                        "sd_xl_turbo_1.0_fp16.safetensors");
    const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(extra, "input_config");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetArrayItem(cfg, 0)), 0);
    cJSON_Delete(root);
    mv_http_reply_free(&reply);
}

/* The catalog gives the real reason and the fix, not "not reachable". */
static void test_catalog_says_which_file_is_missing(void **state)
{
    fixture_env *e = *state;
    const char *url = mv_comfy_fixture_url(e->fx);
    mv_image_backends *b = open_on(url, NULL, 0);
    char *why = catalog_reason(b, "sdxl_turbo");
    char want[1024];
    snprintf(want, sizeof want,
             "'sd_xl_turbo_1.0_fp16.safetensors' is not installed on ComfyUI at %s "
             "(CheckpointLoaderSimple.ckpt_name; installed: none); put it in ComfyUI's "
             "models/checkpoints folder, or set it with --checkpoint sdxl_turbo=FILE (one of "
             "the installed files)",
             url);
    assert_non_null(why);
    assert_string_equal(why, want);
    free(why);
    why = catalog_reason(b, "flux");
    assert_non_null(strstr(why, "'flux1-schnell.safetensors' is not installed"));
    assert_non_null(strstr(why, "models/diffusion_models folder"));
    assert_non_null(strstr(why, "--checkpoint flux=FILE"));
    free(why);
    assert_null(catalog_reason(b, "procedural"));
    mv_images_close(b);
}

/* A run's 400 gives the very same sentence as the catalog. */
static void test_run_gives_the_catalog_reason(void **state)
{
    fixture_env *e = *state;
    mv_image_backends *b = open_on(mv_comfy_fixture_url(e->fx), NULL, 0);
    char *why = catalog_reason(b, "sdxl_turbo");
    char *out = mv_strdup_printf("%s/sdxl.png", e->dir);
    mv_image_job job = {.model = "sdxl_turbo", .prompt = "a lighthouse", .seed = 3,
                        .width = 1280, .height = 720, .output_path = out};
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_images_make(b, &job, NULL, &err), MAIVID_E_BACKEND);
    assert_string_equal(err.message, why);
    assert_false(mv_file_exists(out));
    free(why);
    free(out);
    mv_images_close(b);
}

/* The check judges the job's own workflow: a weight-free one can run (and does); one that
 * names a missing file says so, with the workflow's fix. */
static void test_job_workflow_is_judged(void **state)
{
    fixture_env *e = *state;
    mv_image_backends *b = open_on(mv_comfy_fixture_url(e->fx), NULL, 0);
    char *free_path = write_workflow(e, "my_graph.json", weight_free);
    char *ckpt_path = write_workflow(e, "needs_ckpt.json", with_ckpt);
    char *out = mv_strdup_printf("%s/custom.png", e->dir);
    mv_image_job job = {.model = "sdxl_turbo", .workflow_path = free_path, .prompt = "sea",
                        .seed = 5, .width = 1280, .height = 720, .output_path = out};
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_images_check(b, &job, &err), MAIVID_OK);
    assert_int_equal(mv_images_make(b, &job, NULL, &err), MAIVID_OK);
    assert_true(mv_file_exists(out));

    job.workflow_path = ckpt_path;
    assert_int_equal(mv_images_check(b, &job, &err), MAIVID_E_BACKEND);
    assert_non_null(strstr(err.message, "'my_model.safetensors' is not installed on ComfyUI"));
    assert_non_null(strstr(err.message, "edit the workflow"));
    assert_null(strstr(err.message, "--checkpoint"));

    job.workflow_path = NULL; /* the model itself is not usable there */
    assert_int_equal(mv_images_check(b, &job, &err), MAIVID_E_BACKEND);
    assert_non_null(strstr(err.message, "--checkpoint sdxl_turbo=FILE"));
    free(free_path);
    free(ckpt_path);
    free(out);
    mv_images_close(b);
}

/* --checkpoint MODEL=FILE points a shipped model at an installed file. */
static void test_checkpoint_override_makes_it_usable(void **state)
{
    (void)state;
    const char *installed[] = {"SDXL/turbo_mine.safetensors"};
    mv_comfy_fixture_opts o = {.mode = MV_FIXTURE_NO_MODELS, .checkpoints = installed,
                               .checkpoint_count = 1};
    mv_comfy_fixture *fx = mv_comfy_fixture_start(&o);
    const char *ckpts[] = {"sdxl_turbo=SDXL/turbo_mine.safetensors"};
    mv_image_backends *b = open_on(mv_comfy_fixture_url(fx), ckpts, 1);
    assert_null(catalog_reason(b, "sdxl_turbo"));
    char *dir = mv_test_tmpdir("comfy-override");
    char *out = mv_strdup_printf("%s/scene.png", dir);
    mv_image_job job = {.model = "sdxl_turbo", .prompt = "sea", .seed = 1, .width = 1280,
                        .height = 720, .output_path = out};
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_images_make(b, &job, NULL, &err), MAIVID_OK);
    char *graph = mv_comfy_fixture_last_graph(fx);
    assert_non_null(strstr(graph, "\"ckpt_name\":\"SDXL/turbo_mine.safetensors\""));
    free(graph);
    mv_images_close(b);

    const char *bad[] = {"procedural=x.safetensors"};
    const char *urls[] = {mv_comfy_fixture_url(fx)};
    mv_image_config cfg = {.comfyui_urls = urls, .comfyui_url_count = 1, .checkpoints = bad,
                           .checkpoint_count = 1};
    assert_int_equal(mv_images_open(&cfg, &b, &err), MAIVID_E_INVALID);
    assert_non_null(strstr(err.message, "not a ComfyUI model"));
    mv_comfy_fixture_stop(fx);
    mv_remove_tree(dir, &err);
    free(out);
    free(dir);
}

/* The public calls: maivid_config.checkpoints and maivid_model_check() on an engine. */
static void test_public_model_check(void **state)
{
    fixture_env *e = *state;
    const char *urls[] = {mv_comfy_fixture_url(e->fx)};
    char *data = mv_strdup_printf("%s/data", e->dir);
    char *wf = write_workflow(e, "public.json", weight_free);
    maivid_config c;
    maivid_config_init(&c);
    c.data_dir = data;
    c.comfyui_urls = urls;
    c.comfyui_url_count = 1;
    c.resume_jobs = 0;
    maivid_engine *engine = NULL;
    char why[1024] = "";
    assert_int_equal(maivid_engine_open(&c, &engine, why, sizeof why), MAIVID_OK);
    assert_int_equal(maivid_model_check(engine, "sdxl_turbo", NULL, why, sizeof why),
                     MAIVID_E_BACKEND);
    assert_non_null(strstr(why, "--checkpoint sdxl_turbo=FILE"));
    assert_int_equal(maivid_model_check(engine, "sdxl_turbo", wf, why, sizeof why), MAIVID_OK);
    assert_int_equal(maivid_model_check(engine, "procedural", NULL, why, sizeof why), MAIVID_OK);
    assert_int_equal(maivid_model_check(engine, "dalle", NULL, why, sizeof why),
                     MAIVID_E_INVALID);
    assert_non_null(strstr(why, "unknown image model 'dalle'"));
    maivid_engine_close(engine);

    const char *bad[] = {"sdxl_turbo"}; /* not MODEL=FILE: the engine does not open */
    c.checkpoints = bad;
    c.checkpoint_count = 1;
    assert_int_equal(maivid_engine_open(&c, &engine, why, sizeof why), MAIVID_E_INVALID);
    assert_non_null(strstr(why, "is not MODEL=FILE"));
    free(wf);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fixture_replays_the_real_server, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_says_which_file_is_missing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_run_gives_the_catalog_reason, setup, teardown),
        cmocka_unit_test_setup_teardown(test_job_workflow_is_judged, setup, teardown),
        cmocka_unit_test(test_checkpoint_override_makes_it_usable),
        cmocka_unit_test_setup_teardown(test_public_model_check, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
