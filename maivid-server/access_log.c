/*
 * access_log.c - the server's log lines on stderr (text or JSON, one line per call): one
 * access line per HTTP request (timed with CivetWeb's begin/end callbacks) and the job and
 * engine lines from server.c.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server.h"

/* Appends `text` JSON-escaped (without quotes) to buf at *used; truncates safely. */
static void mv_append_escaped(char *buf, size_t size, size_t *used, const char *text)
{
    static const char HEX[] = "0123456789abcdef";
    for (const unsigned char *p = (const unsigned char *)text; *p != '\0'; p++) {
        char esc[7];
        size_t n = 0;
        if (*p == '"' || *p == '\\') {
            esc[n++] = '\\';
            esc[n++] = (char)*p;
        } else if (*p < 0x20) {
            esc[n++] = '\\';
            esc[n++] = 'u';
            esc[n++] = '0';
            esc[n++] = '0';
            esc[n++] = HEX[*p >> 4];
            esc[n++] = HEX[*p & 15];
        } else {
            esc[n++] = (char)*p;
        }
        if (*used + n + 1 >= size) {
            break;
        }
        memcpy(buf + *used, esc, n);
        *used += n;
    }
    buf[*used] = '\0';
}

static void mv_append(char *buf, size_t size, size_t *used, const char *text)
{
    size_t n = strlen(text);
    if (*used + n + 1 >= size) {
        n = *used + 1 < size ? size - *used - 1 : 0;
    }
    memcpy(buf + *used, text, n);
    *used += n;
    buf[*used] = '\0';
}

static void mv_timestamp(char *buf, size_t size)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct tm utc;
    gmtime_r(&now.tv_sec, &utc);
    char seconds[32];
    strftime(seconds, sizeof(seconds), "%Y-%m-%dT%H:%M:%S", &utc);
    snprintf(buf, size, "%.20s.%03dZ", seconds, (int)(now.tv_nsec / 1000000L));
}

/* Writes the finished line with a single call so concurrent lines never interleave. */
static void mv_emit(char *buf, size_t size, size_t used)
{
    if (used + 2 > size) {
        used = size - 2;
    }
    buf[used++] = '\n';
    fwrite(buf, 1, used, stderr);
}

void mv_log_line(const mv_logger *log, const char *level, const char *kind, const char *job_id,
                 const char *message)
{
    char line[2048];
    char when[40];
    size_t used = 0;
    mv_timestamp(when, sizeof(when));
    line[0] = '\0';
    if (log->format == MV_LOG_JSON) {
        mv_append(line, sizeof(line), &used, "{\"time\":\"");
        mv_append(line, sizeof(line), &used, when);
        mv_append(line, sizeof(line), &used, "\",\"level\":\"");
        mv_append_escaped(line, sizeof(line), &used, level);
        mv_append(line, sizeof(line), &used, "\",\"kind\":\"");
        mv_append_escaped(line, sizeof(line), &used, kind);
        if (job_id != NULL) {
            mv_append(line, sizeof(line), &used, "\",\"job_id\":\"");
            mv_append_escaped(line, sizeof(line), &used, job_id);
        }
        mv_append(line, sizeof(line), &used, "\",\"message\":\"");
        mv_append_escaped(line, sizeof(line) - 3, &used, message != NULL ? message : "");
        mv_append(line, sizeof(line), &used, "\"}");
    } else {
        used = (size_t)snprintf(line, sizeof(line), "%s %s %s%s%s: %s", when, level, kind,
                                job_id != NULL ? " " : "", job_id != NULL ? job_id : "",
                                message != NULL ? message : "");
        if (used >= sizeof(line)) {
            used = sizeof(line) - 1;
        }
        for (size_t i = 0; i < used; i++) { /* one entry, one line */
            if (line[i] == '\n' || line[i] == '\r') {
                line[i] = ' ';
            }
        }
    }
    mv_emit(line, sizeof(line), used);
}

void mv_log_access(const mv_logger *log, const char *remote, const char *method,
                   const char *uri, int status, double millis)
{
    char line[1024];
    char when[40];
    size_t used = 0;
    mv_timestamp(when, sizeof(when));
    line[0] = '\0';
    if (log->format == MV_LOG_JSON) {
        char numbers[96];
        mv_append(line, sizeof(line), &used, "{\"time\":\"");
        mv_append(line, sizeof(line), &used, when);
        mv_append(line, sizeof(line), &used, "\",\"level\":\"info\",\"kind\":\"access\",\"remote\":\"");
        mv_append_escaped(line, sizeof(line), &used, remote);
        mv_append(line, sizeof(line), &used, "\",\"method\":\"");
        mv_append_escaped(line, sizeof(line), &used, method);
        mv_append(line, sizeof(line), &used, "\",\"path\":\"");
        mv_append_escaped(line, sizeof(line) - 64, &used, uri);
        snprintf(numbers, sizeof(numbers), "\",\"status\":%d,\"ms\":%.3f}", status, millis);
        mv_append(line, sizeof(line), &used, numbers);
    } else {
        char safe_uri[512];
        size_t i = 0;
        for (; uri[i] != '\0' && i + 1 < sizeof(safe_uri); i++) {
            unsigned char c = (unsigned char)uri[i];
            safe_uri[i] = (c < 0x20 || c == 0x7f || c == '"') ? '?' : (char)c;
        }
        safe_uri[i] = '\0';
        used = (size_t)snprintf(line, sizeof(line), "%s info access %s \"%s %s\" %d %.3fms", when,
                                remote, method, safe_uri, status, millis);
        if (used >= sizeof(line)) {
            used = sizeof(line) - 1;
        }
    }
    mv_emit(line, sizeof(line), used);
}

/* Per worker thread: when its current request began (a request is served by one thread
 * from begin_request to end_request). */
typedef struct mv_request_timing {
    double started;
} mv_request_timing;

void *mv_access_init_thread(const struct mg_context *ctx, int thread_type)
{
    if (thread_type == 0) { /* CivetWeb's listener: its accept() calls go through the guard */
        const mv_server *server = mg_get_user_data(ctx);
        if (server != NULL) {
            mv_conn_guard_bind_thread(server->guard);
        }
        return NULL;
    }
    return thread_type == 1 ? calloc(1, sizeof(mv_request_timing)) : NULL;
}

void mv_access_exit_thread(const struct mg_context *ctx, int thread_type, void *thread_pointer)
{
    (void)ctx;
    (void)thread_type;
    free(thread_pointer);
}

int mv_access_begin_request(struct mg_connection *conn)
{
    mv_request_timing *timing = mg_get_thread_pointer(conn);
    if (timing != NULL) {
        timing->started = mv_server_now();
    }
    mv_conn_guard_request(conn, 1);
    return 0; /* let the request handlers answer */
}

void mv_access_end_request(const struct mg_connection *conn, int status)
{
    const struct mg_request_info *info = mg_get_request_info(conn);
    const mv_server *server = mg_get_user_data(mg_get_context(conn));
    if (info == NULL || server == NULL) {
        return;
    }
    mv_conn_guard_request(conn, 0);
    mv_request_timing *timing = mg_get_thread_pointer(conn);
    double millis = timing != NULL && timing->started > 0
                        ? (mv_server_now() - timing->started) * 1000.0 : 0.0;
    char target[600];
    if (info->query_string != NULL) {
        snprintf(target, sizeof(target), "%s?%s", info->local_uri_raw ? info->local_uri_raw : "",
                 info->query_string);
    } else {
        snprintf(target, sizeof(target), "%s", info->local_uri_raw ? info->local_uri_raw : "");
    }
    mv_log_access(&server->log, info->remote_addr,
                  info->request_method != NULL ? info->request_method : "-", target, status,
                  millis);
}
