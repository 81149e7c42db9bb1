/*
 * server_harness.h - helpers for the maivid-server end-to-end tests: start the real binary on
 * an ephemeral loopback port (its stderr goes to a log file the tests can read), stop it with
 * SIGTERM (SIGKILL after a timeout, so no process is ever left behind), make HTTP requests
 * with libcurl, and a small CivetWeb fixture server that serves a song, stalls, or records
 * webhook POSTs.
 */
#ifndef SERVER_HARNESS_H
#define SERVER_HARNESS_H

#include <pthread.h>
#include <stddef.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

#include "comfy_fixture.h"

typedef struct mv_test_server {
    pid_t pid;
    int port;
    char base_url[64];   /* http://127.0.0.1:PORT */
    char *data_dir;      /* owned */
    char *log_path;      /* owned: the server's stderr */
    int exit_status;     /* after stop: the exit code, or 128+signal */
    double stop_seconds; /* after stop: how long the shutdown took */
} mv_test_server;

/* Starts the server with --listen 127.0.0.1:0 --data-dir <data_dir or new tmp> plus `args`
 * (NULL-terminated, may be NULL). Waits for its "listening on" line. Returns 0 on success;
 * on failure the log is printed and -1 returned (no process is left). */
int mv_test_server_start(mv_test_server *server, const char *data_dir, const char *const *args);
/* cmocka group setup/teardown: a server with `args` in *state; the teardown fails unless
 * the server exits cleanly. */
int mv_test_server_group_setup(void **state, const char *const *args);
int mv_test_server_group_teardown(void **state);
/* SIGTERM, waits up to 15 s (then SIGKILL); fills exit_status and stop_seconds. */
void mv_test_server_stop(mv_test_server *server);
void mv_test_server_free(mv_test_server *server);
/* The server's log so far (caller frees). */
char *mv_test_server_log(const mv_test_server *server);
/* The path of the binary under test. */
const char *mv_test_server_binary(void);

typedef struct mv_http_reply {
    long status;
    char *body;          /* NUL-terminated */
    size_t length;
    char *headers;       /* raw response headers */
    cJSON *json;         /* parsed body or NULL */
} mv_http_reply;

/* One request. `content_type` NULL: none sent. `headers`: extra "Name: value" lines,
 * NULL-terminated (may be NULL). Returns 0 when a reply arrived. */
int mv_http(const char *method, const char *url, const char *content_type, const char *body,
            size_t body_length, const char *const *headers, mv_http_reply *reply);
void mv_http_reply_free(mv_http_reply *reply);
/* The value of response header `name` (case-insensitive) into buf; 1 if found. */
int mv_http_header(const mv_http_reply *reply, const char *name, char *buf, size_t size);
/* Shorthands on base_url + path. */
int mv_http_get(const mv_test_server *server, const char *path, mv_http_reply *reply);
int mv_http_post_json(const mv_test_server *server, const char *path, const char *json,
                      mv_http_reply *reply);
/* The string member `name` of the reply's JSON object (or of its object member `object`
 * when not NULL); NULL if absent. */
const char *mv_json_string(const cJSON *json, const char *object, const char *name);
/* Polls the progress endpoint until the job ends or `seconds` pass; returns the final
 * status name ("completed", "failed", ...) in buf, or "timeout". */
void mv_test_wait_job(const mv_test_server *server, const char *job_id, double seconds,
                      char *buf, size_t size);

/* ---------------------------------------------------------------- fixture server */

typedef struct mv_fixture {
    struct mg_context *ctx;
    int port;
    char base_url[64];
    char song_path[1024];    /* served at /song.wav */
    pthread_mutex_t lock;
    int song_hits;           /* requests for /song.wav and /slow.wav */
    int stop_stalling;       /* /slow.wav returns once this is set */
    int hook_count;          /* POSTs received at /hook */
    char *hook_body;         /* the last one */
    int hook_failures_left;  /* answer 500 to this many hooks first */
} mv_fixture;

/* Starts the fixture on 127.0.0.1:0; `song_path` may be NULL. Returns 0 on success. */
int mv_fixture_start(mv_fixture *fixture, const char *song_path);
void mv_fixture_stop(mv_fixture *fixture);
int mv_fixture_hook_count(mv_fixture *fixture);
int mv_fixture_song_hits(mv_fixture *fixture);

/* A server job against ComfyUI: a temp folder, a 3 s song (120 bpm, 22.05 kHz mono) served
 * on loopback, a ComfyUI fixture started with `opts` (NULL: its defaults) and the server
 * started with --allow-private-urls --comfyui <fixture>. */
typedef struct mv_comfy_rig {
    char *dir;
    char song[2048];
    mv_fixture songs;
    mv_comfy_fixture *comfy;
    mv_test_server server;
} mv_comfy_rig;

/* 0 when everything started; else what did start is stopped again. */
int mv_comfy_rig_start(mv_comfy_rig *rig, const char *name, const mv_comfy_fixture_opts *opts);
/* Stops the server, the fixtures and removes the folder. */
void mv_comfy_rig_stop(mv_comfy_rig *rig);

/* The server tests' usual song: a fresh temp folder named after `name` (returned, free it)
 * holding song.wav, 4 s at 120 bpm, loud from 2 s to 3 s, 22.05 kHz mono; its path goes
 * into song[size]. NULL when it could not be written. */
char *mv_test_short_song(const char *name, char *song, size_t size);

#endif /* SERVER_HARNESS_H */
