/*
 * ui_assets.h - the studio page's files, embedded at build time (embed_ui.cmake writes the
 * table from maivid-server/ui/ into the build folder).
 */
#ifndef MV_UI_ASSETS_H
#define MV_UI_ASSETS_H

#include <stddef.h>

typedef struct mv_ui_asset {
    const char *path;         /* "/ui/index.html" */
    const char *content_type;
    const unsigned char *data;
    size_t size;
} mv_ui_asset;

extern const mv_ui_asset MV_UI_ASSETS[];
extern const size_t MV_UI_ASSET_COUNT;

#endif /* MV_UI_ASSETS_H */
