/*
 * webhook.c - when a job created with callback_url ends, POSTs
 * {"event":"job.completed|job.failed|job.cancelled","job_id","video_url","job_status"} to
 * it from one sender thread, retrying with backoff (1, 2, 4, 8 s) until a 2xx answer. The
 * URL policy applies: unless --allow-private-urls, connections to loopback, private and
 * link-local addresses are refused at connect time (so DNS tricks cannot get around it).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
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

static int mv_ipv4_private(uint32_t address)
{
    unsigned a = address >> 24;
    unsigned b = (address >> 16) & 0xff;
    return a == 0 || a == 10 || a == 127 || a >= 224 || (a == 169 && b == 254) ||
           (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168) ||
           (a == 100 && b >= 64 && b <= 127);
}

static int mv_address_private(const struct sockaddr *address)
{
    if (address->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)address;
        return mv_ipv4_private(ntohl(in->sin_addr.s_addr));
    }
    if (address->sa_family == AF_INET6) {
        const struct in6_addr *in6 = &((const struct sockaddr_in6 *)address)->sin6_addr;
        const unsigned char *b = in6->s6_addr;
        if (IN6_IS_ADDR_V4MAPPED(in6)) {
            uint32_t v4 = ((uint32_t)b[12] << 24) | ((uint32_t)b[13] << 16) |
                          ((uint32_t)b[14] << 8) | b[15];
            return mv_ipv4_private(v4);
        }
        return IN6_IS_ADDR_LOOPBACK(in6) || IN6_IS_ADDR_UNSPECIFIED(in6) ||
               IN6_IS_ADDR_LINKLOCAL(in6) || IN6_IS_ADDR_MULTICAST(in6) ||
               (b[0] & 0xfe) == 0xfc;
    }
    return 1; /* unix sockets and the like: never */
}

static curl_socket_t mv_open_checked_socket(void *user, curlsocktype purpose,
                                            struct curl_sockaddr *address)
{
    (void)purpose;
    int *refused = user;
    if (mv_address_private(&address->addr)) {
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

/* One POST. Returns 0 on a 2xx answer, else -1 with the reason in err. */
static int mv_post_json(mv_webhooks *hooks, const char *url, const char *body, char *err,
                        size_t err_size)
{
    CURL *curl = curl_easy_init();
    if (curl == NULL) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    int refused = 0;
    char curl_err[CURL_ERROR_SIZE] = "";
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    headers = curl_slist_append(headers, "User-Agent: maivid-server/" MAIVID_VERSION_STRING);
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
                              char **url_out)
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
    char *payload = mv_build_payload(hooks, engine, item.job_id, &url);
    if (payload == NULL) {
        return;
    }
    char err[512] = "";
    int ok = mv_post_json(hooks, url, payload, err, sizeof(err)) == 0;
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

mv_webhooks *mv_webhooks_start(const mv_logger *log, int allow_private_urls)
{
    mv_webhooks *hooks = calloc(1, sizeof(*hooks));
    if (hooks == NULL) {
        return NULL;
    }
    hooks->log = log;
    hooks->allow_private_urls = allow_private_urls;
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
