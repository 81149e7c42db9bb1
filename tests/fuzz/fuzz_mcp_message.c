/*
 * fuzz_mcp_message.c - one POST body of maivid-server's MCP endpoint (/mcp): parsed as
 * mcp_http.c does (mv_rpc_parse: nesting bounded first, one value, batches refused), sorted
 * by mv_rpc_classify, and answered with a JSON-RPC error or result that must print and parse
 * back; the same bytes as the Accept, Origin and Host headers and a session id, and the parsed
 * value as both an OpenAPI document and a schema for mv_mcp_schema_from_openapi (its $ref
 * cycles must end at the depth bound).
 */
#include "fuzz_util.h"

#include <cjson/cJSON.h>

#include "mcp.h"

static void fuzz_reply_roundtrip(cJSON *reply)
{
    char *text = reply != NULL ? cJSON_PrintUnformatted(reply) : NULL;
    cJSON_Delete(reply);
    if (text == NULL)
        abort();
    cJSON *again = cJSON_Parse(text);
    if (again == NULL)
        abort(); /* every reply is JSON */
    cJSON_Delete(again);
    cJSON_free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *body = fuzz_cstring(data, size);
    size_t length = strlen(body);
    (void)mv_mcp_accepts(body, "text/event-stream");
    (void)mv_mcp_origin_allowed(body, NULL);
    (void)mv_mcp_host_allowed(body, "127.0.0.1");
    (void)mv_mcp_session_id_valid(body);
    (void)mv_mcp_negotiate_version(body);
    int code = 0;
    char err[300];
    cJSON *parsed = mv_rpc_parse(body, length, &code, err, sizeof(err));
    if (parsed == NULL) {
        if (code != MV_RPC_PARSE_ERROR && code != MV_RPC_INVALID_REQUEST)
            abort();
        fuzz_reply_roundtrip(mv_rpc_error(NULL, code, err));
        free(body);
        return 0;
    }
    mv_rpc_message message;
    mv_rpc_classify(parsed, &message);
    if (message.kind == MV_RPC_INVALID) {
        fuzz_reply_roundtrip(mv_rpc_error(message.id, MV_RPC_INVALID_REQUEST, message.error));
    } else if (message.kind == MV_RPC_REQUEST) {
        if (message.method == NULL || message.id == NULL)
            abort();
        fuzz_reply_roundtrip(mv_rpc_result(message.id, cJSON_Duplicate(message.params, 1)));
    }
    cJSON_Delete(mv_mcp_schema_from_openapi(parsed, parsed));
    cJSON_Delete(parsed);
    free(body);
    return 0;
}
