/*
 * server_limits.c - maivid-server's edges: the API key (401, X-API-Key, Bearer,
 * MAIVID_API_KEY), a full queue (429 with Retry-After), the lowered priority of the thread
 * running a job, a quick clean shutdown on SIGTERM while a job is downloading and its resumption on the next start, the URL policy without
 * --allow-private-urls, ComfyUI reachability in /api/health, and the command line (--help, --version, bad flags, a port in use).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "maivid/maivid.h"
#include "server_harness.h"

static void sleep_ms(int ms)
{
    struct timespec pause = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

/* The largest nice value among the threads of process `pid`. */
static int max_thread_nice(pid_t pid)
{
    char path[128];
    snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
    DIR *tasks = opendir(path);
    assert_non_null(tasks);
    int highest = -100;
    struct dirent *entry;
    while ((entry = readdir(tasks)) != NULL) {
        if (entry->d_name[0] == '.') {
            continue;
        }
        char stat_path[512];
        snprintf(stat_path, sizeof(stat_path), "%s/%s/stat", path, entry->d_name);
        FILE *file = fopen(stat_path, "r");
        if (file == NULL) {
            continue;
        }
        char line[1024] = "";
        size_t n = fread(line, 1, sizeof(line) - 1, file);
        line[n] = '\0';
        fclose(file);
        const char *after = strrchr(line, ')'); /* fields after the command name */
        int field = 2;
        long nice_value = 0;
        for (const char *p = after; p != NULL && *p != '\0'; p++) {
            if (*p == ' ' && ++field == 19) {
                nice_value = strtol(p + 1, NULL, 10);
                break;
            }
        }
        if (field == 19 && nice_value > highest) {
            highest = (int)nice_value;
        }
    }
    closedir(tasks);
    return highest;
}

static void test_api_key(void **state)
{
    (void)state;
    mv_test_server server;
    const char *args[] = {"--api-key", "s3cret-key", NULL};
    assert_int_equal(mv_test_server_start(&server, NULL, args), 0);
    char url[256];
    snprintf(url, sizeof(url), "%s/api/convo_pilot/models", server.base_url);
    mv_http_reply reply;

    mv_http("GET", url, NULL, NULL, 0, NULL, &reply);
    assert_int_equal(reply.status, 401);
    assert_non_null(strstr(mv_json_string(reply.json, NULL, "error"), "X-API-Key"));
    mv_http_reply_free(&reply);
    const char *wrong[] = {"X-API-Key: s3cret-kez", NULL};
    mv_http("GET", url, NULL, NULL, 0, wrong, &reply);
    assert_int_equal(reply.status, 401);
    mv_http_reply_free(&reply);
    const char *prefix[] = {"X-API-Key: s3cret", NULL};
    mv_http("GET", url, NULL, NULL, 0, prefix, &reply);
    assert_int_equal(reply.status, 401);
    mv_http_reply_free(&reply);
    const char *right[] = {"X-API-Key: s3cret-key", NULL};
    mv_http("GET", url, NULL, NULL, 0, right, &reply);
    assert_int_equal(reply.status, 200);
    mv_http_reply_free(&reply);
    const char *bearer[] = {"Authorization: Bearer s3cret-key", NULL};
    mv_http("GET", url, NULL, NULL, 0, bearer, &reply);
    assert_int_equal(reply.status, 200);
    mv_http_reply_free(&reply);
    /* A create without the key is refused before its body is looked at. */
    snprintf(url, sizeof(url), "%s/api/convo_pilot/video", server.base_url);
    mv_http("POST", url, "application/json", "{}", 2, NULL, &reply);
    assert_int_equal(reply.status, 401);
    mv_http_reply_free(&reply);
    /* Health stays open for probes. */
    mv_http_get(&server, "/api/health", &reply);
    assert_int_equal(reply.status, 200);
    mv_http_reply_free(&reply);
    mv_test_server_free(&server);

    /* The key from the environment. */
    setenv("MAIVID_API_KEY", "from-env", 1);
    assert_int_equal(mv_test_server_start(&server, NULL, NULL), 0);
    unsetenv("MAIVID_API_KEY");
    mv_http_get(&server, "/api/convo_pilot/styles", &reply);
    assert_int_equal(reply.status, 401);
    mv_http_reply_free(&reply);
    snprintf(url, sizeof(url), "%s/api/convo_pilot/styles", server.base_url);
    const char *env_key[] = {"X-API-Key: from-env", NULL};
    mv_http("GET", url, NULL, NULL, 0, env_key, &reply);
    assert_int_equal(reply.status, 200);
    mv_http_reply_free(&reply);
    mv_test_server_free(&server);
}

/* Jobs whose download stalls fill the queue; SIGTERM while one downloads stops quickly;
 * the next start finds the jobs again. */
static void test_queue_full_shutdown_and_resume(void **state)
{
    (void)state;
    mv_fixture fixture;
    assert_int_equal(mv_fixture_start(&fixture, NULL), 0);
    mv_test_server server;
    const char *args[] = {"--allow-private-urls", "--workers", "1", "--queue-limit", "1", NULL};
    assert_int_equal(mv_test_server_start(&server, NULL, args), 0);
    char body[512];
    snprintf(body, sizeof(body), "{\"url\":\"%s/slow.wav\",\"model_type\":\"procedural\"}",
             fixture.base_url);
    char first_job[64] = "";
    int created = 0;
    int refused = 0;
    for (int i = 0; i < 5 && !refused; i++) {
        mv_http_reply reply;
        mv_http_post_json(&server, "/api/convo_pilot/video", body, &reply);
        if (reply.status == 202) {
            if (created++ == 0) {
                snprintf(first_job, sizeof(first_job), "%s",
                         mv_json_string(reply.json, NULL, "job_id"));
                /* let the worker take it, so the next one waits in the queue */
                for (int w = 0; w < 100 && mv_fixture_song_hits(&fixture) == 0; w++) {
                    sleep_ms(50);
                }
            }
        } else {
            assert_int_equal(reply.status, 429);
            char retry[16];
            assert_true(mv_http_header(&reply, "Retry-After", retry, sizeof(retry)));
            assert_non_null(strstr(mv_json_string(reply.json, NULL, "error"), "queue is full"));
            refused = 1;
        }
        mv_http_reply_free(&reply);
    }
    assert_true(refused);
    assert_true(created >= 1 && created <= 3);
    assert_int_equal(mv_fixture_song_hits(&fixture), 1); /* one job is downloading */
    /* The thread running it yields to the HTTP threads (--render-nice, default 10). */
    assert_int_equal(max_thread_nice(server.pid), 10);

    mv_http_reply reply;
    mv_http_get(&server, "/api/health", &reply);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(reply.json, "workers_busy")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(reply.json, "queue_length")->valueint,
                     created - 1);
    mv_http_reply_free(&reply);

    char data_dir[2048];
    snprintf(data_dir, sizeof(data_dir), "%s", server.data_dir);
    mv_test_server_stop(&server);
    assert_int_equal(server.exit_status, 0);
    assert_true(server.stop_seconds < 5.0);
    char *log = mv_test_server_log(&server);
    assert_non_null(strstr(log, "SIGTERM"));
    free(log);
    mv_test_server_free(&server);

    /* The next start knows the jobs (and resumes the interrupted one). */
    const char *again[] = {"--allow-private-urls", "--workers", "1", NULL};
    assert_int_equal(mv_test_server_start(&server, data_dir, again), 0);
    char path[256];
    snprintf(path, sizeof(path), "/api/convo_pilot/video/%s", first_job);
    mv_http_get(&server, path, &reply);
    assert_int_equal(reply.status, 200);
    const char *status = mv_json_string(reply.json, "job_status", "status");
    assert_true(strcmp(status, "queued") == 0 || strcmp(status, "running") == 0);
    mv_http_reply_free(&reply);
    mv_test_server_stop(&server);
    assert_int_equal(server.exit_status, 0);
    assert_true(server.stop_seconds < 5.0);
    mv_test_server_free(&server);
    mv_fixture_stop(&fixture);
}

/* Without --allow-private-urls the server never fetches from loopback. */
static void test_private_urls_refused_by_default(void **state)
{
    (void)state;
    mv_fixture fixture;
    assert_int_equal(mv_fixture_start(&fixture, NULL), 0);
    mv_test_server server;
    assert_int_equal(mv_test_server_start(&server, NULL, NULL), 0);
    char body[512];
    snprintf(body, sizeof(body), "{\"url\":\"%s/slow.wav\"}", fixture.base_url);
    mv_http_reply reply;
    mv_http_post_json(&server, "/api/convo_pilot/video", body, &reply);
    if (reply.status == 202) { /* refused when fetched: the job fails */
        char job_id[64];
        snprintf(job_id, sizeof(job_id), "%s", mv_json_string(reply.json, NULL, "job_id"));
        char final[32];
        mv_test_wait_job(&server, job_id, 20, final, sizeof(final));
        assert_string_equal(final, "failed");
    } else {
        assert_int_equal(reply.status, 400);
    }
    mv_http_reply_free(&reply);
    assert_int_equal(mv_fixture_song_hits(&fixture), 0);
    mv_test_server_free(&server);
    mv_fixture_stop(&fixture);
}

/* Health reports each --comfyui server as reachable or not. */
static void test_health_probes_comfyui(void **state)
{
    (void)state;
    mv_fixture fixture;
    assert_int_equal(mv_fixture_start(&fixture, NULL), 0);
    mv_test_server server;
    const char *args[] = {"--comfyui", fixture.base_url, "--comfyui", "http://127.0.0.1:1",
                          "--allow-private-urls", NULL};
    assert_int_equal(mv_test_server_start(&server, NULL, args), 0);
    mv_http_reply reply;
    mv_http_get(&server, "/api/health", &reply);
    assert_int_equal(reply.status, 200);
    const cJSON *comfyui = cJSON_GetObjectItemCaseSensitive(reply.json, "comfyui");
    assert_int_equal(cJSON_GetArraySize(comfyui), 2);
    assert_string_equal(mv_json_string(cJSON_GetArrayItem(comfyui, 0), NULL, "url"),
                        fixture.base_url);
    assert_true(cJSON_IsTrue(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(comfyui, 0), "reachable")));
    assert_true(cJSON_IsFalse(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(comfyui, 1), "reachable")));
    mv_http_reply_free(&reply);
    mv_test_server_free(&server);
    mv_fixture_stop(&fixture);
}

/* Runs the binary with args; returns its exit code and its output in *out. */
static int run_binary(const char *const *args, char **out)
{
    char command[4096];
    int used = snprintf(command, sizeof(command), "'%s'", mv_test_server_binary());
    for (size_t i = 0; args[i] != NULL; i++) {
        used += snprintf(command + used, sizeof(command) - (size_t)used, " '%s'", args[i]);
    }
    snprintf(command + used, sizeof(command) - (size_t)used, " 2>&1");
    FILE *pipe = popen(command, "r");
    assert_non_null(pipe);
    char *text = calloc(1, 65536);
    size_t length = fread(text, 1, 65535, pipe);
    text[length] = '\0';
    int status = pclose(pipe);
    *out = text;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_command_line(void **state)
{
    (void)state;
    char *out = NULL;
    const char *help[] = {"--help", NULL};
    assert_int_equal(run_binary(help, &out), 0);
    assert_non_null(strstr(out, "--listen"));
    assert_non_null(strstr(out, "--api-key"));
    assert_non_null(strstr(out, "--allow-private-urls"));
    assert_non_null(strstr(out, "--keep-days"));
    assert_non_null(strstr(out, "--max-data-size"));
    free(out);
    const char *version[] = {"--version", NULL};
    assert_int_equal(run_binary(version, &out), 0);
    assert_non_null(strstr(out, MAIVID_VERSION_STRING));
    free(out);
    const char *bad[] = {"--no-such-flag", NULL};
    assert_int_equal(run_binary(bad, &out), 2);
    assert_non_null(strstr(out, "--no-such-flag"));
    free(out);
    const char *bad_workers[] = {"--workers", "many", NULL};
    assert_int_equal(run_binary(bad_workers, &out), 2);
    assert_non_null(strstr(out, "--workers"));
    free(out);
    const char *bad_format[] = {"--log-format", "xml", NULL};
    assert_int_equal(run_binary(bad_format, &out), 2);
    free(out);
    const char *bad_keep[] = {"--keep-days", "-1", NULL};
    assert_int_equal(run_binary(bad_keep, &out), 2);
    assert_non_null(strstr(out, "--keep-days '-1' is not a number of days"));
    free(out);
    const char *bad_size[] = {"--max-data-size", "12X", NULL};
    assert_int_equal(run_binary(bad_size, &out), 2);
    assert_non_null(strstr(out, "--max-data-size '12X' is not a size"));
    free(out);

    /* A port in use: the error says so and how to pick another. */
    mv_test_server server;
    assert_int_equal(mv_test_server_start(&server, NULL, NULL), 0);
    char listen[64];
    snprintf(listen, sizeof(listen), "127.0.0.1:%d", server.port);
    char data[2100];
    snprintf(data, sizeof(data), "%s-second", server.data_dir);
    const char *taken[] = {"--listen", listen, "--data-dir", data, NULL};
    assert_int_equal(run_binary(taken, &out), 1);
    assert_non_null(strstr(out, listen));
    assert_non_null(strstr(out, "--listen 127.0.0.1:8420"));
    free(out);
    mv_test_server_free(&server);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_api_key),
        cmocka_unit_test(test_queue_full_shutdown_and_resume),
        cmocka_unit_test(test_private_urls_refused_by_default),
        cmocka_unit_test(test_health_probes_comfyui),
        cmocka_unit_test(test_command_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
