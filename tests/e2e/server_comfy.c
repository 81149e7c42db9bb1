/*
 * server_comfy.c - maivid-server against a fixture that behaves like a real ComfyUI 0.3.64
 * without checkpoints: the models catalog says which file is missing and names
 * --checkpoint; a job with that model fails with the same reason; --checkpoint MODEL=FILE
 * makes the model usable; a bad --checkpoint stops the server at start with the fix.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "comfy_fixture.h"
#include "mv_test_util.h"
#include "server_harness.h"

/* The models catalog entry `id`. */
static const cJSON *model_entry(const cJSON *reply, const char *id)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(reply, "models"))
    {
        const cJSON *mid = cJSON_GetObjectItemCaseSensitive(m, "id");
        if (cJSON_IsString(mid) && strcmp(mid->valuestring, id) == 0)
            return m;
    }
    return NULL;
}

static void test_catalog_and_job_say_which_file_is_missing(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("server-comfy");
    char song[2048];
    snprintf(song, sizeof song, "%s/song.wav", dir);
    mv_test_song spec = {.seconds = 3.0, .bpm = 120, .sample_rate = 22050, .channels = 1};
    assert_int_equal(mv_test_write_song_wav(song, &spec), 0);
    mv_fixture songs;
    assert_int_equal(mv_fixture_start(&songs, song), 0);
    mv_comfy_fixture_opts o = {.mode = MV_FIXTURE_NO_MODELS};
    mv_comfy_fixture *comfy = mv_comfy_fixture_start(&o);
    assert_non_null(comfy);
    const char *url = mv_comfy_fixture_url(comfy);

    mv_test_server server;
    const char *args[] = {"--allow-private-urls", "--comfyui", url, NULL};
    assert_int_equal(mv_test_server_start(&server, NULL, args), 0);
    mv_http_reply reply;
    mv_http_get(&server, "/api/convo_pilot/models", &reply);
    assert_int_equal(reply.status, 200);
    const cJSON *sdxl = model_entry(reply.json, "sdxl_turbo");
    assert_non_null(sdxl);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(sdxl, "usable")));
    char want[1024];
    snprintf(want, sizeof want,
             "'sd_xl_turbo_1.0_fp16.safetensors' is not installed on ComfyUI at %s "
             "(CheckpointLoaderSimple.ckpt_name; installed: none); put it in ComfyUI's "
             "models/checkpoints folder, or set it with --checkpoint sdxl_turbo=FILE (one of "
             "the installed files)",
             url);
    assert_string_equal(mv_json_string(sdxl, NULL, "unusable_reason"), want);
    mv_http_reply_free(&reply);

    /* A job with that model fails with the same reason. */
    char body[1024];
    snprintf(body, sizeof body,
             "{\"url\":\"%s/song.wav\",\"model_type\":\"sdxl_turbo\",\"resolution\":\"480p\","
             "\"fps\":12,\"scene_count\":2}",
             songs.base_url);
    mv_http_post_json(&server, "/api/convo_pilot/video", body, &reply);
    assert_int_equal(reply.status, 202);
    char job_id[64];
    snprintf(job_id, sizeof job_id, "%s", mv_json_string(reply.json, NULL, "job_id"));
    mv_http_reply_free(&reply);
    char final[32];
    mv_test_wait_job(&server, job_id, 60, final, sizeof final);
    assert_string_equal(final, "failed");
    char path[256];
    snprintf(path, sizeof path, "/api/convo_pilot/video/%s", job_id);
    mv_http_get(&server, path, &reply);
    const char *error = mv_json_string(reply.json, "job_status", "error");
    if (!error || !strstr(error, want))
        fprintf(stderr, "status: %s\n", reply.body);
    assert_non_null(error);
    assert_non_null(strstr(error, want));
    mv_http_reply_free(&reply);
    mv_test_server_stop(&server);
    mv_test_server_free(&server);

    /* --checkpoint points the model at an installed file. */
    mv_comfy_fixture_stop(comfy);
    const char *installed[] = {"turbo_mine.safetensors"};
    mv_comfy_fixture_opts with = {.mode = MV_FIXTURE_NO_MODELS, .checkpoints = installed,
                                  .checkpoint_count = 1};
    comfy = mv_comfy_fixture_start(&with);
    const char *args2[] = {"--comfyui", mv_comfy_fixture_url(comfy), "--checkpoint",
                           "sdxl_turbo=turbo_mine.safetensors", NULL};
    assert_int_equal(mv_test_server_start(&server, NULL, args2), 0);
    mv_http_get(&server, "/api/convo_pilot/models", &reply);
    sdxl = model_entry(reply.json, "sdxl_turbo");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sdxl, "usable")));
    assert_null(cJSON_GetObjectItemCaseSensitive(sdxl, "unusable_reason"));
    mv_http_reply_free(&reply);
    mv_test_server_stop(&server);
    mv_test_server_free(&server);

    mv_comfy_fixture_stop(comfy);
    mv_fixture_stop(&songs);
    free(dir);
}

/* A --checkpoint naming no ComfyUI model stops the server with the fix. */
static void test_bad_checkpoint_refused_at_start(void **state)
{
    (void)state;
    mv_test_server server;
    const char *args[] = {"--checkpoint", "nope=x.safetensors", NULL};
    assert_int_equal(mv_test_server_start(&server, NULL, args), -1);
    const char *args2[] = {"--checkpoint", "sdxl_turbo", NULL};
    assert_int_equal(mv_test_server_start(&server, NULL, args2), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalog_and_job_say_which_file_is_missing),
        cmocka_unit_test(test_bad_checkpoint_refused_at_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
