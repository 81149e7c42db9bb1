/*
 * test_url_check.c - the public face of the library's one URL policy: maivid_url_check()
 * on URLs (what programs such as maivid-server judge webhooks with) and
 * maivid_address_check() on connected addresses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "maivid/maivid.h"

static void test_url_check(void **state)
{
    (void)state;
    char err[512];
    assert_int_equal(maivid_url_check("https://example.com/hook", 0, err, sizeof(err)),
                     MAIVID_OK);
    const char *refused[] = {
        "http://127.0.0.1/hook",      "http://localhost./hook",   "http://[::1]/hook",
        "http://10.1.2.3/hook",       "http://[64:ff9b::a00:1]/", "http://[2002:c0a8:101::1]/",
        "http://198.18.0.7/hook",     "http://192.0.0.8/hook",    "http://0x7f.1/hook",
        "http://169.254.169.254/",    "ftp://example.com/hook",   "not a url",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        err[0] = '\0';
        assert_int_equal(maivid_url_check(refused[i], 0, err, sizeof(err)), MAIVID_E_POLICY);
        assert_true(strlen(err) > 10);
    }
    /* private addresses are allowed on request; the scheme rule stays */
    assert_int_equal(maivid_url_check("http://127.0.0.1/hook", 1, err, sizeof(err)), MAIVID_OK);
    assert_int_equal(maivid_url_check("ftp://127.0.0.1/", 1, err, sizeof(err)),
                     MAIVID_E_POLICY);
    /* a NULL error buffer is fine */
    assert_int_equal(maivid_url_check("http://127.0.0.1/", 0, NULL, 0), MAIVID_E_POLICY);
}

static void test_address_check(void **state)
{
    (void)state;
    struct sockaddr_in v4 = {.sin_family = AF_INET};
    inet_pton(AF_INET, "198.18.3.4", &v4.sin_addr);
    assert_int_equal(maivid_address_check((struct sockaddr *)&v4, 0), MAIVID_E_POLICY);
    assert_int_equal(maivid_address_check((struct sockaddr *)&v4, 1), MAIVID_OK);
    inet_pton(AF_INET, "93.184.216.34", &v4.sin_addr);
    assert_int_equal(maivid_address_check((struct sockaddr *)&v4, 0), MAIVID_OK);
    struct sockaddr_in6 v6 = {.sin6_family = AF_INET6};
    inet_pton(AF_INET6, "::ffff:192.168.1.1", &v6.sin6_addr);
    assert_int_equal(maivid_address_check((struct sockaddr *)&v6, 0), MAIVID_E_POLICY);
    inet_pton(AF_INET6, "2606:2800:220:1::1", &v6.sin6_addr);
    assert_int_equal(maivid_address_check((struct sockaddr *)&v6, 0), MAIVID_OK);
    assert_int_equal(maivid_address_check(NULL, 0), MAIVID_E_POLICY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_check),
        cmocka_unit_test(test_address_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
