/*
 * secret.c - secrets the programs take from files (--suno-token-file): read once, trimmed,
 * never echoed in an error, and wiped from memory when released.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/mv_common.h"

#define MV_SECRET_MAX (16 * 1024)

MAIVID_API maivid_code maivid_secret_read_file(const char *path, char **secret, char *errbuf,
                                               size_t errbuf_size)
{
    mv_error err;
    mv_error_clear(&err);
    *secret = NULL;
    char *text = NULL;
    size_t len = 0;
    maivid_code rc = path ? mv_read_file(path, &text, &len, &err)
                          : mv_fail(&err, MAIVID_E_INVALID, "no secret file named");
    if (rc == MAIVID_OK && len > MV_SECRET_MAX)
        rc = mv_fail(&err, MAIVID_E_INVALID, "%s is larger than %d KiB: it should hold only the "
                     "token, on one line", path, MV_SECRET_MAX / 1024);
    if (rc == MAIVID_OK) {
        char *start = text;
        while (*start && isspace((unsigned char)*start))
            start++;
        size_t n = strcspn(start, "\r\n");
        while (n > 0 && isspace((unsigned char)start[n - 1]))
            n--;
        if (n == 0)
            rc = mv_fail(&err, MAIVID_E_INVALID, "%s is empty: write the token into it, on one "
                         "line", path);
        else if (!(*secret = malloc(n + 1)))
            rc = mv_fail(&err, MAIVID_E_NOMEM, "out of memory");
        else {
            memcpy(*secret, start, n);
            (*secret)[n] = '\0';
        }
    } else if (rc == MAIVID_E_IO || rc == MAIVID_E_NOT_FOUND) {
        rc = mv_fail(&err, MAIVID_E_IO, "cannot read the secret file %s (%s): check the path "
                     "and that this user may read it", path, err.message);
    }
    if (text) {
        explicit_bzero(text, len);
        free(text);
    }
    mv_strlcpy(errbuf, err.message, errbuf ? errbuf_size : 0);
    return rc;
}

MAIVID_API void maivid_secret_free(char *secret)
{
    if (!secret)
        return;
    explicit_bzero(secret, strlen(secret));
    free(secret);
}
