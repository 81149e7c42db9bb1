/*
 * settings_json.c - a job's settings as JSON, with the Convo Pilot spec's field names
 * (model_type, transition_type, ...) so job.json, the status and the create reply agree.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "engine/mv_settings_json.h"
#include "util/mv_json.h"

static void mv_add_string_or_null(cJSON *obj, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(obj, key, value);
    else
        cJSON_AddNullToObject(obj, key);
}

cJSON *mv_settings_to_json(const mv_settings *s, int include_private)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "model_type", s->model ? s->model : "");
    cJSON_AddStringToObject(o, "aspect_ratio", s->aspect_ratio ? s->aspect_ratio : "");
    cJSON_AddStringToObject(o, "style", s->style ? s->style : "");
    if (s->scene_count > 0)
        cJSON_AddNumberToObject(o, "scene_count", s->scene_count);
    else
        cJSON_AddNullToObject(o, "scene_count");
    cJSON_AddStringToObject(o, "transition_type", s->transition ? s->transition : "");
    cJSON_AddNumberToObject(o, "transition_duration", s->transition_duration);
    cJSON_AddStringToObject(o, "motion", s->motion ? s->motion : "");
    cJSON_AddStringToObject(o, "resolution", s->resolution ? s->resolution : "");
    cJSON_AddNumberToObject(o, "fps", s->fps);
    cJSON_AddNumberToObject(o, "seed", (double)s->seed);
    cJSON_AddNumberToObject(o, "image_failure_tolerance", s->image_failure_tolerance);
    cJSON_AddStringToObject(o, "captions", s->captions ? s->captions : "lines");
    cJSON_AddNumberToObject(o, "reactivity", s->reactivity);
    cJSON_AddBoolToObject(o, "subtitle_track", s->subtitle_track);
    mv_add_string_or_null(o, "url", s->url);
    mv_add_string_or_null(o, "title", s->title);
    mv_add_string_or_null(o, "callback_url", s->callback_url);
    if (include_private) {
        mv_add_string_or_null(o, "local_path", s->local_path);
        mv_add_string_or_null(o, "lyrics", s->lyrics);
        mv_add_string_or_null(o, "workflow_path", s->workflow_path);
    } else {
        cJSON_AddBoolToObject(o, "custom_lyrics", s->lyrics != NULL);
        cJSON_AddBoolToObject(o, "custom_workflow", s->workflow_path != NULL);
    }
    return o;
}

maivid_code mv_settings_from_json(const cJSON *o, mv_settings *s, mv_error *err)
{
    memset(s, 0, sizeof *s);
    if (!cJSON_IsObject(o))
        return mv_fail(err, MAIVID_E_CORRUPT, "'settings' is missing or not an object");
    s->model = mv_json_dup_string(o, "model_type");
    s->aspect_ratio = mv_json_dup_string(o, "aspect_ratio");
    s->style = mv_json_dup_string(o, "style");
    s->transition = mv_json_dup_string(o, "transition_type");
    s->motion = mv_json_dup_string(o, "motion");
    s->resolution = mv_json_dup_string(o, "resolution");
    s->url = mv_json_dup_string(o, "url");
    s->local_path = mv_json_dup_string(o, "local_path");
    s->lyrics = mv_json_dup_string(o, "lyrics");
    s->workflow_path = mv_json_dup_string(o, "workflow_path");
    s->title = mv_json_dup_string(o, "title");
    s->callback_url = mv_json_dup_string(o, "callback_url");
    /* jobs stored before captions and reactivity existed get the defaults */
    s->captions = mv_json_dup_string(o, "captions");
    if (!s->captions)
        s->captions = mv_strdup("lines");
    s->reactivity = mv_json_number_or(o, "reactivity", 0.5);
    s->subtitle_track = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "subtitle_track"));
    s->scene_count = (int)mv_json_number_or(o, "scene_count", 0);
    s->transition_duration = mv_json_number_or(o, "transition_duration", 1.0);
    s->fps = (int)mv_json_number_or(o, "fps", 30);
    s->seed = (int64_t)mv_json_number_or(o, "seed", -1);
    s->image_failure_tolerance = (int)mv_json_number_or(o, "image_failure_tolerance", 0);
    if (!s->model || !s->aspect_ratio || !s->style || !s->transition || !s->motion ||
        !s->resolution || (!s->url && !s->local_path)) {
        mv_settings_free(s);
        return mv_fail(err, MAIVID_E_CORRUPT, "'settings' lacks required fields");
    }
    return MAIVID_OK;
}
