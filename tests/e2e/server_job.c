/*
 * server_job.c - a whole job through maivid-server: a synthesized song served from a loopback
 * fixture, the built-in "procedural" painter at 480p/12 fps with 2 scenes, polled until it
 * completes; then the status's video_url, the MP4 with and without a Range request, the
 * thumbnail, the storyboard, the caption sidecars (from the job's LRC, read back with the same
 * times; 404 JSON for an unknown job), lyrics_timing in the status, the list entry and the
 * webhook POST (after one failed attempt, which the server retries).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "maivid/maivid.h"
#include "mv_test_util.h"
#include "captions/mv_captions.h"
#include "server_harness.h"

static void test_full_job_with_range_and_webhook(void **state)
{
    (void)state;
    char song[2048];
    char *dir = mv_test_short_song("server-job", song, sizeof song);
    assert_non_null(dir);

    mv_fixture fixture;
    assert_int_equal(mv_fixture_start(&fixture, song), 0);
    fixture.hook_failures_left = 1; /* the first delivery fails: the server must retry */
    mv_test_server server;
    const char *args[] = {"--allow-private-urls", "--log-format", "json", NULL};
    assert_int_equal(mv_test_server_start(&server, NULL, args), 0);

    char body[1024];
    snprintf(body, sizeof(body),
             "{\"url\":\"%s/song.wav\",\"model_type\":\"procedural\",\"resolution\":\"480p\","
             "\"fps\":12,\"scene_count\":2,\"transition_duration\":0.5,\"style\":\"cinematic\","
             "\"title\":\"Loopback Song\",\"callback_url\":\"%s/hook\","
             "\"lyrics\":\"[00:00.50]First line\\n[00:02.00]Second line\\n[00:03.50]\\n\"}",
             fixture.base_url, fixture.base_url);
    mv_http_reply reply;
    mv_http_post_json(&server, "/api/convo_pilot/video", body, &reply);
    if (reply.status != 202) {
        fprintf(stderr, "create: %ld %s\n", reply.status, reply.body);
    }
    assert_int_equal(reply.status, 202);
    char job_id[64];
    snprintf(job_id, sizeof(job_id), "%s", mv_json_string(reply.json, NULL, "job_id"));
    mv_http_reply_free(&reply);

    char final[32];
    mv_test_wait_job(&server, job_id, 50, final, sizeof(final));
    char path[256];
    snprintf(path, sizeof(path), "/api/convo_pilot/video/%s", job_id);
    mv_http_get(&server, path, &reply);
    if (strcmp(final, "completed") != 0) {
        char *log = mv_test_server_log(&server);
        fprintf(stderr, "job ended %s: %s\nserver log:\n%s\n", final, reply.body, log);
        free(log);
    }
    assert_string_equal(final, "completed");
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(reply.json, "job_status");
    assert_true(cJSON_GetObjectItemCaseSensitive(status, "overall_progress")->valuedouble ==
                100.0);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(status, "total_scenes")->valueint, 2);
    char video_url[512];
    snprintf(video_url, sizeof(video_url), "%s/api/convo_pilot/video/%s/file", server.base_url,
             job_id);
    assert_string_equal(mv_json_string(status, NULL, "video_url"), video_url);
    assert_non_null(mv_json_string(status, NULL, "thumbnail_url"));
    mv_http_reply_free(&reply);
    assert_true(mv_fixture_song_hits(&fixture) >= 1);

    /* The whole MP4. */
    mv_http_reply whole;
    assert_int_equal(mv_http("GET", video_url, NULL, NULL, 0, NULL, &whole), 0);
    assert_int_equal(whole.status, 200);
    char value[256];
    assert_true(mv_http_header(&whole, "Content-Type", value, sizeof(value)));
    assert_string_equal(value, "video/mp4");
    assert_true(whole.length > 1000);
    assert_memory_equal(whole.body + 4, "ftyp", 4);

    /* A Range request gets exactly those bytes. */
    const char *range[] = {"Range: bytes=100-199", NULL};
    mv_http_reply part;
    assert_int_equal(mv_http("GET", video_url, NULL, NULL, 0, range, &part), 0);
    assert_int_equal(part.status, 206);
    assert_int_equal(part.length, 100);
    assert_memory_equal(part.body, whole.body + 100, 100);
    assert_true(mv_http_header(&part, "Content-Range", value, sizeof(value)));
    char expected_range[64];
    snprintf(expected_range, sizeof(expected_range), "bytes 100-199/%zu", whole.length);
    assert_string_equal(value, expected_range);
    mv_http_reply_free(&part);
    const char *tail[] = {"Range: bytes=-10", NULL};
    assert_int_equal(mv_http("GET", video_url, NULL, NULL, 0, tail, &part), 0);
    assert_int_equal(part.status, 206);
    assert_int_equal(part.length, 10);
    assert_memory_equal(part.body, whole.body + whole.length - 10, 10);
    mv_http_reply_free(&part);
    const char *open_ended[] = {"Range: bytes=1000-", NULL};
    assert_int_equal(mv_http("GET", video_url, NULL, NULL, 0, open_ended, &part), 0);
    assert_int_equal(part.status, 206);
    assert_int_equal(part.length, whole.length - 1000);
    mv_http_reply_free(&part);
    char beyond_header[64];
    snprintf(beyond_header, sizeof(beyond_header), "Range: bytes=%zu-", whole.length);
    const char *beyond[] = {beyond_header, NULL};
    assert_int_equal(mv_http("GET", video_url, NULL, NULL, 0, beyond, &part), 0);
    assert_int_equal(part.status, 416);
    mv_http_reply_free(&part);
    mv_http_reply head;
    assert_int_equal(mv_http("HEAD", video_url, NULL, NULL, 0, NULL, &head), 0);
    assert_int_equal(head.status, 200);
    assert_true(mv_http_header(&head, "Content-Length", value, sizeof(value)));
    assert_int_equal(strtoull(value, NULL, 10), whole.length);
    assert_int_equal(head.length, 0);
    mv_http_reply_free(&head);
    mv_http_reply_free(&whole);

    /* Thumbnail, storyboard, list entry. */
    snprintf(path, sizeof(path), "/api/convo_pilot/video/%s/thumbnail", job_id);
    mv_http_get(&server, path, &reply);
    assert_int_equal(reply.status, 200);
    assert_true(mv_http_header(&reply, "Content-Type", value, sizeof(value)));
    assert_string_equal(value, "image/jpeg");
    assert_true(reply.length > 100);
    assert_int_equal((unsigned char)reply.body[0], 0xff);
    assert_int_equal((unsigned char)reply.body[1], 0xd8);
    mv_http_reply_free(&reply);
    snprintf(path, sizeof(path), "/api/convo_pilot/video/%s/storyboard", job_id);
    mv_http_get(&server, path, &reply);
    assert_int_equal(reply.status, 200);
    const cJSON *scenes = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(reply.json, "storyboard"), "scenes");
    assert_int_equal(cJSON_GetArraySize(scenes), 2);
    mv_http_reply_free(&reply);
    mv_http_get(&server, "/api/convo_pilot/videos", &reply);
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(reply.json, "jobs"),
                                            0);
    assert_string_equal(mv_json_string(first, NULL, "job_id"), job_id);
    assert_string_equal(mv_json_string(first, NULL, "status"), "completed");
    assert_non_null(mv_json_string(first, NULL, "video_url"));
    mv_http_reply_free(&reply);

    /* The caption sidecars, each with its type, parsed back with the same times. */
    static const struct {
        const char *ext, *type;
    } captions[] = {{"srt", "application/x-subrip; charset=utf-8"},
                    {"vtt", "text/vtt; charset=utf-8"},
                    {"lrc", "text/plain; charset=utf-8"},
                    {"ass", "text/x-ssa; charset=utf-8"}};
    for (size_t c = 0; c < sizeof captions / sizeof captions[0]; c++) {
        snprintf(path, sizeof(path), "/api/convo_pilot/video/%s/captions.%s", job_id,
                 captions[c].ext);
        mv_http_get(&server, path, &reply);
        assert_int_equal(reply.status, 200);
        assert_true(mv_http_header(&reply, "Content-Type", value, sizeof(value)));
        assert_string_equal(value, captions[c].type);
        if (c < 3) {
            mv_timed_lyrics timed;
            mv_error err = {0};
            assert_int_equal(mv_user_timed_parse(reply.body, 0, &timed, &err), MAIVID_OK);
            assert_int_equal(timed.line_count, 2);
            assert_string_equal(timed.lines[1].text, "Second line");
            assert_true(fabs(timed.lines[0].start - 0.5) < 1e-3);
            assert_true(fabs(timed.lines[0].end - 2.0) < 1e-3);
            assert_true(fabs(timed.lines[1].end - 3.5) < 1e-3);
            mv_timed_lyrics_free(&timed);
        } else {
            assert_non_null(strstr(reply.body, "Dialogue: 0,0:00:02.00,0:00:03.50,Lyrics,,0,0,0,,"
                                               "Second line\n"));
        }
        mv_http_reply_free(&reply);
    }
    mv_http_get(&server, "/api/convo_pilot/video/job_20250101_000000_00000000/captions.srt",
                &reply);
    assert_int_equal(reply.status, 404);
    assert_non_null(reply.json);
    mv_http_reply_free(&reply);
    snprintf(path, sizeof(path), "/api/convo_pilot/video/%s", job_id);
    mv_http_get(&server, path, &reply);
    const cJSON *timing = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(reply.json, "job_status"), "lyrics_timing");
    assert_true(cJSON_IsObject(timing));
    assert_string_equal(mv_json_string(timing, NULL, "source"), "user");
    mv_http_reply_free(&reply);

    /* The webhook arrives after one retry (backoff 1 s). */
    for (int i = 0; i < 100 && mv_fixture_hook_count(&fixture) == 0; i++) {
        struct timespec pause = {0, 100000000L};
        nanosleep(&pause, NULL);
    }
    assert_int_equal(mv_fixture_hook_count(&fixture), 1);
    pthread_mutex_lock(&fixture.lock);
    cJSON *hook = cJSON_Parse(fixture.hook_body);
    pthread_mutex_unlock(&fixture.lock);
    assert_non_null(hook);
    assert_string_equal(mv_json_string(hook, NULL, "event"), "job.completed");
    assert_string_equal(mv_json_string(hook, NULL, "job_id"), job_id);
    assert_string_equal(mv_json_string(hook, "job_status", "status"), "completed");
    cJSON_Delete(hook);

    /* JSON log lines: access and job state lines parse as JSON. */
    char *log = mv_test_server_log(&server);
    assert_non_null(strstr(log, "\"kind\":\"access\""));
    assert_non_null(strstr(log, "\"kind\":\"job\""));
    assert_non_null(strstr(log, "\"kind\":\"webhook\""));
    free(log);

    mv_test_server_stop(&server);
    assert_int_equal(server.exit_status, 0);
    mv_test_server_free(&server);
    mv_fixture_stop(&fixture);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_job_with_range_and_webhook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
