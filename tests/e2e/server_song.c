/*
 * server_song.c - whose song it is, through maivid-server: a Suno song from the fake Suno
 * (its bases given to the server through MAIVID_SUNO_*_BASE) shows up in the job status as
 * `song` (title, artist, tags, source kind, Suno id, cover_url), and GET .../cover serves the
 * kept cover with its Content-Type; a job with no cover answers 404 JSON there. OpenAPI
 * lists the endpoint and the Song schema.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest_audio.h"
#include "mv_test_util.h"
#include "server_harness.h"
#include "suno_fixture.h"
#include "util/mv_common.h"

static const cJSON *song_of(const mv_http_reply *reply)
{
    return cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(reply->json, "job_status"), "song");
}

static void test_suno_song_status_and_cover(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("server-song");
    char *mp3 = mv_strdup_printf("%s/tone.mp3", dir);
    assert_int_equal(ingest_make_audio(mp3, "mp3", 3.0, NULL), 0);
    size_t mp3_len = 0;
    uint8_t *bytes = ingest_read_all(mp3, &mp3_len);
    suno_fixture fx;
    memset(&fx, 0, sizeof(fx));
    assert_int_equal(suno_fixture_start(&fx), 0);
    fx.era = 'C';
    fx.share_mode = 307;
    fx.mp3 = bytes;
    fx.mp3_len = mp3_len;
    setenv("MAIVID_SUNO_WEB_BASE", fx.web, 1);
    setenv("MAIVID_SUNO_API_BASE", fx.api, 1);
    setenv("MAIVID_SUNO_CDN_BASE", fx.cdn, 1);
    mv_test_server server;
    const char *args[] = {"--allow-private-urls", NULL};
    assert_int_equal(mv_test_server_start(&server, NULL, args), 0);

    char body[512];
    snprintf(body, sizeof(body),
             "{\"url\":\"%s/song/%s\",\"model_type\":\"procedural\",\"resolution\":\"480p\","
             "\"fps\":12,\"scene_count\":1}", fx.web, SUNO_FIX_ID);
    mv_http_reply reply;
    mv_http_post_json(&server, "/api/convo_pilot/video", body, &reply);
    assert_int_equal(reply.status, 202);
    char job_id[64];
    snprintf(job_id, sizeof(job_id), "%s", mv_json_string(reply.json, NULL, "job_id"));
    mv_http_reply_free(&reply);

    /* the song is known once the download stage has ended */
    char path[256];
    snprintf(path, sizeof(path), "/api/convo_pilot/video/%s", job_id);
    const char *cover_url = NULL;
    for (int i = 0; i < 600 && cover_url == NULL; i++) {
        mv_http_get(&server, path, &reply);
        assert_int_equal(reply.status, 200);
        assert_non_null(song_of(&reply));
        cover_url = mv_json_string(song_of(&reply), NULL, "cover_url");
        if (cover_url == NULL) {
            mv_http_reply_free(&reply);
            usleep(100 * 1000);
        }
    }
    assert_non_null(cover_url);
    const cJSON *song = song_of(&reply);
    assert_string_equal(mv_json_string(song, NULL, "title"), "Neon Rain");
    assert_string_equal(mv_json_string(song, NULL, "artist"), "Lan");
    assert_string_equal(mv_json_string(song, NULL, "source_kind"), "suno");
    assert_string_equal(mv_json_string(song, NULL, "suno_id"), SUNO_FIX_ID);
    assert_non_null(strstr(mv_json_string(song, NULL, "tags"), "synthwave"));
    char expected[512];
    snprintf(expected, sizeof(expected), "%s/api/convo_pilot/video/%s/cover", server.base_url,
             job_id);
    assert_string_equal(cover_url, expected);
    mv_http_reply_free(&reply);

    mv_http_reply cover;
    assert_int_equal(mv_http("GET", expected, NULL, NULL, 0, NULL, &cover), 0);
    assert_int_equal(cover.status, 200);
    char value[128];
    assert_true(mv_http_header(&cover, "Content-Type", value, sizeof(value)));
    assert_string_equal(value, "image/jpeg");
    assert_true(cover.length > 4);
    assert_int_equal((unsigned char)cover.body[0], 0xff);
    assert_int_equal((unsigned char)cover.body[1], 0xd8);
    mv_http_reply_free(&cover);

    /* a job that never got its song has no cover: 404 JSON */
    mv_http_post_json(&server, "/api/convo_pilot/video",
                      "{\"url\":\"http://127.0.0.1:9/none.wav\",\"model_type\":\"procedural\"}",
                      &reply);
    assert_int_equal(reply.status, 202);
    char other[64];
    snprintf(other, sizeof(other), "%s", mv_json_string(reply.json, NULL, "job_id"));
    mv_http_reply_free(&reply);
    snprintf(path, sizeof(path), "/api/convo_pilot/video/%s/cover", other);
    mv_http_get(&server, path, &reply);
    assert_int_equal(reply.status, 404);
    assert_non_null(reply.json);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(reply.json, "success")));
    assert_non_null(strstr(mv_json_string(reply.json, NULL, "error"), "no cover"));
    mv_http_reply_free(&reply);

    /* OpenAPI lists it */
    mv_http_get(&server, "/api/openapi.json", &reply);
    assert_int_equal(reply.status, 200);
    const cJSON *paths = cJSON_GetObjectItemCaseSensitive(reply.json, "paths");
    assert_non_null(cJSON_GetObjectItemCaseSensitive(paths, "/api/convo_pilot/video/{job_id}/cover"));
    assert_non_null(strstr(reply.body, "\"Song\""));
    mv_http_reply_free(&reply);

    mv_test_wait_job(&server, job_id, 100, value, sizeof(value));
    mv_test_wait_job(&server, other, 30, value, sizeof(value));
    mv_test_server_stop(&server);
    assert_int_equal(server.exit_status, 0);
    mv_test_server_free(&server);
    suno_fixture_stop(&fx);
    mv_remove_tree(dir, NULL);
    free(bytes);
    free(mp3);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suno_song_status_and_cover),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
