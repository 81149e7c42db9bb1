/*
 * server_studio.c - the endpoints MaiVid Studio stands on, over real loopback HTTP:
 *   - GET .../events: Server-Sent Events (text/event-stream, retry:, a comment line, one
 *     `status` event per change carrying the status endpoint's JSON, ids; the stream ends
 *     after the terminal event; Last-Event-ID of the last status -> 204; max_seconds bounds a
 *     stream on a job that does not move; the API key applies);
 *   - POST /api/convo_pilot/upload: a real multipart upload (libcurl's mime API) makes a job
 *     that completes from a file kept in its source/ folder; refused: no file, a file that is
 *     not audio, a wrong content type, a bad field, a declared size over the cap;
 *   - GET .../scenes?n=N: scene images once made;
 *   - the studio page at / (and its assets) with a CSP, and --no-ui turning it off;
 *   - OpenAPI lists the new paths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "ingest_audio.h"
#include "mv_test_util.h"
#include "server_harness.h"
#include "util/mv_common.h"

#define KEY "studio-test-key"

static double mv_test_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

typedef struct studio_env {
    mv_test_server server;
    mv_fixture fixture;
    char *dir;
    char *wav;
} studio_env;

static const char *const KEY_HEADER[] = {"X-API-Key: " KEY, NULL};

static int studio_setup(void **state)
{
    studio_env *env = calloc(1, sizeof(*env));
    env->dir = mv_test_tmpdir("server-studio");
    env->wav = mv_strdup_printf("%s/song.wav", env->dir);
    if (ingest_make_audio(env->wav, "wav", 3.0, NULL) != 0 ||
        mv_fixture_start(&env->fixture, env->wav) != 0) {
        return -1;
    }
    const char *args[] = {"--allow-private-urls", "--api-key", KEY, NULL};
    if (mv_test_server_start(&env->server, NULL, args) != 0) {
        mv_fixture_stop(&env->fixture);
        return -1;
    }
    *state = env;
    return 0;
}

static int studio_teardown(void **state)
{
    studio_env *env = *state;
    mv_test_server_stop(&env->server);
    int clean = env->server.exit_status == 0;
    mv_test_server_free(&env->server);
    mv_fixture_stop(&env->fixture);
    free(env->wav);
    free(env->dir);
    free(env);
    return clean ? 0 : -1;
}

static int get(const studio_env *env, const char *path, const char *const *headers,
               mv_http_reply *reply)
{
    char url[512];
    snprintf(url, sizeof(url), "%s%s", env->server.base_url, path);
    return mv_http("GET", url, NULL, NULL, 0, headers, reply);
}

/* A short painter job from the fixture's song; its id into job_id. */
static void make_job(const studio_env *env, const char *song, char *job_id, size_t size)
{
    char url[512];
    char body[600];
    snprintf(url, sizeof(url), "%s/api/convo_pilot/video", env->server.base_url);
    snprintf(body, sizeof(body),
             "{\"url\":\"%s/%s\",\"model_type\":\"procedural\",\"resolution\":\"480p\","
             "\"fps\":12,\"scene_count\":2}", env->fixture.base_url, song);
    mv_http_reply reply;
    assert_int_equal(mv_http("POST", url, "application/json", body, strlen(body), KEY_HEADER,
                             &reply), 0);
    assert_int_equal(reply.status, 202);
    snprintf(job_id, size, "%s", mv_json_string(reply.json, NULL, "job_id"));
    mv_http_reply_free(&reply);
}

/* The data: lines of the `status` events of an SSE body, parsed; ids into ids[]. */
static int parse_events(const char *body, cJSON **events, char ids[][32], int max)
{
    int count = 0;
    const char *p = body;
    char id[32] = "";
    while (p != NULL && *p != '\0' && count < max) {
        const char *end = strchr(p, '\n');
        size_t length = end != NULL ? (size_t)(end - p) : strlen(p);
        if (length > 4 && strncmp(p, "id: ", 4) == 0) {
            snprintf(id, sizeof(id), "%.*s", (int)(length - 4), p + 4);
        } else if (length > 6 && strncmp(p, "data: ", 6) == 0) {
            events[count] = cJSON_ParseWithLength(p + 6, length - 6);
            snprintf(ids[count], 32, "%s", id);
            count++;
        }
        p = end != NULL ? end + 1 : NULL;
    }
    return count;
}

static void test_events_stream(void **state)
{
    studio_env *env = *state;
    char job_id[64];
    make_job(env, "song.wav", job_id, sizeof(job_id));
    char path[256];
    snprintf(path, sizeof(path), "/api/convo_pilot/video/%s/events", job_id);

    mv_http_reply reply;
    assert_int_equal(get(env, path, NULL, &reply), 0);
    assert_int_equal(reply.status, 401); /* the key applies to the stream too */
    mv_http_reply_free(&reply);

    assert_int_equal(get(env, path, KEY_HEADER, &reply), 0); /* ends with the job */
    assert_int_equal(reply.status, 200);
    char type[128];
    assert_true(mv_http_header(&reply, "Content-Type", type, sizeof(type)));
    assert_non_null(strstr(type, "text/event-stream"));
    assert_int_equal(strncmp(reply.body, "retry: ", 7), 0);
    assert_non_null(strstr(reply.body, "\n: ")); /* a comment line (heartbeat form) */
    cJSON *events[400];
    char ids[400][32];
    int count = parse_events(reply.body, events, ids, 400);
    assert_true(count >= 2);
    for (int i = 1; i < count; i++) {
        assert_string_not_equal(ids[i], ids[i - 1]); /* one event per change */
    }
    double last_progress = -1;
    for (int i = 0; i < count; i++) {
        assert_non_null(events[i]);
        const cJSON *job = cJSON_GetObjectItemCaseSensitive(events[i], "job_status");
        assert_non_null(job);
        double progress = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(job, "overall_progress"));
        assert_true(progress >= last_progress);
        last_progress = progress;
    }
    const cJSON *final = cJSON_GetObjectItemCaseSensitive(events[count - 1], "job_status");
    assert_string_equal(mv_json_string(final, NULL, "status"), "completed");
    assert_non_null(mv_json_string(final, NULL, "video_url"));

    /* the same JSON as the status endpoint */
    char status_path[256];
    snprintf(status_path, sizeof(status_path), "/api/convo_pilot/video/%s", job_id);
    mv_http_reply status;
    assert_int_equal(get(env, status_path, KEY_HEADER, &status), 0);
    char *a = cJSON_PrintUnformatted(events[count - 1]);
    assert_string_equal(a, status.body);
    cJSON_free(a);
    mv_http_reply_free(&status);

    /* resume: with the last id nothing new will come -> 204 (EventSource stops) */
    char last[64];
    snprintf(last, sizeof(last), "Last-Event-ID: %s", ids[count - 1]);
    const char *resume[] = {"X-API-Key: " KEY, last, NULL};
    mv_http_reply again;
    assert_int_equal(get(env, path, resume, &again), 0);
    assert_int_equal(again.status, 204);
    mv_http_reply_free(&again);
    /* an older id gets the current status once */
    snprintf(last, sizeof(last), "Last-Event-ID: %s", ids[0]);
    assert_int_equal(get(env, path, resume, &again), 0);
    assert_int_equal(again.status, 200);
    cJSON *one[4];
    char one_ids[4][32];
    int got = parse_events(again.body, one, one_ids, 4);
    assert_int_equal(got, 1);
    assert_string_equal(one_ids[0], ids[count - 1]);
    cJSON_Delete(one[0]);
    mv_http_reply_free(&again);
    for (int i = 0; i < count; i++) {
        cJSON_Delete(events[i]);
    }
    mv_http_reply_free(&reply);

    /* the scene images the storyboard fills with */
    char scene[256];
    snprintf(scene, sizeof(scene), "/api/convo_pilot/video/%s/scenes?n=1", job_id);
    assert_int_equal(get(env, scene, KEY_HEADER, &reply), 0);
    assert_int_equal(reply.status, 200);
    assert_true(reply.length > 8 && memcmp(reply.body, "\x89PNG", 4) == 0);
    mv_http_reply_free(&reply);
    snprintf(scene, sizeof(scene), "/api/convo_pilot/video/%s/scenes?n=3", job_id);
    assert_int_equal(get(env, scene, KEY_HEADER, &reply), 0);
    assert_int_equal(reply.status, 404);
    mv_http_reply_free(&reply);
    snprintf(scene, sizeof(scene), "/api/convo_pilot/video/%s/scenes?n=0", job_id);
    assert_int_equal(get(env, scene, KEY_HEADER, &reply), 0);
    assert_int_equal(reply.status, 400);
    mv_http_reply_free(&reply);
}

/* A job that does not move (its song stalls): the stream still ends after max_seconds. */
static void test_events_bounded(void **state)
{
    studio_env *env = *state;
    char job_id[64];
    make_job(env, "slow.wav", job_id, sizeof(job_id));
    char path[256];
    snprintf(path, sizeof(path), "/api/convo_pilot/video/%s/events?max_seconds=1", job_id);
    double start = mv_test_now();
    mv_http_reply reply;
    assert_int_equal(get(env, path, KEY_HEADER, &reply), 0);
    double took = mv_test_now() - start;
    assert_int_equal(reply.status, 200);
    assert_true(took >= 0.9 && took < 5.0);
    assert_non_null(strstr(reply.body, "event: status"));
    mv_http_reply_free(&reply);
    snprintf(path, sizeof(path), "/api/convo_pilot/video/%s/events?max_seconds=0", job_id);
    assert_int_equal(get(env, path, KEY_HEADER, &reply), 0);
    assert_int_equal(reply.status, 400);
    mv_http_reply_free(&reply);
    snprintf(path, sizeof(path), "/api/convo_pilot/video/%s/cancel", job_id);
    char url[512];
    snprintf(url, sizeof(url), "%s%s", env->server.base_url, path);
    assert_int_equal(mv_http("POST", url, NULL, NULL, 0, KEY_HEADER, &reply), 0);
    mv_http_reply_free(&reply);
    pthread_mutex_lock(&env->fixture.lock);
    env->fixture.stop_stalling = 1;
    pthread_mutex_unlock(&env->fixture.lock);
    assert_int_equal(get(env, "/api/convo_pilot/video/job_20250101_000000_00000000/events",
                         KEY_HEADER, &reply), 0);
    assert_int_equal(reply.status, 404);
    mv_http_reply_free(&reply);
}

static size_t collect(char *data, size_t size, size_t count, void *user)
{
    char **text = user;
    size_t have = *text != NULL ? strlen(*text) : 0;
    char *grown = realloc(*text, have + size * count + 1);
    memcpy(grown + have, data, size * count);
    grown[have + size * count] = '\0';
    *text = grown;
    return size * count;
}

/* POSTs a multipart form: `file` (path or NULL) plus name=value pairs (NULL-terminated). */
static long upload(const studio_env *env, const char *file, const char *const *fields,
                   cJSON **reply)
{
    CURL *curl = curl_easy_init();
    curl_mime *mime = curl_mime_init(curl);
    for (size_t i = 0; fields != NULL && fields[i] != NULL; i += 2) {
        curl_mimepart *part = curl_mime_addpart(mime);
        curl_mime_name(part, fields[i]);
        curl_mime_data(part, fields[i + 1], CURL_ZERO_TERMINATED);
    }
    if (file != NULL) {
        curl_mimepart *part = curl_mime_addpart(mime);
        curl_mime_name(part, "file");
        curl_mime_filedata(part, file);
    }
    char url[256];
    snprintf(url, sizeof(url), "%s/api/convo_pilot/upload", env->server.base_url);
    struct curl_slist *headers = curl_slist_append(NULL, "X-API-Key: " KEY);
    char *body = NULL;
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    long status = 0;
    if (curl_easy_perform(curl) == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    }
    *reply = body != NULL ? cJSON_Parse(body) : NULL;
    free(body);
    curl_slist_free_all(headers);
    curl_mime_free(mime);
    curl_easy_cleanup(curl);
    return status;
}

static void test_upload_makes_a_job(void **state)
{
    studio_env *env = *state;
    const char *fields[] = {"model_type", "procedural", "resolution", "480p", "fps", "12",
                            "scene_count", "1", "title", "Uploaded tone", NULL};
    cJSON *reply = NULL;
    assert_int_equal(upload(env, env->wav, fields, &reply), 202);
    const char *job = mv_json_string(reply, NULL, "job_id");
    assert_non_null(job);
    assert_string_equal(mv_json_string(reply, "job_info", "filename"), "song.wav");
    char job_id[64];
    snprintf(job_id, sizeof(job_id), "%s", job);
    cJSON_Delete(reply);
    /* wait for it with the key (mv_test_wait_job sends none) */
    char path[256];
    snprintf(path, sizeof(path), "/api/convo_pilot/video/%s", job_id);
    mv_http_reply status;
    double deadline = mv_test_now() + 90.0;
    const char *state_name = NULL;
    do {
        assert_int_equal(get(env, path, KEY_HEADER, &status), 0);
        state_name = mv_json_string(status.json, "job_status", "status");
        if (strcmp(state_name, "running") == 0 || strcmp(state_name, "queued") == 0) {
            mv_http_reply_free(&status);
            usleep(200 * 1000);
            state_name = NULL;
        }
    } while (state_name == NULL && mv_test_now() < deadline);
    assert_non_null(state_name);
    assert_string_equal(state_name, "completed");
    const cJSON *song = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(status.json, "job_status"), "song");
    assert_string_equal(mv_json_string(song, NULL, "source_kind"), "file");
    mv_http_reply_free(&status);
    /* the upload is kept in the job's source/ folder, and nothing waits in uploads/ */
    char *source = mv_strdup_printf("%s/jobs/%s/source/upload", env->server.data_dir, job_id);
    DIR *dir = opendir(source);
    assert_non_null(dir);
    int found = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        found |= strcmp(entry->d_name, "song.wav") == 0;
    }
    closedir(dir);
    assert_true(found);
    free(source);
    char *uploads = mv_strdup_printf("%s/uploads", env->server.data_dir);
    dir = opendir(uploads);
    assert_non_null(dir);
    int left = 0;
    while ((entry = readdir(dir)) != NULL) {
        left += entry->d_name[0] != '.';
    }
    closedir(dir);
    assert_int_equal(left, 0);
    free(uploads);
}

static void test_upload_refusals(void **state)
{
    studio_env *env = *state;
    cJSON *reply = NULL;
    const char *fields[] = {"model_type", "procedural", NULL};
    assert_int_equal(upload(env, NULL, fields, &reply), 400); /* no file */
    assert_string_equal(mv_json_string(reply, NULL, "field"), "file");
    cJSON_Delete(reply);

    char *text = mv_strdup_printf("%s/notes.txt", env->dir);
    FILE *f = fopen(text, "w");
    fputs("these are not the droids\n", f);
    fclose(f);
    assert_int_equal(upload(env, text, fields, &reply), 415); /* not audio */
    assert_non_null(strstr(mv_json_string(reply, NULL, "error"), "not audio"));
    cJSON_Delete(reply);
    free(text);

    const char *bad[] = {"style", "no_such_style", NULL};
    assert_int_equal(upload(env, env->wav, bad, &reply), 400); /* as POST .../video says */
    assert_non_null(mv_json_string(reply, NULL, "error"));
    assert_non_null(strstr(mv_json_string(reply, NULL, "error"), "style"));
    cJSON_Delete(reply);
    const char *both[] = {"url", "https://example.com/a.mp3", NULL};
    assert_int_equal(upload(env, env->wav, both, &reply), 400);
    assert_string_equal(mv_json_string(reply, NULL, "field"), "url");
    cJSON_Delete(reply);

    char url[256];
    snprintf(url, sizeof(url), "%s/api/convo_pilot/upload", env->server.base_url);
    mv_http_reply plain;
    assert_int_equal(mv_http("POST", url, "application/json", "{}", 2, KEY_HEADER, &plain), 0);
    assert_int_equal(plain.status, 415);
    mv_http_reply_free(&plain);
    /* a body declared larger than a song may be is refused before it is read */
    const char *huge[] = {"X-API-Key: " KEY, "Content-Length: 900000000", NULL};
    assert_int_equal(mv_http("POST", url, "multipart/form-data; boundary=x", "--x", 3, huge,
                             &plain), 0);
    assert_int_equal(plain.status, 413);
    mv_http_reply_free(&plain);
}

static void test_page_and_openapi(void **state)
{
    studio_env *env = *state;
    mv_http_reply reply;
    assert_int_equal(get(env, "/", NULL, &reply), 0); /* the page itself needs no key */
    assert_int_equal(reply.status, 200);
    char value[512];
    assert_true(mv_http_header(&reply, "Content-Type", value, sizeof(value)));
    assert_non_null(strstr(value, "text/html"));
    assert_true(mv_http_header(&reply, "Content-Security-Policy", value, sizeof(value)));
    assert_non_null(strstr(reply.body, "MaiVid Studio"));
    mv_http_reply_free(&reply);
    assert_int_equal(get(env, "/ui/studio.js", NULL, &reply), 0);
    assert_int_equal(reply.status, 200);
    assert_non_null(strstr(reply.body, "EventSource"));
    mv_http_reply_free(&reply);
    assert_int_equal(get(env, "/ui/nothing.js", NULL, &reply), 0);
    assert_int_equal(reply.status, 404);
    mv_http_reply_free(&reply);

    assert_int_equal(get(env, "/api/openapi.json", NULL, &reply), 0);
    const cJSON *paths = cJSON_GetObjectItemCaseSensitive(reply.json, "paths");
    assert_non_null(cJSON_GetObjectItemCaseSensitive(paths, "/api/convo_pilot/video/{job_id}/events"));
    assert_non_null(cJSON_GetObjectItemCaseSensitive(paths, "/api/convo_pilot/upload"));
    assert_non_null(cJSON_GetObjectItemCaseSensitive(paths, "/api/convo_pilot/video/{job_id}/scenes"));
    mv_http_reply_free(&reply);

    /* the styles catalog carries the preview palette */
    assert_int_equal(get(env, "/api/convo_pilot/styles", KEY_HEADER, &reply), 0);
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(reply.json, "styles"), 0);
    const cJSON *palette = cJSON_GetObjectItemCaseSensitive(first, "palette");
    assert_true(cJSON_GetArraySize(palette) > 0);
    assert_int_equal(strlen(cJSON_GetArrayItem(palette, 0)->valuestring), 7);
    mv_http_reply_free(&reply);
}

static void test_no_ui(void **state)
{
    (void)state;
    mv_test_server server;
    const char *args[] = {"--no-ui", NULL};
    assert_int_equal(mv_test_server_start(&server, NULL, args), 0);
    mv_http_reply reply;
    assert_int_equal(mv_http_get(&server, "/", &reply), 0);
    assert_int_equal(reply.status, 404);
    assert_non_null(reply.json);
    mv_http_reply_free(&reply);
    assert_int_equal(mv_http_get(&server, "/ui/studio.js", &reply), 0);
    assert_int_equal(reply.status, 404);
    mv_http_reply_free(&reply);
    assert_int_equal(mv_http_get(&server, "/api/health", &reply), 0);
    assert_int_equal(reply.status, 200);
    mv_http_reply_free(&reply);
    mv_test_server_stop(&server);
    assert_int_equal(server.exit_status, 0);
    mv_test_server_free(&server);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_page_and_openapi),
        cmocka_unit_test(test_events_stream),
        cmocka_unit_test(test_events_bounded),
        cmocka_unit_test(test_upload_makes_a_job),
        cmocka_unit_test(test_upload_refusals),
        cmocka_unit_test(test_no_ui),
    };
    return cmocka_run_group_tests(tests, studio_setup, studio_teardown);
}
