/*
 * mv_redis_pool.h - a small pool of hiredis connections to the shared queue's Redis, safe to
 * use from any thread: a broken connection is dropped and the next call connects again, with
 * a short back-off while Redis is unreachable so callers fail fast instead of queueing up.
 */
#ifndef MV_REDIS_POOL_H
#define MV_REDIS_POOL_H

#include <hiredis/hiredis.h>

#include "queue/mv_queue.h"

typedef struct mv_redis_pool mv_redis_pool;

mv_redis_pool *mv_redis_pool_new(const mv_queue_url *url);
void mv_redis_pool_free(mv_redis_pool *pool);

/* A connection (authenticated, on the URL's database, the consumer group made), or NULL with
 * err = MAIVID_E_UNAVAILABLE naming the server and the reason. */
redisContext *mv_redis_get(mv_redis_pool *pool, mv_error *err);
/* Gives the connection back; a broken one (c->err set) is closed. */
void mv_redis_put(mv_redis_pool *pool, redisContext *c);

/* One command on a pooled connection (hiredis format, %s and %b arguments). NULL with
 * err = MAIVID_E_UNAVAILABLE when Redis cannot be reached; an error reply is returned as it
 * is. Free the reply with freeReplyObject(). */
redisReply *mv_redis_cmd(mv_redis_pool *pool, mv_error *err, const char *format, ...);
/* The same with an argument vector (for EVAL). */
redisReply *mv_redis_argv(mv_redis_pool *pool, mv_error *err, int argc, const char **argv);
/* On a connection already held: NULL (and the connection marked broken) on an I/O failure. */
redisReply *mv_redis_on(redisContext *c, mv_redis_pool *pool, mv_error *err, const char *format,
                        ...);

#endif /* MV_REDIS_POOL_H */
