/*
 * mv_json.c - bounded parsing, atomic JSON files, optional-field readers and word lists (see
 * mv_json.h).
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

maivid_code mv_json_read_file(const char *path, cJSON **root, mv_error *err)
{
    *root = NULL;
    char *text = NULL;
    size_t len = 0;
    maivid_code rc = mv_read_file(path, &text, &len, err);
    if (rc != MAIVID_OK)
        return rc;
    *root = mv_json_parse_opts(text, len, NULL, 0);
    free(text);
    return MAIVID_OK;
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

cJSON *mv_json_word_array(const char *list)
{
    cJSON *arr = cJSON_CreateArray();
    const char *p = list ? list : "";
    while (arr && *p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char *word = n ? mv_strdup_printf("%.*s", (int)n, p) : NULL;
        if (word) {
            cJSON_AddItemToArray(arr, cJSON_CreateString(word));
            free(word);
        }
        p += n + (comma ? 1 : 0);
    }
    return arr;
}

char *mv_json_word_list(const cJSON *o, const char *key)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, key);
    size_t total = 1;
    const cJSON *item;
    cJSON_ArrayForEach(item, arr)
        if (cJSON_IsString(item) && !strchr(item->valuestring, ','))
            total += strlen(item->valuestring) + 1;
    char *out = malloc(total);
    if (!out)
        return NULL;
    out[0] = '\0';
    cJSON_ArrayForEach(item, arr)
    {
        if (!cJSON_IsString(item) || !*item->valuestring || strchr(item->valuestring, ','))
            continue;
        if (*out)
            strcat(out, ",");
        strcat(out, item->valuestring);
    }
    return out;
}
