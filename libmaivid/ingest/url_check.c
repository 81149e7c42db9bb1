/*
 * url_check.c - the library's one URL policy (url_policy.c) offered to programs through the
 * public API: the check of a URL before use, and the check of an address about to be
 * connected, so a program's own outgoing requests (maivid-server's webhooks) follow the same
 * rules as the song downloads.
 */
#include "ingest/mv_ingest_internal.h"

#include <stdio.h>

MAIVID_API maivid_code maivid_url_check(const char *url, int allow_private_urls, char *err,
                                        size_t err_size)
{
    mv_error e;
    mv_error_clear(&e);
    maivid_code code = mv_url_policy_check(url, allow_private_urls, &e);
    if (code != MAIVID_OK && err != NULL && err_size > 0)
        snprintf(err, err_size, "%s", e.message);
    return code;
}

MAIVID_API maivid_code maivid_address_check(const struct sockaddr *address,
                                            int allow_private_urls)
{
    return !allow_private_urls && mv_addr_is_restricted(address) ? MAIVID_E_POLICY : MAIVID_OK;
}
