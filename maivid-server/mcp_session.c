/*
 * mcp_session.c - the MCP endpoint's state: a bounded table of sessions (random ids issued at
 * initialize, each with its negotiated protocol revision; idle ones expire, the least recently
 * used goes when the table is full) and the stop flag that wakes tool calls waiting on a job
 * when the server shuts down (and lets them answer before the listener stops).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "mcp.h"

typedef struct mv_mcp_session {
    char id[MV_MCP_SESSION_ID_SIZE]; /* "" when the slot is free */
    char version[16];
    double last_used;
} mv_mcp_session;

struct mv_mcp {
    pthread_mutex_t lock;
    pthread_cond_t wake;             /* signalled on shutdown and when a call ends */
    int stopping;
    unsigned calls;                  /* tool calls in flight (begun, not ended) */
    double idle_seconds;
    size_t capacity;
    mv_mcp_session *sessions;
};

mv_mcp *mv_mcp_new(size_t capacity, double idle_seconds)
{
    mv_mcp *mcp = calloc(1, sizeof(*mcp));
    if (mcp == NULL || capacity == 0) {
        free(mcp);
        return NULL;
    }
    mcp->sessions = calloc(capacity, sizeof(*mcp->sessions));
    if (mcp->sessions == NULL) {
        free(mcp);
        return NULL;
    }
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&mcp->wake, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&mcp->lock, NULL);
    mcp->capacity = capacity;
    mcp->idle_seconds = idle_seconds;
    return mcp;
}

void mv_mcp_free(mv_mcp *mcp)
{
    if (mcp == NULL) {
        return;
    }
    pthread_mutex_destroy(&mcp->lock);
    pthread_cond_destroy(&mcp->wake);
    free(mcp->sessions);
    free(mcp);
}

/* An absolute CLOCK_MONOTONIC time `seconds` from now. */
static struct timespec mv_mcp_deadline(double seconds)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    long long nanos = (long long)(seconds * 1e9) + until.tv_nsec;
    until.tv_sec += (time_t)(nanos / 1000000000LL);
    until.tv_nsec = (long)(nanos % 1000000000LL);
    return until;
}

void mv_mcp_shutdown(mv_mcp *mcp, double max_seconds)
{
    struct timespec until = mv_mcp_deadline(max_seconds);
    pthread_mutex_lock(&mcp->lock);
    mcp->stopping = 1;
    pthread_cond_broadcast(&mcp->wake);
    while (mcp->calls > 0) {
        if (pthread_cond_timedwait(&mcp->wake, &mcp->lock, &until) == ETIMEDOUT) {
            break;
        }
    }
    pthread_mutex_unlock(&mcp->lock);
}

void mv_mcp_call_begin(mv_mcp *mcp)
{
    pthread_mutex_lock(&mcp->lock);
    mcp->calls++;
    pthread_mutex_unlock(&mcp->lock);
}

void mv_mcp_call_end(mv_mcp *mcp)
{
    pthread_mutex_lock(&mcp->lock);
    mcp->calls--;
    pthread_cond_broadcast(&mcp->wake);
    pthread_mutex_unlock(&mcp->lock);
}

int mv_mcp_sleep(mv_mcp *mcp, double seconds)
{
    struct timespec until = mv_mcp_deadline(seconds);
    pthread_mutex_lock(&mcp->lock);
    while (!mcp->stopping) {
        if (pthread_cond_timedwait(&mcp->wake, &mcp->lock, &until) == ETIMEDOUT) {
            break;
        }
    }
    int stopping = mcp->stopping;
    pthread_mutex_unlock(&mcp->lock);
    return stopping;
}

/* 32 lowercase hex characters from the kernel's random source. */
static int mv_mcp_random_id(char *id)
{
    unsigned char bytes[(MV_MCP_SESSION_ID_SIZE - 1) / 2];
    size_t got = 0;
    while (got < sizeof(bytes)) {
        ssize_t n = getrandom(bytes + got, sizeof(bytes) - got, 0);
        if (n < 0 && errno != EINTR) {
            return -1;
        }
        got += n > 0 ? (size_t)n : 0;
    }
    for (size_t i = 0; i < sizeof(bytes); i++) {
        snprintf(id + 2 * i, 3, "%02x", bytes[i]);
    }
    return 0;
}

int mv_mcp_session_open(mv_mcp *mcp, const char *version, double now, char *id)
{
    char fresh[MV_MCP_SESSION_ID_SIZE];
    if (mv_mcp_random_id(fresh) != 0) {
        return -1;
    }
    pthread_mutex_lock(&mcp->lock);
    mv_mcp_session *slot = NULL;
    mv_mcp_session *oldest = &mcp->sessions[0];
    for (size_t i = 0; i < mcp->capacity; i++) {
        mv_mcp_session *session = &mcp->sessions[i];
        if (session->id[0] != '\0' && now - session->last_used > mcp->idle_seconds) {
            session->id[0] = '\0'; /* expired */
        }
        if (session->id[0] == '\0' && slot == NULL) {
            slot = session;
        }
        if (session->last_used < oldest->last_used) {
            oldest = session;
        }
    }
    if (slot == NULL) {
        slot = oldest;
    }
    memcpy(slot->id, fresh, sizeof(fresh));
    snprintf(slot->version, sizeof(slot->version), "%s", version);
    slot->last_used = now;
    memcpy(id, fresh, sizeof(fresh));
    pthread_mutex_unlock(&mcp->lock);
    return 0;
}

/* With the lock held: the open session `id`, or NULL. */
static mv_mcp_session *mv_mcp_session_at(mv_mcp *mcp, const char *id, double now)
{
    if (!mv_mcp_session_id_valid(id)) {
        return NULL;
    }
    for (size_t i = 0; i < mcp->capacity; i++) {
        mv_mcp_session *session = &mcp->sessions[i];
        if (session->id[0] != '\0' && strcmp(session->id, id) == 0) {
            if (now - session->last_used > mcp->idle_seconds) {
                session->id[0] = '\0';
                return NULL;
            }
            return session;
        }
    }
    return NULL;
}

int mv_mcp_session_find(mv_mcp *mcp, const char *id, double now, char *version,
                        size_t version_size)
{
    pthread_mutex_lock(&mcp->lock);
    mv_mcp_session *session = mv_mcp_session_at(mcp, id, now);
    if (session != NULL) {
        session->last_used = now;
        snprintf(version, version_size, "%s", session->version);
    }
    pthread_mutex_unlock(&mcp->lock);
    return session != NULL;
}

int mv_mcp_session_close(mv_mcp *mcp, const char *id)
{
    pthread_mutex_lock(&mcp->lock);
    mv_mcp_session *session = mv_mcp_session_at(mcp, id, 0.0);
    if (session != NULL) {
        session->id[0] = '\0';
    }
    pthread_mutex_unlock(&mcp->lock);
    return session != NULL;
}

size_t mv_mcp_session_count(mv_mcp *mcp)
{
    size_t count = 0;
    pthread_mutex_lock(&mcp->lock);
    for (size_t i = 0; i < mcp->capacity; i++) {
        count += mcp->sessions[i].id[0] != '\0';
    }
    pthread_mutex_unlock(&mcp->lock);
    return count;
}
