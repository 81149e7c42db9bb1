/*
 * mcp_tools.h - the MCP tools (mcp_tools.c) as the HTTP handler (mcp_http.c) calls them.
 */
#ifndef MV_MCP_TOOLS_H
#define MV_MCP_TOOLS_H

#include "mcp.h"
#include "server.h"

typedef struct mv_mcp_call {
    mv_server *server;
    const char *base_url;                /* "http://host:port" for the status's file URLs */
    const struct cJSON *progress_token;  /* params._meta.progressToken, or NULL */
    /* Sends one notification to the client while a call waits on a job (NULL: none can be
     * sent). Returns 0, or -1 when the client has gone (the wait then ends). */
    int (*notify)(void *context, struct cJSON *notification);
    void *notify_context;
} mv_mcp_call;

/* The tools/list result: every tool with its input and output schema. NULL when out of
 * memory. */
struct cJSON *mv_mcp_tools_list(void);
/* tools/call: the tool's result (isError true for a bad argument or a failed action), or
 * NULL with a JSON-RPC error code (unknown tool, malformed params) and message in err. */
struct cJSON *mv_mcp_tools_call(const mv_mcp_call *call, const struct cJSON *params, int *code,
                                char *err, size_t err_size);

#endif /* MV_MCP_TOOLS_H */
