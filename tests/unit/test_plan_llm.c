/*
 * test_plan_llm.c - the optional LLM prompt writer against a chat-completions server on
 * 127.0.0.1 (CivetWeb, started here): a good answer replaces the prompts (markers cleaned
 * out, fences tolerated, key and model sent); a bad answer, a wrong scene count, an empty
 * prompt, an HTTP error, a refused connection and a slow server (timeout) all fall back to
 * the built-in prompts with a warning that says why.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <civetweb.h>
#include <cjson/cJSON.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "plan/mv_plan.h"
#include "plan/mv_plan_parts.h"
#include "test_plan_song.h"

#define SCENES 3

typedef struct server {
    struct mg_context *ctx;
    int port;
    char last_body[65536];
    char last_auth[256];
} server;

typedef struct route {
    server *srv;
    const char *mode;
} route;

typedef struct fixture {
    server srv;
    route routes[8];
    mv_analysis a;
    mv_lyrics l;
    mv_plan_input in;
    char base[128];
    char url[256];
    char warnings[4096];
} fixture;

static void reply(struct mg_connection *conn, int status, const char *body)
{
    mg_printf(conn, "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
              "Connection: close\r\n\r\n%s", status, strlen(body), body);
}

/* A chat completion whose message content is `content`. */
static void reply_content(struct mg_connection *conn, const char *content)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *choices = cJSON_AddArrayToObject(root, "choices");
    cJSON *choice = cJSON_CreateObject();
    cJSON_AddItemToArray(choices, choice);
    cJSON *message = cJSON_AddObjectToObject(choice, "message");
    cJSON_AddStringToObject(message, "role", "assistant");
    cJSON_AddStringToObject(message, "content", content);
    char *text = cJSON_PrintUnformatted(root);
    reply(conn, 200, text);
    free(text);
    cJSON_Delete(root);
}

static int handle(struct mg_connection *conn, void *cbdata)
{
    route *r = cbdata;
    const struct mg_request_info *info = mg_get_request_info(conn);
    size_t got = 0;
    int n;
    while (got + 1 < sizeof r->srv->last_body &&
           (n = mg_read(conn, r->srv->last_body + got, sizeof r->srv->last_body - 1 - got)) > 0)
        got += (size_t)n;
    r->srv->last_body[got] = '\0';
    const char *auth = mg_get_header(conn, "Authorization");
    snprintf(r->srv->last_auth, sizeof r->srv->last_auth, "%s", auth ? auth : "");
    if (strcmp(info->request_method, "POST") != 0) {
        reply(conn, 405, "{}");
        return 405;
    }
    const char *mode = r->mode;
    if (strcmp(mode, "good") == 0 || strcmp(mode, "slow") == 0) {
        if (strcmp(mode, "slow") == 0)
            usleep(1500 * 1000);
        reply_content(conn,
                      "Here you go:\n```json\n[{\"prompt\": \"[Chorus] llm scene one, red sky\","
                      " \"negative_prompt\": \"llm negative\"},"
                      " {\"prompt\": \"llm scene two\", \"negative_prompt\": \"\"},"
                      " {\"prompt\": \"llm scene three\"}]\n```");
    } else if (strcmp(mode, "object") == 0) {
        reply_content(conn, "{\"scenes\": [{\"prompt\": \"obj one\"}, {\"prompt\": \"obj two\"},"
                            " {\"prompt\": \"obj three\"}]}");
    } else if (strcmp(mode, "bad") == 0) {
        reply_content(conn, "Sorry, I cannot write prompts today.");
    } else if (strcmp(mode, "count") == 0) {
        reply_content(conn, "[{\"prompt\": \"only one\"}, {\"prompt\": \"only two\"}]");
    } else if (strcmp(mode, "empty") == 0) {
        reply_content(conn, "[{\"prompt\": \"one\"}, {\"prompt\": \"\"}, {\"prompt\": \"x3\"}]");
    } else if (strcmp(mode, "garbage") == 0) {
        reply(conn, 200, "<html>not json</html>");
    } else {
        reply(conn, 500, "{\"error\": \"model not found\"}");
    }
    return 200;
}

static void collect_warning(void *user, const char *text)
{
    fixture *f = user;
    size_t used = strlen(f->warnings);
    snprintf(f->warnings + used, sizeof f->warnings - used, "%s\n", text);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    const char *options[] = {"listening_ports", "127.0.0.1:0", "num_threads", "4", NULL};
    struct mg_callbacks callbacks;
    memset(&callbacks, 0, sizeof callbacks);
    f->srv.ctx = mg_start(&callbacks, NULL, options);
    if (!f->srv.ctx)
        return -1;
    const char *modes[] = {"good", "slow", "object", "bad", "count", "empty", "garbage", "error"};
    for (size_t i = 0; i < 8; i++) {
        char uri[64];
        f->routes[i].srv = &f->srv;
        f->routes[i].mode = modes[i];
        snprintf(uri, sizeof uri, "/%s/v1/chat/completions", modes[i]);
        mg_set_request_handler(f->srv.ctx, uri, handle, &f->routes[i]);
    }
    struct mg_server_port ports[2];
    if (mg_get_server_ports(f->srv.ctx, 2, ports) < 1)
        return -1;
    f->srv.port = ports[0].port;
    static const double starts[] = {0.0, 10.0, 20.0};
    test_song_make(&f->a, 30.0, 120.0, 0.0, starts, NULL, 3);
    mv_error err;
    if (mv_lyrics_parse("[Verse]\nblue moon over the harbor\n[Chorus]\nred sky\n", &f->l, &err))
        return -1;
    f->in.analysis = &f->a;
    f->in.lyrics = &f->l;
    f->in.title = "Harbor";
    f->in.style_id = "anime";
    f->in.scene_count = SCENES;
    f->in.motion = "auto";
    f->in.transition = "auto";
    f->in.transition_duration = 0.5;
    f->in.seed = 1;
    f->in.llm.model = "test-model";
    f->in.llm.api_key = "sk-test";
    f->in.llm.timeout = 5.0;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    mg_stop(f->srv.ctx);
    mv_lyrics_free(&f->l);
    test_song_free(&f->a);
    free(f);
    return 0;
}

static void build_with(fixture *f, const char *mode, mv_plan *plan)
{
    snprintf(f->url, sizeof f->url, "http://127.0.0.1:%d/%s/", f->srv.port, mode);
    f->in.llm.url = f->url;
    f->warnings[0] = '\0';
    mv_task task = {NULL, NULL, NULL, collect_warning};
    task.user_data = f;
    mv_error err;
    mv_error_clear(&err);
    if (mv_plan_build(&f->in, plan, &task, &err) != MAIVID_OK)
        fail_msg("mv_plan_build: %s", err.message);
}

static void builtin(fixture *f, mv_plan *plan)
{
    mv_plan_input in = f->in;
    in.llm.url = NULL;
    mv_error err;
    assert_int_equal(mv_plan_build(&in, plan, NULL, &err), MAIVID_OK);
}

static void assert_fell_back(fixture *f, const char *mode, const char *why)
{
    mv_plan plan, reference;
    build_with(f, mode, &plan);
    builtin(f, &reference);
    assert_int_equal(plan.scene_count, SCENES);
    for (size_t i = 0; i < SCENES; i++) {
        assert_string_equal(plan.scenes[i].prompt, reference.scenes[i].prompt);
        assert_string_equal(plan.scenes[i].negative_prompt, reference.scenes[i].negative_prompt);
    }
    if (!strstr(f->warnings, "built-in") || !strstr(f->warnings, why))
        fail_msg("mode %s: warning \"%s\" does not say \"%s\"", mode, f->warnings, why);
    mv_plan_free(&plan);
    mv_plan_free(&reference);
}

static void test_good_answer(void **state)
{
    fixture *f = *state;
    mv_plan plan;
    build_with(f, "good", &plan);
    assert_string_equal(f->warnings, "");
    assert_int_equal(plan.scene_count, SCENES);
    assert_string_equal(plan.scenes[0].prompt, "llm scene one, red sky");
    assert_string_equal(plan.scenes[0].negative_prompt, "llm negative");
    assert_string_equal(plan.scenes[1].prompt, "llm scene two");
    /* no negative from the model: the style's stays */
    assert_non_null(strstr(plan.scenes[1].negative_prompt, "photorealistic"));
    assert_string_equal(plan.scenes[2].prompt, "llm scene three");
    /* what was asked: model, key, the scenes and their lyrics */
    assert_string_equal(f->srv.last_auth, "Bearer sk-test");
    cJSON *req = cJSON_Parse(f->srv.last_body);
    assert_non_null(req);
    assert_string_equal(cJSON_GetObjectItem(req, "model")->valuestring, "test-model");
    cJSON *messages = cJSON_GetObjectItem(req, "messages");
    assert_int_equal(cJSON_GetArraySize(messages), 2);
    const char *user =
        cJSON_GetObjectItem(cJSON_GetArrayItem(messages, 1), "content")->valuestring;
    assert_non_null(strstr(user, "exactly 3"));
    assert_non_null(strstr(user, "blue moon over the harbor"));
    cJSON_Delete(req);
    /* seeds, motion and timing stay the planner's */
    mv_plan reference;
    builtin(f, &reference);
    for (size_t i = 0; i < SCENES; i++) {
        assert_int_equal(plan.scenes[i].seed, reference.scenes[i].seed);
        assert_string_equal(plan.scenes[i].motion, reference.scenes[i].motion);
        assert_true(plan.scenes[i].start == reference.scenes[i].start);
    }
    mv_plan_free(&reference);
    mv_plan_free(&plan);
    build_with(f, "object", &plan);
    assert_string_equal(plan.scenes[2].prompt, "obj three");
    mv_plan_free(&plan);
}

static void test_bad_answers_fall_back(void **state)
{
    fixture *f = *state;
    assert_fell_back(f, "bad", "JSON array");
    assert_fell_back(f, "count", "2 scenes instead of 3");
    assert_fell_back(f, "empty", "scene 2");
    assert_fell_back(f, "garbage", "chat completion");
    assert_fell_back(f, "error", "HTTP 500");
}

static void test_slow_server_times_out(void **state)
{
    fixture *f = *state;
    f->in.llm.timeout = 0.3;
    double t0 = mv_monotonic();
    assert_fell_back(f, "slow", "no answer within 0.3 s");
    assert_true(mv_monotonic() - t0 < 1.4); /* did not wait for the 1.5 s answer */
}

static void test_refused_connection(void **state)
{
    fixture *f = *state;
    /* a port nobody listens on: bind one, read it, close it */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    socklen_t len = sizeof addr;
    getsockname(fd, (struct sockaddr *)&addr, &len);
    close(fd);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", ntohs(addr.sin_port));
    f->in.llm.url = url;
    f->warnings[0] = '\0';
    mv_task task = {NULL, f, NULL, collect_warning};
    mv_plan plan;
    mv_error err;
    assert_int_equal(mv_plan_build(&f->in, &plan, &task, &err), MAIVID_OK);
    assert_non_null(strstr(f->warnings, "check the LLM URL"));
    assert_int_equal(plan.scene_count, SCENES);
    mv_plan_free(&plan);
}

/* Cancels the job the moment the planner starts asking the model. */
static void cancel_on_llm(void *user, double fraction, const char *text)
{
    (void)fraction;
    if (text && strstr(text, "language model"))
        atomic_store((atomic_int *)user, 1);
}

static void test_cancel_during_request(void **state)
{
    fixture *f = *state;
    snprintf(f->url, sizeof f->url, "http://127.0.0.1:%d/slow", f->srv.port);
    f->in.llm.url = f->url;
    f->in.llm.timeout = 10.0;
    atomic_int cancel = 0;
    mv_task task = {cancel_on_llm, &cancel, &cancel, NULL};
    mv_plan plan;
    mv_error err;
    double t0 = mv_monotonic();
    assert_int_equal(mv_plan_build(&f->in, &plan, &task, &err), MAIVID_E_CANCELLED);
    assert_true(mv_monotonic() - t0 < 1.4);
    assert_null(plan.scenes);
}

int main(void)
{
    mg_init_library(0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_good_answer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_answers_fall_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slow_server_times_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refused_connection, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_during_request, setup, teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    mg_exit_library();
    return failed;
}
