/*
 * remote.c - libcurl requests to a maivid-server (see remote.h).
 */
#include "remote.h"
#include "signals.h"

#include "maivid/maivid.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#define MV_CLI_MAX_REPLY (16u * 1024u * 1024u)

typedef struct mv_cli_buffer {
    char *data;
    size_t len;
    int too_big;
} mv_cli_buffer;

static size_t mv_cli_collect(char *ptr, size_t size, size_t nmemb, void *user)
{
    mv_cli_buffer *buf = user;
    size_t n = size * nmemb;
    if (buf->len + n > MV_CLI_MAX_REPLY) {
        buf->too_big = 1;
        return 0;
    }
    char *grown = realloc(buf->data, buf->len + n + 1);
    if (!grown)
        return 0;
    buf->data = grown;
    memcpy(buf->data + buf->len, ptr, n);
    buf->len += n;
    buf->data[buf->len] = '\0';
    return n;
}

/* A handle with the URL, timeouts and the API key headers. */
static CURL *mv_cli_remote_handle(mv_cli_remote *remote, const char *path,
                                  struct curl_slist **headers)
{
    CURL *curl = curl_easy_init();
    if (!curl) {
        snprintf(remote->error, sizeof remote->error, "cannot start libcurl (out of memory)");
        return NULL;
    }
    size_t base_len = strlen(remote->base);
    while (base_len > 0 && remote->base[base_len - 1] == '/')
        base_len--;
    char url[4096];
    snprintf(url, sizeof url, "%.*s%s", (int)base_len, remote->base, path);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "maivid-cli/" MAIVID_VERSION_STRING);
    *headers = curl_slist_append(NULL, "Accept: application/json");
    if (remote->api_key && *remote->api_key) {
        char line[1024];
        snprintf(line, sizeof line, "X-API-Key: %s", remote->api_key);
        *headers = curl_slist_append(*headers, line);
        snprintf(line, sizeof line, "Authorization: Bearer %s", remote->api_key);
        *headers = curl_slist_append(*headers, line);
    }
    return curl;
}

static void mv_cli_transport_error(mv_cli_remote *remote, CURLcode code, const char *detail)
{
    snprintf(remote->error, sizeof remote->error,
             "cannot reach maivid-server at %s: %s; check that it is running there (for "
             "example 'maivid-server --listen 127.0.0.1:420') or pass the right --server URL",
             remote->base, detail[0] ? detail : curl_easy_strerror(code));
}

int mv_cli_remote_request(mv_cli_remote *remote, const char *method, const char *path,
                          const cJSON *body, long *http_status, cJSON **reply)
{
    *reply = NULL;
    *http_status = 0;
    struct curl_slist *headers = NULL;
    CURL *curl = mv_cli_remote_handle(remote, path, &headers);
    if (!curl)
        return -1;
    char *payload = body ? cJSON_PrintUnformatted(body) : NULL;
    if (payload) {
        headers = curl_slist_append(headers, "Content-Type: application/json");
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload);
    }
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
    mv_cli_buffer buf = {0};
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, mv_cli_collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &buf);
    char detail[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, detail);
    CURLcode code = curl_easy_perform(curl);
    int rc = 0;
    if (code != CURLE_OK) {
        if (buf.too_big)
            snprintf(detail, sizeof detail, "the answer is larger than %u bytes", MV_CLI_MAX_REPLY);
        mv_cli_transport_error(remote, code, detail);
        rc = -1;
    } else {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, http_status);
        /* a reply nested deeper than the library parses is no MaiVid reply: treat it as none */
        *reply = buf.data != NULL && maivid_json_depth(buf.data, buf.len) <= MAIVID_JSON_MAX_DEPTH
                     ? cJSON_Parse(buf.data)
                     : NULL;
    }
    free(buf.data);
    cJSON_free(payload);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return rc;
}

typedef struct mv_cli_sink {
    int fd;
    int failed_errno;
    int *signo;
} mv_cli_sink;

static size_t mv_cli_write_fd(char *ptr, size_t size, size_t nmemb, void *user)
{
    mv_cli_sink *sink = user;
    size_t n = size * nmemb;
    for (size_t done = 0; done < n;) {
        ssize_t w = write(sink->fd, ptr + done, n - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            sink->failed_errno = errno;
            return 0;
        }
        done += (size_t)w;
    }
    return n;
}

static int mv_cli_download_progress(void *user, curl_off_t dltotal, curl_off_t dlnow,
                                    curl_off_t ultotal, curl_off_t ulnow)
{
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    mv_cli_sink *sink = user;
    int signo = mv_cli_signals_take();
    if (signo)
        *sink->signo = signo;
    return signo ? 1 : 0; /* nonzero aborts the transfer */
}

int mv_cli_remote_download(mv_cli_remote *remote, const char *path, int fd, int *signo)
{
    *signo = 0;
    struct curl_slist *headers = NULL;
    CURL *curl = mv_cli_remote_handle(remote, path, &headers);
    if (!curl)
        return -1;
    headers = curl_slist_append(headers, "Accept: video/mp4");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
    mv_cli_sink sink = {fd, 0, signo};
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, mv_cli_write_fd);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, mv_cli_download_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &sink);
    char detail[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, detail);
    CURLcode code = curl_easy_perform(curl);
    int rc = 0;
    if (code != CURLE_OK) {
        rc = -1;
        if (*signo)
            snprintf(remote->error, sizeof remote->error, "the download was interrupted");
        else if (sink.failed_errno)
            snprintf(remote->error, sizeof remote->error, "cannot write the video: %s",
                     strerror(sink.failed_errno));
        else if (code == CURLE_HTTP_RETURNED_ERROR)
            snprintf(remote->error, sizeof remote->error, "the server refused the video "
                     "download (%s)", detail[0] ? detail : curl_easy_strerror(code));
        else
            mv_cli_transport_error(remote, code, detail);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return rc;
}

const char *mv_cli_remote_error_text(const cJSON *reply, long http_status, char *buf, size_t size)
{
    const cJSON *error = cJSON_GetObjectItemCaseSensitive(reply, "error");
    if (cJSON_IsString(error) && *error->valuestring)
        return error->valuestring;
    const cJSON *message = cJSON_GetObjectItemCaseSensitive(reply, "message");
    if (cJSON_IsString(message) && *message->valuestring)
        return message->valuestring;
    snprintf(buf, size, "the server answered HTTP %ld without an explanation", http_status);
    return buf;
}
