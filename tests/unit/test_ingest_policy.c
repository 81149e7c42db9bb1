/*
 * test_ingest_policy.c - the URL policy: address classification (IPv4, IPv6, mapped,
 * odd spellings), scheme checks, and the connect-time check refusing a real request to
 * the local fixture server and a host name that resolves to a private address.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ingest/mv_ingest_internal.h"
#include "ingest_http_fixture.h"

static void test_literals(void **state)
{
    (void)state;
    const char *restricted[] = {"127.0.0.1", "127.1", "2130706433", "0177.0.0.1", "0x7f.1",
                                "0x7f000001", "[::1]", "::1", "[::ffff:127.0.0.1]",
                                "::ffff:10.0.0.1", "fe80::1", "[fe80::1%25eth0]", "fc00::5",
                                "224.0.0.1", "239.255.255.250", "0.0.0.0", "0", "[::]",
                                "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                                "169.254.169.254", "100.64.0.1", "255.255.255.255",
                                "ff02::1", "localhost", "LOCALHOST.", "foo.localhost",
                                "64:ff9b::7f00:1", "2002:7f00:1::", "[::127.0.0.1]"};
    for (size_t i = 0; i < sizeof restricted / sizeof restricted[0]; i++) {
        if (mv_host_literal_restricted(restricted[i]) != 1)
            fail_msg("%s should be restricted", restricted[i]);
    }
    const char *public_[] = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "[2606:4700::1111]",
                             "::ffff:8.8.8.8", "93.184.216.34", "0x08080808"};
    for (size_t i = 0; i < sizeof public_ / sizeof public_[0]; i++)
        if (mv_host_literal_restricted(public_[i]) != 0)
            fail_msg("%s should be public", public_[i]);
    assert_int_equal(mv_host_literal_restricted("suno.com"), -1);
    assert_int_equal(mv_host_literal_restricted("example.org"), -1);
}

static void test_sockaddr(void **state)
{
    (void)state;
    struct sockaddr_in a4 = {.sin_family = AF_INET};
    inet_pton(AF_INET, "127.0.0.1", &a4.sin_addr);
    assert_int_equal(mv_addr_is_restricted((struct sockaddr *)&a4), 1);
    inet_pton(AF_INET, "8.8.4.4", &a4.sin_addr);
    assert_int_equal(mv_addr_is_restricted((struct sockaddr *)&a4), 0);
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, "::ffff:127.0.0.1", &a6.sin6_addr);
    assert_int_equal(mv_addr_is_restricted((struct sockaddr *)&a6), 1);
    inet_pton(AF_INET6, "::ffff:192.168.0.1", &a6.sin6_addr);
    assert_int_equal(mv_addr_is_restricted((struct sockaddr *)&a6), 1);
    inet_pton(AF_INET6, "2001:4860:4860::8888", &a6.sin6_addr);
    assert_int_equal(mv_addr_is_restricted((struct sockaddr *)&a6), 0);
    inet_pton(AF_INET6, "fe80::abcd", &a6.sin6_addr);
    assert_int_equal(mv_addr_is_restricted((struct sockaddr *)&a6), 1);
}

static void test_url_checks(void **state)
{
    (void)state;
    mv_error err;
    assert_int_equal(mv_url_policy_check("file:///etc/passwd", 1, &err), MAIVID_E_POLICY);
    assert_non_null(strstr(err.message, "file"));
    assert_int_equal(mv_url_policy_check("ftp://example.org/a.mp3", 1, &err), MAIVID_E_POLICY);
    assert_int_equal(mv_url_policy_check("gopher://example.org/", 1, &err), MAIVID_E_POLICY);
    assert_int_equal(mv_url_policy_check("http://127.0.0.1/a.mp3", 0, &err), MAIVID_E_POLICY);
    assert_non_null(strstr(err.message, "allow_private_urls"));
    assert_int_equal(mv_url_policy_check("http://2130706433/", 0, &err), MAIVID_E_POLICY);
    assert_int_equal(mv_url_policy_check("http://0177.0.0.1/", 0, &err), MAIVID_E_POLICY);
    assert_int_equal(mv_url_policy_check("http://0x7f.1/", 0, &err), MAIVID_E_POLICY);
    assert_int_equal(mv_url_policy_check("http://[::1]:8080/", 0, &err), MAIVID_E_POLICY);
    assert_int_equal(mv_url_policy_check("http://[::ffff:127.0.0.1]/", 0, &err), MAIVID_E_POLICY);
    assert_int_equal(mv_url_policy_check("http://[fe80::1]/", 0, &err), MAIVID_E_POLICY);
    assert_int_equal(mv_url_policy_check("http://224.1.1.1/", 0, &err), MAIVID_E_POLICY);
    assert_int_equal(mv_url_policy_check("http://0.0.0.0/", 0, &err), MAIVID_E_POLICY);
    assert_int_equal(mv_url_policy_check("https://suno.com/s/abc", 0, &err), MAIVID_OK);
    assert_int_equal(mv_url_policy_check("http://127.0.0.1/a.mp3", 1, &err), MAIVID_OK);
    assert_int_equal(mv_url_policy_check("not a url", 1, &err), MAIVID_E_POLICY);
}

static void ok_handler(void *user, const ingest_http_req *q, ingest_http_reply *r)
{
    (void)user;
    if (strcmp(q->path, "/redirect-file") == 0) {
        r->status = 302;
        snprintf(r->headers, sizeof r->headers, "Location: file:///etc/passwd\r\n");
        return;
    }
    r->status = 200;
    r->content_type = "text/plain";
    r->body = "hello";
    r->body_len = 5;
}

static void test_fixture_refused(void **state)
{
    (void)state;
    ingest_http_server *s = ingest_http_start(ok_handler, NULL);
    assert_non_null(s);
    char url[400];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/a", ingest_http_port(s));
    /* generous limits: under valgrind on a loaded 2-core machine the fixture's thread can
     * take seconds to answer the allowed request (2 s failed there); the refusals happen
     * before any connection, so they never wait on these */
    mv_fetch_config cfg = {.allow_private_urls = 0, .connect_timeout = 15, .io_timeout = 30};
    mv_dl_request req = {.url = url, .cfg = &cfg, .max_retries = 0};
    mv_dl_response resp;
    mv_error err;
    assert_int_equal(mv_dl_get(&req, &resp, &err), MAIVID_E_POLICY);
    assert_int_equal(ingest_http_hits(s, "/"), 0); /* never reached */
    /* allowed with the switch */
    cfg.allow_private_urls = 1;
    assert_int_equal(mv_dl_get(&req, &resp, &err), MAIVID_OK);
    assert_int_equal(resp.status, 200);
    assert_string_equal(resp.body, "hello");
    mv_dl_response_free(&resp);
    /* a redirect to file: is refused even when private addresses are allowed */
    snprintf(url, sizeof url, "http://127.0.0.1:%d/redirect-file", ingest_http_port(s));
    assert_int_equal(mv_dl_get(&req, &resp, &err), MAIVID_E_POLICY);
    /* a host NAME resolving to a private address is refused at connect time */
    char host[256];
    struct addrinfo *ai = NULL, hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    if (gethostname(host, sizeof host) == 0 && mv_host_literal_restricted(host) == -1 &&
        getaddrinfo(host, NULL, &hints, &ai) == 0) {
        int all_private = 1;
        for (struct addrinfo *p = ai; p; p = p->ai_next)
            all_private &= mv_addr_is_restricted(p->ai_addr);
        freeaddrinfo(ai);
        if (all_private) {
            snprintf(url, sizeof url, "http://%s:%d/a", host, ingest_http_port(s));
            cfg.allow_private_urls = 0;
            assert_int_equal(mv_dl_get(&req, &resp, &err), MAIVID_E_POLICY);
            assert_non_null(strstr(err.message, "resolves to"));
        }
    }
    ingest_http_stop(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literals),
        cmocka_unit_test(test_sockaddr),
        cmocka_unit_test(test_url_checks),
        cmocka_unit_test(test_fixture_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
