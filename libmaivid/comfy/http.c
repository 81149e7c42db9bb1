/*
 * http.c - the small HTTP client ComfyUI needs, on libcurl: one request, body collected in
 * memory up to a cap, timeouts, cancel through the task, no Origin header (ComfyUI refuses
 * a foreign one with 403), no redirects, http and https only.
 */
#include "comfy/mv_comfy.h"
#include "util/mv_buf.h"
#include "util/mv_stall.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct mv_http_sink {
    mv_buf body;
    size_t max;
    int too_big;
    const mv_task *task;
    mv_stall_watch stall;
} mv_http_sink;

static size_t mv_http_write(char *ptr, size_t size, size_t nmemb, void *user)
{
    mv_http_sink *s = user;
    size_t n = size * nmemb;
    if (s->body.len + n > s->max) {
        s->too_big = 1;
        return 0;
    }
    return mv_buf_append(&s->body, ptr, n) == 0 ? n : 0;
}

static int mv_http_progress(void *user, curl_off_t dt, curl_off_t dn, curl_off_t ut,
                            curl_off_t un)
{
    mv_http_sink *s = user;
    (void)dt;
    (void)ut;
    if (mv_task_cancelled(s->task))
        return 1;
    return mv_stall_watch_check(&s->stall, (uint64_t)dn + (uint64_t)un);
}

/* The path (and query) of a URL, for messages; "" when it has none. */
static const char *url_path(const char *url)
{
    const char *host = strstr(url, "://");
    const char *path = host ? strchr(host + 3, '/') : NULL;
    return path ? path : "";
}

maivid_code mv_http_request(const char *method, const char *url, const char *json_body,
                            double connect_timeout, double total_timeout, double stall_timeout,
                            size_t max_bytes, const mv_task *task, mv_http_reply *reply)
{
    memset(reply, 0, sizeof *reply);
    CURL *curl = curl_easy_init();
    if (!curl) {
        reply->transport_failed = 1;
        mv_strlcpy(reply->detail, "libcurl could not start a transfer", sizeof reply->detail);
        reply->body = mv_strdup("");
        return MAIVID_OK;
    }
    mv_http_sink sink = {.max = max_bytes ? max_bytes : 64u << 20, .task = task};
    mv_stall_watch_start(&sink.stall, stall_timeout);
    struct curl_slist *headers = NULL;
    char curl_err[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, (long)(connect_timeout * 1000));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)(total_timeout * 1000));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, mv_http_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, mv_http_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &sink);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "maivid/" MAIVID_VERSION_STRING);
    if (json_body) {
        headers = curl_slist_append(headers, "Content-Type: application/json");
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json_body);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(json_body));
    } else if (strcmp(method, "POST") == 0) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, 0L);
    }
    CURLcode rc = curl_easy_perform(curl);
    maivid_code out = MAIVID_OK;
    if (rc == CURLE_ABORTED_BY_CALLBACK && sink.stall.stalled)
        rc = CURLE_OPERATION_TIMEDOUT;
    if (rc == CURLE_ABORTED_BY_CALLBACK) {
        out = MAIVID_E_CANCELLED;
        reply->transport_failed = 1;
        mv_strlcpy(reply->detail, "cancelled", sizeof reply->detail);
    } else if (rc != CURLE_OK) {
        reply->transport_failed = 1;
        reply->timed_out = rc == CURLE_OPERATION_TIMEDOUT;
        if (sink.too_big)
            mv_strlcpy(reply->detail, "the reply was larger than expected", sizeof reply->detail);
        else if (sink.stall.stalled)
            snprintf(reply->detail, sizeof reply->detail,
                     "its reply stalled: nothing arrived for %.0f s (%s %.*s)",
                     stall_timeout, method,
                     (int)strcspn(url_path(url), "?"), url_path(url));
        else if (reply->timed_out)
            snprintf(reply->detail, sizeof reply->detail,
                     "no complete reply within %.0f s (%s %.*s)", total_timeout, method,
                     (int)strcspn(url_path(url), "?"), url_path(url));
        else
            mv_strlcpy(reply->detail, curl_err[0] ? curl_err : curl_easy_strerror(rc),
                       sizeof reply->detail);
    } else {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply->status);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    reply->body = sink.body.data ? sink.body.data : mv_strdup("");
    reply->len = sink.body.len;
    return out;
}

void mv_http_reply_free(mv_http_reply *reply)
{
    free(reply->body);
    reply->body = NULL;
}

char *mv_http_escape(const char *s)
{
    char *e = curl_easy_escape(NULL, s ? s : "", 0);
    char *out = mv_strdup(e);
    curl_free(e);
    return out;
}
