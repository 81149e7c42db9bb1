/*
 * page.c - reads what an ordinary web page says about its audio: Open Graph and Twitter
 * meta tags (og:audio, og:video, twitter:player:stream, og:image, og:title), <title>, and
 * <audio>/<source> elements; attributes in any order, name= or property=, HTML entities
 * decoded, relative URLs resolved against the page.
 */
#include "ingest/mv_ingest_internal.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *find_ci(const char *hay, const char *end, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = hay; p && p + n <= end; p++)
        if (strncasecmp(p, needle, n) == 0)
            return p;
    return NULL;
}

static size_t put_utf8(char *out, unsigned long cp)
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) { out[0] = (char)(0xc0 | (cp >> 6)); out[1] = (char)(0x80 | (cp & 0x3f)); return 2; }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12)); out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f)); return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18)); out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f)); out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

char *mv_html_unescape(char *s)
{
    if (!s)
        return s;
    static const struct { const char *name; const char *text; } named[] = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"},
        {"&nbsp;", " "},
    };
    char *w = s;
    for (const char *r = s; *r;) {
        if (*r == '&') {
            int done = 0;
            for (size_t i = 0; i < sizeof named / sizeof named[0] && !done; i++) {
                size_t n = strlen(named[i].name);
                if (strncmp(r, named[i].name, n) == 0) {
                    *w++ = named[i].text[0];
                    r += n;
                    done = 1;
                }
            }
            if (!done && r[1] == '#') {
                char *endp = NULL;
                unsigned long cp = (r[2] == 'x' || r[2] == 'X') ? strtoul(r + 3, &endp, 16)
                                                                 : strtoul(r + 2, &endp, 10);
                if (endp && *endp == ';' && cp > 0 && cp < 0x110000 && endp > r + 2) {
                    w += put_utf8(w, cp); /* never longer than the entity it replaces */
                    r = endp + 1;
                    done = 1;
                }
            }
            if (done)
                continue;
        }
        *w++ = *r++;
    }
    *w = '\0';
    return s;
}

/* The value of attribute `attr` inside the tag text [tag, end), malloc'd, or NULL. */
static char *tag_attr(const char *tag, const char *end, const char *attr)
{
    size_t an = strlen(attr);
    const char *p = tag;
    while (p < end && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' && *p != '/')
        p++; /* skip the element name */
    while (p < end) {
        while (p < end && (isspace((unsigned char)*p) || *p == '/'))
            p++;
        const char *name = p;
        while (p < end && *p != '=' && !isspace((unsigned char)*p) && *p != '>' && *p != '/')
            p++;
        size_t name_len = (size_t)(p - name);
        while (p < end && isspace((unsigned char)*p))
            p++;
        const char *val = NULL;
        size_t val_len = 0;
        if (p < end && *p == '=') {
            p++;
            while (p < end && isspace((unsigned char)*p))
                p++;
            if (p < end && (*p == '"' || *p == '\'')) {
                char q = *p++;
                val = p;
                while (p < end && *p != q)
                    p++;
                val_len = (size_t)(p - val);
                if (p < end)
                    p++;
            } else {
                val = p;
                while (p < end && !isspace((unsigned char)*p) && *p != '>')
                    p++;
                val_len = (size_t)(p - val);
            }
        }
        if (name_len == 0) {
            if (p < end)
                p++;
            continue;
        }
        if (name_len == an && strncasecmp(name, attr, an) == 0) {
            if (!val)
                return mv_strdup("");
            char *out = malloc(val_len + 1);
            if (!out)
                return NULL;
            memcpy(out, val, val_len);
            out[val_len] = '\0';
            return mv_html_unescape(out);
        }
    }
    return NULL;
}

char *mv_html_meta(const char *html, const char *name)
{
    if (!html || !name)
        return NULL;
    const char *end = html + strlen(html);
    for (const char *p = find_ci(html, end, "<meta"); p; p = find_ci(p + 5, end, "<meta")) {
        const char *close = strchr(p, '>');
        if (!close)
            break;
        char *key = tag_attr(p, close, "property");
        if (!key)
            key = tag_attr(p, close, "name");
        int match = key && strcasecmp(key, name) == 0;
        free(key);
        if (match) {
            char *content = tag_attr(p, close, "content");
            if (content && *content)
                return content;
            free(content);
        }
    }
    return NULL;
}

char *mv_html_title(const char *html)
{
    if (!html)
        return NULL;
    const char *end = html + strlen(html);
    const char *t = find_ci(html, end, "<title");
    if (!t)
        return NULL;
    const char *gt = strchr(t, '>');
    if (!gt)
        return NULL;
    const char *close = find_ci(gt, end, "</title");
    if (!close)
        return NULL;
    const char *a = gt + 1;
    while (a < close && isspace((unsigned char)*a))
        a++;
    const char *b = close;
    while (b > a && isspace((unsigned char)b[-1]))
        b--;
    if (b <= a)
        return NULL;
    char *out = malloc((size_t)(b - a) + 1);
    if (!out)
        return NULL;
    memcpy(out, a, (size_t)(b - a));
    out[b - a] = '\0';
    return mv_html_unescape(out);
}

char *mv_html_audio_src(const char *html)
{
    if (!html)
        return NULL;
    const char *end = html + strlen(html);
    const char *elements[] = {"<audio", "<source"};
    for (size_t e = 0; e < 2; e++) {
        for (const char *p = find_ci(html, end, elements[e]); p;
             p = find_ci(p + 1, end, elements[e])) {
            const char *close = strchr(p, '>');
            if (!close)
                break;
            char *type = tag_attr(p, close, "type");
            int wrong = type && strncasecmp(type, "audio/", 6) != 0 &&
                        strncasecmp(type, "video/", 6) != 0;
            free(type);
            char *src = wrong ? NULL : tag_attr(p, close, "src");
            if (src && *src)
                return src;
            free(src);
        }
    }
    return NULL;
}

char *mv_url_resolve(const char *base, const char *ref)
{
    if (!ref || !*ref)
        return NULL;
    CURLU *u = curl_url();
    char *full = NULL, *out = NULL;
    if (u && (!base || curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK) &&
        curl_url_set(u, CURLUPART_URL, ref, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_URL, &full, 0) == CURLUE_OK)
        out = mv_strdup(full);
    curl_free(full);
    curl_url_cleanup(u);
    return out;
}

size_t mv_page_media_urls(const char *html, const char *page_url, char **out, size_t max)
{
    static const char *const audio_tags[] = {"og:audio", "og:audio:url", "og:audio:secure_url",
                                             "twitter:player:stream"};
    static const char *const video_tags[] = {"og:video", "og:video:url", "og:video:secure_url"};
    char *found[12];
    size_t nf = 0;
    for (size_t i = 0; i < 4; i++)
        found[nf++] = mv_html_meta(html, audio_tags[i]);
    found[nf++] = mv_html_audio_src(html);
    for (size_t i = 0; i < 3; i++)
        found[nf++] = mv_html_meta(html, video_tags[i]);
    size_t n = 0;
    for (size_t i = 0; i < nf; i++) {
        char *abs = found[i] ? mv_url_resolve(page_url, found[i]) : NULL;
        free(found[i]);
        /* Suno's silent placeholder player source is never the song */
        int skip = !abs || strstr(abs, "sil-100.mp3") != NULL || n >= max;
        for (size_t k = 0; k < n && !skip; k++)
            skip = strcmp(out[k], abs) == 0;
        if (skip)
            free(abs);
        else
            out[n++] = abs;
    }
    return n;
}
