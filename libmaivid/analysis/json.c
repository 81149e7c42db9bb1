/*
 * json.c - analysis.json: writes the analysis atomically (numbers rounded to what matters:
 * 0.1 ms for times, 1/1000 for energy) and reads it back with every field checked, so a
 * damaged or hand-edited file is reported instead of feeding nonsense to the planner. The
 * writer runs the reader's checks on the tree it is about to write: a file the reader would
 * refuse is never written (an analysis that breaks them is a bug, reported as one).
 */
#include "analysis/mv_analysis_internal.h"

#include <cjson/cJSON.h>
#include "util/mv_json.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MV_ANALYSIS_FORMAT 1

static double mv_round_to(double v, double step)
{
    return round(v / step) * step;
}

static cJSON *mv_json_times(const double *v, size_t n)
{
    cJSON *array = cJSON_CreateArray();
    for (size_t i = 0; array && i < n; i++)
        if (!cJSON_AddItemToArray(array, cJSON_CreateNumber(mv_round_to(v[i], 0.0001)))) {
            cJSON_Delete(array);
            return NULL;
        }
    return array;
}

static cJSON *mv_analysis_to_json(const mv_analysis *a)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    int ok = cJSON_AddNumberToObject(root, "format", MV_ANALYSIS_FORMAT) &&
             cJSON_AddNumberToObject(root, "duration", mv_round_to(a->duration, 0.0001)) &&
             cJSON_AddNumberToObject(root, "bpm", mv_round_to(a->bpm, 0.001)) &&
             cJSON_AddItemToObject(root, "beats", mv_json_times(a->beats, a->beat_count)) &&
             cJSON_AddItemToObject(root, "downbeats",
                                   mv_json_times(a->downbeats, a->downbeat_count)) &&
             cJSON_AddItemToObject(root, "onsets", mv_json_times(a->onsets, a->onset_count)) &&
             cJSON_AddNumberToObject(root, "energy_rate", a->energy_rate);
    cJSON *energy = ok ? cJSON_AddArrayToObject(root, "energy") : NULL;
    for (size_t i = 0; energy && i < a->energy_count; i++)
        if (!cJSON_AddItemToArray(energy, cJSON_CreateNumber(mv_round_to(a->energy[i], 0.001))))
            energy = NULL;
    cJSON *sections = energy ? cJSON_AddArrayToObject(root, "sections") : NULL;
    for (size_t i = 0; sections && i < a->section_count; i++) {
        cJSON *s = cJSON_CreateObject();
        if (!s || !cJSON_AddItemToArray(sections, s) ||
            !cJSON_AddNumberToObject(s, "start", mv_round_to(a->sections[i].start, 0.0001)) ||
            !cJSON_AddNumberToObject(s, "end", mv_round_to(a->sections[i].end, 0.0001)) ||
            !cJSON_AddNumberToObject(s, "energy", mv_round_to(a->sections[i].energy, 0.001)))
            sections = NULL;
    }
    if (!sections) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

/* ---- checking (the reader's rules, also run by the writer) */

typedef struct mv_json_reader {
    const char *path;
    int writing; /* checking an analysis about to be saved, not a file read back */
    mv_error *err;
} mv_json_reader;

static maivid_code mv_json_corrupt(const mv_json_reader *r, const char *what)
{
    if (r->writing)
        return mv_fail(r->err, MAIVID_E_INTERNAL,
                       "the song's analysis breaks a rule of analysis.json (%s), so %s was not "
                       "written; this is a bug in maivid: please report it with the song",
                       what, r->path);
    return mv_fail(r->err, MAIVID_E_CORRUPT,
                   "the analysis file %s cannot be used (%s): it was changed after maivid "
                   "wrote it, or written by an older maivid; delete it and resume the job "
                   "(maivid-cli resume JOB_ID) to analyse the song anew",
                   r->path, what);
}

static maivid_code mv_analysis_from_json(const mv_json_reader *r, const cJSON *root,
                                         mv_analysis *a);

maivid_code mv_analysis_save(const mv_analysis *a, const char *path, mv_error *err)
{
    if (!a || !path)
        return mv_fail(err, MAIVID_E_INVALID, "mv_analysis_save needs an analysis and a path");
    cJSON *root = mv_analysis_to_json(a);
    if (!root)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while writing %s", path);
    mv_analysis check;
    memset(&check, 0, sizeof check);
    mv_json_reader writer = {path, 1, err};
    maivid_code rc = mv_analysis_from_json(&writer, root, &check);
    mv_analysis_free(&check);
    if (rc == MAIVID_OK)
        rc = mv_json_write_file(root, 0, path, err);
    cJSON_Delete(root);
    return rc;
}

/* ---- reading */

static maivid_code mv_json_number(const mv_json_reader *r, const cJSON *obj, const char *name,
                                  double *value)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble) || item->valuedouble < 0) {
        char what[128];
        snprintf(what, sizeof what, "\"%s\" is missing or not a number >= 0", name);
        return mv_json_corrupt(r, what);
    }
    *value = item->valuedouble;
    return MAIVID_OK;
}

/* A sorted array of times within [0, limit] (the song's duration: the writer rounds both
 * the same way, so a time inside the song stays inside it). */
static maivid_code mv_json_times_read(const mv_json_reader *r, const cJSON *root,
                                      const char *name, double limit, double **out, size_t *n)
{
    const cJSON *array = cJSON_GetObjectItemCaseSensitive(root, name);
    char what[160];
    if (!cJSON_IsArray(array)) {
        snprintf(what, sizeof what, "\"%s\" is missing or not a list", name);
        return mv_json_corrupt(r, what);
    }
    size_t count = (size_t)cJSON_GetArraySize(array);
    double *v = count ? malloc(count * sizeof *v) : NULL;
    if (count && !v)
        return mv_fail(r->err, MAIVID_E_NOMEM, "out of memory while reading %s", r->path);
    size_t i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, array) {
        if (!cJSON_IsNumber(item) || !(item->valuedouble >= 0) ||
            item->valuedouble > limit || (i > 0 && item->valuedouble < v[i - 1])) {
            if (cJSON_IsNumber(item) && item->valuedouble > limit)
                snprintf(what, sizeof what,
                         "\"%s\" item %zu is at %.4f s, after the song's end at %.4f s", name,
                         i, item->valuedouble, limit);
            else
                snprintf(what, sizeof what,
                         "\"%s\" item %zu is not a time in order within the song", name, i);
            free(v);
            return mv_json_corrupt(r, what);
        }
        v[i++] = item->valuedouble;
    }
    *out = v;
    *n = count;
    return MAIVID_OK;
}

static maivid_code mv_json_energy_read(const mv_json_reader *r, const cJSON *root,
                                       mv_analysis *a)
{
    const cJSON *array = cJSON_GetObjectItemCaseSensitive(root, "energy");
    if (!cJSON_IsArray(array))
        return mv_json_corrupt(r, "\"energy\" is missing or not a list");
    size_t count = (size_t)cJSON_GetArraySize(array), i = 0;
    a->energy = count ? malloc(count * sizeof *a->energy) : NULL;
    if (count && !a->energy)
        return mv_fail(r->err, MAIVID_E_NOMEM, "out of memory while reading %s", r->path);
    a->energy_count = count;
    const cJSON *item;
    cJSON_ArrayForEach(item, array) {
        if (!cJSON_IsNumber(item) || !(item->valuedouble >= 0) || item->valuedouble > 1)
            return mv_json_corrupt(r, "an \"energy\" value is not a number in 0..1");
        a->energy[i++] = (float)item->valuedouble;
    }
    return MAIVID_OK;
}

static maivid_code mv_json_sections_read(const mv_json_reader *r, const cJSON *root,
                                         mv_analysis *a)
{
    const cJSON *array = cJSON_GetObjectItemCaseSensitive(root, "sections");
    size_t count = cJSON_IsArray(array) ? (size_t)cJSON_GetArraySize(array) : 0;
    if (count == 0)
        return mv_json_corrupt(r, "\"sections\" is missing or empty");
    a->sections = calloc(count, sizeof *a->sections);
    if (!a->sections)
        return mv_fail(r->err, MAIVID_E_NOMEM, "out of memory while reading %s", r->path);
    a->section_count = count;
    size_t i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, array) {
        mv_section *s = &a->sections[i];
        maivid_code rc = mv_json_number(r, item, "start", &s->start);
        if (rc == MAIVID_OK)
            rc = mv_json_number(r, item, "end", &s->end);
        if (rc == MAIVID_OK)
            rc = mv_json_number(r, item, "energy", &s->energy);
        if (rc != MAIVID_OK)
            return rc;
        double expected_start = i == 0 ? 0 : a->sections[i - 1].end;
        if (fabs(s->start - expected_start) > 0.001 || s->end < s->start || s->energy > 1)
            return mv_json_corrupt(r, "the sections do not tile the song in order");
        i++;
    }
    if (fabs(a->sections[count - 1].end - a->duration) > 0.001)
        return mv_json_corrupt(r, "the last section does not end with the song");
    return MAIVID_OK;
}

static maivid_code mv_analysis_from_json(const mv_json_reader *r, const cJSON *root,
                                         mv_analysis *a)
{
    if (!cJSON_IsObject(root))
        return mv_json_corrupt(r, "not a JSON object");
    double format = 0;
    maivid_code rc = mv_json_number(r, root, "format", &format);
    if (rc != MAIVID_OK)
        return rc;
    if (format != MV_ANALYSIS_FORMAT)
        return mv_json_corrupt(r, "written by an unknown version of maivid");
    rc = mv_json_number(r, root, "duration", &a->duration);
    if (rc == MAIVID_OK)
        rc = mv_json_number(r, root, "bpm", &a->bpm);
    if (rc == MAIVID_OK)
        rc = mv_json_number(r, root, "energy_rate", &a->energy_rate);
    if (rc == MAIVID_OK)
        rc = mv_json_times_read(r, root, "beats", a->duration, &a->beats, &a->beat_count);
    if (rc == MAIVID_OK)
        rc = mv_json_times_read(r, root, "downbeats", a->duration, &a->downbeats,
                                &a->downbeat_count);
    if (rc == MAIVID_OK)
        rc = mv_json_times_read(r, root, "onsets", a->duration, &a->onsets, &a->onset_count);
    if (rc == MAIVID_OK)
        rc = mv_json_energy_read(r, root, a);
    if (rc == MAIVID_OK)
        rc = mv_json_sections_read(r, root, a);
    return rc;
}

maivid_code mv_analysis_load(const char *path, mv_analysis *out, mv_error *err)
{
    if (!out || !path)
        return mv_fail(err, MAIVID_E_INVALID, "mv_analysis_load needs a path and a record");
    memset(out, 0, sizeof *out);
    cJSON *root = NULL;
    maivid_code rc = mv_json_read_file(path, &root, err);
    if (rc != MAIVID_OK)
        return rc;
    mv_json_reader reader = {path, 0, err};
    rc = root ? mv_analysis_from_json(&reader, root, out)
              : mv_json_corrupt(&reader, "not valid JSON");
    cJSON_Delete(root);
    if (rc != MAIVID_OK)
        mv_analysis_free(out);
    return rc;
}
