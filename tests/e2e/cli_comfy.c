/*
 * cli_comfy.c - end to end: maivid-cli against a fixture that behaves like a real ComfyUI
 * 0.3.64 with no checkpoints installed (research/comfyui.md). A job's own weight-free
 * --workflow runs there (it used to be refused because the default model was checked); the
 * default model is refused with the real reason (the missing file, not "not reachable") and
 * the --checkpoint fix; 'models' prints the reason under the table; --checkpoint and a
 * <models-dir>/<id>.checkpoint file make the model usable; a bad --checkpoint is a usage error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "cli_harness.h"
#include "comfy_fixture.h"
#include "mv_test_util.h"

typedef struct mv_env {
    char *dir;
    mv_comfy_fixture *comfy;
    char song[4200], data_env[4300], workflow[4200], models_dir[4200];
} mv_env;

static void mv_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int mv_setup(void **state)
{
    mv_env *e = calloc(1, sizeof *e);
    e->dir = mv_test_tmpdir("cli-comfy");
    assert_non_null(e->dir);
    snprintf(e->song, sizeof e->song, "%s/song.wav", e->dir);
    snprintf(e->data_env, sizeof e->data_env, "MAIVID_DATA_DIR=%s/data", e->dir);
    snprintf(e->workflow, sizeof e->workflow, "%s/my_graph.json", e->dir);
    snprintf(e->models_dir, sizeof e->models_dir, "%s/models", e->dir);
    assert_int_equal(mkdir(e->models_dir, 0755), 0);
    mv_test_song song = {.seconds = 3, .bpm = 120};
    assert_int_equal(mv_test_write_song_wav(e->song, &song), 0);
    /* A weight-free graph, the kind that runs on a server without checkpoints. */
    mv_write(e->workflow,
             "{\"1\": {\"class_type\": \"EmptyImage\", \"inputs\": {\"width\": \"{{width}}\", "
             "\"height\": \"{{height}}\", \"batch_size\": 1, \"color\": 16711680}},\n"
             " \"2\": {\"class_type\": \"ImageInvert\", \"inputs\": {\"image\": [\"1\", 0]}},\n"
             " \"3\": {\"class_type\": \"SaveImage\", \"inputs\": {\"images\": [\"2\", 0], "
             "\"filename_prefix\": \"{{prompt}}\"}}}\n");
    const char *installed[] = {"turbo_mine.safetensors"};
    mv_comfy_fixture_opts o = {.mode = MV_FIXTURE_NO_MODELS, .checkpoints = installed,
                               .checkpoint_count = 1};
    e->comfy = mv_comfy_fixture_start(&o);
    assert_non_null(e->comfy);
    *state = e;
    return 0;
}

static int mv_teardown(void **state)
{
    mv_env *e = *state;
    mv_comfy_fixture_stop(e->comfy);
    free(e->dir);
    free(e);
    return 0;
}

static void mv_run(const mv_env *e, const char *const *args, mv_cli_result *r)
{
    const char *env[] = {e->data_env, NULL};
    mv_cli_run(args, env, e->dir, 240, r);
}

/* generate --workflow runs the job's own graph; the default model is not what is checked. */
static void test_custom_workflow_runs(void **state)
{
    mv_env *e = *state;
    char out[4300];
    snprintf(out, sizeof out, "%s/custom.mp4", e->dir);
    mv_cli_result r;
    mv_run(e, (const char *[]){"generate", e->song, "--comfyui", mv_comfy_fixture_url(e->comfy),
                               "--workflow", e->workflow, "--resolution", "480p", "--fps", "12",
                               "-n", "2", "-o", out, NULL},
           &r);
    if (r.exit_code != 0)
        fprintf(stderr, "stderr: %s\nstdout: %s\n", r.err, r.out);
    assert_int_equal(r.exit_code, 0);
    double duration = 0;
    int w = 0, h = 0;
    assert_true(mv_cli_probe_video(out, &duration, &w, &h));
    mv_comfy_fixture_stats stats;
    mv_comfy_fixture_get_stats(e->comfy, &stats);
    assert_true(stats.completed >= 2);
    mv_cli_result_free(&r);
}

/* The default model: the real reason and the fix, before any job starts. */
static void test_default_model_says_why(void **state)
{
    mv_env *e = *state;
    const char *url = mv_comfy_fixture_url(e->comfy);
    mv_cli_result r;
    mv_run(e, (const char *[]){"generate", e->song, "--comfyui", url, NULL}, &r);
    assert_int_equal(r.exit_code, 1);
    char want[512];
    snprintf(want, sizeof want,
             "'sd_xl_turbo_1.0_fp16.safetensors' is not installed on ComfyUI at %s "
             "(CheckpointLoaderSimple.ckpt_name; installed: 'turbo_mine.safetensors')",
             url);
    if (!strstr(r.err, want))
        fprintf(stderr, "stderr: %s\n", r.err);
    assert_non_null(strstr(r.err, "model 'sdxl_turbo' cannot run now"));
    assert_non_null(strstr(r.err, want));
    assert_non_null(strstr(r.err, "--checkpoint sdxl_turbo=FILE"));
    assert_null(strstr(r.err, "not reachable"));
    mv_cli_result_free(&r);

    /* A workflow that names a missing file is judged as itself. */
    char bad[4300];
    snprintf(bad, sizeof bad, "%s/needs.json", e->dir);
    mv_write(bad, "{\"1\": {\"class_type\": \"CheckpointLoaderSimple\", \"inputs\": "
                  "{\"ckpt_name\": \"mine.ckpt\"}}, \"2\": {\"class_type\": \"CLIPTextEncode\", "
                  "\"inputs\": {\"text\": \"{{prompt}}\", \"clip\": [\"1\", 1]}}, \"3\": "
                  "{\"class_type\": \"SaveImage\", \"inputs\": {\"images\": [\"2\", 0]}}}");
    mv_run(e, (const char *[]){"generate", e->song, "--comfyui", url, "--workflow", bad, NULL},
           &r);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "'mine.ckpt' is not installed"));
    assert_non_null(strstr(r.err, "edit the workflow"));
    mv_cli_result_free(&r);
}

/* 'models' prints why under the table; --checkpoint and <id>.checkpoint fix it. */
static void test_models_reasons_and_checkpoints(void **state)
{
    mv_env *e = *state;
    const char *url = mv_comfy_fixture_url(e->comfy);
    mv_cli_result r;
    mv_run(e, (const char *[]){"models", "--comfyui", url, NULL}, &r);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "\nnot usable now:\n"));
    assert_non_null(strstr(r.out, "  sdxl_turbo: 'sd_xl_turbo_1.0_fp16.safetensors' is not "
                                  "installed on ComfyUI at"));
    assert_non_null(strstr(r.out, "  flux: 'flux1-schnell.safetensors' is not installed"));
    mv_cli_result_free(&r);

    mv_run(e, (const char *[]){"models", "--comfyui", url, "--checkpoint",
                               "sdxl_turbo=turbo_mine.safetensors", NULL},
           &r);
    assert_int_equal(r.exit_code, 0);
    assert_null(strstr(r.out, "  sdxl_turbo:"));
    assert_non_null(strstr(r.out, "  sd3:"));
    mv_cli_result_free(&r);

    char file[4300];
    snprintf(file, sizeof file, "%s/sd3.checkpoint", e->models_dir);
    mv_write(file, "turbo_mine.safetensors\n");
    mv_run(e, (const char *[]){"models", "--json", "--comfyui", url, "--models-dir",
                               e->models_dir, NULL},
           &r);
    assert_int_equal(r.exit_code, 0);
    cJSON *models = cJSON_Parse(r.out);
    int seen = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, models) {
        const char *id = cJSON_GetObjectItemCaseSensitive(m, "id")->valuestring;
        const cJSON *usable = cJSON_GetObjectItemCaseSensitive(m, "usable");
        const cJSON *why = cJSON_GetObjectItemCaseSensitive(m, "unusable_reason");
        if (strcmp(id, "sd3") == 0) {
            assert_string_equal(cJSON_GetObjectItemCaseSensitive(m, "checkpoint")->valuestring,
                                "turbo_mine.safetensors");
            assert_true(cJSON_IsTrue(usable));
            seen++;
        } else if (strcmp(id, "sdxl_turbo") == 0) {
            assert_true(cJSON_IsFalse(usable));
            assert_non_null(strstr(why->valuestring, "'sd_xl_turbo_1.0_fp16.safetensors'"));
            seen++;
        }
    }
    assert_int_equal(seen, 2);
    cJSON_Delete(models);
    mv_cli_result_free(&r);

    mv_run(e, (const char *[]){"models", "--checkpoint", "sdxl_turbo", NULL}, &r);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "--checkpoint wants MODEL=FILE"));
    mv_cli_result_free(&r);
    mv_run(e, (const char *[]){"models", "--checkpoint", "procedural=x.safetensors", NULL}, &r);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "not a ComfyUI model"));
    mv_cli_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_custom_workflow_runs, mv_setup, mv_teardown),
        cmocka_unit_test_setup_teardown(test_default_model_says_why, mv_setup, mv_teardown),
        cmocka_unit_test_setup_teardown(test_models_reasons_and_checkpoints, mv_setup,
                                        mv_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
