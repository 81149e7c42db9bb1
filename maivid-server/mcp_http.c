/*
 * mcp_http.c - POST and DELETE /mcp: the Model Context Protocol's Streamable HTTP transport.
 * Each POST carries one JSON-RPC message; a request is answered as application/json, or as a
 * text/event-stream (progress notifications, then the response) when a tool call waits on a
 * job with a progressToken. Sessions: initialize issues Mcp-Session-Id, every later message
 * must carry it (400 without, 404 when unknown or ended), DELETE ends it. MCP-Protocol-Version
 * must name the negotiated revision. Origin and Host are checked against DNS rebinding; the
 * API key (routes.c) applies as to the rest of the API. GET is not offered (405: the server
 * starts no stream of its own).
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mcp_tools.h"

/* Writes one JSON-RPC message (NULL: no body, for 202) with the session header. */
static int mv_mcp_reply(mv_request *req, int status, cJSON *message, const char *session_id)
{
    char headers[128] = "";
    if (session_id != NULL) {
        snprintf(headers, sizeof(headers), "Mcp-Session-Id: %s\r\n", session_id);
    }
    if (message == NULL) {
        return mv_reply_json(req, status, "", 0, headers);
    }
    char *text = cJSON_PrintUnformatted(message);
    cJSON_Delete(message);
    if (text == NULL) {
        static const char OOM[] =
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32603,\"message\":\"out of "
            "memory\"}}";
        return mv_reply_json(req, 500, OOM, sizeof(OOM) - 1, headers);
    }
    int rc = mv_reply_json(req, status, text, strlen(text), headers);
    cJSON_free(text);
    return rc;
}

static int mv_mcp_fail(mv_request *req, int status, const cJSON *id, int code,
                       const char *message)
{
    return mv_mcp_reply(req, status, mv_rpc_error(id, code, message), NULL);
}

/* ---------------------------------------------------------------- event stream */

typedef struct mv_mcp_stream {
    mv_request *req;
    const char *session_id;
    int started;                         /* the 200 text/event-stream head is sent */
    int broken;                          /* a write failed: the client has gone */
} mv_mcp_stream;

/* Sends one message as an SSE event, starting the stream first. Takes message. */
static int mv_mcp_stream_send(void *context, cJSON *message)
{
    mv_mcp_stream *stream = context;
    char *text = message != NULL ? cJSON_PrintUnformatted(message) : NULL;
    cJSON_Delete(message);
    if (text == NULL || stream->broken) {
        cJSON_free(text);
        return -1;
    }
    if (!stream->started) {
        char cors[512];
        mv_reply_cors_lines(stream->req, cors, sizeof(cors));
        char head[1024];
        int n = snprintf(head, sizeof(head),
                         "HTTP/1.1 200 OK\r\n"
                         "Content-Type: text/event-stream\r\n"
                         "Cache-Control: no-store\r\n"
                         "X-Content-Type-Options: nosniff\r\n"
                         "Mcp-Session-Id: %s\r\n"
                         "%s"
                         "Connection: close\r\n\r\n",
                         stream->session_id, cors);
        mg_disable_keep_alive(stream->req->conn); /* the stream ends when the connection does */
        stream->started = 1;
        if (n < 0 || (size_t)n >= sizeof(head) ||
            mg_write(stream->req->conn, head, (size_t)n) <= 0) {
            stream->broken = 1;
        }
    }
    size_t length = strlen(text);
    if (!stream->broken && (mg_printf(stream->req->conn, "event: message\ndata: ") <= 0 ||
                            mg_write(stream->req->conn, text, length) <= 0 ||
                            mg_printf(stream->req->conn, "\n\n") <= 0)) {
        stream->broken = 1;
    }
    cJSON_free(text);
    return stream->broken ? -1 : 0;
}

/* ---------------------------------------------------------------- methods */

static cJSON *mv_mcp_initialize_result(const char *version)
{
    cJSON *result = cJSON_CreateObject();
    cJSON_AddStringToObject(result, "protocolVersion", version);
    cJSON *capabilities = cJSON_AddObjectToObject(result, "capabilities");
    cJSON *tools = cJSON_AddObjectToObject(capabilities, "tools");
    cJSON_AddFalseToObject(tools, "listChanged");
    cJSON *info = cJSON_AddObjectToObject(result, "serverInfo");
    cJSON_AddStringToObject(info, "name", "maivid-server");
    cJSON_AddStringToObject(info, "title", "MaiVid music videos");
    cJSON_AddStringToObject(info, "version", maivid_version_string());
    cJSON_AddStringToObject(result, "instructions",
                            "Make music videos from song links: create_video_from_url starts a "
                            "job (only url is needed), get_video_status follows it until "
                            "completed (then video_url is the MP4), cancel_video stops it; "
                            "list_models and list_styles give the valid model_type and style.");
    return result;
}

static int mv_mcp_initialize(mv_request *req, const mv_rpc_message *message)
{
    const cJSON *requested = cJSON_GetObjectItemCaseSensitive(message->params, "protocolVersion");
    if (!cJSON_IsString(requested)) {
        return mv_mcp_fail(req, 200, message->id, MV_RPC_INVALID_PARAMS,
                           "initialize needs params.protocolVersion, e.g. \"2025-06-18\"");
    }
    const char *version = mv_mcp_negotiate_version(requested->valuestring);
    char session_id[MV_MCP_SESSION_ID_SIZE];
    if (mv_mcp_session_open(req->server->mcp, version, mv_server_now(), session_id) != 0) {
        return mv_mcp_fail(req, 500, message->id, MV_RPC_INTERNAL_ERROR,
                           "no session id could be made (the random source failed)");
    }
    return mv_mcp_reply(req, 200, mv_rpc_result(message->id, mv_mcp_initialize_result(version)),
                        session_id);
}

static int mv_mcp_call_tool(mv_request *req, const mv_rpc_message *message,
                            const char *session_id)
{
    char base[256];
    mv_request_base_url(req, base, sizeof(base));
    mv_mcp_stream stream = {req, session_id, 0, 0};
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(message->params, "_meta");
    const cJSON *token = cJSON_GetObjectItemCaseSensitive(meta, "progressToken");
    int can_stream = mv_mcp_accepts(mg_get_header(req->conn, "Accept"), "text/event-stream");
    mv_mcp_call call = {
        .server = req->server,
        .base_url = base,
        .progress_token = cJSON_IsString(token) || cJSON_IsNumber(token) ? token : NULL,
        .notify = can_stream ? mv_mcp_stream_send : NULL,
        .notify_context = &stream,
    };
    int code = 0;
    char err[512] = "";
    mv_mcp_call_begin(req->server->mcp); /* a stopping server lets it answer first */
    cJSON *result = mv_mcp_tools_call(&call, message->params, &code, err, sizeof(err));
    cJSON *reply = result != NULL ? mv_rpc_result(message->id, result)
                                  : mv_rpc_error(message->id, code, err);
    int rc = 200;
    if (stream.started) {
        mv_mcp_stream_send(&stream, reply);
    } else {
        rc = mv_mcp_reply(req, 200, reply, session_id);
    }
    mv_mcp_call_end(req->server->mcp);
    return rc;
}

static int mv_mcp_request(mv_request *req, const mv_rpc_message *message,
                          const char *session_id)
{
    if (strcmp(message->method, "tools/call") == 0) {
        return mv_mcp_call_tool(req, message, session_id);
    }
    cJSON *result = NULL;
    if (strcmp(message->method, "ping") == 0) {
        result = cJSON_CreateObject();
    } else if (strcmp(message->method, "tools/list") == 0) {
        result = mv_mcp_tools_list();
        if (result == NULL) {
            return mv_mcp_fail(req, 500, message->id, MV_RPC_INTERNAL_ERROR,
                               "the tool schemas could not be built (out of memory)");
        }
    } else {
        char text[300];
        snprintf(text, sizeof(text), "unknown method '%.100s': this server offers initialize, "
                 "ping, tools/list and tools/call", message->method);
        return mv_mcp_reply(req, 200, mv_rpc_error(message->id, MV_RPC_METHOD_NOT_FOUND, text),
                            session_id);
    }
    return mv_mcp_reply(req, 200, mv_rpc_result(message->id, result), session_id);
}

/* ---------------------------------------------------------------- transport checks */

/* Origin and Host against DNS rebinding: 0, or the status of the 403 already sent. */
static int mv_mcp_guard(mv_request *req)
{
    const char *origin = mg_get_header(req->conn, "Origin");
    if (!mv_mcp_origin_allowed(origin, req->server->opts->cors_origin)) {
        char text[400];
        snprintf(text, sizeof(text), "Forbidden: the Origin %.200s may not use /mcp (DNS "
                 "rebinding guard): use a loopback page, or allow it with --cors-origin",
                 origin);
        return mv_mcp_fail(req, 403, NULL, MV_RPC_SERVER_ERROR, text);
    }
    char listen_host[256];
    mv_strip_port(req->server->opts->listen, listen_host, sizeof(listen_host));
    if (!mv_mcp_host_allowed(mg_get_header(req->conn, "Host"), listen_host)) {
        return mv_mcp_fail(req, 403, NULL, MV_RPC_SERVER_ERROR,
                           "Forbidden: the server listens on loopback, so /mcp answers only "
                           "Host names that are loopback (localhost, 127.0.0.1, [::1])");
    }
    return 0;
}

/* The session named by Mcp-Session-Id, with its revision checked against
 * MCP-Protocol-Version: 0 with the id in session_id, or the status of the error sent. */
static int mv_mcp_session_check(mv_request *req, const cJSON *id, char *session_id,
                                size_t size)
{
    const char *given = mg_get_header(req->conn, "Mcp-Session-Id");
    if (given == NULL || given[0] == '\0') {
        return mv_mcp_fail(req, 400, id, MV_RPC_SERVER_ERROR,
                           "Bad Request: no Mcp-Session-Id header: send the id the initialize "
                           "reply gave, or initialize first");
    }
    char version[16];
    if (!mv_mcp_session_find(req->server->mcp, given, mv_server_now(), version,
                             sizeof(version))) {
        return mv_mcp_fail(req, 404, id, -32001,
                           "Session not found: it ended or the server restarted; initialize "
                           "a new session");
    }
    const char *asked = mg_get_header(req->conn, "MCP-Protocol-Version");
    if (asked != NULL && strcmp(asked, version) != 0) {
        char text[300];
        snprintf(text, sizeof(text), "Bad Request: MCP-Protocol-Version %.40s is not this "
                 "session's revision (%s)%s", asked, version,
                 mv_mcp_version_supported(asked) ? "" : " nor one this server speaks");
        return mv_mcp_fail(req, 400, id, MV_RPC_SERVER_ERROR, text);
    }
    snprintf(session_id, size, "%s", given);
    return 0;
}

int mv_handle_mcp(mv_request *req)
{
    int rc = mv_mcp_guard(req);
    if (rc != 0) {
        return rc;
    }
    const char *accept = mg_get_header(req->conn, "Accept");
    if (!mv_mcp_accepts(accept, "application/json") &&
        !mv_mcp_accepts(accept, "text/event-stream")) {
        return mv_mcp_fail(req, 406, NULL, MV_RPC_SERVER_ERROR,
                           "Not Acceptable: send Accept: application/json, text/event-stream");
    }
    char *body = NULL;
    size_t length = 0;
    rc = mv_request_read_body(req, &body, &length);
    if (rc != 0) {
        return rc;
    }
    int code = 0;
    char err[300];
    cJSON *parsed = mv_rpc_parse(body, length, &code, err, sizeof(err));
    char nul_field[64] = "";
    if (parsed != NULL && mv_json_text_has_nul(body, length, nul_field, sizeof(nul_field))) {
        cJSON_Delete(parsed);
        parsed = NULL;
        code = MV_RPC_INVALID_REQUEST;
        snprintf(err, sizeof(err), "'%s' holds a NUL character (\\u0000), which no field "
                 "accepts: remove it", nul_field[0] != '\0' ? nul_field : "the message");
    }
    free(body);
    if (parsed == NULL) {
        return mv_mcp_fail(req, 400, NULL, code, err);
    }
    mv_rpc_message message;
    mv_rpc_classify(parsed, &message);
    if (message.kind == MV_RPC_INVALID) {
        rc = mv_mcp_fail(req, 400, message.id, MV_RPC_INVALID_REQUEST, message.error);
    } else if (message.kind == MV_RPC_REQUEST && strcmp(message.method, "initialize") == 0) {
        rc = mv_mcp_initialize(req, &message);
    } else {
        char session_id[MV_MCP_SESSION_ID_SIZE];
        rc = mv_mcp_session_check(req, message.id, session_id, sizeof(session_id));
        if (rc == 0) {
            /* notifications (initialized, cancelled, ...) and responses need no answer */
            rc = message.kind == MV_RPC_REQUEST ? mv_mcp_request(req, &message, session_id)
                                                : mv_mcp_reply(req, 202, NULL, session_id);
        }
    }
    cJSON_Delete(parsed);
    return rc;
}

int mv_handle_mcp_delete(mv_request *req)
{
    int rc = mv_mcp_guard(req);
    if (rc != 0) {
        return rc;
    }
    const char *given = mg_get_header(req->conn, "Mcp-Session-Id");
    if (given == NULL || given[0] == '\0') {
        return mv_mcp_fail(req, 400, NULL, MV_RPC_SERVER_ERROR,
                           "Bad Request: no Mcp-Session-Id header: name the session to end");
    }
    if (!mv_mcp_session_close(req->server->mcp, given)) {
        return mv_mcp_fail(req, 404, NULL, -32001, "Session not found: it has already ended");
    }
    return mv_reply_json(req, 204, "", 0, NULL);
}
