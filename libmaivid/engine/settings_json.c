/*
 * settings_json.c - a job's settings as JSON, written and read through the parameter table
 * with the Convo Pilot spec's field names (model_type, transition_type, ...), so job.json,
 * the status and the create reply agree. A number whose default lies outside its range (an
 * "automatic" value such as scene_count 0 or seed -1) is written as null.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "engine/mv_params.h"
#include "engine/mv_settings_json.h"
#include "util/mv_json.h"
#include "util/mv_utf8.h"

static int mv_param_is_auto(const maivid_param_info *info, double v)
{
    return info->default_text && v == mv_param_default_number(info) &&
           (v < info->min || v > info->max);
}

cJSON *mv_settings_to_json(const mv_settings *s, int include_private)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    size_t n;
    const maivid_param_info *params = mv_params(&n);
    for (size_t i = 0; i < n; i++) {
        const maivid_param_info *info = &params[i];
        if ((info->flags & MAIVID_PARAM_PRIVATE) && !include_private)
            continue;
        if (info->type == MAIVID_PARAM_STRING) {
            const char *v = mv_param_string(info, s);
            if (v)
                cJSON_AddStringToObject(o, info->name, v);
            else
                cJSON_AddNullToObject(o, info->name);
        } else {
            double v = mv_param_number(info, s);
            if (mv_param_is_auto(info, v))
                cJSON_AddNullToObject(o, info->name);
            else
                cJSON_AddNumberToObject(o, info->name, v);
        }
    }
    if (!include_private) {
        cJSON_AddBoolToObject(o, "custom_lyrics", s->lyrics != NULL);
        cJSON_AddBoolToObject(o, "custom_workflow", s->workflow_path != NULL);
    }
    return o;
}

maivid_code mv_settings_from_json(const cJSON *o, mv_settings *s, mv_error *err)
{
    maivid_job_params_init(s);
    size_t n;
    const maivid_param_info *params = mv_params(&n);
    for (size_t i = 0; i < n; i++)
        if (params[i].type == MAIVID_PARAM_STRING)
            mv_param_set_string(&params[i], s, NULL);
    if (!cJSON_IsObject(o))
        return mv_fail(err, MAIVID_E_CORRUPT, "'settings' is missing or not an object");
    const char *missing = NULL;
    for (size_t i = 0; i < n; i++) {
        const maivid_param_info *info = &params[i];
        if (info->type == MAIVID_PARAM_STRING) {
            char *v = mv_json_dup_string(o, info->name);
            int repair = !(info->flags & MAIVID_PARAM_FILE); /* paths stay byte-exact */
            if ((repair && mv_utf8_fix(&v) != 0) || (!v && info->default_text && !missing))
                missing = info->name;
            mv_param_set_string(info, s, v);
        } else {
            mv_param_set_number(info, s,
                                mv_json_number_or(o, info->name, mv_param_default_number(info)));
        }
    }
    if (!missing && !s->url && !s->local_path)
        missing = "url";
    if (missing) {
        mv_settings_free(s);
        return mv_fail(err, MAIVID_E_CORRUPT, "'settings' lacks required field '%s'", missing);
    }
    return MAIVID_OK;
}
