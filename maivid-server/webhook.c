/*
 * webhook.c - when a job created with callback_url ends, POSTs
 * {"event":"job.completed|job.failed|job.cancelled","job_id","video_url","job_status"} to
 * it from one sender thread, retrying with backoff (1, 2, 4, 8 s) until a 2xx answer, each
 * attempt signed as Standard Webhooks do when a secret is set (webhook_sign.c). libmaivid's
 * URL policy applies: to the URL when the job is created, and unless --allow-private-urls,
 * to the address actually connected (so DNS tricks cannot get around it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "server.h"

#define MV_WEBHOOK_ATTEMPTS 5

typedef struct mv_hook_target {
    char job_id[MAIVID_JOB_ID_SIZE];
    char *url;
} mv_hook_target;

typedef struct mv_hook_pending {
    char job_id[MAIVID_JOB_ID_SIZE];
    int attempts;
    double due; /* monotonic seconds */
} mv_hook_pending;

struct mv_webhooks {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
    const mv_logger *log;
    int allow_private_urls;
    const mv_webhook_key *key;  /* signs deliveries when its length > 0 */
    maivid_engine *engine;  /* NULL until attached */
    int stopping;
    mv_hook_target *targets;
    size_t target_count;
    mv_hook_pending *pending;
    size_t pending_count;
};

static void mv_strlcpy_job(char destination[MAIVID_JOB_ID_SIZE], const char *source)
{
    snprintf(destination, MAIVID_JOB_ID_SIZE, "%s", source);
}

static int mv_hooks_stopping(mv_webhooks *hooks)
{
    pthread_mutex_lock(&hooks->lock);
    int stopping = hooks->stopping;
    pthread_mutex_unlock(&hooks->lock);
    return stopping;
}

int mv_webhook_url_valid(const char *url)
{
    size_t scheme = strncmp(url, "http://", 7) == 0 ? 7 : strncmp(url, "https://", 8) == 0 ? 8 : 0;
    if (scheme == 0 || url[scheme] == '\0' || url[scheme] == '/' || strlen(url) > 2000) {
        return 0;
    }
    for (const char *p = url; *p != '\0'; p++) {
        if ((unsigned char)*p <= ' ' || *p == 0x7f) {
            return 0;
        }
    }
    return 1;
}

/* ---------------------------------------------------------------- URL policy */

int mv_webhook_url_allowed(const mv_webhooks *hooks, const char *url, char *err,
                           size_t err_size)
{
    char reason[512] = "";
    if (maivid_url_check(url, hooks->allow_private_urls, reason, sizeof(reason)) == MAIVID_OK) {
        return 0;
    }
    snprintf(err, err_size, "callback_url is refused by the URL policy: %s%s", reason,
             hooks->allow_private_urls ? ""
                                       : " (a server on a trusted network may be started "
                                         "with --allow-private-urls)");
    return -1;
}

/* The policy again on the address actually connected, so DNS answers cannot get around it. */
static curl_socket_t mv_open_checked_socket(void *user, curlsocktype purpose,
                                            struct curl_sockaddr *address)
{
    (void)purpose;
    int *refused = user;
    if (maivid_address_check(&address->addr, 0) != MAIVID_OK) {
        *refused = 1;
        return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype, address->protocol);
}

static size_t mv_ignore_body(char *data, size_t size, size_t count, void *user)
{
    (void)data;
    (void)user;
    return size * count;
}

/* Aborts a transfer once the server is stopping, so shutdown stays quick. */
static int mv_abort_when_stopping(void *user, curl_off_t dltotal, curl_off_t dlnow,
                                  curl_off_t ultotal, curl_off_t ulnow)
{
    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    return mv_hooks_stopping(user);
}

/* The Standard Webhooks headers of one attempt: the message id (the same on every retry, so
 * receivers can de-duplicate), the time of this attempt (so they can refuse replays) and,
 * with a secret, the signature over both and the body. */
static struct curl_slist *mv_hook_headers(const mv_webhooks *hooks, const char *id,
                                          const char *body)
{
    char line[160];
    char timestamp[32];
    snprintf(timestamp, sizeof(timestamp), "%lld", (long long)time(NULL));
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    headers = curl_slist_append(headers, "User-Agent: maivid-server/" MAIVID_VERSION_STRING);
    snprintf(line, sizeof(line), "webhook-id: %s", id);
    headers = curl_slist_append(headers, line);
    snprintf(line, sizeof(line), "webhook-timestamp: %s", timestamp);
    headers = curl_slist_append(headers, line);
    char signature[96];
    if (hooks->key != NULL && hooks->key->length > 0 &&
        mv_webhook_sign(hooks->key, id, timestamp, body, signature, sizeof(signature)) == 0) {
        snprintf(line, sizeof(line), "webhook-signature: %s", signature);
        headers = curl_slist_append(headers, line);
    }
    return headers;
}

/* One POST. Returns 0 on a 2xx answer, else -1 with the reason in err. */
static int mv_post_json(mv_webhooks *hooks, const char *url, const char *id, const char *body,
                        char *err, size_t err_size)
{
    CURL *curl = curl_easy_init();
    if (curl == NULL) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    int refused = 0;
    char curl_err[CURL_ERROR_SIZE] = "";
    struct curl_slist *headers = mv_hook_headers(hooks, id, body);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, mv_ignore_body);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, mv_abort_when_stopping);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, hooks);
    if (!hooks->allow_private_urls) {
        curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, mv_open_checked_socket);
        curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &refused);
    }
    CURLcode result = curl_easy_perform(curl);
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    if (refused) {
        snprintf(err, err_size, "%s resolves to a private or loopback address, which the URL "
                 "policy refuses (start the server with --allow-private-urls to allow it)", url);
        return -1;
    }
    if (result != CURLE_OK) {
        snprintf(err, err_size, "%s", curl_err[0] != '\0' ? curl_err : curl_easy_strerror(result));
        return -1;
    }
    if (code < 200 || code > 299) {
        snprintf(err, err_size, "the receiver answered HTTP %ld (a 2xx status is needed)", code);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- registry and queue */

/* With the lock held: the registered URL of job_id (a copy) or NULL. Removes it if `take`. */
static char *mv_target_lookup(mv_webhooks *hooks, const char *job_id, int take)
{
    for (size_t i = 0; i < hooks->target_count; i++) {
        if (strcmp(hooks->targets[i].job_id, job_id) == 0) {
            char *url = strdup(hooks->targets[i].url);
            if (take) {
                free(hooks->targets[i].url);
                hooks->targets[i] = hooks->targets[--hooks->target_count];
            }
            return url;
        }
    }
    return NULL;
}

void mv_webhooks_register(mv_webhooks *hooks, const char *job_id, const char *url)
{
    pthread_mutex_lock(&hooks->lock);
    mv_hook_target *grown = realloc(hooks->targets, (hooks->target_count + 1) * sizeof(*grown));
    char *copy = strdup(url);
    if (grown != NULL) {
        hooks->targets = grown;
    }
    if (grown != NULL && copy != NULL) {
        mv_strlcpy_job(grown[hooks->target_count].job_id, job_id);
        grown[hooks->target_count].url = copy;
        hooks->target_count++;
    } else {
        free(copy);
    }
    pthread_mutex_unlock(&hooks->lock);
}

/* With the lock held. */
static void mv_pending_add(mv_webhooks *hooks, const char *job_id, int attempts, double due)
{
    mv_hook_pending *grown = realloc(hooks->pending,
                                     (hooks->pending_count + 1) * sizeof(*grown));
    if (grown == NULL) {
        return;
    }
    hooks->pending = grown;
    mv_hook_pending *entry = &grown[hooks->pending_count++];
    mv_strlcpy_job(entry->job_id, job_id);
    entry->attempts = attempts;
    entry->due = due;
    pthread_cond_signal(&hooks->wake);
}

void mv_webhooks_job_ended(mv_webhooks *hooks, const char *job_id)
{
    pthread_mutex_lock(&hooks->lock);
    if (!hooks->stopping) {
        mv_pending_add(hooks, job_id, 0, 0);
    }
    pthread_mutex_unlock(&hooks->lock);
}

/* ---------------------------------------------------------------- delivery */

static const char *mv_event_name(maivid_job_state state)
{
    switch (state) {
    case MAIVID_JOB_COMPLETED: return "job.completed";
    case MAIVID_JOB_FAILED: return "job.failed";
    case MAIVID_JOB_CANCELLED: return "job.cancelled";
    default: return NULL; /* resumed meanwhile: nothing to report */
    }
}

/* Builds the payload; *url_out is the target (registry first, else the job's settings).
 * Returns NULL when there is nothing to send. */
static char *mv_build_payload(mv_webhooks *hooks, maivid_engine *engine, const char *job_id,
                              char **url_out, char *id, size_t id_size)
{
    *url_out = NULL;
    maivid_status *status = NULL;
    if (maivid_job_status(engine, job_id, &status) != MAIVID_OK) {
        return NULL;
    }
    const char *event = mv_event_name(maivid_status_state(status));
    char *json = event != NULL ? maivid_status_to_json(status, 0) : NULL;
    maivid_status_free(status);
    cJSON *job_status = json != NULL ? cJSON_Parse(json) : NULL;
    maivid_free(json);
    if (job_status == NULL) {
        return NULL;
    }
    pthread_mutex_lock(&hooks->lock);
    char *url = mv_target_lookup(hooks, job_id, 0);
    pthread_mutex_unlock(&hooks->lock);
    if (url == NULL) {
        const cJSON *settings = cJSON_GetObjectItemCaseSensitive(job_status, "settings");
        const cJSON *stored = cJSON_GetObjectItemCaseSensitive(settings, "callback_url");
        if (cJSON_IsString(stored) && mv_webhook_url_valid(stored->valuestring)) {
            url = strdup(stored->valuestring);
        }
    }
    if (url == NULL) {
        cJSON_Delete(job_status);
        return NULL;
    }
    snprintf(id, id_size, "msg_%s_%s", job_id, event + 4); /* msg_JOB_completed */
    cJSON *payload = cJSON_CreateObject();
    cJSON_AddStringToObject(payload, "event", event);
    cJSON_AddStringToObject(payload, "job_id", job_id);
    if (strcmp(event, "job.completed") == 0) {
        char video[128];
        snprintf(video, sizeof(video), "/api/convo_pilot/video/%s/file", job_id);
        cJSON_AddStringToObject(payload, "video_url", video);
    }
    cJSON_AddItemToObject(payload, "job_status", job_status);
    char *text = cJSON_PrintUnformatted(payload);
    cJSON_Delete(payload);
    if (text == NULL) {
        free(url);
        return NULL;
    }
    *url_out = url;
    return text;
}

static void mv_deliver(mv_webhooks *hooks, maivid_engine *engine, mv_hook_pending item)
{
    char *url = NULL;
    char id[MAIVID_JOB_ID_SIZE + 32];
    char *payload = mv_build_payload(hooks, engine, item.job_id, &url, id, sizeof(id));
    if (payload == NULL) {
        return;
    }
    char err[512] = "";
    int ok = mv_post_json(hooks, url, id, payload, err, sizeof(err)) == 0;
    char line[800];
    pthread_mutex_lock(&hooks->lock);
    if (ok) {
        snprintf(line, sizeof(line), "delivered to %s", url);
        free(mv_target_lookup(hooks, item.job_id, 1));
    } else if (item.attempts + 1 < MV_WEBHOOK_ATTEMPTS && !hooks->stopping) {
        double delay = (double)(1 << item.attempts);
        snprintf(line, sizeof(line), "attempt %d to %s failed: %s; retrying in %.0f s",
                 item.attempts + 1, url, err, delay);
        mv_pending_add(hooks, item.job_id, item.attempts + 1, mv_server_now() + delay);
    } else {
        snprintf(line, sizeof(line), "giving up on %s after %d attempts: %s", url,
                 item.attempts + 1, err);
        free(mv_target_lookup(hooks, item.job_id, 1));
    }
    pthread_mutex_unlock(&hooks->lock);
    mv_log_line(hooks->log, ok ? "info" : "warn", "webhook", item.job_id, line);
    free(url);
    free(payload);
}

static void *mv_webhook_thread(void *arg)
{
    mv_webhooks *hooks = arg;
    pthread_mutex_lock(&hooks->lock);
    while (!hooks->stopping) {
        if (hooks->engine == NULL || hooks->pending_count == 0) {
            pthread_cond_wait(&hooks->wake, &hooks->lock);
            continue;
        }
        size_t soonest = 0;
        for (size_t i = 1; i < hooks->pending_count; i++) {
            if (hooks->pending[i].due < hooks->pending[soonest].due) {
                soonest = i;
            }
        }
        double wait = hooks->pending[soonest].due - mv_server_now();
        if (wait > 0) {
            struct timespec until;
            clock_gettime(CLOCK_MONOTONIC, &until);
            until.tv_sec += (time_t)wait;
            until.tv_nsec += (long)((wait - (double)(time_t)wait) * 1e9);
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&hooks->wake, &hooks->lock, &until);
            continue;
        }
        mv_hook_pending item = hooks->pending[soonest];
        hooks->pending[soonest] = hooks->pending[--hooks->pending_count];
        maivid_engine *engine = hooks->engine;
        pthread_mutex_unlock(&hooks->lock);
        mv_deliver(hooks, engine, item);
        pthread_mutex_lock(&hooks->lock);
    }
    pthread_mutex_unlock(&hooks->lock);
    return NULL;
}

/* ---------------------------------------------------------------- lifetime */

mv_webhooks *mv_webhooks_start(const mv_logger *log, int allow_private_urls,
                               const mv_webhook_key *key)
{
    mv_webhooks *hooks = calloc(1, sizeof(*hooks));
    if (hooks == NULL) {
        return NULL;
    }
    hooks->log = log;
    hooks->allow_private_urls = allow_private_urls;
    hooks->key = key;
    pthread_mutex_init(&hooks->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&hooks->wake, &attr);
    pthread_condattr_destroy(&attr);
    if (pthread_create(&hooks->thread, NULL, mv_webhook_thread, hooks) != 0) {
        pthread_cond_destroy(&hooks->wake);
        pthread_mutex_destroy(&hooks->lock);
        free(hooks);
        return NULL;
    }
    return hooks;
}

void mv_webhooks_attach(mv_webhooks *hooks, maivid_engine *engine)
{
    pthread_mutex_lock(&hooks->lock);
    hooks->engine = engine;
    pthread_cond_signal(&hooks->wake);
    pthread_mutex_unlock(&hooks->lock);
}

void mv_webhooks_stop(mv_webhooks *hooks)
{
    pthread_mutex_lock(&hooks->lock);
    int already = hooks->stopping;
    hooks->stopping = 1;
    pthread_cond_signal(&hooks->wake);
    pthread_mutex_unlock(&hooks->lock);
    if (!already) {
        pthread_join(hooks->thread, NULL);
    }
}

void mv_webhooks_free(mv_webhooks *hooks)
{
    if (hooks == NULL) {
        return;
    }
    mv_webhooks_stop(hooks);
    for (size_t i = 0; i < hooks->target_count; i++) {
        free(hooks->targets[i].url);
    }
    free(hooks->targets);
    free(hooks->pending);
    pthread_cond_destroy(&hooks->wake);
    pthread_mutex_destroy(&hooks->lock);
    free(hooks);
}
