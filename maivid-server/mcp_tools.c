/*
 * mcp_tools.c - tools/call for the MCP tools create_video_from_url, get_video_status,
 * cancel_video, list_models and list_styles (their schemas: mcp_tools_list.c). A result is the
 * API's reply JSON as structured content plus a one-line summary for people; a bad argument is
 * a result with isError naming the field. A call may wait on its job (wait_seconds), sending
 * notifications/progress when the client gave a progressToken.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mcp_tools.h"

/* ---------------------------------------------------------------- results */

/* The CallToolResult: the summary line, the structured reply, and its JSON text too (for
 * clients of the 2025-03-26 revision, which has no structured content). Takes structured. */
static cJSON *mv_tool_result(cJSON *structured, const char *summary, int is_error)
{
    cJSON *result = cJSON_CreateObject();
    cJSON *content = cJSON_AddArrayToObject(result, "content");
    cJSON *line = cJSON_CreateObject();
    cJSON_AddStringToObject(line, "type", "text");
    cJSON_AddStringToObject(line, "text", summary);
    cJSON_AddItemToArray(content, line);
    char *json = cJSON_PrintUnformatted(structured);
    if (json != NULL) {
        cJSON *raw = cJSON_CreateObject();
        cJSON_AddStringToObject(raw, "type", "text");
        cJSON_AddStringToObject(raw, "text", json);
        cJSON_AddItemToArray(content, raw);
        cJSON_free(json);
    }
    cJSON_AddItemToObject(result, "structuredContent", structured);
    cJSON_AddBoolToObject(result, "isError", is_error);
    return result;
}

/* A failed call: {success:false, error, field} and the message as its summary. */
static cJSON *mv_tool_error(const char *field, const char *format, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static cJSON *mv_tool_error(const char *field, const char *format, ...)
{
    char message[1024];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof(message), format, args);
    va_end(args);
    cJSON *structured = mv_error_body(field, message);
    char summary[1200];
    if (field != NULL && strncmp(message, field, strlen(field)) != 0) {
        snprintf(summary, sizeof(summary), "Invalid %s: %s", field, message);
    } else {
        snprintf(summary, sizeof(summary), "%s", message);
    }
    return mv_tool_result(structured, summary, 1);
}

/* One line about a job's state, for people. */
static void mv_status_summary(const maivid_status *status, const cJSON *job, char *buf,
                              size_t size)
{
    const char *id = maivid_status_job_id(status);
    const char *stage = maivid_status_stage_text(status);
    switch (maivid_status_state(status)) {
    case MAIVID_JOB_QUEUED:
        snprintf(buf, size, "Job %s is waiting in the queue (position %d).", id,
                 maivid_status_queue_position(status));
        break;
    case MAIVID_JOB_RUNNING: {
        int used = snprintf(buf, size, "Job %s is %.0f%% done: %s", id,
                            maivid_status_overall_progress(status),
                            stage != NULL && stage[0] != '\0' ? stage : "working");
        double eta = maivid_status_eta_seconds(status);
        if (eta >= 0 && used > 0 && (size_t)used < size) {
            snprintf(buf + used, size - (size_t)used, ", about %.0f s left.", ceil(eta));
        } else if (used > 0 && (size_t)used < size) {
            snprintf(buf + used, size - (size_t)used, ".");
        }
        break;
    }
    case MAIVID_JOB_COMPLETED: {
        const cJSON *url = cJSON_GetObjectItemCaseSensitive(job, "video_url");
        const char *title = maivid_status_title(status);
        snprintf(buf, size, "Job %s is done: the video%s%s%s is ready at %s", id,
                 title != NULL ? " \"" : "", title != NULL ? title : "",
                 title != NULL ? "\"" : "", cJSON_IsString(url) ? url->valuestring : "(no URL)");
        break;
    }
    case MAIVID_JOB_FAILED: {
        const char *error = maivid_status_error(status);
        snprintf(buf, size, "Job %s failed: %s", id, error != NULL ? error : "unknown error");
        break;
    }
    default:
        snprintf(buf, size, "Job %s was cancelled.", id);
        break;
    }
}

/* ---------------------------------------------------------------- waiting on a job */

static int mv_state_ended(maivid_job_state state)
{
    return state == MAIVID_JOB_COMPLETED || state == MAIVID_JOB_FAILED ||
           state == MAIVID_JOB_CANCELLED;
}

/* notifications/progress with the caller's token: overall percent of 100 and the stage. */
static int mv_send_progress(const mv_mcp_call *call, const maivid_status *status)
{
    cJSON *params = cJSON_CreateObject();
    cJSON_AddItemToObject(params, "progressToken", cJSON_Duplicate(call->progress_token, 0));
    cJSON_AddNumberToObject(params, "progress", maivid_status_overall_progress(status));
    cJSON_AddNumberToObject(params, "total", 100);
    const char *stage = maivid_status_stage_text(status);
    char message[300];
    snprintf(message, sizeof(message), "%s%s%s", maivid_job_state_name(maivid_status_state(status)),
             stage != NULL && stage[0] != '\0' ? ": " : "", stage != NULL ? stage : "");
    cJSON_AddStringToObject(params, "message", message);
    return call->notify(call->notify_context, mv_rpc_notification("notifications/progress",
                                                                  params));
}

/* The job's status once it has ended, `seconds` have passed, the client has gone or the
 * server stops; progress notifications meanwhile when asked for. NULL if the job is gone. */
static maivid_status *mv_wait_job(const mv_mcp_call *call, const char *job_id, double seconds)
{
    double deadline = mv_server_now() + seconds;
    int streaming = call->progress_token != NULL && call->notify != NULL;
    double sent = -1.0;
    for (;;) {
        maivid_status *status = NULL;
        if (maivid_job_status(call->server->engine, job_id, &status) != MAIVID_OK) {
            return NULL;
        }
        double progress = maivid_status_overall_progress(status);
        if (streaming && progress > sent) { /* the spec wants it to grow with each one */
            sent = progress;
            if (mv_send_progress(call, status) != 0) {
                return status; /* the client has gone: stop waiting for it */
            }
        }
        if (mv_state_ended(maivid_status_state(status)) || mv_server_now() >= deadline ||
            mv_mcp_sleep(call->server->mcp, 0.25)) {
            return status;
        }
        maivid_status_free(status);
    }
}

/* wait_seconds from arguments into *seconds: 0 when absent. -1 with a tool error. */
static int mv_wait_argument(const cJSON *arguments, double *seconds, cJSON **error)
{
    const cJSON *wait = cJSON_GetObjectItemCaseSensitive(arguments, "wait_seconds");
    *seconds = 0;
    if (wait == NULL || cJSON_IsNull(wait)) {
        return 0;
    }
    if (!cJSON_IsNumber(wait) || !(wait->valuedouble >= 0) ||
        wait->valuedouble > MV_MCP_MAX_WAIT_SECONDS) {
        *error = mv_tool_error("wait_seconds",
                               "wait_seconds must be a number of seconds from 0 to %.0f",
                               MV_MCP_MAX_WAIT_SECONDS);
        return -1;
    }
    *seconds = wait->valuedouble;
    return 0;
}

/* The job named by arguments.job_id: its status, or NULL with a tool error. */
static maivid_status *mv_job_argument(const mv_mcp_call *call, const cJSON *arguments,
                                      cJSON **error)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(arguments, "job_id");
    if (!cJSON_IsString(id)) {
        *error = mv_tool_error("job_id", "job_id is required: the id "
                               "create_video_from_url returned, like "
                               "job_20250516_123456_abcdef12");
        return NULL;
    }
    if (!maivid_job_id_valid(id->valuestring)) {
        *error = mv_tool_error("job_id", "Job %.100s not found: job ids look like "
                               "job_20250516_123456_abcdef12", id->valuestring);
        return NULL;
    }
    maivid_status *status = NULL;
    maivid_code code = maivid_job_status(call->server->engine, id->valuestring, &status);
    if (code == MAIVID_E_NOT_FOUND) {
        *error = mv_tool_error("job_id", "Job %s not found: it may have been deleted; "
                               "create a new one with create_video_from_url", id->valuestring);
        return NULL;
    }
    if (code != MAIVID_OK) {
        *error = mv_tool_error(NULL, "cannot read job %s: %s",
                               id->valuestring, maivid_strerror(code));
        return NULL;
    }
    return status;
}

/* ---------------------------------------------------------------- the tools */

static cJSON *mv_tool_create(const mv_mcp_call *call, const cJSON *arguments)
{
    cJSON *error = NULL;
    double wait = 0;
    if (mv_wait_argument(arguments, &wait, &error) != 0) {
        return error;
    }
    maivid_job_params params;
    maivid_job_params_init(&params);
    mv_field_error field_error = {NULL, ""};
    if (mv_params_from_json(arguments, &params, &field_error) != 0) {
        return mv_tool_error(field_error.field, "%s", field_error.message);
    }
    char job_id[MAIVID_JOB_ID_SIZE];
    char err[1024];
    const char *field = NULL;
    maivid_code code = mv_job_start(call->server, &params, job_id, err, sizeof(err), &field);
    if (code == MAIVID_E_QUEUE_FULL) {
        return mv_tool_error(NULL, "the job queue is full: try again in a minute");
    }
    if (code != MAIVID_OK) {
        return mv_tool_error(field, "%s", err);
    }
    cJSON *reply = mv_create_reply(job_id, &params);
    char summary[1400];
    snprintf(summary, sizeof(summary),
             "Started music video job %s for %.1000s; ask get_video_status with this job_id "
             "to follow it.", job_id, params.url);
    if (wait > 0) {
        maivid_status *status = mv_wait_job(call, job_id, wait);
        cJSON *job = status != NULL ? mv_status_json(status, call->base_url) : NULL;
        if (job != NULL) {
            mv_status_summary(status, job, summary, sizeof(summary));
            cJSON_AddItemToObject(reply, "job_status", job);
        }
        maivid_status_free(status);
    }
    return mv_tool_result(reply, summary, 0);
}

static cJSON *mv_tool_status(const mv_mcp_call *call, const cJSON *arguments)
{
    cJSON *error = NULL;
    double wait = 0;
    if (mv_wait_argument(arguments, &wait, &error) != 0) {
        return error;
    }
    maivid_status *status = mv_job_argument(call, arguments, &error);
    if (status == NULL) {
        return error;
    }
    if (wait > 0) {
        char id[MAIVID_JOB_ID_SIZE];
        snprintf(id, sizeof(id), "%s", maivid_status_job_id(status));
        maivid_status_free(status);
        status = mv_wait_job(call, id, wait);
        if (status == NULL) {
            return mv_tool_error("job_id", "Job %s was deleted while waiting", id);
        }
    }
    cJSON *job = mv_status_json(status, call->base_url);
    if (job == NULL) {
        maivid_status_free(status);
        return mv_tool_error(NULL, "out of memory");
    }
    char summary[1400];
    mv_status_summary(status, job, summary, sizeof(summary));
    maivid_status_free(status);
    cJSON *reply = cJSON_CreateObject();
    cJSON_AddTrueToObject(reply, "success");
    cJSON_AddItemToObject(reply, "job_status", job);
    return mv_tool_result(reply, summary, 0);
}

static cJSON *mv_tool_cancel(const mv_mcp_call *call, const cJSON *arguments)
{
    cJSON *error = NULL;
    maivid_status *status = mv_job_argument(call, arguments, &error);
    if (status == NULL) {
        return error;
    }
    char id[MAIVID_JOB_ID_SIZE];
    snprintf(id, sizeof(id), "%s", maivid_status_job_id(status));
    maivid_job_state before = maivid_status_state(status);
    maivid_status_free(status);
    maivid_code code = MAIVID_OK;
    char err[1024];
    cJSON *reply = mv_job_cancel_reply(call->server, id, before, &code, err, sizeof(err));
    if (reply == NULL) {
        return mv_tool_error(NULL, "cannot cancel %s: %s", id, err);
    }
    const cJSON *message = cJSON_GetObjectItemCaseSensitive(reply, "message");
    char summary[300];
    snprintf(summary, sizeof(summary), "%s.", cJSON_IsString(message) ? message->valuestring : id);
    return mv_tool_result(reply, summary, 0);
}

/* list_models and list_styles: the catalog under `key`, its ids in the summary. */
static cJSON *mv_tool_catalog(const mv_mcp_call *call, maivid_catalog catalog, const char *key)
{
    char *json = maivid_catalog_json(call->server->engine, catalog, 0);
    cJSON *entries = json != NULL ? cJSON_Parse(json) : NULL;
    maivid_free(json);
    if (!cJSON_IsArray(entries)) {
        cJSON_Delete(entries);
        return mv_tool_error(NULL, "the %s catalog is unavailable: check that the data "
                             "files are installed (MAIVID_SHARE_DIR)", key);
    }
    char usable[900] = "";
    char unusable[900] = "";
    int count = 0;
    const cJSON *entry;
    cJSON_ArrayForEach(entry, entries) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(entry, "id");
        if (!cJSON_IsString(id)) {
            continue;
        }
        count++;
        char *list = cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(entry, "usable")) ? unusable
                                                                                       : usable;
        size_t used = strlen(list);
        snprintf(list + used, sizeof(usable) - used, "%s%s", used > 0 ? ", " : "",
                 id->valuestring);
    }
    char summary[2000];
    int n = snprintf(summary, sizeof(summary), "%d %s%s %s", count, key,
                     catalog == MAIVID_CATALOG_MODELS ? "; usable now:" : ":",
                     usable[0] != '\0' ? usable : "none");
    if (unusable[0] != '\0' && n > 0 && (size_t)n < sizeof(summary)) {
        snprintf(summary + n, sizeof(summary) - (size_t)n,
                 "; not usable now: %s (see unusable_reason)", unusable);
    }
    cJSON *reply = cJSON_CreateObject();
    cJSON_AddTrueToObject(reply, "success");
    cJSON_AddItemToObject(reply, key, entries);
    return mv_tool_result(reply, summary, 0);
}

cJSON *mv_mcp_tools_call(const mv_mcp_call *call, const cJSON *params, int *code, char *err,
                         size_t err_size)
{
    *code = 0;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(params, "name");
    const cJSON *arguments = cJSON_GetObjectItemCaseSensitive(params, "arguments");
    if (!cJSON_IsString(name)) {
        *code = MV_RPC_INVALID_PARAMS;
        snprintf(err, err_size, "tools/call needs params.name, the tool's name (see tools/list)");
        return NULL;
    }
    if (arguments != NULL && !cJSON_IsNull(arguments) && !cJSON_IsObject(arguments)) {
        *code = MV_RPC_INVALID_PARAMS;
        snprintf(err, err_size, "params.arguments must be an object of the tool's arguments");
        return NULL;
    }
    cJSON *none = NULL;
    if (!cJSON_IsObject(arguments)) {
        none = cJSON_CreateObject();
        arguments = none;
    }
    cJSON *result = NULL;
    if (strcmp(name->valuestring, "create_video_from_url") == 0) {
        result = mv_tool_create(call, arguments);
    } else if (strcmp(name->valuestring, "get_video_status") == 0) {
        result = mv_tool_status(call, arguments);
    } else if (strcmp(name->valuestring, "cancel_video") == 0) {
        result = mv_tool_cancel(call, arguments);
    } else if (strcmp(name->valuestring, "list_models") == 0) {
        result = mv_tool_catalog(call, MAIVID_CATALOG_MODELS, "models");
    } else if (strcmp(name->valuestring, "list_styles") == 0) {
        result = mv_tool_catalog(call, MAIVID_CATALOG_STYLES, "styles");
    } else {
        *code = MV_RPC_INVALID_PARAMS;
        snprintf(err, err_size, "unknown tool '%.100s': the tools are create_video_from_url, "
                 "get_video_status, cancel_video, list_models and list_styles",
                 name->valuestring);
    }
    cJSON_Delete(none);
    if (result == NULL && *code == 0) {
        *code = MV_RPC_INTERNAL_ERROR;
        snprintf(err, err_size, "out of memory");
    }
    return result;
}
