/*
 * json_reply.c - sending JSON replies: status line, Content-Type, Content-Length, CORS and
 * no-store headers, and the {"success": false, "error": ...} error body every error uses.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "server.h"

void mv_reply_cors_lines(const mv_request *req, char *buf, size_t size)
{
    const char *origin = req->server->opts->cors_origin;
    if (origin == NULL) {
        buf[0] = '\0';
        return;
    }
    snprintf(buf, size,
             "Access-Control-Allow-Origin: %s\r\n"
             "Access-Control-Allow-Headers: Content-Type, Authorization, X-API-Key, "
             "Idempotency-Key, Range, Mcp-Session-Id, MCP-Protocol-Version\r\n"
             "Access-Control-Allow-Methods: GET, POST, DELETE, OPTIONS\r\n"
             "Access-Control-Expose-Headers: Content-Length, Content-Range, Accept-Ranges, "
             "Mcp-Session-Id\r\n",
             origin);
}

int mv_reply_json(mv_request *req, int status, const char *body, size_t length,
                  const char *extra_headers)
{
    char header[1024];
    char cors[512];
    mv_reply_cors_lines(req, cors, sizeof(cors));
    int must_close = mv_request_discard_body(req);
    int n = snprintf(header, sizeof(header),
                     "HTTP/1.1 %d %s\r\n"
                     "Content-Type: application/json\r\n"
                     "Content-Length: %zu\r\n"
                     "Cache-Control: no-store\r\n"
                     "X-Content-Type-Options: nosniff\r\n"
                     "%s%s%s"
                     "\r\n",
                     status, mg_get_response_code_text(req->conn, status), length, cors,
                     extra_headers != NULL ? extra_headers : "",
                     must_close || req->must_close ? "Connection: close\r\n" : "");
    if (n < 0 || (size_t)n >= sizeof(header)) {
        return 500;
    }
    mg_write(req->conn, header, (size_t)n);
    if (length > 0 && strcmp(req->method, "HEAD") != 0) {
        mg_write(req->conn, body, length);
    }
    if (must_close) {
        mv_request_drain_after_reply(req);
    }
    return status;
}

int mv_reply_cjson(mv_request *req, int status, cJSON *object)
{
    char *text = object != NULL ? cJSON_PrintUnformatted(object) : NULL;
    cJSON_Delete(object);
    if (text == NULL) {
        static const char OOM[] = "{\"success\":false,\"error\":\"out of memory\"}";
        return mv_reply_json(req, 500, OOM, sizeof(OOM) - 1, NULL);
    }
    int rc = mv_reply_json(req, status, text, strlen(text), NULL);
    cJSON_free(text);
    return rc;
}

cJSON *mv_error_body(const char *field, const char *message)
{
    cJSON *body = cJSON_CreateObject();
    if (body != NULL) {
        cJSON_AddFalseToObject(body, "success");
        cJSON_AddStringToObject(body, "error", message);
        if (field != NULL) {
            cJSON_AddStringToObject(body, "field", field);
        }
    }
    return body;
}

int mv_reply_error(mv_request *req, int status, const char *field, const char *format, ...)
{
    char message[1024];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof(message), format, args);
    va_end(args);
    cJSON *body = mv_error_body(field, message);
    if (body != NULL) {
        cJSON_AddNumberToObject(body, "status", status);
    }
    return mv_reply_cjson(req, status, body);
}

int mv_reply_wrapped(mv_request *req, int status, const char *key, const char *raw_json)
{
    size_t key_length = strlen(key);
    size_t json_length = strlen(raw_json);
    size_t total = 24 + key_length + json_length;
    char *body = malloc(total);
    if (body == NULL) {
        return mv_reply_error(req, 500, NULL, "out of memory");
    }
    int n = snprintf(body, total, "{\"success\":true,\"%s\":%s}", key, raw_json);
    int rc = mv_reply_json(req, status, body, (size_t)n, NULL);
    free(body);
    return rc;
}

int mv_reply_protocol_error(struct mg_connection *conn, int status, const char *errmsg)
{
    /* CivetWeb calls this for requests it refuses before any handler runs (a bad request
     * line, headers too large, a negative Content-Length, a timeout): the same JSON error
     * body as every other error, and the connection closes after it. */
    mv_request req;
    memset(&req, 0, sizeof(req));
    req.conn = conn;
    req.info = mg_get_request_info(conn);
    req.server = mg_get_user_data(mg_get_context(conn));
    req.method = req.info != NULL && req.info->request_method != NULL ? req.info->request_method
                                                                      : "GET";
    req.body_read = 1; /* whatever follows a request CivetWeb could not read is not a body */
    req.must_close = 1;
    if (req.server == NULL) {
        return 1; /* CivetWeb's own plain-text reply */
    }
    mg_disable_keep_alive(conn);
    mv_reply_error(&req, status, NULL,
                   "the request could not be read as HTTP/1.1 (%s): send one request line, "
                   "headers under %d bytes and a valid Content-Length",
                   errmsg != NULL && errmsg[0] != '\0' ? errmsg : "malformed request",
                   MV_SERVER_MAX_HEADERS);
    return 0;
}

int mv_http_status_for(maivid_code code)
{
    switch (code) {
    case MAIVID_OK: return 200;
    case MAIVID_E_INVALID:
    case MAIVID_E_POLICY:
    case MAIVID_E_UNSUPPORTED: return 400;
    case MAIVID_E_NOT_FOUND: return 404;
    case MAIVID_E_BUSY: return 409;
    case MAIVID_E_QUEUE_FULL: return 429;
    case MAIVID_E_NOMEM:
    case MAIVID_E_UNAVAILABLE: return 503;
    case MAIVID_E_TIMEOUT: return 504;
    default: return 500;
    }
}
