/*
 * mv_queue.h - the job queue shared by several engines on one Redis server (Redis Streams
 * and one consumer group): the URL, the connection pool that reconnects by itself, and the
 * queue's operations. Records are job.json texts; this layer never parses them.
 *
 * Keys (all under "maivid:"): queue (the stream, group "workers", one entry per take-able
 * job), job:<id> (the record), index (zset of every job by creation time), queued (zset of
 * waiting jobs by arrival: the global limit and queue positions), seq (arrival counter),
 * lock:<id> (the claim of the worker running the job, value = its owner token, renewed by
 * the heartbeat), cancel:<id> (a cancel request the running worker polls), idem:<key>.
 */
#ifndef MV_QUEUE_H
#define MV_QUEUE_H

#include <stddef.h>

#include "util/mv_common.h"

/* ---- the URL: redis://[[user]:password@]host[:port][/db] */
typedef struct mv_queue_url {
    char host[256];
    int port;          /* default 6379 */
    int db;            /* default 0 */
    char password[256]; /* "" when none: a secret, never logged */
    char user[128];    /* "" when none (Redis 6 ACL user) */
} mv_queue_url;

/* MAIVID_OK, or MAIVID_E_INVALID / MAIVID_E_UNSUPPORTED (rediss://: this hiredis has no TLS)
 * with a message naming the problem and the fix (never the password). */
maivid_code mv_queue_url_parse(const char *url, mv_queue_url *out, mv_error *err);
/* "host:port/db" for messages. */
void mv_queue_url_describe(const mv_queue_url *url, char *out, size_t size);

/* ---- the queue */
typedef struct mv_queue mv_queue;

/* Lease of a claim: a worker that has not renewed it for this long is taken as dead. */
#define MV_QUEUE_LEASE_MS 10000
/* How often the heartbeat renews claims and polls cancel requests. */
#define MV_QUEUE_HEARTBEAT_MS 500

/* Opens the pool (no connection yet: the first call connects). `consumer` names this engine
 * in the group ("host:pid"). */
maivid_code mv_queue_open(const char *url, const char *consumer, mv_queue **out, mv_error *err);
void mv_queue_close(mv_queue *q);
const char *mv_queue_consumer(const mv_queue *q);

/* Adds a new job: its record, the index, the queued set and the stream, in one script; the
 * global limit checked in it. MAIVID_E_QUEUE_FULL, MAIVID_E_UNAVAILABLE or MAIVID_OK. */
maivid_code mv_queue_submit(mv_queue *q, const char *job_id, const char *record,
                            double created_at, unsigned limit, mv_error *err);

/* A job taken for this worker: what to run and how to prove the claim. */
typedef struct mv_queue_claim {
    char job_id[64];
    char entry[64];   /* the stream entry id */
    char owner[160];  /* the lock value: consumer + entry */
    int taken_over;   /* 1: the entry was claimed from a worker that stopped renewing */
    double renewed_at; /* mv_monotonic() of the last renewal (the engine's bookkeeping) */
} mv_queue_claim;

/* Waits up to block_ms for a job: first a dead worker's (XAUTOCLAIM after the lease), then a
 * new one (XREADGROUP). 1 with `claim` and the job's record (*record, malloc'd; NULL when
 * the job's record is gone) when one is claimed and locked; 0 when none; -1 with err when
 * the queue is unreachable. */
int mv_queue_take(mv_queue *q, int block_ms, mv_queue_claim *claim, char **record,
                  mv_error *err);

/* Renews the claim (lock expiry and the entry's idle time). 1: renewed; 2: renewed and a
 * cancel was requested; 0: the claim is lost (another owner, or expired); -1: unreachable. */
int mv_queue_heartbeat(mv_queue *q, const mv_queue_claim *claim, mv_error *err);

/* Writes the record while the claim is ours. 1 written, 0 claim lost, -1 unreachable. */
int mv_queue_publish(mv_queue *q, const mv_queue_claim *claim, const char *record,
                     mv_error *err);
/* The job ended: final record, acknowledged, claim and cancel request dropped. 1 done,
 * 0 claim lost, -1 unreachable. */
int mv_queue_finish(mv_queue *q, const mv_queue_claim *claim, const char *record,
                    mv_error *err);
/* This engine stops (shutdown) before the job ended: the record is written, the job goes back
 * back into the queue as a new entry, for any engine. 1, 0 or -1 as above. */
int mv_queue_release(mv_queue *q, const mv_queue_claim *claim, const char *record,
                     mv_error *err);

/* The record of a job (*record malloc'd) and its 1-based position in the global queue
 * (0: not waiting). MAIVID_OK, MAIVID_E_NOT_FOUND or MAIVID_E_UNAVAILABLE. */
maivid_code mv_queue_get(mv_queue *q, const char *job_id, char **record, int *position,
                         mv_error *err);
/* Every job id, newest first (*ids: one malloc'd array of malloc'd strings). */
maivid_code mv_queue_list(mv_queue *q, char ***ids, size_t *count, mv_error *err);

/* Cancel: sets the cancel request the running worker polls; while the job is still
 * waiting, `cancel_record` (called with the stored record, returning the cancelled record,
 * malloc'd, or NULL when the job is not waiting) replaces it atomically (WATCH/MULTI/EXEC)
 * and the job leaves the queued set. *new_record: the record written, or NULL. */
typedef char *(*mv_queue_edit_fn)(void *user_data, const char *record);
maivid_code mv_queue_cancel(mv_queue *q, const char *job_id, mv_queue_edit_fn cancel_record,
                            void *user_data, char **new_record, mv_error *err);
/* 1 when a cancel was requested for the job. */
int mv_queue_cancel_requested(mv_queue *q, const char *job_id);
/* Removes the record, index entry and cancel request, atomically. */
maivid_code mv_queue_delete(mv_queue *q, const char *job_id, mv_error *err);

/* The queue for /api/health (see maivid_engine_queue_info): a cJSON object's text. */
maivid_code mv_queue_info(mv_queue *q, char **json, mv_error *err);

/* Shared idempotency: *previous is the value stored for `key` (malloc'd), or NULL when this
 * caller claimed the key (with a short-lived placeholder) and must store its value. */
maivid_code mv_queue_idem_claim(mv_queue *q, const char *key, char **previous, mv_error *err);
maivid_code mv_queue_idem_store(mv_queue *q, const char *key, const char *value,
                                double ttl_seconds, mv_error *err);

#endif /* MV_QUEUE_H */
