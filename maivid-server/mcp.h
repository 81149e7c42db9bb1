/*
 * mcp.h - the Model Context Protocol endpoint (/mcp, Streamable HTTP transport): the JSON-RPC
 * 2.0 layer and header checks (mcp_rpc.c), sessions (mcp_session.c), tool schemas derived from
 * the OpenAPI document (mcp_schema.c), the tools (mcp_tools.c) and the HTTP handler
 * (mcp_http.c). mcp_rpc.c, mcp_session.c and mcp_schema.c need only cJSON, so the unit tests
 * build them alone.
 */
#ifndef MV_MCP_H
#define MV_MCP_H

#include <stddef.h>

struct cJSON;

#define MV_MCP_PROTOCOL_LATEST "2025-06-18"  /* answered to a client asking for another */
#define MV_MCP_SESSION_ID_SIZE 33            /* 32 hex characters and the NUL */
#define MV_MCP_MAX_SESSIONS 256              /* the least recently used goes past this */
#define MV_MCP_SESSION_IDLE_SECONDS 3600.0   /* a session unused this long is ended */
#define MV_MCP_MAX_WAIT_SECONDS 300.0        /* most a tool call waits for a job */
#define MV_MCP_STOP_SECONDS 5.0              /* most shutdown waits for calls to answer */

/* JSON-RPC 2.0 error codes. */
#define MV_RPC_PARSE_ERROR (-32700)
#define MV_RPC_INVALID_REQUEST (-32600)
#define MV_RPC_METHOD_NOT_FOUND (-32601)
#define MV_RPC_INVALID_PARAMS (-32602)
#define MV_RPC_INTERNAL_ERROR (-32603)
#define MV_RPC_SERVER_ERROR (-32000)         /* transport-level refusals (session, headers) */

/* ---------------------------------------------------------------- mcp_rpc.c */

typedef enum mv_rpc_kind {
    MV_RPC_INVALID = 0,
    MV_RPC_REQUEST,       /* method and id: needs an answer */
    MV_RPC_NOTIFICATION,  /* method, no id */
    MV_RPC_RESPONSE       /* result or error, with id: a client answering us */
} mv_rpc_kind;

typedef struct mv_rpc_message {
    mv_rpc_kind kind;
    const struct cJSON *id;     /* string or number (requests, responses), else NULL */
    const char *method;         /* requests and notifications */
    const struct cJSON *params; /* an object or NULL */
    char error[256];            /* MV_RPC_INVALID: what is wrong and the fix */
} mv_rpc_message;

/* Parses one message body with the nesting bounded (MAIVID_JSON_MAX_DEPTH). NULL with *code
 * (MV_RPC_PARSE_ERROR or MV_RPC_INVALID_REQUEST) and the reason in err. */
struct cJSON *mv_rpc_parse(const char *text, size_t length, int *code, char *err,
                           size_t err_size);
/* Sorts a parsed message into request, notification, response or invalid (with why). */
void mv_rpc_classify(const struct cJSON *message, mv_rpc_message *out);
/* {"jsonrpc":"2.0","id":id,"result":result}; takes result. id NULL: null. */
struct cJSON *mv_rpc_result(const struct cJSON *id, struct cJSON *result);
/* {"jsonrpc":"2.0","id":id,"error":{code,message}}; id NULL: null. */
struct cJSON *mv_rpc_error(const struct cJSON *id, int code, const char *message);
/* A notification {"jsonrpc":"2.0","method":method,"params":params}; takes params. */
struct cJSON *mv_rpc_notification(const char *method, struct cJSON *params);

/* 1 when this server speaks protocol revision `version`. */
int mv_mcp_version_supported(const char *version);
/* The revision to answer an initialize asking for `requested` (NULL: not given). */
const char *mv_mcp_negotiate_version(const char *requested);
/* 1 when the Accept header value allows `type` (NULL or empty header: anything). */
int mv_mcp_accepts(const char *accept, const char *type);
/* DNS-rebinding guard: 1 when a request with this Origin header may be served (NULL: no
 * Origin, a non-browser client). Allowed: loopback origins, or `cors_origin` (--cors-origin;
 * "*" allows all). */
int mv_mcp_origin_allowed(const char *origin, const char *cors_origin);
/* 1 when the Host header fits the listener: a loopback listener (--listen 127.0.0.1:...)
 * only answers Host names that are loopback; others answer any. */
int mv_mcp_host_allowed(const char *host, const char *listen_host);
/* 1 when `id` looks like a session id this server issues (32 lowercase hex characters). */
int mv_mcp_session_id_valid(const char *id);

/* ---------------------------------------------------------------- mcp_session.c */

/* The endpoint's state: its sessions and a stop flag that ends the tool calls waiting on a
 * job when the server shuts down. Thread-safe. */
typedef struct mv_mcp mv_mcp;

mv_mcp *mv_mcp_new(size_t capacity, double idle_seconds);
void mv_mcp_free(mv_mcp *mcp);
/* Wakes and ends every wait (mv_mcp_sleep returns 1 from now on), then waits up to
 * max_seconds for the tool calls in flight to have answered (the HTTP listener stops
 * writing once it is told to stop, so it must be told after). */
void mv_mcp_shutdown(mv_mcp *mcp, double max_seconds);
/* Around a tool call, its reply included. */
void mv_mcp_call_begin(mv_mcp *mcp);
void mv_mcp_call_end(mv_mcp *mcp);
/* Sleeps up to `seconds`; 1 when the server is stopping, else 0. */
int mv_mcp_sleep(mv_mcp *mcp, double seconds);
/* Opens a session for protocol `version` at time `now` (seconds, monotonic): writes its id
 * into id (MV_MCP_SESSION_ID_SIZE bytes). Ends idle sessions, then the least recently used
 * one when full. 0, or -1 when no random id could be made. */
int mv_mcp_session_open(mv_mcp *mcp, const char *version, double now, char *id);
/* 1 when session `id` is open (it is then marked used at `now`, and its protocol version is
 * copied into version), 0 when unknown or ended. */
int mv_mcp_session_find(mv_mcp *mcp, const char *id, double now, char *version,
                        size_t version_size);
/* Ends session `id`: 1 if it was open, 0 if unknown. */
int mv_mcp_session_close(mv_mcp *mcp, const char *id);
/* The number of open sessions (for tests). */
size_t mv_mcp_session_count(mv_mcp *mcp);

/* ---------------------------------------------------------------- mcp_schema.c */

/* A JSON Schema (draft 2020-12) from an OpenAPI 3.0 schema inside the document `doc`: every
 * "$ref": "#/components/schemas/X" inlined, "nullable": true turned into a type list with
 * "null" (and null added to an enum), "example" into "examples" and "x-" extensions dropped.
 * NULL when a reference is missing, nests too deep or expands past 50000 nodes. */
struct cJSON *mv_mcp_schema_from_openapi(const struct cJSON *doc, const struct cJSON *schema);

#endif /* MV_MCP_H */
