/*
 * server_hostile.c - maivid-server against hostile or broken clients, over raw loopback
 * sockets: a body nested 800 and 100 000 levels deep (a JSON error, the server lives on),
 * a 50 MB upload from a client that sends everything before reading (413 with our JSON
 * error, not a broken pipe), and the protocol errors CivetWeb refuses itself (a bad request
 * line, headers too large, a negative Content-Length, an unknown HTTP version) answered
 * with our JSON error body; 500 silent or trickling connections (from one other address,
 * from the health checker's own address, from 500 addresses) while a new GET /api/health
 * must answer 200 within 100 ms; a trickled head or body cut after --request-timeout (400,
 * 408); a client over --max-client-connections answered 503 at once. Every error reply is
 * checked to be our JSON error with an exact Content-Length.
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
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "server_harness.h"

static int setup(void **state)
{
    return mv_test_server_group_setup(state, NULL);
}

/* A connection from the loopback address `from` (NULL: 127.0.0.1). */
static int connect_from(const mv_test_server *server, const char *from)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    if (from != NULL) {
        struct sockaddr_in local = {.sin_family = AF_INET};
        assert_int_equal(inet_pton(AF_INET, from, &local.sin_addr), 1);
        assert_int_equal(bind(fd, (struct sockaddr *)&local, sizeof(local)), 0);
    }
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(server->port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&address, sizeof(address)), 0);
    return fd;
}

static int connect_to(const mv_test_server *server)
{
    return connect_from(server, NULL);
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
    const char *declared = strstr(reply, "Content-Length: ");
    assert_non_null(declared);
    assert_int_equal(strtoul(declared + 16, NULL, 10), strlen(json + 4));
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
    /* an object member nested just past the limit (65 levels), then just within it (64):
     * that one is parsed, on CivetWeb's 100 KiB worker stack, and refused as a bad url */
    for (int levels = 64; levels >= 63; levels--) {
        char member[4096];
        int n = snprintf(member, sizeof(member), "{\"url\": ");
        for (int i = 0; i < levels; i++) {
            member[n++] = '[';
        }
        for (int i = 0; i < levels; i++) {
            member[n++] = ']';
        }
        n += snprintf(member + n, sizeof(member) - (size_t)n, "}");
        assert_int_equal(post_json(server, member, (size_t)n), 400);
    }
    assert_healthy(server);
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

static double now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1000.0 + (double)now.tv_nsec / 1e6;
}

/* Milliseconds until a new connection's GET /api/health has its status line; 200 asserted. */
static double timed_health(const mv_test_server *server)
{
    double start = now_ms();
    int fd = connect_to(server);
    const char *request = "GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    send_all(fd, request, strlen(request));
    char status[16] = "";
    struct pollfd wait = {.fd = fd, .events = POLLIN};
    if (poll(&wait, 1, 30000) == 1) {
        ssize_t n = recv(fd, status, sizeof(status) - 1, 0);
        status[n > 0 ? n : 0] = '\0';
    }
    double elapsed = now_ms() - start;
    close(fd);
    if (strncmp(status, "HTTP/1.1 200", 12) != 0) {
        fail_msg("GET /api/health answered '%s' after %.0f ms, not 200", status, elapsed);
    }
    return elapsed;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Opens 500 connections from `from` (NULL: 500 addresses 127.1.x.y); the odd ones send
 * half a request line and stall. Then five health checks: each must answer 200, none after
 * a second (before the guard they waited 10 s), and their median within 100 ms. */
static void slow_clients_from(const mv_test_server *server, const char *from)
{
    enum { SLOW = 500 };
    int fds[SLOW];
    for (int i = 0; i < SLOW; i++) {
        char address[32];
        snprintf(address, sizeof(address), "127.1.%d.%d", i / 250, i % 250 + 1);
        fds[i] = connect_from(server, from != NULL ? from : address);
        if (i % 2 == 1) {
            send_all(fds[i], "GET /api/hea", 12);
        }
    }
    struct timespec pause = {1, 500000000L}; /* long enough to count as idle */
    nanosleep(&pause, NULL);
    double times[5];
    for (int i = 0; i < 5; i++) {
        times[i] = timed_health(server);
        assert_true(times[i] < 1000.0);
    }
    qsort(times, 5, sizeof(times[0]), compare_doubles);
    print_message("health with %d slow connections from %s: median %.1f ms, worst %.1f ms\n",
                  SLOW, from != NULL ? from : "500 addresses", times[2], times[4]);
    assert_true(times[2] < 100.0);
    for (int i = 0; i < SLOW; i++) {
        close(fds[i]);
    }
}

static void test_slow_clients_do_not_lock_out_others(void **state)
{
    const mv_test_server *server = *state;
    struct rlimit files;
    getrlimit(RLIMIT_NOFILE, &files);
    if (files.rlim_cur < 2048 && files.rlim_max >= 2048) {
        files.rlim_cur = 2048;
        setrlimit(RLIMIT_NOFILE, &files);
    }
    slow_clients_from(server, "127.0.0.2");
    slow_clients_from(server, "127.0.0.1"); /* the health checker's own address */
    slow_clients_from(server, NULL);
    assert_healthy(server);
}

/* Sends `text` one byte every 200 ms until the server answers or closes; returns what it
 * answered ("" when it closed silently) and the seconds it took. */
static char *trickle(int fd, const char *text, double *seconds)
{
    double start = now_ms();
    size_t length = strlen(text);
    for (size_t i = 0; i < length * 100; i++) {
        struct pollfd wait = {.fd = fd, .events = POLLIN};
        if (poll(&wait, 1, 200) == 1) {
            break; /* an answer, or the close */
        }
        if (send(fd, text + i % length, 1, MSG_NOSIGNAL) != 1) {
            break;
        }
    }
    *seconds = (now_ms() - start) / 1000.0;
    return read_reply(fd);
}

static void test_trickled_requests_and_busy_clients(void **state)
{
    (void)state;
    mv_test_server server;
    const char *args[] = {"--request-timeout", "1", NULL};
    assert_int_equal(mv_test_server_start(&server, NULL, args), 0);
    /* a head that never ends: cut after the timeout */
    int fd = connect_to(&server);
    double seconds = 0;
    char *reply = trickle(fd, "GET /api/health HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaa", &seconds);
    close(fd);
    assert_true(seconds < 4.0);
    free(reply);
    /* a body sent a byte at a time: 408 with our JSON error */
    fd = connect_to(&server);
    const char *head = "POST /api/convo_pilot/video HTTP/1.1\r\nHost: x\r\n"
                       "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
    send_all(fd, head, strlen(head));
    reply = trickle(fd, "{\"url\": \"https://example.com/a.mp3\"}     ", &seconds);
    close(fd);
    assert_true(seconds < 4.0);
    if (strncmp(reply, "HTTP/1.1 408", 12) != 0 || strstr(reply, "--request-timeout") == NULL) {
        fail_msg("a trickled body got '%.300s'", reply);
    }
    free(reply);
    /* an upload whose data trickles after its first 20000 bytes: cut after
     * --request-timeout plus its size at the slowest rate allowed (40000 bytes: about
     * 1.2 s more), 408 saying why */
    fd = connect_to(&server);
#define MV_BOUNDARY "------------------------7f3a9c2e5b1d8a06"
    const char *upload = "POST /api/convo_pilot/upload HTTP/1.1\r\nHost: x\r\n"
                         "Content-Type: multipart/form-data; boundary=" MV_BOUNDARY "\r\n"
                         "Content-Length: 40000\r\n\r\n";
    send_all(fd, upload, strlen(upload));
    static char part[20000];
    int part_head = snprintf(part, sizeof part, "--" MV_BOUNDARY "\r\nContent-Disposition: "
                             "form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nRIFF");
#undef MV_BOUNDARY
    memset(part + part_head, 'w', sizeof part - (size_t)part_head);
    send_all(fd, part, sizeof part);
    reply = trickle(fd, "data....", &seconds);
    close(fd);
    assert_true(seconds < 4.0);
    if (strncmp(reply, "HTTP/1.1 408", 12) != 0 || strstr(reply, "KiB/s") == NULL) {
        fail_msg("a trickled upload got (after %.2f s) '%.300s'", seconds, reply);
    }
    free(reply);
    assert_healthy(&server);
    mv_test_server_stop(&server);
    assert_int_equal(server.exit_status, 0);
    mv_test_server_free(&server);

    /* one connection per address, and it is busy (its body is awaited): a second one gets
     * 503 with our JSON error at once */
    const char *limit[] = {"--max-client-connections", "1", NULL};
    assert_int_equal(mv_test_server_start(&server, NULL, limit), 0);
    int busy = connect_to(&server);
    send_all(busy, head, strlen(head));
    struct timespec pause = {0, 300000000L};
    nanosleep(&pause, NULL);
    const char *health = "GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n";
    assert_int_equal(exchange(&server, health, strlen(health), NULL, 0), 503);
    close(busy);
    mv_test_server_stop(&server);
    assert_int_equal(server.exit_status, 0);
    mv_test_server_free(&server);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deeply_nested_bodies),
        cmocka_unit_test(test_huge_upload_gets_413),
        cmocka_unit_test(test_protocol_errors_answer_json),
        cmocka_unit_test(test_slow_clients_do_not_lock_out_others),
        cmocka_unit_test(test_trickled_requests_and_busy_clients),
    };
    return cmocka_run_group_tests(tests, setup, mv_test_server_group_teardown);
}
