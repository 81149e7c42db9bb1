/*
 * server_retention.c - --keep-days and --max-data-size through maivid-server: two jobs run to
 * completion; one is made to look ten days old (its job.json's completed_at moved back);
 * a restart with --keep-days 2 removes it and keeps the other, and a restart with
 * --max-data-size below what is left removes the rest, while a job queued behind a stalled
 * download is never touched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "maivid/maivid.h"
#include "mv_test_util.h"
#include "server_harness.h"
#include "util/mv_common.h"

static void submit(const mv_test_server *server, const char *url, char *job_id, size_t size)
{
    char body[1024];
    snprintf(body, sizeof(body),
             "{\"url\":\"%s\",\"model_type\":\"procedural\",\"resolution\":\"480p\","
             "\"fps\":12,\"scene_count\":1,\"transition_duration\":0.5}",
             url);
    mv_http_reply reply;
    mv_http_post_json(server, "/api/convo_pilot/video", body, &reply);
    if (reply.status != 202) {
        fail_msg("create: %ld %s", reply.status, reply.body);
    }
    snprintf(job_id, size, "%s", mv_json_string(reply.json, NULL, "job_id"));
    mv_http_reply_free(&reply);
}

static long status_code(const mv_test_server *server, const char *job_id)
{
    char path[256];
    snprintf(path, sizeof(path), "/api/convo_pilot/video/%s", job_id);
    mv_http_reply reply;
    mv_http_get(server, path, &reply);
    long status = reply.status;
    mv_http_reply_free(&reply);
    return status;
}

/* Moves the job's end ten days back in its stored record. */
static void age_job(const char *data_dir, const char *job_id, double days)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/jobs/%s/job.json", data_dir, job_id);
    char *text = NULL;
    assert_int_equal(mv_read_file(path, &text, NULL, NULL), MAIVID_OK);
    cJSON *record = cJSON_Parse(text);
    free(text);
    assert_non_null(record);
    cJSON *completed = cJSON_GetObjectItemCaseSensitive(record, "completed_at");
    assert_true(cJSON_IsNumber(completed));
    cJSON_SetNumberValue(completed, completed->valuedouble - days * 86400.0);
    char *out = cJSON_Print(record);
    assert_int_equal(mv_write_file_atomic(path, out, strlen(out), NULL), MAIVID_OK);
    free(out);
    cJSON_Delete(record);
}

static int job_dir_exists(const char *data_dir, const char *job_id)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/jobs/%s", data_dir, job_id);
    return access(path, F_OK) == 0;
}

static void test_keep_days_and_max_data_size(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("server-retention");
    assert_non_null(dir);
    char song[2048], data_dir[2048];
    snprintf(song, sizeof(song), "%s/song.wav", dir);
    snprintf(data_dir, sizeof(data_dir), "%s/data", dir);
    mv_test_song spec = {.seconds = 2.0, .bpm = 120, .loud_start = 0.5, .loud_end = 1.5,
                         .sample_rate = 22050, .channels = 1};
    assert_int_equal(mv_test_write_song_wav(song, &spec), 0);
    mv_fixture fixture;
    assert_int_equal(mv_fixture_start(&fixture, song), 0);
    char song_url[256], slow_url[256];
    snprintf(song_url, sizeof(song_url), "%s/song.wav", fixture.base_url);
    snprintf(slow_url, sizeof(slow_url), "%s/slow.wav", fixture.base_url);

    mv_test_server server;
    const char *plain[] = {"--allow-private-urls", NULL};
    assert_int_equal(mv_test_server_start(&server, data_dir, plain), 0);
    char old_job[64], new_job[64], stalled[64];
    submit(&server, song_url, old_job, sizeof(old_job));
    submit(&server, song_url, new_job, sizeof(new_job));
    char final[32];
    mv_test_wait_job(&server, old_job, 60, final, sizeof(final));
    assert_string_equal(final, "completed");
    mv_test_wait_job(&server, new_job, 60, final, sizeof(final));
    assert_string_equal(final, "completed");
    /* A job whose download stalls: running when the server stops, resumed (and stalled
     * again) by every restart below, so never ended. */
    submit(&server, slow_url, stalled, sizeof(stalled));
    for (int i = 0; i < 100 && mv_fixture_song_hits(&fixture) < 3; i++) {
        struct timespec pause = {0, 50000000L};
        nanosleep(&pause, NULL);
    }
    mv_test_server_stop(&server);
    assert_int_equal(server.exit_status, 0);
    mv_test_server_free(&server);
    age_job(data_dir, old_job, 10);
    age_job(data_dir, new_job, 0.5);

    /* --keep-days 2: the ten-day-old job goes at start, the half-day-old one stays. */
    const char *keep[] = {"--allow-private-urls", "--keep-days", "2", NULL};
    assert_int_equal(mv_test_server_start(&server, data_dir, keep), 0);
    assert_int_equal(status_code(&server, old_job), 404);
    assert_false(job_dir_exists(data_dir, old_job));
    assert_int_equal(status_code(&server, new_job), 200);
    assert_int_equal(status_code(&server, stalled), 200);
    char *log = mv_test_server_log(&server);
    assert_non_null(strstr(log, "ended 10.0 days ago"));
    free(log);
    mv_test_server_stop(&server);
    mv_test_server_free(&server);

    /* --max-data-size 1K: every ended job goes; the running one stays. */
    const char *cap[] = {"--allow-private-urls", "--max-data-size", "1K", NULL};
    assert_int_equal(mv_test_server_start(&server, data_dir, cap), 0);
    assert_int_equal(status_code(&server, new_job), 404);
    assert_false(job_dir_exists(data_dir, new_job));
    assert_int_equal(status_code(&server, stalled), 200);
    assert_true(job_dir_exists(data_dir, stalled));
    mv_test_server_stop(&server);
    mv_test_server_free(&server);

    mv_fixture_stop(&fixture);
    mv_remove_tree(dir, NULL);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keep_days_and_max_data_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
