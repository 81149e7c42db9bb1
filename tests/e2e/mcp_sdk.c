/*
 * mcp_sdk.c - the MCP endpoint end to end with the official MCP TypeScript SDK client: starts
 * a loopback fixture serving a synthesized 4 s song and the real maivid-server with an API key
 * (both on ephemeral 127.0.0.1 ports), then runs tests/mcp/mcp_e2e.mjs under node against
 * /mcp (see that script for the checks) and requires it to pass within its time bound. Skipped,
 * saying why, when node or the SDK (npm ci in tests/mcp, done by scripts/install-deps.sh) is
 * missing. Then, with libcurl alone: a tool call waiting on a job (wait_seconds 300) is answered
 * at once when the server is told to stop, which then exits cleanly within seconds.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "mv_test_skip.h"
#include "mv_test_util.h"
#include "server_harness.h"

#define MV_MCP_NODE_SECONDS 170 /* the script bounds itself at 150 s */

/* Runs `node script` with the environment set; its exit status (or -1 on timeout). */
static int mv_run_node(const char *script, const char *mcp_url, const char *key,
                       const char *song_url)
{
    pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the test */
        setenv("MAIVID_MCP_URL", mcp_url, 1);
        setenv("MAIVID_MCP_KEY", key, 1);
        setenv("MAIVID_MCP_SONG_URL", song_url, 1);
        execlp("node", "node", script, (char *)NULL);
        _exit(127);
    }
    if (pid < 0) {
        return -1;
    }
    for (int waited = 0; waited < MV_MCP_NODE_SECONDS * 10; waited++) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        struct timespec pause = {0, 100000000L};
        nanosleep(&pause, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

static int mv_node_available(void)
{
    return system("node --version >/dev/null 2>&1") == 0;
}

static void test_mcp_with_the_official_sdk(void **state)
{
    (void)state;
    char script[1024];
    char sdk[1024];
    snprintf(script, sizeof(script), "%s/tests/mcp/mcp_e2e.mjs", MAIVID_TEST_SOURCE_DIR);
    snprintf(sdk, sizeof(sdk), "%s/tests/mcp/node_modules/@modelcontextprotocol/sdk/package.json",
             MAIVID_TEST_SOURCE_DIR);
    struct stat info;
    if (!mv_node_available() || stat(sdk, &info) != 0) {
        MV_TEST_SKIP("node or the MCP SDK is missing: run scripts/install-deps.sh (apt nodejs "
                     "npm, then npm ci in tests/mcp)");
    }
    char song[2048];
    char *dir = mv_test_short_song("mcp-sdk", song, sizeof song);
    assert_non_null(dir);
    mv_fixture fixture;
    assert_int_equal(mv_fixture_start(&fixture, song), 0);
    mv_test_server server;
    const char *key = "mcp-test-key";
    const char *args[] = {"--allow-private-urls", "--api-key", key, NULL};
    assert_int_equal(mv_test_server_start(&server, NULL, args), 0);

    char mcp_url[128];
    char song_url[128];
    snprintf(mcp_url, sizeof(mcp_url), "%s/mcp", server.base_url);
    snprintf(song_url, sizeof(song_url), "%s/song.wav", fixture.base_url);
    int rc = mv_run_node(script, mcp_url, key, song_url);
    if (rc != 0) {
        char *log = mv_test_server_log(&server);
        fprintf(stderr, "node exited %d; server log:\n%s\n", rc, log);
        free(log);
    }
    mv_test_server_stop(&server);
    int exit_status = server.exit_status;
    mv_test_server_free(&server);
    mv_fixture_stop(&fixture);
    free(dir);
    assert_int_equal(rc, 0);
    assert_int_equal(exit_status, 0);
}

/* ---------------------------------------------------------------- shutdown during a wait */

typedef struct mv_waiting_call {
    const char *url;
    const char *session_header;
    const char *body;
    mv_http_reply reply;
} mv_waiting_call;

static void *mv_waiting_call_run(void *arg)
{
    mv_waiting_call *call = arg;
    const char *headers[] = {"Accept: application/json, text/event-stream", call->session_header,
                             NULL};
    mv_http("POST", call->url, "application/json", call->body, strlen(call->body), headers,
            &call->reply);
    return NULL;
}

static void test_stop_answers_a_waiting_call(void **state)
{
    (void)state;
    mv_fixture fixture;
    assert_int_equal(mv_fixture_start(&fixture, NULL), 0); /* /slow.wav stalls */
    mv_test_server server;
    const char *args[] = {"--allow-private-urls", NULL};
    assert_int_equal(mv_test_server_start(&server, NULL, args), 0);
    char url[128];
    snprintf(url, sizeof(url), "%s/mcp", server.base_url);
    static const char INIT[] =
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
        "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":"
        "\"test\",\"version\":\"1\"}}}";
    const char *accept[] = {"Accept: application/json, text/event-stream", NULL};
    mv_http_reply reply;
    assert_int_equal(mv_http("POST", url, "application/json", INIT, strlen(INIT), accept, &reply),
                     0);
    assert_int_equal(reply.status, 200);
    char session[80];
    assert_true(mv_http_header(&reply, "Mcp-Session-Id", session, sizeof(session)));
    mv_http_reply_free(&reply);

    char session_header[128];
    snprintf(session_header, sizeof(session_header), "Mcp-Session-Id: %s", session);
    char body[512];
    snprintf(body, sizeof(body),
             "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":"
             "\"create_video_from_url\",\"arguments\":{\"url\":\"%s/slow.wav\","
             "\"model_type\":\"procedural\",\"wait_seconds\":300}}}",
             fixture.base_url);
    mv_waiting_call call = {url, session_header, body, {0}};
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, mv_waiting_call_run, &call), 0);
    struct timespec pause = {1, 0};
    nanosleep(&pause, NULL); /* the call is waiting on the stalled download */
    mv_test_server_stop(&server);
    pthread_join(thread, NULL);
    double stop_seconds = server.stop_seconds;
    int exit_status = server.exit_status;
    mv_test_server_free(&server);
    mv_fixture_stop(&fixture);
    assert_int_equal(exit_status, 0);
    assert_true(stop_seconds < 10.0);
    assert_int_equal(call.reply.status, 200); /* answered with the state when it stopped */
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(call.reply.json, "result");
    const cJSON *structured = cJSON_GetObjectItemCaseSensitive(result, "structuredContent");
    const cJSON *job = cJSON_GetObjectItemCaseSensitive(structured, "job_status");
    assert_non_null(mv_json_string(job, NULL, "status"));
    mv_http_reply_free(&call.reply);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mcp_with_the_official_sdk),
        cmocka_unit_test(test_stop_answers_a_waiting_call),
    };
    return mv_test_exit_code(cmocka_run_group_tests(tests, NULL, NULL));
}
