/*
 * auth.c - the optional API key: taken from X-API-Key or "Authorization: Bearer <key>" and
 * compared in constant time (the time does not depend on where the strings differ).
 */
#include <string.h>
#include <strings.h>

#include "server.h"

int mv_auth_equal(const char *given, const char *expected)
{
    size_t given_length = strlen(given);
    size_t expected_length = strlen(expected);
    /* Walk the whole expected key whatever `given` holds; only its length leaks. */
    unsigned char diff = (unsigned char)(given_length != expected_length);
    for (size_t i = 0; i < expected_length; i++) {
        unsigned char g = i < given_length ? (unsigned char)given[i] : 0;
        diff |= (unsigned char)(g ^ (unsigned char)expected[i]);
    }
    return diff == 0;
}

int mv_auth_check(const mv_request *req)
{
    const char *expected = req->server->opts->api_key;
    if (expected == NULL || expected[0] == '\0') {
        return 1;
    }
    const char *given = mg_get_header(req->conn, "X-API-Key");
    if (given == NULL) {
        const char *authorization = mg_get_header(req->conn, "Authorization");
        if (authorization != NULL && strncasecmp(authorization, "Bearer ", 7) == 0) {
            given = authorization + 7;
            while (*given == ' ') {
                given++;
            }
        }
    }
    return given != NULL && mv_auth_equal(given, expected);
}
