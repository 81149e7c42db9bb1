/*
 * mv_utf8.c - UTF-8 validation and repair (ill-formed sequences become U+FFFD).
 */
#include "util/mv_utf8.h"

#include <stdlib.h>
#include <string.h>

/* The length of the well-formed sequence at s[0..left), or 0 when it is ill-formed. */
static size_t mv_utf8_sequence(const unsigned char *s, size_t left)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* the range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0; /* no overlong forms */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        return 0;
    }
    if (left < n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return n;
}

int mv_utf8_valid(const char *s, size_t length)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < length;) {
        size_t n = mv_utf8_sequence(p + i, length - i);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

char *mv_utf8_repair(const char *s, size_t length)
{
    /* Each bad byte becomes at most 3 bytes. */
    char *out = malloc(length * 3 + 1);
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    size_t used = 0;
    for (size_t i = 0; i < length;) {
        size_t n = mv_utf8_sequence(p + i, length - i);
        if (n == 0) {
            memcpy(out + used, "\xEF\xBF\xBD", 3);
            used += 3;
            i++;
            continue;
        }
        if (!(n == 1 && p[i] == 0)) {
            memcpy(out + used, p + i, n);
            used += n;
        }
        i += n;
    }
    out[used] = '\0';
    return out;
}

int mv_utf8_fix(char **s)
{
    if (!*s || mv_utf8_valid(*s, strlen(*s)))
        return 0;
    char *fixed = mv_utf8_repair(*s, strlen(*s));
    free(*s);
    *s = fixed;
    return fixed ? 0 : -1;
}
