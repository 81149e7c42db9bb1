/*
 * timed_lyrics.c - the timed-lyrics record (see mv_timed_lyrics.h): source names, the
 * invariant check, and lyrics_timed.json written atomically and read back.
 */
#include "captions/mv_timed_lyrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/mv_json.h"

static const char *const source_names[] = {"none", "user", "suno", "speech_to_text",
                                           "estimated"};

const char *mv_timing_source_name(mv_timing_source source)
{
    if ((unsigned)source >= sizeof source_names / sizeof source_names[0])
        return "none";
    return source_names[source];
}

mv_timing_source mv_timing_source_from_name(const char *name)
{
    for (size_t i = 0; name && i < sizeof source_names / sizeof source_names[0]; i++)
        if (strcmp(name, source_names[i]) == 0)
            return (mv_timing_source)i;
    return MV_TIMING_NONE;
}

static int time_ok(double t, double duration)
{
    return isfinite(t) && t >= 0.0 && (duration <= 0.0 || t <= duration + 1e-6);
}

maivid_code mv_timed_lyrics_check(const mv_timed_lyrics *l, double duration, mv_error *err)
{
    double previous_end = 0.0;
    for (size_t i = 0; i < l->line_count; i++) {
        const mv_timed_line *line = &l->lines[i];
        if (!line->text || !time_ok(line->start, duration) || !time_ok(line->end, duration) ||
            line->start >= line->end)
            return mv_fail(err, MAIVID_E_INVALID,
                           "lyric line %zu has no text or times outside the song "
                           "(%.3f-%.3f s of %.3f s)", i + 1, line->start, line->end, duration);
        if (line->start < previous_end - 1e-6)
            return mv_fail(err, MAIVID_E_INVALID,
                           "lyric line %zu starts at %.3f s, before the previous line ends "
                           "(%.3f s)", i + 1, line->start, previous_end);
        previous_end = line->end;
        double word_end = line->start;
        for (size_t w = 0; w < line->word_count; w++) {
            const mv_timed_word *word = &line->words[w];
            if (!word->text || !(word->start < word->end) ||
                word->start < word_end - 1e-6 || word->end > line->end + 1e-6 ||
                !isfinite(word->start) || !isfinite(word->end))
                return mv_fail(err, MAIVID_E_INVALID,
                               "lyric line %zu: word %zu has times out of order or outside "
                               "its line", i + 1, w + 1);
            word_end = word->end;
        }
    }
    if (l->has_word_times)
        for (size_t i = 0; i < l->line_count; i++)
            if (l->lines[i].word_count == 0)
                return mv_fail(err, MAIVID_E_INVALID,
                               "lyric line %zu has no word times although the lyrics "
                               "claim word times", i + 1);
    return MAIVID_OK;
}

static cJSON *line_to_json(const mv_timed_line *line)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "text", line->text);
    cJSON_AddNumberToObject(o, "start", line->start);
    cJSON_AddNumberToObject(o, "end", line->end);
    if (line->section)
        cJSON_AddStringToObject(o, "section", line->section);
    if (line->word_count) {
        cJSON *words = cJSON_AddArrayToObject(o, "words");
        for (size_t w = 0; words && w < line->word_count; w++) {
            cJSON *wo = cJSON_CreateObject();
            if (!wo)
                break;
            cJSON_AddStringToObject(wo, "text", line->words[w].text);
            cJSON_AddNumberToObject(wo, "start", line->words[w].start);
            cJSON_AddNumberToObject(wo, "end", line->words[w].end);
            cJSON_AddItemToArray(words, wo);
        }
    }
    return o;
}

maivid_code mv_timed_lyrics_save(const mv_timed_lyrics *l, const char *path, mv_error *err)
{
    maivid_code rc = mv_timed_lyrics_check(l, 0.0, err);
    if (rc != MAIVID_OK)
        return rc;
    cJSON *root = cJSON_CreateObject();
    cJSON *lines = root ? cJSON_AddArrayToObject(root, "lines") : NULL;
    if (!lines) {
        cJSON_Delete(root);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while writing %s", path);
    }
    cJSON_AddNumberToObject(root, "version", 1);
    cJSON_AddStringToObject(root, "source", mv_timing_source_name(l->source));
    cJSON_AddNumberToObject(root, "confidence", l->confidence);
    cJSON_AddBoolToObject(root, "word_times", l->has_word_times != 0);
    for (size_t i = 0; i < l->line_count; i++)
        cJSON_AddItemToArray(lines, line_to_json(&l->lines[i]));
    rc = mv_json_write_file(root, 1, path, err);
    cJSON_Delete(root);
    return rc;
}

static int read_time(const cJSON *o, const char *key, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(v))
        return 0;
    *out = v->valuedouble;
    return 1;
}

static int line_from_json(const cJSON *o, mv_timed_line *line)
{
    line->text = mv_json_dup_string(o, "text");
    line->section = mv_json_dup_string(o, "section");
    if (!line->text || !read_time(o, "start", &line->start) || !read_time(o, "end", &line->end))
        return 0;
    const cJSON *words = cJSON_GetObjectItemCaseSensitive(o, "words");
    int n = cJSON_IsArray(words) ? cJSON_GetArraySize(words) : 0;
    if (n <= 0)
        return 1;
    line->words = calloc((size_t)n, sizeof *line->words);
    if (!line->words)
        return 0;
    const cJSON *wo;
    cJSON_ArrayForEach(wo, words) {
        mv_timed_word *w = &line->words[line->word_count++];
        w->text = mv_json_dup_string(wo, "text");
        if (!w->text || !read_time(wo, "start", &w->start) || !read_time(wo, "end", &w->end))
            return 0;
    }
    return 1;
}

maivid_code mv_timed_lyrics_load(const char *path, mv_timed_lyrics *out, mv_error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *root = NULL;
    maivid_code rc = mv_json_read_file(path, &root, err);
    if (rc != MAIVID_OK)
        return rc;
    const cJSON *lines = root ? cJSON_GetObjectItemCaseSensitive(root, "lines") : NULL;
    if (!cJSON_IsArray(lines)) {
        cJSON_Delete(root);
        return mv_fail(err, MAIVID_E_CORRUPT, "%s is damaged (no \"lines\" array); delete it "
                       "and resume the job to time the lyrics again", path);
    }
    char *source = mv_json_dup_string(root, "source");
    out->source = mv_timing_source_from_name(source);
    free(source);
    out->confidence = mv_json_number_or(root, "confidence", 0.0);
    out->has_word_times = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "word_times"));
    int n = cJSON_GetArraySize(lines);
    out->lines = n > 0 ? calloc((size_t)n, sizeof *out->lines) : NULL;
    if (n > 0 && !out->lines) {
        cJSON_Delete(root);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while reading %s", path);
    }
    const cJSON *lo;
    int ok = 1;
    cJSON_ArrayForEach(lo, lines) {
        if (!line_from_json(lo, &out->lines[out->line_count++])) {
            ok = 0;
            break;
        }
    }
    cJSON_Delete(root);
    mv_error check_err = {0};
    if (!ok || mv_timed_lyrics_check(out, 0.0, &check_err) != MAIVID_OK) {
        size_t bad = out->line_count;
        mv_timed_lyrics_free(out);
        if (ok)
            return mv_fail(err, MAIVID_E_CORRUPT, "%s is damaged: %s", path, check_err.message);
        return mv_fail(err, MAIVID_E_CORRUPT, "%s is damaged (line %zu lacks text or times); "
                       "delete it and resume the job to time the lyrics again", path, bad);
    }
    return MAIVID_OK;
}

void mv_timed_lyrics_free(mv_timed_lyrics *l)
{
    for (size_t i = 0; i < l->line_count; i++) {
        free(l->lines[i].text);
        free(l->lines[i].section);
        for (size_t w = 0; w < l->lines[i].word_count; w++)
            free(l->lines[i].words[w].text);
        free(l->lines[i].words);
    }
    free(l->lines);
    memset(l, 0, sizeof *l);
}
