/*
 * server.c - starting and stopping maivid-server: opens the libmaivid engine (with a stage
 * observer that logs job state changes and triggers webhooks), starts CivetWeb on --listen
 * and routes every path to routes.c; stops in the reverse order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "mcp.h"
#include "server.h"

double mv_server_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

void mv_strip_port(const char *listen, char *host, size_t size)
{
    const char *colon = strrchr(listen, ':');
    if (colon == NULL || (listen[0] == '[' && colon < strchr(listen, ']'))) {
        snprintf(host, size, "0.0.0.0");
        return;
    }
    size_t length = (size_t)(colon - listen);
    if (length >= size) {
        length = size - 1;
    }
    memcpy(host, listen, length);
    host[length] = '\0';
}

static const char *mv_level_name(maivid_log_level level)
{
    switch (level) {
    case MAIVID_LOG_DEBUG: return "debug";
    case MAIVID_LOG_INFO: return "info";
    case MAIVID_LOG_WARN: return "warn";
    default: return "error";
    }
}

static void mv_engine_log(void *user_data, maivid_log_level level, const char *job_id,
                          const char *message)
{
    const mv_server *server = user_data;
    /* Job state and stage changes are logged once, by mv_on_job_event; the engine's info
     * lines about a job say the same, so only its warnings and errors are kept. */
    if (level == MAIVID_LOG_DEBUG || (level == MAIVID_LOG_INFO && job_id != NULL)) {
        return;
    }
    mv_log_line(&server->log, mv_level_name(level), "engine", job_id, message);
}

/* Stage and progress events come from the thread running the job's stages: lowering its
 * priority (Linux nice values are per thread, and threads it starts later inherit it)
 * keeps the HTTP threads responsive while a video renders on the same cores. */
static void mv_lower_render_priority(const mv_server *server)
{
    int wanted = server->opts->render_nice;
    if (wanted <= 0) {
        return;
    }
    pid_t thread = gettid();
    errno = 0;
    int current = getpriority(PRIO_PROCESS, (id_t)thread);
    if (errno == 0 && current < wanted) {
        setpriority(PRIO_PROCESS, (id_t)thread, wanted);
    }
}

/* Stage observer: one log line per state change and stage start; webhooks on the end. Runs
 * on engine threads, so it never calls back into the engine. */
static void mv_on_job_event(void *user_data, const maivid_event *event)
{
    mv_server *server = user_data;
    char line[512];
    if (event->type == MAIVID_EVENT_STAGE || event->type == MAIVID_EVENT_PROGRESS) {
        mv_lower_render_priority(server);
    }
    if (event->type == MAIVID_EVENT_STATE) {
        snprintf(line, sizeof(line), "state %s (%.1f%%)", maivid_job_state_name(event->state),
                 event->overall_progress);
        mv_log_line(&server->log, "info", "job", event->job_id, line);
        if (event->state == MAIVID_JOB_COMPLETED || event->state == MAIVID_JOB_FAILED ||
            event->state == MAIVID_JOB_CANCELLED) {
            if (server->webhooks != NULL) {
                mv_webhooks_job_ended(server->webhooks, event->job_id);
            }
        }
    } else if (event->type == MAIVID_EVENT_STAGE) {
        snprintf(line, sizeof(line), "stage %s: %s", maivid_stage_name(event->stage),
                 event->text != NULL ? event->text : "");
        mv_log_line(&server->log, "info", "job", event->job_id, line);
    }
}

static int mv_open_engine(mv_server *server, char *err, size_t err_size)
{
    const mv_server_options *opts = server->opts;
    memset(&server->observer, 0, sizeof(server->observer));
    server->observer.version = MAIVID_STAGES_VERSION;
    server->observer.user_data = server;
    server->observer.on_event = mv_on_job_event;

    maivid_config config;
    maivid_config_init(&config);
    maivid_config_from_env(&config);
    if (opts->data_dir != NULL) {
        config.data_dir = opts->data_dir;
    }
    if (opts->workers != 0) {
        config.workers = opts->workers;
    }
    config.queue_limit = opts->queue_limit;
    if (opts->queue_url != NULL) {
        config.queue_url = opts->queue_url;
    }
    config.comfyui_urls = opts->comfyui_urls;
    config.comfyui_url_count = opts->comfyui_url_count;
    config.models_dir = opts->models_dir;
    config.checkpoints = opts->checkpoints;
    config.checkpoint_count = opts->checkpoint_count;
    config.allow_private_urls = opts->allow_private_urls;
    config.allow_local_files = 0; /* callers over HTTP never name files on this machine */
    config.log = mv_engine_log;
    config.log_user_data = server;
    config.stages = &server->observer;
    config.resume_jobs = 1;
    config.keep_days = opts->keep_days;
    config.max_data_bytes = opts->max_data_bytes;
    char *suno_token = NULL; /* a secret: the engine keeps its own copy */
    if (opts->suno_token_file != NULL) {
        char token_err[512] = "";
        if (maivid_secret_read_file(opts->suno_token_file, &suno_token, token_err,
                                    sizeof(token_err)) != MAIVID_OK) {
            snprintf(err, err_size, "--suno-token-file: %s", token_err);
            return -1;
        }
        config.suno_token = suno_token;
    }

    snprintf(server->data_dir, sizeof(server->data_dir), "%s",
             config.data_dir != NULL ? config.data_dir : "./maivid-data");
    server->max_upload_bytes = config.max_download_bytes;
    char engine_err[512] = "";
    maivid_code code = maivid_engine_open(&config, &server->engine, engine_err,
                                          sizeof(engine_err));
    maivid_secret_free(suno_token);
    if (code != MAIVID_OK) {
        snprintf(err, err_size, "cannot open the job store: %s",
                 engine_err[0] != '\0' ? engine_err : maivid_strerror(code));
        return -1;
    }
    return 0;
}

static int mv_start_http(mv_server *server, char *err, size_t err_size)
{
    const mv_server_options *opts = server->opts;
    char threads[16];
    snprintf(threads, sizeof(threads), "%u", opts->http_threads);
    char timeout[16];
    snprintf(timeout, sizeof(timeout), "%u", opts->request_timeout_ms);
    char max_headers[16];
    snprintf(max_headers, sizeof(max_headers), "%d", MV_SERVER_MAX_HEADERS);
    const char *options[] = {
        "listening_ports", opts->listen,
        "num_threads", threads,
        "enable_keep_alive", "yes",
        "keep_alive_timeout_ms", "5000",
        "request_timeout_ms", timeout,
        "tcp_nodelay", "1",
        "listen_backlog", "1024",
        "max_request_size", max_headers,
        "decode_url", "yes",
        /* CORS is ours (--cors-origin): stop CivetWeb answering preflights by itself */
        "access_control_allow_origin", "",
        "access_control_allow_methods", "",
        "access_control_allow_headers", "",
        NULL, NULL,
    };
    struct mg_callbacks callbacks;
    memset(&callbacks, 0, sizeof(callbacks));
    callbacks.init_thread = mv_access_init_thread;
    callbacks.exit_thread = mv_access_exit_thread;
    callbacks.begin_request = mv_access_begin_request;
    callbacks.end_request = mv_access_end_request;
    callbacks.http_error = mv_reply_protocol_error;
    callbacks.connection_close = mv_conn_guard_close;

    struct mg_init_data init = {&callbacks, server, options};
    char civet_err[256] = "";
    unsigned civet_code = 0;
    struct mg_error_data error = {&civet_code, civet_err, sizeof(civet_err)};
    server->http = mg_start2(&init, &error);
    if (server->http == NULL) {
        snprintf(err, err_size,
                 "cannot listen on %s: %s. If the port is taken or needs root (ports below "
                 "1024), pick another with e.g. --listen 127.0.0.1:8420",
                 opts->listen, civet_err[0] != '\0' ? civet_err : "unknown error");
        return -1;
    }
    mg_set_request_handler(server->http, "/", mv_routes_dispatch, server);

    struct mg_server_port ports[4];
    int count = mg_get_server_ports(server->http, 4, ports);
    server->port = count > 0 ? ports[0].port : 0;
    return 0;
}

int mv_server_start(mv_server *server, const mv_server_options *opts, char *err,
                    size_t err_size)
{
    memset(server, 0, sizeof(*server));
    server->opts = opts;
    server->log.format = opts->log_format;
    mv_health_cache_init(&server->health);
    mv_encoder_cache_init(&server->encoders);
    server->idempotency = mv_idempotency_new(4096);
    server->guard = mv_conn_guard_new(opts->http_threads, opts->max_client_connections,
                                      (double)opts->request_timeout_ms / 1000.0);
    server->mcp = mv_mcp_new(MV_MCP_MAX_SESSIONS, MV_MCP_SESSION_IDLE_SECONDS);
    if (server->idempotency == NULL || server->guard == NULL || server->mcp == NULL) {
        snprintf(err, err_size, "out of memory");
        mv_idempotency_free(server->idempotency);
        mv_conn_guard_free(server->guard);
        mv_mcp_free(server->mcp);
        mv_health_cache_free(&server->health);
        mv_encoder_cache_free(&server->encoders);
        return -1;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT); /* before any thread starts */
    mg_init_library(0);
    if (mv_webhook_key_load(opts->webhook_secret, opts->webhook_secret_file,
                            &server->webhook_key, err, err_size) != 0) {
        mv_server_stop(server);
        return -1;
    }
    /* Webhooks first: the engine may resume jobs (and end them) as soon as it opens. */
    server->webhooks = mv_webhooks_start(&server->log, opts->allow_private_urls,
                                         &server->webhook_key);
    if (server->webhooks == NULL) {
        snprintf(err, err_size, "cannot start the webhook sender (out of memory or threads)");
        mv_server_stop(server);
        return -1;
    }
    if (mv_open_engine(server, err, err_size) != 0) {
        mv_server_stop(server);
        return -1;
    }
    mv_webhooks_attach(server->webhooks, server->engine);
    if (mv_start_http(server, err, err_size) != 0) {
        mv_server_stop(server);
        return -1;
    }
    return 0;
}

void mv_server_stop(mv_server *server)
{
    __atomic_store_n(&server->closing, 1, __ATOMIC_SEQ_CST); /* event streams end */
    if (server->mcp != NULL) {
        mv_mcp_shutdown(server->mcp, MV_MCP_STOP_SECONDS); /* waiting MCP calls answer now */
    }
    if (server->http != NULL) {
        mg_stop(server->http); /* stops accepting and finishes the requests in flight */
        server->http = NULL;
        mv_log_line(&server->log, "info", "server", NULL, "HTTP listener stopped");
    }
    if (server->webhooks != NULL) {
        mv_webhooks_stop(server->webhooks); /* before the engine goes: it reads job status */
    }
    if (server->engine != NULL) {
        maivid_engine_close(server->engine); /* checkpoints running jobs */
        server->engine = NULL;
    }
    mv_webhooks_free(server->webhooks);
    server->webhooks = NULL;
    mv_idempotency_free(server->idempotency);
    server->idempotency = NULL;
    mv_conn_guard_free(server->guard); /* after mg_stop: no connection is open any more */
    server->guard = NULL;
    mv_health_cache_free(&server->health);
    mv_encoder_cache_free(&server->encoders);
    mv_mcp_free(server->mcp);
    server->mcp = NULL;
    mv_webhook_key_clear(&server->webhook_key);
    mg_exit_library();
    curl_global_cleanup();
}
