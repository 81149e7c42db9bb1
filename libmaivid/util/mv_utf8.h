/*
 * mv_utf8.h - UTF-8 checks for text that comes from outside (requests, song metadata, file
 * tags, lyrics), so nothing the library stores or prints can make invalid JSON.
 */
#ifndef MV_UTF8_H
#define MV_UTF8_H

#include <stddef.h>

/* 1 when the `length` bytes at `s` are well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), else 0. */
int mv_utf8_valid(const char *s, size_t length);
/* A NUL-terminated copy of the `length` bytes at `s` with each ill-formed sequence replaced
 * by U+FFFD (and each NUL byte dropped). NULL only when out of memory. */
char *mv_utf8_repair(const char *s, size_t length);
/* Repairs the NUL-terminated string *s in place of the old one when it is not valid UTF-8
 * (NULL is left alone). Returns 0, or -1 when out of memory (the string is then freed and
 * *s is NULL). */
int mv_utf8_fix(char **s);

#endif /* MV_UTF8_H */
