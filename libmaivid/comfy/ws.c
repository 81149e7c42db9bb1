/*
 * ws.c - a minimal RFC 6455 WebSocket client over a plain TCP socket, enough to follow
 * ComfyUI's /ws progress stream: the upgrade handshake, reading text and binary messages
 * (fragmented or not), answering pings, and noticing a close. http:// servers only; for
 * anything else the caller polls /history instead.
 */
#include "comfy/mv_comfy.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#define MV_WS_MAX_MESSAGE (64u << 20)

struct mv_ws {
    int fd;
    unsigned char *buf; /* bytes received, not yet parsed */
    size_t len, cap;
    unsigned char *msg; /* message being assembled from fragments */
    size_t msg_len;
    int msg_opcode;
};

static int mv_ws_fill(mv_ws *ws, int timeout_ms)
{
    struct pollfd p = {.fd = ws->fd, .events = POLLIN};
    int r = poll(&p, 1, timeout_ms);
    if (r < 0)
        return errno == EINTR ? 0 : -1;
    if (r == 0)
        return 0;
    if (ws->cap - ws->len < 65536) {
        size_t cap = ws->cap ? ws->cap * 2 : 131072;
        unsigned char *grown = realloc(ws->buf, cap);
        if (!grown)
            return -1;
        ws->buf = grown;
        ws->cap = cap;
    }
    ssize_t n = recv(ws->fd, ws->buf + ws->len, ws->cap - ws->len, 0);
    if (n <= 0)
        return n == 0 ? -1 : (errno == EAGAIN || errno == EINTR ? 0 : -1);
    ws->len += (size_t)n;
    return 1;
}

static int mv_ws_send_all(int fd, const unsigned char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            if (poll(&p, 1, 2000) <= 0)
                return -1;
            continue;
        }
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Sends one masked control frame (client frames must be masked). */
static int mv_ws_send_control(mv_ws *ws, int opcode, const unsigned char *payload, size_t len)
{
    unsigned char frame[2 + 4 + 125];
    if (len > 125)
        len = 125;
    unsigned char mask[4];
    if (getrandom(mask, sizeof mask, 0) != (ssize_t)sizeof mask)
        memset(mask, 0x5a, sizeof mask);
    frame[0] = (unsigned char)(0x80 | opcode);
    frame[1] = (unsigned char)(0x80 | len);
    memcpy(frame + 2, mask, 4);
    for (size_t i = 0; i < len; i++)
        frame[6 + i] = payload[i] ^ mask[i % 4];
    return mv_ws_send_all(ws->fd, frame, 6 + len);
}

static int mv_connect_with_timeout(const char *host, const char *port, double timeout)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
    if (getaddrinfo(host, port, &hints, &res) != 0)
        return -1;
    int fd = -1;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        int r = connect(fd, ai->ai_addr, ai->ai_addrlen);
        if (r != 0 && errno == EINPROGRESS) {
            struct pollfd p = {.fd = fd, .events = POLLOUT};
            int so_err = 0;
            socklen_t sl = sizeof so_err;
            if (poll(&p, 1, (int)(timeout * 1000)) == 1 &&
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_err, &sl) == 0 && so_err == 0)
                r = 0;
        }
        if (r == 0)
            break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

static void mv_base64(const unsigned char *in, size_t len, char *out)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < len)
            v |= in[i + 2];
        out[o++] = tbl[(v >> 18) & 63];
        out[o++] = tbl[(v >> 12) & 63];
        out[o++] = i + 1 < len ? tbl[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? tbl[v & 63] : '=';
    }
    out[o] = '\0';
}

int mv_ws_open(const char *base_url, const char *client_id, double timeout, mv_ws **out,
               char *why, size_t why_size)
{
    *out = NULL;
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL;
    int ok = u && curl_url_set(u, CURLUPART_URL, base_url, 0) == CURLUE_OK &&
             curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
             curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
             curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
             curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK;
    int fd = -1;
    mv_ws *ws = NULL;
    char *request = NULL;
    if (!ok) {
        snprintf(why, why_size, "cannot parse the server URL");
        goto fail;
    }
    if (strcmp(scheme, "http") != 0) {
        snprintf(why, why_size, "progress over WebSocket is only followed for http:// servers");
        goto fail;
    }
    fd = mv_connect_with_timeout(host, port, timeout);
    if (fd < 0) {
        snprintf(why, why_size, "cannot connect to %s:%s", host, port);
        goto fail;
    }
    unsigned char nonce[16];
    if (getrandom(nonce, sizeof nonce, 0) != (ssize_t)sizeof nonce)
        memset(nonce, 7, sizeof nonce);
    char key[32];
    mv_base64(nonce, sizeof nonce, key);
    size_t plen = strlen(path);
    while (plen > 0 && path[plen - 1] == '/')
        path[--plen] = '\0';
    char *id = mv_http_escape(client_id);
    request = mv_strdup_printf("GET %s/ws?clientId=%s HTTP/1.1\r\nHost: %s:%s\r\n"
                               "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                               "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
                               path, id ? id : "", host, port, key);
    free(id);
    if (!request || mv_ws_send_all(fd, (const unsigned char *)request, strlen(request)) != 0) {
        snprintf(why, why_size, "cannot send the WebSocket upgrade");
        goto fail;
    }
    ws = calloc(1, sizeof *ws);
    if (!ws)
        goto fail;
    ws->fd = fd;
    double deadline = mv_monotonic() + timeout;
    unsigned char *end = NULL;
    while (!end) {
        int left = (int)((deadline - mv_monotonic()) * 1000);
        if (left <= 0 || mv_ws_fill(ws, left) < 0) {
            snprintf(why, why_size, "no WebSocket upgrade answer");
            goto fail;
        }
        if (ws->len >= 4)
            end = memmem(ws->buf, ws->len, "\r\n\r\n", 4);
        if (ws->len > 16384 && !end) {
            snprintf(why, why_size, "oversized WebSocket upgrade answer");
            goto fail;
        }
    }
    if (ws->len < 12 || memcmp(ws->buf + 8, " 101", 4) != 0) {
        snprintf(why, why_size, "the server refused the WebSocket upgrade (%.12s)",
                 (const char *)ws->buf);
        goto fail;
    }
    size_t header_len = (size_t)(end - ws->buf) + 4;
    memmove(ws->buf, ws->buf + header_len, ws->len - header_len);
    ws->len -= header_len;
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(path);
    curl_url_cleanup(u);
    free(request);
    *out = ws;
    return 0;
fail:
    if (ws) {
        free(ws->buf);
        free(ws);
    }
    if (fd >= 0)
        close(fd);
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(path);
    curl_url_cleanup(u);
    free(request);
    return -1;
}

/* Parses one frame from the buffer: 1 done (frame consumed), 0 need more bytes, -1 bad. */
static int mv_ws_take_frame(mv_ws *ws, int *fin, int *opcode, unsigned char **payload,
                            size_t *plen)
{
    if (ws->len < 2)
        return 0;
    const unsigned char *b = ws->buf;
    *fin = (b[0] & 0x80) != 0;
    *opcode = b[0] & 0x0f;
    int masked = (b[1] & 0x80) != 0;
    uint64_t len = b[1] & 0x7f;
    size_t pos = 2;
    if (len == 126) {
        if (ws->len < 4)
            return 0;
        len = ((uint64_t)b[2] << 8) | b[3];
        pos = 4;
    } else if (len == 127) {
        if (ws->len < 10)
            return 0;
        len = 0;
        for (int i = 0; i < 8; i++)
            len = (len << 8) | b[2 + i];
        pos = 10;
    }
    if (len > MV_WS_MAX_MESSAGE)
        return -1;
    unsigned char mask[4] = {0};
    if (masked) {
        if (ws->len < pos + 4)
            return 0;
        memcpy(mask, b + pos, 4);
        pos += 4;
    }
    if (ws->len < pos + len)
        return 0;
    unsigned char *p = malloc(len + 1);
    if (!p)
        return -1;
    for (size_t i = 0; i < len; i++)
        p[i] = masked ? b[pos + i] ^ mask[i % 4] : b[pos + i];
    p[len] = '\0';
    memmove(ws->buf, ws->buf + pos + len, ws->len - pos - len);
    ws->len -= pos + len;
    *payload = p;
    *plen = len;
    return 1;
}

int mv_ws_read(mv_ws *ws, int timeout_ms, int *opcode, char **data, size_t *len)
{
    double deadline = mv_monotonic() + timeout_ms / 1000.0;
    for (;;) {
        int fin = 0, op = 0;
        unsigned char *payload = NULL;
        size_t plen = 0;
        int r = mv_ws_take_frame(ws, &fin, &op, &payload, &plen);
        if (r < 0)
            return -1;
        if (r == 0) {
            int left = (int)((deadline - mv_monotonic()) * 1000);
            if (left <= 0)
                return 0;
            int f = mv_ws_fill(ws, left);
            if (f < 0)
                return -1;
            continue;
        }
        if (op == 0x8) { /* close */
            free(payload);
            mv_ws_send_control(ws, 0x8, NULL, 0);
            return -1;
        }
        if (op == 0x9) { /* ping */
            mv_ws_send_control(ws, 0xA, payload, plen);
            free(payload);
            continue;
        }
        if (op == 0xA) { /* pong */
            free(payload);
            continue;
        }
        if (op == 0x1 || op == 0x2) {
            free(ws->msg);
            ws->msg = payload;
            ws->msg_len = plen;
            ws->msg_opcode = op;
        } else if (op == 0x0 && ws->msg) {
            if (ws->msg_len + plen > MV_WS_MAX_MESSAGE) {
                free(payload);
                return -1;
            }
            unsigned char *grown = realloc(ws->msg, ws->msg_len + plen + 1);
            if (!grown) {
                free(payload);
                return -1;
            }
            memcpy(grown + ws->msg_len, payload, plen);
            ws->msg = grown;
            ws->msg_len += plen;
            ws->msg[ws->msg_len] = '\0';
            free(payload);
        } else {
            free(payload);
            return -1;
        }
        if (fin) {
            *opcode = ws->msg_opcode == 0x1 ? MV_WS_TEXT : MV_WS_BINARY;
            *data = (char *)ws->msg;
            *len = ws->msg_len;
            ws->msg = NULL;
            ws->msg_len = 0;
            return 1;
        }
    }
}

void mv_ws_close(mv_ws *ws)
{
    if (!ws)
        return;
    mv_ws_send_control(ws, 0x8, (const unsigned char *)"\x03\xe8", 2);
    close(ws->fd);
    free(ws->buf);
    free(ws->msg);
    free(ws);
}
