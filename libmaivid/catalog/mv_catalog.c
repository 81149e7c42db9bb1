/*
 * mv_catalog.c - small helpers over catalog tables: the comma-separated id lists that
 * validation errors show so the user sees every valid value.
 */
#include "catalog/mv_catalog.h"

#include <string.h>

void mv_catalog_list_ids(const mv_catalog_entry *entries, size_t count, size_t stride,
                         char *buf, size_t bufsize)
{
    size_t used = 0;
    if (bufsize == 0)
        return;
    buf[0] = '\0';
    const char *base = (const char *)entries;
    for (size_t i = 0; i < count; i++) {
        const mv_catalog_entry *e = (const mv_catalog_entry *)(base + i * stride);
        size_t len = strlen(e->id);
        size_t need = len + (i ? 2 : 0);
        if (used + need + 1 > bufsize)
            break;
        if (i) {
            memcpy(buf + used, ", ", 2);
            used += 2;
        }
        memcpy(buf + used, e->id, len);
        used += len;
        buf[used] = '\0';
    }
}
