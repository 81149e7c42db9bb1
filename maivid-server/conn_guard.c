/*
 * conn_guard.c - keeps slow, idle or greedy clients from taking every HTTP worker.
 *
 * CivetWeb serves one connection per worker thread, and a connection holds its worker from
 * the moment it is accepted, before any byte of the request arrives; once all are taken,
 * new connections wait in a queue behind the slow ones. CivetWeb has no callback between
 * accept() and the request head, so the guard sits in accept() itself: this file defines
 * accept(), which CivetWeb's listening thread calls (the executable's definition comes first
 * in the dynamic link; it calls the C library's accept4). For the thread CivetWeb runs its
 * listener in (bound by mv_conn_guard_bind_thread from the init_thread callback), a new
 * connection is admitted only if
 *   - its client address holds fewer than --max-client-connections connections (else its
 *     own connection idle longest makes way, if there is one), and
 *   - fewer than --http-threads minus a reserve workers are busy, or the address holds none
 *     yet and a worker is free (the reserve is for new clients: health checks and Convo
 *     Pilot keep getting in);
 * When no worker is left for a connection that may have one, the connection that has waited
 * longest without a request in progress (a silent or trickling client, or an idle
 * keep-alive, for at least MV_GUARD_IDLE_SECONDS) is shut down to free its worker. Else the
 * new one is answered 503 with our JSON error and closed at once, never queued. CivetWeb's
 * connection_close callback gives the worker back; request_timeout_ms bounds the time to
 * send a whole request head, and a watchdog thread the time to send a request body (CivetWeb
 * waits for each byte of a body anew): it shuts the reading side of a connection whose body
 * is late, so the read ends and the handler answers 408.
 */
#include <errno.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include "server.h"

#define MV_GUARD_IDLE_SECONDS 1.0 /* a connection this long without a request may be shut */

typedef struct mv_guarded {      /* one admitted connection */
    int fd;
    char address[INET6_ADDRSTRLEN];
    int port;
    int in_request;              /* between begin_request and end_request */
    int evicted;                 /* shut down by the guard; its close is on the way */
    double idle_since;           /* accepted, or its last request ended (monotonic s) */
    double body_until;           /* a handler reads its body until then (0: not reading) */
    int body_cut;                /* the watchdog shut its reading side */
} mv_guarded;

struct mv_conn_guard {
    pthread_mutex_t lock;
    unsigned threads;            /* CivetWeb workers */
    unsigned reserve;            /* workers kept for clients holding no connection */
    unsigned per_client;         /* most connections one address may hold */
    unsigned busy;               /* admitted connections not yet closed */
    mv_guarded *open;            /* the admitted connections (busy of them) */
    double body_seconds;         /* most time to receive a request body */
    pthread_cond_t wake;
    pthread_t watchdog;
    int stopping;
    struct mv_client {
        char address[INET6_ADDRSTRLEN];
        unsigned count;
    } *clients;
    size_t client_count;
};

/* The guard of the CivetWeb listener running in this thread: accept() has no parameter for
 * it. Set once in that thread, read only there. */
static _Thread_local mv_conn_guard *mv_listener_guard;

/* Every 100 ms: shuts the reading side of connections whose body is later than allowed. */
static void *mv_body_watchdog(void *arg)
{
    mv_conn_guard *guard = arg;
    pthread_mutex_lock(&guard->lock);
    while (!guard->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += 100000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&guard->wake, &guard->lock, &until);
        double now = mv_server_now();
        for (unsigned i = 0; i < guard->busy; i++) {
            mv_guarded *c = &guard->open[i];
            if (c->body_until > 0 && !c->body_cut && now > c->body_until) {
                shutdown(c->fd, SHUT_RD); /* the record lives until close: fd not reused */
                c->body_cut = 1;
            }
        }
    }
    pthread_mutex_unlock(&guard->lock);
    return NULL;
}

mv_conn_guard *mv_conn_guard_new(unsigned threads, unsigned per_client, double body_seconds)
{
    mv_conn_guard *guard = calloc(1, sizeof(*guard));
    if (guard == NULL) {
        return NULL;
    }
    pthread_mutex_init(&guard->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&guard->wake, &attr);
    pthread_condattr_destroy(&attr);
    guard->body_seconds = body_seconds;
    if (pthread_create(&guard->watchdog, NULL, mv_body_watchdog, guard) != 0) {
        pthread_cond_destroy(&guard->wake);
        pthread_mutex_destroy(&guard->lock);
        free(guard);
        return NULL;
    }
    guard->threads = threads;
    guard->reserve = threads / 8 > 2 ? threads / 8 : 2;
    if (guard->reserve >= threads) {
        guard->reserve = threads - 1;
    }
    guard->per_client = per_client != 0 ? per_client : threads - guard->reserve;
    return guard;
}

void mv_conn_guard_free(mv_conn_guard *guard)
{
    if (guard == NULL) {
        return;
    }
    pthread_mutex_lock(&guard->lock);
    guard->stopping = 1;
    pthread_cond_signal(&guard->wake);
    pthread_mutex_unlock(&guard->lock);
    pthread_join(guard->watchdog, NULL);
    pthread_cond_destroy(&guard->wake);
    free(guard->clients);
    free(guard->open);
    pthread_mutex_destroy(&guard->lock);
    free(guard);
}

void mv_conn_guard_bind_thread(mv_conn_guard *guard)
{
    mv_listener_guard = guard;
}

/* The address as CivetWeb's request_info.remote_addr spells it. */
static void mv_address_text(const struct sockaddr *address, char *text, size_t size)
{
    text[0] = '\0';
    if (address->sa_family == AF_INET) {
        inet_ntop(AF_INET, &((const struct sockaddr_in *)address)->sin_addr, text,
                  (socklen_t)size);
    } else if (address->sa_family == AF_INET6) {
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)address)->sin6_addr, text,
                  (socklen_t)size);
    }
}

/* With the lock held: the index of `address`, or client_count when absent. */
static size_t mv_client_find(const mv_conn_guard *guard, const char *address)
{
    size_t i = 0;
    while (i < guard->client_count && strcmp(guard->clients[i].address, address) != 0) {
        i++;
    }
    return i;
}

/* With the lock held: the open connection address:port, or NULL. */
static mv_guarded *mv_guarded_find(mv_conn_guard *guard, const char *address, int port)
{
    for (unsigned i = 0; i < guard->busy; i++) {
        if (guard->open[i].port == port && strcmp(guard->open[i].address, address) == 0) {
            return &guard->open[i];
        }
    }
    return NULL;
}

/* With the lock held: shuts down the connection idle longest (at least
 * MV_GUARD_IDLE_SECONDS), of `address` only when not NULL; CivetWeb's read on it ends at
 * once, it closes the socket itself and its worker takes the next connection. Returns 1 if
 * one was shut. */
static int mv_evict_idlest(mv_conn_guard *guard, const char *address)
{
    double now = mv_server_now();
    mv_guarded *idlest = NULL;
    for (unsigned i = 0; i < guard->busy; i++) {
        mv_guarded *c = &guard->open[i];
        if (!c->in_request && !c->evicted && now - c->idle_since >= MV_GUARD_IDLE_SECONDS &&
            (address == NULL || strcmp(c->address, address) == 0) &&
            (idlest == NULL || c->idle_since < idlest->idle_since)) {
            idlest = c;
        }
    }
    if (idlest == NULL) {
        return 0;
    }
    /* the record lives until connection_close, which CivetWeb calls before closing the
     * descriptor: it cannot have been reused yet */
    shutdown(idlest->fd, SHUT_RDWR);
    idlest->evicted = 1;
    return 1;
}

/* Counts the connection in and returns 1, or returns 0 when it must be refused. */
static int mv_conn_guard_admit(mv_conn_guard *guard, int fd, const struct sockaddr *peer)
{
    char address[INET6_ADDRSTRLEN];
    mv_address_text(peer, address, sizeof(address));
    int port = peer->sa_family == AF_INET ? ntohs(((const struct sockaddr_in *)peer)->sin_port)
                                          : ntohs(((const struct sockaddr_in6 *)peer)->sin6_port);
    pthread_mutex_lock(&guard->lock);
    size_t i = mv_client_find(guard, address);
    unsigned held = i < guard->client_count ? guard->clients[i].count : 0;
    unsigned evicted = 0, evicted_here = 0;
    for (unsigned k = 0; k < guard->busy; k++) {
        evicted += (unsigned)guard->open[k].evicted;
        evicted_here += (unsigned)(guard->open[k].evicted &&
                                   strcmp(guard->open[k].address, address) == 0);
    }
    /* evicted connections are on their way out: their workers are as good as free; a
     * client at its limit makes way with its own idlest connection */
    unsigned limit = held == 0 ? guard->threads : guard->threads - guard->reserve;
    int admit = (held - evicted_here < guard->per_client || mv_evict_idlest(guard, address)) &&
                (guard->busy - evicted < limit || mv_evict_idlest(guard, NULL));
    mv_guarded *grown_open = admit ? realloc(guard->open, (guard->busy + 1) * sizeof(*grown_open))
                                   : NULL;
    if (grown_open != NULL) {
        guard->open = grown_open;
    } else {
        admit = 0;
    }
    if (admit && i == guard->client_count) {
        struct mv_client *grown = realloc(guard->clients, (i + 1) * sizeof(*grown));
        if (grown == NULL) {
            admit = 0;
        } else {
            guard->clients = grown;
            snprintf(grown[i].address, sizeof(grown[i].address), "%s", address);
            grown[i].count = 0;
            guard->client_count++;
        }
    }
    if (admit) {
        guard->clients[i].count++;
        mv_guarded *c = &guard->open[guard->busy++];
        c->fd = fd;
        snprintf(c->address, sizeof(c->address), "%s", address);
        c->port = port;
        c->in_request = 0;
        c->evicted = 0;
        c->idle_since = mv_server_now();
        c->body_until = 0;
        c->body_cut = 0;
    }
    pthread_mutex_unlock(&guard->lock);
    return admit;
}

/* Answers 503 and closes, without blocking the listener. */
static void mv_conn_guard_refuse(int fd)
{
#define MV_BUSY_BODY                                                                          \
    "{\"success\":false,\"error\":\"the server is busy: this client address holds too many "   \
    "connections, or every HTTP worker is taken; close idle connections and retry\","        \
    "\"status\":503}"
    char reply[512];
    int length = snprintf(reply, sizeof(reply),
                          "HTTP/1.1 503 Service Unavailable\r\n"
                          "Content-Type: application/json\r\nContent-Length: %zu\r\n"
                          "Retry-After: 1\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
                          "%s",
                          sizeof(MV_BUSY_BODY) - 1, MV_BUSY_BODY);
#undef MV_BUSY_BODY
    ssize_t sent = send(fd, reply, (size_t)length, MSG_NOSIGNAL | MSG_DONTWAIT);
    (void)sent; /* nothing more can be done for a client that cannot take it */
    shutdown(fd, SHUT_WR);
    char sink[4096]; /* what already arrived: closing on unread data would reset the reply */
    while (recv(fd, sink, sizeof(sink), MSG_DONTWAIT) > 0) {
    }
    close(fd);
}

int accept(int fd, struct sockaddr *address, socklen_t *length)
{
    int client = accept4(fd, address, length, 0);
    mv_conn_guard *guard = mv_listener_guard;
    if (client < 0 || guard == NULL || address == NULL) {
        return client;
    }
    if ((address->sa_family != AF_INET && address->sa_family != AF_INET6) ||
        mv_conn_guard_admit(guard, client, address)) {
        return client;
    }
    mv_conn_guard_refuse(client);
    errno = EAGAIN; /* CivetWeb's listener goes back to waiting for the next one */
    return -1;
}

/* The guard of the server `conn` belongs to, and the connection's request info; NULL when
 * either is missing. */
static mv_conn_guard *mv_guard_of(const struct mg_connection *conn,
                                  const struct mg_request_info **info)
{
    const mv_server *server = mg_get_user_data(mg_get_context(conn));
    *info = mg_get_request_info(conn);
    return server != NULL && *info != NULL ? server->guard : NULL;
}

void mv_conn_guard_close(const struct mg_connection *conn)
{
    const struct mg_request_info *info = NULL;
    mv_conn_guard *guard = mv_guard_of(conn, &info);
    if (guard == NULL) {
        return;
    }
    pthread_mutex_lock(&guard->lock);
    mv_guarded *c = mv_guarded_find(guard, info->remote_addr, info->remote_port);
    size_t i = mv_client_find(guard, info->remote_addr);
    if (c != NULL && i < guard->client_count) { /* else: not one the guard admitted */
        if (--guard->clients[i].count == 0) {
            guard->clients[i] = guard->clients[--guard->client_count];
        }
        *c = guard->open[--guard->busy];
    }
    pthread_mutex_unlock(&guard->lock);
}

/* Records a phase of the connection's request: in_request and body are 1 (started), 0
 * (ended) or -1 (unchanged); a body started gets body_seconds to arrive (0: the guard's
 * own limit). */
static void mv_conn_guard_mark(const struct mg_connection *conn, int in_request, int body,
                               double body_seconds)
{
    const struct mg_request_info *info = NULL;
    mv_conn_guard *guard = mv_guard_of(conn, &info);
    if (guard == NULL) {
        return;
    }
    pthread_mutex_lock(&guard->lock);
    mv_guarded *c = mv_guarded_find(guard, info->remote_addr, info->remote_port);
    double now = mv_server_now();
    if (c != NULL && in_request >= 0) {
        c->in_request = in_request;
        c->idle_since = now;
    }
    if (c != NULL && body >= 0) {
        c->body_until =
            body ? now + (body_seconds > 0 ? body_seconds : guard->body_seconds) : 0;
    }
    pthread_mutex_unlock(&guard->lock);
}

void mv_conn_guard_body(const struct mg_connection *conn, int receiving)
{
    mv_conn_guard_mark(conn, -1, receiving, 0);
}

void mv_conn_guard_body_for(const struct mg_connection *conn, double seconds)
{
    mv_conn_guard_mark(conn, -1, 1, seconds);
}

void mv_conn_guard_request(const struct mg_connection *conn, int in_request)
{
    mv_conn_guard_mark(conn, in_request, -1, 0);
}
