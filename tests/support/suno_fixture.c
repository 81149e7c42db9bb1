/*
 * suno_fixture.c - builds Suno's responses per era (clip JSON, song pages with meta tags or
 * Next.js flight chunks, CDN answers including 403 MissingKey and encrypted m4a bytes) and
 * serves them through ingest_http_fixture.
 */
#include "suno_fixture.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char missing_key[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>MissingKey</Code><Message>Missing "
    "Key-Pair-Id query parameter or cookie value</Message></Error>";
static const uint8_t jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0,
                               0, 1, 0, 1, 0, 0, 0xff, 0xd9};

static cJSON *make_clip(const suno_fixture *f, const char *id, const char *title,
                        const char *artist, const char *prompt)
{
    char url[256];
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "status", "complete");
    cJSON_AddStringToObject(c, "title", title);
    cJSON_AddStringToObject(c, "id", id);
    cJSON_AddStringToObject(c, "entity_type", "song_schema");
    snprintf(url, sizeof url, "%s/%s.mp4", f->cdn, id);
    cJSON_AddStringToObject(c, "video_url", url);
    if (f->era == 'D') {
        snprintf(url, sizeof url, "%s/api/forbidden", f->api);
        cJSON_AddStringToObject(c, "audio_url", url);
        cJSON *media = cJSON_AddArrayToObject(c, "media_urls");
        cJSON *m = cJSON_CreateObject();
        char cf[256];
        snprintf(cf, sizeof cf, "%s/../cf/1/clip/%s.m4a", f->cdn, id);
        cJSON_AddStringToObject(m, "url", cf);
        cJSON_AddStringToObject(m, "content_type", "m4a-opus");
        cJSON_AddStringToObject(m, "delivery", "progressive");
        cJSON_AddStringToObject(m, "encoding", "1.0.0");
        cJSON_AddItemToArray(media, m);
    } else {
        snprintf(url, sizeof url, "%s/%s.mp3", f->cdn, id);
        cJSON_AddStringToObject(c, "audio_url", url);
    }
    snprintf(url, sizeof url, "%s/../cdn2/image_large_%s.jpeg", f->cdn, id);
    cJSON_AddStringToObject(c, "image_large_url", url);
    cJSON_AddStringToObject(c, "major_model_version", "v5");
    cJSON *meta = cJSON_AddObjectToObject(c, "metadata");
    cJSON_AddStringToObject(meta, "tags", "synthwave, dreamy female vocals\nslow");
    cJSON_AddStringToObject(meta, "prompt", prompt);
    cJSON_AddStringToObject(meta, "type", "gen");
    cJSON_AddNumberToObject(meta, "duration", 187.36);
    cJSON_AddStringToObject(c, "display_name", artist);
    cJSON_AddStringToObject(c, "handle", "hoanglan");
    cJSON_AddBoolToObject(c, "is_public", 1);
    return c;
}

char *suno_fixture_clip_json(const suno_fixture *f)
{
    cJSON *c = make_clip(f, SUNO_FIX_ID, "Neon Rain ", "Lan", SUNO_FIX_LYRICS);
    char *s = cJSON_PrintUnformatted(c);
    cJSON_Delete(c);
    return s;
}

typedef struct buf { char *p; size_t n, cap; } buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}
static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

/* One <script>self.__next_f.push([1,"..."])</script>, escaped as Next.js does. */
static void push_chunk(buf *b, const char *text, size_t n)
{
    char *copy = strndup(text, n);
    cJSON *s = cJSON_CreateString(copy);
    char *json = cJSON_PrintUnformatted(s);
    puts_(b, "<script>self.__next_f.push([1,");
    for (const char *p = json; *p; p++) {
        if (*p == '<') puts_(b, "\\u003c");
        else if (*p == '>') puts_(b, "\\u003e");
        else if (*p == '&') puts_(b, "\\u0026");
        else put(b, p, 1);
    }
    puts_(b, "])</script>\n");
    free(json);
    cJSON_Delete(s);
    free(copy);
}

char *suno_fixture_page(const suno_fixture *f)
{
    buf b = {0};
    char line[1024];
    puts_(&b, "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"/>");
    if (f->era == 'A' || f->era == 'B') {
        if (f->era == 'A')
            puts_(&b, "<title>Neon Rain | Suno</title><meta property=\"og:title\" "
                      "content=\"Neon Rain | Suno\"/>");
        else
            puts_(&b, "<title>Neon Rain by @hoanglan | Suno</title><meta content=\"Neon Rain "
                      "by @hoanglan | Suno\" property=\"og:title\"/>");
        puts_(&b, "<meta property=\"og:description\" content=\"synthwave, dreamy song. Listen "
                  "and make your own with Suno.\"/>");
        snprintf(line, sizeof line, "<meta property=\"og:audio\" content=\"%s/%s.mp3\"/>"
                 "<meta property=\"og:video:url\" content=\"%s/%s.mp4\"/>"
                 "<meta property=\"og:image\" content=\"%s/../cdn2/image_large_%s.jpeg\"/>",
                 f->cdn, SUNO_FIX_ID, f->cdn, SUNO_FIX_ID, f->cdn, SUNO_FIX_ID);
        puts_(&b, line);
        puts_(&b, "</head><body><div id=\"player\"></div></body></html>");
        return b.p;
    }
    puts_(&b, "<title>Neon Rain by Lan | Suno</title>"
              "<meta name=\"description\" content=\"Neon Rain by Lan (@hoanglan). Listen and "
              "make your own on Suno.\"/><meta property=\"og:title\" content=\"Neon Rain\"/>"
              "<meta property=\"og:description\" content=\"Listen and make your own on "
              "Suno.\"/>");
    snprintf(line, sizeof line, "<meta property=\"og:image\" content=\"%s/../cdn2/image_large_"
             "%s.jpeg\"/></head><body><audio src=\"%s/sil-100.mp3\"></audio>\n", f->cdn,
             SUNO_FIX_ID, f->cdn);
    puts_(&b, line);
    puts_(&b, "<script>(self.__next_f=self.__next_f||[]).push([0])</script>\n");
    if (f->private_song) { /* the anonymous page shows no clip record */
        push_chunk(&b, "1:\"$Sreact.fragment\"\n", 21);
        puts_(&b, "</body></html>");
        return b.p;
    }
    /* the flight text: a similar clip first, then the T row, then the real clip */
    buf fl = {0};
    puts_(&fl, "1:\"$Sreact.fragment\"\n2:I[48123,[\"static/chunks/app.js\"],\"ClientRoot\"]\n");
    cJSON *other = make_clip(f, SUNO_FIX_OTHER_ID, "Walrus Rider", "Stei Camel", "Ohhhh!!");
    cJSON *wrap = cJSON_CreateArray();
    cJSON_AddItemToArray(wrap, cJSON_CreateString("$"));
    cJSON_AddItemToArray(wrap, cJSON_CreateString("div"));
    cJSON_AddItemToArray(wrap, cJSON_CreateNull());
    cJSON *props = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(props, "similar");
    cJSON_AddItemToArray(list, other);
    cJSON_AddItemToArray(wrap, props);
    char *row = cJSON_PrintUnformatted(wrap);
    puts_(&fl, "30:");
    puts_(&fl, row);
    puts_(&fl, "\n");
    free(row);
    cJSON_Delete(wrap);
    snprintf(line, sizeof line, "3d:T%zx,", strlen(SUNO_FIX_LYRICS));
    puts_(&fl, line);
    puts_(&fl, SUNO_FIX_LYRICS); /* no newline after a T row */
    cJSON *clip = make_clip(f, SUNO_FIX_ID, "Neon Rain", "Lan", "$3d");
    wrap = cJSON_CreateArray();
    cJSON_AddItemToArray(wrap, cJSON_CreateString("$"));
    cJSON_AddItemToArray(wrap, cJSON_CreateString("$L51"));
    cJSON_AddItemToArray(wrap, cJSON_CreateNull());
    props = cJSON_CreateObject();
    cJSON_AddItemToObject(props, "clip", clip);
    cJSON_AddItemToArray(wrap, props);
    row = cJSON_PrintUnformatted(wrap);
    puts_(&fl, "41:");
    puts_(&fl, row);
    puts_(&fl, "\n42:[\"$\",\"title\",\"0\",{\"children\":\"Neon Rain by Lan | Suno\"}]\n");
    free(row);
    cJSON_Delete(wrap);
    if (f->split_rows) {
        size_t step = 37, at = 0;
        while (at < fl.n) {
            size_t n = fl.n - at < step ? fl.n - at : step;
            while (at + n < fl.n && (fl.p[at + n] & 0xc0) == 0x80)
                n++; /* whole UTF-8 characters per chunk */
            push_chunk(&b, fl.p + at, n);
            at += n;
        }
    } else {
        push_chunk(&b, fl.p, fl.n);
    }
    free(fl.p);
    puts_(&b, "</body></html>");
    return b.p;
}

static int path_is(const char *path, const char *prefix, const char *rest)
{
    size_t pl = strlen(prefix);
    return strncmp(path, prefix, pl) == 0 && strncmp(path + pl, rest, strlen(rest)) == 0;
}

static void text_reply(ingest_http_reply *r, int status, const char *ct, char *owned)
{
    r->status = status;
    r->content_type = ct;
    r->owned = owned;
    r->body_len = strlen(owned);
}

static void handle(void *user, const ingest_http_req *q, ingest_http_reply *r)
{
    const suno_fixture *f = user;
    const char *p = q->path;
    char tmp[256];
    if (strcmp(q->method, "HEAD") == 0) { /* CloudFront refuses HEAD */
        r->status = 403;
        return;
    }
    if (path_is(p, "/web/s/", SUNO_FIX_CODE)) {
        if (f->share_mode == 200) {
            text_reply(r, 200, "text/html; charset=utf-8", suno_fixture_page(f));
            r->chunked = 1;
            r->piece = 1000;
            snprintf(r->headers, sizeof r->headers, "X-Matched-Path: /song/[slug]\r\n");
        } else if (f->share_mode == 404) {
            text_reply(r, 404, "text/html", strdup("<html>not found</html>"));
        } else {
            r->status = 307;
            snprintf(r->headers, sizeof r->headers, "Location: /web/song/%s?sh=%s\r\n",
                     SUNO_FIX_ID, SUNO_FIX_CODE);
        }
        return;
    }
    if (path_is(p, "/api/api/share/code/", SUNO_FIX_CODE)) {
        if (f->share_api_ok) {
            snprintf(tmp, sizeof tmp, "{\"content_id\":\"%s\"}", SUNO_FIX_ID);
            text_reply(r, 200, "application/json", strdup(tmp));
        } else {
            text_reply(r, 404, "application/json", strdup("{\"detail\":\"Not found.\"}"));
        }
        return;
    }
    if (path_is(p, "/api/api/clip/", SUNO_FIX_ID)) {
        if (f->api_down)
            text_reply(r, 503, "text/html", strdup("<html>Service Unavailable</html>"));
        else if (f->private_song || f->era == 'A' || f->era == 'B')
            text_reply(r, 404, "application/json", strdup("{\"detail\":\"Not found.\"}"));
        else
            text_reply(r, 200, "application/json", suno_fixture_clip_json(f));
        return;
    }
    if (path_is(p, "/web/song/", SUNO_FIX_ID) || path_is(p, "/web/embed/", SUNO_FIX_ID)) {
        text_reply(r, 200, "text/html; charset=utf-8", suno_fixture_page(f));
        if (f->chunked) {
            r->chunked = 1;
            r->piece = 700;
        }
        return;
    }
    if (path_is(p, "/cdn1/", SUNO_FIX_ID ".mp3")) {
        if (f->mp3_is_html) {
            text_reply(r, 200, "audio/mpeg", strdup("<!DOCTYPE html><html><body>Please sign "
                                                   "in</body></html>"));
        } else if (f->era == 'D' || !f->mp3) {
            text_reply(r, 403, "text/xml", strdup(missing_key));
        } else {
            r->status = 200;
            r->content_type = "audio/mpeg";
            r->body = f->mp3;
            r->body_len = f->mp3_len;
            snprintf(r->headers, sizeof r->headers, "Accept-Ranges: bytes\r\n");
        }
        return;
    }
    if (path_is(p, "/cdn1/", SUNO_FIX_ID ".mp4")) {
        if ((f->era == 'D' && !f->video_available) || !f->mp4) {
            text_reply(r, 403, "text/xml", strdup("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<Error><Code>AccessDenied</Code><Message>Access Denied</Message>"
                       "</Error>"));
        } else {
            r->status = 200;
            r->content_type = "video/mp4";
            r->body = f->mp4;
            r->body_len = f->mp4_len;
        }
        return;
    }
    if (path_is(p, "/cf/1/clip/", SUNO_FIX_ID)) { /* encrypted: no ftyp, random-looking */
        uint8_t *enc = malloc(4096);
        uint32_t x = 0x415faca9u;
        for (int i = 0; i < 4096; i++) {
            x = x * 1664525u + 1013904223u;
            enc[i] = (uint8_t)(x >> 24);
        }
        enc[0] = 0x41;
        enc[1] = 0x5f;
        r->status = 200;
        r->content_type = "audio/mp4";
        r->owned = enc;
        r->body_len = 4096;
        return;
    }
    if (strncmp(p, "/cdn2/image_large_", 18) == 0) {
        r->status = 200;
        r->content_type = "image/jpeg";
        r->body = jpeg;
        r->body_len = sizeof jpeg;
        return;
    }
}

/* The scenario's reply, cut short into a stall when its path is the one to stall. */
static void handle_stalling(void *user, const ingest_http_req *q, ingest_http_reply *r)
{
    const suno_fixture *f = user;
    handle(user, q, r);
    if (f->stall_path && strncmp(q->path, f->stall_path, strlen(f->stall_path)) == 0) {
        r->stall = 1;
        r->stall_after = f->stall_bytes;
    }
}

int suno_fixture_start(suno_fixture *f)
{
    f->server = ingest_http_start(handle_stalling, f);
    if (!f->server)
        return -1;
    int port = ingest_http_port(f->server);
    snprintf(f->web, sizeof f->web, "http://127.0.0.1:%d/web", port);
    snprintf(f->api, sizeof f->api, "http://127.0.0.1:%d/api", port);
    snprintf(f->cdn, sizeof f->cdn, "http://127.0.0.1:%d/cdn1", port);
    return 0;
}

void suno_fixture_stop(suno_fixture *f)
{
    ingest_http_stop(f->server);
    f->server = NULL;
}
