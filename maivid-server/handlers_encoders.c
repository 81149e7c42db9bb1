/*
 * handlers_encoders.c - GET /api/convo_pilot/encoders: the video encoders a job may ask for
 * (option `encoder`), each with whether this machine can open it and, when not, why. Finding
 * out opens each encoder once, which takes a while (a GPU driver's start-up), so the answer
 * is probed on the first request and kept for the server's lifetime.
 */
#include <stdlib.h>
#include <string.h>

#include "server.h"

void mv_encoder_cache_init(mv_encoder_cache *cache)
{
    pthread_mutex_init(&cache->lock, NULL);
    cache->json = NULL;
}

void mv_encoder_cache_free(mv_encoder_cache *cache)
{
    maivid_free(cache->json);
    cache->json = NULL;
    pthread_mutex_destroy(&cache->lock);
}

int mv_handle_encoders(mv_request *req)
{
    mv_encoder_cache *cache = &req->server->encoders;
    pthread_mutex_lock(&cache->lock); /* a second request waits for the first one's probe */
    if (cache->json == NULL) {
        cache->json = maivid_catalog_json(req->server->engine, MAIVID_CATALOG_ENCODERS, 0);
    }
    char *json = cache->json != NULL ? strdup(cache->json) : NULL;
    pthread_mutex_unlock(&cache->lock);
    if (json == NULL) {
        return mv_reply_error(req, 500, NULL, "the encoders catalog is unavailable (out of "
                              "memory): retry the request");
    }
    int rc = mv_reply_wrapped(req, 200, "encoders", json);
    free(json);
    return rc;
}
