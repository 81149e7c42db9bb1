/*
 * test_queue_url.c - the shared queue's URL (redis://[[user]:password@]host[:port][/db]):
 * defaults, every part, %-escapes, IPv6 hosts, and clear errors that never show the password.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "queue/mv_queue.h"

static void test_defaults(void **state)
{
    (void)state;
    mv_queue_url u;
    mv_error err;
    assert_int_equal(mv_queue_url_parse("redis://127.0.0.1", &u, &err), MAIVID_OK);
    assert_string_equal(u.host, "127.0.0.1");
    assert_int_equal(u.port, 6379);
    assert_int_equal(u.db, 0);
    assert_string_equal(u.password, "");
    assert_string_equal(u.user, "");
    assert_int_equal(mv_queue_url_parse("redis://queue.local/", &u, &err), MAIVID_OK);
    assert_string_equal(u.host, "queue.local");
    assert_int_equal(u.db, 0);
}

static void test_every_part(void **state)
{
    (void)state;
    mv_queue_url u;
    mv_error err;
    assert_int_equal(mv_queue_url_parse("redis://:s3cret@redis.example:6380/7", &u, &err),
                     MAIVID_OK);
    assert_string_equal(u.host, "redis.example");
    assert_int_equal(u.port, 6380);
    assert_int_equal(u.db, 7);
    assert_string_equal(u.password, "s3cret");
    assert_string_equal(u.user, "");
    assert_int_equal(mv_queue_url_parse("redis://maivid:p%40ss%3Aw@10.0.0.2:1/15", &u, &err),
                     MAIVID_OK);
    assert_string_equal(u.user, "maivid");
    assert_string_equal(u.password, "p@ss:w");
    assert_int_equal(u.port, 1);
    assert_int_equal(u.db, 15);
    /* a password alone, without the ':' */
    assert_int_equal(mv_queue_url_parse("redis://justpw@h", &u, &err), MAIVID_OK);
    assert_string_equal(u.password, "justpw");
    assert_string_equal(u.user, "");
    /* an unescaped '@' in the password: the last '@' ends it */
    assert_int_equal(mv_queue_url_parse("redis://:a@b@h:2", &u, &err), MAIVID_OK);
    assert_string_equal(u.password, "a@b");
    assert_string_equal(u.host, "h");
    assert_int_equal(mv_queue_url_parse("redis://[::1]:6390/2", &u, &err), MAIVID_OK);
    assert_string_equal(u.host, "::1");
    assert_int_equal(u.port, 6390);
    assert_int_equal(u.db, 2);
    char where[300];
    mv_queue_url_describe(&u, where, sizeof where);
    assert_string_equal(where, "[::1]:6390/2");
}

static void test_errors_name_the_fix_not_the_password(void **state)
{
    (void)state;
    static const struct {
        const char *url;
        maivid_code code;
        const char *says;
    } bad[] = {
        {"", MAIVID_E_INVALID, "empty"},
        {"http://h:6379", MAIVID_E_INVALID, "must start with redis://"},
        {"rediss://:topsecret@h", MAIVID_E_UNSUPPORTED, "TLS"},
        {"redis://:topsecret@", MAIVID_E_INVALID, "no host"},
        {"redis://:topsecret@h:0", MAIVID_E_INVALID, "port"},
        {"redis://:topsecret@h:65536", MAIVID_E_INVALID, "port"},
        {"redis://:topsecret@h:12ab", MAIVID_E_INVALID, "port"},
        {"redis://:topsecret@h/x", MAIVID_E_INVALID, "database"},
        {"redis://:topsecret@h/-1", MAIVID_E_INVALID, "database"},
        {"redis://:top%zzsecret@h", MAIVID_E_INVALID, "%-escape"},
        {"redis://:topsecret%00@h", MAIVID_E_INVALID, "%-escape"},
        {"redis://:topsecret@[::1", MAIVID_E_INVALID, "']'"},
        {"redis://h?db=1", MAIVID_E_INVALID, "no query"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mv_queue_url u;
        mv_error err;
        mv_error_clear(&err);
        assert_int_equal(mv_queue_url_parse(bad[i].url, &u, &err), bad[i].code);
        if (!strstr(err.message, bad[i].says))
            fail_msg("'%s': '%s' does not say '%s'", bad[i].url, err.message, bad[i].says);
        assert_null(strstr(err.message, "topsecret"));
        assert_non_null(strstr(err.message, "redis://"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_every_part),
        cmocka_unit_test(test_errors_name_the_fix_not_the_password),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
