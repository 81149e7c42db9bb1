/*
 * request_body.c - reading a request: the JSON body (Content-Type check, 64 KiB limit, parse)
 * and query-string parameters.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "server.h"

static int mv_is_json_type(const char *content_type)
{
    if (content_type == NULL) {
        return 0;
    }
    while (*content_type == ' ') {
        content_type++;
    }
    size_t length = strcspn(content_type, "; ");
    if (length == 16 && strncasecmp(content_type, "application/json", 16) == 0) {
        return 1;
    }
    /* application/<anything>+json (e.g. application/merge-patch+json) */
    return length > 17 && strncasecmp(content_type, "application/", 12) == 0 &&
           strncasecmp(content_type + length - 5, "+json", 5) == 0;
}

int mv_request_read_json(mv_request *req, cJSON **out)
{
    *out = NULL;
    long long declared = req->info->content_length;
    if (declared > MV_SERVER_MAX_BODY) { /* the reply drops the connection: body unread */
        return mv_reply_error(req, 413, NULL,
                              "the body is %lld bytes, more than the %d allowed: send only the "
                              "job's fields (lyrics included) as JSON",
                              declared, MV_SERVER_MAX_BODY);
    }
    if (!mv_is_json_type(mg_get_header(req->conn, "Content-Type"))) {
        const char *given = mg_get_header(req->conn, "Content-Type");
        return mv_reply_error(req, 415, NULL,
                              "the body must be JSON, not '%s': send the header "
                              "Content-Type: application/json",
                              given != NULL ? given : "(no Content-Type)");
    }
    req->body_read = 1;
    char *body = malloc(MV_SERVER_MAX_BODY + 1);
    if (body == NULL) {
        return mv_reply_error(req, 500, NULL, "out of memory");
    }
    size_t used = 0;
    for (;;) {
        int n = mg_read(req->conn, body + used, MV_SERVER_MAX_BODY + 1 - used);
        if (n <= 0) {
            break;
        }
        used += (size_t)n;
        if (used > MV_SERVER_MAX_BODY) {
            free(body);
            req->body_read = 0; /* the rest is still unread: the reply closes the connection */
            return mv_reply_error(req, 413, NULL,
                                  "the body is more than the %d bytes allowed: send only the "
                                  "job's fields (lyrics included) as JSON",
                                  MV_SERVER_MAX_BODY);
        }
    }
    body[used] = '\0';
    const char *parse_end = NULL;
    /* used + 1: the length includes the NUL that require_null_terminated looks for */
    cJSON *parsed = cJSON_ParseWithLengthOpts(body, used + 1, &parse_end, 1);
    if (parsed == NULL) {
        size_t offset = parse_end != NULL && parse_end >= body ? (size_t)(parse_end - body) : 0;
        free(body);
        if (used == 0) {
            return mv_reply_error(req, 400, NULL,
                                  "the body is empty: send a JSON object such as "
                                  "{\"url\": \"https://suno.com/s/SONG_ID\"}");
        }
        return mv_reply_error(req, 400, NULL,
                              "the body is not valid JSON (error near byte %zu): send a JSON "
                              "object such as {\"url\": \"https://suno.com/s/SONG_ID\"}",
                              offset);
    }
    char nul_field[64];
    int has_nul = mv_json_text_has_nul(body, used, nul_field, sizeof(nul_field));
    free(body);
    if (has_nul) {
        cJSON_Delete(parsed);
        return mv_reply_error(req, 400, nul_field[0] != '\0' ? nul_field : NULL,
                              "%s%s%s holds a NUL character (\\u0000), which no field accepts: "
                              "remove it", nul_field[0] != '\0' ? "'" : "the body",
                              nul_field, nul_field[0] != '\0' ? "'" : "");
    }
    if (!cJSON_IsObject(parsed)) {
        cJSON_Delete(parsed);
        return mv_reply_error(req, 400, NULL,
                              "the body must be a JSON object such as "
                              "{\"url\": \"https://suno.com/s/SONG_ID\"}");
    }
    *out = parsed;
    return 0;
}

int mv_request_discard_body(mv_request *req)
{
    if (req->body_read) {
        return 0;
    }
    req->body_read = 1;
    long long declared = req->info->content_length;
    int chunked = mg_get_header(req->conn, "Transfer-Encoding") != NULL;
    if (declared <= 0 && !chunked) {
        return 0;
    }
    if (chunked || declared > MV_SERVER_MAX_BODY) {
        mg_disable_keep_alive(req->conn);
        return 1;
    }
    char sink[4096];
    while (mg_read(req->conn, sink, sizeof(sink)) > 0) {
    }
    return 0;
}

int mv_request_query(const mv_request *req, const char *name, char *buf, size_t size)
{
    const char *query = req->info->query_string;
    if (query == NULL) {
        return 0;
    }
    return mg_get_var(query, strlen(query), name, buf, size) >= 0;
}
