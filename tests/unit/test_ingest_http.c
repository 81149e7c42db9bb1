/*
 * test_ingest_http.c - the download client against the local fixture server: chunked
 * bodies, slow servers (low-speed timeout), dropped connections (truncated, retried, never
 * kept), retries with backoff on 5xx but not on 404, the size cap (announced and chunked),
 * redirect chains (relative, too long), cancel and progress.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/mv_ingest_internal.h"
#include "ingest_http_fixture.h"
#include "mv_test_util.h"

#define BIG 300000

typedef struct srv_state {
    uint8_t big[BIG];
    int fail_first; /* /flaky answers 503 this many times */
} srv_state;

static void handler(void *user, const ingest_http_req *q, ingest_http_reply *r)
{
    srv_state *s = user;
    const char *p = q->path;
    r->status = 200;
    r->content_type = "application/octet-stream";
    r->body = s->big;
    r->body_len = BIG;
    if (!strcmp(p, "/chunked")) {
        r->chunked = 1;
        r->piece = 4093;
    } else if (!strcmp(p, "/slow")) {
        r->piece = 1000;
        r->delay_ms = 1500; /* slower than the 1 s io_timeout */
    } else if (!strcmp(p, "/drop")) {
        r->drop_after = 100000;
    } else if (!strcmp(p, "/drop-chunked")) {
        r->chunked = 1;
        r->piece = 10000;
        r->drop_after = 50000;
    } else if (!strcmp(p, "/flaky")) {
        if (s->fail_first > 0) {
            s->fail_first--;
            r->status = 503;
            r->body_len = 5;
        }
    } else if (!strcmp(p, "/missing")) {
        r->status = 404;
        r->body = "gone";
        r->body_len = 4;
    } else if (!strncmp(p, "/hop/", 5)) {
        int n = atoi(p + 5);
        if (n > 0) {
            r->status = 302;
            r->body_len = 0;
            snprintf(r->headers, sizeof r->headers, "Location: ../hop/%d\r\n", n - 1);
        }
    } else if (!strcmp(p, "/slowbig")) {
        r->piece = 20000;
        r->delay_ms = 100;
    }
}

typedef struct progress_log {
    int calls;
    double last;
    atomic_int cancel;
    int cancel_at_calls;
} progress_log;

static void on_progress(void *user, double f, const char *text)
{
    progress_log *l = user;
    (void)text;
    assert_true(f + 1e-9 >= l->last);
    l->last = f;
    if (++l->calls == l->cancel_at_calls)
        atomic_store(&l->cancel, 1);
}

static srv_state *st;
static ingest_http_server *srv;
static char *tmpdir;

static int setup(void **state)
{
    (void)state;
    st = calloc(1, sizeof *st);
    for (int i = 0; i < BIG; i++)
        st->big[i] = (uint8_t)(i * 7);
    srv = ingest_http_start(handler, st);
    tmpdir = mv_test_tmpdir("ingest_http");
    return srv ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ingest_http_stop(srv);
    mv_remove_tree(tmpdir, NULL);
    free(tmpdir);
    free(st);
    return 0;
}

static maivid_code get(const char *path, int to_file, uint64_t cap, const mv_task *task,
                       mv_dl_response *resp, mv_error *err, char **file)
{
    static mv_fetch_config cfg = {.allow_private_urls = 1, .connect_timeout = 2,
                                  .io_timeout = 1};
    char url[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", ingest_http_port(srv), path);
    char *dest = to_file ? mv_strdup_printf("%s/out%d", tmpdir, rand()) : NULL;
    mv_dl_request req = {.url = url, .cfg = &cfg, .dest_path = dest, .max_retries = 2,
                         .retry_delay = 0.05, .max_bytes = cap, .task = task,
                         .progress_from = 0, .progress_to = 1};
    maivid_code rc = mv_dl_get(&req, resp, err);
    if (file)
        *file = dest;
    else
        free(dest);
    return rc;
}

static void test_chunked_and_plain(void **state)
{
    (void)state;
    mv_dl_response r;
    mv_error err;
    char *file;
    assert_int_equal(get("/chunked", 1, 0, NULL, &r, &err, &file), MAIVID_OK);
    assert_int_equal(r.status, 200);
    assert_int_equal(mv_file_size(file), BIG);
    char *data;
    size_t len;
    assert_int_equal(mv_read_file(file, &data, &len, NULL), MAIVID_OK);
    assert_memory_equal(data, st->big, BIG);
    free(data);
    char *part = mv_strdup_printf("%s.part", file);
    assert_false(mv_file_exists(part));
    free(part);
    free(file);
    mv_dl_response_free(&r);
    assert_int_equal(get("/plain", 0, 0, NULL, &r, &err, NULL), MAIVID_OK);
    assert_int_equal(r.body_len, BIG);
    assert_memory_equal(r.body, st->big, BIG);
    mv_dl_response_free(&r);
}

static void test_slow_times_out(void **state)
{
    (void)state;
    mv_dl_response r;
    mv_error err;
    char *file;
    double t0 = mv_monotonic();
    assert_int_equal(get("/slow", 1, 0, NULL, &r, &err, &file), MAIVID_E_FETCH);
    assert_non_null(strstr(err.message, "timed out"));
    assert_true(mv_monotonic() - t0 < 20);
    assert_false(mv_file_exists(file));
    free(file);
}

static void test_dropped_connection(void **state)
{
    (void)state;
    mv_dl_response r;
    mv_error err;
    char *file;
    int before = ingest_http_hits(srv, "/drop");
    assert_int_equal(get("/drop", 1, 0, NULL, &r, &err, &file), MAIVID_E_FETCH);
    assert_non_null(strstr(err.message, "truncated"));
    assert_int_equal(ingest_http_hits(srv, "/drop") - before, 3); /* 1 + 2 retries */
    assert_false(mv_file_exists(file));
    free(file);
    assert_int_equal(get("/drop-chunked", 1, 0, NULL, &r, &err, &file), MAIVID_E_FETCH);
    assert_false(mv_file_exists(file));
    free(file);
}

static void test_retries(void **state)
{
    (void)state;
    mv_dl_response r;
    mv_error err;
    st->fail_first = 2;
    int before = ingest_http_hits(srv, "/flaky");
    assert_int_equal(get("/flaky", 0, 0, NULL, &r, &err, NULL), MAIVID_OK);
    assert_int_equal(r.status, 200);
    assert_int_equal(ingest_http_hits(srv, "/flaky") - before, 3);
    mv_dl_response_free(&r);
    before = ingest_http_hits(srv, "/missing");
    char *file;
    assert_int_equal(get("/missing", 1, 0, NULL, &r, &err, &file), MAIVID_OK);
    assert_int_equal(r.status, 404);
    assert_string_equal(r.body, "gone");
    assert_int_equal(ingest_http_hits(srv, "/missing") - before, 1); /* 4xx: no retry */
    assert_false(mv_file_exists(file));
    assert_int_equal(mv_dl_status_error("u", &r, "fix it", &err), MAIVID_E_FETCH);
    assert_non_null(strstr(err.message, "404"));
    assert_non_null(strstr(err.message, "fix it"));
    mv_dl_response_free(&r);
    free(file);
}

static void test_size_cap(void **state)
{
    (void)state;
    mv_dl_response r;
    mv_error err;
    char *file;
    assert_int_equal(get("/plain", 1, 1000, NULL, &r, &err, &file), MAIVID_E_FETCH);
    assert_non_null(strstr(err.message, "larger than"));
    assert_false(mv_file_exists(file));
    free(file);
    assert_int_equal(get("/chunked", 1, 100000, NULL, &r, &err, &file), MAIVID_E_FETCH);
    assert_non_null(strstr(err.message, "max_download_bytes"));
    assert_false(mv_file_exists(file));
    free(file);
}

static void test_redirects(void **state)
{
    (void)state;
    mv_dl_response r;
    mv_error err;
    assert_int_equal(get("/hop/5", 0, 0, NULL, &r, &err, NULL), MAIVID_OK);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.final_url, "/hop/0"));
    mv_dl_response_free(&r);
    assert_int_equal(get("/hop/6", 0, 0, NULL, &r, &err, NULL), MAIVID_E_FETCH);
    assert_non_null(strstr(err.message, "redirected more than 5"));
}

static void test_cancel_and_progress(void **state)
{
    (void)state;
    progress_log log = {0};
    mv_task task = {.progress = on_progress, .user_data = &log, .cancel = &log.cancel};
    mv_dl_response r;
    mv_error err;
    char *file;
    assert_int_equal(get("/slowbig", 1, 0, &task, &r, &err, &file), MAIVID_OK);
    assert_true(log.calls >= 3);
    assert_true(log.last > 0.99);
    mv_dl_response_free(&r);
    free(file);
    memset(&log, 0, sizeof log);
    log.cancel_at_calls = 2;
    double t0 = mv_monotonic();
    assert_int_equal(get("/slowbig", 1, 0, &task, &r, &err, &file), MAIVID_E_CANCELLED);
    assert_true(mv_monotonic() - t0 < 1.0); /* stopped at once, not after 1.5 s */
    assert_false(mv_file_exists(file));
    free(file);
}

static void test_unreachable(void **state)
{
    (void)state;
    /* a port nothing listens on: start and stop a server to get one */
    ingest_http_server *tmp = ingest_http_start(handler, st);
    int port = ingest_http_port(tmp);
    ingest_http_stop(tmp);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/x", port);
    mv_fetch_config cfg = {.allow_private_urls = 1, .connect_timeout = 2, .io_timeout = 2};
    mv_dl_request req = {.url = url, .cfg = &cfg, .max_retries = 2, .retry_delay = 0.05};
    mv_dl_response r;
    mv_error err;
    assert_int_equal(mv_dl_get(&req, &r, &err), MAIVID_E_FETCH);
    assert_non_null(strstr(err.message, "could not connect"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chunked_and_plain),
        cmocka_unit_test(test_slow_times_out),
        cmocka_unit_test(test_dropped_connection),
        cmocka_unit_test(test_retries),
        cmocka_unit_test(test_size_cap),
        cmocka_unit_test(test_redirects),
        cmocka_unit_test(test_cancel_and_progress),
        cmocka_unit_test(test_unreachable),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
