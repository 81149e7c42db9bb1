/*
 * shared_idempotency.c - Idempotency-Key bookkeeping shared by every engine on one Redis
 * queue (maivid_idempotency_claim/_store), so a retried request reaching another server
 * still returns the first job.
 */
#include <stdlib.h>

#include "engine/mv_engine.h"

MAIVID_API maivid_code maivid_idempotency_claim(maivid_engine *e, const char *key,
                                                char **previous, char *errbuf,
                                                size_t errbuf_size)
{
    if (!e || !key || !*key || !previous)
        return MAIVID_E_INVALID;
    *previous = NULL;
    if (!e->shared)
        return MAIVID_E_UNSUPPORTED;
    mv_error err;
    mv_error_clear(&err);
    maivid_code rc = mv_queue_idem_claim(e->shared, key, previous, &err);
    if (rc != MAIVID_OK && errbuf && errbuf_size)
        mv_strlcpy(errbuf, err.message, errbuf_size);
    return rc;
}

MAIVID_API maivid_code maivid_idempotency_store(maivid_engine *e, const char *key,
                                                const char *value, double ttl_seconds)
{
    if (!e || !key || !*key)
        return MAIVID_E_INVALID;
    if (!e->shared)
        return MAIVID_E_UNSUPPORTED;
    mv_error err;
    return mv_queue_idem_store(e->shared, key, value, ttl_seconds > 1 ? ttl_seconds : 1, &err);
}
