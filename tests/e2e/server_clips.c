/*
 * server_clips.c - maivid-server with moving scenes: the models catalog lists the video
 * models with "kind": "video"; a job with "animate" turns the painter's stills into clips on
 * the ComfyUI fixture (each still uploaded, each clip made) and finishes; an image model
 * given as "animate" is refused at create with the video models named.
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
#include "util/mv_common.h"

static void test_animate_job(void **state)
{
    (void)state;
    mv_comfy_rig rig;
    assert_int_equal(mv_comfy_rig_start(&rig, "server-clips", NULL), 0);
    mv_test_server *server = &rig.server;
    mv_comfy_fixture *comfy = rig.comfy;

    mv_http_reply reply;
    mv_http_get(server, "/api/convo_pilot/models", &reply);
    assert_int_equal(reply.status, 200);
    int videos = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(reply.json, "models"))
    {
        const cJSON *kind = cJSON_GetObjectItemCaseSensitive(m, "kind");
        videos += cJSON_IsString(kind) && strcmp(kind->valuestring, "video") == 0;
    }
    assert_int_equal(videos, 2);
    mv_http_reply_free(&reply);

    char body[1024];
    snprintf(body, sizeof body,
             "{\"url\":\"%s/song.wav\",\"model_type\":\"procedural\",\"animate\":\"flux\","
             "\"resolution\":\"480p\",\"fps\":12,\"scene_count\":2}",
             rig.songs.base_url);
    mv_http_post_json(server, "/api/convo_pilot/video", body, &reply);
    assert_int_equal(reply.status, 400);
    assert_non_null(strstr(reply.body, "wan22_ti2v_5b"));
    mv_http_reply_free(&reply);

    snprintf(body, sizeof body,
             "{\"url\":\"%s/song.wav\",\"model_type\":\"procedural\",\"animate\":\"ltxv_i2v\","
             "\"resolution\":\"480p\",\"fps\":12,\"scene_count\":2}",
             rig.songs.base_url);
    mv_http_post_json(server, "/api/convo_pilot/video", body, &reply);
    assert_int_equal(reply.status, 202);
    char job_id[64];
    snprintf(job_id, sizeof job_id, "%s", mv_json_string(reply.json, NULL, "job_id"));
    mv_http_reply_free(&reply);
    char final[32];
    mv_test_wait_job(server, job_id, 90, final, sizeof final);
    assert_string_equal(final, "completed");
    mv_comfy_fixture_stats st;
    mv_comfy_fixture_get_stats(comfy, &st);
    assert_int_equal(st.uploads, 2);
    assert_int_equal(st.completed, 2);
    char *graph = mv_comfy_fixture_last_graph(comfy);
    assert_non_null(strstr(graph, "LTXVImgToVideo"));
    free(graph);
    mv_comfy_rig_stop(&rig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_animate_job),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
