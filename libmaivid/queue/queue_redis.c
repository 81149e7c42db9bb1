/*
 * queue_redis.c - the shared job queue's operations on Redis (keys in mv_queue.h): every
 * change that touches more than one key is one Lua script (atomic on the server), and every
 * write a worker makes is fenced by its claim (the lock key must still hold its owner token),
 * so a worker that lost its claim can never overwrite the job's new owner.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "queue/mv_redis_pool.h"

#define MV_Q_STREAM "maivid:queue"
#define MV_Q_GROUP "workers"
#define MV_Q_INDEX "maivid:index"
#define MV_Q_QUEUED "maivid:queued"
#define MV_Q_SEQ "maivid:seq"

struct mv_queue {
    mv_redis_pool *pool;
    char consumer[128];
};

static const char mv_lua_submit[] =
    "if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end\n"
    "local seq = redis.call('INCR', KEYS[5])\n"
    "redis.call('SET', KEYS[2], ARGV[2])\n"
    "redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])\n"
    "redis.call('ZADD', KEYS[1], seq, ARGV[1])\n"
    "redis.call('XADD', KEYS[4], '*', 'job', ARGV[1])\n"
    "return 1\n";

/* KEYS lock, record, queued; ARGV owner, lease ms, job id */
static const char mv_lua_take[] =
    "if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end\n"
    "redis.call('ZREM', KEYS[3], ARGV[3])\n"
    "local rec = redis.call('GET', KEYS[2])\n"
    "if rec then return {1, rec} end\n"
    "return {1}\n";

/* KEYS lock, stream, cancel; ARGV owner, lease ms, group, consumer, entry */
static const char mv_lua_heartbeat[] =
    "if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end\n"
    "redis.call('PEXPIRE', KEYS[1], ARGV[2])\n"
    "redis.call('XCLAIM', KEYS[2], ARGV[3], ARGV[4], 0, ARGV[5], 'JUSTID')\n"
    "if redis.call('EXISTS', KEYS[3]) == 1 then return 2 end\n"
    "return 1\n";

/* KEYS lock, record; ARGV owner, record */
static const char mv_lua_publish[] =
    "if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end\n"
    "redis.call('SET', KEYS[2], ARGV[2])\n"
    "return 1\n";

/* KEYS lock, record, queued, stream, cancel; ARGV owner, record or "", group, entry, job id.
 * A lock that has expired (nobody took the job since) does not stop the finish. */
static const char mv_lua_finish[] =
    "local cur = redis.call('GET', KEYS[1])\n"
    "if cur and cur ~= ARGV[1] then return 0 end\n"
    "if ARGV[2] ~= '' and redis.call('EXISTS', KEYS[2]) == 1 then\n"
    "  redis.call('SET', KEYS[2], ARGV[2]) end\n"
    "redis.call('ZREM', KEYS[3], ARGV[5])\n"
    "redis.call('XACK', KEYS[4], ARGV[3], ARGV[4])\n"
    "redis.call('DEL', KEYS[1], KEYS[5])\n"
    "return 1\n";

/* KEYS lock, record, queued, stream, seq; ARGV owner, record, group, entry, job id */
static const char mv_lua_release[] =
    "if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end\n"
    "redis.call('SET', KEYS[2], ARGV[2])\n"
    "redis.call('XACK', KEYS[4], ARGV[3], ARGV[4])\n"
    "redis.call('XADD', KEYS[4], '*', 'job', ARGV[5])\n"
    "redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[5]), ARGV[5])\n"
    "redis.call('DEL', KEYS[1])\n"
    "return 1\n";

/* KEYS record, queued; ARGV job id */
static const char mv_lua_get[] =
    "return {redis.call('GET', KEYS[1]) or false, redis.call('ZRANK', KEYS[2], ARGV[1]) or false}\n";

/* KEYS record, index, cancel, queued; ARGV job id */
static const char mv_lua_delete[] =
    "redis.call('DEL', KEYS[1], KEYS[3])\n"
    "redis.call('ZREM', KEYS[2], ARGV[1])\n"
    "redis.call('ZREM', KEYS[4], ARGV[1])\n"
    "return 1\n";

maivid_code mv_queue_open(const char *url, const char *consumer, mv_queue **out, mv_error *err)
{
    *out = NULL;
    mv_queue_url parsed;
    maivid_code rc = mv_queue_url_parse(url, &parsed, err);
    if (rc != MAIVID_OK)
        return rc;
    mv_queue *q = calloc(1, sizeof *q);
    if (q)
        q->pool = mv_redis_pool_new(&parsed);
    explicit_bzero(parsed.password, sizeof parsed.password);
    if (!q || !q->pool) {
        free(q);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    }
    mv_strlcpy(q->consumer, consumer, sizeof q->consumer);
    *out = q;
    return MAIVID_OK;
}

void mv_queue_close(mv_queue *q)
{
    if (!q)
        return;
    mv_redis_pool_free(q->pool);
    free(q);
}

const char *mv_queue_consumer(const mv_queue *q)
{
    return q->consumer;
}

/* One job's keys: maivid:lock:<id>, maivid:job:<id>, maivid:cancel:<id>. */
typedef struct mv_q_keys {
    char lock[128], rec[128], cancel[128];
} mv_q_keys;

static void mv_q_keys_for(const char *job_id, mv_q_keys *k)
{
    snprintf(k->lock, sizeof k->lock, "maivid:lock:%s", job_id);
    snprintf(k->rec, sizeof k->rec, "maivid:job:%s", job_id);
    snprintf(k->cancel, sizeof k->cancel, "maivid:cancel:%s", job_id);
}

/* EVAL script with its keys and args; NULL with err when unreachable or refused. */
static redisReply *mv_q_eval(mv_queue *q, mv_error *err, const char *script, int nkeys,
                             const char *const *keys, int nargs, const char *const *args)
{
    const char *argv[16];
    char numkeys[8];
    snprintf(numkeys, sizeof numkeys, "%d", nkeys);
    int argc = 0;
    argv[argc++] = "EVAL";
    argv[argc++] = script;
    argv[argc++] = numkeys;
    for (int i = 0; i < nkeys && argc < 16; i++)
        argv[argc++] = keys[i];
    for (int i = 0; i < nargs && argc < 16; i++)
        argv[argc++] = args[i];
    redisReply *r = mv_redis_argv(q->pool, err, argc, argv);
    if (r && r->type == REDIS_REPLY_ERROR) {
        mv_fail(err, MAIVID_E_UNAVAILABLE, "the shared job queue refused a request (%.150s): "
                "retrying by itself", r->str);
        freeReplyObject(r);
        return NULL;
    }
    return r;
}

/* The script's integer reply (1/0), -1 when unreachable. */
static int mv_q_eval_int(mv_queue *q, mv_error *err, const char *script, int nkeys,
                         const char *const *keys, int nargs, const char *const *args)
{
    redisReply *r = mv_q_eval(q, err, script, nkeys, keys, nargs, args);
    if (!r)
        return -1;
    int v = r->type == REDIS_REPLY_INTEGER ? (int)r->integer : 0;
    freeReplyObject(r);
    return v;
}

maivid_code mv_queue_submit(mv_queue *q, const char *job_id, const char *record,
                            double created_at, unsigned limit, mv_error *err)
{
    mv_q_keys k;
    mv_q_keys_for(job_id, &k);
    char created[32], lim[16];
    snprintf(created, sizeof created, "%.3f", created_at);
    snprintf(lim, sizeof lim, "%u", limit);
    const char *keys[] = {MV_Q_QUEUED, k.rec, MV_Q_INDEX, MV_Q_STREAM, MV_Q_SEQ};
    const char *args[] = {job_id, record, created, lim};
    int v = mv_q_eval_int(q, err, mv_lua_submit, 5, keys, 4, args);
    if (v < 0)
        return MAIVID_E_UNAVAILABLE;
    if (v == 0)
        return mv_fail(err, MAIVID_E_QUEUE_FULL, "the shared job queue is full (%u waiting): try "
                       "again when a job has finished", limit);
    return MAIVID_OK;
}

/* Reads the first stream entry [id, [field, value, ...]] of `entries` into the claim. */
static int mv_q_entry(const redisReply *entries, mv_queue_claim *claim)
{
    if (!entries || entries->type != REDIS_REPLY_ARRAY)
        return 0;
    for (size_t i = 0; i < entries->elements; i++) {
        const redisReply *e = entries->element[i];
        if (e->type != REDIS_REPLY_ARRAY || e->elements < 2 ||
            e->element[0]->type != REDIS_REPLY_STRING || e->element[1]->type != REDIS_REPLY_ARRAY)
            continue;
        const redisReply *f = e->element[1];
        for (size_t k = 0; k + 1 < f->elements; k += 2) {
            if (f->element[k]->type == REDIS_REPLY_STRING && strcmp(f->element[k]->str, "job") == 0 &&
                f->element[k + 1]->type == REDIS_REPLY_STRING) {
                mv_strlcpy(claim->entry, e->element[0]->str, sizeof claim->entry);
                mv_strlcpy(claim->job_id, f->element[k + 1]->str, sizeof claim->job_id);
                return 1;
            }
        }
    }
    return 0;
}

/* Finds an entry for this worker: a dead worker's first, else a new one. 1, 0 or -1. */
static int mv_q_next_entry(mv_queue *q, int block_ms, mv_queue_claim *claim, mv_error *err)
{
    char idle[16];
    snprintf(idle, sizeof idle, "%d", MV_QUEUE_LEASE_MS + 1000);
    redisReply *r = mv_redis_cmd(q->pool, err, "XAUTOCLAIM %s %s %s %s 0-0 COUNT 1", MV_Q_STREAM,
                                 MV_Q_GROUP, q->consumer, idle);
    if (!r)
        return -1;
    int found = 0;
    if (r->type == REDIS_REPLY_ARRAY && r->elements >= 2)
        found = mv_q_entry(r->element[1], claim);
    int nogroup = r->type == REDIS_REPLY_ERROR && strncmp(r->str, "NOGROUP", 7) == 0;
    freeReplyObject(r);
    if (nogroup) { /* Redis lost its data: make the group again */
        r = mv_redis_cmd(q->pool, err, "XGROUP CREATE %s %s 0 MKSTREAM", MV_Q_STREAM, MV_Q_GROUP);
        if (r)
            freeReplyObject(r);
        return 0;
    }
    if (found) {
        claim->taken_over = 1;
        return 1;
    }
    r = mv_redis_cmd(q->pool, err, "XREADGROUP GROUP %s %s COUNT 1 BLOCK %d STREAMS %s >",
                     MV_Q_GROUP, q->consumer, block_ms, MV_Q_STREAM);
    if (!r)
        return -1;
    if (r->type == REDIS_REPLY_ARRAY && r->elements >= 1 &&
        r->element[0]->type == REDIS_REPLY_ARRAY && r->element[0]->elements >= 2)
        found = mv_q_entry(r->element[0]->element[1], claim);
    freeReplyObject(r);
    return found;
}

int mv_queue_take(mv_queue *q, int block_ms, mv_queue_claim *claim, char **record,
                  mv_error *err)
{
    memset(claim, 0, sizeof *claim);
    *record = NULL;
    int got = mv_q_next_entry(q, block_ms, claim, err);
    if (got <= 0)
        return got;
    snprintf(claim->owner, sizeof claim->owner, "%.95s/%.63s", q->consumer, claim->entry);
    mv_q_keys k;
    mv_q_keys_for(claim->job_id, &k);
    char lease[16];
    snprintf(lease, sizeof lease, "%d", MV_QUEUE_LEASE_MS);
    const char *keys[] = {k.lock, k.rec, MV_Q_QUEUED};
    const char *args[] = {claim->owner, lease, claim->job_id};
    redisReply *r = mv_q_eval(q, err, mv_lua_take, 3, keys, 3, args);
    if (!r)
        return -1;
    int taken = r->type == REDIS_REPLY_ARRAY && r->elements >= 1;
    if (taken && r->elements >= 2 && r->element[1]->type == REDIS_REPLY_STRING)
        *record = mv_strdup(r->element[1]->str);
    freeReplyObject(r);
    return taken;
}

int mv_queue_heartbeat(mv_queue *q, const mv_queue_claim *claim, mv_error *err)
{
    mv_q_keys k;
    mv_q_keys_for(claim->job_id, &k);
    char lease[16];
    snprintf(lease, sizeof lease, "%d", MV_QUEUE_LEASE_MS);
    const char *keys[] = {k.lock, MV_Q_STREAM, k.cancel};
    const char *args[] = {claim->owner, lease, MV_Q_GROUP, q->consumer, claim->entry};
    return mv_q_eval_int(q, err, mv_lua_heartbeat, 3, keys, 5, args);
}

int mv_queue_publish(mv_queue *q, const mv_queue_claim *claim, const char *record,
                     mv_error *err)
{
    mv_q_keys k;
    mv_q_keys_for(claim->job_id, &k);
    const char *keys[] = {k.lock, k.rec};
    const char *args[] = {claim->owner, record};
    return mv_q_eval_int(q, err, mv_lua_publish, 2, keys, 2, args);
}

int mv_queue_finish(mv_queue *q, const mv_queue_claim *claim, const char *record,
                    mv_error *err)
{
    mv_q_keys k;
    mv_q_keys_for(claim->job_id, &k);
    const char *keys[] = {k.lock, k.rec, MV_Q_QUEUED, MV_Q_STREAM, k.cancel};
    const char *args[] = {claim->owner, record ? record : "", MV_Q_GROUP, claim->entry,
                          claim->job_id};
    return mv_q_eval_int(q, err, mv_lua_finish, 5, keys, 5, args);
}

int mv_queue_release(mv_queue *q, const mv_queue_claim *claim, const char *record,
                     mv_error *err)
{
    mv_q_keys k;
    mv_q_keys_for(claim->job_id, &k);
    const char *keys[] = {k.lock, k.rec, MV_Q_QUEUED, MV_Q_STREAM, MV_Q_SEQ};
    const char *args[] = {claim->owner, record, MV_Q_GROUP, claim->entry, claim->job_id};
    return mv_q_eval_int(q, err, mv_lua_release, 5, keys, 5, args);
}

maivid_code mv_queue_get(mv_queue *q, const char *job_id, char **record, int *position,
                         mv_error *err)
{
    *record = NULL;
    *position = 0;
    mv_q_keys k;
    mv_q_keys_for(job_id, &k);
    const char *keys[] = {k.rec, MV_Q_QUEUED};
    const char *args[] = {job_id};
    redisReply *r = mv_q_eval(q, err, mv_lua_get, 2, keys, 1, args);
    if (!r)
        return MAIVID_E_UNAVAILABLE;
    maivid_code rc = MAIVID_E_NOT_FOUND;
    if (r->type == REDIS_REPLY_ARRAY && r->elements >= 2 &&
        r->element[0]->type == REDIS_REPLY_STRING) {
        *record = mv_strdup(r->element[0]->str);
        if (r->element[1]->type == REDIS_REPLY_INTEGER)
            *position = (int)r->element[1]->integer + 1;
        rc = *record ? MAIVID_OK : mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    }
    freeReplyObject(r);
    if (rc == MAIVID_E_NOT_FOUND)
        mv_fail(err, rc, "no job %s here: list the jobs to see which exist", job_id);
    return rc;
}

maivid_code mv_queue_list(mv_queue *q, char ***ids_out, size_t *count_out, mv_error *err)
{
    *ids_out = NULL;
    *count_out = 0;
    redisReply *r = mv_redis_cmd(q->pool, err, "ZREVRANGE %s 0 -1", MV_Q_INDEX);
    if (!r)
        return MAIVID_E_UNAVAILABLE;
    size_t n = r->type == REDIS_REPLY_ARRAY ? r->elements : 0;
    char **ids = calloc(n + 1, sizeof *ids);
    size_t count = 0;
    for (size_t i = 0; ids && i < n; i++)
        if (r->element[i]->type == REDIS_REPLY_STRING && (ids[count] = mv_strdup(r->element[i]->str)))
            count++;
    freeReplyObject(r);
    if (!ids)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    *ids_out = ids;
    *count_out = count;
    return MAIVID_OK;
}

int mv_queue_cancel_requested(mv_queue *q, const char *job_id)
{
    mv_error err;
    redisReply *r = mv_redis_cmd(q->pool, &err, "EXISTS maivid:cancel:%s", job_id);
    int v = r && r->type == REDIS_REPLY_INTEGER && r->integer == 1;
    if (r)
        freeReplyObject(r);
    return v;
}

maivid_code mv_queue_cancel(mv_queue *q, const char *job_id, mv_queue_edit_fn cancel_record,
                            void *user_data, char **new_record, mv_error *err)
{
    *new_record = NULL;
    redisContext *c = mv_redis_get(q->pool, err);
    if (!c)
        return MAIVID_E_UNAVAILABLE;
    maivid_code rc = MAIVID_OK;
    redisReply *r = mv_redis_on(c, q->pool, err, "SET maivid:cancel:%s 1 EX 86400", job_id);
    if (!r)
        rc = MAIVID_E_UNAVAILABLE;
    else
        freeReplyObject(r);
    /* While the job waits, cancel it here; a worker taking it meanwhile sees the request. */
    for (int attempt = 0; rc == MAIVID_OK && attempt < 8; attempt++) {
        r = mv_redis_on(c, q->pool, err, "WATCH maivid:job:%s", job_id);
        if (!r) {
            rc = MAIVID_E_UNAVAILABLE;
            break;
        }
        freeReplyObject(r);
        r = mv_redis_on(c, q->pool, err, "GET maivid:job:%s", job_id);
        if (!r) {
            rc = MAIVID_E_UNAVAILABLE;
            break;
        }
        char *edited = r->type == REDIS_REPLY_STRING ? cancel_record(user_data, r->str) : NULL;
        freeReplyObject(r);
        if (!edited) {
            r = mv_redis_on(c, q->pool, err, "UNWATCH");
            if (r)
                freeReplyObject(r);
            break;
        }
        redisAppendCommand(c, "MULTI");
        redisAppendCommand(c, "SET maivid:job:%s %s", job_id, edited);
        redisAppendCommand(c, "ZREM %s %s", MV_Q_QUEUED, job_id);
        redisAppendCommand(c, "EXEC");
        int ok = 1, committed = 0;
        for (int i = 0; i < 4; i++) {
            void *reply = NULL;
            if (redisGetReply(c, &reply) != REDIS_OK || !reply) {
                ok = 0;
                break;
            }
            redisReply *rr = reply;
            if (i == 3 && rr->type == REDIS_REPLY_ARRAY)
                committed = 1;
            freeReplyObject(rr);
        }
        if (!ok) {
            free(edited);
            mv_fail(err, MAIVID_E_UNAVAILABLE, "the shared job queue stopped answering while "
                    "cancelling job %s: try again", job_id);
            c->err = c->err ? c->err : REDIS_ERR_IO;
            rc = MAIVID_E_UNAVAILABLE;
            break;
        }
        if (committed) {
            *new_record = edited;
            break;
        }
        free(edited); /* the record changed meanwhile: look again */
    }
    mv_redis_put(q->pool, c);
    return rc;
}

maivid_code mv_queue_delete(mv_queue *q, const char *job_id, mv_error *err)
{
    mv_q_keys k;
    mv_q_keys_for(job_id, &k);
    const char *keys[] = {k.rec, MV_Q_INDEX, k.cancel, MV_Q_QUEUED};
    const char *args[] = {job_id};
    return mv_q_eval_int(q, err, mv_lua_delete, 4, keys, 1, args) < 0 ? MAIVID_E_UNAVAILABLE
                                                                       : MAIVID_OK;
}

/* Milliseconds since the epoch from a stream id "ms-seq". */
static double mv_q_id_ms(const char *id)
{
    return id ? strtod(id, NULL) : 0;
}

maivid_code mv_queue_info(mv_queue *q, char **json, mv_error *err)
{
    *json = NULL;
    redisContext *c = mv_redis_get(q->pool, err);
    if (!c)
        return MAIVID_E_UNAVAILABLE;
    redisAppendCommand(c, "ZCARD %s", MV_Q_QUEUED);
    redisAppendCommand(c, "XPENDING %s %s", MV_Q_STREAM, MV_Q_GROUP);
    redisAppendCommand(c, "XINFO CONSUMERS %s %s", MV_Q_STREAM, MV_Q_GROUP);
    redisAppendCommand(c, "TIME");
    redisReply *rs[4] = {0};
    int ok = 1;
    for (int i = 0; i < 4; i++) {
        void *reply = NULL;
        if (redisGetReply(c, &reply) != REDIS_OK || !reply) {
            ok = 0;
            break;
        }
        rs[i] = reply;
    }
    if (!ok) {
        c->err = c->err ? c->err : REDIS_ERR_IO;
        mv_fail(err, MAIVID_E_UNAVAILABLE, "the shared job queue stopped answering: retrying "
                "by itself");
    }
    mv_redis_put(q->pool, c);
    cJSON *o = ok ? cJSON_CreateObject() : NULL;
    if (o) {
        cJSON_AddStringToObject(o, "backend", "redis");
        cJSON_AddStringToObject(o, "consumer", q->consumer);
        cJSON_AddNumberToObject(o, "queued", rs[0]->type == REDIS_REPLY_INTEGER ? (double)rs[0]->integer : 0);
        double running = 0, oldest = 0, now_ms = 0;
        if (rs[3]->type == REDIS_REPLY_ARRAY && rs[3]->elements == 2)
            now_ms = strtod(rs[3]->element[0]->str, NULL) * 1000.0 +
                     strtod(rs[3]->element[1]->str, NULL) / 1000.0;
        if (rs[1]->type == REDIS_REPLY_ARRAY && rs[1]->elements >= 2) {
            running = rs[1]->element[0]->type == REDIS_REPLY_INTEGER ? (double)rs[1]->element[0]->integer : 0;
            if (running > 0 && rs[1]->element[1]->type == REDIS_REPLY_STRING)
                oldest = (now_ms - mv_q_id_ms(rs[1]->element[1]->str)) / 1000.0;
        }
        cJSON_AddNumberToObject(o, "running", running);
        cJSON_AddNumberToObject(o, "oldest_pending_seconds", oldest > 0 ? oldest : 0);
        cJSON *consumers = cJSON_AddArrayToObject(o, "consumers");
        for (size_t i = 0; rs[2]->type == REDIS_REPLY_ARRAY && i < rs[2]->elements; i++) {
            const redisReply *e = rs[2]->element[i];
            cJSON *one = cJSON_CreateObject();
            for (size_t k = 0; e->type == REDIS_REPLY_ARRAY && k + 1 < e->elements; k += 2) {
                const char *name = e->element[k]->str;
                const redisReply *v = e->element[k + 1];
                if (!name)
                    continue;
                if (strcmp(name, "name") == 0 && v->type == REDIS_REPLY_STRING)
                    cJSON_AddStringToObject(one, "name", v->str);
                else if (strcmp(name, "pending") == 0 && v->type == REDIS_REPLY_INTEGER)
                    cJSON_AddNumberToObject(one, "pending", (double)v->integer);
                else if (strcmp(name, "idle") == 0 && v->type == REDIS_REPLY_INTEGER)
                    cJSON_AddNumberToObject(one, "idle_seconds", (double)v->integer / 1000.0);
            }
            cJSON_AddItemToArray(consumers, one);
        }
        *json = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
    }
    for (int i = 0; i < 4; i++)
        if (rs[i])
            freeReplyObject(rs[i]);
    if (!ok)
        return MAIVID_E_UNAVAILABLE;
    return *json ? MAIVID_OK : mv_fail(err, MAIVID_E_NOMEM, "out of memory");
}

maivid_code mv_queue_idem_claim(mv_queue *q, const char *key, char **previous, mv_error *err)
{
    *previous = NULL;
    for (int waited = 0; waited < 100; waited++) {
        redisReply *r = mv_redis_cmd(q->pool, err, "SET maivid:idem:%s %s NX EX 60 GET", key, "");
        if (!r)
            return MAIVID_E_UNAVAILABLE;
        if (r->type == REDIS_REPLY_NIL) {
            freeReplyObject(r);
            return MAIVID_OK; /* ours: the caller stores the value */
        }
        if (r->type == REDIS_REPLY_STRING && r->len > 0) {
            *previous = mv_strdup(r->str);
            freeReplyObject(r);
            return *previous ? MAIVID_OK : mv_fail(err, MAIVID_E_NOMEM, "out of memory");
        }
        int refused = r->type == REDIS_REPLY_ERROR;
        freeReplyObject(r);
        if (refused)
            return mv_fail(err, MAIVID_E_UNAVAILABLE, "the shared job queue refused the "
                           "idempotency check: retrying by itself");
        usleep(100 * 1000); /* another server is creating this key's job right now */
    }
    return mv_fail(err, MAIVID_E_BUSY, "a request with this Idempotency-Key is still being "
                   "processed: retry it in a few seconds");
}

maivid_code mv_queue_idem_store(mv_queue *q, const char *key, const char *value,
                                double ttl_seconds, mv_error *err)
{
    redisReply *r = value ? mv_redis_cmd(q->pool, err, "SET maivid:idem:%s %s EX %d", key, value,
                                         (int)ttl_seconds)
                          : mv_redis_cmd(q->pool, err, "DEL maivid:idem:%s", key);
    if (!r)
        return MAIVID_E_UNAVAILABLE;
    freeReplyObject(r);
    return MAIVID_OK;
}
