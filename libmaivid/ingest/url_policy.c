/*
 * url_policy.c - the URL policy that keeps fetches away from the inside of the network:
 * only http/https, and unless private addresses are allowed, no loopback, private,
 * link-local, multicast, unspecified or reserved address (IPv4 and IPv6, IPv4-mapped and
 * oddly spelled literals included). http.c applies it again to the address actually
 * connected on every redirect hop.
 */
#include "ingest/mv_ingest_internal.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* IPv4 in host byte order. */
static int ipv4_restricted(uint32_t a)
{
    const struct { uint32_t net, mask; } blocks[] = {
        {0x00000000u, 0xff000000u}, /* 0.0.0.0/8 "this network", unspecified */
        {0x0a000000u, 0xff000000u}, /* 10/8 private */
        {0x64400000u, 0xffc00000u}, /* 100.64/10 carrier-grade NAT */
        {0x7f000000u, 0xff000000u}, /* 127/8 loopback */
        {0xa9fe0000u, 0xffff0000u}, /* 169.254/16 link-local (cloud metadata) */
        {0xac100000u, 0xfff00000u}, /* 172.16/12 private */
        {0xc0000000u, 0xffffff00u}, /* 192.0.0/24 IETF protocol assignments */
        {0xc0000200u, 0xffffff00u}, /* 192.0.2/24 documentation */
        {0xc0a80000u, 0xffff0000u}, /* 192.168/16 private */
        {0xc6120000u, 0xfffe0000u}, /* 198.18/15 benchmarking */
        {0xc6336400u, 0xffffff00u}, /* 198.51.100/24 documentation */
        {0xcb007100u, 0xffffff00u}, /* 203.0.113/24 documentation */
        {0xe0000000u, 0xf0000000u}, /* 224/4 multicast */
        {0xf0000000u, 0xf0000000u}, /* 240/4 reserved and broadcast */
    };
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
        if ((a & blocks[i].mask) == blocks[i].net)
            return 1;
    return 0;
}

static uint32_t v4_at(const uint8_t *b)
{
    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static int ipv6_restricted(const uint8_t *b)
{
    static const uint8_t zero[16] = {0};
    if (memcmp(b, zero, 16) == 0)
        return 1; /* :: unspecified */
    if (memcmp(b, zero, 15) == 0 && b[15] == 1)
        return 1; /* ::1 loopback */
    /* ::ffff:a.b.c.d mapped, ::a.b.c.d compatible: judge the IPv4 inside */
    if (memcmp(b, zero, 10) == 0 && b[10] == 0xff && b[11] == 0xff)
        return ipv4_restricted(v4_at(b + 12));
    if (memcmp(b, zero, 12) == 0)
        return 1; /* deprecated IPv4-compatible: never needed for a public fetch */
    /* 64:ff9b::/96 NAT64 */
    static const uint8_t nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    if (memcmp(b, nat64, 12) == 0)
        return ipv4_restricted(v4_at(b + 12));
    if (b[0] == 0x20 && b[1] == 0x02) /* 2002::/16 6to4 carries an IPv4 */
        return ipv4_restricted(v4_at(b + 2));
    if (b[0] == 0xff)
        return 1; /* ff00::/8 multicast */
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
        return 1; /* fe80::/10 link-local */
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
        return 1; /* fec0::/10 old site-local */
    if ((b[0] & 0xfe) == 0xfc)
        return 1; /* fc00::/7 unique local */
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
        return 1; /* 2001:db8::/32 documentation */
    if (b[0] == 0x01 && b[1] == 0x00 && memcmp(b + 2, zero, 6) == 0)
        return 1; /* 100::/64 discard */
    return 0;
}

int mv_addr_is_restricted(const struct sockaddr *addr)
{
    if (!addr)
        return 1;
    if (addr->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)addr;
        return ipv4_restricted(ntohl(in->sin_addr.s_addr));
    }
    if (addr->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)addr;
        return ipv6_restricted(in6->sin6_addr.s6_addr);
    }
    return 1; /* unix sockets and the like */
}

int mv_host_literal_restricted(const char *host)
{
    if (!host || !*host)
        return 1;
    char buf[256];
    mv_strlcpy(buf, host, sizeof buf);
    size_t n = strlen(buf);
    if (buf[0] == '[') { /* [v6] or [v6%zone] */
        memmove(buf, buf + 1, n);
        char *close = strchr(buf, ']');
        if (close)
            *close = '\0';
    }
    char *zone = strchr(buf, '%');
    if (zone)
        *zone = '\0';
    n = strlen(buf);
    while (n > 0 && buf[n - 1] == '.')
        buf[--n] = '\0'; /* "localhost." and "127.0.0.1." */
    if (strcasecmp(buf, "localhost") == 0 ||
        (n > 10 && strcasecmp(buf + n - 10, ".localhost") == 0))
        return 1;
    struct in6_addr a6;
    if (inet_pton(AF_INET6, buf, &a6) == 1)
        return ipv6_restricted(a6.s6_addr);
    /* inet_aton understands every historic spelling: 2130706433, 0177.0.0.1, 0x7f.1 */
    struct in_addr a4;
    if (inet_aton(buf, &a4) != 0)
        return ipv4_restricted(ntohl(a4.s_addr));
    return -1;
}

maivid_code mv_url_policy_check(const char *url, int allow_private, mv_error *err)
{
    if (!url || !*url)
        return mv_fail(err, MAIVID_E_POLICY, "the song URL is empty: pass an http(s) link");
    CURLU *u = curl_url();
    if (!u)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory parsing a URL");
    maivid_code rc = MAIVID_OK;
    char *scheme = NULL, *host = NULL;
    if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
        rc = mv_fail(err, MAIVID_E_POLICY,
                     "'%.200s' is not a valid URL: pass a full http:// or https:// link", url);
        goto out;
    }
    if (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0) {
        rc = mv_fail(err, MAIVID_E_POLICY,
                     "the URL scheme '%.20s' is not allowed (only http and https are fetched): "
                     "pass an http(s) link%s", scheme,
                     strcasecmp(scheme, "file") == 0 ? ", or use the CLI with a local path" : "");
        goto out;
    }
    if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || !host || !*host) {
        rc = mv_fail(err, MAIVID_E_POLICY, "the URL '%.200s' has no host: pass a full link", url);
        goto out;
    }
    if (!allow_private && mv_host_literal_restricted(host) == 1)
        rc = mv_fail(err, MAIVID_E_POLICY,
                     "refused to fetch '%.200s': host %.100s is a loopback, private, link-local, "
                     "multicast or reserved address; use a public URL (or enable "
                     "allow_private_urls for a home network)", url, host);
out:
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return rc;
}

static curl_socket_t mv_connect_guard_open(void *user, curlsocktype purpose,
                                           struct curl_sockaddr *a)
{
    mv_connect_guard *g = user;
    (void)purpose;
    if (!g->allow_private && mv_addr_is_restricted(&a->addr)) {
        g->refused = 1;
        if (a->family == AF_INET)
            inet_ntop(AF_INET, &((struct sockaddr_in *)&a->addr)->sin_addr, g->refused_ip,
                      sizeof g->refused_ip);
        else if (a->family == AF_INET6)
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&a->addr)->sin6_addr, g->refused_ip,
                      sizeof g->refused_ip);
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype, a->protocol);
}

void mv_connect_guard_install(CURL *curl, mv_connect_guard *guard)
{
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, mv_connect_guard_open);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, guard);
}
