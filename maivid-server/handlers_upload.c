/*
 * handlers_upload.c - POST /api/convo_pilot/upload: a job from an audio file sent as
 * multipart/form-data. The part named "file" is streamed to <data dir>/uploads/ (never held
 * in memory) and refused past the size cap of a downloaded song; the other parts are the
 * create request's fields as text (model_type, style, scene_count, ...), read through the
 * parameter table as the JSON fields are. libmaivid then checks the file as it checks a
 * download (maivid_job_create_upload), moves it into the job's source/ folder, and the job
 * runs as one made from a link. The reply is the create endpoint's 202.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "server.h"

/* The slowest average rate an upload may arrive at, after --request-timeout. */
#define MV_UPLOAD_MIN_BYTES_PER_SECOND (32 * 1024)

typedef struct mv_upload {
    mv_request *req;
    FILE *file;                  /* the "file" part, being written */
    char path[1200];             /* where it is written ("" before it starts) */
    char filename[256];          /* as the client named it */
    uint64_t size, cap;
    int in_file;                 /* the current part is the file */
    int status;                  /* != 0: refused with this status and message */
    char field[64];
    char message[512];
    cJSON *fields;               /* text parts: name -> value */
    size_t text_bytes;
} mv_upload;

static int mv_upload_fail(mv_upload *up, int status, const char *field, const char *message)
{
    if (up->status == 0) {
        up->status = status;
        snprintf(up->field, sizeof(up->field), "%s", field != NULL ? field : "");
        snprintf(up->message, sizeof(up->message), "%s", message);
    }
    return MG_FORM_FIELD_HANDLE_ABORT;
}

static int mv_upload_found(const char *key, const char *filename, char *path, size_t pathlen,
                           void *user_data)
{
    (void)path;
    (void)pathlen;
    mv_upload *up = user_data;
    int is_file = filename != NULL && filename[0] != '\0'; /* CivetWeb gives "" for text */
    up->in_file = is_file && strcmp(key, "file") == 0;
    if (!up->in_file) {
        if (strcmp(key, "file") == 0) {
            mv_upload_fail(up, 400, "file", "the part \"file\" must be a file (with a filename)");
            return MG_FORM_FIELD_STORAGE_ABORT;
        }
        return is_file ? MG_FORM_FIELD_STORAGE_SKIP : MG_FORM_FIELD_STORAGE_GET;
    }
    if (up->file != NULL || up->path[0] != '\0') {
        mv_upload_fail(up, 400, "file", "send one file per request (one part named \"file\")");
        return MG_FORM_FIELD_STORAGE_ABORT;
    }
    snprintf(up->filename, sizeof(up->filename), "%s", filename);
    char dir[1100];
    snprintf(dir, sizeof(dir), "%s/uploads", up->req->server->data_dir);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        mv_upload_fail(up, 500, NULL, "cannot create the uploads folder in the data directory");
        return MG_FORM_FIELD_STORAGE_ABORT;
    }
    snprintf(up->path, sizeof(up->path), "%s/upload-XXXXXX", dir);
    int fd = mkstemp(up->path);
    up->file = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (up->file == NULL) {
        if (fd >= 0) {
            close(fd);
        }
        mv_upload_fail(up, 500, NULL, "cannot store the upload in the data directory");
        return MG_FORM_FIELD_STORAGE_ABORT;
    }
    return MG_FORM_FIELD_STORAGE_GET;
}

static int mv_upload_get(const char *key, const char *value, size_t valuelen, void *user_data)
{
    mv_upload *up = user_data;
    if (up->in_file) {
        up->size += valuelen;
        if (up->size > up->cap) {
            char message[256];
            snprintf(message, sizeof(message),
                     "the file is more than the %llu bytes a song may have: send a shorter or "
                     "more compressed file (e.g. mp3)", (unsigned long long)up->cap);
            return mv_upload_fail(up, 413, "file", message);
        }
        if (valuelen > 0 && fwrite(value, 1, valuelen, up->file) != valuelen) {
            return mv_upload_fail(up, 507, "file", "the server's disk is full: try later");
        }
        return MG_FORM_FIELD_HANDLE_GET;
    }
    up->text_bytes += valuelen;
    if (up->text_bytes > MV_SERVER_MAX_BODY) {
        return mv_upload_fail(up, 413, key,
                              "the text fields are more than 64 KiB: send only the job's fields");
    }
    cJSON *old = cJSON_GetObjectItemCaseSensitive(up->fields, key);
    size_t have = cJSON_IsString(old) ? strlen(old->valuestring) : 0;
    char *joined = malloc(have + valuelen + 1);
    if (joined == NULL) {
        return mv_upload_fail(up, 503, NULL, "out of memory");
    }
    if (have > 0) {
        memcpy(joined, old->valuestring, have);
    }
    memcpy(joined + have, value, valuelen);
    joined[have + valuelen] = '\0';
    if (memchr(value, '\0', valuelen) != NULL) {
        free(joined);
        return mv_upload_fail(up, 400, key, "a field holds a NUL character: remove it");
    }
    cJSON_DeleteItemFromObjectCaseSensitive(up->fields, key);
    cJSON_AddStringToObject(up->fields, key, joined);
    free(joined);
    return MG_FORM_FIELD_HANDLE_GET;
}

/* The job's parameters from the text parts (strings point into up->fields). */
static int mv_upload_params(mv_upload *up, maivid_job_params *params)
{
    if (cJSON_GetObjectItemCaseSensitive(up->fields, "url") != NULL) {
        char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(up->fields, "url"));
        if (text != NULL && text[0] != '\0') {
            mv_upload_fail(up, 400, "url", "send either a file or a url, not both");
            return -1;
        }
    }
    for (size_t i = 0; i < maivid_param_count(); i++) {
        const maivid_param_info *info = maivid_param_at(i);
        const char *value = cJSON_GetStringValue(
            cJSON_GetObjectItemCaseSensitive(up->fields, info->name));
        if (!(info->flags & MAIVID_PARAM_API) || strcmp(info->name, "url") == 0 ||
            value == NULL || value[0] == '\0') {
            continue;
        }
        char message[512];
        if (maivid_job_params_set(params, info->name, value, message, sizeof(message)) !=
            MAIVID_OK) {
            mv_upload_fail(up, 400, info->name, message);
            return -1;
        }
    }
    if (params->callback_url != NULL) {
        char err[1024] = "";
        if (!mv_webhook_url_valid(params->callback_url)) {
            mv_upload_fail(up, 400, "callback_url",
                           "callback_url must be an http(s) URL such as https://example.com/hook");
            return -1;
        }
        if (mv_webhook_url_allowed(up->req->server->webhooks, params->callback_url, err,
                                   sizeof(err)) != 0) {
            mv_upload_fail(up, 400, "callback_url", err);
            return -1;
        }
    }
    return 0;
}

static int mv_is_multipart(const char *type)
{
    return type != NULL && strncasecmp(type, "multipart/form-data", 19) == 0;
}

/* Queues the job from the stored file; replies 202 or the error. */
static int mv_upload_create(mv_upload *up, const maivid_job_params *params)
{
    mv_request *req = up->req;
    char job_id[MAIVID_JOB_ID_SIZE];
    char err[1024] = "";
    maivid_code code = maivid_job_create_upload(req->server->engine, params, up->path,
                                                up->filename, job_id, err, sizeof(err));
    if (code != MAIVID_OK) {
        int status = code == MAIVID_E_MEDIA ? 415 : mv_http_status_for(code);
        return mv_reply_error(req, status, code == MAIVID_E_MEDIA ? "file" : NULL, "%s",
                              err[0] != '\0' ? err : maivid_strerror(code));
    }
    up->path[0] = '\0'; /* the job has it now */
    if (params->callback_url != NULL) {
        mv_webhooks_register(req->server->webhooks, job_id, params->callback_url);
    }
    char line[400];
    snprintf(line, sizeof(line), "state queued (created from the upload %.200s, %llu bytes)",
             up->filename, (unsigned long long)up->size);
    mv_log_line(&req->server->log, "info", "job", job_id, line);
    cJSON *reply = mv_create_reply(job_id, params);
    cJSON *info = cJSON_GetObjectItemCaseSensitive(reply, "job_info");
    cJSON_AddStringToObject(info, "filename", up->filename);
    char location[128];
    snprintf(location, sizeof(location), "Location: /api/convo_pilot/video/%s\r\n", job_id);
    char *text = cJSON_PrintUnformatted(reply);
    cJSON_Delete(reply);
    if (text == NULL) {
        return mv_reply_error(req, 500, NULL, "out of memory after queueing %s", job_id);
    }
    int rc = mv_reply_json(req, 202, text, strlen(text), location);
    cJSON_free(text);
    return rc;
}

int mv_handle_upload(mv_request *req)
{
    const char *type = mg_get_header(req->conn, "Content-Type");
    if (!mv_is_multipart(type)) {
        return mv_reply_error(req, 415, NULL,
                              "the body must be multipart/form-data, not '%s': send the audio "
                              "as a part named \"file\" (curl -F file=@song.mp3 ...)",
                              type != NULL ? type : "(no Content-Type)");
    }
    mv_upload up;
    memset(&up, 0, sizeof(up));
    up.req = req;
    up.cap = req->server->max_upload_bytes > 0 ? req->server->max_upload_bytes
                                               : 200ull * 1024 * 1024;
    long long declared = req->info->content_length;
    if (declared > 0 && (unsigned long long)declared > up.cap + MV_SERVER_MAX_BODY) {
        return mv_reply_error(req, 413, "file",
                              "the upload is %lld bytes, more than the %llu a song may have: "
                              "send a shorter or more compressed file (e.g. mp3)",
                              declared, (unsigned long long)up.cap);
    }
    up.fields = cJSON_CreateObject();
    struct mg_form_data_handler handler = {mv_upload_found, mv_upload_get, NULL, &up};
    req->body_read = 1;
    /* the whole upload within --request-timeout plus its size at the slowest rate allowed:
     * a trickle cannot hold a worker for long */
    double timeout = (double)req->server->opts->request_timeout_ms / 1000.0;
    double bytes = declared > 0 ? (double)declared : (double)up.cap;
    double allowed = timeout + bytes / MV_UPLOAD_MIN_BYTES_PER_SECOND;
    double deadline = mv_server_now() + allowed;
    mv_conn_guard_body_for(req->conn, allowed);
    int parts = mg_handle_form_request(req->conn, &handler);
    mv_conn_guard_body(req->conn, 0);
    if (up.status == 0 && mv_server_now() > deadline) {
        mv_upload_fail(&up, 408, "file", "");
        snprintf(up.message, sizeof(up.message),
                 "the upload took more than %.0f s to arrive (uploads must average at least "
                 "%d KiB/s, after --request-timeout): send it over a faster link",
                 allowed, MV_UPLOAD_MIN_BYTES_PER_SECOND / 1024);
        req->must_close = 1; /* the rest is never waited for */
        mg_disable_keep_alive(req->conn);
    }
    if (up.file != NULL && fclose(up.file) != 0) {
        mv_upload_fail(&up, 507, "file", "the server's disk is full: try later");
    }
    up.file = NULL;
    if (up.status != 0) {
        req->body_read = 0; /* the rest may be unread: the reply closes the connection */
    } else if (parts < 0) {
        mv_upload_fail(&up, 400, NULL,
                       "the multipart body could not be read: send it as a browser's FormData "
                       "or curl -F does");
    } else if (up.path[0] == '\0') {
        mv_upload_fail(&up, 400, "file",
                       "no file: send the audio as a part named \"file\" "
                       "(curl -F file=@song.mp3 ...)");
    }
    int rc;
    maivid_job_params params;
    maivid_job_params_init(&params);
    if (up.status == 0 && mv_upload_params(&up, &params) == 0) {
        rc = mv_upload_create(&up, &params);
    } else {
        rc = mv_reply_error(req, up.status, up.field[0] != '\0' ? up.field : NULL, "%s",
                            up.message);
    }
    if (up.path[0] != '\0') {
        unlink(up.path);
    }
    cJSON_Delete(up.fields);
    return rc;
}
