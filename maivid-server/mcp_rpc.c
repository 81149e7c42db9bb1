/*
 * mcp_rpc.c - the JSON-RPC 2.0 layer of the MCP endpoint: parsing one message with its
 * nesting bounded, telling requests, notifications and responses apart, building results,
 * errors and notifications; and the transport's header checks (protocol revision, Accept,
 * Origin and Host against DNS rebinding, session id shape).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "maivid/maivid.h"
#include "mcp.h"

/* Newest first: the revisions whose transport and tool results this server follows. */
static const char *const MV_MCP_VERSIONS[] = {"2025-06-18", "2025-03-26"};

cJSON *mv_rpc_parse(const char *text, size_t length, int *code, char *err, size_t err_size)
{
    if (maivid_json_depth(text, length) > MAIVID_JSON_MAX_DEPTH) {
        *code = MV_RPC_PARSE_ERROR;
        snprintf(err, err_size,
                 "the message nests arrays or objects more than %d levels deep: send a "
                 "JSON-RPC 2.0 message with flatter params", MAIVID_JSON_MAX_DEPTH);
        return NULL;
    }
    const char *end = NULL;
    cJSON *message = cJSON_ParseWithLengthOpts(text, length, &end, 0);
    if (message == NULL) {
        *code = MV_RPC_PARSE_ERROR;
        size_t offset = end != NULL && end >= text ? (size_t)(end - text) : 0;
        snprintf(err, err_size,
                 length == 0 ? "the body is empty: send one JSON-RPC 2.0 message"
                             : "the body is not valid JSON (error near byte %zu): send one "
                               "JSON-RPC 2.0 message",
                 offset);
        return NULL;
    }
    while (end != NULL && end < text + length && isspace((unsigned char)*end)) {
        end++;
    }
    if (end != NULL && end < text + length && *end != '\0') {
        cJSON_Delete(message);
        *code = MV_RPC_PARSE_ERROR;
        snprintf(err, err_size, "the body holds more than one JSON value (extra data at byte "
                 "%zu): send one JSON-RPC 2.0 message", (size_t)(end - text));
        return NULL;
    }
    if (cJSON_IsArray(message)) {
        cJSON_Delete(message);
        *code = MV_RPC_INVALID_REQUEST;
        snprintf(err, err_size, "JSON-RPC batches are not supported (MCP 2025-06-18 removed "
                 "them): send one message per POST");
        return NULL;
    }
    return message;
}

static int mv_rpc_id_valid(const cJSON *id)
{
    return cJSON_IsString(id) || cJSON_IsNumber(id);
}

void mv_rpc_classify(const cJSON *message, mv_rpc_message *out)
{
    memset(out, 0, sizeof(*out));
    out->kind = MV_RPC_INVALID;
    if (!cJSON_IsObject(message)) {
        snprintf(out->error, sizeof(out->error),
                 "a JSON-RPC message must be an object such as {\"jsonrpc\":\"2.0\",\"id\":1,"
                 "\"method\":\"tools/list\"}");
        return;
    }
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(message, "jsonrpc");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(message, "id");
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(message, "method");
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(message, "params");
    if (mv_rpc_id_valid(id)) {
        out->id = id; /* kept for the error reply even when the rest is wrong */
    }
    if (!cJSON_IsString(version) || strcmp(version->valuestring, "2.0") != 0) {
        snprintf(out->error, sizeof(out->error), "\"jsonrpc\" must be \"2.0\"");
        return;
    }
    if (id != NULL && !mv_rpc_id_valid(id)) {
        snprintf(out->error, sizeof(out->error),
                 "\"id\" must be a string or a number (MCP does not allow null)");
        return;
    }
    if (method == NULL) {
        int has_result = cJSON_GetObjectItemCaseSensitive(message, "result") != NULL;
        int has_error = cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(message, "error"));
        if (id != NULL && has_result != has_error) {
            out->kind = MV_RPC_RESPONSE;
            return;
        }
        snprintf(out->error, sizeof(out->error),
                 "the message has no \"method\": a request needs \"method\" (and \"id\"), a "
                 "response \"id\" and one of \"result\" or \"error\"");
        return;
    }
    if (!cJSON_IsString(method) || method->valuestring[0] == '\0') {
        snprintf(out->error, sizeof(out->error), "\"method\" must be a non-empty string");
        return;
    }
    if (params != NULL && !cJSON_IsObject(params)) {
        snprintf(out->error, sizeof(out->error),
                 "\"params\" must be an object (MCP uses named parameters)");
        return;
    }
    out->method = method->valuestring;
    out->params = params;
    out->kind = id != NULL ? MV_RPC_REQUEST : MV_RPC_NOTIFICATION;
}

static cJSON *mv_rpc_envelope(const cJSON *id)
{
    cJSON *reply = cJSON_CreateObject();
    cJSON_AddStringToObject(reply, "jsonrpc", "2.0");
    cJSON_AddItemToObject(reply, "id",
                          id != NULL ? cJSON_Duplicate(id, 0) : cJSON_CreateNull());
    return reply;
}

cJSON *mv_rpc_result(const cJSON *id, cJSON *result)
{
    cJSON *reply = mv_rpc_envelope(id);
    cJSON_AddItemToObject(reply, "result", result != NULL ? result : cJSON_CreateObject());
    return reply;
}

cJSON *mv_rpc_error(const cJSON *id, int code, const char *message)
{
    cJSON *reply = mv_rpc_envelope(id);
    cJSON *error = cJSON_AddObjectToObject(reply, "error");
    cJSON_AddNumberToObject(error, "code", code);
    cJSON_AddStringToObject(error, "message", message);
    return reply;
}

cJSON *mv_rpc_notification(const char *method, cJSON *params)
{
    cJSON *message = cJSON_CreateObject();
    cJSON_AddStringToObject(message, "jsonrpc", "2.0");
    cJSON_AddStringToObject(message, "method", method);
    cJSON_AddItemToObject(message, "params", params != NULL ? params : cJSON_CreateObject());
    return message;
}

/* ---------------------------------------------------------------- protocol revisions */

int mv_mcp_version_supported(const char *version)
{
    for (size_t i = 0; version != NULL && i < sizeof(MV_MCP_VERSIONS) / sizeof(MV_MCP_VERSIONS[0]);
         i++) {
        if (strcmp(version, MV_MCP_VERSIONS[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

const char *mv_mcp_negotiate_version(const char *requested)
{
    /* The lifecycle rule: the client's revision when supported, else our latest (the
     * client then decides whether it can speak it). */
    for (size_t i = 0; requested != NULL && i < sizeof(MV_MCP_VERSIONS) / sizeof(MV_MCP_VERSIONS[0]);
         i++) {
        if (strcmp(requested, MV_MCP_VERSIONS[i]) == 0) {
            return MV_MCP_VERSIONS[i];
        }
    }
    return MV_MCP_PROTOCOL_LATEST;
}

/* ---------------------------------------------------------------- headers */

/* 1 when an Accept entry's parameters say q=0 (not acceptable). */
static int mv_quality_zero(const char *entry, size_t length)
{
    for (size_t i = 1; i + 1 < length; i++) {
        if (entry[i] == 'q' && entry[i + 1] == '=' && (entry[i - 1] == ';' || entry[i - 1] == ' ')) {
            return strtod(entry + i + 2, NULL) <= 0.0;
        }
    }
    return 0;
}

int mv_mcp_accepts(const char *accept, const char *type)
{
    if (accept == NULL || accept[0] == '\0') {
        return 1;
    }
    size_t type_length = strlen(type);
    const char *slash = strchr(type, '/');
    size_t major = slash != NULL ? (size_t)(slash - type) : type_length;
    const char *p = accept;
    while (*p != '\0') {
        while (*p == ' ' || *p == ',') {
            p++;
        }
        size_t entry = strcspn(p, ",");
        size_t length = strcspn(p, ",;");
        while (length > 0 && p[length - 1] == ' ') {
            length--;
        }
        if (length > 0 && !mv_quality_zero(p, entry) &&
            ((length == 3 && strncmp(p, "*/*", 3) == 0) ||
             (length == type_length && strncasecmp(p, type, length) == 0) ||
             (length == major + 2 && strncasecmp(p, type, major + 1) == 0 && p[major + 1] == '*'))) {
            return 1;
        }
        p += entry;
    }
    return 0;
}

/* Copies the host part of "host", "host:port", "[v6]" or "[v6]:port" into out (lowercase). */
static void mv_host_part(const char *value, char *out, size_t size)
{
    size_t length;
    if (value[0] == '[') {
        const char *close = strchr(value, ']');
        length = close != NULL ? (size_t)(close - value) + 1 : strlen(value);
    } else {
        length = strcspn(value, ":/");
    }
    if (length >= size) {
        length = size - 1;
    }
    for (size_t i = 0; i < length; i++) {
        out[i] = (char)tolower((unsigned char)value[i]);
    }
    out[length] = '\0';
}

static int mv_host_is_loopback(const char *host)
{
    if (strcmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0 ||
        strcmp(host, "::1") == 0) {
        return 1;
    }
    /* 127.0.0.0/8 written as a dotted quad */
    unsigned a, b, c, d;
    char tail;
    return sscanf(host, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) == 4 && a == 127 && b < 256 &&
           c < 256 && d < 256;
}

int mv_mcp_origin_allowed(const char *origin, const char *cors_origin)
{
    if (origin == NULL) {
        return 1;
    }
    if (cors_origin != NULL && cors_origin[0] != '\0' &&
        (strcmp(cors_origin, "*") == 0 || strcasecmp(origin, cors_origin) == 0)) {
        return 1;
    }
    const char *rest = NULL;
    if (strncasecmp(origin, "http://", 7) == 0) {
        rest = origin + 7;
    } else if (strncasecmp(origin, "https://", 8) == 0) {
        rest = origin + 8;
    } else {
        return 0; /* "null" (a sandboxed page, a file) and other schemes */
    }
    char host[256];
    mv_host_part(rest, host, sizeof(host));
    return mv_host_is_loopback(host);
}

int mv_mcp_host_allowed(const char *host, const char *listen_host)
{
    char listener[256];
    mv_host_part(listen_host != NULL ? listen_host : "", listener, sizeof(listener));
    if (!mv_host_is_loopback(listener)) {
        return 1;
    }
    if (host == NULL) {
        return 1; /* HTTP/1.0 without Host: no name to rebind */
    }
    char name[256];
    mv_host_part(host, name, sizeof(name));
    return mv_host_is_loopback(name);
}

int mv_mcp_session_id_valid(const char *id)
{
    if (id == NULL || strlen(id) != MV_MCP_SESSION_ID_SIZE - 1) {
        return 0;
    }
    for (const char *p = id; *p != '\0'; p++) {
        if (!isdigit((unsigned char)*p) && (*p < 'a' || *p > 'f')) {
            return 0;
        }
    }
    return 1;
}
