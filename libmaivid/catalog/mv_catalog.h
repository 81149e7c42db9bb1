/*
 * mv_catalog.h - the shape shared by every catalog table inside the library (transitions,
 * motions, styles, models) and the helpers that look ids up and list them in errors.
 */
#ifndef MV_CATALOG_H
#define MV_CATALOG_H

#include <stddef.h>

typedef struct mv_catalog_entry {
    const char *id;
    const char *name;
    const char *description;
} mv_catalog_entry;

/* Writes "a, b, c" (the ids of the first `count` entries) into buf. */
void mv_catalog_list_ids(const mv_catalog_entry *entries, size_t count, size_t stride,
                         char *buf, size_t bufsize);

#endif /* MV_CATALOG_H */
