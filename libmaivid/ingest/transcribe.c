/*
 * transcribe.c - optional lyrics by speech-to-text for songs that have none: the song's
 * audio is POSTed as multipart/form-data to an OpenAI-compatible /v1/audio/transcriptions
 * endpoint (whisper.cpp's server, faster-whisper servers, OpenAI), under the same URL policy,
 * timeouts and cancel as every other ingest transfer, and the verbose_json answer's segments
 * become timed LRC lines. Non-lyric segments ("[Music]", notes, punctuation) are dropped.
 * Asked for word granularity as well, the answer's word times time known lyrics instead
 * (mv_stt_words, for the lyric timing step).
 */
#include "captions/mv_captions.h"
#include "ingest/mv_ingest_internal.h"
#include "util/mv_buf.h"
#include "util/mv_json.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <ctype.h>
#include <curl/curl.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define MV_STT_DEFAULT_MODEL "whisper-1"
#define MV_STT_ENDPOINT "/v1/audio/transcriptions"
#define MV_STT_ANSWER_CAP (16u * 1024 * 1024)

/* ------------------------------------------------------------------ endpoint */

static int ends_with(const char *s, size_t len, const char *tail)
{
    size_t n = strlen(tail);
    return len >= n && strncmp(s + len - n, tail, n) == 0;
}

char *mv_stt_endpoint(const char *stt_url)
{
    if (!stt_url)
        return NULL;
    size_t len = strlen(stt_url);
    while (len > 0 && stt_url[len - 1] == '/')
        len--;
    if (ends_with(stt_url, len, MV_STT_ENDPOINT))
        return mv_strdup_printf("%.*s", (int)len, stt_url);
    if (ends_with(stt_url, len, "/v1"))
        return mv_strdup_printf("%.*s/audio/transcriptions", (int)len, stt_url);
    return mv_strdup_printf("%.*s" MV_STT_ENDPOINT, (int)len, stt_url);
}

/* ------------------------------------------------------------------ answer -> lyrics */

/* Byte length of a music-note symbol at s (♪ ♫ ♬ 🎵 🎶), else 0. */
static size_t note_len(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] == 0xE2 && u[1] == 0x99 && (u[2] == 0xAA || u[2] == 0xAB || u[2] == 0xAC))
        return 3;
    if (u[0] == 0xF0 && u[1] == 0x9F && u[2] == 0x8E && (u[3] == 0xB5 || u[3] == 0xB6))
        return 4;
    return 0;
}

/* Copies s without its leading and trailing whitespace and music notes; newlines inside
 * become spaces. malloc'd. */
static char *clean_text(const char *s, size_t len)
{
    size_t a = 0, b = len;
    for (;;) {
        if (a < b && isspace((unsigned char)s[a]))
            a++;
        else if (a < b && note_len(s + a) && a + note_len(s + a) <= b)
            a += note_len(s + a);
        else
            break;
    }
    for (;;) {
        if (b > a && isspace((unsigned char)s[b - 1]))
            b--;
        else if (b >= a + 3 && note_len(s + b - 3) == 3)
            b -= 3;
        else if (b >= a + 4 && note_len(s + b - 4) == 4)
            b -= 4;
        else
            break;
    }
    char *out = malloc(b - a + 1);
    if (!out)
        return NULL;
    for (size_t i = a; i < b; i++)
        out[i - a] = (s[i] == '\n' || s[i] == '\r' || s[i] == '\t') ? ' ' : s[i];
    out[b - a] = '\0';
    return out;
}

/* 1 when the text holds a letter or digit (any non-ASCII character other than a note
 * counts as one). */
static int has_words(const char *s)
{
    while (*s) {
        size_t n = note_len(s);
        if (n) {
            s += n;
            continue;
        }
        if (isalnum((unsigned char)*s) || ((unsigned char)*s >= 0x80))
            return 1;
        s++;
    }
    return 0;
}

static int mentions_sound(const char *s)
{
    static const char *const sounds[] = {
        "music", "instrumental", "applause", "laugh", "silence", "humming", "whistl",
        "cheer", "noise", "inaudible", "sigh", "breath", "sound", "singing", "guitar",
        "piano", "drum", "beat", "background", "outro", "intro"};
    for (size_t i = 0; i < sizeof sounds / sizeof sounds[0]; i++)
        if (strcasestr(s, sounds[i]))
            return 1;
    return 0;
}

/* 1 for a cleaned segment that is no sung text: empty, only punctuation or notes, wholly in
 * [brackets] or *asterisks*, or a (parenthesised) sound description like "(upbeat music)".
 * Parenthesised words without such a word ("(ooh, yeah)") are backing vocals and kept. */
static int is_non_lyric(const char *t)
{
    size_t n = strlen(t);
    if (n == 0 || !has_words(t))
        return 1;
    if ((t[0] == '[' && t[n - 1] == ']' && !strchr(t + 1, '[')) ||
        (t[0] == '*' && t[n - 1] == '*' && n > 1))
        return 1;
    if (t[0] == '(' && t[n - 1] == ')' && !strchr(t + 1, '(') && mentions_sound(t))
        return 1;
    return 0;
}


/* One segment as "[mm:ss.xx]text\n" when it is sung text. */
static int add_segment(mv_buf *b, double start, const char *raw)
{
    char *t = clean_text(raw, strlen(raw));
    if (!t)
        return -1;
    int rc = 0;
    if (!is_non_lyric(t)) {
        if (!(start >= 0) || !isfinite(start))
            start = 0;
        long long cs = llround(start * 100.0);
        char stamp[40];
        snprintf(stamp, sizeof stamp, "[%02lld:%02lld.%02lld]", cs / 6000, (cs / 100) % 60,
                 cs % 100);
        rc = mv_buf_append_str(b, stamp) || mv_buf_append_str(b, t) ||
                     mv_buf_append_str(b, "\n")
                 ? -1
                 : 0;
    }
    free(t);
    return rc;
}

/* The plain text, line by line, without non-lyric lines. */
static int add_plain(mv_buf *b, const char *text)
{
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        char *t = clean_text(p, n);
        if (!t)
            return -1;
        /* a transcript is plain text: a line that would read as timing markup (an LRC
         * tag, cue times, a WEBVTT header) is no sung text and would turn the whole
         * transcript into a broken timed file */
        int bad = !is_non_lyric(t) && mv_lyrics_detect_format(t) == MV_LYRICS_PLAIN &&
                  (mv_buf_append_str(b, t) || mv_buf_append_str(b, "\n"));
        free(t);
        if (bad)
            return -1;
        p += n;
        if (*p == '\n')
            p++;
    }
    return 0;
}

maivid_code mv_stt_answer_to_lyrics(const char *json, size_t len, char **lyrics, mv_error *err)
{
    *lyrics = NULL;
    cJSON *root = json ? mv_json_parse_opts(json, len, NULL, 0) : NULL;
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return mv_fail(err, MAIVID_E_FETCH,
                       "its answer is not JSON; make sure stt_url points at an "
                       "OpenAI-compatible speech-to-text server");
    }
    const cJSON *segments = cJSON_GetObjectItemCaseSensitive(root, "segments");
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(root, "text");
    mv_buf b = {0};
    int failed = 0, used_segments = 0;
    if (cJSON_IsArray(segments) && cJSON_GetArraySize(segments) > 0) {
        used_segments = 1;
        const cJSON *seg;
        cJSON_ArrayForEach(seg, segments) {
            const cJSON *st = cJSON_GetObjectItemCaseSensitive(seg, "start");
            const cJSON *tx = cJSON_GetObjectItemCaseSensitive(seg, "text");
            if (!cJSON_IsString(tx))
                continue;
            if (add_segment(&b, cJSON_IsNumber(st) ? st->valuedouble : 0, tx->valuestring)) {
                failed = 1;
                break;
            }
        }
    }
    if (!used_segments && !cJSON_IsString(text)) {
        cJSON_Delete(root);
        return mv_fail(err, MAIVID_E_FETCH,
                       "its answer has neither \"segments\" nor \"text\"; make sure stt_url "
                       "points at an OpenAI-compatible /v1/audio/transcriptions endpoint");
    }
    if (!used_segments && !failed)
        failed = add_plain(&b, text->valuestring) != 0;
    cJSON_Delete(root);
    if (!failed && !b.data)
        b.data = mv_strdup("");
    if (failed || !b.data) {
        free(b.data);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while reading the transcription");
    }
    *lyrics = b.data;
    return MAIVID_OK;
}

/* Word times: OpenAI's top-level "words" [{word, start, end}], or whisper.cpp's and
 * faster-whisper's segments[].words[] (with "probability"). */
static int add_words(const cJSON *array, mv_heard_words *out)
{
    const cJSON *w;
    cJSON_ArrayForEach(w, array) {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(w, "word");
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(w, "start");
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(w, "end");
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(w, "probability");
        if (!cJSON_IsString(t) || !cJSON_IsNumber(s) || !cJSON_IsNumber(e) ||
            !(s->valuedouble >= 0) || !(e->valuedouble >= s->valuedouble))
            continue;
        char *clean = clean_text(t->valuestring, strlen(t->valuestring));
        if (!clean)
            return -1;
        int rc = clean[0] && has_words(clean)
                     ? mv_heard_add(out, clean, s->valuedouble, e->valuedouble,
                                    cJSON_IsNumber(p) && p->valuedouble >= 0 &&
                                            p->valuedouble <= 1
                                        ? p->valuedouble : 1.0)
                     : 0;
        free(clean);
        if (rc != 0)
            return -1;
    }
    return 0;
}

maivid_code mv_stt_answer_to_words(const char *json, size_t len, mv_heard_words *out,
                                   mv_error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *root = json ? mv_json_parse_opts(json, len, NULL, 0) : NULL;
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return mv_fail(err, MAIVID_E_FETCH, "its answer is not JSON; make sure stt_url points "
                       "at an OpenAI-compatible speech-to-text server");
    }
    const cJSON *words = cJSON_GetObjectItemCaseSensitive(root, "words");
    const cJSON *segments = cJSON_GetObjectItemCaseSensitive(root, "segments");
    int rc = 0;
    if (cJSON_IsArray(words) && cJSON_GetArraySize(words) > 0) {
        rc = add_words(words, out);
    } else if (cJSON_IsArray(segments)) {
        const cJSON *seg;
        cJSON_ArrayForEach(seg, segments)
            if (rc == 0)
                rc = add_words(cJSON_GetObjectItemCaseSensitive(seg, "words"), out);
    }
    cJSON_Delete(root);
    if (rc != 0) {
        mv_heard_free(out);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while reading the transcription");
    }
    if (out->n == 0)
        return mv_fail(err, MAIVID_E_FETCH, "its answer has no word times; the server must "
                       "support timestamp_granularities[]=word (whisper.cpp's server, "
                       "faster-whisper servers and OpenAI do)");
    return MAIVID_OK;
}

/* ------------------------------------------------------------------ the request */

typedef struct stt_ctx {
    const mv_fetch_config *cfg;
    const mv_task *task;
    mv_buf answer;
    int too_large, cancelled, stalled;
    mv_connect_guard guard;
    double io_timeout, answer_wait, stall_limit, last_activity, last_reported;
    curl_off_t last_bytes;
} stt_ctx;

static size_t stt_write(char *data, size_t size, size_t nmemb, void *user)
{
    stt_ctx *ctx = user;
    size_t n = size * nmemb;
    if (ctx->answer.len + n > MV_STT_ANSWER_CAP) {
        ctx->too_large = 1;
        return 0;
    }
    if (mv_buf_append(&ctx->answer, data, n) != 0)
        return 0;
    return n;
}

/* Cancel, and the stall limits: io_timeout without a byte moving while sending or
 * receiving, answer_wait while the server transcribes (everything sent, nothing back). */
static int stt_xferinfo(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                        curl_off_t ulnow)
{
    stt_ctx *ctx = user;
    (void)dltotal;
    if (mv_task_cancelled(ctx->task)) {
        ctx->cancelled = 1;
        return 1;
    }
    double now = mv_monotonic();
    if (dlnow + ulnow != ctx->last_bytes) {
        ctx->last_bytes = dlnow + ulnow;
        ctx->last_activity = now;
    }
    int sent = ultotal > 0 && ulnow >= ultotal;
    double limit = sent && dlnow == 0 ? ctx->answer_wait : ctx->io_timeout;
    if (now - ctx->last_activity > limit) {
        ctx->stalled = 1;
        ctx->stall_limit = limit;
        return 1;
    }
    double f = ultotal > 0 ? 0.5 * (double)ulnow / (double)ultotal : 0;
    if (sent)
        f = 0.5;
    if (f - ctx->last_reported >= 0.01) {
        ctx->last_reported = f;
        mv_task_progress(ctx->task, f, sent ? "Transcribing the lyrics (speech to text)"
                                            : "Sending the song to the speech-to-text server");
    }
    return 0;
}

static const char *audio_mime_type(const char *path)
{
    switch (mv_sniff_file(path)) {
    case MV_SNIFF_MP3: return "audio/mpeg";
    case MV_SNIFF_ADTS: return "audio/aac";
    case MV_SNIFF_M4A:
    case MV_SNIFF_MP4: return "audio/mp4";
    case MV_SNIFF_WAV: return "audio/wav";
    case MV_SNIFF_FLAC: return "audio/flac";
    case MV_SNIFF_OGG: return "audio/ogg";
    case MV_SNIFF_WEBM: return "audio/webm";
    default: return "application/octet-stream";
    }
}

/* The server's own words from an error answer ({"error": {"message"}}, {"error": "..."},
 * {"detail": "..."}), or "". */
static void error_detail(const char *body, size_t len, char *out, size_t n)
{
    out[0] = '\0';
    cJSON *root = body ? mv_json_parse_opts(body, len, NULL, 0) : NULL;
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");
    const cJSON *msg = cJSON_IsObject(e) ? cJSON_GetObjectItemCaseSensitive(e, "message") : e;
    if (!cJSON_IsString(msg))
        msg = cJSON_GetObjectItemCaseSensitive(root, "detail");
    if (!cJSON_IsString(msg))
        msg = cJSON_GetObjectItemCaseSensitive(root, "message");
    if (cJSON_IsString(msg))
        snprintf(out, n, " (%.200s)", msg->valuestring);
    cJSON_Delete(root);
}

static maivid_code status_error(const char *url, long status, const stt_ctx *ctx, mv_error *err)
{
    char detail[240];
    error_detail(ctx->answer.data, ctx->answer.len, detail, sizeof detail);
    const char *fix;
    if (status == 401 || status == 403)
        fix = "check stt_api_key";
    else if (status == 404 || status == 405)
        fix = "check stt_url: it should be the server's base address (e.g. "
              "http://127.0.0.1:8080) and the server must offer /v1/audio/transcriptions";
    else if (status == 413)
        fix = "the song's audio is larger than the server accepts; raise the server's upload "
              "limit or pass the lyrics with the job";
    else if (status == 400 || status == 422)
        fix = "check stt_model (the server must know the model) and the server's log";
    else if (status >= 300 && status < 400)
        fix = "set stt_url to the address the server redirects to";
    else
        fix = "check the speech-to-text server's log, or pass the lyrics with the job";
    return mv_fail(err, MAIVID_E_FETCH, "the speech-to-text server answered %ld%s for %.300s; %s",
                   status, detail, url, fix);
}

static maivid_code curl_failure(const stt_ctx *ctx, CURLcode c, const char *url,
                                const char *errbuf, mv_error *err)
{
    if (ctx->cancelled || mv_task_cancelled(ctx->task))
        return mv_fail(err, MAIVID_E_CANCELLED, "the transcription was cancelled");
    if (ctx->guard.refused)
        return mv_fail(err, MAIVID_E_POLICY,
                       "refused to connect to the speech-to-text server at %.300s: it resolves "
                       "to %s, a loopback, private or reserved address; enable "
                       "allow_private_urls for a server on this machine or network", url,
                       ctx->guard.refused_ip);
    if (ctx->stalled)
        return mv_fail(err, MAIVID_E_TIMEOUT,
                       "the speech-to-text server at %.300s did not answer in time (%.0f s "
                       "without progress); use a faster model or server, or raise io_timeout",
                       url, ctx->stall_limit);
    if (ctx->too_large)
        return mv_fail(err, MAIVID_E_FETCH,
                       "the speech-to-text server at %.300s sent an answer larger than %u MB; "
                       "check that stt_url points at a transcription server", url,
                       MV_STT_ANSWER_CAP >> 20);
    if (c == CURLE_OPERATION_TIMEDOUT)
        return mv_fail(err, MAIVID_E_TIMEOUT,
                       "could not reach the speech-to-text server at %.300s in time; check "
                       "that it is running and that stt_url is right", url);
    if (c == CURLE_COULDNT_CONNECT || c == CURLE_COULDNT_RESOLVE_HOST)
        return mv_fail(err, MAIVID_E_FETCH,
                       "could not connect to the speech-to-text server at %.300s (%s): start "
                       "the server or correct stt_url", url,
                       errbuf[0] ? errbuf : curl_easy_strerror(c));
    if (c == CURLE_READ_ERROR)
        return mv_fail(err, MAIVID_E_IO,
                       "could not read the song's audio to send it for transcription (%s); "
                       "check the job folder", errbuf[0] ? errbuf : curl_easy_strerror(c));
    return mv_fail(err, MAIVID_E_FETCH,
                   "the request to the speech-to-text server at %.300s failed (%s); check that "
                   "the server is running and stt_url is right", url,
                   errbuf[0] ? errbuf : curl_easy_strerror(c));
}

static void setup_request(CURL *c, stt_ctx *ctx, const char *url, curl_mime *mime,
                          struct curl_slist *headers, char *errbuf)
{
    double connect_timeout = ctx->cfg->connect_timeout > 0 ? ctx->cfg->connect_timeout : 10.0;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "maivid");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(connect_timeout * 1000));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, stt_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, ctx);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, stt_xferinfo);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, ctx);
    mv_connect_guard_install(c, &ctx->guard);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
}

static int add_field(curl_mime *mime, const char *name, const char *value)
{
    curl_mimepart *part = curl_mime_addpart(mime);
    return part && curl_mime_name(part, name) == CURLE_OK &&
                   curl_mime_data(part, value, CURL_ZERO_TERMINATED) == CURLE_OK
               ? 0
               : -1;
}

static curl_mime *build_form(CURL *c, const mv_fetch_config *cfg, const char *audio_path,
                             int words)
{
    curl_mime *mime = curl_mime_init(c);
    if (!mime)
        return NULL;
    curl_mimepart *file = curl_mime_addpart(mime);
    int ok = file && curl_mime_name(file, "file") == CURLE_OK &&
             curl_mime_filedata(file, audio_path) == CURLE_OK &&
             curl_mime_type(file, audio_mime_type(audio_path)) == CURLE_OK;
    ok = ok && add_field(mime, "model", cfg->stt_model && cfg->stt_model[0]
                                            ? cfg->stt_model : MV_STT_DEFAULT_MODEL) == 0;
    ok = ok && add_field(mime, "response_format", "verbose_json") == 0;
    ok = ok && add_field(mime, "timestamp_granularities[]", "segment") == 0;
    if (words)
        ok = ok && add_field(mime, "timestamp_granularities[]", "word") == 0;
    if (!ok) {
        curl_mime_free(mime);
        return NULL;
    }
    return mime;
}

/* POSTs the song and hands back the 2xx answer's body (malloc'd) or an error. */
static maivid_code stt_post(const mv_fetch_config *cfg, const char *audio_path,
                            double duration, const mv_task *task, int words, char **answer,
                            size_t *answer_len, char **url_out, mv_error *err)
{
    *answer = NULL;
    *url_out = NULL;
    if (!cfg || !cfg->stt_url || !cfg->stt_url[0])
        return mv_fail(err, MAIVID_E_INVALID, "no speech-to-text server is configured (stt_url)");
    if (!audio_path || !mv_file_exists(audio_path))
        return mv_fail(err, MAIVID_E_IO,
                       "the song's audio file is missing, so there is nothing to transcribe; "
                       "run the download stage again");
    char *url = mv_stt_endpoint(cfg->stt_url);
    if (!url)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    maivid_code rc = mv_url_policy_check(url, cfg->allow_private_urls, err);
    if (rc != MAIVID_OK) {
        if (rc == MAIVID_E_POLICY && err)
            snprintf(err->message, sizeof err->message,
                     "the speech-to-text server address %.300s is refused by the URL policy "
                     "(only http/https, and no loopback or private address unless "
                     "allow_private_urls is enabled); fix stt_url or enable allow_private_urls",
                     url);
        free(url);
        return rc;
    }
    stt_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.cfg = cfg;
    ctx.guard.allow_private = cfg->allow_private_urls;
    ctx.task = task;
    ctx.io_timeout = cfg->io_timeout > 0 ? cfg->io_timeout : 30.0;
    ctx.answer_wait = duration > ctx.io_timeout ? duration : ctx.io_timeout;
    ctx.last_activity = mv_monotonic();

    CURL *c = curl_easy_init();
    curl_mime *mime = c ? build_form(c, cfg, audio_path, words) : NULL;
    struct curl_slist *headers = curl_slist_append(NULL, "Accept: application/json");
    headers = headers ? curl_slist_append(headers, "Expect:") : NULL;
    char *auth = cfg->stt_api_key && cfg->stt_api_key[0]
                     ? mv_strdup_printf("Authorization: Bearer %s", cfg->stt_api_key) : NULL;
    if (auth && headers)
        headers = curl_slist_append(headers, auth);
    if (!c || !mime || !headers || (cfg->stt_api_key && cfg->stt_api_key[0] && !auth)) {
        rc = mv_fail(err, MAIVID_E_NOMEM, "could not start the transcription request (out of "
                                          "memory)");
    } else {
        char errbuf[CURL_ERROR_SIZE];
        errbuf[0] = '\0';
        setup_request(c, &ctx, url, mime, headers, errbuf);
        mv_task_progress(task, 0.0, "Sending the song to the speech-to-text server");
        CURLcode cc = curl_easy_perform(c);
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        if (cc != CURLE_OK)
            rc = curl_failure(&ctx, cc, url, errbuf, err);
        else if (status < 200 || status >= 300)
            rc = status_error(url, status, &ctx, err);
    }
    free(auth);
    curl_slist_free_all(headers);
    curl_mime_free(mime);
    curl_easy_cleanup(c);
    if (rc == MAIVID_OK) {
        *answer = ctx.answer.data;
        *answer_len = ctx.answer.len;
        *url_out = url;
    } else {
        mv_buf_free(&ctx.answer);
        free(url);
    }
    return rc;
}

/* The answer read by one of the two readers; `out` is theirs. */
typedef maivid_code (*stt_reader)(const char *json, size_t len, void *out, mv_error *err);

static maivid_code read_lyrics(const char *json, size_t len, void *out, mv_error *err)
{
    return mv_stt_answer_to_lyrics(json, len, out, err);
}

static maivid_code read_words(const char *json, size_t len, void *out, mv_error *err)
{
    return mv_stt_answer_to_words(json, len, out, err);
}

static maivid_code stt_ask(const mv_fetch_config *cfg, const char *audio_path, double duration,
                           const mv_task *task, int words, stt_reader reader, void *out,
                           mv_error *err)
{
    char *answer, *url;
    size_t len = 0;
    maivid_code rc = stt_post(cfg, audio_path, duration, task, words, &answer, &len, &url, err);
    if (rc != MAIVID_OK)
        return rc;
    mv_error why;
    memset(&why, 0, sizeof why);
    rc = reader(answer, len, out, &why);
    if (rc != MAIVID_OK)
        rc = mv_fail(err, rc, "the speech-to-text server at %.300s gave %s: %s", url,
                     words ? "no usable word times" : "an unusable answer", why.message);
    free(answer);
    free(url);
    return rc;
}

maivid_code mv_stt_transcribe(const mv_fetch_config *cfg, const char *audio_path,
                              double duration, const mv_task *task, char **lyrics,
                              mv_error *err)
{
    *lyrics = NULL;
    return stt_ask(cfg, audio_path, duration, task, 0, read_lyrics, lyrics, err);
}

maivid_code mv_stt_words(const mv_fetch_config *cfg, const char *audio_path, double duration,
                         const mv_task *task, mv_heard_words *words, mv_error *err)
{
    memset(words, 0, sizeof *words);
    return stt_ask(cfg, audio_path, duration, task, 1, read_words, words, err);
}
