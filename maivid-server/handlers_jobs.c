/*
 * handlers_jobs.c - the job endpoints: create (POST /api/convo_pilot/video, with the spec's
 * field names, defaults, validation and the Idempotency-Key header), status, progress,
 * cancel, delete, list and storyboard.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "server.h"

/* ---------------------------------------------------------------- request fields */

/* Sets one request field through the parameter table; absent, null or "" keep the default.
 * Strings point into body. 0, or -1 with error set. */
static int mv_field_from_json(const cJSON *body, const maivid_param_info *info,
                              maivid_job_params *params, mv_field_error *error)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(body, info->name);
    if (item == NULL || cJSON_IsNull(item)) {
        return 0;
    }
    char expect[160];
    char number[64];
    const char *value = NULL;
    int is_string = info->type == MAIVID_PARAM_STRING;
    if (is_string ? !cJSON_IsString(item) : !cJSON_IsNumber(item)) {
        error->field = info->name;
        snprintf(error->message, sizeof(error->message), "%s must be %s", info->name,
                 maivid_param_expect(info, expect, sizeof(expect)));
        return -1;
    }
    if (is_string) {
        if (item->valuestring[0] == '\0') {
            return 0;
        }
        value = item->valuestring;
    } else {
        snprintf(number, sizeof(number), "%.17g", item->valuedouble);
        value = number;
    }
    if (maivid_job_params_set(params, info->name, value, error->message,
                              sizeof(error->message)) != MAIVID_OK) {
        error->field = info->name;
        return -1;
    }
    return 0;
}

int mv_params_from_json(const cJSON *body, maivid_job_params *params,
                               mv_field_error *error)
{
    const cJSON *url = cJSON_GetObjectItemCaseSensitive(body, "url");
    if (url == NULL || cJSON_IsNull(url) || (cJSON_IsString(url) && url->valuestring[0] == '\0')) {
        error->field = "url";
        snprintf(error->message, sizeof(error->message),
                 "No URL provided: send {\"url\": \"https://suno.com/s/SONG_ID\"} (a Suno "
                 "share or song link, or a direct audio link)");
        return -1;
    }
    for (size_t i = 0; i < maivid_param_count(); i++) {
        const maivid_param_info *info = maivid_param_at(i);
        if ((info->flags & MAIVID_PARAM_API) && mv_field_from_json(body, info, params, error) != 0) {
            return -1;
        }
    }
    if (params->callback_url != NULL && !mv_webhook_url_valid(params->callback_url)) {
        error->field = "callback_url";
        snprintf(error->message, sizeof(error->message),
                 "callback_url must be an http(s) URL such as https://example.com/hook");
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- create */

/* The effective settings of the create reply: every public API field with its value (the
 * default when not given; null for "automatic" numbers and absent strings). */
static void mv_add_settings(cJSON *settings, const maivid_job_params *params)
{
    for (size_t i = 0; i < maivid_param_count(); i++) {
        const maivid_param_info *info = maivid_param_at(i);
        if (!(info->flags & MAIVID_PARAM_API) || (info->flags & MAIVID_PARAM_PRIVATE)) {
            continue;
        }
        if (info->type == MAIVID_PARAM_STRING) {
            const char *value = maivid_job_params_string(params, info);
            if (value != NULL) {
                cJSON_AddStringToObject(settings, info->name, value);
            } else {
                cJSON_AddNullToObject(settings, info->name);
            }
            continue;
        }
        double value = maivid_job_params_number(params, info);
        if (value < info->min || value > info->max) { /* the "automatic" default */
            cJSON_AddNullToObject(settings, info->name);
        } else {
            cJSON_AddNumberToObject(settings, info->name, value);
        }
    }
    cJSON_AddBoolToObject(settings, "lyrics_provided", params->lyrics != NULL);
}

/* The spec's reply: success, job_id, message and job_info (with the effective settings). */
cJSON *mv_create_reply(const char *job_id, const maivid_job_params *params)
{
    cJSON *reply = cJSON_CreateObject();
    cJSON_AddTrueToObject(reply, "success");
    cJSON_AddStringToObject(reply, "job_id", job_id);
    char message[128];
    snprintf(message, sizeof(message), "Video generation started with job ID: %s", job_id);
    cJSON_AddStringToObject(reply, "message", message);

    cJSON *info = cJSON_AddObjectToObject(reply, "job_info");
    cJSON_AddStringToObject(info, "job_id", job_id);
    cJSON_AddStringToObject(info, "status", "started");
    if (params->url != NULL) {
        cJSON_AddStringToObject(info, "url", params->url);
    } else {
        cJSON_AddNullToObject(info, "url"); /* an uploaded song */
    }
    char created[16] = ""; /* job_YYYYmmdd_HHMMSS_xxxxxxxx -> YYYYmmdd_HHMMSS */
    if (strlen(job_id) >= 19) {
        memcpy(created, job_id + 4, 15);
        created[15] = '\0';
    }
    cJSON_AddStringToObject(info, "creation_time", created);
    mv_add_settings(cJSON_AddObjectToObject(info, "settings"), params);
    return reply;
}

static int mv_idempotency_key_valid(const char *key)
{
    size_t length = strlen(key);
    if (length == 0 || length > 255) {
        return 0;
    }
    for (size_t i = 0; i < length; i++) {
        if (!isprint((unsigned char)key[i])) {
            return 0;
        }
    }
    return 1;
}

maivid_code mv_job_start(mv_server *server, const maivid_job_params *params,
                         char job_id[MAIVID_JOB_ID_SIZE], char *err, size_t err_size,
                         const char **field)
{
    *field = NULL;
    err[0] = '\0';
    if (params->callback_url != NULL &&
        mv_webhook_url_allowed(server->webhooks, params->callback_url, err, err_size) != 0) {
        *field = "callback_url";
        return MAIVID_E_INVALID;
    }
    maivid_code code = maivid_job_create(server->engine, params, job_id, err, err_size);
    if (code != MAIVID_OK) {
        if (err[0] == '\0') {
            snprintf(err, err_size, "%s", maivid_strerror(code));
        }
        return code;
    }
    if (params->callback_url != NULL) {
        mv_webhooks_register(server->webhooks, job_id, params->callback_url);
    }
    char line[2300];
    snprintf(line, sizeof(line), "state queued (created for %.2000s)", params->url);
    mv_log_line(&server->log, "info", "job", job_id, line);
    return MAIVID_OK;
}

/* Queues the job; replies 202 (or the error). The idempotency lock, when a key is given, is
 * held by the caller so that two requests with one key make one job. */
static int mv_create_job(mv_request *req, maivid_job_params *params, const char *idem_key)
{
    char job_id[MAIVID_JOB_ID_SIZE];
    char err[1024] = "";
    const char *field = NULL;
    maivid_code code = mv_job_start(req->server, params, job_id, err, sizeof(err), &field);
    if (code != MAIVID_OK && idem_key != NULL) { /* nothing made: a shared key goes free */
        maivid_idempotency_store(req->server->engine, idem_key, NULL, 0);
    }
    if (code == MAIVID_E_QUEUE_FULL) {
        static const char FULL[] =
            "{\"success\":false,\"error\":\"the job queue is full: try again in a minute "
            "(or raise --queue-limit)\",\"status\":429}";
        return mv_reply_json(req, 429, FULL, sizeof(FULL) - 1, "Retry-After: 30\r\n");
    }
    if (code != MAIVID_OK) {
        return mv_reply_error(req, field != NULL ? 400 : mv_http_status_for(code), field, "%s",
                              err);
    }
    cJSON *reply = mv_create_reply(job_id, params);
    char *text = reply != NULL ? cJSON_PrintUnformatted(reply) : NULL;
    cJSON_Delete(reply);
    if (text == NULL) { /* the job exists: say so even without the full reply */
        return mv_reply_error(req, 500, NULL, "out of memory after queueing %s", job_id);
    }
    if (idem_key != NULL) {
        mv_idempotency_store(req->server->idempotency, idem_key, text);
        maivid_idempotency_store(req->server->engine, idem_key, text, 24.0 * 3600.0);
    }
    char location[128];
    snprintf(location, sizeof(location), "Location: /api/convo_pilot/video/%s\r\n", job_id);
    int rc = mv_reply_json(req, 202, text, strlen(text), location);
    cJSON_free(text);
    return rc;
}

/* Create with an Idempotency-Key kept by the shared queue: `claimed` and `previous` are what
 * maivid_idempotency_claim() gave. */
static int mv_create_shared_idempotent(mv_request *req, maivid_job_params *params,
                                       const char *idem_key, maivid_code claimed,
                                       const char *previous, const char *err)
{
    if (claimed != MAIVID_OK) {
        return mv_reply_error(req, mv_http_status_for(claimed), "Idempotency-Key", "%s",
                              err[0] != '\0' ? err : maivid_strerror(claimed));
    }
    if (previous != NULL) {
        return mv_reply_json(req, 202, previous, strlen(previous),
                             "Idempotent-Replayed: true\r\n");
    }
    return mv_create_job(req, params, idem_key);
}

int mv_handle_create(mv_request *req)
{
    const char *idem_key = mg_get_header(req->conn, "Idempotency-Key");
    if (idem_key != NULL && !mv_idempotency_key_valid(idem_key)) {
        return mv_reply_error(req, 400, "Idempotency-Key",
                              "the Idempotency-Key header must be 1 to 255 printable "
                              "characters, e.g. a UUID");
    }
    cJSON *body = NULL;
    int rc = mv_request_read_json(req, &body);
    if (rc != 0) {
        return rc;
    }
    maivid_job_params params;
    maivid_job_params_init(&params);
    mv_field_error error = {NULL, ""};
    if (mv_params_from_json(body, &params, &error) != 0) {
        rc = mv_reply_error(req, 400, error.field, "%s", error.message);
        cJSON_Delete(body);
        return rc;
    }
    char *shared_previous = NULL;
    char shared_err[512] = "";
    maivid_code shared = idem_key == NULL ? MAIVID_E_UNSUPPORTED
                                          : maivid_idempotency_claim(req->server->engine, idem_key,
                                                                     &shared_previous, shared_err,
                                                                     sizeof(shared_err));
    if (idem_key == NULL) {
        rc = mv_create_job(req, &params, NULL);
    } else if (shared != MAIVID_E_UNSUPPORTED) { /* the key is global on a shared queue */
        rc = mv_create_shared_idempotent(req, &params, idem_key, shared, shared_previous,
                                         shared_err);
        maivid_free(shared_previous);
    } else {
        mv_idempotency_lock(req->server->idempotency);
        char *previous = mv_idempotency_find(req->server->idempotency, idem_key);
        if (previous != NULL) {
            rc = mv_reply_json(req, 202, previous, strlen(previous),
                               "Idempotent-Replayed: true\r\n");
            free(previous);
        } else {
            rc = mv_create_job(req, &params, idem_key);
        }
        mv_idempotency_unlock(req->server->idempotency);
    }
    cJSON_Delete(body);
    return rc;
}

/* ---------------------------------------------------------------- status and progress */

void mv_request_base_url(const mv_request *req, char *buf, size_t size)
{
    const char *host = mg_get_header(req->conn, "Host");
    buf[0] = '\0';
    if (host == NULL || host[0] == '\0' || strlen(host) > 200) {
        return;
    }
    for (const char *p = host; *p != '\0'; p++) {
        if (!isalnum((unsigned char)*p) && strchr(".-:[]", *p) == NULL) {
            return; /* not a plain host[:port]: use relative URLs */
        }
    }
    snprintf(buf, size, "http://%s", host);
}

int mv_job_lookup(mv_request *req, maivid_status **out)
{
    *out = NULL;
    if (!maivid_job_id_valid(req->job_id)) {
        return mv_reply_error(req, 404, "job_id",
                              "Job %s not found: job ids look like job_20250516_123456_abcdef12",
                              req->job_id);
    }
    maivid_code code = maivid_job_status(req->server->engine, req->job_id, out);
    if (code == MAIVID_E_NOT_FOUND) {
        return mv_reply_error(req, 404, "job_id",
                              "Job %s not found: list the jobs with GET /api/convo_pilot/videos",
                              req->job_id);
    }
    if (code != MAIVID_OK) {
        return mv_reply_error(req, mv_http_status_for(code), NULL, "cannot read job %s: %s",
                              req->job_id, maivid_strerror(code));
    }
    return 0;
}

/* Adds the addresses of the job's files to its status: video_url and thumbnail_url once
 * completed, song.cover_url while a cover is kept. */
static void mv_add_file_urls(const maivid_status *status, const char *base, cJSON *job)
{
    char url[600];
    const char *job_id = maivid_status_job_id(status);
    if (maivid_status_state(status) == MAIVID_JOB_COMPLETED) {
        snprintf(url, sizeof(url), "%s/api/convo_pilot/video/%s/file", base, job_id);
        cJSON_AddStringToObject(job, "video_url", url);
        snprintf(url, sizeof(url), "%s/api/convo_pilot/video/%s/thumbnail", base, job_id);
        cJSON_AddStringToObject(job, "thumbnail_url", url);
    }
    cJSON *song = cJSON_GetObjectItemCaseSensitive(job, "song");
    if (cJSON_IsObject(song) && maivid_status_song_cover_path(status) != NULL) {
        snprintf(url, sizeof(url), "%s/api/convo_pilot/video/%s/cover", base, job_id);
        cJSON_ReplaceItemInObjectCaseSensitive(song, "cover_url", cJSON_CreateString(url));
    }
}

cJSON *mv_status_json(const maivid_status *status, const char *base)
{
    char *json = maivid_status_to_json(status, 0);
    cJSON *job = json != NULL ? cJSON_Parse(json) : NULL;
    maivid_free(json);
    if (job != NULL) {
        mv_add_file_urls(status, base, job);
    }
    return job;
}

cJSON *mv_status_reply(mv_request *req, const maivid_status *status)
{
    char base[256];
    mv_request_base_url(req, base, sizeof(base));
    cJSON *job = mv_status_json(status, base);
    if (job == NULL) {
        return NULL;
    }
    cJSON *reply = cJSON_CreateObject();
    cJSON_AddTrueToObject(reply, "success");
    cJSON_AddItemToObject(reply, "job_status", job);
    return reply;
}

int mv_handle_status(mv_request *req)
{
    maivid_status *status = NULL;
    int rc = mv_job_lookup(req, &status);
    if (rc != 0) {
        return rc;
    }
    cJSON *reply = mv_status_reply(req, status);
    maivid_status_free(status);
    if (reply == NULL) {
        return mv_reply_error(req, 500, NULL, "out of memory");
    }
    return mv_reply_cjson(req, 200, reply);
}

/* The reduced progress object of the spec. */
static cJSON *mv_progress_object(const maivid_status *status)
{
    cJSON *progress = cJSON_CreateObject();
    cJSON_AddStringToObject(progress, "job_id", maivid_status_job_id(status));
    cJSON_AddNumberToObject(progress, "overall_progress", maivid_status_overall_progress(status));
    cJSON_AddStringToObject(progress, "status",
                            maivid_job_state_name(maivid_status_state(status)));
    const char *stage_text = maivid_status_stage_text(status);
    cJSON_AddStringToObject(progress, "current_stage", stage_text != NULL ? stage_text : "");
    return progress;
}

int mv_handle_progress(mv_request *req)
{
    maivid_status *status = NULL;
    int rc = mv_job_lookup(req, &status);
    if (rc != 0) {
        return rc;
    }
    cJSON *reply = cJSON_CreateObject();
    cJSON_AddTrueToObject(reply, "success");
    cJSON_AddItemToObject(reply, "progress", mv_progress_object(status));
    maivid_status_free(status);
    return mv_reply_cjson(req, 200, reply);
}

/* ---------------------------------------------------------------- cancel and delete */

static cJSON *mv_job_state_reply(mv_server *server, const char *job_id, const char *message,
                                 int deleted)
{
    cJSON *reply = cJSON_CreateObject();
    cJSON_AddTrueToObject(reply, "success");
    cJSON_AddStringToObject(reply, "job_id", job_id);
    if (deleted) {
        cJSON_AddBoolToObject(reply, "deleted", 1);
    } else {
        maivid_status *status = NULL;
        if (maivid_job_status(server->engine, job_id, &status) == MAIVID_OK) {
            cJSON_AddStringToObject(reply, "status",
                                    maivid_job_state_name(maivid_status_state(status)));
            maivid_status_free(status);
        }
    }
    cJSON_AddStringToObject(reply, "message", message);
    return reply;
}

cJSON *mv_job_cancel_reply(mv_server *server, const char *job_id, maivid_job_state before,
                           maivid_code *code, char *err, size_t err_size)
{
    err[0] = '\0';
    *code = maivid_job_cancel_ex(server->engine, job_id, err, err_size);
    if (*code != MAIVID_OK) {
        if (err[0] == '\0') {
            snprintf(err, err_size, "%s", maivid_strerror(*code));
        }
        return NULL;
    }
    char message[160];
    if (before == MAIVID_JOB_QUEUED || before == MAIVID_JOB_RUNNING) {
        snprintf(message, sizeof(message), "Job %s cancelled", job_id);
    } else {
        snprintf(message, sizeof(message), "Job %s had already ended (%s): nothing to cancel",
                 job_id, maivid_job_state_name(before));
    }
    return mv_job_state_reply(server, job_id, message, 0);
}

int mv_handle_cancel(mv_request *req)
{
    maivid_status *status = NULL;
    int rc = mv_job_lookup(req, &status);
    if (rc != 0) {
        return rc;
    }
    maivid_job_state before = maivid_status_state(status);
    maivid_status_free(status);
    char err[1024];
    maivid_code code = MAIVID_OK;
    cJSON *reply = mv_job_cancel_reply(req->server, req->job_id, before, &code, err,
                                       sizeof(err));
    if (reply == NULL) {
        return mv_reply_error(req, mv_http_status_for(code), NULL, "cannot cancel %s: %s",
                              req->job_id, err);
    }
    return mv_reply_cjson(req, 200, reply);
}

/* DELETE cancels; with ?purge=true it also removes the job and its files. */
int mv_handle_delete(mv_request *req)
{
    char purge[8] = "";
    int wants_purge = mv_request_query(req, "purge", purge, sizeof(purge)) &&
                      (strcmp(purge, "true") == 0 || strcmp(purge, "1") == 0);
    if (!wants_purge) {
        return mv_handle_cancel(req);
    }
    maivid_status *status = NULL;
    int rc = mv_job_lookup(req, &status);
    if (rc != 0) {
        return rc;
    }
    maivid_status_free(status);
    maivid_job_cancel(req->server->engine, req->job_id);
    maivid_job_wait(req->server->engine, req->job_id, 10000);
    char err[1024] = "";
    maivid_code code = maivid_job_delete_ex(req->server->engine, req->job_id, err, sizeof(err));
    if (code != MAIVID_OK) {
        return mv_reply_error(req, mv_http_status_for(code), NULL, "cannot delete %s: %s",
                              req->job_id, err[0] != '\0' ? err : maivid_strerror(code));
    }
    char message[128];
    snprintf(message, sizeof(message), "Job %s deleted", req->job_id);
    return mv_reply_cjson(req, 200, mv_job_state_reply(req->server, req->job_id, message, 1));
}

/* ---------------------------------------------------------------- list */

static int mv_query_count(const mv_request *req, const char *name, long fallback, long low,
                          long high, long *out)
{
    char text[32];
    *out = fallback;
    if (!mv_request_query(req, name, text, sizeof(text))) {
        return 0;
    }
    char *end = NULL;
    long value = strtol(text, &end, 10);
    if (end == text || *end != '\0' || value < low || value > high) {
        return -1;
    }
    *out = value;
    return 0;
}

int mv_handle_list(mv_request *req)
{
    long limit = 20;
    long offset = 0;
    if (mv_query_count(req, "limit", 20, 1, 100, &limit) != 0) {
        return mv_reply_error(req, 400, "limit", "limit must be a whole number from 1 to 100");
    }
    if (mv_query_count(req, "offset", 0, 0, 100000000, &offset) != 0) {
        return mv_reply_error(req, 400, "offset", "offset must be a whole number, 0 or more");
    }
    char **ids = NULL;
    size_t count = 0;
    maivid_code code = maivid_job_list(req->server->engine, &ids, &count);
    if (code != MAIVID_OK) {
        return mv_reply_error(req, mv_http_status_for(code), NULL, "cannot list jobs: %s",
                              maivid_strerror(code));
    }
    char base[256];
    mv_request_base_url(req, base, sizeof(base));
    cJSON *reply = cJSON_CreateObject();
    cJSON_AddTrueToObject(reply, "success");
    cJSON_AddNumberToObject(reply, "total", (double)count);
    cJSON_AddNumberToObject(reply, "offset", (double)offset);
    cJSON_AddNumberToObject(reply, "limit", (double)limit);
    cJSON *jobs = cJSON_AddArrayToObject(reply, "jobs");
    for (size_t i = (size_t)offset; i < count && i < (size_t)(offset + limit); i++) {
        maivid_status *status = NULL;
        if (maivid_job_status(req->server->engine, ids[i], &status) != MAIVID_OK) {
            continue; /* deleted meanwhile */
        }
        cJSON *job = mv_progress_object(status);
        const char *title = maivid_status_title(status);
        if (title != NULL) {
            cJSON_AddStringToObject(job, "video_title", title);
        }
        if (strlen(ids[i]) >= 19) {
            char created[16];
            memcpy(created, ids[i] + 4, 15);
            created[15] = '\0';
            cJSON_AddStringToObject(job, "creation_time", created);
        }
        if (maivid_status_song_duration(status) > 0) {
            cJSON_AddNumberToObject(job, "duration", maivid_status_song_duration(status));
        }
        if (maivid_status_state(status) == MAIVID_JOB_COMPLETED) {
            char url[400];
            snprintf(url, sizeof(url), "%s/api/convo_pilot/video/%s/file", base, ids[i]);
            cJSON_AddStringToObject(job, "video_url", url);
            snprintf(url, sizeof(url), "%s/api/convo_pilot/video/%s/thumbnail", base, ids[i]);
            cJSON_AddStringToObject(job, "thumbnail_url", url);
        }
        cJSON_AddItemToArray(jobs, job);
        maivid_status_free(status);
    }
    maivid_free(ids);
    return mv_reply_cjson(req, 200, reply);
}

/* ---------------------------------------------------------------- storyboard */

int mv_handle_storyboard(mv_request *req)
{
    maivid_status *status = NULL;
    int rc = mv_job_lookup(req, &status);
    if (rc != 0) {
        return rc;
    }
    char path[4096];
    snprintf(path, sizeof(path), "%s/storyboard.json", maivid_status_job_dir(status));
    maivid_status_free(status);
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        return mv_reply_error(req, 404, NULL,
                              "job %s has no storyboard yet: it is written when the "
                              "scene_planning stage ends; poll the job status and retry",
                              req->job_id);
    }
    enum { MAX_STORYBOARD = 8 * 1024 * 1024 };
    char *text = malloc(MAX_STORYBOARD + 1);
    size_t length = text != NULL ? fread(text, 1, MAX_STORYBOARD, file) : 0;
    fclose(file);
    if (text == NULL) {
        return mv_reply_error(req, 500, NULL, "out of memory");
    }
    text[length] = '\0';
    cJSON *storyboard = maivid_json_depth(text, length) <= MAIVID_JSON_MAX_DEPTH
                            ? cJSON_ParseWithLength(text, length)
                            : NULL;
    if (storyboard == NULL) {
        free(text);
        return mv_reply_error(req, 500, NULL,
                              "the storyboard of %s is damaged (not JSON): resume or re-create "
                              "the job", req->job_id);
    }
    cJSON *reply = cJSON_CreateObject();
    cJSON_AddTrueToObject(reply, "success");
    cJSON_AddStringToObject(reply, "job_id", req->job_id);
    cJSON_AddItemToObject(reply, "storyboard", storyboard);
    free(text);
    return mv_reply_cjson(req, 200, reply);
}
