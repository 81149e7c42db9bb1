/*
 * queue_url.c - reads the shared queue's URL, redis://[[user]:password@]host[:port][/db]
 * (password and user percent-decoded; [v6] hosts in brackets). Errors name the part that is
 * wrong and the fix, never the password.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queue/mv_queue.h"

#define MV_QUEUE_URL_HELP "write it as redis://[:password@]host[:port][/db]"

/* Percent-decodes src[0..len) into out; 0 on a bad escape or when it does not fit. */
static int mv_url_decode(const char *src, size_t len, char *out, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = src[i];
        if (c == '%') {
            if (i + 2 >= len || !isxdigit((unsigned char)src[i + 1]) ||
                !isxdigit((unsigned char)src[i + 2]))
                return 0;
            char hex[3] = {src[i + 1], src[i + 2], 0};
            c = (char)strtol(hex, NULL, 16);
            i += 2;
            if (c == 0)
                return 0;
        }
        if (n + 1 >= size)
            return 0;
        out[n++] = c;
    }
    out[n] = 0;
    return 1;
}

/* A whole decimal number in [lo, hi] from s[0..len); -1 otherwise. */
static long mv_url_number(const char *s, size_t len, long lo, long hi)
{
    if (len == 0 || len > 9)
        return -1;
    long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v < lo || v > hi ? -1 : v;
}

static maivid_code mv_url_userinfo(const char *s, size_t len, mv_queue_url *out, mv_error *err)
{
    const char *colon = memchr(s, ':', len);
    size_t user_len = colon ? (size_t)(colon - s) : 0;
    const char *pw = colon ? colon + 1 : s;
    size_t pw_len = colon ? len - user_len - 1 : len; /* "redis://secret@host": a password */
    if (!mv_url_decode(s, user_len, out->user, sizeof out->user) ||
        !mv_url_decode(pw, pw_len, out->password, sizeof out->password))
        return mv_fail(err, MAIVID_E_INVALID, "the queue URL's user or password is too long or "
                       "has a bad %%-escape: %s", MV_QUEUE_URL_HELP);
    return MAIVID_OK;
}

maivid_code mv_queue_url_parse(const char *url, mv_queue_url *out, mv_error *err)
{
    memset(out, 0, sizeof *out);
    out->port = 6379;
    if (!url || !*url)
        return mv_fail(err, MAIVID_E_INVALID, "the queue URL is empty: %s", MV_QUEUE_URL_HELP);
    if (strncmp(url, "rediss://", 9) == 0)
        return mv_fail(err, MAIVID_E_UNSUPPORTED, "TLS (rediss://) is not available: this "
                       "build's hiredis has no TLS support; reach Redis over a trusted network "
                       "or a TLS tunnel (stunnel) and use redis://");
    if (strncmp(url, "redis://", 8) != 0)
        return mv_fail(err, MAIVID_E_INVALID, "the queue URL must start with redis://: %s",
                       MV_QUEUE_URL_HELP);
    const char *p = url + 8;
    const char *end = p + strcspn(p, "/?#");
    const char *at = NULL;
    for (const char *c = p; c < end; c++)
        if (*c == '@')
            at = c; /* the last one: a password may hold an escaped or plain '@' */
    if (at) {
        maivid_code rc = mv_url_userinfo(p, (size_t)(at - p), out, err);
        if (rc != MAIVID_OK)
            return rc;
        p = at + 1;
    }
    const char *host = p, *host_end, *port = NULL;
    if (*p == '[') {
        host = p + 1;
        host_end = memchr(host, ']', (size_t)(end - host));
        if (!host_end)
            return mv_fail(err, MAIVID_E_INVALID, "the queue URL's [IPv6] host has no ']': %s",
                           MV_QUEUE_URL_HELP);
        if (host_end + 1 < end) {
            if (host_end[1] != ':')
                return mv_fail(err, MAIVID_E_INVALID, "unexpected text after the queue URL's "
                               "host: %s", MV_QUEUE_URL_HELP);
            port = host_end + 2;
        }
    } else {
        host_end = memchr(host, ':', (size_t)(end - host));
        if (host_end)
            port = host_end + 1;
        else
            host_end = end;
    }
    size_t host_len = (size_t)(host_end - host);
    if (host_len == 0 || host_len >= sizeof out->host)
        return mv_fail(err, MAIVID_E_INVALID, "the queue URL has no host (or one too long): %s",
                       MV_QUEUE_URL_HELP);
    memcpy(out->host, host, host_len);
    out->host[host_len] = 0;
    if (port) {
        long v = mv_url_number(port, (size_t)(end - port), 1, 65535);
        if (v < 0)
            return mv_fail(err, MAIVID_E_INVALID, "the queue URL's port must be a number from 1 "
                           "to 65535: %s", MV_QUEUE_URL_HELP);
        out->port = (int)v;
    }
    if (*end == '/' && end[1]) {
        const char *db = end + 1;
        long v = mv_url_number(db, strlen(db), 0, 1000000);
        if (v < 0)
            return mv_fail(err, MAIVID_E_INVALID, "the queue URL's database (after the '/') must "
                           "be a number such as 0: %s", MV_QUEUE_URL_HELP);
        out->db = (int)v;
    } else if (*end == '?' || *end == '#') {
        return mv_fail(err, MAIVID_E_INVALID, "the queue URL takes no query or fragment: %s",
                       MV_QUEUE_URL_HELP);
    }
    return MAIVID_OK;
}

void mv_queue_url_describe(const mv_queue_url *url, char *out, size_t size)
{
    snprintf(out, size, "%s%s%s:%d/%d", strchr(url->host, ':') ? "[" : "", url->host,
             strchr(url->host, ':') ? "]" : "", url->port, url->db);
}
