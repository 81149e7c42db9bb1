/*
 * http.c - the one HTTP GET every ingest download goes through (libcurl easy API): a
 * browser-like User-Agent, redirects followed by hand (at most 5) so the URL policy judges
 * every hop and the address actually connected, connect and low-speed timeouts, a size cap,
 * retries with backoff on timeouts, dropped connections, 429 and 5xx (never on other 4xx),
 * progress and cancel through the task, and file bodies written to a temp file that is only
 * renamed into place when complete.
 */
#include "ingest/mv_ingest_internal.h"
#include "util/mv_buf.h"
#include "util/mv_stall.h"

#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

const char mv_dl_user_agent[] =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36";

#define MV_HTTP_MAX_REDIRECTS 5
#define MV_HTTP_ERROR_BODY_MAX (64 * 1024)
#define MV_HTTP_DEFAULT_CAP (200ull * 1024 * 1024)

typedef struct http_ctx {
    const mv_dl_request *req;
    mv_dl_response *resp;
    CURL *curl;
    FILE *file;
    mv_buf mem;
    uint64_t cap;
    int too_large, cancelled;
    mv_connect_guard guard;
    double last_reported;
    mv_stall_watch stall;
} http_ctx;

static size_t write_cb(char *data, size_t size, size_t nmemb, void *user)
{
    http_ctx *ctx = user;
    size_t n = size * nmemb;
    long status = 0;
    curl_easy_getinfo(ctx->curl, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 300 && status < 400)
        return n; /* a redirect's body: not wanted */
    mv_dl_response *r = ctx->resp;
    if (r->head_len < sizeof r->head) {
        size_t take = sizeof r->head - r->head_len;
        if (take > n)
            take = n;
        memcpy(r->head + r->head_len, data, take);
        r->head_len += take;
    }
    r->bytes += n;
    if (status >= 200 && status < 300) {
        if (r->bytes > ctx->cap) {
            ctx->too_large = 1;
            return 0;
        }
        if (ctx->file)
            return fwrite(data, 1, n, ctx->file) == n ? n : 0;
        return mv_buf_append(&ctx->mem, data, n) == 0 ? n : 0;
    }
    /* an error answer: keep the start of its body for the message */
    if (ctx->mem.len < MV_HTTP_ERROR_BODY_MAX) {
        size_t take = MV_HTTP_ERROR_BODY_MAX - ctx->mem.len;
        if (mv_buf_append(&ctx->mem, data, take < n ? take : n) != 0)
            return 0;
    }
    return n;
}

static int xferinfo_cb(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    http_ctx *ctx = user;
    (void)ultotal;
    if (mv_task_cancelled(ctx->req->task)) {
        ctx->cancelled = 1;
        return 1;
    }
    if (mv_stall_watch_check(&ctx->stall, (uint64_t)dlnow + (uint64_t)ulnow))
        return 1; /* reported as a timeout */
    if (dltotal > 0 && ctx->req->task) {
        double f = (double)dlnow / (double)dltotal;
        if (f - ctx->last_reported >= 0.01 || (f >= 1.0 && ctx->last_reported < 1.0)) {
            ctx->last_reported = f;
            double p0 = ctx->req->progress_from, p1 = ctx->req->progress_to;
            if (p1 > p0)
                mv_task_progress(ctx->req->task, p0 + (p1 - p0) * f, "Downloading the song");
        }
    }
    return 0;
}

static void sleep_checking_cancel(double seconds, const mv_task *task)
{
    double end = mv_monotonic() + seconds;
    while (!mv_task_cancelled(task)) {
        double left = end - mv_monotonic();
        if (left <= 0)
            break;
        if (left > 0.05)
            left = 0.05;
        struct timespec ts = {0, (long)(left * 1e9)};
        nanosleep(&ts, NULL);
    }
}

static char *url_host(const char *url)
{
    CURLU *u = curl_url();
    char *host = NULL, *out = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
        out = mv_strdup(host);
    curl_free(host);
    curl_url_cleanup(u);
    return out ? out : mv_strdup(url);
}

static int transient_curl_error(CURLcode c)
{
    return c == CURLE_OPERATION_TIMEDOUT || c == CURLE_PARTIAL_FILE || c == CURLE_RECV_ERROR ||
           c == CURLE_GOT_NOTHING || c == CURLE_SEND_ERROR;
}

static maivid_code describe_curl_error(http_ctx *ctx, CURLcode c, const char *url,
                                       const char *errbuf, int attempts, mv_error *err)
{
    char *host = url_host(url);
    const mv_fetch_config *cfg = ctx->req->cfg;
    maivid_code rc;
    if (ctx->cancelled || mv_task_cancelled(ctx->req->task))
        rc = mv_fail(err, MAIVID_E_CANCELLED, "the download was cancelled");
    else if (ctx->guard.refused)
        rc = mv_fail(err, MAIVID_E_POLICY,
                     "refused to connect to %s: it resolves to %s, a loopback, private, "
                     "link-local, multicast or reserved address; use a public URL (or enable "
                     "allow_private_urls for a home network)", host, ctx->guard.refused_ip);
    else if (ctx->too_large || c == CURLE_FILESIZE_EXCEEDED)
        rc = mv_fail(err, MAIVID_E_FETCH,
                     "the file at %.300s is larger than the download cap of %.0f MB; use a "
                     "smaller file or raise max_download_bytes", url,
                     (double)ctx->cap / (1024.0 * 1024.0));
    else if (c == CURLE_COULDNT_RESOLVE_HOST)
        rc = mv_fail(err, MAIVID_E_FETCH,
                     "could not find the host %s (DNS lookup failed): check the link for typos "
                     "and the network connection", host);
    else if (c == CURLE_COULDNT_CONNECT)
        rc = mv_fail(err, MAIVID_E_FETCH,
                     "could not connect to %s: the server is unreachable or down; check the "
                     "link and the network, or try again later", host);
    else if (c == CURLE_OPERATION_TIMEDOUT)
        rc = mv_fail(err, MAIVID_E_FETCH,
                     "the transfer from %s timed out (%d attempt%s; connect timeout %.0f s, "
                     "no data for %.0f s): the server is too slow or unreachable; try again "
                     "later or raise the timeouts", host, attempts, attempts == 1 ? "" : "s",
                     cfg && cfg->connect_timeout > 0 ? cfg->connect_timeout : 10.0,
                     cfg && cfg->io_timeout > 0 ? cfg->io_timeout : 30.0);
    else if (transient_curl_error(c))
        rc = mv_fail(err, MAIVID_E_FETCH,
                     "the connection to %s dropped after %llu bytes (%d attempt%s): the "
                     "download is truncated and was discarded; try again later", host,
                     (unsigned long long)ctx->resp->bytes, attempts, attempts == 1 ? "" : "s");
    else if (c == CURLE_PEER_FAILED_VERIFICATION || c == CURLE_SSL_CONNECT_ERROR)
        rc = mv_fail(err, MAIVID_E_FETCH,
                     "a secure (TLS) connection to %s failed (%s): check the link and the "
                     "system's certificates", host, errbuf[0] ? errbuf : curl_easy_strerror(c));
    else
        rc = mv_fail(err, MAIVID_E_FETCH, "fetching %.300s failed: %s; check the link", url,
                     errbuf[0] ? errbuf : curl_easy_strerror(c));
    free(host);
    return rc;
}

static void reset_attempt(http_ctx *ctx)
{
    mv_dl_response *r = ctx->resp;
    r->head_len = 0;
    r->bytes = 0;
    mv_buf_reset(&ctx->mem);
    ctx->too_large = 0;
    ctx->guard.refused = 0;
    ctx->last_reported = 0;
    const mv_fetch_config *cfg = ctx->req->cfg;
    mv_stall_watch_start(&ctx->stall, cfg && cfg->io_timeout > 0 ? cfg->io_timeout : 30.0);
}

static void setup_handle(http_ctx *ctx, CURL *c, struct curl_slist *headers, char *errbuf)
{
    const mv_fetch_config *cfg = ctx->req->cfg;
    double connect_timeout = cfg && cfg->connect_timeout > 0 ? cfg->connect_timeout : 10.0;
    double io_timeout = cfg && cfg->io_timeout > 0 ? cfg->io_timeout : 30.0;
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, mv_dl_user_agent);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(connect_timeout * 1000));
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, (long)(io_timeout < 1 ? 1 : io_timeout));
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)ctx->cap);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, ctx);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, ctx);
    mv_connect_guard_install(c, &ctx->guard);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    if (ctx->req->referer)
        curl_easy_setopt(c, CURLOPT_REFERER, ctx->req->referer);
}

maivid_code mv_dl_get(const mv_dl_request *req, mv_dl_response *resp, mv_error *err)
{
    memset(resp, 0, sizeof *resp);
    if (!req || !req->url)
        return mv_fail(err, MAIVID_E_INVALID, "no URL to fetch");
    const mv_fetch_config *cfg = req->cfg;
    http_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.req = req;
    ctx.resp = resp;
    ctx.guard.allow_private = cfg ? cfg->allow_private_urls : 0;
    ctx.cap = req->max_bytes ? req->max_bytes
              : (cfg && cfg->max_bytes ? cfg->max_bytes : MV_HTTP_DEFAULT_CAP);
    int max_retries = req->max_retries < 0 ? 2 : req->max_retries;
    double delay0 = req->retry_delay > 0 ? req->retry_delay : 1.0;

    CURL *c = curl_easy_init();
    if (!c)
        return mv_fail(err, MAIVID_E_NOMEM, "could not start an HTTP transfer (out of memory)");
    ctx.curl = c;
    char accept_line[300];
    snprintf(accept_line, sizeof accept_line, "Accept: %s",
             req->accept ? req->accept
                         : "text/html,application/xhtml+xml,application/json,audio/*,video/*,"
                           "image/*;q=0.9,*/*;q=0.8");
    struct curl_slist *headers = curl_slist_append(NULL, accept_line);
    headers = curl_slist_append(headers, "Accept-Language: en-US,en;q=0.9");
    headers = curl_slist_append(headers, "Accept-Encoding: identity");
    char errbuf[CURL_ERROR_SIZE];
    setup_handle(&ctx, c, headers, errbuf);

    char *part_path = req->dest_path ? mv_strdup_printf("%s.part", req->dest_path) : NULL;
    char *url = mv_strdup(req->url);
    maivid_code rc = MAIVID_OK;
    for (int hop = 0;; hop++) {
        rc = mv_url_policy_check(url, ctx.guard.allow_private, err);
        if (rc != MAIVID_OK)
            break;
        curl_easy_setopt(c, CURLOPT_URL, url);
        CURLcode cc = CURLE_OK;
        long status = 0;
        int attempt = 0;
        for (;; attempt++) {
            reset_attempt(&ctx);
            errbuf[0] = '\0';
            if (part_path) {
                ctx.file = fopen(part_path, "wb");
                if (!ctx.file) {
                    rc = mv_fail(err, MAIVID_E_IO, "cannot write %s: %s; check the job folder",
                                 part_path, strerror(errno));
                    break;
                }
            }
            cc = curl_easy_perform(c);
            if (cc == CURLE_ABORTED_BY_CALLBACK && ctx.stall.stalled)
                cc = CURLE_OPERATION_TIMEDOUT; /* silent for io_timeout */
            if (ctx.file) {
                if (fclose(ctx.file) != 0 && cc == CURLE_OK)
                    cc = CURLE_WRITE_ERROR;
                ctx.file = NULL;
            }
            status = 0;
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
            int retry = (cc != CURLE_OK && transient_curl_error(cc) && !ctx.too_large) ||
                        (cc == CURLE_OK && (status >= 500 || status == 429));
            if (!retry || attempt >= max_retries || mv_task_cancelled(req->task))
                break;
            sleep_checking_cancel(delay0 * (double)(1 << attempt), req->task);
        }
        if (rc != MAIVID_OK)
            break;
        if (cc != CURLE_OK) {
            rc = describe_curl_error(&ctx, cc, url, errbuf, attempt + 1, err);
            break;
        }
        resp->status = status;
        char *redirect = NULL;
        if (status >= 300 && status < 400 &&
            curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &redirect) == CURLE_OK && redirect) {
            if (req->no_follow) {
                resp->location = mv_strdup(redirect);
                resp->final_url = mv_strdup(url);
                break;
            }
            if (hop >= MV_HTTP_MAX_REDIRECTS) {
                rc = mv_fail(err, MAIVID_E_FETCH,
                             "%.300s redirected more than %d times: the link loops; pass the "
                             "final address of the song", req->url, MV_HTTP_MAX_REDIRECTS);
                break;
            }
            char *next = mv_strdup(redirect);
            free(url);
            url = next;
            continue;
        }
        char *ct = NULL;
        curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
        resp->content_type = mv_strdup(ct);
        resp->final_url = mv_strdup(url);
        break;
    }
    if (rc == MAIVID_OK) {
        resp->body = ctx.mem.data;
        resp->body_len = ctx.mem.len;
        ctx.mem.data = NULL;
        if (!resp->body) {
            resp->body = mv_strdup("");
            resp->body_len = 0;
        }
    }
    if (part_path) {
        if (rc == MAIVID_OK && resp->status >= 200 && resp->status < 300) {
            if (rename(part_path, req->dest_path) != 0)
                rc = mv_fail(err, MAIVID_E_IO, "cannot move the download to %s: %s",
                             req->dest_path, strerror(errno));
        } else {
            unlink(part_path);
        }
        if (rc != MAIVID_OK)
            unlink(part_path);
    }
    if (rc != MAIVID_OK)
        mv_dl_response_free(resp);
    mv_buf_free(&ctx.mem);
    free(part_path);
    free(url);
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
    return rc;
}

void mv_dl_response_free(mv_dl_response *resp)
{
    if (!resp)
        return;
    free(resp->content_type);
    free(resp->final_url);
    free(resp->location);
    free(resp->body);
    long status = resp->status;
    memset(resp, 0, sizeof *resp);
    resp->status = status;
}

maivid_code mv_dl_status_error(const char *url, const mv_dl_response *resp, const char *fix,
                                 mv_error *err)
{
    const char *reason = "";
    const char *body = resp && resp->body ? resp->body : "";
    char code[64] = "";
    const char *c0 = strstr(body, "<Code>");
    if (c0) {
        c0 += 6;
        const char *c1 = strstr(c0, "</Code>");
        if (c1 && c1 - c0 < (long)sizeof code - 3) {
            code[0] = ' ';
            code[1] = '(';
            memcpy(code + 2, c0, (size_t)(c1 - c0));
            code[2 + (c1 - c0)] = ')';
            code[3 + (c1 - c0)] = '\0';
        }
    }
    long status = resp ? resp->status : 0;
    if (status == 404)
        reason = ": not found";
    else if (status == 403 || status == 401)
        reason = ": access denied";
    else if (status == 410)
        reason = ": gone";
    else if (status >= 500)
        reason = ": a server error";
    return mv_fail(err, MAIVID_E_FETCH, "the server answered %ld%s%s for %.300s; %s", status,
                   code, reason, url, fix ? fix : "check the link");
}
