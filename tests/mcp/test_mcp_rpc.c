/*
 * test_mcp_rpc.c - unit tests of the MCP endpoint's pure parts (maivid-server/mcp_rpc.c,
 * mcp_session.c, mcp_schema.c): JSON-RPC parsing with bounded nesting and batches refused,
 * message classification, result/error/notification shapes, protocol revision negotiation,
 * Accept, Origin and Host checks, session ids, the session table (expiry, eviction, close)
 * and the stop flag, and the OpenAPI to JSON Schema conversion.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "maivid/maivid.h"
#include "mcp.h"

static cJSON *parse_ok(const char *text)
{
    int code = 0;
    char err[300] = "";
    cJSON *message = mv_rpc_parse(text, strlen(text), &code, err, sizeof(err));
    assert_non_null(message);
    return message;
}

static int parse_fails(const char *text, char *err, size_t size)
{
    int code = 0;
    cJSON *message = mv_rpc_parse(text, strlen(text), &code, err, size);
    assert_null(message);
    return code;
}

static void test_parse(void **state)
{
    (void)state;
    char err[300];
    cJSON_Delete(parse_ok("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\r\n"));
    assert_int_equal(parse_fails("{\"jsonrpc\":", err, sizeof(err)), MV_RPC_PARSE_ERROR);
    assert_non_null(strstr(err, "not valid JSON"));
    assert_int_equal(parse_fails("", err, sizeof(err)), MV_RPC_PARSE_ERROR);
    assert_non_null(strstr(err, "empty"));
    assert_int_equal(parse_fails("{} {}", err, sizeof(err)), MV_RPC_PARSE_ERROR);
    assert_int_equal(parse_fails("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", err,
                                 sizeof(err)),
                     MV_RPC_INVALID_REQUEST);
    assert_non_null(strstr(err, "batches"));
    /* nesting past the bound is refused before cJSON recurses */
    size_t depth = MAIVID_JSON_MAX_DEPTH + 10;
    char *deep = malloc(2 * depth + 1);
    assert_non_null(deep);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    deep[2 * depth] = '\0';
    assert_int_equal(parse_fails(deep, err, sizeof(err)), MV_RPC_PARSE_ERROR);
    assert_non_null(strstr(err, "levels deep"));
    free(deep);
}

static mv_rpc_kind classify(const char *text, mv_rpc_message *out)
{
    cJSON *message = cJSON_Parse(text);
    assert_non_null(message);
    mv_rpc_classify(message, out);
    mv_rpc_kind kind = out->kind;
    cJSON_Delete(message); /* out's pointers are not used after this */
    return kind;
}

static void test_classify(void **state)
{
    (void)state;
    mv_rpc_message m;
    assert_int_equal(classify("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"tools/list\","
                              "\"params\":{}}", &m),
                     MV_RPC_REQUEST);
    assert_int_equal(classify("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                              &m),
                     MV_RPC_NOTIFICATION);
    assert_int_equal(classify("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}", &m),
                     MV_RPC_RESPONSE);
    assert_int_equal(classify("{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":1}}", &m),
                     MV_RPC_RESPONSE);
    assert_int_equal(classify("{\"id\":1,\"method\":\"ping\"}", &m), MV_RPC_INVALID);
    assert_non_null(strstr(m.error, "jsonrpc"));
    assert_int_equal(classify("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}", &m),
                     MV_RPC_INVALID);
    assert_int_equal(classify("{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}", &m),
                     MV_RPC_INVALID);
    assert_non_null(strstr(m.error, "id"));
    assert_int_equal(classify("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}", &m),
                     MV_RPC_INVALID);
    assert_int_equal(classify("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\"}", &m),
                     MV_RPC_INVALID);
    assert_int_equal(classify("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}", &m),
                     MV_RPC_INVALID);
    assert_int_equal(classify("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":[1]}",
                              &m),
                     MV_RPC_INVALID);
    assert_non_null(strstr(m.error, "params"));
    assert_int_equal(classify("{\"jsonrpc\":\"2.0\",\"id\":1}", &m), MV_RPC_INVALID);
    assert_int_equal(classify("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{},\"error\":{}}", &m),
                     MV_RPC_INVALID);
    assert_int_equal(classify("\"ping\"", &m), MV_RPC_INVALID);
}

static void assert_json(cJSON *object, const char *expected)
{
    char *text = cJSON_PrintUnformatted(object);
    assert_string_equal(text, expected);
    cJSON_free(text);
    cJSON_Delete(object);
}

static void test_builders(void **state)
{
    (void)state;
    cJSON *id = cJSON_CreateString("req-1");
    assert_json(mv_rpc_result(id, cJSON_CreateObject()),
                "{\"jsonrpc\":\"2.0\",\"id\":\"req-1\",\"result\":{}}");
    cJSON_Delete(id);
    id = cJSON_CreateNumber(42);
    assert_json(mv_rpc_error(id, MV_RPC_METHOD_NOT_FOUND, "no"),
                "{\"jsonrpc\":\"2.0\",\"id\":42,\"error\":{\"code\":-32601,\"message\":\"no\"}}");
    cJSON_Delete(id);
    assert_json(mv_rpc_error(NULL, MV_RPC_PARSE_ERROR, "bad"),
                "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"bad\"}}");
    assert_json(mv_rpc_notification("notifications/progress", NULL),
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{}}");
}

static void test_versions(void **state)
{
    (void)state;
    assert_true(mv_mcp_version_supported("2025-06-18"));
    assert_true(mv_mcp_version_supported("2025-03-26"));
    assert_false(mv_mcp_version_supported("2024-11-05"));
    assert_false(mv_mcp_version_supported(NULL));
    assert_string_equal(mv_mcp_negotiate_version("2025-03-26"), "2025-03-26");
    assert_string_equal(mv_mcp_negotiate_version("2025-06-18"), "2025-06-18");
    assert_string_equal(mv_mcp_negotiate_version("2025-11-25"), MV_MCP_PROTOCOL_LATEST);
    assert_string_equal(mv_mcp_negotiate_version(NULL), MV_MCP_PROTOCOL_LATEST);
}

static void test_accept(void **state)
{
    (void)state;
    assert_true(mv_mcp_accepts(NULL, "application/json"));
    assert_true(mv_mcp_accepts("", "text/event-stream"));
    const char *both = "application/json, text/event-stream";
    assert_true(mv_mcp_accepts(both, "application/json"));
    assert_true(mv_mcp_accepts(both, "text/event-stream"));
    assert_false(mv_mcp_accepts("application/json", "text/event-stream"));
    assert_true(mv_mcp_accepts("*/*", "text/event-stream"));
    assert_true(mv_mcp_accepts("text/*;q=0.5", "text/event-stream"));
    assert_false(mv_mcp_accepts("text/html, text/event-stream;q=0", "text/event-stream"));
    assert_true(mv_mcp_accepts("Application/JSON; charset=utf-8", "application/json"));
    assert_false(mv_mcp_accepts("text/html", "application/json"));
}

static void test_origin_and_host(void **state)
{
    (void)state;
    assert_true(mv_mcp_origin_allowed(NULL, NULL));
    assert_true(mv_mcp_origin_allowed("http://localhost:3000", NULL));
    assert_true(mv_mcp_origin_allowed("http://127.0.0.1", NULL));
    assert_true(mv_mcp_origin_allowed("https://127.3.4.5:8443", NULL));
    assert_true(mv_mcp_origin_allowed("http://[::1]:6274", NULL));
    assert_false(mv_mcp_origin_allowed("http://evil.example", NULL));
    assert_false(mv_mcp_origin_allowed("http://localhost.evil.example", NULL));
    assert_false(mv_mcp_origin_allowed("http://127.0.0.1.evil.example", NULL));
    assert_false(mv_mcp_origin_allowed("null", NULL));
    assert_false(mv_mcp_origin_allowed("file://", NULL));
    assert_true(mv_mcp_origin_allowed("https://studio.example", "https://studio.example"));
    assert_false(mv_mcp_origin_allowed("https://other.example", "https://studio.example"));
    assert_true(mv_mcp_origin_allowed("https://other.example", "*"));

    assert_true(mv_mcp_host_allowed("127.0.0.1:420", "127.0.0.1"));
    assert_true(mv_mcp_host_allowed("localhost:420", "127.0.0.1"));
    assert_true(mv_mcp_host_allowed("[::1]:420", "[::1]"));
    assert_true(mv_mcp_host_allowed(NULL, "127.0.0.1"));
    assert_false(mv_mcp_host_allowed("evil.example:420", "127.0.0.1"));
    assert_false(mv_mcp_host_allowed("evil.example", "localhost"));
    assert_true(mv_mcp_host_allowed("video.example:420", "0.0.0.0"));
    assert_true(mv_mcp_host_allowed("video.example", "192.0.2.10"));
}

static void test_sessions(void **state)
{
    (void)state;
    mv_mcp *mcp = mv_mcp_new(2, 100.0);
    assert_non_null(mcp);
    char a[MV_MCP_SESSION_ID_SIZE];
    char b[MV_MCP_SESSION_ID_SIZE];
    char c[MV_MCP_SESSION_ID_SIZE];
    char version[16];
    assert_int_equal(mv_mcp_session_open(mcp, "2025-06-18", 10.0, a), 0);
    assert_true(mv_mcp_session_id_valid(a));
    assert_false(mv_mcp_session_id_valid("ABC"));
    assert_false(mv_mcp_session_id_valid(NULL));
    assert_int_equal(mv_mcp_session_open(mcp, "2025-03-26", 20.0, b), 0);
    assert_string_not_equal(a, b);
    assert_true(mv_mcp_session_find(mcp, b, 21.0, version, sizeof(version)));
    assert_string_equal(version, "2025-03-26");
    assert_true(mv_mcp_session_find(mcp, a, 30.0, version, sizeof(version))); /* a used last */
    assert_string_equal(version, "2025-06-18");
    assert_false(mv_mcp_session_find(mcp, "0123456789abcdef0123456789abcdef", 30.0, version,
                                     sizeof(version)));
    /* full: the least recently used (b) makes room */
    assert_int_equal(mv_mcp_session_open(mcp, "2025-06-18", 40.0, c), 0);
    assert_int_equal(mv_mcp_session_count(mcp), 2);
    assert_false(mv_mcp_session_find(mcp, b, 41.0, version, sizeof(version)));
    assert_true(mv_mcp_session_find(mcp, a, 41.0, version, sizeof(version)));
    /* idle past the limit: gone */
    assert_false(mv_mcp_session_find(mcp, c, 40.0 + 101.0, version, sizeof(version)));
    /* DELETE */
    assert_true(mv_mcp_session_close(mcp, a));
    assert_false(mv_mcp_session_close(mcp, a));
    assert_false(mv_mcp_session_find(mcp, a, 42.0, version, sizeof(version)));
    assert_int_equal(mv_mcp_session_count(mcp), 0);
    mv_mcp_free(mcp);
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void test_sleep_and_shutdown(void **state)
{
    (void)state;
    mv_mcp *mcp = mv_mcp_new(4, 100.0);
    double start = now_seconds();
    assert_int_equal(mv_mcp_sleep(mcp, 0.05), 0);
    assert_true(now_seconds() - start >= 0.04);
    mv_mcp_call_begin(mcp);
    start = now_seconds();
    mv_mcp_shutdown(mcp, 0.2); /* a call that does not end: shutdown gives up in time */
    assert_true(now_seconds() - start >= 0.15);
    assert_true(now_seconds() - start < 1.0);
    mv_mcp_call_end(mcp);
    start = now_seconds();
    assert_int_equal(mv_mcp_sleep(mcp, 30.0), 1); /* at once once stopping */
    assert_true(now_seconds() - start < 1.0);
    mv_mcp_free(mcp);
}

static const char DOC[] =
    "{\"components\":{\"schemas\":{"
    "\"Reply\":{\"type\":\"object\",\"properties\":{\"success\":{\"type\":\"boolean\"},"
    "\"job\":{\"$ref\":\"#/components/schemas/Job\"}}},"
    "\"Job\":{\"type\":\"object\",\"required\":[\"id\"],\"properties\":{"
    "\"id\":{\"type\":\"string\",\"example\":\"job_1\"},"
    "\"error\":{\"type\":\"string\",\"nullable\":true},"
    "\"kind\":{\"type\":\"string\",\"nullable\":true,\"enum\":[\"a\",\"b\"]},"
    "\"scenes\":{\"type\":\"array\",\"items\":{\"type\":\"integer\",\"nullable\":true}},"
    "\"catalog\":{\"type\":\"string\",\"x-catalog\":\"/api/x\",\"default\":\"a\"}}},"
    "\"Loop\":{\"type\":\"object\",\"properties\":{\"next\":{\"$ref\":\"#/components/schemas/Loop\"}}},"
    "\"Fan\":{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/components/schemas/Fan\"},"
    "\"b\":{\"$ref\":\"#/components/schemas/Fan\"}}}"
    "}}}";

static void test_schema_from_openapi(void **state)
{
    (void)state;
    cJSON *doc = cJSON_Parse(DOC);
    assert_non_null(doc);
    cJSON *ref = cJSON_Parse("{\"$ref\":\"#/components/schemas/Reply\"}");
    assert_json(mv_mcp_schema_from_openapi(doc, ref),
                "{\"type\":\"object\",\"properties\":{\"success\":{\"type\":\"boolean\"},"
                "\"job\":{\"type\":\"object\",\"required\":[\"id\"],\"properties\":{"
                "\"id\":{\"type\":\"string\",\"examples\":[\"job_1\"]},"
                "\"error\":{\"type\":[\"string\",\"null\"]},"
                "\"kind\":{\"type\":[\"string\",\"null\"],\"enum\":[\"a\",\"b\",null]},"
                "\"scenes\":{\"type\":\"array\",\"items\":{\"type\":[\"integer\",\"null\"]}},"
                "\"catalog\":{\"type\":\"string\",\"default\":\"a\"}}}}}");
    cJSON_Delete(ref);
    ref = cJSON_Parse("{\"$ref\":\"#/components/schemas/Missing\"}");
    assert_null(mv_mcp_schema_from_openapi(doc, ref));
    cJSON_Delete(ref);
    ref = cJSON_Parse("{\"$ref\":\"#/components/schemas/Loop\"}");
    assert_null(mv_mcp_schema_from_openapi(doc, ref)); /* a cycle ends at the depth bound */
    cJSON_Delete(ref);
    /* references that fan out (2^24 nodes) end at the node budget, at once */
    ref = cJSON_Parse("{\"$ref\":\"#/components/schemas/Fan\"}");
    double start = now_seconds();
    assert_null(mv_mcp_schema_from_openapi(doc, ref));
    assert_true(now_seconds() - start < 2.0);
    cJSON_Delete(ref);
    cJSON_Delete(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_builders),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_accept),
        cmocka_unit_test(test_origin_and_host),
        cmocka_unit_test(test_sessions),
        cmocka_unit_test(test_sleep_and_shutdown),
        cmocka_unit_test(test_schema_from_openapi),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
