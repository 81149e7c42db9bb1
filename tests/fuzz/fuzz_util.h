/*
 * fuzz_util.h - what the harnesses share: the input as a NUL-terminated string, and a file
 * holding the input for parsers that read from a path. Header-only (each harness is one
 * program); no state is kept between inputs.
 */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The input as a malloc'd C string (cut at its first NUL, as a C parser sees it). */
static inline char *fuzz_cstring(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* A folder of this process under $TMPDIR (or /tmp), created on first use: "<tmp>/maivid-fuzz-<pid>". */
static inline void fuzz_dir(char *out, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(out, size, "%s/maivid-fuzz-%ld", tmp && *tmp ? tmp : "/tmp", (long)getpid());
    mkdir(out, 0700);
}

/* Writes the input to <dir>/<name> and returns that path in `out`. */
static inline void fuzz_write_file(const char *dir, const char *name, const uint8_t *data,
                                   size_t size, char *out, size_t out_size)
{
    snprintf(out, out_size, "%s/%s", dir, name);
    FILE *f = fopen(out, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
}

#endif /* FUZZ_UTIL_H */
