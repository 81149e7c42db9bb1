/*
 * test_comfy_workflow.c - workflow templates: the three shipped graphs filled by their
 * placeholders, a custom graph with placeholders (including {{prompt}} inside a longer
 * string), custom graphs without any found by class and wiring, loading rules (wrapper with
 * name/description, UI format refused), generation sizes and the models registry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comfy/mv_comfy.h"
#include "mv_test_util.h"

static cJSON *load_shipped(const char *id)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/workflows/%s.json", mv_share_dir(), id);
    cJSON *graph = NULL;
    mv_error err;
    assert_int_equal(mv_workflow_load(path, &graph, NULL, NULL, &err), MAIVID_OK);
    return graph;
}

static cJSON *input_of(cJSON *graph, const char *node, const char *input)
{
    cJSON *n = cJSON_GetObjectItemCaseSensitive(graph, node);
    assert_non_null(n);
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(n, "inputs"), input);
}

static void assert_string_input(cJSON *graph, const char *node, const char *input,
                                const char *want)
{
    cJSON *v = input_of(graph, node, input);
    assert_true(cJSON_IsString(v));
    assert_string_equal(v->valuestring, want);
}

static void assert_number_input(cJSON *graph, const char *node, const char *input, double want)
{
    cJSON *v = input_of(graph, node, input);
    assert_true(cJSON_IsNumber(v)); /* a JSON number, not the string "{{width}}" */
    assert_true(v->valuedouble == want);
}

static const mv_workflow_params scene = {
    .prompt = "a \"neon\" city at night, rain",
    .negative_prompt = "blurry, text",
    .seed = 123456789012LL,
    .width = 704,
    .height = 384,
};

static void test_sdxl_turbo_placeholders(void **state)
{
    (void)state;
    cJSON *g = load_shipped("sdxl_turbo");
    mv_workflow_report r;
    mv_error err;
    assert_int_equal(mv_workflow_apply(g, &scene, &r, &err), MAIVID_OK);
    assert_string_input(g, "2", "text", scene.prompt);
    assert_string_input(g, "3", "text", "blurry, text");
    assert_number_input(g, "4", "width", 704);
    assert_number_input(g, "4", "height", 384);
    assert_number_input(g, "7", "noise_seed", 123456789012.0);
    assert_int_equal(r.placeholders, 5);
    /* The printed JSON holds the seed as an exact integer. */
    char *text = cJSON_PrintUnformatted(g);
    assert_non_null(strstr(text, "\"noise_seed\":123456789012"));
    assert_null(strstr(text, "{{"));
    free(text);
    cJSON_Delete(g);
}

static void test_sd3_placeholders_and_checkpoint(void **state)
{
    (void)state;
    cJSON *g = load_shipped("sd3");
    mv_workflow_params p = scene;
    p.checkpoint = "sd3_medium_incl_clips.safetensors";
    p.filename_prefix = "maivid/abc";
    mv_error err;
    assert_int_equal(mv_workflow_apply(g, &p, NULL, &err), MAIVID_OK);
    assert_string_input(g, "3", "text", scene.prompt);
    assert_string_input(g, "4", "text", "blurry, text");
    assert_number_input(g, "5", "width", 704);
    assert_number_input(g, "6", "seed", 123456789012.0);
    assert_string_input(g, "1", "ckpt_name", "sd3_medium_incl_clips.safetensors");
    assert_string_input(g, "8", "filename_prefix", "maivid/abc");
    cJSON_Delete(g);
}

static void test_flux_placeholders(void **state)
{
    (void)state;
    cJSON *g = load_shipped("flux");
    mv_workflow_params p = scene;
    p.width = 1360;
    p.height = 768;
    p.checkpoint = "flux1-dev.safetensors";
    mv_workflow_report r;
    mv_error err;
    assert_int_equal(mv_workflow_apply(g, &p, &r, &err), MAIVID_OK);
    assert_string_input(g, "4", "text", scene.prompt);
    assert_number_input(g, "6", "width", 1360);
    assert_number_input(g, "6", "height", 768);
    assert_number_input(g, "7", "noise_seed", 123456789012.0);
    assert_string_input(g, "1", "unet_name", "flux1-dev.safetensors");
    assert_int_equal(r.negative_set, 0); /* flux has no negative prompt */
    cJSON_Delete(g);
}

static void test_custom_placeholders_inside_strings(void **state)
{
    (void)state;
    const char *text =
        "{\"name\": \"My SDXL\", \"description\": \"mine\","
        " \"10\": {\"class_type\": \"CLIPTextEncode\", \"inputs\": {\"text\": \"masterpiece, "
        "{{prompt}}, 35mm\", \"clip\": [\"20\", 1]}},"
        " \"11\": {\"class_type\": \"CLIPTextEncode\", \"inputs\": {\"text\": "
        "\"{{negative_prompt}}\", \"clip\": [\"20\", 1]}},"
        " \"12\": {\"class_type\": \"EmptyLatentImage\", \"inputs\": {\"width\": \"{{width}}\", "
        "\"height\": \"{{height}}\", \"batch_size\": 1}},"
        " \"13\": {\"class_type\": \"KSampler\", \"inputs\": {\"seed\": \"{{seed}}\", \"positive\": "
        "[\"10\", 0], \"negative\": [\"11\", 0], \"latent_image\": [\"12\", 0], \"model\": [\"20\", "
        "0]}},"
        " \"20\": {\"class_type\": \"CheckpointLoaderSimple\", \"inputs\": {\"ckpt_name\": "
        "\"custom_model.safetensors\"}},"
        " \"21\": {\"class_type\": \"SaveImage\", \"inputs\": {\"images\": [\"13\", 0], "
        "\"filename_prefix\": \"x\"}}}";
    cJSON *g = NULL;
    char *name = NULL, *desc = NULL;
    mv_error err;
    assert_int_equal(mv_workflow_parse(text, "test", &g, &name, &desc, &err), MAIVID_OK);
    assert_string_equal(name, "My SDXL");
    assert_string_equal(desc, "mine");
    assert_null(cJSON_GetObjectItemCaseSensitive(g, "name")); /* not sent as a node */
    mv_workflow_report r;
    assert_int_equal(mv_workflow_apply(g, &scene, &r, &err), MAIVID_OK);
    assert_string_input(g, "10", "text", "masterpiece, a \"neon\" city at night, rain, 35mm");
    assert_string_input(g, "11", "text", "blurry, text");
    assert_number_input(g, "12", "width", 704);
    assert_number_input(g, "13", "seed", 123456789012.0);
    free(name);
    free(desc);
    cJSON_Delete(g);
}

/* No placeholders, unusual node ids, a FluxGuidance between the encoder and the guider, and a
 * decoy text encoder that feeds nothing: found by wiring, never by id. */
static void test_custom_without_placeholders_by_wiring(void **state)
{
    (void)state;
    const char *text =
        "{\"a\": {\"class_type\": \"CheckpointLoaderSimple\", \"inputs\": {\"ckpt_name\": "
        "\"m.safetensors\"}},"
        " \"neg\": {\"class_type\": \"CLIPTextEncode\", \"inputs\": {\"text\": \"old negative\", "
        "\"clip\": [\"a\", 1]}},"
        " \"pos\": {\"class_type\": \"CLIPTextEncode\", \"inputs\": {\"text\": \"old prompt\", "
        "\"clip\": [\"a\", 1]}},"
        " \"decoy\": {\"class_type\": \"CLIPTextEncode\", \"inputs\": {\"text\": \"unused\", "
        "\"clip\": [\"a\", 1]}},"
        " \"g\": {\"class_type\": \"FluxGuidance\", \"inputs\": {\"conditioning\": [\"pos\", 0], "
        "\"guidance\": 3.5}},"
        " \"lat\": {\"class_type\": \"EmptySD3LatentImage\", \"inputs\": {\"width\": 1024, "
        "\"height\": 1024, \"batch_size\": 1}},"
        " \"ms\": {\"class_type\": \"ModelSamplingFlux\", \"inputs\": {\"model\": [\"a\", 0], "
        "\"max_shift\": 1.15, \"base_shift\": 0.5, \"width\": 1024, \"height\": 1024}},"
        " \"k\": {\"class_type\": \"KSampler\", \"inputs\": {\"model\": [\"ms\", 0], \"seed\": 1, "
        "\"steps\": 4, \"cfg\": 1.0, \"positive\": [\"g\", 0], \"negative\": [\"neg\", 0], "
        "\"latent_image\": [\"lat\", 0]}},"
        " \"s\": {\"class_type\": \"SaveImage\", \"inputs\": {\"images\": [\"k\", 0], "
        "\"filename_prefix\": \"x\"}}}";
    cJSON *g = NULL;
    mv_error err;
    assert_int_equal(mv_workflow_parse(text, "test", &g, NULL, NULL, &err), MAIVID_OK);
    assert_int_equal(mv_workflow_native_pixels(g), 1024 * 1024);
    mv_workflow_report r;
    assert_int_equal(mv_workflow_apply(g, &scene, &r, &err), MAIVID_OK);
    assert_int_equal(r.placeholders, 0);
    assert_string_input(g, "pos", "text", scene.prompt);
    assert_string_input(g, "neg", "text", "blurry, text");
    assert_string_input(g, "decoy", "text", "unused");
    assert_number_input(g, "lat", "width", 704);
    assert_number_input(g, "lat", "height", 384);
    assert_number_input(g, "ms", "width", 704); /* must match the latent */
    assert_number_input(g, "k", "seed", 123456789012.0);
    cJSON_Delete(g);
}

/* SD3 style: the negative is ConditioningZeroOut of the positive; a BasicGuider graph. */
static void test_wiring_zero_out_and_guider(void **state)
{
    (void)state;
    const char *text =
        "{\"1\": {\"class_type\": \"CLIPTextEncode\", \"inputs\": {\"text\": \"p\", \"clip\": "
        "[\"9\", 0]}},"
        " \"2\": {\"class_type\": \"ConditioningZeroOut\", \"inputs\": {\"conditioning\": [\"1\", "
        "0]}},"
        " \"3\": {\"class_type\": \"BasicGuider\", \"inputs\": {\"model\": [\"9\", 0], "
        "\"conditioning\": [\"1\", 0]}},"
        " \"4\": {\"class_type\": \"RandomNoise\", \"inputs\": {\"noise_seed\": 5}},"
        " \"5\": {\"class_type\": \"KSampler\", \"inputs\": {\"positive\": [\"1\", 0], "
        "\"negative\": [\"2\", 0], \"seed\": 5}},"
        " \"9\": {\"class_type\": \"CheckpointLoaderSimple\", \"inputs\": {\"ckpt_name\": "
        "\"m.safetensors\"}}}";
    cJSON *g = NULL;
    mv_error err;
    assert_int_equal(mv_workflow_parse(text, "test", &g, NULL, NULL, &err), MAIVID_OK);
    mv_workflow_report r;
    assert_int_equal(mv_workflow_apply(g, &scene, &r, &err), MAIVID_OK);
    assert_string_input(g, "1", "text", scene.prompt); /* not overwritten by the negative */
    assert_int_equal(r.negative_set, 0);
    assert_number_input(g, "4", "noise_seed", 123456789012.0);
    assert_number_input(g, "5", "seed", 123456789012.0);
    cJSON_Delete(g);
}

static void test_refusals(void **state)
{
    (void)state;
    cJSON *g = NULL;
    mv_error err;
    mv_error_clear(&err);
    /* UI format */
    assert_int_equal(mv_workflow_parse("{\"nodes\": [], \"links\": []}", "ui.json", &g, NULL,
                                       NULL, &err),
                     MAIVID_E_INVALID);
    assert_non_null(strstr(err.message, "Export (API)"));
    /* not JSON */
    assert_int_equal(mv_workflow_parse("{oops", "bad.json", &g, NULL, NULL, &err),
                     MAIVID_E_INVALID);
    /* nowhere to put the prompt */
    assert_int_equal(mv_workflow_parse("{\"1\": {\"class_type\": \"EmptyImage\", \"inputs\": "
                                       "{\"width\": 8, \"height\": 8}}}",
                                       "x", &g, NULL, NULL, &err),
                     MAIVID_OK);
    assert_int_equal(mv_workflow_apply(g, &scene, NULL, &err), MAIVID_E_INVALID);
    assert_non_null(strstr(err.message, "{{prompt}}"));
    cJSON_Delete(g);
}

static void test_seed_range(void **state)
{
    (void)state;
    assert_true(mv_workflow_seed_value(-1) >= 0);
    assert_true(mv_workflow_seed_value(-1) < (1LL << 53));
    assert_int_equal(mv_workflow_seed_value(42), 42);
}

static void test_sizes(void **state)
{
    (void)state;
    int w, h;
    mv_comfy_size_for(MV_FAMILY_SDXL_TURBO, 0, 1920, 1080, &w, &h);
    assert_int_equal(w % 64, 0);
    assert_int_equal(h % 64, 0);
    assert_true(w > h);
    assert_true(w * h > 200000 && w * h < 340000);
    mv_comfy_size_for(MV_FAMILY_SDXL_TURBO, 0, 1000, 1000, &w, &h);
    assert_int_equal(w, 512);
    assert_int_equal(h, 512);
    mv_comfy_size_for(MV_FAMILY_SD3, 0, 1920, 1080, &w, &h);
    assert_int_equal(w % 16, 0);
    assert_int_equal(h % 16, 0);
    assert_true(w * h > 900000 && w * h < 1200000);
    assert_true(abs(w * 9 - h * 16) < h); /* within ~6% of 16:9 */
    mv_comfy_size_for(MV_FAMILY_FLUX, 0, 1080, 1920, &w, &h);
    assert_true(h > w);
    assert_int_equal(w % 16, 0);
    mv_comfy_size_for(MV_FAMILY_CUSTOM, 768L * 768L, 1280, 720, &w, &h);
    assert_true(w * h > 500000 && w * h < 700000);
}

static void test_models_registry(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("comfy-models");
    char path[4096];
    snprintf(path, sizeof path, "%s/my_flow.json", dir);
    FILE *f = fopen(path, "w");
    fputs("{\"name\": \"My flow\", \"description\": \"d\", \"prompt\": {\"1\": {\"class_type\": "
          "\"CLIPTextEncode\", \"inputs\": {\"text\": \"{{prompt}}\"}}}}",
          f);
    fclose(f);
    snprintf(path, sizeof path, "%s/broken.json", dir);
    f = fopen(path, "w");
    fputs("{not json", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/sd3.checkpoint", dir); /* the per-model override file */
    f = fopen(path, "w");
    fputs("  sd3_medium.safetensors \n", f);
    fclose(f);
    mv_model_list list;
    char *warnings = NULL;
    mv_error err;
    assert_int_equal(mv_models_load(mv_share_dir(), dir, &list, &warnings, &err),
                     MAIVID_OK);
    assert_null(mv_models_find(&list, "procedural")); /* the painter is its own backend */
    const mv_comfy_model *m = mv_models_find(&list, "sdxl_turbo");
    assert_string_equal(m->base.name, "SDXL Turbo");
    assert_string_equal(m->base.speed, "Fast");
    assert_string_equal(m->base.quality, "Good");
    m = mv_models_find(&list, "sd3");
    assert_string_equal(m->base.quality, "Excellent");
    assert_string_equal(m->checkpoint, "sd3_medium.safetensors");
    m = mv_models_find(&list, "flux");
    assert_string_equal(m->base.quality, "Very Good");
    m = mv_models_find(&list, "my_flow");
    assert_non_null(m);
    assert_string_equal(m->base.name, "My flow");
    assert_null(mv_models_find(&list, "broken"));
    assert_non_null(warnings);
    assert_non_null(strstr(warnings, "broken.json"));
    free(warnings);
    mv_models_free(&list);
    mv_remove_tree(dir, &err);
    free(dir);
}

/* --checkpoint MODEL=FILE wins over <models_dir>/<id>.checkpoint; bad entries say the fix. */
static void test_checkpoint_overrides(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("comfy-ckpt");
    char path[4096];
    snprintf(path, sizeof path, "%s/sdxl_turbo.checkpoint", dir);
    FILE *f = fopen(path, "w");
    fputs("from_file.safetensors\n", f);
    fclose(f);
    mv_model_list list;
    char *warnings = NULL;
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_models_load(mv_share_dir(), dir, &list, &warnings, &err), MAIVID_OK);
    assert_string_equal(mv_models_find(&list, "sdxl_turbo")->checkpoint, "from_file.safetensors");
    assert_null(mv_models_find(&list, "flux")->checkpoint);
    const char *good[] = {"sdxl_turbo=sd_xl_turbo_1.0.safetensors", "flux=SDXL/flux.sft"};
    assert_int_equal(mv_models_set_checkpoints(&list, good, 2, &err), MAIVID_OK);
    assert_string_equal(mv_models_find(&list, "sdxl_turbo")->checkpoint,
                        "sd_xl_turbo_1.0.safetensors");
    assert_string_equal(mv_models_find(&list, "flux")->checkpoint, "SDXL/flux.sft");
    const char *no_eq[] = {"sdxl_turbo"};
    assert_int_equal(mv_models_set_checkpoints(&list, no_eq, 1, &err), MAIVID_E_INVALID);
    assert_non_null(strstr(err.message, "is not MODEL=FILE"));
    const char *painter[] = {"procedural=x.safetensors"};
    assert_int_equal(mv_models_set_checkpoints(&list, painter, 1, &err), MAIVID_E_INVALID);
    assert_non_null(strstr(err.message, "not a ComfyUI model; use one of: sdxl_turbo, sd3, flux"));
    assert_null(strstr(err.message, "procedural,"));
    const char *unknown[] = {"nope=x.safetensors"};
    assert_int_equal(mv_models_set_checkpoints(&list, unknown, 1, &err), MAIVID_E_INVALID);
    assert_non_null(strstr(err.message, "'nope'"));
    const char *empty[] = {"sd3="};
    assert_int_equal(mv_models_set_checkpoints(&list, empty, 1, &err), MAIVID_E_INVALID);
    assert_non_null(strstr(err.message, "not a checkpoint file name"));
    mv_models_free(&list);
    free(warnings);

    /* A bad override file fails the load, naming the file. */
    f = fopen(path, "w");
    fputs("../escape.safetensors\n", f);
    fclose(f);
    assert_int_equal(mv_models_load(mv_share_dir(), dir, &list, &warnings, &err),
                     MAIVID_E_INVALID);
    assert_non_null(strstr(err.message, "sdxl_turbo.checkpoint"));
    free(warnings);
    mv_remove_tree(dir, &err);
    free(dir);
}

/* The stage joins the backends' models: the painter first, then ComfyUI's; a workflow whose
 * id another backend took is skipped with a warning. */
static void test_stage_registry_over_backends(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("stage-models");
    char path[4096];
    snprintf(path, sizeof path, "%s/procedural.json", dir);
    FILE *f = fopen(path, "w");
    fputs("{\"1\": {\"class_type\": \"CLIPTextEncode\", \"inputs\": {\"text\": "
          "\"{{prompt}}\"}}}",
          f);
    fclose(f);
    mv_image_config cfg = {.models_dir = dir};
    mv_image_backends *b = NULL;
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_images_open(&cfg, &b, &err), MAIVID_OK);
    assert_non_null(strstr(mv_images_load_warnings(b), "model 'procedural' of the comfyui "
                                                       "backend skipped"));
    cJSON *cat = mv_images_catalog(b);
    const char *want[] = {"procedural", "sdxl_turbo", "sd3", "flux", "wan22_ti2v_5b", "ltxv_i2v"};
    const char *kinds[] = {"builtin", "comfyui", "comfyui", "comfyui", "video", "video"};
    assert_int_equal(cJSON_GetArraySize(cat), 6);
    for (int i = 0; i < 6; i++) {
        cJSON *m = cJSON_GetArrayItem(cat, i);
        assert_string_equal(cJSON_GetObjectItemCaseSensitive(m, "id")->valuestring, want[i]);
        assert_string_equal(cJSON_GetObjectItemCaseSensitive(m, "kind")->valuestring, kinds[i]);
    }
    assert_non_null(strstr(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cat, 0),
                                                            "description")->valuestring,
                           "not an AI model"));
    cJSON_Delete(cat);
    mv_images_close(b);
    mv_remove_tree(dir, &err);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sdxl_turbo_placeholders),
        cmocka_unit_test(test_sd3_placeholders_and_checkpoint),
        cmocka_unit_test(test_flux_placeholders),
        cmocka_unit_test(test_custom_placeholders_inside_strings),
        cmocka_unit_test(test_custom_without_placeholders_by_wiring),
        cmocka_unit_test(test_wiring_zero_out_and_guider),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_seed_range),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_models_registry),
        cmocka_unit_test(test_checkpoint_overrides),
        cmocka_unit_test(test_stage_registry_over_backends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
