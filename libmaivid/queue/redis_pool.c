/*
 * redis_pool.c - hiredis connections to the shared queue's Redis, pooled for the engine's
 * threads: connect (1 s timeout), AUTH and SELECT from the URL, make the consumer group, drop
 * a connection on any I/O error and connect again on the next call (a 300 ms back-off after a
 * failure keeps an outage cheap). Messages name host:port/db, never the password.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "queue/mv_redis_pool.h"

#define MV_POOL_IDLE_MAX 16
#define MV_POOL_BACKOFF 0.3

struct mv_redis_pool {
    mv_queue_url url;
    char where[300];
    pthread_mutex_t lock;
    redisContext *idle[MV_POOL_IDLE_MAX];
    int idle_count;
    double retry_at;     /* mv_monotonic() before which no new connect is tried */
    char last_error[200];
};

mv_redis_pool *mv_redis_pool_new(const mv_queue_url *url)
{
    mv_redis_pool *pool = calloc(1, sizeof *pool);
    if (!pool)
        return NULL;
    pool->url = *url;
    mv_queue_url_describe(url, pool->where, sizeof pool->where);
    pthread_mutex_init(&pool->lock, NULL);
    return pool;
}

void mv_redis_pool_free(mv_redis_pool *pool)
{
    if (!pool)
        return;
    for (int i = 0; i < pool->idle_count; i++)
        redisFree(pool->idle[i]);
    explicit_bzero(pool->url.password, sizeof pool->url.password);
    pthread_mutex_destroy(&pool->lock);
    free(pool);
}

/* Runs one set-up command; 0 with `why` filled when it failed. */
static int mv_redis_setup(redisContext *c, char *why, size_t size, const char *what,
                          int argc, const char **argv)
{
    redisReply *r = redisCommandArgv(c, argc, argv, NULL);
    int ok = r && r->type != REDIS_REPLY_ERROR;
    if (!ok)
        snprintf(why, size, "%s failed: %s", what,
                 r ? r->str : (c->errstr[0] ? c->errstr : "no reply"));
    /* the group exists already: that is the normal case */
    if (r && r->type == REDIS_REPLY_ERROR && strncmp(r->str, "BUSYGROUP", 9) == 0)
        ok = 1;
    if (r)
        freeReplyObject(r);
    return ok;
}

static redisContext *mv_redis_connect(mv_redis_pool *pool, char *why, size_t size)
{
    struct timeval connect_tv = {1, 0}, io_tv = {5, 0};
    redisContext *c = redisConnectWithTimeout(pool->url.host, pool->url.port, connect_tv);
    if (!c || c->err) {
        snprintf(why, size, "%s", c ? c->errstr : "out of memory");
        if (c)
            redisFree(c);
        return NULL;
    }
    redisSetTimeout(c, io_tv);
    char db[16];
    snprintf(db, sizeof db, "%d", pool->url.db);
    const char *auth_user[] = {"AUTH", pool->url.user, pool->url.password};
    const char *auth[] = {"AUTH", pool->url.password};
    const char *select[] = {"SELECT", db};
    const char *group[] = {"XGROUP", "CREATE", "maivid:queue", "workers", "0", "MKSTREAM"};
    int ok = 1;
    if (pool->url.user[0])
        ok = mv_redis_setup(c, why, size, "AUTH", 3, auth_user);
    else if (pool->url.password[0])
        ok = mv_redis_setup(c, why, size, "AUTH", 2, auth);
    if (ok && pool->url.db != 0)
        ok = mv_redis_setup(c, why, size, "SELECT", 2, select);
    if (ok)
        ok = mv_redis_setup(c, why, size, "XGROUP CREATE", 6, group);
    if (!ok) {
        redisFree(c);
        return NULL;
    }
    return c;
}

redisContext *mv_redis_get(mv_redis_pool *pool, mv_error *err)
{
    pthread_mutex_lock(&pool->lock);
    if (pool->idle_count > 0) {
        redisContext *c = pool->idle[--pool->idle_count];
        pthread_mutex_unlock(&pool->lock);
        return c;
    }
    if (mv_monotonic() < pool->retry_at) {
        mv_fail(err, MAIVID_E_UNAVAILABLE, "the shared job queue (Redis at %s) is unreachable "
                "(%s): check that Redis runs and the queue URL is right; retrying by itself",
                pool->where, pool->last_error);
        pthread_mutex_unlock(&pool->lock);
        return NULL;
    }
    pthread_mutex_unlock(&pool->lock);
    char why[200] = "";
    redisContext *c = mv_redis_connect(pool, why, sizeof why);
    pthread_mutex_lock(&pool->lock);
    if (!c) {
        pool->retry_at = mv_monotonic() + MV_POOL_BACKOFF;
        mv_strlcpy(pool->last_error, why, sizeof pool->last_error);
        mv_fail(err, MAIVID_E_UNAVAILABLE, "the shared job queue (Redis at %s) is unreachable "
                "(%s): check that Redis runs and the queue URL is right; retrying by itself",
                pool->where, why);
    }
    pthread_mutex_unlock(&pool->lock);
    return c;
}

void mv_redis_put(mv_redis_pool *pool, redisContext *c)
{
    if (!c)
        return;
    redisContext *stale[MV_POOL_IDLE_MAX];
    int stale_count = 0;
    pthread_mutex_lock(&pool->lock);
    if (!c->err && pool->idle_count < MV_POOL_IDLE_MAX) {
        pool->idle[pool->idle_count++] = c;
        c = NULL;
    } else if (c->err) {
        /* Redis went away or restarted: the idle connections are as dead as this one, so
         * the next calls connect afresh instead of failing one by one. */
        stale_count = pool->idle_count;
        memcpy(stale, pool->idle, (size_t)stale_count * sizeof *stale);
        pool->idle_count = 0;
    }
    pthread_mutex_unlock(&pool->lock);
    if (c)
        redisFree(c);
    for (int i = 0; i < stale_count; i++)
        redisFree(stale[i]);
}

/* Turns a failed command (NULL reply) into the unavailable error. */
static void mv_redis_io_failed(mv_redis_pool *pool, redisContext *c, mv_error *err)
{
    mv_fail(err, MAIVID_E_UNAVAILABLE, "the shared job queue (Redis at %s) stopped answering "
            "(%s): retrying by itself", pool->where, c->errstr[0] ? c->errstr : "no reply");
    if (!c->err)
        c->err = REDIS_ERR_IO; /* not reused */
}

/* One command on a held connection; NULL (connection marked broken) on an I/O failure. */
static redisReply *mv_redis_v(redisContext *c, mv_redis_pool *pool, mv_error *err,
                              const char *format, va_list ap)
{
    redisReply *r = redisvCommand(c, format, ap);
    if (!r)
        mv_redis_io_failed(pool, c, err);
    return r;
}

redisReply *mv_redis_on(redisContext *c, mv_redis_pool *pool, mv_error *err, const char *format,
                        ...)
{
    va_list ap;
    va_start(ap, format);
    redisReply *r = mv_redis_v(c, pool, err, format, ap);
    va_end(ap);
    return r;
}

redisReply *mv_redis_cmd(mv_redis_pool *pool, mv_error *err, const char *format, ...)
{
    redisContext *c = mv_redis_get(pool, err);
    if (!c)
        return NULL;
    va_list ap;
    va_start(ap, format);
    redisReply *r = mv_redis_v(c, pool, err, format, ap);
    va_end(ap);
    mv_redis_put(pool, c);
    return r;
}

redisReply *mv_redis_argv(mv_redis_pool *pool, mv_error *err, int argc, const char **argv)
{
    redisContext *c = mv_redis_get(pool, err);
    if (!c)
        return NULL;
    redisReply *r = redisCommandArgv(c, argc, argv, NULL);
    if (!r)
        mv_redis_io_failed(pool, c, err);
    mv_redis_put(pool, c);
    return r;
}
