/*
 * choices.c - checks the catalog-backed generate options (every parameter the library's
 * table ties to a catalog: model, style, transition, aspect, motion, resolution) before a
 * job is queued, so a typo ends at once with the list of valid ids, and what the job will
 * run (its workflow or model) that cannot run now says why, in the library's words.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

/* The catalog entry whose "id" is `id`, or NULL. */
static const cJSON *mv_cli_find_entry(const cJSON *entries, const char *id)
{
    const cJSON *entry;
    cJSON_ArrayForEach(entry, entries) {
        const cJSON *eid = cJSON_GetObjectItemCaseSensitive(entry, "id");
        if (cJSON_IsString(eid) && strcmp(eid->valuestring, id) == 0)
            return entry;
    }
    return NULL;
}

static void mv_cli_list_ids(const cJSON *entries, const char *extra, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    const cJSON *entry;
    cJSON_ArrayForEach(entry, entries) {
        const cJSON *eid = cJSON_GetObjectItemCaseSensitive(entry, "id");
        if (cJSON_IsString(eid) && used < size)
            used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "", eid->valuestring);
    }
    if (extra && used < size)
        snprintf(buf + used, size - used, "%s%s", used ? ", " : "", extra);
}

/* Checks one value against one catalog; returns 0 or MV_CLI_EXIT_USAGE. */
static int mv_cli_check_one(maivid_engine *engine, maivid_catalog catalog, const char *option,
                            const char *value, const char *extra, const char *list_command)
{
    if (!value || (extra && strcmp(value, extra) == 0))
        return MV_CLI_EXIT_OK;
    /* the encoders' ids only: probing would open every encoder (and SVT-AV1 prints banners) */
    char *text = maivid_catalog_json(catalog == MAIVID_CATALOG_ENCODERS ? NULL : engine, catalog,
                                     0);
    cJSON *entries = text ? cJSON_Parse(text) : NULL;
    maivid_free(text);
    if (!cJSON_IsArray(entries)) { /* cannot check here: the engine will */
        cJSON_Delete(entries);
        return MV_CLI_EXIT_OK;
    }
    int rc = MV_CLI_EXIT_OK;
    if (!mv_cli_find_entry(entries, value)) {
        char ids[2048];
        mv_cli_list_ids(entries, extra, ids, sizeof ids);
        rc = mv_cli_usage_error("generate", "unknown %s '%s': valid values are %s%s%s", option,
                                value, ids, list_command ? "; see 'maivid-cli " : "",
                                list_command ? list_command : "");
    }
    cJSON_Delete(entries);
    return rc;
}

/* What the job will really run (its --workflow, else the model) cannot run now: says why,
 * in the library's words (the file that is missing, the server that does not answer), and
 * what to do. */
static int mv_cli_check_model_usable(const mv_cli_opts *opts, maivid_engine *engine,
                                     const char *model)
{
    const char *workflow = mv_cli_param(opts, "workflow_path");
    char why[1024] = "";
    maivid_code code = maivid_model_check(engine, model, workflow, why, sizeof why);
    if (code == MAIVID_OK)
        return MV_CLI_EXIT_OK;
    char storage[4096];
    const char *urls[MV_CLI_MAX_COMFYUI];
    if (code == MAIVID_E_INVALID)
        return mv_cli_usage_error("generate", "%s", why[0] ? why : maivid_strerror(code));
    if (mv_cli_comfyui_urls(opts, storage, sizeof storage, urls, MV_CLI_MAX_COMFYUI) == 0)
        return mv_cli_usage_error("generate", "%s '%s' needs a ComfyUI server and none is "
                                  "configured: pass --comfyui URL (or set MAIVID_COMFYUI_URL), "
                                  "or use --model procedural",
                                  workflow ? "workflow" : "model",
                                  workflow ? workflow : model);
    mv_cli_error("%s '%s' cannot run now: %s; or use --model procedural",
                 workflow ? "workflow" : "model", workflow ? workflow : model,
                 why[0] ? why : maivid_strerror(code));
    return MV_CLI_EXIT_FAILED;
}

/* The command that lists a catalog, for the hint after an unknown id. */
static const char *mv_cli_catalog_command(int catalog)
{
    switch (catalog) {
    case MAIVID_CATALOG_MODELS: return "models'";
    case MAIVID_CATALOG_STYLES: return "styles'";
    case MAIVID_CATALOG_TRANSITIONS: return "transitions'";
    default: return NULL;
    }
}

int mv_cli_check_choices(const mv_cli_opts *opts, maivid_engine *engine, const char *model)
{
    int rc = MV_CLI_EXIT_OK;
    for (size_t i = 0; !rc && i < maivid_param_count() && i < MV_CLI_MAX_PARAMS; i++) {
        const maivid_param_info *info = maivid_param_at(i);
        if (info->catalog == MAIVID_PARAM_NO_CATALOG)
            continue;
        const char *value = info->catalog == MAIVID_CATALOG_MODELS ? model : opts->params[i];
        rc = mv_cli_check_one(engine, (maivid_catalog)info->catalog, info->cli_long, value,
                              (info->flags & MAIVID_PARAM_AUTO) ? "auto" : NULL,
                              mv_cli_catalog_command(info->catalog));
    }
    if (!rc)
        rc = mv_cli_check_model_usable(opts, engine, model);
    return rc;
}
