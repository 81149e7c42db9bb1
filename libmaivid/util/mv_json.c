/*
 * mv_json.c - bounded parsing, atomic JSON files and optional-field readers (see mv_json.h).
 */
#include "util/mv_json.h"

#include <stdlib.h>
#include <string.h>

cJSON *mv_json_parse_opts(const char *text, size_t length, const char **end, int require_null)
{
    if (end != NULL) {
        *end = text;
    }
    if (text == NULL || maivid_json_depth(text, length) > MAIVID_JSON_MAX_DEPTH) {
        return NULL;
    }
    return cJSON_ParseWithLengthOpts(text, length, end, require_null);
}

cJSON *mv_json_parse(const char *text)
{
    return text != NULL ? mv_json_parse_opts(text, strlen(text) + 1, NULL, 0) : NULL;
}

maivid_code mv_json_write_file(const cJSON *root, int pretty, const char *path, mv_error *err)
{
    char *text = root ? (pretty ? cJSON_Print(root) : cJSON_PrintUnformatted(root)) : NULL;
    if (!text)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while writing %s", path);
    maivid_code rc = mv_write_file_atomic(path, text, strlen(text), err);
    cJSON_free(text);
    return rc;
}

char *mv_json_dup_string(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && v->valuestring ? mv_strdup(v->valuestring) : NULL;
}

double mv_json_number_or(const cJSON *o, const char *key, double fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : fallback;
}
