/*
 * ingest_http_fixture.h - a tiny HTTP/1.1 server on 127.0.0.1 (ephemeral port, one thread,
 * one connection at a time) for the ingest tests, with the fine control CivetWeb lacks:
 * chunked bodies in chosen pieces, slow bodies, connections dropped mid-body, redirects.
 */
#ifndef INGEST_HTTP_FIXTURE_H
#define INGEST_HTTP_FIXTURE_H

#include <stddef.h>

typedef struct ingest_http_req {
    char method[16];
    char path[2048];        /* with the query */
    char user_agent[512];
    char range[128];
} ingest_http_req;

typedef struct ingest_http_reply {
    int status;               /* 0: 404 */
    const char *content_type; /* NULL: none */
    char headers[1024];       /* extra header lines, each ending in \r\n */
    const void *body;         /* borrowed; or set `owned` to free it after sending */
    size_t body_len;
    void *owned;
    int chunked;              /* Transfer-Encoding: chunked */
    size_t piece;             /* bytes per write (and per chunk); 0: all at once */
    int delay_ms;             /* pause before each piece */
    size_t drop_after;        /* close after this many body bytes; 0: never */
    size_t declared_len;      /* Content-Length to announce when not chunked; 0: body_len */
    int stall;                /* 1: after the headers and stall_after body bytes, send nothing
                                 more until the client gives up (a peer that hangs mid-reply) */
    size_t stall_after;
} ingest_http_reply;

typedef void (*ingest_http_handler)(void *user, const ingest_http_req *req,
                                    ingest_http_reply *reply);

typedef struct ingest_http_server ingest_http_server;

ingest_http_server *ingest_http_start(ingest_http_handler handler, void *user);
int ingest_http_port(const ingest_http_server *s);
/* Requests seen whose path starts with prefix. */
int ingest_http_hits(ingest_http_server *s, const char *prefix);
void ingest_http_stop(ingest_http_server *s);

#endif
