/*
 * storyboard_json.c - storyboard.json in the job directory: the plan's subject and its
 * scenes ({"index","start","end","section","lyrics","prompt","negative_prompt","seed",
 * "motion","transition","transition_duration","drawn","unmatched", and "clips" for a moving
 * scene: how many chained clips fill it}; drawn: the subjects the
 * built-in painter draws, most prominent first; unmatched: the lyric's content words it
 * cannot draw). Written atomically; read back leniently
 * for fields a replaced plan stage may leave out, strictly for what the video needs.
 */
#include "plan/mv_plan.h"

#include <cjson/cJSON.h>
#include "util/mv_json.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

maivid_code mv_plan_save(const mv_plan *p, const char *path, mv_error *err)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while writing %s", path);
    cJSON_AddStringToObject(root, "subject", p->subject ? p->subject : "");
    cJSON_AddNumberToObject(root, "scene_count", (double)p->scene_count);
    cJSON *scenes = cJSON_AddArrayToObject(root, "scenes");
    for (size_t i = 0; scenes && i < p->scene_count; i++) {
        const mv_plan_scene *s = &p->scenes[i];
        cJSON *o = cJSON_CreateObject();
        if (!o)
            break;
        cJSON_AddItemToArray(scenes, o);
        cJSON_AddNumberToObject(o, "index", s->index);
        cJSON_AddNumberToObject(o, "start", s->start);
        cJSON_AddNumberToObject(o, "end", s->end);
        cJSON_AddStringToObject(o, "section", s->section ? s->section : "");
        cJSON_AddStringToObject(o, "lyrics", s->lyrics ? s->lyrics : "");
        cJSON_AddStringToObject(o, "prompt", s->prompt ? s->prompt : "");
        cJSON_AddStringToObject(o, "negative_prompt",
                                s->negative_prompt ? s->negative_prompt : "");
        cJSON_AddNumberToObject(o, "seed", (double)s->seed);
        cJSON_AddStringToObject(o, "motion", s->motion ? s->motion : "static");
        cJSON_AddStringToObject(o, "transition", s->transition ? s->transition : "none");
        cJSON_AddNumberToObject(o, "transition_duration", s->transition_duration);
        cJSON_AddItemToObject(o, "drawn", mv_json_word_array(s->drawn));
        cJSON_AddItemToObject(o, "unmatched", mv_json_word_array(s->unmatched));
        if (s->clips > 0)
            cJSON_AddNumberToObject(o, "clips", s->clips);
    }
    maivid_code rc = mv_json_write_file(root, 1, path, err);
    cJSON_Delete(root);
    return rc;
}

static char *mv_storyboard_string(const cJSON *o, const char *name, const char *fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return mv_strdup(cJSON_IsString(v) ? v->valuestring : fallback);
}

static double mv_storyboard_number(const cJSON *o, const char *name, double fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsNumber(v) ? v->valuedouble : fallback;
}

static maivid_code mv_storyboard_scene(const cJSON *o, size_t i, double previous_end,
                                       mv_plan_scene *s, const char *path, mv_error *err)
{
    const cJSON *start = cJSON_GetObjectItemCaseSensitive(o, "start");
    const cJSON *end = cJSON_GetObjectItemCaseSensitive(o, "end");
    const cJSON *prompt = cJSON_GetObjectItemCaseSensitive(o, "prompt");
    if (!cJSON_IsObject(o) || !cJSON_IsNumber(start) || !cJSON_IsNumber(end) ||
        !cJSON_IsString(prompt))
        return mv_fail(err, MAIVID_E_CORRUPT, "%s: scene %zu needs numbers \"start\" and "
                       "\"end\" and a text \"prompt\"; fix the file or delete it to plan again",
                       path, i + 1);
    if (!(end->valuedouble > start->valuedouble) || start->valuedouble < previous_end - 1e-6)
        return mv_fail(err, MAIVID_E_CORRUPT, "%s: scene %zu runs from %.3f to %.3f s, which "
                       "does not follow the scene before it; fix the file or delete it to "
                       "plan again", path, i + 1, start->valuedouble, end->valuedouble);
    s->index = (int)mv_storyboard_number(o, "index", (double)i);
    s->start = start->valuedouble;
    s->end = end->valuedouble;
    s->section = mv_storyboard_string(o, "section", "");
    s->lyrics = mv_storyboard_string(o, "lyrics", "");
    s->prompt = mv_strdup(prompt->valuestring);
    s->negative_prompt = mv_storyboard_string(o, "negative_prompt", "");
    s->seed = (int64_t)llround(mv_storyboard_number(o, "seed", (double)i));
    s->motion = mv_storyboard_string(o, "motion", "ken_burns");
    s->transition = mv_storyboard_string(o, "transition", "fade");
    s->transition_duration = mv_storyboard_number(o, "transition_duration", 1.0);
    if (!(s->transition_duration >= 0))
        s->transition_duration = 0;
    double clips = mv_storyboard_number(o, "clips", 0);
    s->clips = clips >= 1 && clips <= MV_PLAN_MAX_CLIPS ? (int)clips : 0;
    s->drawn = mv_json_word_list(o, "drawn");
    s->unmatched = mv_json_word_list(o, "unmatched");
    if (!s->section || !s->lyrics || !s->prompt || !s->negative_prompt || !s->motion ||
        !s->transition || !s->drawn || !s->unmatched)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while reading %s", path);
    return MAIVID_OK;
}

maivid_code mv_plan_load(const char *path, mv_plan *out, mv_error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *root = NULL;
    maivid_code rc = mv_json_read_file(path, &root, err);
    if (rc != MAIVID_OK)
        return rc;
    const cJSON *scenes = cJSON_GetObjectItemCaseSensitive(root, "scenes");
    if (!cJSON_IsArray(scenes) || cJSON_GetArraySize(scenes) < 1) {
        cJSON_Delete(root);
        return mv_fail(err, MAIVID_E_CORRUPT, "%s is not a storyboard (a JSON object with a "
                       "non-empty \"scenes\" array); fix the file or delete it to plan again",
                       path);
    }
    size_t n = (size_t)cJSON_GetArraySize(scenes);
    out->scenes = calloc(n, sizeof *out->scenes);
    out->subject = mv_storyboard_string(root, "subject", "");
    if (!out->scenes || !out->subject)
        rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory while reading %s", path);
    out->scene_count = out->scenes ? n : 0;
    double previous_end = 0;
    for (size_t i = 0; rc == MAIVID_OK && i < n; i++) {
        rc = mv_storyboard_scene(cJSON_GetArrayItem(scenes, (int)i), i, previous_end,
                                 &out->scenes[i], path, err);
        previous_end = out->scenes[i].end;
    }
    cJSON_Delete(root);
    if (rc != MAIVID_OK)
        mv_plan_free(out);
    return rc;
}
