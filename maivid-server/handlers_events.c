/*
 * handlers_events.c - GET /api/convo_pilot/video/{id}/events: the job's status as
 * Server-Sent Events. Each change of the status sends one event whose data is the status
 * endpoint's JSON and whose id is a hash of it; a reconnecting client's Last-Event-ID skips
 * the status it already has. A comment line is sent at once and every heartbeat interval
 * (so proxies and dead clients are noticed), `retry:` tells EventSource when to come back,
 * and the stream ends after the job's terminal event, after at most max_seconds (the client
 * reconnects with Last-Event-ID), or when the server stops: a stream never holds a CivetWeb
 * worker for long. Once the job has ended and the client has its last status, the answer is
 * 204, which makes EventSource stop reconnecting. At most half the HTTP workers stream at
 * once (503 with Retry-After above that), so streams never starve the API.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "server.h"

#define MV_EVENTS_POLL_MS 250          /* how often the status is compared */
#define MV_EVENTS_HEARTBEAT_S 15.0     /* a comment line at least this often */
#define MV_EVENTS_MAX_S 300            /* default and largest stream lifetime */
#define MV_EVENTS_RETRY_MS 1500        /* EventSource's reconnection delay */

/* FNV-1a 64 of the status text: the event id (equal ids: equal statuses). */
static void mv_event_id(const char *text, char out[17])
{
    uint64_t hash = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
        hash = (hash ^ *p) * 1099511628211ull;
    }
    snprintf(out, 17, "%016" PRIx64, hash);
}

/* The status reply as text and its state; NULL when the job is gone or memory ran out. */
static char *mv_event_status(mv_request *req, maivid_job_state *state)
{
    maivid_status *status = NULL;
    if (maivid_job_status(req->server->engine, req->job_id, &status) != MAIVID_OK) {
        return NULL;
    }
    *state = maivid_status_state(status);
    cJSON *reply = mv_status_reply(req, status);
    maivid_status_free(status);
    char *text = reply != NULL ? cJSON_PrintUnformatted(reply) : NULL;
    cJSON_Delete(reply);
    return text;
}

static int mv_state_ended(maivid_job_state state)
{
    return state == MAIVID_JOB_COMPLETED || state == MAIVID_JOB_FAILED ||
           state == MAIVID_JOB_CANCELLED;
}

static int mv_send_event(struct mg_connection *conn, const char *id, const char *data)
{
    return mg_printf(conn, "id: %s\nevent: status\ndata: %s\n\n", id, data) > 0;
}

/* The stream itself, after the headers: returns when it should end. */
static void mv_events_stream(mv_request *req, char *last, int max_seconds)
{
    double start = mv_server_now();
    double last_write = start;
    for (;;) {
        maivid_job_state state = MAIVID_JOB_QUEUED;
        char *text = mv_event_status(req, &state);
        if (text == NULL) { /* deleted while watched */
            mg_printf(req->conn, "event: gone\ndata: {\"success\":false,\"error\":\"job %s "
                      "was deleted\",\"status\":404}\n\n", req->job_id);
            return;
        }
        char id[17];
        mv_event_id(text, id);
        if (strcmp(id, last) != 0) {
            int sent = mv_send_event(req->conn, id, text);
            memcpy(last, id, sizeof(id));
            last_write = mv_server_now();
            if (!sent) {
                free(text);
                return; /* the client left */
            }
        }
        free(text);
        if (mv_state_ended(state)) {
            return;
        }
        double now = mv_server_now();
        if (now - start >= max_seconds ||
            __atomic_load_n(&req->server->closing, __ATOMIC_SEQ_CST)) {
            return; /* the client reconnects with Last-Event-ID */
        }
        if (now - last_write >= MV_EVENTS_HEARTBEAT_S) {
            if (mg_printf(req->conn, ": heartbeat\n\n") <= 0) {
                return;
            }
            last_write = now;
        }
        /* wakes at once when the job ends; otherwise a short sleep between comparisons */
        maivid_job_wait(req->server->engine, req->job_id, MV_EVENTS_POLL_MS);
    }
}

int mv_handle_events(mv_request *req)
{
    char text[16];
    int max_seconds = MV_EVENTS_MAX_S;
    if (mv_request_query(req, "max_seconds", text, sizeof(text))) {
        char *end = NULL;
        long value = strtol(text, &end, 10);
        if (end == text || *end != '\0' || value < 1 || value > MV_EVENTS_MAX_S) {
            return mv_reply_error(req, 400, "max_seconds",
                                  "max_seconds must be a whole number from 1 to %d",
                                  MV_EVENTS_MAX_S);
        }
        max_seconds = (int)value;
    }
    maivid_status *status = NULL;
    int rc = mv_job_lookup(req, &status);
    if (rc != 0) {
        return rc;
    }
    maivid_status_free(status);
    char last[17] = "";
    const char *given = mg_get_header(req->conn, "Last-Event-ID");
    if (given != NULL && strlen(given) == 16) {
        memcpy(last, given, sizeof(last));
    }
    maivid_job_state state = MAIVID_JOB_QUEUED;
    char *now = mv_event_status(req, &state);
    if (now == NULL) {
        return mv_reply_error(req, 500, NULL, "out of memory");
    }
    char id[17];
    mv_event_id(now, id);
    free(now);
    mv_request_discard_body(req);
    char cors[512];
    mv_reply_cors_lines(req, cors, sizeof(cors));
    if (mv_state_ended(state) && strcmp(id, last) == 0) { /* nothing new will ever come */
        mg_printf(req->conn, "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n%s\r\n", cors);
        return 204;
    }
    unsigned limit = req->server->opts->http_threads / 2;
    int open = __atomic_add_fetch(&req->server->event_streams, 1, __ATOMIC_SEQ_CST);
    if ((unsigned)open > limit) {
        __atomic_sub_fetch(&req->server->event_streams, 1, __ATOMIC_SEQ_CST);
        static const char BUSY[] =
            "{\"success\":false,\"error\":\"too many event streams are open: poll "
            "GET /api/convo_pilot/video/{job_id} instead, or retry later\",\"status\":503}";
        return mv_reply_json(req, 503, BUSY, sizeof(BUSY) - 1, "Retry-After: 5\r\n");
    }
    req->must_close = 1;
    mg_disable_keep_alive(req->conn);
    mg_printf(req->conn,
              "HTTP/1.1 200 OK\r\n"
              "Content-Type: text/event-stream; charset=utf-8\r\n"
              "Cache-Control: no-store\r\n"
              "X-Accel-Buffering: no\r\n"
              "X-Content-Type-Options: nosniff\r\n"
              "%sConnection: close\r\n\r\n"
              "retry: %d\n: stream of job %s\n\n",
              cors, MV_EVENTS_RETRY_MS, req->job_id);
    if (strcmp(req->method, "HEAD") != 0) {
        mv_events_stream(req, last, max_seconds);
    }
    __atomic_sub_fetch(&req->server->event_streams, 1, __ATOMIC_SEQ_CST);
    return 200;
}
