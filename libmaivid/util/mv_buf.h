/*
 * mv_buf.h - a growable, always NUL-terminated byte buffer: HTTP bodies collected from
 * libcurl write callbacks and text built line by line.
 */
#ifndef MV_BUF_H
#define MV_BUF_H

#include <stddef.h>

typedef struct mv_buf {
    char *data;  /* NULL until the first append; then data[len] == '\0' */
    size_t len, cap;
} mv_buf;

/* Appends n bytes (doubling the capacity as needed). 0 on success, -1 when out of memory. */
int mv_buf_append(mv_buf *b, const void *bytes, size_t n);
/* Appends a C string. */
int mv_buf_append_str(mv_buf *b, const char *s);
/* Empties the buffer, keeping its memory. */
void mv_buf_reset(mv_buf *b);
void mv_buf_free(mv_buf *b);

#endif /* MV_BUF_H */
