/*
 * server.h - the pieces of maivid-server shared by its files: the options from the command
 * line, the running server (engine + HTTP listener + helpers) and one HTTP request.
 * The server is a thin frontend over libmaivid's public API (maivid/maivid.h) only.
 */
#ifndef MV_SERVER_H
#define MV_SERVER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <civetweb.h>

#include "maivid/maivid.h"

struct cJSON;
typedef struct cJSON cJSON;

#define MV_SERVER_MAX_BODY (64 * 1024)   /* largest request body accepted (413 above) */
#define MV_SERVER_MAX_HEADERS 16384      /* request line + headers (CivetWeb's buffer) */
#define MV_SERVER_DRAIN_SECONDS 5.0      /* most time spent dropping an unread body */
#define MV_SERVER_DEFAULT_LISTEN "127.0.0.1:420"

typedef enum mv_log_format { MV_LOG_TEXT = 0, MV_LOG_JSON = 1 } mv_log_format;

/* ---------------------------------------------------------------- options (options.c) */

typedef struct mv_server_options {
    const char *listen;             /* host:port, default MV_SERVER_DEFAULT_LISTEN */
    const char *data_dir;           /* NULL: the engine's default */
    unsigned workers;               /* 0: the engine's default */
    unsigned queue_limit;           /* 0: the engine's default */
    const char *queue_url;          /* --queue: the shared Redis queue (NULL: env or embedded) */
    const char **comfyui_urls;      /* owned array of pointers into argv */
    size_t comfyui_url_count;
    const char *models_dir;
    const char **checkpoints;       /* --checkpoint MODEL=FILE, owned array into argv */
    size_t checkpoint_count;
    const char *api_key;            /* NULL or "": no key needed */
    int allow_private_urls;
    const char *cors_origin;        /* NULL: no CORS headers */
    mv_log_format log_format;
    unsigned http_threads;          /* CivetWeb worker threads (one per open connection) */
    unsigned max_client_connections;/* per client address (0: threads minus the reserve) */
    unsigned request_timeout_ms;    /* most time to receive a request head, then its body */
    int render_nice;                /* nice value of rendering threads (0: unchanged) */
    double keep_days;               /* retention: remove ended jobs after this; 0: keep */
    uint64_t max_data_bytes;        /* retention: cap on all jobs' files; 0: none */
    const char *webhook_secret;     /* --webhook-secret (NULL: none) */
    const char *webhook_secret_file;/* --webhook-secret-file (NULL: none) */
    const char *suno_token_file;    /* NULL: $MAIVID_SUNO_TOKEN, if set */
    int no_ui;                      /* --no-ui: no studio page at / */
    int show_help;
    int show_version;
} mv_server_options;

/* Parses argv (and MAIVID_API_KEY). Returns 0, or -1 with a message naming the fix. */
int mv_server_options_parse(mv_server_options *opts, int argc, char **argv, char *err,
                            size_t err_size);
void mv_server_options_free(mv_server_options *opts);
void mv_server_print_help(FILE *out, const char *program);

/* ---------------------------------------------------------------- logging (access_log.c) */

typedef struct mv_logger {
    mv_log_format format;
} mv_logger;

/* One line on stderr: "kind" is e.g. "job", "engine", "server", "webhook". */
void mv_log_line(const mv_logger *log, const char *level, const char *kind, const char *job_id,
                 const char *message);
void mv_log_access(const mv_logger *log, const char *remote, const char *method,
                   const char *uri, int status, double millis);

/* CivetWeb callbacks that time each request and write its access line. */
void *mv_access_init_thread(const struct mg_context *ctx, int thread_type);
void mv_access_exit_thread(const struct mg_context *ctx, int thread_type, void *thread_pointer);
int mv_access_begin_request(struct mg_connection *conn);
void mv_access_end_request(const struct mg_connection *conn, int status);

/* ---------------------------------------------------------------- helpers */

typedef struct mv_idempotency mv_idempotency; /* idempotency.c */
typedef struct mv_conn_guard mv_conn_guard;   /* conn_guard.c */

typedef struct mv_webhook_key {               /* webhook_sign.c: the decoded secret */
    unsigned char bytes[256];
    size_t length;                            /* 0: deliveries are not signed */
} mv_webhook_key;
typedef struct mv_webhooks mv_webhooks;       /* webhook.c */
typedef struct mv_mcp mv_mcp;                 /* mcp_session.c: the MCP endpoint's state */

typedef struct mv_health_cache {              /* handlers_catalog.c: ComfyUI probe results */
    pthread_mutex_t lock;
    double checked_at;                        /* monotonic seconds, 0: never */
    char *comfyui_json;                       /* cached JSON array */
} mv_health_cache;

typedef struct mv_encoder_cache {             /* handlers_encoders.c: the encoders probe */
    pthread_mutex_t lock;
    char *json;                               /* the catalog's JSON array, NULL: not probed */
} mv_encoder_cache;

/* ---------------------------------------------------------------- the server (server.c) */

typedef struct mv_server {
    const mv_server_options *opts;
    mv_logger log;
    maivid_engine *engine;
    maivid_stages observer;                  /* logs state changes, triggers webhooks */
    struct mg_context *http;
    int port;                                /* the port actually bound */
    mv_idempotency *idempotency;
    mv_webhooks *webhooks;
    mv_conn_guard *guard;                    /* admits connections to the HTTP workers */
    mv_webhook_key webhook_key;
    mv_health_cache health;
    mv_encoder_cache encoders;
    mv_mcp *mcp;                             /* /mcp sessions and its stop flag */
    char data_dir[1024];                     /* the engine's; uploads wait in <it>/uploads */
    uint64_t max_upload_bytes;               /* the engine's download cap, for uploads too */
    int closing;                             /* set (atomically) when stopping: streams end */
    int event_streams;                       /* open event streams (atomic counter) */
} mv_server;

/* Opens the engine and starts listening. On failure returns -1 with the reason and fix. */
int mv_server_start(mv_server *server, const mv_server_options *opts, char *err,
                    size_t err_size);
/* Stops accepting, closes the engine (checkpointing running jobs) and frees everything. */
void mv_server_stop(mv_server *server);

/* ---------------------------------------------------------------- one request */

typedef struct mv_request {
    struct mg_connection *conn;
    const struct mg_request_info *info;
    mv_server *server;
    const char *method;
    const char *path;
    char job_id[80];                         /* the {id} path segment, if the route has one */
    int body_read;                           /* 1 once the body was consumed */
    int must_close;                          /* 1: the reply says Connection: close */
} mv_request;

/* routes.c: the single CivetWeb handler for every path. */
int mv_routes_dispatch(struct mg_connection *conn, void *server);

/* json_reply.c: every reply is JSON with Content-Length (files excepted). */
int mv_reply_json(mv_request *req, int status, const char *body, size_t length,
                  const char *extra_headers);
/* Prints and frees `object`. */
int mv_reply_cjson(mv_request *req, int status, struct cJSON *object);
/* The API's error object {success: false, error, field when given} (to cJSON_Delete; NULL when
 * out of memory): the HTTP error replies and the MCP tool errors share it. */
struct cJSON *mv_error_body(const char *field, const char *message);
/* {"success":false,"error":message} plus "field" when field is not NULL. */
int mv_reply_error(mv_request *req, int status, const char *field, const char *format, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* CivetWeb's http_error callback: our JSON error body for the protocol errors CivetWeb
 * answers itself (bad request line, headers too large, negative Content-Length). */
int mv_reply_protocol_error(struct mg_connection *conn, int status, const char *errmsg);
/* The HTTP status for a libmaivid error code (400 invalid, 404, 429 queue full, ...). */
int mv_http_status_for(maivid_code code);
/* `{"success":true,"<key>":<raw_json>}` without re-parsing raw_json. */
int mv_reply_wrapped(mv_request *req, int status, const char *key, const char *raw_json);
/* Adds the CORS header lines (if --cors-origin is set) to a header block being built. */
void mv_reply_cors_lines(const mv_request *req, char *buf, size_t size);

/* request_body.c: reads a body of at most MV_SERVER_MAX_BODY bytes whose Content-Type is
 * JSON. On failure it has already replied (413, 415, 408) and returns the status; on success
 * returns 0 and *out (NUL-terminated, to free) holds *length bytes. */
int mv_request_read_body(mv_request *req, char **out, size_t *length);
/* request_body.c: reads a JSON body (<= MV_SERVER_MAX_BODY). On failure it has already
 * replied (413, 415, 400) and returns the status; on success returns 0 and *out is a parsed
 * object to cJSON_Delete. */
int mv_request_read_json(mv_request *req, struct cJSON **out);
/* 1 when the JSON text holds a NUL (raw or \u0000); `field` gets the member's key. */
int mv_json_text_has_nul(const char *text, size_t length, char *field, size_t field_size);
/* Before replying without reading the body: reads and drops a small one, or (large or of
 * unknown length) makes the connection close after the reply. Returns 1 if it must close. */
int mv_request_discard_body(mv_request *req);
/* After a reply that leaves a body unread (413): reads and drops the rest for at most
 * MV_SERVER_DRAIN_SECONDS, so the client can finish sending and then read the reply. */
void mv_request_drain_after_reply(mv_request *req);
/* The value of query parameter `name` into buf; 1 if present, 0 if absent. */
int mv_request_query(const mv_request *req, const char *name, char *buf, size_t size);

/* auth.c */
int mv_auth_equal(const char *given, const char *expected);
/* 1 if the request carries the API key (X-API-Key or Authorization: Bearer) or none is set. */
int mv_auth_check(const mv_request *req);

/* handlers_jobs.c */
typedef struct mv_field_error {
    const char *field;
    char message[512];
} mv_field_error;
/* Fills params from a create request: every field the parameter table marks as part of the
 * API (strings point into body). 0, or -1 with error naming the field. */
int mv_params_from_json(const struct cJSON *body, maivid_job_params *params,
                        mv_field_error *error);
/* Queues a job (callback URL policy, engine, webhook, log line). MAIVID_OK with job_id, or
 * the code with the reason in err and *field naming the field at fault (or NULL). */
maivid_code mv_job_start(mv_server *server, const maivid_job_params *params,
                         char job_id[MAIVID_JOB_ID_SIZE], char *err, size_t err_size,
                         const char **field);
/* The spec's create reply: success, job_id, message and job_info (the effective settings). */
struct cJSON *mv_create_reply(const char *job_id, const maivid_job_params *params);
/* The job_status object of GET .../video/{id}, its file URLs under `base` ("" relative). */
struct cJSON *mv_status_json(const maivid_status *status, const char *base);
/* Cancels the job (state `before`): the cancel reply object, or NULL with code and err. */
struct cJSON *mv_job_cancel_reply(mv_server *server, const char *job_id,
                                  maivid_job_state before, maivid_code *code, char *err,
                                  size_t err_size);
/* Validates req->job_id and fetches its status. Returns 0 with *out set, or the status of
 * the error reply already sent (404 for a malformed or unknown id). */
int mv_job_lookup(mv_request *req, maivid_status **out);
/* "http://<Host>" from the request (or "" when the Host header is missing or odd). */
void mv_request_base_url(const mv_request *req, char *buf, size_t size);
int mv_handle_create(mv_request *req);
int mv_handle_status(mv_request *req);
int mv_handle_progress(mv_request *req);
int mv_handle_cancel(mv_request *req);
int mv_handle_delete(mv_request *req);
int mv_handle_list(mv_request *req);
int mv_handle_storyboard(mv_request *req);
/* The create endpoint's 202 reply (job_id, message, job_info with the settings). */
cJSON *mv_create_reply(const char *job_id, const maivid_job_params *params);
/* The status endpoint's reply {"success":true,"job_status":{...}} for `status` (NULL: no
 * memory); the events stream sends the same object. */
cJSON *mv_status_reply(mv_request *req, const maivid_status *status);

/* handlers_events.c: GET .../video/{id}/events, the status as Server-Sent Events. */
int mv_handle_events(mv_request *req);
/* handlers_upload.c: POST /api/convo_pilot/upload, a job from an uploaded audio file. */
int mv_handle_upload(mv_request *req);
/* handlers_scenes.c: GET .../video/{id}/scenes/{n}: a scene's image once it is made. */
int mv_handle_scene_image(mv_request *req);
/* ui_assets.c: the studio page (GET / and /ui/...), unless --no-ui. 0: not a UI path. */
int mv_ui_dispatch(mv_request *req);
/* files.c: sends a file with Range support (what names it in a 404). */
int mv_send_file(mv_request *req, const char *path, const char *content_type, const char *what);

/* handlers_catalog.c */
int mv_handle_models(mv_request *req);
int mv_handle_styles(mv_request *req);
int mv_handle_transitions(mv_request *req);
int mv_handle_motions(mv_request *req);
int mv_handle_aspect_ratios(mv_request *req);
int mv_handle_health(mv_request *req);
void mv_health_cache_init(mv_health_cache *cache);
void mv_health_cache_free(mv_health_cache *cache);
int mv_handle_encoders(mv_request *req);
void mv_encoder_cache_init(mv_encoder_cache *cache);
void mv_encoder_cache_free(mv_encoder_cache *cache);

/* files.c */
int mv_handle_video_file(mv_request *req);
int mv_handle_thumbnail(mv_request *req);
int mv_handle_cover(mv_request *req);
/* GET .../{id}/captions.{srt,vtt,lrc,ass}: the job's caption sidecar (404 until written). */
int mv_handle_captions(mv_request *req);

/* mcp_http.c: the MCP endpoint (POST and DELETE /mcp). */
int mv_handle_mcp(mv_request *req);
int mv_handle_mcp_delete(mv_request *req);

/* openapi.c */
int mv_handle_openapi(mv_request *req);
/* The OpenAPI document (to cJSON_Delete), or NULL when out of memory. */
struct cJSON *mv_openapi_document(void);
/* openapi_studio.c: adds the events, upload and scene image paths to the document. */
void mv_openapi_add_studio(cJSON *doc);

/* idempotency.c: Idempotency-Key -> the first reply, kept 24 h (bounded). */
mv_idempotency *mv_idempotency_new(size_t capacity);
void mv_idempotency_free(mv_idempotency *table);
void mv_idempotency_lock(mv_idempotency *table);
void mv_idempotency_unlock(mv_idempotency *table);
/* With the lock held: the stored reply body for key (copy to free), or NULL. */
char *mv_idempotency_find(mv_idempotency *table, const char *key);
/* With the lock held: remembers key -> reply body. */
void mv_idempotency_store(mv_idempotency *table, const char *key, const char *reply);

/* webhook.c: POSTs the final status to a job's callback_url when it ends. */
/* `key` (kept by the caller while the sender runs) signs each delivery when its length > 0. */
mv_webhooks *mv_webhooks_start(const mv_logger *log, int allow_private_urls,
                               const mv_webhook_key *key);
/* Lets the sender read job status (it waits for this before sending anything). */
void mv_webhooks_attach(mv_webhooks *hooks, maivid_engine *engine);
/* Stops the sender thread (pending deliveries are dropped); later events are ignored. */
void mv_webhooks_stop(mv_webhooks *hooks);
void mv_webhooks_free(mv_webhooks *hooks);
void mv_webhooks_register(mv_webhooks *hooks, const char *job_id, const char *url);
/* Called from engine threads when a job ends; returns at once. */
void mv_webhooks_job_ended(mv_webhooks *hooks, const char *job_id);
/* 1 if `url` is an http(s) URL a webhook may be sent to (syntax only). */
int mv_webhook_url_valid(const char *url);
/* 0 if libmaivid's URL policy allows `url` as a callback; else -1 with the reason (naming
 * the policy and the fix) in err. */
int mv_webhook_url_allowed(const mv_webhooks *hooks, const char *url, char *err,
                           size_t err_size);

/* webhook_sign.c: the secret from --webhook-secret (text or "whsec_" + base64) or the file
 * --webhook-secret-file; key->length 0 when neither is given. -1 with the fix in err. */
int mv_webhook_key_load(const char *secret, const char *secret_file, mv_webhook_key *key,
                        char *err, size_t err_size);
void mv_webhook_key_clear(mv_webhook_key *key);
/* "v1," + base64(HMAC-SHA256(key, id "." timestamp "." body)) into out (>= 48 bytes). */
int mv_webhook_sign(const mv_webhook_key *key, const char *id, const char *timestamp,
                    const char *body, char *out, size_t out_size);

/* conn_guard.c: per-address and reserve limits on the connections the HTTP workers take.
 * per_client 0: all workers but the reserve. */
mv_conn_guard *mv_conn_guard_new(unsigned threads, unsigned per_client, double body_seconds);
void mv_conn_guard_free(mv_conn_guard *guard);
/* Guards the connections accepted in the calling thread (CivetWeb's listener). */
void mv_conn_guard_bind_thread(mv_conn_guard *guard);
/* CivetWeb's connection_close callback: the connection's worker is free again. */
void mv_conn_guard_close(const struct mg_connection *conn);
/* Around reading a request body (1 before, 0 after): past body_seconds the watchdog shuts
 * the connection's reading side, so the read ends early. */
void mv_conn_guard_body(const struct mg_connection *conn, int receiving);
/* The same start with its own limit, for a body that may be large (an upload); end it with
 * mv_conn_guard_body(conn, 0). */
void mv_conn_guard_body_for(const struct mg_connection *conn, double seconds);
/* From begin_request (1) and end_request (0): a connection in a request is never shut. */
void mv_conn_guard_request(const struct mg_connection *conn, int in_request);

/* Monotonic seconds. */
double mv_server_now(void);
/* The host part of a --listen value ("127.0.0.1:420" -> "127.0.0.1", "420" -> "0.0.0.0"). */
void mv_strip_port(const char *listen, char *host, size_t size);

#endif /* MV_SERVER_H */
