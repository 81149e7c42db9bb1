/*
 * mv_buf.c - the growable byte buffer (see mv_buf.h).
 */
#include "util/mv_buf.h"

#include <stdlib.h>
#include <string.h>

int mv_buf_append(mv_buf *b, const void *bytes, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *grown = realloc(b->data, cap);
        if (!grown)
            return -1;
        b->data = grown;
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->len, bytes, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int mv_buf_append_str(mv_buf *b, const char *s)
{
    return mv_buf_append(b, s, strlen(s));
}

void mv_buf_reset(mv_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void mv_buf_free(mv_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
