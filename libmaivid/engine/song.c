/*
 * song.c - whose song a job is making a video for: title, artist, tags, duration, bpm, the
 * kept cover, the source kind (suno, direct, page, file) and the Suno id, taken from
 * source/metadata.json when the download stage ends, kept in job.json and shown in the
 * status as the `song` object.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "engine/mv_job_json.h"
#include "ingest/mv_ingest.h"
#include "util/mv_json.h"

void mv_job_song_clear(mv_job_song *s)
{
    char *strings[] = {s->title, s->artist, s->tags, s->source_kind, s->suno_id, s->cover_path};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        free(strings[i]);
    memset(s, 0, sizeof *s);
}

static int mv_dup_field(char **dst, const char *src)
{
    *dst = src ? mv_strdup(src) : NULL;
    return !src || *dst ? 0 : -1;
}

int mv_job_song_copy(mv_job_song *dst, const mv_job_song *src)
{
    memset(dst, 0, sizeof *dst);
    int rc = mv_dup_field(&dst->title, src->title) | mv_dup_field(&dst->artist, src->artist) |
             mv_dup_field(&dst->tags, src->tags) |
             mv_dup_field(&dst->source_kind, src->source_kind) |
             mv_dup_field(&dst->suno_id, src->suno_id) |
             mv_dup_field(&dst->cover_path, src->cover_path);
    dst->duration = src->duration;
    dst->bpm = src->bpm;
    if (rc != 0)
        mv_job_song_clear(dst);
    return rc;
}

/* The public name of a source kind (jobs fetched before 0.1.1 say "local" for a file). */
static const char *mv_public_kind(const char *kind)
{
    return kind && strcmp(kind, "local") == 0 ? "file" : kind;
}

maivid_code mv_job_song_load(const char *source_dir, mv_job_song *out, mv_error *err)
{
    mv_song song;
    maivid_code rc = mv_song_describe(source_dir, &song, err);
    if (rc != MAIVID_OK)
        return rc;
    mv_job_song s = {0};
    int is_suno = song.source_kind && strcmp(song.source_kind, "suno") == 0;
    int failed = mv_dup_field(&s.title, song.title && *song.title ? song.title : NULL) |
                 mv_dup_field(&s.artist, song.artist && *song.artist ? song.artist : NULL) |
                 mv_dup_field(&s.tags, song.tags && *song.tags ? song.tags : NULL) |
                 mv_dup_field(&s.source_kind, mv_public_kind(song.source_kind)) |
                 mv_dup_field(&s.suno_id, is_suno ? song.song_id : NULL) |
                 mv_dup_field(&s.cover_path, song.cover_path);
    s.duration = song.duration > 0 ? song.duration : 0;
    s.bpm = song.bpm > 0 ? song.bpm : 0;
    mv_song_free(&song);
    if (failed) {
        mv_job_song_clear(&s);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    }
    mv_job_song_clear(out);
    *out = s;
    return MAIVID_OK;
}

static void mv_add_text(cJSON *o, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(o, key, value);
    else
        cJSON_AddNullToObject(o, key);
}

static void mv_add_positive(cJSON *o, const char *key, double value)
{
    if (value > 0)
        cJSON_AddNumberToObject(o, key, value);
    else
        cJSON_AddNullToObject(o, key);
}

cJSON *mv_job_song_to_json(const mv_job_song *s, double analysed_bpm, int record)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    mv_add_text(o, "title", s->title);
    mv_add_text(o, "artist", s->artist);
    mv_add_text(o, "tags", s->tags);
    mv_add_positive(o, "duration", s->duration);
    mv_add_positive(o, "bpm", s->bpm > 0 ? s->bpm : analysed_bpm);
    cJSON_AddNullToObject(o, "cover_url");
    mv_add_text(o, "cover_path", s->cover_path);
    mv_add_text(o, "source_kind", s->source_kind);
    mv_add_text(o, "suno_id", s->suno_id);
    if (record)
        cJSON_AddNumberToObject(o, "source_bpm", s->bpm);
    return o;
}

void mv_job_song_from_json(const cJSON *o, mv_job_song *s)
{
    mv_job_song_clear(s);
    if (!cJSON_IsObject(o))
        return;
    s->title = mv_json_dup_string(o, "title");
    s->artist = mv_json_dup_string(o, "artist");
    s->tags = mv_json_dup_string(o, "tags");
    s->source_kind = mv_json_dup_string(o, "source_kind");
    s->suno_id = mv_json_dup_string(o, "suno_id");
    s->cover_path = mv_json_dup_string(o, "cover_path");
    s->duration = mv_json_number_or(o, "duration", 0.0);
    /* the record keeps the source's bpm only: the analysed one is the job's own field */
    s->bpm = mv_json_number_or(o, "source_bpm", 0.0);
}
