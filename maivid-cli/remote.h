/*
 * remote.h - the HTTP side of --server mode: JSON requests to a maivid-server and the
 * download of a finished video, with the API key sent as `X-API-Key` and as a Bearer token.
 */
#ifndef MV_REMOTE_H
#define MV_REMOTE_H

#include <stddef.h>

#include <cjson/cJSON.h>

typedef struct mv_cli_remote {
    const char *base;        /* "http://127.0.0.1:420" (a trailing slash is fine) */
    const char *api_key;     /* NULL: none */
    char error[1024];        /* why the last call failed */
} mv_cli_remote;

/* Sends METHOD base+path with an optional JSON body. On any HTTP answer returns 0 with the
 * status in *http_status and the parsed body (NULL if not JSON) in *reply; on a transport
 * failure returns -1 with remote->error set (naming the server and what to check). */
int mv_cli_remote_request(mv_cli_remote *remote, const char *method, const char *path,
                          const cJSON *body, long *http_status, cJSON **reply);

/* Downloads base+path into the open descriptor fd. Aborts when a SIGINT/SIGTERM is pending
 * (*signo set). Returns 0 on a 2xx answer fully written, else -1 with remote->error set. */
int mv_cli_remote_download(mv_cli_remote *remote, const char *path, int fd, int *signo);

/* The server's error text in a reply ("error" field), or a fallback naming the status. */
const char *mv_cli_remote_error_text(const cJSON *reply, long http_status, char *buf, size_t size);

#endif /* MV_REMOTE_H */
