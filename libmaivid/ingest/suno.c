/*
 * suno.c - Suno links (see shared/research/suno.md, eras A-D): recognises share, song,
 * embed and hook links (on the configured web base or the real hosts), resolves share codes
 * (307 with a relative Location, a 200 song page, or the share-code API), reads the clip
 * from the public clip API or the song page's Next.js flight data, and walks the audio
 * ladder: a real audio_url, the CDN mp3, an unencrypted media URL, the public mp4's audio.
 */
#include "ingest/mv_ingest_internal.h"
#include "util/mv_json.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_WEB_BASE "https://suno.com"
#define DEFAULT_API_BASE "https://studio-api.prod.suno.com"
#define DEFAULT_CDN_BASE "https://cdn1.suno.ai"

static const char *web_base(const mv_fetch_config *cfg)
{
    return cfg && cfg->suno_web_base && *cfg->suno_web_base ? cfg->suno_web_base
                                                              : DEFAULT_WEB_BASE;
}
static const char *api_base(const mv_fetch_config *cfg)
{
    return cfg && cfg->suno_api_base && *cfg->suno_api_base ? cfg->suno_api_base
                                                              : DEFAULT_API_BASE;
}
static const char *cdn_base(const mv_fetch_config *cfg)
{
    return cfg && cfg->suno_cdn_base && *cfg->suno_cdn_base ? cfg->suno_cdn_base
                                                              : DEFAULT_CDN_BASE;
}

/* 1 when s starts with a UUID; copies it lower-cased into out (37 bytes). */
static int take_uuid(const char *s, char *out)
{
    static const int groups[] = {8, 4, 4, 4, 12};
    const char *p = s;
    for (int g = 0; g < 5; g++) {
        for (int i = 0; i < groups[g]; i++, p++)
            if (!isxdigit((unsigned char)*p))
                return 0;
        if (g < 4 && *p++ != '-')
            return 0;
    }
    if (isxdigit((unsigned char)*p) || *p == '-')
        return 0;
    for (int i = 0; i < 36; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[36] = '\0';
    return 1;
}

static const char *find_uuid(const char *s, char *out)
{
    for (const char *p = s; p && *p; p++)
        if ((p == s || !isxdigit((unsigned char)p[-1])) && take_uuid(p, out))
            return p;
    return NULL;
}

/* The part of url after the configured web base, or after a real Suno web host. */
static const char *suno_path(const mv_fetch_config *cfg, const char *url, char *buf, size_t n)
{
    const char *base = web_base(cfg);
    size_t bl = strlen(base);
    while (bl > 0 && base[bl - 1] == '/')
        bl--;
    if (strncasecmp(url, base, bl) == 0 && (url[bl] == '/' || url[bl] == '?' ||
                                            url[bl] == '#' || url[bl] == '\0'))
        return url + bl;
    /* the real hosts, old and new; only these exact names (not "contains suno") */
    CURLU *u = curl_url();
    char *host = NULL, *scheme = NULL, *path = NULL, *query = NULL;
    const char *out = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK &&
        (strcasecmp(scheme, "https") == 0 || strcasecmp(scheme, "http") == 0)) {
        static const char *const hosts[] = {"suno.com", "www.suno.com", "app.suno.ai",
                                            "suno.ai", "www.suno.ai"};
        for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++)
            if (strcasecmp(host, hosts[i]) == 0) {
                curl_url_get(u, CURLUPART_QUERY, &query, 0);
                snprintf(buf, n, "%s%s%s", path, query ? "?" : "", query ? query : "");
                out = buf;
                break;
            }
    }
    curl_free(host);
    curl_free(scheme);
    curl_free(path);
    curl_free(query);
    curl_url_cleanup(u);
    return out;
}

mv_suno_link_kind mv_suno_classify(const mv_fetch_config *cfg, const char *url, char value[64])
{
    value[0] = '\0';
    if (!url)
        return MV_SUNO_NOT_SUNO;
    char buf[2048];
    const char *path = suno_path(cfg, url, buf, sizeof buf);
    if (!path)
        return MV_SUNO_NOT_SUNO;
    char id[40];
    if ((strncasecmp(path, "/song/", 6) == 0 && take_uuid(path + 6, id)) ||
        (strncasecmp(path, "/embed/", 7) == 0 && take_uuid(path + 7, id))) {
        mv_strlcpy(value, id, 64);
        return MV_SUNO_SONG;
    }
    if (strncasecmp(path, "/hook/", 6) == 0) {
        mv_strlcpy(value, path + 6, 64);
        value[strcspn(value, "/?#")] = '\0';
        return MV_SUNO_HOOK;
    }
    if (strncasecmp(path, "/s/", 3) == 0) {
        const char *c = path + 3;
        size_t n = 0;
        while (c[n] && (isalnum((unsigned char)c[n]) || c[n] == '_' || c[n] == '-'))
            n++;
        if (n >= 6 && n <= 32 && (c[n] == '\0' || c[n] == '/' || c[n] == '?' || c[n] == '#')) {
            memcpy(value, c, n);
            value[n] = '\0';
            return MV_SUNO_SHARE;
        }
        return MV_SUNO_OTHER;
    }
    const char *q = strstr(path, "song=");
    if (strncasecmp(path, "/create", 7) == 0 && q && take_uuid(q + 5, id)) {
        mv_strlcpy(value, id, 64);
        return MV_SUNO_SONG;
    }
    return MV_SUNO_OTHER;
}

/* ------------------------------------------------------------------ the clip JSON */

void mv_suno_clip_free(mv_suno_clip *clip)
{
    if (!clip)
        return;
    free(clip->title);
    free(clip->artist);
    free(clip->handle);
    free(clip->tags);
    free(clip->lyrics);
    free(clip->status);
    free(clip->audio_url);
    free(clip->video_url);
    free(clip->image_url);
    for (size_t i = 0; i < clip->media_url_count; i++)
        free(clip->media_urls[i]);
    free(clip->media_urls);
    memset(clip, 0, sizeof *clip);
}

static char *json_str(const cJSON *o, const char *key, mv_rsc_ref_fn refs, void *user)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsString(v) || !v->valuestring)
        return NULL;
    const char *s = v->valuestring;
    if (refs && s[0] == '$') {
        if (s[1] == '$')
            return mv_strdup(s + 1);
        if (isxdigit((unsigned char)s[1])) {
            const char *r = refs(user, s + 1);
            return r ? mv_strdup(r) : NULL;
        }
        return NULL; /* $undefined, $L.., $S.. */
    }
    return mv_strdup(s);
}

static char *trim_owned(char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    size_t lead = strspn(s, " \t\r\n");
    if (lead)
        memmove(s, s + lead, n - lead + 1);
    if (!*s) {
        free(s);
        return NULL;
    }
    return s;
}

/* Old clips list styles one per line: show them comma-separated. */
static char *tidy_tags(char *s)
{
    s = trim_owned(s);
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *out = malloc(n * 2 + 1);
    if (!out)
        return s;
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n' || s[i] == '\r') {
            while (w > 0 && (out[w - 1] == ' ' || out[w - 1] == ','))
                w--;
            if (w > 0) {
                out[w++] = ',';
                out[w++] = ' ';
            }
            while (i + 1 < n && isspace((unsigned char)s[i + 1]))
                i++;
        } else {
            out[w++] = s[i];
        }
    }
    out[w] = '\0';
    free(s);
    return out;
}

int mv_suno_clip_from_json(const cJSON *obj, mv_rsc_ref_fn refs, void *user, mv_suno_clip *clip)
{
    memset(clip, 0, sizeof *clip);
    if (!cJSON_IsObject(obj))
        return 0;
    char *id = json_str(obj, "id", refs, user);
    char uuid[40];
    int ok = id && take_uuid(id, uuid);
    free(id);
    if (!ok)
        return 0;
    mv_strlcpy(clip->id, uuid, sizeof clip->id);
    clip->title = trim_owned(json_str(obj, "title", refs, user));
    clip->status = json_str(obj, "status", refs, user);
    clip->audio_url = json_str(obj, "audio_url", refs, user);
    clip->video_url = json_str(obj, "video_url", refs, user);
    clip->image_url = json_str(obj, "image_large_url", refs, user);
    if (!clip->image_url || !*clip->image_url) {
        free(clip->image_url);
        clip->image_url = json_str(obj, "image_url", refs, user);
    }
    clip->artist = trim_owned(json_str(obj, "display_name", refs, user));
    clip->handle = trim_owned(json_str(obj, "handle", refs, user));
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(obj, "metadata");
    if (cJSON_IsObject(meta)) {
        clip->tags = tidy_tags(json_str(meta, "tags", refs, user));
        clip->lyrics = json_str(meta, "prompt", refs, user);
        if (clip->lyrics && !*clip->lyrics) {
            free(clip->lyrics);
            clip->lyrics = NULL;
        }
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(meta, "duration");
        if (cJSON_IsNumber(d))
            clip->duration = d->valuedouble;
    }
    if (!clip->tags)
        clip->tags = tidy_tags(json_str(obj, "display_tags", refs, user));
    const cJSON *media = cJSON_GetObjectItemCaseSensitive(obj, "media_urls");
    const cJSON *m;
    cJSON_ArrayForEach(m, media) {
        if (cJSON_GetObjectItemCaseSensitive(m, "encoding")) {
            clip->encrypted_media = 1; /* DRM: never fetched */
            continue;
        }
        char *u = json_str(m, "url", refs, user);
        char **grown = u ? realloc(clip->media_urls,
                                   (clip->media_url_count + 1) * sizeof *grown) : NULL;
        if (!grown) {
            free(u);
            continue;
        }
        clip->media_urls = grown;
        clip->media_urls[clip->media_url_count++] = u;
    }
    return 1;
}

/* ------------------------------------------------------------------ Next.js flight data */

char *mv_next_flight_text(const char *html, size_t *len)
{
    *len = 0;
    size_t cap = 4096, n = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    out[0] = '\0';
    static const char marker[] = "self.__next_f.push(";
    for (const char *p = strstr(html, marker); p; p = strstr(p + 1, marker)) {
        const char *arr = p + sizeof marker - 1;
        if (*arr != '[')
            continue;
        const char *end = NULL;
        cJSON *a = mv_json_parse_opts(arr, strlen(arr), &end, 0);
        const cJSON *kind = cJSON_GetArrayItem(a, 0), *chunk = cJSON_GetArrayItem(a, 1);
        if (cJSON_IsNumber(kind) && kind->valueint == 1 && cJSON_IsString(chunk)) {
            size_t cl = strlen(chunk->valuestring);
            if (n + cl + 1 > cap) {
                while (n + cl + 1 > cap)
                    cap *= 2;
                char *g = realloc(out, cap);
                if (!g) {
                    cJSON_Delete(a);
                    free(out);
                    return NULL;
                }
                out = g;
            }
            memcpy(out + n, chunk->valuestring, cl + 1);
            n += cl;
        }
        cJSON_Delete(a);
    }
    *len = n;
    return out;
}

typedef struct flight_row {
    char id[16];
    char *text;   /* T rows (and string rows) */
    cJSON *json;  /* JSON rows */
} flight_row;

typedef struct flight {
    flight_row *rows;
    size_t count;
} flight;

static const char *flight_ref(void *user, const char *ref)
{
    const flight *f = user;
    char id[16];
    size_t n = 0;
    while (n < sizeof id - 1 && isxdigit((unsigned char)ref[n]))
        id[n] = ref[n], n++;
    id[n] = '\0';
    for (size_t i = 0; i < f->count; i++)
        if (strcasecmp(f->rows[i].id, id) == 0) {
            if (f->rows[i].text)
                return f->rows[i].text;
            if (cJSON_IsString(f->rows[i].json))
                return f->rows[i].json->valuestring;
        }
    return NULL;
}

static void flight_free(flight *f)
{
    for (size_t i = 0; i < f->count; i++) {
        free(f->rows[i].text);
        cJSON_Delete(f->rows[i].json);
    }
    free(f->rows);
    f->rows = NULL;
    f->count = 0;
}

static void flight_parse(const char *text, size_t len, flight *f)
{
    const char *p = text, *end = text + len;
    size_t cap = 0;
    while (p < end) {
        while (p < end && (*p == '\n' || *p == '\r'))
            p++;
        const char *idp = p;
        while (p < end && isxdigit((unsigned char)*p))
            p++;
        if (p == idp || p >= end || *p != ':' || p - idp >= 16) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            p = nl ? nl + 1 : end;
            continue;
        }
        flight_row row;
        memset(&row, 0, sizeof row);
        memcpy(row.id, idp, (size_t)(p - idp));
        p++;
        if (*p == 'T') { /* T<hex byte length>,<raw text>, no newline after */
            char *comma = NULL;
            unsigned long n = strtoul(p + 1, &comma, 16);
            if (!comma || *comma != ',') {
                p++;
                continue;
            }
            const char *t = comma + 1;
            if (n > (size_t)(end - t))
                n = (size_t)(end - t);
            row.text = strndup(t, n);
            p = t + n;
        } else {
            while (p < end && isalpha((unsigned char)*p))
                p++; /* I[...], HL[...] and other tagged rows */
            const char *jend = NULL;
            row.json = mv_json_parse_opts(p, (size_t)(end - p), &jend, 0);
            if (!row.json || !jend || jend <= p) {
                cJSON_Delete(row.json);
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                p = nl ? nl + 1 : end;
                continue;
            }
            p = jend;
        }
        if (f->count == cap) {
            cap = cap ? cap * 2 : 64;
            flight_row *g = realloc(f->rows, cap * sizeof *g);
            if (!g) {
                free(row.text);
                cJSON_Delete(row.json);
                return;
            }
            f->rows = g;
        }
        f->rows[f->count++] = row;
    }
}

static int clip_like(const cJSON *o)
{
    return cJSON_GetObjectItemCaseSensitive(o, "title") ||
           cJSON_GetObjectItemCaseSensitive(o, "audio_url") ||
           cJSON_GetObjectItemCaseSensitive(o, "metadata");
}

/* Depth-first search for the clip object: with id, the object whose id matches; without,
 * the value of the first "clip" key. */
static const cJSON *find_clip(const cJSON *node, const char *id, int depth)
{
    if (!node || depth > 64)
        return NULL;
    if (cJSON_IsObject(node)) {
        if (id) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(node, "id");
            if (cJSON_IsString(v) && strcasecmp(v->valuestring, id) == 0 && clip_like(node))
                return node;
        } else {
            const cJSON *c = cJSON_GetObjectItemCaseSensitive(node, "clip");
            if (cJSON_IsObject(c) && clip_like(c))
                return c;
        }
    }
    const cJSON *child;
    cJSON_ArrayForEach(child, node) {
        const cJSON *hit = find_clip(child, id, depth + 1);
        if (hit)
            return hit;
    }
    return NULL;
}

int mv_suno_parse_page(const char *html, const char *id, mv_suno_clip *clip)
{
    memset(clip, 0, sizeof *clip);
    if (!html)
        return 0;
    size_t len = 0;
    char *text = mv_next_flight_text(html, &len);
    if (!text)
        return 0;
    flight f = {0};
    flight_parse(text, len, &f);
    int found = 0;
    for (size_t i = 0; i < f.count && !found; i++) {
        const cJSON *o = find_clip(f.rows[i].json, id, 0);
        if (o && mv_suno_clip_from_json(o, flight_ref, &f, clip)) {
            clip->from_page = 1;
            found = 1;
        }
    }
    flight_free(&f);
    free(text);
    return found;
}

/* ------------------------------------------------------------------ fetching */

static maivid_code get_text(const mv_fetch_config *cfg, const char *url, int no_follow,
                            const char *accept, const mv_task *task, mv_dl_response *resp,
                            mv_error *err)
{
    mv_dl_request req = {.url = url, .cfg = cfg, .max_bytes = 16u * 1024 * 1024,
                           .max_retries = -1, .retry_delay = 0.5, .no_follow = no_follow,
                           .accept = accept, .task = task};
    return mv_dl_get(&req, resp, err);
}

/* Share code -> clip id; *page receives the song page when the share URL served it. */
static maivid_code resolve_share(const mv_fetch_config *cfg, const char *code, char *id,
                                 char **page, const mv_task *task, mv_error *err)
{
    *page = NULL;
    char *url = mv_strdup_printf("%s/s/%s", web_base(cfg), code);
    mv_dl_response resp;
    char detail[200] = "";
    maivid_code rc = get_text(cfg, url, 1, NULL, task, &resp, err);
    if (rc == MAIVID_E_CANCELLED || rc == MAIVID_E_POLICY) {
        free(url);
        return rc;
    }
    if (rc == MAIVID_OK) {
        if (resp.location && find_uuid(resp.location, id)) {
            mv_dl_response_free(&resp);
            free(url);
            return MAIVID_OK;
        }
        if (resp.status == 200 && resp.body) {
            mv_suno_clip c;
            if (mv_suno_parse_page(resp.body, NULL, &c)) {
                mv_strlcpy(id, c.id, 40);
                mv_suno_clip_free(&c);
                *page = resp.body;
                resp.body = NULL;
            } else {
                /* rough fallback: the page's first /song/<uuid> */
                const char *s = strstr(resp.body, "/song/");
                if (s && take_uuid(s + 6, id)) {
                    *page = resp.body;
                    resp.body = NULL;
                }
            }
            if (*page) {
                mv_dl_response_free(&resp);
                free(url);
                return MAIVID_OK;
            }
        }
        snprintf(detail, sizeof detail, "the share link answered %ld", resp.status);
        mv_dl_response_free(&resp);
    } else {
        mv_strlcpy(detail, err ? err->message : "the share link failed", sizeof detail);
    }
    free(url);
    /* the share-code API */
    url = mv_strdup_printf("%s/api/share/code/%s", api_base(cfg), code);
    rc = get_text(cfg, url, 0, "application/json", task, &resp, err);
    free(url);
    if (rc == MAIVID_E_CANCELLED || rc == MAIVID_E_POLICY)
        return rc;
    int ok = 0;
    if (rc == MAIVID_OK && resp.status == 200) {
        cJSON *j = mv_json_parse(resp.body);
        const cJSON *cid = cJSON_GetObjectItemCaseSensitive(j, "content_id");
        ok = cJSON_IsString(cid) && take_uuid(cid->valuestring, id);
        cJSON_Delete(j);
    }
    mv_dl_response_free(&resp);
    if (ok)
        return MAIVID_OK;
    return mv_fail(err, MAIVID_E_FETCH,
                   "the Suno share link /s/%s could not be resolved to a song (%s; the "
                   "share-code API did not name one either): the link may be wrong or "
                   "expired; open it in a browser and pass the /song/<id> link it shows",
                   code, detail);
}

/* Fallback for era A/B pages: meta tags only. */
static int clip_from_meta(const char *html, const char *id, mv_suno_clip *clip)
{
    memset(clip, 0, sizeof *clip);
    char *audio = mv_html_meta(html, "og:audio");
    if (!audio)
        audio = mv_html_meta(html, "twitter:player:stream");
    char *video = mv_html_meta(html, "og:video:url");
    if (!video)
        video = mv_html_meta(html, "og:video");
    if (audio && strstr(audio, "sil-100.mp3")) {
        free(audio);
        audio = NULL;
    }
    if (!audio && !video)
        return 0;
    mv_strlcpy(clip->id, id, sizeof clip->id);
    clip->audio_url = audio;
    clip->video_url = video;
    clip->image_url = mv_html_meta(html, "og:image");
    char *title = mv_html_meta(html, "og:title");
    if (!title)
        title = mv_html_title(html);
    if (title) {
        /* "<Title> | Suno", "<Title> by @handle | Suno": split at the LAST " by " */
        char *bar = strstr(title, " | Suno");
        if (bar)
            *bar = '\0';
        char *by = NULL;
        for (char *p = strstr(title, " by "); p; p = strstr(p + 1, " by "))
            by = p;
        if (by && by[4]) {
            clip->artist = mv_strdup(by[4] == '@' ? by + 5 : by + 4);
            *by = '\0';
        }
        clip->title = trim_owned(title);
    }
    char *desc = mv_html_meta(html, "og:description");
    if (desc) {
        char *cut = strstr(desc, " song. Listen");
        if (cut) {
            *cut = '\0';
            clip->tags = trim_owned(desc);
        } else {
            free(desc);
        }
    }
    clip->from_page = 1;
    return 1;
}

static int trusted_media_url(const mv_fetch_config *cfg, const char *url)
{
    if (!url || !*url || strstr(url, "/api/forbidden") || strstr(url, "audiopipe.") ||
        strstr(url, "sil-100.mp3"))
        return 0;
    if (strncasecmp(url, "https://", 8) != 0 && strncasecmp(url, "http://", 7) != 0)
        return 0;
    const char *bases[] = {cdn_base(cfg), api_base(cfg), web_base(cfg)};
    for (size_t i = 0; i < 3; i++)
        if (strncasecmp(url, bases[i], strlen(bases[i])) == 0)
            return 1;
    CURLU *u = curl_url();
    char *host = NULL;
    int ok = 0;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
        static const char *const suffixes[] = {".suno.ai", ".suno.com", ".cloudfront.net"};
        size_t hl = strlen(host);
        for (size_t i = 0; i < 3 && !ok; i++) {
            size_t sl = strlen(suffixes[i]);
            ok = (hl > sl && strcasecmp(host + hl - sl, suffixes[i]) == 0) ||
                 strcasecmp(host, suffixes[i] + 1) == 0;
        }
    }
    curl_free(host);
    curl_url_cleanup(u);
    return ok;
}

typedef struct ladder_report {
    char text[900];
    int decoy, mp3_missing_key, video_missing;
} ladder_report;

static void note(ladder_report *r, const char *what, const char *result)
{
    size_t n = strlen(r->text);
    snprintf(r->text + n, sizeof r->text - n, "%s%s: %s", n ? "; " : "", what, result);
}

/* Tries one rung; returns MAIVID_OK when the audio is in place, a fatal code to stop, or
 * MAIVID_E_FETCH/_MEDIA to go on. */
static maivid_code try_rung(const mv_fetch_config *cfg, const char *what, const char *url,
                            const char *dir, mv_song *song, const mv_task *task,
                            ladder_report *r, int is_mp3_guess, int is_video, mv_error *err)
{
    mv_dl_response resp;
    mv_error e;
    mv_error_clear(&e);
    maivid_code rc = mv_fetch_media(cfg, url, dir, &song->audio_path, &resp, task, 0.1, 0.85, &e);
    if (rc == MAIVID_OK) {
        mv_dl_response_free(&resp);
        return rc;
    }
    if (rc == MAIVID_E_CANCELLED || rc == MAIVID_E_POLICY || rc == MAIVID_E_IO) {
        mv_dl_response_free(&resp);
        return mv_fail(err, rc, "%s", e.message);
    }
    char result[300];
    if (resp.status >= 400) {
        int missing_key = resp.body && strstr(resp.body, "MissingKey") != NULL;
        if (missing_key && is_mp3_guess)
            r->mp3_missing_key = 1;
        if (is_video)
            r->video_missing = 1;
        snprintf(result, sizeof result, "answered %ld%s", resp.status,
                 missing_key ? " MissingKey (signed URLs only)" :
                 (resp.body && strstr(resp.body, "AccessDenied") ? " AccessDenied" : ""));
    } else {
        snprintf(result, sizeof result, "%.280s", e.message);
    }
    note(r, what, result);
    mv_dl_response_free(&resp);
    return MAIVID_E_FETCH;
}

static maivid_code audio_ladder(const mv_fetch_config *cfg, const mv_suno_clip *clip,
                                const char *dir, mv_song *song, const mv_task *task,
                                mv_error *err)
{
    ladder_report r;
    memset(&r, 0, sizeof r);
    maivid_code rc = MAIVID_E_FETCH;
    char *mp3 = mv_strdup_printf("%s/%s.mp3", cdn_base(cfg), clip->id);
    char *mp4 = mv_strdup_printf("%s/%s.mp4", cdn_base(cfg), clip->id);
    /* 1. a real audio_url */
    if (clip->audio_url && strstr(clip->audio_url, "/api/forbidden"))
        r.decoy = 1;
    if (trusted_media_url(cfg, clip->audio_url))
        rc = try_rung(cfg, "audio_url", clip->audio_url, dir, song, task, &r,
                      strcasecmp(clip->audio_url, mp3) == 0, 0, err);
    /* 2. the CDN mp3 */
    if (rc == MAIVID_E_FETCH && (!clip->audio_url || strcasecmp(clip->audio_url, mp3) != 0))
        rc = try_rung(cfg, "CDN mp3", mp3, dir, song, task, &r, 1, 0, err);
    /* 3. unencrypted media_urls */
    for (size_t i = 0; rc == MAIVID_E_FETCH && i < clip->media_url_count; i++)
        if (trusted_media_url(cfg, clip->media_urls[i]))
            rc = try_rung(cfg, "media URL", clip->media_urls[i], dir, song, task, &r, 0, 0, err);
    /* 4. the public video's audio */
    const char *video = trusted_media_url(cfg, clip->video_url) ? clip->video_url : mp4;
    if (rc == MAIVID_E_FETCH)
        rc = try_rung(cfg, "mp4 video", video, dir, song, task, &r, 0, 1, err);
    if (rc == MAIVID_E_FETCH && video != mp4 && strcasecmp(video, mp4) != 0)
        rc = try_rung(cfg, "CDN mp4", mp4, dir, song, task, &r, 0, 1, err);
    free(mp3);
    free(mp4);
    if (rc != MAIVID_E_FETCH)
        return rc;
    if (r.decoy || r.mp3_missing_key)
        return mv_fail(err, MAIVID_E_FETCH,
                       "Suno withholds the audio of song %s from signed-out users (%s%s%s%s); "
                       "download the song from Suno while signed in and pass the audio file, "
                       "or pass a direct audio URL. Details: %s", clip->id,
                       r.decoy ? "audio_url is the /api/forbidden placeholder, " : "",
                       r.mp3_missing_key ? "the mp3 is only served with signed URLs (403 "
                                           "MissingKey), " : "the mp3 was not served, ",
                       clip->encrypted_media ? "the m4a stream is encrypted, " : "",
                       r.video_missing ? "and the song has no public video"
                                       : "and its video could not be used", r.text);
    return mv_fail(err, MAIVID_E_FETCH,
                   "no audio could be fetched for Suno song %s (%s); pass the audio file or a "
                   "direct audio URL", clip->id, r.text);
}

static char *dup_nonempty(const char *s)
{
    return s && *s ? mv_strdup(s) : NULL;
}

maivid_code mv_suno_fetch(const mv_fetch_config *cfg, const char *url, const char *source_dir,
                          mv_song *song, const mv_task *task, mv_error *err)
{
    char value[64];
    mv_suno_link_kind kind = mv_suno_classify(cfg, url, value);
    if (kind == MV_SUNO_HOOK)
        return mv_fail(err, MAIVID_E_FETCH,
                       "Suno hook links (/hook/...) are short clips, not songs, and do not name "
                       "their song; open the hook on Suno and pass the link of the full song "
                       "(suno.com/song/<id>) or its share link");
    if (kind != MV_SUNO_SONG && kind != MV_SUNO_SHARE)
        return mv_fail(err, MAIVID_E_FETCH,
                       "this Suno link is not a song (playlists, profiles and other pages are "
                       "not supported); pass a song link (suno.com/song/<id>) or a share link "
                       "(suno.com/s/<code>)");
    char id[40];
    char *page = NULL;
    maivid_code rc = MAIVID_OK;
    mv_task_progress(task, 0.01, "Resolving the Suno link");
    if (kind == MV_SUNO_SHARE) {
        rc = resolve_share(cfg, value, id, &page, task, err);
        if (rc != MAIVID_OK)
            return rc;
    } else {
        mv_strlcpy(id, value, sizeof id);
    }

    /* metadata: the clip API, then the page's flight data, then its meta tags */
    mv_suno_clip clip;
    memset(&clip, 0, sizeof clip);
    int have = 0;
    long api_status = 0, page_status = 0;
    char api_problem[400] = "";
    char *api_url = mv_strdup_printf("%s/api/clip/%s", api_base(cfg), id);
    mv_dl_response resp;
    mv_error e;
    mv_error_clear(&e);
    rc = get_text(cfg, api_url, 0, "application/json", task, &resp, &e);
    free(api_url);
    if (rc == MAIVID_E_CANCELLED || rc == MAIVID_E_POLICY) {
        free(page);
        return mv_fail(err, rc, "%s", e.message);
    }
    if (rc == MAIVID_OK) {
        api_status = resp.status;
        if (resp.status == 200) {
            cJSON *j = mv_json_parse(resp.body);
            /* the API's answer may be the clip itself or wrap it */
            const cJSON *o = cJSON_IsObject(j) && cJSON_GetObjectItemCaseSensitive(j, "id")
                                 ? j : find_clip(j, id, 0);
            have = o && mv_suno_clip_from_json(o, NULL, NULL, &clip);
            cJSON_Delete(j);
        }
        snprintf(api_problem, sizeof api_problem, "the clip API answered %ld%s", resp.status,
                 resp.status == 200 && !have ? " without a clip" : "");
        mv_dl_response_free(&resp);
    } else {
        snprintf(api_problem, sizeof api_problem, "the clip API failed: %.300s", e.message);
    }
    if (!have) {
        if (!page) {
            char *page_url = mv_strdup_printf("%s/song/%s", web_base(cfg), id);
            mv_error_clear(&e);
            rc = get_text(cfg, page_url, 0, NULL, task, &resp, &e);
            free(page_url);
            if (rc == MAIVID_E_CANCELLED || rc == MAIVID_E_POLICY)
                return mv_fail(err, rc, "%s", e.message);
            if (rc == MAIVID_OK) {
                page_status = resp.status;
                if (resp.status == 200) {
                    page = resp.body;
                    resp.body = NULL;
                }
                mv_dl_response_free(&resp);
            }
        }
        if (page)
            have = mv_suno_parse_page(page, id, &clip) || clip_from_meta(page, id, &clip);
    }
    free(page);
    if (!have) {
        if (api_status == 404 || page_status == 404 || (page_status == 200 || api_status == 403))
            return mv_fail(err, MAIVID_E_FETCH,
                           "Suno shows no public song with id %s (%s; the song page has no "
                           "song data): the song is private, deleted, or the link is wrong; "
                           "make it public on Suno, or pass the audio file", id, api_problem);
        return mv_fail(err, MAIVID_E_FETCH,
                       "Suno could not be reached for song %s (%s; the song page could not be "
                       "loaded either); check the network and try again later, or pass the "
                       "audio file", id, api_problem);
    }
    if (clip.status && *clip.status && strcmp(clip.status, "complete") != 0) {
        rc = mv_fail(err, MAIVID_E_FETCH,
                     "the Suno song %s is not finished (status \"%s\"); wait until Suno has "
                     "generated it and try again", id,
                     clip.status);
        mv_suno_clip_free(&clip);
        return rc;
    }

    rc = audio_ladder(cfg, &clip, source_dir, song, task, err);
    if (rc == MAIVID_OK) {
        song->source_kind = mv_strdup("suno");
        song->song_id = mv_strdup(id);
        song->title = dup_nonempty(clip.title);
        song->artist = dup_nonempty(clip.artist ? clip.artist : clip.handle);
        song->tags = dup_nonempty(clip.tags);
        song->lyrics = dup_nonempty(clip.lyrics);
        song->duration = clip.duration;
        if (clip.image_url)
            song->cover_path = mv_fetch_cover(cfg, clip.image_url, source_dir, task);
    }
    mv_suno_clip_free(&clip);
    return rc;
}
