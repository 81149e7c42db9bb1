/*
 * server_api.c - end-to-end tests of maivid-server's API over loopback: catalogs, health,
 * OpenAPI, job creation (reply shape and defaults), status, progress, list, cancel, delete,
 * idempotency, CORS, access log lines, and every error status (400, 404, 405, 409, 413, 415).
 * Jobs point at a closed loopback port, so they fail fast without any song.
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

#include "maivid/maivid.h"
#include "server_harness.h"

#define DEAD_SONG "http://127.0.0.1:1/song.mp3" /* port 1: nothing listens */

static int setup_server(void **state)
{
    const char *args[] = {"--allow-private-urls", "--cors-origin", "*", "--workers", "1", NULL};
    return mv_test_server_group_setup(state, args);
}

static int teardown_server(void **state)
{
    return mv_test_server_group_teardown(state);
}

/* Asserts an error reply: status, success false, an "error" text containing `needle`. */
static void assert_error(const mv_http_reply *reply, long status, const char *needle)
{
    if (reply->status != status) {
        fprintf(stderr, "expected %ld, got %ld: %s\n", status, reply->status, reply->body);
    }
    assert_int_equal(reply->status, status);
    assert_non_null(reply->json);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(reply->json, "success")));
    const char *error = mv_json_string(reply->json, NULL, "error");
    assert_non_null(error);
    if (needle != NULL && strstr(error, needle) == NULL) {
        fprintf(stderr, "error '%s' lacks '%s'\n", error, needle);
        fail();
    }
    char type[128];
    assert_true(mv_http_header(reply, "Content-Type", type, sizeof(type)));
    assert_string_equal(type, "application/json");
}

static char *create_job(const mv_test_server *server, const char *extra_fields)
{
    char body[1024];
    snprintf(body, sizeof(body), "{\"url\":\"%s\"%s%s}", DEAD_SONG,
             extra_fields != NULL ? "," : "", extra_fields != NULL ? extra_fields : "");
    mv_http_reply reply;
    mv_http_post_json(server, "/api/convo_pilot/video", body, &reply);
    if (reply.status != 202) {
        fprintf(stderr, "create: %ld %s\n", reply.status, reply.body);
    }
    assert_int_equal(reply.status, 202);
    char *job_id = strdup(mv_json_string(reply.json, NULL, "job_id"));
    mv_http_reply_free(&reply);
    return job_id;
}

/* ---------------------------------------------------------------- catalogs and meta */

static void test_catalogs(void **state)
{
    const mv_test_server *server = *state;
    const char *paths[] = {"models", "styles", "transitions", "motions", "aspect_ratios"};
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        char path[128];
        snprintf(path, sizeof(path), "/api/convo_pilot/%s", paths[i]);
        mv_http_reply reply;
        assert_int_equal(mv_http_get(server, path, &reply), 0);
        assert_int_equal(reply.status, 200);
        assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(reply.json, "success")));
        const cJSON *list = cJSON_GetObjectItemCaseSensitive(reply.json, paths[i]);
        assert_true(cJSON_IsArray(list));
        assert_true(cJSON_GetArraySize(list) > 0);
        assert_non_null(mv_json_string(cJSON_GetArrayItem(list, 0), NULL, "id"));
        mv_http_reply_free(&reply);
    }
    mv_http_reply reply;
    mv_http_get(server, "/api/convo_pilot/models", &reply);
    int has_turbo = 0;
    const cJSON *model;
    cJSON_ArrayForEach(model, cJSON_GetObjectItemCaseSensitive(reply.json, "models")) {
        const char *id = mv_json_string(model, NULL, "id");
        has_turbo |= id != NULL && strcmp(id, "sdxl_turbo") == 0;
    }
    assert_true(has_turbo);
    mv_http_reply_free(&reply);
}

/* GET /api/convo_pilot/encoders: every encoder of the catalog with usable and, when not
 * usable, its reason; libx264 (the default, always built in) opens; SVT-AV1's banners stay
 * out of the server's log; the probe runs once, so a
 * second request answers the same list; the OpenAPI document describes the path. */
static void test_encoders_catalog(void **state)
{
    const mv_test_server *server = *state;
    mv_http_reply reply;
    assert_int_equal(mv_http_get(server, "/api/convo_pilot/encoders", &reply), 0);
    assert_int_equal(reply.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(reply.json, "success")));
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(reply.json, "encoders");
    assert_true(cJSON_IsArray(list));
    const char *ids[] = {"libx264", "libx265", "h264_nvenc", "hevc_nvenc", "h264_vaapi",
                         "libsvtav1"};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        const cJSON *found = NULL;
        const cJSON *entry;
        cJSON_ArrayForEach(entry, list) {
            const char *id = mv_json_string(entry, NULL, "id");
            if (id != NULL && strcmp(id, ids[i]) == 0) {
                found = entry;
            }
        }
        if (found == NULL) {
            fprintf(stderr, "encoder %s missing from %s\n", ids[i], reply.body);
        }
        assert_non_null(found);
        assert_non_null(mv_json_string(found, NULL, "name"));
        const cJSON *usable = cJSON_GetObjectItemCaseSensitive(found, "usable");
        assert_true(cJSON_IsBool(usable));
        const char *reason = mv_json_string(found, NULL, "unusable_reason");
        if (cJSON_IsTrue(usable)) {
            assert_null(reason);
        } else {
            assert_non_null(reason);
            assert_true(strlen(reason) > 10);
        }
        if (strcmp(ids[i], "libx264") == 0) {
            assert_true(cJSON_IsTrue(usable));
        }
    }
    char *log = mv_test_server_log(server); /* opening SVT-AV1 printed no banner */
    if (log != NULL && strstr(log, "Svt[") != NULL && getenv("SVT_LOG") == NULL) {
        fail_msg("the encoder probe printed SVT-AV1's banner in the server's log: %s", log);
    }
    free(log);
    char *first = strdup(reply.body);
    mv_http_reply_free(&reply);
    assert_int_equal(mv_http_get(server, "/api/convo_pilot/encoders", &reply), 0);
    assert_int_equal(reply.status, 200);
    assert_string_equal(reply.body, first);
    free(first);
    mv_http_reply_free(&reply);

    mv_http_get(server, "/api/openapi.json", &reply);
    const cJSON *paths = cJSON_GetObjectItemCaseSensitive(reply.json, "paths");
    assert_non_null(cJSON_GetObjectItemCaseSensitive(paths, "/api/convo_pilot/encoders"));
    const cJSON *schemas = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(reply.json, "components"), "schemas");
    assert_non_null(cJSON_GetObjectItemCaseSensitive(schemas, "EncoderCatalog"));
    mv_http_reply_free(&reply);
}

static void test_health_and_openapi(void **state)
{
    const mv_test_server *server = *state;
    mv_http_reply reply;
    mv_http_get(server, "/api/health", &reply);
    assert_int_equal(reply.status, 200);
    assert_string_equal(mv_json_string(reply.json, NULL, "version"), maivid_version_string());
    assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(reply.json, "queue_length")));
    assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(reply.json, "workers_busy")));
    assert_true(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(reply.json, "comfyui")));
    assert_true(cJSON_GetObjectItemCaseSensitive(reply.json, "disk_free_bytes")->valuedouble > 0);
    mv_http_reply_free(&reply);

    mv_http_get(server, "/api/openapi.json", &reply);
    assert_int_equal(reply.status, 200);
    assert_string_equal(mv_json_string(reply.json, NULL, "openapi"), "3.0.3");
    const cJSON *paths = cJSON_GetObjectItemCaseSensitive(reply.json, "paths");
    assert_non_null(cJSON_GetObjectItemCaseSensitive(paths, "/api/convo_pilot/video"));
    assert_non_null(cJSON_GetObjectItemCaseSensitive(paths,
                                                     "/api/convo_pilot/video/progress/{job_id}"));
    assert_string_equal(mv_json_string(reply.json, "info", "version"), maivid_version_string());
    mv_http_reply_free(&reply);
}

/* ---------------------------------------------------------------- create */

static void test_create_reply_shape_and_defaults(void **state)
{
    const mv_test_server *server = *state;
    mv_http_reply reply;
    char body[256];
    snprintf(body, sizeof(body), "{\"url\":\"%s\"}", DEAD_SONG);
    mv_http_post_json(server, "/api/convo_pilot/video", body, &reply);
    assert_int_equal(reply.status, 202);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(reply.json, "success")));
    const char *job_id = mv_json_string(reply.json, NULL, "job_id");
    assert_non_null(job_id);
    assert_true(maivid_job_id_valid(job_id));
    char message[128];
    snprintf(message, sizeof(message), "Video generation started with job ID: %s", job_id);
    assert_string_equal(mv_json_string(reply.json, NULL, "message"), message);
    const cJSON *info = cJSON_GetObjectItemCaseSensitive(reply.json, "job_info");
    assert_string_equal(mv_json_string(info, NULL, "job_id"), job_id);
    assert_string_equal(mv_json_string(info, NULL, "status"), "started");
    assert_string_equal(mv_json_string(info, NULL, "url"), DEAD_SONG);
    const char *created = mv_json_string(info, NULL, "creation_time");
    assert_int_equal(strlen(created), 15);
    assert_memory_equal(created, job_id + 4, 15);
    const cJSON *settings = cJSON_GetObjectItemCaseSensitive(info, "settings");
    assert_string_equal(mv_json_string(settings, NULL, "model_type"), "sdxl_turbo");
    assert_string_equal(mv_json_string(settings, NULL, "aspect_ratio"), "16:9");
    assert_string_equal(mv_json_string(settings, NULL, "style"), "cinematic");
    assert_string_equal(mv_json_string(settings, NULL, "transition_type"), "fade");
    assert_true(cJSON_GetObjectItemCaseSensitive(settings, "transition_duration")->valuedouble ==
                1.0);
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(settings, "scene_count")));
    char location[256];
    assert_true(mv_http_header(&reply, "Location", location, sizeof(location)));
    assert_non_null(strstr(location, job_id));
    mv_http_reply_free(&reply);

    /* Given values come back as given. */
    snprintf(body, sizeof(body),
             "{\"url\":\"%s\",\"model_type\":\"procedural\",\"aspect_ratio\":\"9:16\","
             "\"style\":\"anime\",\"scene_count\":3,\"transition_type\":\"fade\","
             "\"transition_duration\":0.5,\"fps\":24,\"seed\":42}", DEAD_SONG);
    mv_http_post_json(server, "/api/convo_pilot/video", body, &reply);
    assert_int_equal(reply.status, 202);
    settings = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(reply.json, "job_info"), "settings");
    assert_string_equal(mv_json_string(settings, NULL, "model_type"), "procedural");
    assert_string_equal(mv_json_string(settings, NULL, "aspect_ratio"), "9:16");
    assert_string_equal(mv_json_string(settings, NULL, "style"), "anime");
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(settings, "scene_count")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(settings, "fps")->valueint, 24);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(settings, "seed")->valueint, 42);
    mv_http_reply_free(&reply);
}

static void post_expect_error(const mv_test_server *server, const char *body, long status,
                              const char *field, const char *needle)
{
    mv_http_reply reply;
    mv_http_post_json(server, "/api/convo_pilot/video", body, &reply);
    assert_error(&reply, status, needle);
    if (field != NULL) {
        const char *named = mv_json_string(reply.json, NULL, "field");
        if (named == NULL || strcmp(named, field) != 0) {
            fprintf(stderr, "body %s: field %s expected in %s\n", body, field, reply.body);
            fail();
        }
    }
    mv_http_reply_free(&reply);
}

static void test_create_validation_errors(void **state)
{
    const mv_test_server *server = *state;
    post_expect_error(server, "{\"url\": ", 400, NULL, "not valid JSON");
    post_expect_error(server, "", 400, NULL, "empty");
    post_expect_error(server, "[1,2]", 400, NULL, "JSON object");
    post_expect_error(server, "{}", 400, "url", "No URL provided");
    post_expect_error(server, "{\"url\": \"\"}", 400, "url", "No URL provided");
    post_expect_error(server, "{\"url\": 42}", 400, "url", "string");
    post_expect_error(server, "{\"url\": \"file:///etc/passwd\"}", 400, "url", "http");
    post_expect_error(server, "{\"url\":\"" DEAD_SONG "\",\"model_type\":7}", 400, "model_type",
                      "must be a string");
    post_expect_error(server, "{\"url\":\"" DEAD_SONG "\",\"scene_count\":\"five\"}", 400,
                      "scene_count", "whole number");
    post_expect_error(server, "{\"url\":\"" DEAD_SONG "\",\"scene_count\":2.5}", 400,
                      "scene_count", "whole number");
    post_expect_error(server, "{\"url\":\"" DEAD_SONG "\",\"scene_count\":500}", 400,
                      "scene_count", "out of range");
    post_expect_error(server, "{\"url\":\"" DEAD_SONG "\",\"transition_duration\":9}", 400,
                      "transition_duration", "0 to 5");
    post_expect_error(server, "{\"url\":\"" DEAD_SONG "\",\"fps\":100}", 400, "fps", "12 to 60");
    post_expect_error(server, "{\"url\":\"" DEAD_SONG "\",\"seed\":-5}", 400, "seed", NULL);
    post_expect_error(server, "{\"url\":\"" DEAD_SONG "\",\"callback_url\":\"ftp://x/y\"}", 400,
                      "callback_url", "http");
    /* Values only the library knows are checked by it; its message names the field. */
    post_expect_error(server, "{\"url\":\"" DEAD_SONG "\",\"model_type\":\"no_such_model\"}", 400,
                      NULL, "no_such_model");
    post_expect_error(server, "{\"url\":\"" DEAD_SONG "\",\"aspect_ratio\":\"7:3\"}", 400, NULL,
                      "7:3");
}

static void test_body_too_large_and_wrong_type(void **state)
{
    const mv_test_server *server = *state;
    size_t size = 70 * 1024;
    char *big = malloc(size + 1);
    memset(big, ' ', size);
    memcpy(big, "{\"lyrics\":\"", 11);
    big[size - 2] = '"';
    big[size - 1] = '}';
    big[size] = '\0';
    char url[256];
    snprintf(url, sizeof(url), "%s/api/convo_pilot/video", server->base_url);
    mv_http_reply reply;
    mv_http("POST", url, "application/json", big, size, NULL, &reply);
    assert_error(&reply, 413, "65536");
    mv_http_reply_free(&reply);
    free(big);

    const char *body = "url=" DEAD_SONG;
    mv_http("POST", url, "application/x-www-form-urlencoded", body, strlen(body), NULL, &reply);
    assert_error(&reply, 415, "Content-Type: application/json");
    mv_http_reply_free(&reply);
    mv_http("POST", url, NULL, "{}", 2, NULL, &reply);
    assert_error(&reply, 415, NULL);
    mv_http_reply_free(&reply);
    /* A JSON type with parameters is fine. */
    char json[128];
    snprintf(json, sizeof(json), "{\"url\":\"%s\"}", DEAD_SONG);
    mv_http("POST", url, "application/json; charset=utf-8", json, strlen(json), NULL, &reply);
    assert_int_equal(reply.status, 202);
    mv_http_reply_free(&reply);
}

/* ---------------------------------------------------------------- routing errors */

static void test_not_found_and_method_not_allowed(void **state)
{
    const mv_test_server *server = *state;
    mv_http_reply reply;
    mv_http_get(server, "/api/nothing/here", &reply);
    assert_error(&reply, 404, "no such endpoint");
    mv_http_reply_free(&reply);
    mv_http_get(server, "/nothing.html", &reply); /* "/" is MaiVid Studio (server_studio) */
    assert_error(&reply, 404, NULL);
    mv_http_reply_free(&reply);
    mv_http_get(server, "/api/convo_pilot/video/job_20250516_123456_abcdef12", &reply);
    assert_error(&reply, 404, "Job job_20250516_123456_abcdef12 not found");
    assert_string_equal(mv_json_string(reply.json, NULL, "field"), "job_id");
    mv_http_reply_free(&reply);
    mv_http_get(server, "/api/convo_pilot/video/progress/job_20250516_123456_abcdef12", &reply);
    assert_error(&reply, 404, "not found");
    mv_http_reply_free(&reply);
    /* Malformed ids never reach the disk. */
    mv_http_get(server, "/api/convo_pilot/video/..%2F..%2Fetc%2Fpasswd/file", &reply);
    assert_int_equal(reply.status, 404);
    mv_http_reply_free(&reply);
    mv_http_get(server, "/api/convo_pilot/video/not-a-job", &reply);
    assert_error(&reply, 404, "job ids look like");
    mv_http_reply_free(&reply);

    char url[256];
    snprintf(url, sizeof(url), "%s/api/convo_pilot/models", server->base_url);
    mv_http("POST", url, "application/json", "{}", 2, NULL, &reply);
    assert_error(&reply, 405, "use GET");
    char allow[64];
    assert_true(mv_http_header(&reply, "Allow", allow, sizeof(allow)));
    assert_string_equal(allow, "GET");
    mv_http_reply_free(&reply);
    snprintf(url, sizeof(url), "%s/api/convo_pilot/video", server->base_url);
    mv_http("PUT", url, "application/json", "{}", 2, NULL, &reply);
    assert_error(&reply, 405, NULL);
    mv_http_reply_free(&reply);
    mv_http("GET", url, NULL, NULL, 0, NULL, &reply);
    assert_error(&reply, 405, "use POST");
    mv_http_reply_free(&reply);
}

static void test_cors_preflight(void **state)
{
    const mv_test_server *server = *state;
    char url[256];
    snprintf(url, sizeof(url), "%s/api/convo_pilot/video", server->base_url);
    const char *headers[] = {"Origin: https://app.example", "Access-Control-Request-Method: POST",
                             NULL};
    mv_http_reply reply;
    mv_http("OPTIONS", url, NULL, NULL, 0, headers, &reply);
    assert_int_equal(reply.status, 204);
    char value[256];
    assert_true(mv_http_header(&reply, "Access-Control-Allow-Origin", value, sizeof(value)));
    assert_string_equal(value, "*");
    assert_true(mv_http_header(&reply, "Access-Control-Allow-Methods", value, sizeof(value)));
    assert_non_null(strstr(value, "POST"));
    mv_http_reply_free(&reply);
    mv_http_get(server, "/api/convo_pilot/styles", &reply);
    assert_true(mv_http_header(&reply, "Access-Control-Allow-Origin", value, sizeof(value)));
    mv_http_reply_free(&reply);
}

/* ---------------------------------------------------------------- jobs */

static void test_status_progress_and_list(void **state)
{
    const mv_test_server *server = *state;
    char *job_id = create_job(server, "\"style\":\"anime\"");
    char path[256];
    snprintf(path, sizeof(path), "/api/convo_pilot/video/%s", job_id);
    mv_http_reply reply;
    mv_http_get(server, path, &reply);
    assert_int_equal(reply.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(reply.json, "success")));
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(reply.json, "job_status");
    assert_string_equal(mv_json_string(status, NULL, "job_id"), job_id);
    const char *fields[] = {"video_title", "total_scenes", "processed_scenes", "current_stage",
                            "stage_name", "stage_progress", "overall_progress", "status",
                            "started_at", "updated_at", "completed_at", "error"};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        if (cJSON_GetObjectItemCaseSensitive(status, fields[i]) == NULL) {
            fprintf(stderr, "job_status lacks %s: %s\n", fields[i], reply.body);
            fail();
        }
    }
    assert_null(cJSON_GetObjectItemCaseSensitive(status, "video_url")); /* not completed */
    mv_http_reply_free(&reply);

    snprintf(path, sizeof(path), "/api/convo_pilot/video/progress/%s", job_id);
    mv_http_get(server, path, &reply);
    assert_int_equal(reply.status, 200);
    const cJSON *progress = cJSON_GetObjectItemCaseSensitive(reply.json, "progress");
    assert_int_equal(cJSON_GetArraySize(progress), 4);
    assert_string_equal(mv_json_string(progress, NULL, "job_id"), job_id);
    assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(progress, "overall_progress")));
    assert_non_null(mv_json_string(progress, NULL, "status"));
    assert_non_null(mv_json_string(progress, NULL, "current_stage"));
    mv_http_reply_free(&reply);

    /* The dead URL makes the job fail; its error says why. */
    char final[32];
    mv_test_wait_job(server, job_id, 30, final, sizeof(final));
    assert_string_equal(final, "failed");
    snprintf(path, sizeof(path), "/api/convo_pilot/video/%s", job_id);
    mv_http_get(server, path, &reply);
    assert_non_null(mv_json_string(reply.json, "job_status", "error"));
    mv_http_reply_free(&reply);

    /* Newest first, paged. */
    char *newer = create_job(server, NULL);
    mv_http_get(server, "/api/convo_pilot/videos?limit=2", &reply);
    assert_int_equal(reply.status, 200);
    const cJSON *jobs = cJSON_GetObjectItemCaseSensitive(reply.json, "jobs");
    assert_int_equal(cJSON_GetArraySize(jobs), 2);
    assert_string_equal(mv_json_string(cJSON_GetArrayItem(jobs, 0), NULL, "job_id"), newer);
    assert_true(cJSON_GetObjectItemCaseSensitive(reply.json, "total")->valueint >= 2);
    mv_http_reply_free(&reply);
    mv_http_get(server, "/api/convo_pilot/videos?limit=0", &reply);
    assert_error(&reply, 400, "limit");
    mv_http_reply_free(&reply);
    mv_http_get(server, "/api/convo_pilot/videos?offset=100000", &reply);
    assert_int_equal(reply.status, 200);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(reply.json, "jobs")), 0);
    mv_http_reply_free(&reply);

    /* The video of a job that did not complete is not there yet. */
    snprintf(path, sizeof(path), "/api/convo_pilot/video/%s/file", job_id);
    mv_http_get(server, path, &reply);
    assert_error(&reply, 409, "completed");
    mv_http_reply_free(&reply);
    snprintf(path, sizeof(path), "/api/convo_pilot/video/%s/thumbnail", job_id);
    mv_http_get(server, path, &reply);
    assert_error(&reply, 409, NULL);
    mv_http_reply_free(&reply);
    free(job_id);
    free(newer);
}

static void test_cancel_and_delete(void **state)
{
    const mv_test_server *server = *state;
    char *job_id = create_job(server, NULL);
    char url[512];
    snprintf(url, sizeof(url), "%s/api/convo_pilot/video/%s/cancel", server->base_url, job_id);
    mv_http_reply reply;
    mv_http("POST", url, NULL, NULL, 0, NULL, &reply);
    assert_int_equal(reply.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(reply.json, "success")));
    assert_string_equal(mv_json_string(reply.json, NULL, "job_id"), job_id);
    mv_http_reply_free(&reply);
    char final[32];
    mv_test_wait_job(server, job_id, 30, final, sizeof(final));
    assert_true(strcmp(final, "cancelled") == 0 || strcmp(final, "failed") == 0);

    snprintf(url, sizeof(url), "%s/api/convo_pilot/video/%s", server->base_url, job_id);
    mv_http("DELETE", url, NULL, NULL, 0, NULL, &reply); /* cancel again: nothing to do */
    assert_int_equal(reply.status, 200);
    mv_http_reply_free(&reply);
    snprintf(url, sizeof(url), "%s/api/convo_pilot/video/%s?purge=true", server->base_url,
             job_id);
    mv_http("DELETE", url, NULL, NULL, 0, NULL, &reply);
    assert_int_equal(reply.status, 200);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(reply.json, "deleted")));
    mv_http_reply_free(&reply);
    char path[256];
    snprintf(path, sizeof(path), "/api/convo_pilot/video/%s", job_id);
    mv_http_get(server, path, &reply);
    assert_int_equal(reply.status, 404);
    mv_http_reply_free(&reply);

    snprintf(url, sizeof(url), "%s/api/convo_pilot/video/job_20250516_123456_abcdef12/cancel",
             server->base_url);
    mv_http("POST", url, NULL, NULL, 0, NULL, &reply);
    assert_error(&reply, 404, "not found");
    mv_http_reply_free(&reply);
    free(job_id);
}

static void test_idempotency_key(void **state)
{
    const mv_test_server *server = *state;
    char url[256];
    snprintf(url, sizeof(url), "%s/api/convo_pilot/video", server->base_url);
    const char *body = "{\"url\":\"" DEAD_SONG "\"}";
    const char *key_a[] = {"Idempotency-Key: retry-test-1", NULL};
    const char *key_b[] = {"Idempotency-Key: retry-test-2", NULL};
    mv_http_reply first;
    mv_http_reply second;
    mv_http_reply other;
    mv_http("POST", url, "application/json", body, strlen(body), key_a, &first);
    mv_http("POST", url, "application/json", body, strlen(body), key_a, &second);
    mv_http("POST", url, "application/json", body, strlen(body), key_b, &other);
    assert_int_equal(first.status, 202);
    assert_int_equal(second.status, 202);
    assert_int_equal(other.status, 202);
    assert_string_equal(mv_json_string(first.json, NULL, "job_id"),
                        mv_json_string(second.json, NULL, "job_id"));
    assert_string_not_equal(mv_json_string(first.json, NULL, "job_id"),
                            mv_json_string(other.json, NULL, "job_id"));
    char replayed[16];
    assert_true(mv_http_header(&second, "Idempotent-Replayed", replayed, sizeof(replayed)));
    assert_false(mv_http_header(&first, "Idempotent-Replayed", replayed, sizeof(replayed)));
    mv_http_reply_free(&first);
    mv_http_reply_free(&second);
    mv_http_reply_free(&other);
}

static void test_access_and_job_log_lines(void **state)
{
    const mv_test_server *server = *state;
    mv_http_reply reply;
    mv_http_get(server, "/api/convo_pilot/styles?probe=log", &reply);
    mv_http_reply_free(&reply);
    /* The access line is written just after the reply is sent: allow it a moment. */
    const char *line = "access 127.0.0.1 \"GET /api/convo_pilot/styles?probe=log\" 200";
    char *log = NULL;
    for (int i = 0; i < 100; i++) {
        free(log);
        log = mv_test_server_log(server);
        if (strstr(log, line) != NULL) {
            break;
        }
        struct timespec pause = {0, 20000000L};
        nanosleep(&pause, NULL);
    }
    assert_non_null(strstr(log, line));
    assert_non_null(strstr(log, "\" 404 "));
    assert_non_null(strstr(log, " job job_")); /* job state lines */
    free(log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalogs),
        cmocka_unit_test(test_health_and_openapi),
        cmocka_unit_test(test_encoders_catalog),
        cmocka_unit_test(test_create_reply_shape_and_defaults),
        cmocka_unit_test(test_create_validation_errors),
        cmocka_unit_test(test_body_too_large_and_wrong_type),
        cmocka_unit_test(test_not_found_and_method_not_allowed),
        cmocka_unit_test(test_cors_preflight),
        cmocka_unit_test(test_status_progress_and_list),
        cmocka_unit_test(test_cancel_and_delete),
        cmocka_unit_test(test_idempotency_key),
        cmocka_unit_test(test_access_and_job_log_lines),
    };
    return cmocka_run_group_tests(tests, setup_server, teardown_server);
}
