/*
 * cmd_catalog.c - `models`, `styles`, `transitions` and `encoders` in local mode: libmaivid's catalogs as
 * a table, or the JSON arrays with --json.
 */
#include "cli.h"

#include <string.h>

static int mv_cli_catalog_kind(const char *command, maivid_catalog *kind)
{
    if (strcmp(command, "models") == 0)
        *kind = MAIVID_CATALOG_MODELS;
    else if (strcmp(command, "styles") == 0)
        *kind = MAIVID_CATALOG_STYLES;
    else if (strcmp(command, "transitions") == 0)
        *kind = MAIVID_CATALOG_TRANSITIONS;
    else if (strcmp(command, "encoders") == 0)
        *kind = MAIVID_CATALOG_ENCODERS;
    else
        return -1;
    return 0;
}

int mv_cli_cmd_catalog(const mv_cli_opts *opts)
{
    maivid_catalog kind = MAIVID_CATALOG_STYLES;
    mv_cli_catalog_kind(opts->command, &kind);
    maivid_engine *engine = NULL;
    if (kind == MAIVID_CATALOG_MODELS || kind == MAIVID_CATALOG_ENCODERS) {
        /* "usable" needs the engine: models its ComfyUI list, encoders the probe */
        int rc = mv_cli_engine_open(opts, 0, &engine);
        if (rc)
            return rc;
    }
    char *text = maivid_catalog_json(engine, kind, 0);
    cJSON *entries = text ? cJSON_Parse(text) : NULL;
    maivid_free(text);
    if (engine)
        maivid_engine_close(engine);
    if (!cJSON_IsArray(entries)) {
        cJSON_Delete(entries);
        mv_cli_error("libmaivid returned no %s catalog: this is a bug, please report it", opts->command);
        return MV_CLI_EXIT_FAILED;
    }
    mv_cli_print_catalog(entries, opts->json);
    cJSON_Delete(entries);
    return MV_CLI_EXIT_OK;
}
