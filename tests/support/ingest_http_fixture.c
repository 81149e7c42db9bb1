/*
 * ingest_http_fixture.c - the ingest tests' HTTP server: a socket thread on 127.0.0.1 that
 * reads one request per connection, asks the test's handler for the reply and sends it the
 * way the reply says (plain, chunked, slow, dropped). Stopping wakes the thread through a
 * pipe, so no thread outlives the test.
 */
#include "ingest_http_fixture.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_LOG 512

struct ingest_http_server {
    int listen_fd, wake[2], port;
    pthread_t thread;
    ingest_http_handler handler;
    void *user;
    pthread_mutex_t lock;
    char *log[MAX_LOG];
    int log_count;
};

/* Waits up to ms for fd to be readable or the stop pipe to fire. 1 readable, 0 timeout,
 * -1 stop. */
static int wait_fd(ingest_http_server *s, int fd, int events, int ms)
{
    struct pollfd p[2] = {{fd, (short)events, 0}, {s->wake[0], POLLIN, 0}};
    int r = poll(p, 2, ms);
    if (r < 0 && errno == EINTR)
        return 0;
    if (p[1].revents)
        return -1;
    return r > 0 ? 1 : 0;
}

static int send_all(ingest_http_server *s, int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        if (wait_fd(s, fd, POLLOUT, 5000) != 1)
            return -1;
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void header_value(const char *headers, const char *name, char *out, size_t n)
{
    out[0] = '\0';
    size_t nl = strlen(name);
    for (const char *p = headers; p && *p; p = strstr(p, "\r\n") ? strstr(p, "\r\n") + 2 : NULL) {
        if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (*v == ' ')
                v++;
            size_t len = strcspn(v, "\r\n");
            if (len >= n)
                len = n - 1;
            memcpy(out, v, len);
            out[len] = '\0';
            return;
        }
    }
}

static void stall(ingest_http_server *s, int fd, const void *body, size_t n);

static void serve(ingest_http_server *s, int fd)
{
    char buf[16384];
    size_t len = 0;
    while (len < sizeof buf - 1) {
        if (wait_fd(s, fd, POLLIN, 5000) != 1)
            return;
        ssize_t n = recv(fd, buf + len, sizeof buf - 1 - len, 0);
        if (n <= 0)
            return;
        len += (size_t)n;
        buf[len] = '\0';
        if (strstr(buf, "\r\n\r\n"))
            break;
    }
    ingest_http_req req;
    memset(&req, 0, sizeof req);
    if (sscanf(buf, "%15s %2047s", req.method, req.path) != 2)
        return;
    char *hdrs = strstr(buf, "\r\n");
    header_value(hdrs ? hdrs + 2 : "", "User-Agent", req.user_agent, sizeof req.user_agent);
    header_value(hdrs ? hdrs + 2 : "", "Range", req.range, sizeof req.range);
    pthread_mutex_lock(&s->lock);
    if (s->log_count < MAX_LOG)
        s->log[s->log_count++] = strdup(req.path);
    pthread_mutex_unlock(&s->lock);

    ingest_http_reply r;
    memset(&r, 0, sizeof r);
    s->handler(s->user, &req, &r);
    if (r.status == 0) {
        r.status = 404;
        r.body = "not found";
        r.body_len = 9;
        r.content_type = "text/plain";
    }
    const void *body = r.body ? r.body : r.owned;
    char head[2048];
    int hl = snprintf(head, sizeof head, "HTTP/1.1 %d X\r\nConnection: close\r\n%s%s%s%s",
                      r.status, r.content_type ? "Content-Type: " : "",
                      r.content_type ? r.content_type : "", r.content_type ? "\r\n" : "",
                      r.headers);
    if (r.chunked)
        hl += snprintf(head + hl, sizeof head - (size_t)hl, "Transfer-Encoding: chunked\r\n\r\n");
    else
        hl += snprintf(head + hl, sizeof head - (size_t)hl, "Content-Length: %zu\r\n\r\n",
                       r.declared_len ? r.declared_len : r.body_len);
    int ok = send_all(s, fd, head, (size_t)hl) == 0;
    if (ok && r.stall) {
        stall(s, fd, body, r.stall_after < r.body_len ? r.stall_after : r.body_len);
        free(r.owned);
        return;
    }
    size_t piece = r.piece ? r.piece : (r.body_len ? r.body_len : 1);
    size_t sent = 0;
    int is_head = strcmp(req.method, "HEAD") == 0;
    while (ok && !is_head && sent < r.body_len) {
        if (r.delay_ms > 0 && wait_fd(s, s->wake[0], POLLIN, r.delay_ms) == -1)
            ok = 0;
        size_t n = r.body_len - sent < piece ? r.body_len - sent : piece;
        if (r.drop_after && sent + n > r.drop_after)
            n = r.drop_after - sent;
        if (ok && r.chunked) {
            char ch[32];
            int cl = snprintf(ch, sizeof ch, "%zx\r\n", n);
            ok = send_all(s, fd, ch, (size_t)cl) == 0;
        }
        if (ok)
            ok = send_all(s, fd, (const char *)body + sent, n) == 0;
        if (ok && r.chunked)
            ok = send_all(s, fd, "\r\n", 2) == 0;
        sent += n;
        if (r.drop_after && sent >= r.drop_after)
            ok = 0; /* drop the connection mid-body */
    }
    if (ok && r.chunked && !is_head)
        send_all(s, fd, "0\r\n\r\n", 5);
    free(r.owned);
}

static void *server_main(void *arg)
{
    ingest_http_server *s = arg;
    for (;;) {
        int w = wait_fd(s, s->listen_fd, POLLIN, -1);
        if (w == -1)
            break;
        if (w != 1)
            continue;
        int fd = accept(s->listen_fd, NULL, NULL);
        if (fd < 0)
            continue;
        serve(s, fd);
        shutdown(fd, SHUT_RDWR);
        close(fd);
    }
    return NULL;
}

ingest_http_server *ingest_http_start(ingest_http_handler handler, void *user)
{
    ingest_http_server *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->handler = handler;
    s->user = user;
    pthread_mutex_init(&s->lock, NULL);
    s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    int one = 1;
    setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        listen(s->listen_fd, 16) != 0 || getsockname(s->listen_fd, (struct sockaddr *)&a, &al) != 0 ||
        pipe(s->wake) != 0) {
        if (s->listen_fd >= 0)
            close(s->listen_fd);
        free(s);
        return NULL;
    }
    s->port = ntohs(a.sin_port);
    if (pthread_create(&s->thread, NULL, server_main, s) != 0) {
        close(s->listen_fd);
        close(s->wake[0]);
        close(s->wake[1]);
        free(s);
        return NULL;
    }
    return s;
}

int ingest_http_port(const ingest_http_server *s)
{
    return s->port;
}

int ingest_http_hits(ingest_http_server *s, const char *prefix)
{
    int n = 0;
    pthread_mutex_lock(&s->lock);
    for (int i = 0; i < s->log_count; i++)
        if (strncmp(s->log[i], prefix, strlen(prefix)) == 0)
            n++;
    pthread_mutex_unlock(&s->lock);
    return n;
}

void ingest_http_stop(ingest_http_server *s)
{
    if (!s)
        return;
    if (write(s->wake[1], "x", 1) != 1) {
        /* the thread also ends when the pipe closes below */
    }
    pthread_join(s->thread, NULL);
    close(s->listen_fd);
    close(s->wake[0]);
    close(s->wake[1]);
    for (int i = 0; i < s->log_count; i++)
        free(s->log[i]);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* A peer that hangs mid-reply: sends n body bytes, then nothing until the client closes the
 * connection (or the server stops). */
static void stall(ingest_http_server *s, int fd, const void *body, size_t n)
{
    if (n > 0 && send_all(s, fd, body, n) != 0)
        return;
    char sink[512];
    for (;;) {
        int w = wait_fd(s, fd, POLLIN, 100);
        if (w == -1)
            return;
        if (w == 1 && recv(fd, sink, sizeof sink, 0) <= 0)
            return;
    }
}
