/*
 * server_harness.c - runs the real maivid-server for the end-to-end tests, talks to it with
 * libcurl, and provides a loopback CivetWeb fixture (song, stalled song, webhook receiver).
 * See server_harness.h.
 */
#include "server_harness.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <civetweb.h>
#include <curl/curl.h>

#include "mv_test_util.h"
#include "util/mv_common.h"

static double mv_harness_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static void mv_harness_sleep_ms(int ms)
{
    struct timespec pause = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

const char *mv_test_server_binary(void)
{
    const char *from_env = getenv("MAIVID_SERVER_BIN");
    if (from_env != NULL && from_env[0] != '\0') {
        return from_env;
    }
#ifdef MAIVID_SERVER_BIN
    return MAIVID_SERVER_BIN;
#else
    return "maivid-server";
#endif
}

static char *mv_read_whole_file(const char *path)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        return strdup("");
    }
    size_t capacity = 4096;
    size_t used = 0;
    char *text = malloc(capacity);
    size_t n;
    while (text != NULL && (n = fread(text + used, 1, capacity - used - 1, file)) > 0) {
        used += n;
        if (capacity - used < 2) {
            capacity *= 2;
            char *grown = realloc(text, capacity);
            if (grown == NULL) {
                free(text);
                text = NULL;
            }
            text = grown;
        }
    }
    fclose(file);
    if (text != NULL) {
        text[used] = '\0';
    }
    return text;
}

char *mv_test_server_log(const mv_test_server *server)
{
    return mv_read_whole_file(server->log_path);
}

int mv_test_server_start(mv_test_server *server, const char *data_dir, const char *const *args)
{
    memset(server, 0, sizeof(*server));
    server->pid = -1;
    char *dir = mv_test_tmpdir("server");
    if (dir == NULL) {
        return -1;
    }
    if (data_dir != NULL) {
        server->data_dir = strdup(data_dir);
    } else {
        char path[2048];
        snprintf(path, sizeof(path), "%s/data", dir);
        server->data_dir = strdup(path);
    }
    char log_path[2048];
    snprintf(log_path, sizeof(log_path), "%s/server.log", dir);
    server->log_path = strdup(log_path);
    free(dir);

    const char *argv[64];
    int argc = 0;
    argv[argc++] = mv_test_server_binary();
    argv[argc++] = "--listen";
    argv[argc++] = "127.0.0.1:0";
    argv[argc++] = "--data-dir";
    argv[argc++] = server->data_dir;
    for (size_t i = 0; args != NULL && args[i] != NULL && argc < 62; i++) {
        argv[argc++] = args[i];
    }
    argv[argc] = NULL;

    pid_t pid = fork();
    if (pid < 0) {
        mv_test_server_free(server);
        return -1;
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the test */
        int log_fd = open(server->log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (log_fd >= 0) {
            dup2(log_fd, STDERR_FILENO);
            dup2(log_fd, STDOUT_FILENO);
            close(log_fd);
        }
        execv(argv[0], (char *const *)argv);
        fprintf(stderr, "exec %s failed: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    server->pid = pid;
    double deadline = mv_harness_now() + 20.0;
    const char *marker = "maivid-server listening on http://127.0.0.1:";
    while (mv_harness_now() < deadline) {
        char *log = mv_test_server_log(server);
        const char *found = log != NULL ? strstr(log, marker) : NULL;
        if (found != NULL) {
            server->port = atoi(found + strlen(marker));
            free(log);
            snprintf(server->base_url, sizeof(server->base_url), "http://127.0.0.1:%d",
                     server->port);
            return server->port > 0 ? 0 : -1;
        }
        free(log);
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            server->pid = -1;
            server->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
            break;
        }
        mv_harness_sleep_ms(20);
    }
    char *log = mv_test_server_log(server);
    fprintf(stderr, "maivid-server did not start; its log:\n%s\n", log != NULL ? log : "");
    free(log);
    mv_test_server_free(server);
    return -1;
}

void mv_test_server_stop(mv_test_server *server)
{
    if (server->pid <= 0) {
        return;
    }
    double started = mv_harness_now();
    kill(server->pid, SIGTERM);
    int status = 0;
    for (;;) {
        pid_t done = waitpid(server->pid, &status, WNOHANG);
        if (done == server->pid) {
            break;
        }
        if (mv_harness_now() - started > 15.0) {
            kill(server->pid, SIGKILL);
            waitpid(server->pid, &status, 0);
            break;
        }
        mv_harness_sleep_ms(10);
    }
    server->stop_seconds = mv_harness_now() - started;
    server->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    server->pid = -1;
}

void mv_test_server_free(mv_test_server *server)
{
    mv_test_server_stop(server);
    free(server->data_dir);
    free(server->log_path);
    server->data_dir = NULL;
    server->log_path = NULL;
}

/* ---------------------------------------------------------------- HTTP client */

typedef struct mv_buffer {
    char *data;
    size_t length;
} mv_buffer;

static size_t mv_collect(char *data, size_t size, size_t count, void *user)
{
    mv_buffer *buffer = user;
    size_t n = size * count;
    char *grown = realloc(buffer->data, buffer->length + n + 1);
    if (grown == NULL) {
        return 0;
    }
    memcpy(grown + buffer->length, data, n);
    buffer->length += n;
    grown[buffer->length] = '\0';
    buffer->data = grown;
    return n;
}

int mv_http(const char *method, const char *url, const char *content_type, const char *body,
            size_t body_length, const char *const *headers, mv_http_reply *reply)
{
    memset(reply, 0, sizeof(*reply));
    CURL *curl = curl_easy_init();
    if (curl == NULL) {
        return -1;
    }
    mv_buffer received = {NULL, 0};
    mv_buffer header_text = {NULL, 0};
    struct curl_slist *list = NULL;
    char line[512];
    if (content_type != NULL) {
        snprintf(line, sizeof(line), "Content-Type: %s", content_type);
        list = curl_slist_append(list, line);
    } else if (body != NULL) {
        list = curl_slist_append(list, "Content-Type:"); /* none at all */
    }
    list = curl_slist_append(list, "Expect:");
    for (size_t i = 0; headers != NULL && headers[i] != NULL; i++) {
        list = curl_slist_append(list, headers[i]);
    }
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, mv_collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &received);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, mv_collect);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &header_text);
    if (strcmp(method, "HEAD") == 0) {
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (strcmp(method, "GET") != 0) {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    }
    if (body != NULL) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_length);
    }
    CURLcode result = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply->status);
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    reply->body = received.data != NULL ? received.data : strdup("");
    reply->length = received.length;
    reply->headers = header_text.data != NULL ? header_text.data : strdup("");
    reply->json = cJSON_Parse(reply->body);
    if (result != CURLE_OK) {
        fprintf(stderr, "%s %s: %s\n", method, url, curl_easy_strerror(result));
        return -1;
    }
    return 0;
}

void mv_http_reply_free(mv_http_reply *reply)
{
    free(reply->body);
    free(reply->headers);
    cJSON_Delete(reply->json);
    memset(reply, 0, sizeof(*reply));
}

int mv_http_header(const mv_http_reply *reply, const char *name, char *buf, size_t size)
{
    size_t name_length = strlen(name);
    for (const char *line = reply->headers; line != NULL && *line != '\0';) {
        const char *end = strchr(line, '\n');
        if (strncasecmp(line, name, name_length) == 0 && line[name_length] == ':') {
            const char *value = line + name_length + 1;
            while (*value == ' ') {
                value++;
            }
            size_t length = end != NULL ? (size_t)(end - value) : strlen(value);
            while (length > 0 && (value[length - 1] == '\r' || value[length - 1] == ' ')) {
                length--;
            }
            snprintf(buf, size, "%.*s", (int)length, value);
            return 1;
        }
        line = end != NULL ? end + 1 : NULL;
    }
    return 0;
}

int mv_http_get(const mv_test_server *server, const char *path, mv_http_reply *reply)
{
    char url[2048];
    snprintf(url, sizeof(url), "%s%s", server->base_url, path);
    return mv_http("GET", url, NULL, NULL, 0, NULL, reply);
}

int mv_http_post_json(const mv_test_server *server, const char *path, const char *json,
                      mv_http_reply *reply)
{
    char url[2048];
    snprintf(url, sizeof(url), "%s%s", server->base_url, path);
    return mv_http("POST", url, "application/json", json, strlen(json), NULL, reply);
}

const char *mv_json_string(const cJSON *json, const char *object, const char *name)
{
    const cJSON *holder = object != NULL ? cJSON_GetObjectItemCaseSensitive(json, object) : json;
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(holder, name);
    return cJSON_IsString(item) ? item->valuestring : NULL;
}

void mv_test_wait_job(const mv_test_server *server, const char *job_id, double seconds,
                      char *buf, size_t size)
{
    char path[256];
    snprintf(path, sizeof(path), "/api/convo_pilot/video/progress/%s", job_id);
    double deadline = mv_harness_now() + seconds;
    snprintf(buf, size, "timeout");
    while (mv_harness_now() < deadline) {
        mv_http_reply reply;
        mv_http_get(server, path, &reply);
        const char *status = mv_json_string(reply.json, "progress", "status");
        if (status != NULL && strcmp(status, "queued") != 0 && strcmp(status, "running") != 0) {
            snprintf(buf, size, "%s", status);
            mv_http_reply_free(&reply);
            return;
        }
        mv_http_reply_free(&reply);
        mv_harness_sleep_ms(100);
    }
}

/* ---------------------------------------------------------------- fixture server */

static int mv_fixture_song(struct mg_connection *conn, void *data)
{
    mv_fixture *fixture = data;
    pthread_mutex_lock(&fixture->lock);
    fixture->song_hits++;
    pthread_mutex_unlock(&fixture->lock);
    mg_send_mime_file(conn, fixture->song_path, "audio/wav");
    return 200;
}

/* Sends the start of a WAV, then nothing until told to stop (or 30 s pass). */
static int mv_fixture_slow(struct mg_connection *conn, void *data)
{
    mv_fixture *fixture = data;
    pthread_mutex_lock(&fixture->lock);
    fixture->song_hits++;
    pthread_mutex_unlock(&fixture->lock);
    static const char HEAD[] = "HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\n"
                               "Content-Length: 1000000\r\nConnection: close\r\n\r\n";
    mg_write(conn, HEAD, sizeof(HEAD) - 1);
    static const char RIFF[12] = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'A', 'V', 'E'};
    mg_write(conn, RIFF, sizeof(RIFF));
    double started = mv_harness_now();
    for (;;) {
        pthread_mutex_lock(&fixture->lock);
        int stop = fixture->stop_stalling;
        pthread_mutex_unlock(&fixture->lock);
        if (stop || mv_harness_now() - started > 30.0) {
            break;
        }
        mv_harness_sleep_ms(20);
    }
    return 200;
}

static int mv_fixture_hook(struct mg_connection *conn, void *data)
{
    mv_fixture *fixture = data;
    char body[65536];
    size_t used = 0;
    int n;
    while (used + 1 < sizeof(body) &&
           (n = mg_read(conn, body + used, sizeof(body) - 1 - used)) > 0) {
        used += (size_t)n;
    }
    body[used] = '\0';
    pthread_mutex_lock(&fixture->lock);
    int fail = fixture->hook_failures_left > 0;
    if (fail) {
        fixture->hook_failures_left--;
    } else {
        fixture->hook_count++;
        free(fixture->hook_body);
        fixture->hook_body = strdup(body);
    }
    pthread_mutex_unlock(&fixture->lock);
    /* mg_write, not mg_printf: CivetWeb's printf trips AddressSanitizer's interceptor */
    static const char OK[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             "Content-Length: 2\r\nConnection: close\r\n\r\n{}";
    static const char FAILED[] = "HTTP/1.1 500 Internal Server Error\r\nContent-Type: "
                                 "application/json\r\nContent-Length: 2\r\nConnection: close"
                                 "\r\n\r\n{}";
    if (fail) {
        mg_write(conn, FAILED, sizeof(FAILED) - 1);
    } else {
        mg_write(conn, OK, sizeof(OK) - 1);
    }
    return fail ? 500 : 200;
}

/* Looks like a ComfyUI server to a reachability probe. */
static int mv_fixture_system_stats(struct mg_connection *conn, void *data)
{
    (void)data;
    static const char OK[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             "Content-Length: 2\r\nConnection: close\r\n\r\n{}";
    mg_write(conn, OK, sizeof(OK) - 1);
    return 200;
}

int mv_fixture_start(mv_fixture *fixture, const char *song_path)
{
    memset(fixture, 0, sizeof(*fixture));
    pthread_mutex_init(&fixture->lock, NULL);
    if (song_path != NULL) {
        snprintf(fixture->song_path, sizeof(fixture->song_path), "%s", song_path);
    }
    const char *options[] = {"listening_ports", "127.0.0.1:0", "num_threads", "8", NULL, NULL};
    struct mg_callbacks callbacks;
    memset(&callbacks, 0, sizeof(callbacks));
    fixture->ctx = mg_start(&callbacks, fixture, options);
    if (fixture->ctx == NULL) {
        pthread_mutex_destroy(&fixture->lock);
        return -1;
    }
    mg_set_request_handler(fixture->ctx, "/song.wav$", mv_fixture_song, fixture);
    mg_set_request_handler(fixture->ctx, "/slow.wav$", mv_fixture_slow, fixture);
    mg_set_request_handler(fixture->ctx, "/hook$", mv_fixture_hook, fixture);
    mg_set_request_handler(fixture->ctx, "/system_stats$", mv_fixture_system_stats, fixture);
    struct mg_server_port ports[2];
    int count = mg_get_server_ports(fixture->ctx, 2, ports);
    fixture->port = count > 0 ? ports[0].port : 0;
    snprintf(fixture->base_url, sizeof(fixture->base_url), "http://127.0.0.1:%d", fixture->port);
    return fixture->port > 0 ? 0 : -1;
}

void mv_fixture_stop(mv_fixture *fixture)
{
    if (fixture->ctx == NULL) {
        return;
    }
    pthread_mutex_lock(&fixture->lock);
    fixture->stop_stalling = 1;
    pthread_mutex_unlock(&fixture->lock);
    mg_stop(fixture->ctx);
    fixture->ctx = NULL;
    free(fixture->hook_body);
    fixture->hook_body = NULL;
    pthread_mutex_destroy(&fixture->lock);
}

int mv_fixture_hook_count(mv_fixture *fixture)
{
    pthread_mutex_lock(&fixture->lock);
    int count = fixture->hook_count;
    pthread_mutex_unlock(&fixture->lock);
    return count;
}

int mv_fixture_song_hits(mv_fixture *fixture)
{
    pthread_mutex_lock(&fixture->lock);
    int hits = fixture->song_hits;
    pthread_mutex_unlock(&fixture->lock);
    return hits;
}

int mv_test_server_group_setup(void **state, const char *const *args)
{
    mv_test_server *server = calloc(1, sizeof(*server));
    if (server == NULL || mv_test_server_start(server, NULL, args) != 0) {
        free(server);
        return -1;
    }
    *state = server;
    return 0;
}

int mv_test_server_group_teardown(void **state)
{
    mv_test_server *server = *state;
    if (server == NULL) { /* setup failed */
        return -1;
    }
    mv_test_server_stop(server);
    int clean_exit = server->exit_status == 0;
    mv_test_server_free(server);
    free(server);
    return clean_exit ? 0 : -1;
}

char *mv_test_short_song(const char *name, char *song, size_t size)
{
    char *dir = mv_test_tmpdir(name);
    if (!dir)
        return NULL;
    snprintf(song, size, "%s/song.wav", dir);
    mv_test_song spec = {.seconds = 4.0, .bpm = 120, .loud_start = 2.0, .loud_end = 3.0,
                         .sample_rate = 22050, .channels = 1};
    if (mv_test_write_song_wav(song, &spec) != 0) {
        free(dir);
        return NULL;
    }
    return dir;
}

int mv_comfy_rig_start(mv_comfy_rig *rig, const char *name, const mv_comfy_fixture_opts *opts)
{
    memset(rig, 0, sizeof(*rig));
    rig->dir = mv_test_tmpdir(name);
    if (!rig->dir)
        return -1;
    snprintf(rig->song, sizeof(rig->song), "%s/song.wav", rig->dir);
    mv_test_song spec = {.seconds = 3.0, .bpm = 120, .sample_rate = 22050, .channels = 1};
    if (mv_test_write_song_wav(rig->song, &spec) != 0 ||
        mv_fixture_start(&rig->songs, rig->song) != 0) {
        free(rig->dir);
        return -1;
    }
    rig->comfy = mv_comfy_fixture_start(opts);
    const char *args[] = {"--allow-private-urls", "--comfyui",
                          rig->comfy ? mv_comfy_fixture_url(rig->comfy) : "", NULL};
    if (!rig->comfy || mv_test_server_start(&rig->server, NULL, args) != 0) {
        if (rig->comfy)
            mv_comfy_fixture_stop(rig->comfy);
        mv_fixture_stop(&rig->songs);
        mv_remove_tree(rig->dir, NULL);
        free(rig->dir);
        return -1;
    }
    return 0;
}

void mv_comfy_rig_stop(mv_comfy_rig *rig)
{
    mv_test_server_stop(&rig->server);
    mv_test_server_free(&rig->server);
    mv_comfy_fixture_stop(rig->comfy);
    mv_fixture_stop(&rig->songs);
    mv_remove_tree(rig->dir, NULL);
    free(rig->dir);
    rig->dir = NULL;
}
