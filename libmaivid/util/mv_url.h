/*
 * mv_url.h - syntax check of an absolute http(s) URL with libcurl's URL API, so a bad link is
 * refused when a job is created instead of failing later in the download stage.
 */
#ifndef MV_URL_H
#define MV_URL_H

#include <stddef.h>

/* 0 when `url` is a complete http:// or https:// URL with a host that libcurl parses
 * strictly (no spaces, no control characters), else -1 with the reason in `why`. */
int mv_url_check(const char *url, char *why, size_t why_size);

#endif /* MV_URL_H */
