/*
 * metadata_json.c - <source_dir>/metadata.json: what the download stage learned about the
 * song (file names relative to the folder, title, artist, tags, lyrics, duration, ...),
 * written last and atomically so its presence means the folder is complete, and read back
 * by mv_song_load so a resumed job does not fetch again.
 */
#include "ingest/mv_ingest_internal.h"

#include <cjson/cJSON.h>
#include "util/mv_json.h"
#include <stdlib.h>
#include <string.h>

static const char *base_name(const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    return slash ? slash + 1 : path;
}

static void add_str(cJSON *o, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(o, key, value);
    else
        cJSON_AddNullToObject(o, key);
}

maivid_code mv_song_write_metadata(const char *source_dir, const char *source,
                                   const mv_song *song, mv_error *err)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    cJSON_AddNumberToObject(o, "version", 1);
    add_str(o, "source", source);
    add_str(o, "source_kind", song->source_kind);
    add_str(o, "audio", base_name(song->audio_path));
    add_str(o, "cover", song->cover_path ? base_name(song->cover_path) : NULL);
    add_str(o, "title", song->title);
    add_str(o, "artist", song->artist);
    add_str(o, "tags", song->tags);
    add_str(o, "lyrics", song->lyrics);
    add_str(o, "song_id", song->song_id);
    cJSON_AddNumberToObject(o, "duration", song->duration);
    cJSON_AddNumberToObject(o, "bpm", song->bpm);
    cJSON_AddNumberToObject(o, "fetched_at", mv_now());
    char *path = mv_strdup_printf("%s/metadata.json", source_dir);
    maivid_code rc = path ? mv_json_write_file(o, 1, path, err)
                          : mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    cJSON_Delete(o);
    free(path);
    return rc;
}

int mv_song_repair_text(mv_song *song)
{
    char **texts[] = {&song->title, &song->artist, &song->tags, &song->lyrics, &song->song_id,
                      &song->source_kind};
    int rc = 0;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        rc |= mv_utf8_fix(texts[i]);
    return rc;
}

static int safe_file_name(const char *name)
{
    return name && *name && !strchr(name, '/') && strcmp(name, ".") != 0 &&
           strcmp(name, "..") != 0;
}

maivid_code mv_song_load(const char *source_dir, mv_song *song, mv_error *err)
{
    memset(song, 0, sizeof *song);
    char *path = mv_strdup_printf("%s/metadata.json", source_dir);
    char *text = NULL;
    size_t len = 0;
    maivid_code rc = mv_read_file(path, &text, &len, NULL);
    if (rc != MAIVID_OK) {
        rc = mv_fail(err, MAIVID_E_NOT_FOUND,
                     "%s is missing: the song was not fetched completely; run the download "
                     "stage again", path);
        free(path);
        return rc;
    }
    cJSON *o = mv_json_parse_opts(text, len, NULL, 0);
    free(text);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        rc = mv_fail(err, MAIVID_E_CORRUPT, "%s is damaged; delete it to fetch the song again",
                     path);
        free(path);
        return rc;
    }
    char *audio = mv_json_dup_string(o, "audio"), *cover = mv_json_dup_string(o, "cover");
    if (!safe_file_name(audio)) {
        rc = mv_fail(err, MAIVID_E_CORRUPT, "%s names no audio file; delete it to fetch the "
                     "song again", path);
    } else {
        song->audio_path = mv_strdup_printf("%s/%s", source_dir, audio);
        if (!mv_file_exists(song->audio_path))
            rc = mv_fail(err, MAIVID_E_NOT_FOUND, "the stored audio %s is missing; delete %s "
                         "to fetch the song again", song->audio_path, path);
    }
    if (rc == MAIVID_OK) {
        if (safe_file_name(cover)) {
            song->cover_path = mv_strdup_printf("%s/%s", source_dir, cover);
            if (!mv_file_exists(song->cover_path)) {
                free(song->cover_path);
                song->cover_path = NULL;
            }
        }
        song->title = mv_json_dup_string(o, "title");
        song->artist = mv_json_dup_string(o, "artist");
        song->tags = mv_json_dup_string(o, "tags");
        song->lyrics = mv_json_dup_string(o, "lyrics");
        song->song_id = mv_json_dup_string(o, "song_id");
        song->source_kind = mv_json_dup_string(o, "source_kind");
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "duration");
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(o, "bpm");
        song->duration = cJSON_IsNumber(d) ? d->valuedouble : 0;
        song->bpm = cJSON_IsNumber(b) ? b->valuedouble : 0;
        if (mv_song_repair_text(song) != 0)
            rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    } else {
        mv_song_free(song);
    }
    free(audio);
    free(cover);
    free(path);
    cJSON_Delete(o);
    return rc;
}
