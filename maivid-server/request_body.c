/*
 * request_body.c - reading a request: the JSON body (Content-Type check, 64 KiB limit, nesting
 * limit, parse) and query-string parameters.
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

int mv_request_read_body(mv_request *req, char **out, size_t *length)
{
    *out = NULL;
    *length = 0;
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
    /* the whole body within the request timeout: a trickle cannot hold a worker for long */
    double timeout = (double)req->server->opts->request_timeout_ms / 1000.0;
    double deadline = mv_server_now() + timeout;
    mv_conn_guard_body(req->conn, 1); /* past the deadline the guard ends the read */
    int n;
    while (used <= MV_SERVER_MAX_BODY &&
           (n = mg_read(req->conn, body + used, MV_SERVER_MAX_BODY + 1 - used)) > 0) {
        used += (size_t)n;
    }
    mv_conn_guard_body(req->conn, 0);
    if (used <= MV_SERVER_MAX_BODY && mv_server_now() > deadline &&
        (declared < 0 || (long long)used < declared)) {
        free(body);
        req->must_close = 1; /* the rest is never waited for */
        mg_disable_keep_alive(req->conn);
        return mv_reply_error(req, 408, NULL,
                              "the body took more than %.0f s to arrive: send it at once "
                              "(the whole request within --request-timeout)",
                              timeout);
    }
    if (used > MV_SERVER_MAX_BODY) {
        free(body);
        req->body_read = 0; /* the rest is still unread: the reply closes the connection */
        return mv_reply_error(req, 413, NULL,
                              "the body is more than the %d bytes allowed: send only the "
                              "job's fields (lyrics included) as JSON",
                              MV_SERVER_MAX_BODY);
    }
    body[used] = '\0';
    *out = body;
    *length = used;
    return 0;
}

int mv_request_read_json(mv_request *req, cJSON **out)
{
    *out = NULL;
    char *body = NULL;
    size_t used = 0;
    int rc = mv_request_read_body(req, &body, &used);
    if (rc != 0) {
        return rc;
    }
    int depth = maivid_json_depth(body, used);
    if (depth > MAIVID_JSON_MAX_DEPTH) { /* refused before cJSON's recursion could overflow */
        free(body);
        return mv_reply_error(req, 400, NULL,
                              "the body nests arrays or objects more than %d levels deep: send "
                              "a flat JSON object such as {\"url\": \"https://suno.com/s/SONG_ID\"}",
                              MAIVID_JSON_MAX_DEPTH);
    }
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

void mv_request_drain_after_reply(mv_request *req)
{
    /* A client that sends its whole body before reading (most HTTP libraries) would get a
     * broken pipe instead of our reply if the connection closed on unread data: read and
     * drop what it still sends, in a small buffer, for a bounded time. A client that asked
     * "Expect: 100-continue" sends nothing more once it has the reply. */
    const char *expect = mg_get_header(req->conn, "Expect");
    if (expect != NULL && strcasecmp(expect, "100-continue") == 0) {
        return;
    }
    double deadline = mv_server_now() + MV_SERVER_DRAIN_SECONDS;
    char sink[16384];
    while (mv_server_now() < deadline && mg_read(req->conn, sink, sizeof(sink)) > 0) {
    }
}

int mv_request_query(const mv_request *req, const char *name, char *buf, size_t size)
{
    const char *query = req->info->query_string;
    if (query == NULL) {
        return 0;
    }
    return mg_get_var(query, strlen(query), name, buf, size) >= 0;
}
