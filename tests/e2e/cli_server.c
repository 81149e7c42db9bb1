/*
 * cli_server.c - end to end in --server mode (the captions of --lyrics saved beside the
 * video too): a real maivid-server on an ephemeral loopback
 * port (with an API key), a CivetWeb fixture serving the synthesized song, and maivid-cli
 * creating the job, following it, downloading the MP4 (checked with libavformat), listing,
 * showing status and the catalogs, and reporting refusals with the right exit codes.
 * Skips (saying why) only when the maivid-server binary has not been built.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <civetweb.h>
#include <cjson/cJSON.h>

#include "captions/mv_captions.h"
#include "cli_harness.h"
#include "mv_test_skip.h"
#include "mv_test_util.h"

#define MV_API_KEY "s3cret-key"

typedef struct mv_fixture {
    char *dir;
    char song_dir[4200], out_dir[4200], data_dir[4200];
    char song_url[256], server_url[128], server_arg[160];
    struct mg_context *web;
    pid_t server;
    char log[4300];
} mv_fixture;

static const char *mv_server_binary(void)
{
    const char *path = getenv("MAIVID_SERVER_BIN");
    return path && *path ? path : MAIVID_TEST_BINARY_DIR "/bin/maivid-server";
}

static int mv_setup(void **state)
{
    if (access(mv_server_binary(), X_OK) != 0) {
        fprintf(stderr, "SKIP: %s has not been built, so --server mode cannot be tested\n",
                mv_server_binary());
        return 0;
    }
    mv_fixture *f = calloc(1, sizeof *f);
    f->dir = mv_test_tmpdir("cli-server");
    assert_non_null(f->dir);
    snprintf(f->song_dir, sizeof f->song_dir, "%s/www", f->dir);
    snprintf(f->out_dir, sizeof f->out_dir, "%s/out", f->dir);
    snprintf(f->data_dir, sizeof f->data_dir, "%s/server-data", f->dir);
    assert_int_equal(mkdir(f->song_dir, 0755), 0);
    assert_int_equal(mkdir(f->out_dir, 0755), 0);
    char song[4300];
    snprintf(song, sizeof song, "%s/song.wav", f->song_dir);
    mv_test_song s = {.seconds = 6, .bpm = 120, .loud_start = 3, .loud_end = 5};
    assert_int_equal(mv_test_write_song_wav(song, &s), 0);

    const char *options[] = {"document_root", f->song_dir, "listening_ports", "127.0.0.1:0",
                             "num_threads", "2", NULL};
    f->web = mg_start(NULL, NULL, options);
    assert_non_null(f->web);
    struct mg_server_port ports[2];
    assert_true(mg_get_server_ports(f->web, 2, ports) >= 1);
    snprintf(f->song_url, sizeof f->song_url, "http://127.0.0.1:%d/song.wav", ports[0].port);

    const char *args[] = {"--listen", "127.0.0.1:0", "--data-dir", f->data_dir,
                          "--allow-private-urls", "--api-key", MV_API_KEY, NULL};
    snprintf(f->log, sizeof f->log, "%s/server.log", f->dir);
    f->server = mv_cli_spawn_logged(mv_server_binary(), args, NULL, f->dir, f->log);
    assert_true(f->server > 0);
    char *log = mv_cli_wait_for_file(f->log, "listening on http://127.0.0.1:", 30);
    if (!log)
        fprintf(stderr, "maivid-server did not say it was listening; see %s\n", f->log);
    assert_non_null(log);
    const char *at = strstr(log, "http://127.0.0.1:");
    int port = atoi(at + strlen("http://127.0.0.1:"));
    free(log);
    assert_true(port > 0);
    snprintf(f->server_url, sizeof f->server_url, "http://127.0.0.1:%d", port);
    snprintf(f->server_arg, sizeof f->server_arg, "MAIVID_SERVER=%s", f->server_url);
    *state = f;
    return 0;
}

static int mv_teardown(void **state)
{
    mv_fixture *f = *state;
    if (!f)
        return 0;
    int code = mv_cli_stop(f->server, SIGTERM, 20);
    if (code != 0)
        fprintf(stderr, "maivid-server exited with %d (log: %s)\n", code, f->log);
    mg_stop(f->web);
    free(f->dir);
    free(f);
    return 0;
}

#define MV_SKIP_WITHOUT_SERVER(f)                                                              \
    do {                                                                                       \
        if (!(f)) {                                                                            \
            MV_TEST_SKIP("maivid-server has not been built (MAIVID_SERVER=OFF)");              \
            return;                                                                            \
        }                                                                                      \
    } while (0)

static void test_remote_generate(void **state)
{
    mv_fixture *f = *state;
    MV_SKIP_WITHOUT_SERVER(f);
    char lyrics[4400];
    snprintf(lyrics, sizeof lyrics, "%s/song.srt", f->out_dir);
    const char *srt = "1\n00:00:01,000 --> 00:00:02,500\nHarbor lights\n\n"
                      "2\n00:00:03,000 --> 00:00:04,000\nSilver rain\n";
    assert_int_equal(mv_write_file_atomic(lyrics, srt, strlen(srt), NULL), MAIVID_OK);
    const char *args[] = {"--server", f->server_url, "--api-key", MV_API_KEY, "generate",
                          f->song_url, "--model", "procedural", "--resolution", "480p", "--fps",
                          "12", "-n", "2", "-o", "remote.mp4", "--json", "--lyrics", lyrics,
                          NULL};
    mv_cli_result r;
    mv_cli_run(args, NULL, f->out_dir, 240, &r);
    if (r.exit_code != 0)
        fprintf(stderr, "stderr: %s\nstdout: %s\n", r.err, r.out);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.err, "scene_generation"));
    cJSON *status = cJSON_Parse(r.out);
    assert_non_null(status);
    assert_string_equal(cJSON_GetObjectItem(status, "status")->valuestring, "completed");
    assert_string_equal(cJSON_GetObjectItem(status, "output_path")->valuestring, "remote.mp4");
    char job_id[64];
    snprintf(job_id, sizeof job_id, "%s", cJSON_GetObjectItem(status, "job_id")->valuestring);
    cJSON_Delete(status);
    mv_cli_result_free(&r);
    char path[4400];
    snprintf(path, sizeof path, "%s/remote.mp4", f->out_dir);
    double duration = 0;
    int width = 0, height = 0;
    assert_true(mv_cli_probe_video(path, &duration, &width, &height));
    assert_true(duration > 5.5 && duration < 6.5);
    assert_int_equal(height, 480);
    /* the captions came along, with the SRT's times */
    snprintf(path, sizeof path, "%s/remote.lrc", f->out_dir);
    char *text = NULL;
    assert_int_equal(mv_read_file(path, &text, NULL, NULL), MAIVID_OK);
    mv_timed_lyrics timed;
    mv_error err = {0};
    assert_int_equal(mv_user_timed_parse(text, 0, &timed, &err), MAIVID_OK);
    assert_int_equal(timed.line_count, 2);
    assert_true(fabs(timed.lines[0].end - 2.5) < 1e-3 && fabs(timed.lines[1].start - 3.0) < 1e-3);
    mv_timed_lyrics_free(&timed);
    free(text);
    snprintf(path, sizeof path, "%s/remote.srt", f->out_dir);
    assert_true(mv_file_exists(path));

    /* the environment works as well as the options */
    const char *env[] = {f->server_arg, "MAIVID_API_KEY=" MV_API_KEY, NULL};
    mv_cli_run((const char *[]){"status", job_id, "--json", NULL}, env, f->out_dir, 30, &r);
    assert_int_equal(r.exit_code, 0);
    status = cJSON_Parse(r.out);
    assert_string_equal(cJSON_GetObjectItem(status, "job_id")->valuestring, job_id);
    assert_string_equal(cJSON_GetObjectItem(status, "status")->valuestring, "completed");
    cJSON_Delete(status);
    mv_cli_result_free(&r);

    mv_cli_run((const char *[]){"list", NULL}, env, f->out_dir, 30, &r);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, job_id));
    mv_cli_result_free(&r);

    mv_cli_run((const char *[]){"list", "--json", NULL}, env, f->out_dir, 30, &r);
    assert_int_equal(r.exit_code, 0);
    cJSON *jobs = cJSON_Parse(r.out);
    assert_true(cJSON_IsArray(jobs));
    assert_true(cJSON_GetArraySize(jobs) >= 1);
    cJSON_Delete(jobs);
    mv_cli_result_free(&r);
}

static void test_remote_catalogs(void **state)
{
    mv_fixture *f = *state;
    MV_SKIP_WITHOUT_SERVER(f);
    const char *env[] = {f->server_arg, "MAIVID_API_KEY=" MV_API_KEY, NULL};
    mv_cli_result r;
    mv_cli_run((const char *[]){"styles", "--json", NULL}, env, f->out_dir, 30, &r);
    assert_int_equal(r.exit_code, 0);
    cJSON *styles = cJSON_Parse(r.out);
    assert_true(cJSON_IsArray(styles));
    assert_true(cJSON_GetArraySize(styles) >= 5);
    cJSON_Delete(styles);
    mv_cli_result_free(&r);
    mv_cli_run((const char *[]){"models", NULL}, env, f->out_dir, 30, &r);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "sdxl_turbo"));
    mv_cli_result_free(&r);
    mv_cli_run((const char *[]){"transitions", NULL}, env, f->out_dir, 30, &r);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "fade"));
    mv_cli_result_free(&r);
}

static void test_remote_refusals(void **state)
{
    mv_fixture *f = *state;
    MV_SKIP_WITHOUT_SERVER(f);
    mv_cli_result r;
    /* no API key: refused, and the message says how to pass one */
    const char *no_key[] = {f->server_arg, NULL};
    mv_cli_run((const char *[]){"styles", NULL}, no_key, f->out_dir, 30, &r);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "--api-key"));
    mv_cli_result_free(&r);
    const char *env[] = {f->server_arg, "MAIVID_API_KEY=" MV_API_KEY, NULL};
    /* an unknown style: the server's 400 names the valid values */
    mv_cli_run((const char *[]){"generate", f->song_url, "--style", "nosuch", NULL}, env,
               f->out_dir, 30, &r);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "nosuch"));
    mv_cli_result_free(&r);
    /* a local file cannot be sent to the server */
    char local[4400];
    snprintf(local, sizeof local, "%s/song.wav", f->song_dir);
    mv_cli_run((const char *[]){"generate", local, NULL}, env, f->out_dir, 30, &r);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "cannot read the local file"));
    mv_cli_result_free(&r);
    /* a song URL where nothing listens: the job fails with a fetch error, exit 3 */
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/song.mp3", mv_cli_closed_port());
    mv_cli_run((const char *[]){"generate", url, "--model", "procedural", NULL}, env, f->out_dir, 60, &r);
    if (r.exit_code != 3)
        fprintf(stderr, "stderr: %s\n", r.err);
    assert_int_equal(r.exit_code, 3);
    mv_cli_result_free(&r);
    /* an unknown job */
    mv_cli_run((const char *[]){"status", "job_20200101_000000_deadbeef", NULL}, env, f->out_dir, 30, &r);
    assert_int_equal(r.exit_code, 1);
    mv_cli_result_free(&r);
    /* only remote.mp4, its captions remote.srt and remote.lrc, and the lyrics song.srt */
    assert_int_equal(mv_cli_count_entries(f->out_dir), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_remote_generate),
        cmocka_unit_test(test_remote_catalogs),
        cmocka_unit_test(test_remote_refusals),
    };
    return mv_test_exit_code(cmocka_run_group_tests(tests, mv_setup, mv_teardown));
}
