/*
 * lyrics.c - the lyrics stage: picks the song's lyrics in the order the job defines (the
 * job's own text, the source's such as the Suno clip's, a lyrics tag in the file (ID3
 * SYLT/USLT, Vorbis LYRICS), an .lrc beside a local file, and only when none of those has
 * any, a speech-to-text server if one is configured) and stores them verbatim in
 * <source_dir>/lyrics.txt. An instrumental song gets an empty file; nothing is invented.
 */
#include "ingest/mv_ingest_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int blank(const char *s)
{
    if (!s)
        return 1;
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

static uint32_t be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static uint32_t syncsafe(const uint8_t *p)
{
    return ((uint32_t)(p[0] & 0x7f) << 21) | ((uint32_t)(p[1] & 0x7f) << 14) |
           ((uint32_t)(p[2] & 0x7f) << 7) | (p[3] & 0x7f);
}

/* SYLT body -> LRC. Only Latin-1/UTF-8 text with millisecond stamps is understood. */
static char *sylt_body_to_lrc(const uint8_t *b, size_t n)
{
    if (n < 6)
        return NULL;
    int encoding = b[0], stamp_format = b[4];
    if ((encoding != 0 && encoding != 3) || stamp_format != 2)
        return NULL;
    size_t p = 6;
    while (p < n && b[p])
        p++; /* content descriptor */
    p++;
    size_t cap = n * 2 + 64, len = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    out[0] = '\0';
    while (p < n) {
        size_t t0 = p;
        while (p < n && b[p])
            p++;
        if (p + 5 > n)
            break;
        size_t tl = p - t0;
        uint32_t ms = be32(b + p + 1);
        p += 5;
        const uint8_t *text = b + t0;
        if (tl > 0 && text[0] == '\n') { /* some taggers start each line with a newline */
            text++;
            tl--;
        }
        if (len + tl + 16 > cap)
            break;
        len += (size_t)snprintf(out + len, cap - len, "[%02u:%02u.%02u]%.*s\n", ms / 60000,
                                (ms / 1000) % 60, (ms % 1000) / 10, (int)tl, (const char *)text);
    }
    if (len == 0) {
        free(out);
        return NULL;
    }
    return out;
}

char *mv_id3_sylt_to_lrc(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t h[10];
    char *out = NULL;
    if (fread(h, 1, 10, f) == 10 && memcmp(h, "ID3", 3) == 0 && (h[3] == 3 || h[3] == 4) &&
        !(h[5] & 0x80)) { /* unsynchronised tags are left to libavformat */
        uint32_t size = syncsafe(h + 6);
        uint8_t *tag = size <= 16u * 1024 * 1024 ? malloc(size) : NULL;
        if (tag && fread(tag, 1, size, f) == size) {
            size_t p = 0;
            if (h[5] & 0x40) /* extended header */
                p += h[3] == 4 ? syncsafe(tag) : be32(tag) + 4;
            while (p + 10 <= size && tag[p] && !out) {
                uint32_t fsize = h[3] == 4 ? syncsafe(tag + p + 4) : be32(tag + p + 4);
                if (fsize > size - p - 10)
                    break;
                if (memcmp(tag + p, "SYLT", 4) == 0)
                    out = sylt_body_to_lrc(tag + p + 10, fsize);
                p += 10 + fsize;
            }
        }
        free(tag);
    }
    fclose(f);
    return out;
}

char *mv_lyrics_from_file_tags(const char *path)
{
    if (!path)
        return NULL;
    char *lrc = mv_id3_sylt_to_lrc(path);
    if (lrc)
        return lrc;
    mv_probe_info info;
    if (mv_probe_audio(path, &info, NULL) != MAIVID_OK)
        return NULL;
    char *lyrics = info.lyrics;
    info.lyrics = NULL;
    mv_probe_info_free(&info);
    return lyrics;
}

/* <path without extension>.lrc beside a local source file, read whole. */
static char *lrc_beside(const char *source)
{
    if (!source || strstr(source, "://"))
        return NULL;
    if (strncmp(source, "file:", 5) == 0)
        source += strncmp(source, "file://", 7) == 0 ? 7 : 5;
    char *base = mv_strdup(source);
    if (!base)
        return NULL;
    char *slash = strrchr(base, '/'), *dot = strrchr(base, '.');
    if (dot && (!slash || dot > slash))
        *dot = '\0';
    char *lrc_path = mv_strdup_printf("%s.lrc", base);
    free(base);
    char *text = NULL;
    size_t len = 0;
    if (lrc_path && mv_read_file(lrc_path, &text, &len, NULL) != MAIVID_OK)
        text = NULL;
    free(lrc_path);
    return text;
}

/* Asks the configured speech-to-text server for the song's words. Only a cancel fails the
 * stage: any other failure is a warning and the song stays instrumental (*found NULL). */
static maivid_code transcribe(const mv_fetch_config *cfg, const mv_song *song,
                              const mv_task *task, char **found, mv_error *err)
{
    mv_error why;
    memset(&why, 0, sizeof why);
    char *text = NULL;
    maivid_code rc = mv_stt_transcribe(cfg, song ? song->audio_path : NULL,
                                       song ? song->duration : 0, task, &text, &why);
    if (rc == MAIVID_E_CANCELLED || mv_task_cancelled(task)) {
        free(text);
        return mv_fail(err, MAIVID_E_CANCELLED, "the transcription was cancelled");
    }
    if (rc != MAIVID_OK)
        mv_task_warn(task, "No lyrics: transcription failed, so the song is treated as "
                           "instrumental. %s", why.message);
    *found = NULL;
    if (rc == MAIVID_OK && !blank(text))
        *found = text;
    else
        free(text);
    return MAIVID_OK;
}

maivid_code mv_resolve_lyrics(const mv_fetch_config *cfg, const char *own_lyrics,
                              const char *source, const char *source_dir, const mv_song *song,
                              const mv_task *task, mv_error *err)
{
    char *found = NULL;
    const char *origin = "none";
    if (!blank(own_lyrics)) {
        found = mv_strdup(own_lyrics);
        origin = "the job";
    } else if (song && !blank(song->lyrics)) {
        found = mv_strdup(song->lyrics);
        origin = "the source";
    } else if (song && song->audio_path) {
        found = mv_lyrics_from_file_tags(song->audio_path);
        origin = "the file's tags";
    }
    if (blank(found) && cfg && cfg->allow_local_files) {
        free(found);
        found = lrc_beside(source);
        origin = "an .lrc file";
    }
    if (blank(found)) {
        free(found);
        found = NULL;
        origin = "none";
    }
    if (!found && cfg && cfg->stt_url && cfg->stt_url[0]) {
        maivid_code trc = transcribe(cfg, song, task, &found, err);
        if (trc != MAIVID_OK)
            return trc;
        if (found)
            origin = "speech-to-text transcription";
    }
    if (mv_task_cancelled(task)) {
        free(found);
        return mv_fail(err, MAIVID_E_CANCELLED, "cancelled");
    }
    if (mv_utf8_fix(&found) != 0) /* tags and .lrc files may hold any bytes */
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    char *path = mv_strdup_printf("%s/lyrics.txt", source_dir);
    maivid_code rc = mv_write_file_atomic(path, found ? found : "", found ? strlen(found) : 0,
                                          err);
    free(path);
    if (rc == MAIVID_OK) {
        char text[80];
        snprintf(text, sizeof text, found ? "Lyrics from %s" : "No lyrics (instrumental)",
                 origin);
        mv_task_progress(task, 1.0, text);
    }
    free(found);
    return rc;
}
