/*
 * handlers_catalog.c - the read-only catalog endpoints (models, styles, transitions, motions,
 * aspect ratios) straight from libmaivid's catalogs, and GET /api/health (version, workers
 * busy, queue length, ComfyUI reachability, free disk).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "server.h"

#define MV_COMFYUI_PROBE_CACHE_SECONDS 10.0

static int mv_reply_catalog(mv_request *req, maivid_catalog catalog, const char *key)
{
    char *json = maivid_catalog_json(req->server->engine, catalog, 0);
    if (json == NULL) {
        return mv_reply_error(req, 500, NULL, "the %s catalog is unavailable: check that the "
                              "data files are installed (MAIVID_SHARE_DIR)", key);
    }
    int rc = mv_reply_wrapped(req, 200, key, json);
    maivid_free(json);
    return rc;
}

int mv_handle_models(mv_request *req)
{
    return mv_reply_catalog(req, MAIVID_CATALOG_MODELS, "models");
}

int mv_handle_styles(mv_request *req)
{
    return mv_reply_catalog(req, MAIVID_CATALOG_STYLES, "styles");
}

int mv_handle_transitions(mv_request *req)
{
    return mv_reply_catalog(req, MAIVID_CATALOG_TRANSITIONS, "transitions");
}

int mv_handle_motions(mv_request *req)
{
    return mv_reply_catalog(req, MAIVID_CATALOG_MOTIONS, "motions");
}

int mv_handle_aspect_ratios(mv_request *req)
{
    return mv_reply_catalog(req, MAIVID_CATALOG_ASPECTS, "aspect_ratios");
}

/* ---------------------------------------------------------------- health */

void mv_health_cache_init(mv_health_cache *cache)
{
    pthread_mutex_init(&cache->lock, NULL);
    cache->checked_at = 0;
    cache->comfyui_json = NULL;
}

void mv_health_cache_free(mv_health_cache *cache)
{
    free(cache->comfyui_json);
    cache->comfyui_json = NULL;
    pthread_mutex_destroy(&cache->lock);
}

static size_t mv_discard_body(char *data, size_t size, size_t count, void *user)
{
    (void)data;
    (void)user;
    return size * count;
}

/* 1 if GET <url>/system_stats answers 200 within a second. */
static int mv_comfyui_reachable(const char *url)
{
    CURL *curl = curl_easy_init();
    if (curl == NULL) {
        return 0;
    }
    char probe[1024];
    size_t length = strlen(url);
    snprintf(probe, sizeof(probe), "%s%ssystem_stats", url,
             length > 0 && url[length - 1] == '/' ? "" : "/");
    curl_easy_setopt(curl, CURLOPT_URL, probe);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 1000L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 1500L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, mv_discard_body);
    long code = 0;
    int reachable = curl_easy_perform(curl) == CURLE_OK &&
                    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK &&
                    code == 200;
    curl_easy_cleanup(curl);
    return reachable;
}

/* [{url, reachable}] for every --comfyui, probed at most every 10 s. */
static cJSON *mv_comfyui_health(mv_server *server)
{
    mv_health_cache *cache = &server->health;
    pthread_mutex_lock(&cache->lock);
    double now = mv_server_now();
    if (cache->comfyui_json == NULL ||
        now - cache->checked_at > MV_COMFYUI_PROBE_CACHE_SECONDS) {
        cJSON *list = cJSON_CreateArray();
        for (size_t i = 0; i < server->opts->comfyui_url_count; i++) {
            cJSON *entry = cJSON_CreateObject();
            cJSON_AddStringToObject(entry, "url", server->opts->comfyui_urls[i]);
            cJSON_AddBoolToObject(entry, "reachable",
                                  mv_comfyui_reachable(server->opts->comfyui_urls[i]));
            cJSON_AddItemToArray(list, entry);
        }
        char *text = cJSON_PrintUnformatted(list);
        cJSON_Delete(list);
        if (text != NULL) {
            free(cache->comfyui_json);
            cache->comfyui_json = strdup(text);
            cJSON_free(text);
            cache->checked_at = now;
        }
    }
    cJSON *result = cache->comfyui_json != NULL ? cJSON_Parse(cache->comfyui_json)
                                                : cJSON_CreateArray();
    pthread_mutex_unlock(&cache->lock);
    return result;
}

/* Counts running and queued jobs from each job's status (the embedded queue). */
static void mv_count_jobs(mv_server *server, char **ids, size_t count, int *running, int *queued)
{
    for (size_t i = 0; i < count; i++) {
        maivid_status *status = NULL;
        if (maivid_job_status(server->engine, ids[i], &status) != MAIVID_OK) {
            continue;
        }
        maivid_job_state state = maivid_status_state(status);
        *running += state == MAIVID_JOB_RUNNING;
        *queued += state == MAIVID_JOB_QUEUED;
        maivid_status_free(status);
    }
}

/* The job queue (maivid_engine_queue_info); NULL with `why` filled when it is unreachable. */
static cJSON *mv_queue_health(mv_server *server, char *why, size_t why_size)
{
    char *text = NULL;
    if (maivid_engine_queue_info(server->engine, &text, why, why_size) != MAIVID_OK) {
        return NULL;
    }
    cJSON *queue = cJSON_Parse(text);
    maivid_free(text);
    return queue;
}

int mv_handle_health(mv_request *req)
{
    mv_server *server = req->server;
    char **ids = NULL;
    size_t count = 0;
    int running = 0;
    int queued = 0;
    char why[512] = "";
    cJSON *queue = mv_queue_health(server, why, sizeof(why));
    const cJSON *backend = cJSON_GetObjectItemCaseSensitive(queue, "backend");
    int shared = queue == NULL || !cJSON_IsString(backend) ||
                 strcmp(backend->valuestring, "embedded") != 0;
    if (maivid_job_list(server->engine, &ids, &count) == MAIVID_OK) {
        if (!shared) {
            mv_count_jobs(server, ids, count, &running, &queued);
        }
        maivid_free(ids);
    }
    if (shared && queue != NULL) { /* the global queue, not this server's share of it */
        running = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(queue, "running"));
        queued = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(queue, "queued"));
    }
    cJSON *reply = cJSON_CreateObject();
    cJSON_AddBoolToObject(reply, "success", queue != NULL);
    cJSON_AddStringToObject(reply, "status", queue != NULL ? "ok" : "unavailable");
    if (queue == NULL) {
        cJSON_AddStringToObject(reply, "error", why);
        cJSON_AddNullToObject(reply, "queue");
    } else {
        cJSON_AddItemToObject(reply, "queue", queue);
    }
    cJSON_AddStringToObject(reply, "version", maivid_version_string());
    cJSON_AddStringToObject(reply, "server_version", MAIVID_VERSION_STRING);
    cJSON_AddNumberToObject(reply, "workers", server->opts->workers > 0 ? server->opts->workers
                                                                        : 1);
    cJSON_AddNumberToObject(reply, "workers_busy", running);
    cJSON_AddNumberToObject(reply, "queue_length", queued);
    cJSON_AddNumberToObject(reply, "jobs_total", (double)count);
    cJSON_AddItemToObject(reply, "comfyui", mv_comfyui_health(server));
    struct statvfs disk;
    const char *data_dir = server->opts->data_dir != NULL ? server->opts->data_dir
                                                          : "./maivid-data";
    if (statvfs(data_dir, &disk) == 0) {
        cJSON_AddNumberToObject(reply, "disk_free_bytes",
                                (double)disk.f_bavail * (double)disk.f_frsize);
    } else {
        cJSON_AddNullToObject(reply, "disk_free_bytes");
    }
    return mv_reply_cjson(req, queue != NULL ? 200 : 503, reply);
}
