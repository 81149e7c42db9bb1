/*
 * server_hostile.c - maivid-server against hostile or broken clients, over raw loopback
 * sockets: a body nested 800 and 100 000 levels deep (a JSON error, the server lives on),
 * a 50 MB upload from a client that sends everything before reading (413 with our JSON
 * error, not a broken pipe), and the protocol errors CivetWeb refuses itself (a bad request
 * line, headers too large, a negative Content-Length, an unknown HTTP version) answered
 * with our JSON error body.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "server_harness.h"

static int setup(void **state)
{
    signal(SIGPIPE, SIG_IGN); /* a server that closes early must fail an assert, not kill us */
    static mv_test_server server;
    if (mv_test_server_start(&server, NULL, NULL) != 0) {
        return -1;
    }
    *state = &server;
    return 0;
}

static int teardown(void **state)
{
    mv_test_server *server = *state;
    mv_test_server_stop(server);
    mv_test_server_free(server);
    return 0;
}

static int connect_to(const mv_test_server *server)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(server->port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&address, sizeof(address)), 0);
    return fd;
}

/* Sends all of `data` as clients that read only after sending do; 0 if the server closed
 * the connection first (such a client then reports a broken pipe, not the reply). */
static int send_all(int fd, const char *data, size_t length)
{
    while (length > 0) {
        ssize_t n = send(fd, data, length, MSG_NOSIGNAL);
        if (n <= 0) {
            return 0;
        }
        data += n;
        length -= (size_t)n;
    }
    return 1;
}

/* Reads the reply until the server closes or 10 s pass; returns it (caller frees). */
static char *read_reply(int fd)
{
    size_t capacity = 65536, used = 0;
    char *reply = malloc(capacity + 1);
    assert_non_null(reply);
    struct pollfd wait = {.fd = fd, .events = POLLIN};
    while (used < capacity && poll(&wait, 1, 10000) == 1) {
        ssize_t n = recv(fd, reply + used, capacity - used, 0);
        if (n <= 0) {
            break;
        }
        used += (size_t)n;
    }
    reply[used] = '\0';
    return reply;
}

/* One raw exchange: the status code, and the body checked to be our JSON error. */
static int exchange(const mv_test_server *server, const char *request, size_t length,
                    const char *body, size_t body_length)
{
    int fd = connect_to(server);
    int sent = send_all(fd, request, length);
    if (body != NULL && sent) {
        sent = send_all(fd, body, body_length);
    }
    if (body != NULL && !sent) {
        fail_msg("the server closed the connection before the client could send its body");
    }
    char *reply = read_reply(fd);
    close(fd);
    int status = 0;
    if (sscanf(reply, "HTTP/1.1 %d", &status) != 1) {
        fail_msg("no HTTP status in the reply: '%.200s'", reply);
    }
    assert_non_null(strstr(reply, "Content-Type: application/json"));
    const char *json = strstr(reply, "\r\n\r\n");
    assert_non_null(json);
    cJSON *parsed = cJSON_Parse(json + 4);
    if (parsed == NULL) {
        fail_msg("the reply body is not JSON: '%.300s'", json + 4);
    }
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(parsed, "success")));
    assert_true(cJSON_IsString(cJSON_GetObjectItem(parsed, "error")));
    cJSON_Delete(parsed);
    free(reply);
    return status;
}

static void assert_healthy(const mv_test_server *server)
{
    mv_http_reply reply;
    assert_int_equal(mv_http_get(server, "/api/health", &reply), 0);
    assert_int_equal(reply.status, 200);
    mv_http_reply_free(&reply);
}

static char *nested_body(size_t levels)
{
    char *body = malloc(2 * levels + 1);
    assert_non_null(body);
    memset(body, '[', levels);
    memset(body + levels, ']', levels);
    body[2 * levels] = '\0';
    return body;
}

static int post_json(const mv_test_server *server, const char *body, size_t length)
{
    char head[512];
    int n = snprintf(head, sizeof(head),
                     "POST /api/convo_pilot/video HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
                     length);
    return exchange(server, head, (size_t)n, body, length);
}

static void test_deeply_nested_bodies(void **state)
{
    const mv_test_server *server = *state;
    char *body = nested_body(800);
    assert_int_equal(post_json(server, body, strlen(body)), 400);
    free(body);
    assert_healthy(server);
    /* an object member nested as deep, just past the limit */
    char member[4096];
    int n = snprintf(member, sizeof(member), "{\"url\": ");
    for (int i = 0; i < 64; i++) {
        member[n++] = '[';
    }
    for (int i = 0; i < 64; i++) {
        member[n++] = ']';
    }
    n += snprintf(member + n, sizeof(member) - (size_t)n, "}");
    assert_int_equal(post_json(server, member, (size_t)n), 400);
    /* 100 000 levels is also over the body limit: refused before it is read */
    body = nested_body(100000);
    assert_int_equal(post_json(server, body, strlen(body)), 413);
    free(body);
    assert_healthy(server);
}

static void test_huge_upload_gets_413(void **state)
{
    const mv_test_server *server = *state;
    size_t size = 50u * 1024 * 1024;
    char *body = malloc(size);
    assert_non_null(body);
    memset(body, ' ', size);
    assert_int_equal(post_json(server, body, size), 413);
    free(body);
    assert_healthy(server);
}

static void test_protocol_errors_answer_json(void **state)
{
    const mv_test_server *server = *state;
    const char *bad_line = "GARBAGE\r\n\r\n";
    assert_int_equal(exchange(server, bad_line, strlen(bad_line), NULL, 0), 400);
    const char *negative = "POST /api/convo_pilot/video HTTP/1.1\r\nHost: x\r\n"
                           "Content-Type: application/json\r\nContent-Length: -5\r\n\r\n";
    int status = exchange(server, negative, strlen(negative), NULL, 0);
    assert_true(status == 400 || status == 411);
    const char *version = "GET /api/health HTTP/7.1\r\nHost: x\r\n\r\n";
    assert_int_equal(exchange(server, version, strlen(version), NULL, 0), 505);
    size_t big = 40000;
    char *huge = malloc(big + 64);
    assert_non_null(huge);
    int n = snprintf(huge, 64, "GET /api/health HTTP/1.1\r\nX-Big: ");
    memset(huge + n, 'a', big);
    memcpy(huge + n + big, "\r\n\r\n", 4);
    status = exchange(server, huge, (size_t)n + big + 4, NULL, 0);
    assert_true(status == 400 || status == 413 || status == 431);
    free(huge);
    assert_healthy(server);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deeply_nested_bodies),
        cmocka_unit_test(test_huge_upload_gets_413),
        cmocka_unit_test(test_protocol_errors_answer_json),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
