/*
 * server_params.c - the create request driven by the library's parameter table, through the
 * real maivid-server: every API parameter is in the OpenAPI schema, is accepted with its
 * default and refused (400, the field named) with a wrong type, out of range, too long or
 * as invalid UTF-8; URLs with spaces, CR/LF or an embedded NUL are refused at create; and a
 * song whose file tags hold invalid UTF-8 still gives valid JSON in its status and the list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "maivid/maivid.h"
#include "mv_test_util.h"
#include "server_harness.h"
#include "util/mv_utf8.h"

#define DEAD_SONG "http://127.0.0.1:1/song.mp3" /* port 1: nothing listens */

static int setup_server(void **state)
{
    const char *args[] = {"--allow-private-urls", "--workers", "1", NULL};
    return mv_test_server_group_setup(state, args);
}

static int teardown_server(void **state)
{
    return mv_test_server_group_teardown(state);
}

/* POSTs `body` (raw bytes, may hold invalid UTF-8); expects `status` and, for errors, the
 * reply's "field" to be `field`. The reply must be valid UTF-8 JSON either way. */
static void post_expect(const mv_test_server *server, const char *body, long status,
                        const char *field)
{
    mv_http_reply reply;
    mv_http_post_json(server, "/api/convo_pilot/video", body, &reply);
    int ok = reply.status == status && reply.json != NULL &&
             mv_utf8_valid(reply.body, reply.length);
    const char *named = mv_json_string(reply.json, NULL, "field");
    if (field != NULL && (named == NULL || strcmp(named, field) != 0)) {
        ok = 0;
    }
    if (!ok) {
        fprintf(stderr, "body %.300s: expected %ld (field %s), got %ld: %s\n", body, status,
                field ? field : "-", reply.status, reply.body);
    }
    mv_http_reply_free(&reply);
    assert_true(ok);
}

static void test_openapi_lists_every_api_parameter(void **state)
{
    const mv_test_server *server = *state;
    mv_http_reply reply;
    mv_http_get(server, "/api/openapi.json", &reply);
    assert_int_equal(reply.status, 200);
    const cJSON *properties = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(reply.json, "components"), "schemas"),
            "CreateRequest"),
        "properties");
    assert_true(cJSON_IsObject(properties));
    static const char *const types[] = {"string", "integer", "integer", "number"};
    int count = 0;
    for (size_t i = 0; i < maivid_param_count(); i++) {
        const maivid_param_info *info = maivid_param_at(i);
        const cJSON *property = cJSON_GetObjectItemCaseSensitive(properties, info->name);
        if (!(info->flags & MAIVID_PARAM_API)) {
            assert_null(property); /* local-only parameters stay out of the API */
            continue;
        }
        count++;
        if (property == NULL) {
            fprintf(stderr, "OpenAPI lacks '%s'\n", info->name);
            fail();
        }
        assert_string_equal(mv_json_string(property, NULL, "type"), types[info->type]);
        assert_string_equal(mv_json_string(property, NULL, "description"), info->help);
        if (info->type == MAIVID_PARAM_STRING && info->default_text != NULL) {
            assert_string_equal(mv_json_string(property, NULL, "default"), info->default_text);
        }
        if (info->type != MAIVID_PARAM_STRING) {
            assert_true(cJSON_GetObjectItemCaseSensitive(property, "maximum")->valuedouble >=
                        info->max);
        }
    }
    assert_int_equal(cJSON_GetArraySize(properties), count);
    mv_http_reply_free(&reply);
}

static void test_every_parameter_default_accepted_bad_values_named(void **state)
{
    const mv_test_server *server = *state;
    char *body = malloc(16384);
    assert_non_null(body);
    for (size_t i = 0; i < maivid_param_count(); i++) {
        const maivid_param_info *info = maivid_param_at(i);
        if (!(info->flags & MAIVID_PARAM_API) || strcmp(info->name, "url") == 0) {
            continue;
        }
        const char *q = info->type == MAIVID_PARAM_STRING ? "\"" : "";
        if (info->default_text != NULL) { /* the default is always accepted */
            snprintf(body, 16384, "{\"url\":\"%s\",\"model_type\":\"procedural\",\"%s\":%s%s%s}",
                     DEAD_SONG, info->name, q, info->default_text, q);
            if (strcmp(info->name, "model_type") == 0) {
                snprintf(body, 16384, "{\"url\":\"%s\",\"model_type\":\"%s\"}", DEAD_SONG,
                         info->default_text);
            }
            post_expect(server, body, 202, NULL);
        }
        /* the wrong JSON type */
        snprintf(body, 16384, "{\"url\":\"%s\",\"%s\":%s}", DEAD_SONG, info->name,
                 info->type == MAIVID_PARAM_STRING ? "7" : "\"7\"");
        post_expect(server, body, 400, info->name);
        if (info->type != MAIVID_PARAM_STRING) {
            /* just outside the range, on either side (unless that is the default) */
            double outside[] = {info->min - 1, info->max + 1};
            for (int k = 0; k < 2; k++) {
                if (info->default_text != NULL && outside[k] == strtod(info->default_text, NULL)) {
                    outside[k] -= 1;
                }
                snprintf(body, 16384, "{\"url\":\"%s\",\"%s\":%.17g}", DEAD_SONG, info->name,
                         outside[k]);
                post_expect(server, body, 400, info->name);
            }
            if (info->type != MAIVID_PARAM_NUMBER) {
                snprintf(body, 16384, "{\"url\":\"%s\",\"%s\":%g}", DEAD_SONG, info->name,
                         info->max - 0.5);
                post_expect(server, body, 400, info->name);
            }
            continue;
        }
        /* invalid UTF-8 (a lone continuation byte and a truncated sequence) */
        snprintf(body, 16384, "{\"url\":\"%s\",\"%s\":\"ab\x80\xC3\"}", DEAD_SONG, info->name);
        post_expect(server, body, 400, info->name);
        /* one byte over the length limit, where it fits in a request */
        size_t limit = (size_t)info->max;
        if (limit + 200 < 16384) {
            int n = snprintf(body, 16384, "{\"url\":\"%s\",\"%s\":\"", DEAD_SONG, info->name);
            memset(body + n, 'a', limit + 1);
            snprintf(body + n + limit + 1, 16384 - (size_t)n - limit - 1, "\"}");
            post_expect(server, body, 400, info->name);
        }
    }
    free(body);
}

static void test_urls_are_parsed_at_create(void **state)
{
    const mv_test_server *server = *state;
    static const char *const bad[] = {
        "http://127.0.0.1:1/a song.mp3",      /* a space */
        "http://127.0.0.1:1/a.mp3\\r\\nX: y", /* CR/LF (JSON escapes) */
        "http://127.0.0.1:1/a.mp3\\tb",       /* a tab */
        "http://127.0.0.1:1/a.mp3\\u0000.evil.example", /* NUL cuts a C string short */
        "http://",                            /* no host */
        "http://[::1/a.mp3",                  /* a broken IPv6 literal */
        "https://exa mple.com/a.mp3",
    };
    char body[512];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(body, sizeof(body), "{\"url\":\"%s\"}", bad[i]);
        post_expect(server, body, 400, "url");
        snprintf(body, sizeof(body), "{\"url\":\"%s\",\"callback_url\":\"%s\"}", DEAD_SONG,
                 bad[i]);
        post_expect(server, body, 400, "callback_url");
    }
    /* a NUL in any other string is refused too, the field named */
    snprintf(body, sizeof(body), "{\"url\":\"%s\",\"title\":\"a\\u0000b\"}", DEAD_SONG);
    post_expect(server, body, 400, "title");
    /* an odd key is not echoed back, so the reply stays valid UTF-8 */
    snprintf(body, sizeof(body), "{\"url\":\"%s\",\"k\xFF\":\"a\\u0000b\"}", DEAD_SONG);
    post_expect(server, body, 400, NULL);
    /* an escaped backslash before u0000 is text, not a NUL */
    snprintf(body, sizeof(body), "{\"url\":\"%s\",\"title\":\"a\\\\u0000b\"}", DEAD_SONG);
    post_expect(server, body, 202, NULL);
}

static void assert_valid_json_reply(const mv_test_server *server, const char *path)
{
    mv_http_reply reply;
    mv_http_get(server, path, &reply);
    if (reply.status != 200 || reply.json == NULL || !mv_utf8_valid(reply.body, reply.length)) {
        fprintf(stderr, "GET %s: %ld %s\n", path, reply.status, reply.body);
        fail();
    }
    mv_http_reply_free(&reply);
}

static void test_invalid_utf8_title_refused(void **state)
{
    const mv_test_server *server = *state;
    char body[256];
    snprintf(body, sizeof(body), "{\"url\":\"%s\",\"title\":\"caf\xE9\"}", DEAD_SONG);
    post_expect(server, body, 400, "title");
    assert_valid_json_reply(server, "/api/convo_pilot/videos?limit=100");
}

/* Rewrites a WAV file with a LIST/INFO chunk whose title (INAM) is not UTF-8. */
static void add_bad_title_tag(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static unsigned char wav[4 * 1024 * 1024];
    size_t n = fread(wav, 1, sizeof(wav), f);
    fclose(f);
    assert_true(n > 44 && n < sizeof(wav));
    unsigned char *data = memmem(wav, n, "data", 4);
    assert_non_null(data);
    static const char title[] = "Bad \xFF\xFE tag \xC3"; /* odd length: padded below */
    unsigned char chunk[64];
    uint32_t inam = sizeof(title); /* with its NUL */
    uint32_t list = 4 + 8 + inam + (inam & 1);
    memcpy(chunk, "LIST", 4);
    memcpy(chunk + 4, &list, 4);
    memcpy(chunk + 8, "INFOINAM", 8);
    memcpy(chunk + 16, &inam, 4);
    memcpy(chunk + 20, title, inam);
    size_t chunk_size = 20 + inam + (inam & 1);
    if (inam & 1) {
        chunk[20 + inam] = 0;
    }
    f = fopen(path, "wb");
    assert_non_null(f);
    uint32_t riff = (uint32_t)(n - 8 + chunk_size);
    memcpy(wav + 4, &riff, 4);
    size_t head = (size_t)(data - wav);
    assert_int_equal(fwrite(wav, 1, head, f), head);
    assert_int_equal(fwrite(chunk, 1, chunk_size, f), chunk_size);
    assert_int_equal(fwrite(data, 1, n - head, f), n - head);
    assert_int_equal(fclose(f), 0);
}

static void test_song_tags_with_invalid_utf8_keep_replies_valid(void **state)
{
    const mv_test_server *server = *state;
    char song[2048];
    char *dir = mv_test_short_song("server-params", song, sizeof song);
    assert_non_null(dir);
    add_bad_title_tag(song);
    mv_fixture fixture;
    assert_int_equal(mv_fixture_start(&fixture, song), 0);

    char body[512];
    snprintf(body, sizeof(body),
             "{\"url\":\"%s/song.wav\",\"model_type\":\"procedural\",\"resolution\":\"480p\","
             "\"fps\":12,\"scene_count\":2}", fixture.base_url);
    mv_http_reply reply;
    mv_http_post_json(server, "/api/convo_pilot/video", body, &reply);
    assert_int_equal(reply.status, 202);
    char job_id[64];
    snprintf(job_id, sizeof(job_id), "%s", mv_json_string(reply.json, NULL, "job_id"));
    mv_http_reply_free(&reply);
    char final[32];
    mv_test_wait_job(server, job_id, 60, final, sizeof(final));

    char path[256];
    snprintf(path, sizeof(path), "/api/convo_pilot/video/%s", job_id);
    assert_valid_json_reply(server, path);
    mv_http_get(server, path, &reply);
    const char *title = mv_json_string(reply.json, "job_status", "video_title");
    if (title == NULL || strstr(title, "Bad \xEF\xBF\xBD") == NULL) {
        fprintf(stderr, "job ended %s; the title should keep the tag with U+FFFD: %s\n", final,
                reply.body);
        fail();
    }
    mv_http_reply_free(&reply);
    assert_valid_json_reply(server, "/api/convo_pilot/videos?limit=100");
    snprintf(path, sizeof(path), "/api/convo_pilot/video/progress/%s", job_id);
    assert_valid_json_reply(server, path);
    mv_fixture_stop(&fixture);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_openapi_lists_every_api_parameter),
        cmocka_unit_test(test_every_parameter_default_accepted_bad_values_named),
        cmocka_unit_test(test_urls_are_parsed_at_create),
        cmocka_unit_test(test_invalid_utf8_title_refused),
        cmocka_unit_test(test_song_tags_with_invalid_utf8_keep_replies_valid),
    };
    return cmocka_run_group_tests(tests, setup_server, teardown_server);
}
