/*
 * server_webhooks.c - webhooks of maivid-server: a callback_url the library's URL policy
 * refuses is refused at create (400 naming the policy: loopback, NAT64, 6to4, benchmarking
 * and IETF addresses); a delivery carries the Standard Webhooks headers, and its signature
 * (secret given as whsec_ + base64 in --webhook-secret-file) is verified independently by
 * the openssl command-line tool; a receiver that stalls mid-reply times out without holding
 * up the API or the shutdown.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <civetweb.h>
#include <cmocka.h>

#include "mv_test_util.h"
#include "server_harness.h"

#define DEAD_SONG "http://127.0.0.1:1/song.mp3" /* port 1: nothing listens: the job fails */
/* The secret of the Standard Webhooks specification's test vector (24 bytes). */
#define SECRET "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

static void sleep_ms(int ms)
{
    struct timespec pause = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

/* ---------------------------------------------------------------- receiver */

typedef struct receiver {
    struct mg_context *ctx;
    int port;
    pthread_mutex_t lock;
    int count;               /* POSTs to /hook */
    char id[256], timestamp[64], signature[256];
    char *body;
    int stalls;              /* requests that reached /stall */
    int release;             /* /stall returns once set */
} receiver;

static int on_hook(struct mg_connection *conn, void *data)
{
    receiver *r = data;
    char *body = calloc(1, 1 << 20);
    int used = 0, n;
    while (used < (1 << 20) - 1 && (n = mg_read(conn, body + used, (size_t)((1 << 20) - 1 - used))) > 0) {
        used += n;
    }
    pthread_mutex_lock(&r->lock);
    const char *id = mg_get_header(conn, "webhook-id");
    const char *stamp = mg_get_header(conn, "webhook-timestamp");
    const char *signature = mg_get_header(conn, "webhook-signature");
    snprintf(r->id, sizeof(r->id), "%s", id != NULL ? id : "");
    snprintf(r->timestamp, sizeof(r->timestamp), "%s", stamp != NULL ? stamp : "");
    snprintf(r->signature, sizeof(r->signature), "%s", signature != NULL ? signature : "");
    free(r->body);
    r->body = body;
    r->count++;
    pthread_mutex_unlock(&r->lock);
    mg_printf(conn, "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    return 204;
}

/* Sends the status line and one header, then goes silent until released (30 s at most). */
static int on_stall(struct mg_connection *conn, void *data)
{
    receiver *r = data;
    pthread_mutex_lock(&r->lock);
    r->stalls++;
    pthread_mutex_unlock(&r->lock);
    mg_printf(conn, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n");
    for (int i = 0; i < 300; i++) {
        pthread_mutex_lock(&r->lock);
        int done = r->release;
        pthread_mutex_unlock(&r->lock);
        if (done) {
            break;
        }
        sleep_ms(100);
    }
    return 200;
}

static void receiver_start(receiver *r)
{
    memset(r, 0, sizeof(*r));
    pthread_mutex_init(&r->lock, NULL);
    const char *options[] = {"listening_ports", "127.0.0.1:0", "num_threads", "4", NULL, NULL};
    struct mg_callbacks callbacks;
    memset(&callbacks, 0, sizeof(callbacks));
    r->ctx = mg_start(&callbacks, r, options);
    assert_non_null(r->ctx);
    mg_set_request_handler(r->ctx, "/hook$", on_hook, r);
    mg_set_request_handler(r->ctx, "/stall$", on_stall, r);
    struct mg_server_port ports[1];
    assert_int_equal(mg_get_server_ports(r->ctx, 1, ports), 1);
    r->port = ports[0].port;
}

static void receiver_stop(receiver *r)
{
    pthread_mutex_lock(&r->lock);
    r->release = 1;
    pthread_mutex_unlock(&r->lock);
    mg_stop(r->ctx);
    free(r->body);
    pthread_mutex_destroy(&r->lock);
}

/* ---------------------------------------------------------------- tests */

static void create_with_callback(const mv_test_server *server, const char *song,
                                 const char *callback, mv_http_reply *reply)
{
    char body[1024];
    snprintf(body, sizeof(body), "{\"url\":\"%s\",\"callback_url\":\"%s\"}", song, callback);
    assert_int_equal(mv_http_post_json(server, "/api/convo_pilot/video", body, reply), 0);
}

static void test_refused_callback_urls(void **state)
{
    (void)state;
    mv_test_server server;
    assert_int_equal(mv_test_server_start(&server, NULL, NULL), 0);
    const char *refused[] = {
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://[64:ff9b::a00:1]/hook",   /* NAT64 of 10.0.0.1 */
        "http://[2002:c0a8:101::1]/hook", /* 6to4 of 192.168.1.1 */
        "http://198.18.0.7/hook",         /* benchmarking */
        "http://192.0.0.8/hook",          /* IETF protocol assignments */
        "http://2130706433/hook",         /* 127.0.0.1 spelled as one number */
        "ftp://example.com/hook",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        mv_http_reply reply;
        create_with_callback(&server, "https://example.com/song.mp3", refused[i], &reply);
        if (reply.status != 400) {
            fail_msg("callback_url %s: HTTP %ld, expected 400: %s", refused[i], reply.status,
                     reply.body);
        }
        assert_string_equal(mv_json_string(reply.json, NULL, "field"), "callback_url");
        const char *error = mv_json_string(reply.json, NULL, "error");
        assert_non_null(error);
        if (i + 1 < sizeof(refused) / sizeof(refused[0])) {
            assert_non_null(strstr(error, "URL policy"));
            assert_non_null(strstr(error, "--allow-private-urls"));
        }
        mv_http_reply_free(&reply);
    }
    /* nothing was queued */
    mv_http_reply list;
    assert_int_equal(mv_http_get(&server, "/api/convo_pilot/videos", &list), 0);
    assert_int_equal(list.status, 200);
    assert_null(strstr(list.body, "job_"));
    mv_http_reply_free(&list);
    mv_test_server_stop(&server);
    mv_test_server_free(&server);
}

/* The signature recomputed by `openssl dgst` over the exact bytes received. */
static void openssl_signature(const char *dir, const char *signed_text, char *out, size_t size)
{
    char path[2048];
    snprintf(path, sizeof(path), "%s/signed.txt", dir);
    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    fwrite(signed_text, 1, strlen(signed_text), file);
    fclose(file);
    char command[4096];
    /* the key: the base64 after "whsec_", decoded by openssl too */
    snprintf(command, sizeof(command),
             "printf '%%s' '%s' | cut -c7- | openssl base64 -d -A | od -An -tx1 | tr -d ' \\n'",
             SECRET);
    FILE *pipe = popen(command, "r");
    assert_non_null(pipe);
    char hex[256] = "";
    assert_non_null(fgets(hex, sizeof(hex), pipe));
    pclose(pipe);
    assert_int_equal(strlen(hex), 48); /* 24 bytes of key */
    snprintf(command, sizeof(command),
             "openssl dgst -sha256 -mac HMAC -macopt hexkey:%s -binary '%s' | openssl base64 -A",
             hex, path);
    pipe = popen(command, "r");
    assert_non_null(pipe);
    assert_non_null(fgets(out, (int)size, pipe));
    pclose(pipe);
}

static void test_signed_delivery(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("webhook-sign");
    char secret_path[2048];
    snprintf(secret_path, sizeof(secret_path), "%s/secret", dir);
    FILE *file = fopen(secret_path, "w");
    assert_non_null(file);
    fprintf(file, "%s\n", SECRET);
    fclose(file);
    receiver r;
    receiver_start(&r);
    mv_test_server server;
    const char *args[] = {"--allow-private-urls", "--webhook-secret-file", secret_path, NULL};
    assert_int_equal(mv_test_server_start(&server, NULL, args), 0);
    char hook[128];
    snprintf(hook, sizeof(hook), "http://127.0.0.1:%d/hook", r.port);
    mv_http_reply reply;
    create_with_callback(&server, DEAD_SONG, hook, &reply);
    assert_int_equal(reply.status, 202);
    char job_id[64];
    snprintf(job_id, sizeof(job_id), "%s", mv_json_string(reply.json, NULL, "job_id"));
    mv_http_reply_free(&reply);

    int count = 0;
    for (int i = 0; i < 300 && count == 0; i++) {
        sleep_ms(100);
        pthread_mutex_lock(&r.lock);
        count = r.count;
        pthread_mutex_unlock(&r.lock);
    }
    assert_int_equal(count, 1);
    char expected_id[128];
    snprintf(expected_id, sizeof(expected_id), "msg_%s_failed", job_id);
    assert_string_equal(r.id, expected_id);
    long long stamp = strtoll(r.timestamp, NULL, 10);
    long long now = (long long)time(NULL);
    assert_true(stamp > now - 60 && stamp <= now + 1);
    assert_memory_equal(r.signature, "v1,", 3);

    size_t signed_size = strlen(r.id) + strlen(r.timestamp) + strlen(r.body) + 3;
    char *signed_text = malloc(signed_size);
    snprintf(signed_text, signed_size, "%s.%s.%s", r.id, r.timestamp, r.body);
    char expected[128] = "";
    openssl_signature(dir, signed_text, expected, sizeof(expected));
    assert_string_equal(r.signature + 3, expected);
    free(signed_text);

    /* the secret is never logged */
    char *log = mv_test_server_log(&server);
    assert_null(strstr(log, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    free(log);
    mv_test_server_stop(&server);
    mv_test_server_free(&server);
    receiver_stop(&r);
    free(dir);
}

static void test_bad_secret_is_refused_at_start(void **state)
{
    (void)state;
    mv_test_server server;
    const char *short_secret[] = {"--webhook-secret", "tooshort", NULL};
    assert_int_not_equal(mv_test_server_start(&server, NULL, short_secret), 0);
    mv_test_server_free(&server);
    const char *not_base64[] = {"--webhook-secret", "whsec_!!!!notbase64!!!!", NULL};
    assert_int_not_equal(mv_test_server_start(&server, NULL, not_base64), 0);
    mv_test_server_free(&server);
}

static void test_stalled_receiver_times_out(void **state)
{
    (void)state;
    receiver r;
    receiver_start(&r);
    mv_test_server server;
    const char *args[] = {"--allow-private-urls", NULL};
    assert_int_equal(mv_test_server_start(&server, NULL, args), 0);
    char hook[128];
    snprintf(hook, sizeof(hook), "http://127.0.0.1:%d/stall", r.port);
    mv_http_reply reply;
    create_with_callback(&server, DEAD_SONG, hook, &reply);
    assert_int_equal(reply.status, 202);
    mv_http_reply_free(&reply);

    /* while the receiver stalls the first attempt, the API answers */
    int stalls = 0;
    for (int i = 0; i < 300 && stalls == 0; i++) {
        sleep_ms(100);
        pthread_mutex_lock(&r.lock);
        stalls = r.stalls;
        pthread_mutex_unlock(&r.lock);
    }
    assert_int_equal(stalls, 1);
    assert_int_equal(mv_http_get(&server, "/api/health", &reply), 0);
    assert_int_equal(reply.status, 200);
    mv_http_reply_free(&reply);
    /* the attempt gives up by itself (10 s) and is retried */
    char *log = NULL;
    for (int i = 0; i < 200; i++) {
        free(log);
        log = mv_test_server_log(&server);
        if (strstr(log, "attempt 1 to") != NULL) {
            break;
        }
        sleep_ms(100);
    }
    assert_non_null(strstr(log, "attempt 1 to"));
    assert_non_null(strstr(log, "retrying"));
    free(log);
    /* a stalled attempt does not hold up the shutdown */
    mv_test_server_stop(&server);
    assert_int_equal(server.exit_status, 0);
    assert_true(server.stop_seconds < 5.0);
    mv_test_server_free(&server);
    receiver_stop(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refused_callback_urls),
        cmocka_unit_test(test_signed_delivery),
        cmocka_unit_test(test_bad_secret_is_refused_at_start),
        cmocka_unit_test(test_stalled_receiver_times_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
