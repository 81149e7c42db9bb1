/*
 * catalog_json.c - the public catalog calls: maivid_catalog_json(), every catalog as the JSON
 * array the server and the CLI print, so both show the same shapes, and maivid_model_check(),
 * whether a job's image model or workflow can run now (the same reason the catalog gives).
 */
#include <stdio.h>

#include <cjson/cJSON.h>

#include "catalog/mv_styles.h"
#include "images/mv_images.h"
#include "engine/mv_engine.h"
#include "render/mv_caption_burn.h"
#include "render/mv_render.h"

static cJSON *mv_entries_json(const mv_catalog_entry *entries, size_t count, size_t stride)
{
    cJSON *arr = cJSON_CreateArray();
    const char *base = (const char *)entries;
    for (size_t i = 0; arr && i < count; i++) {
        const mv_catalog_entry *e = (const mv_catalog_entry *)(base + i * stride);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", e->id);
        cJSON_AddStringToObject(o, "name", e->name);
        cJSON_AddStringToObject(o, "description", e->description);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static cJSON *mv_styles_json(void)
{
    size_t n;
    const mv_style *styles = mv_styles(&n);
    cJSON *arr = mv_entries_json(&styles[0].entry, n, sizeof styles[0]);
    size_t i = 0;
    cJSON *item;
    cJSON_ArrayForEach(item, arr) /* the palette as "#rrggbb", dark to light: a preview */
    {
        cJSON *palette = cJSON_AddArrayToObject(item, "palette");
        for (size_t c = 0; palette && i < n && c < MV_STYLE_PALETTE_SIZE; c++) {
            char hex[8];
            snprintf(hex, sizeof hex, "#%06x", (unsigned)(styles[i].palette[c] & 0xffffffu));
            cJSON_AddItemToArray(palette, cJSON_CreateString(hex));
        }
        i++;
    }
    return arr;
}

static cJSON *mv_aspects_json(void)
{
    size_t n;
    const mv_catalog_entry *aspects = mv_aspect_ratios(&n);
    cJSON *arr = mv_entries_json(aspects, n, sizeof aspects[0]);
    cJSON *item;
    cJSON_ArrayForEach(item, arr)
    {
        int w = 0, h = 0;
        const char *id = cJSON_GetObjectItemCaseSensitive(item, "id")->valuestring;
        if (mv_frame_size(id, "1080p", &w, &h, NULL) == MAIVID_OK) {
            cJSON_AddNumberToObject(item, "width", w);
            cJSON_AddNumberToObject(item, "height", h);
        }
    }
    return arr;
}

MAIVID_API char *maivid_catalog_json(maivid_engine *engine, maivid_catalog catalog,
                                     unsigned flags)
{
    cJSON *arr = NULL;
    size_t n;
    switch (catalog) {
    case MAIVID_CATALOG_MODELS:
        if (!engine)
            return NULL;
        arr = mv_images_catalog(engine->images);
        break;
    case MAIVID_CATALOG_STYLES:
        arr = mv_styles_json();
        break;
    case MAIVID_CATALOG_TRANSITIONS: {
        const mv_catalog_entry *t = mv_transitions(&n);
        arr = mv_entries_json(t, n, sizeof t[0]);
        break;
    }
    case MAIVID_CATALOG_ASPECTS:
        arr = mv_aspects_json();
        break;
    case MAIVID_CATALOG_MOTIONS: {
        const mv_catalog_entry *m = mv_motions(&n);
        arr = mv_entries_json(m, n, sizeof m[0]);
        break;
    }
    case MAIVID_CATALOG_RESOLUTIONS: {
        const mv_catalog_entry *r = mv_resolutions(&n);
        arr = mv_entries_json(r, n, sizeof r[0]);
        break;
    }
    case MAIVID_CATALOG_CAPTIONS: {
        const mv_catalog_entry *c = mv_caption_modes(&n);
        arr = mv_entries_json(c, n, sizeof c[0]);
        break;
    }
    }
    if (!arr)
        return NULL;
    char *text = (flags & MAIVID_JSON_PRETTY) ? cJSON_Print(arr) : cJSON_PrintUnformatted(arr);
    cJSON_Delete(arr);
    return text;
}

MAIVID_API maivid_code maivid_model_check(maivid_engine *engine, const char *model,
                                          const char *workflow_path, char *errbuf,
                                          size_t errbuf_size)
{
    mv_error err;
    mv_error_clear(&err);
    maivid_code rc;
    if (!engine) {
        rc = mv_fail(&err, MAIVID_E_INVALID, "maivid_model_check needs an engine");
    } else {
        rc = mv_images_check_model(engine->images, model, workflow_path, &err);
    }
    if (rc != MAIVID_OK && errbuf && errbuf_size)
        mv_strlcpy(errbuf, err.message, errbuf_size);
    return rc;
}
