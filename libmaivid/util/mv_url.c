/*
 * mv_url.c - strict http(s) URL syntax check through curl_url().
 */
#include "util/mv_url.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int mv_url_check(const char *url, char *why, size_t why_size)
{
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if (*p <= 0x20 || *p == 0x7F) {
            snprintf(why, why_size, "it contains %s at position %zu: encode it (a space is "
                     "%%20) or remove it", *p == ' ' ? "a space" : "a control character",
                     (size_t)(p - (const unsigned char *)url) + 1);
            return -1;
        }
    }
    if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0) {
        snprintf(why, why_size, "it must start with http:// or https://");
        return -1;
    }
    CURLU *h = curl_url();
    if (!h) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    int rc = 0;
    CURLUcode uc = curl_url_set(h, CURLUPART_URL, url, 0);
    char *host = NULL;
    if (uc != CURLUE_OK) {
        snprintf(why, why_size, "it is not a valid URL (%s)", curl_url_strerror(uc));
        rc = -1;
    } else if (curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK || !host || !*host) {
        snprintf(why, why_size, "it has no host name");
        rc = -1;
    }
    curl_free(host);
    curl_url_cleanup(h);
    return rc;
}
