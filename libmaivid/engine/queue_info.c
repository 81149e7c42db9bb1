/*
 * queue_info.c - maivid_engine_queue_info(): the job queue at a glance for health checks,
 * from the engine's own FIFO or from the shared queue in Redis.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "engine/mv_engine.h"
#include "util/mv_json.h"

MAIVID_API maivid_code maivid_engine_queue_info(maivid_engine *e, char **json, char *errbuf,
                                                size_t errbuf_size)
{
    if (!e || !json)
        return MAIVID_E_INVALID;
    *json = NULL;
    mv_error err;
    mv_error_clear(&err);
    cJSON *o = NULL;
    if (e->shared) {
        char *text = NULL;
        maivid_code rc = mv_queue_info(e->shared, &text, &err);
        if (rc != MAIVID_OK) {
            if (errbuf && errbuf_size)
                mv_strlcpy(errbuf, err.message, errbuf_size);
            return rc;
        }
        o = mv_json_parse(text);
        free(text);
    } else {
        o = cJSON_CreateObject();
        pthread_mutex_lock(&e->lock);
        size_t queued = e->queue_len;
        unsigned running = e->busy_workers;
        mv_engine_unlock(e);
        cJSON_AddStringToObject(o, "backend", "embedded");
        cJSON_AddNumberToObject(o, "queued", (double)queued);
        cJSON_AddNumberToObject(o, "running", running);
    }
    if (!o)
        return MAIVID_E_NOMEM;
    cJSON_AddNumberToObject(o, "workers", e->thread_count);
    *json = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return *json ? MAIVID_OK : MAIVID_E_NOMEM;
}
