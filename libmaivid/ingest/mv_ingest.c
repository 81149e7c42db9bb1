/*
 * mv_ingest.c - the download stage: turns the job's source (a Suno link, a direct audio
 * URL, a web page naming its audio, or a local file where allowed) into
 * <source_dir>/audio.<ext> plus cover and metadata.json, and fills mv_song. Audio only
 * appears under its final name once complete and sniffed; metadata.json is written last and
 * marks the folder complete for mv_song_load.
 */
#include "ingest/mv_ingest_internal.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* The last path segment of a URL or path, %-decoded, without extension. */
static char *name_from_source(const char *source)
{
    const char *start = source;
    const char *scheme = strstr(source, "://");
    if (scheme)
        start = scheme + 3;
    size_t len = strcspn(start, "?#");
    const char *end = start + len;
    while (end > start && end[-1] == '/')
        end--;
    const char *seg = end;
    while (seg > start && seg[-1] != '/')
        seg--;
    if (scheme && seg == start)
        return NULL; /* only a host */
    char *raw = strndup(seg, (size_t)(end - seg));
    if (!raw)
        return NULL;
    int outlen = 0;
    char *dec = curl_easy_unescape(NULL, raw, 0, &outlen);
    free(raw);
    if (!dec)
        return NULL;
    char *name = mv_strdup(dec);
    curl_free(dec);
    char *dot = name ? strrchr(name, '.') : NULL;
    if (dot && dot != name)
        *dot = '\0';
    for (char *p = name; p && *p; p++)
        if (*p == '_')
            *p = ' ';
    if (name && !*name) {
        free(name);
        return NULL;
    }
    return name;
}

static char *trimmed_copy(const char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    char *out = mv_strdup(s);
    size_t n = out ? strlen(out) : 0;
    while (n > 0 && isspace((unsigned char)out[n - 1]))
        out[--n] = '\0';
    return out;
}

static maivid_code copy_local(const char *path, const char *dir, char **audio_path, mv_error *err)
{
    if (!mv_file_exists(path))
        return mv_fail(err, MAIVID_E_FETCH, "the file %s does not exist; check the path", path);
    mv_sniff_kind kind = mv_sniff_file(path);
    if (!mv_sniff_is_media(kind))
        return mv_fail(err, MAIVID_E_MEDIA, "the file %s is %s, not audio; pass an mp3, m4a, "
                       "wav, flac or ogg file", path, mv_sniff_describe(kind));
    char *tmp = mv_strdup_printf("%s/.download", dir);
    FILE *in = fopen(path, "rb"), *out = in ? fopen(tmp, "wb") : NULL;
    maivid_code rc = MAIVID_OK;
    if (!in || !out) {
        rc = mv_fail(err, MAIVID_E_IO, "cannot copy %s into the job: %s", path, strerror(errno));
    } else {
        char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, in)) > 0)
            if (fwrite(buf, 1, n, out) != n) {
                rc = mv_fail(err, MAIVID_E_IO, "cannot copy %s into the job: %s", path,
                             strerror(errno));
                break;
            }
        if (ferror(in))
            rc = mv_fail(err, MAIVID_E_IO, "cannot read %s: %s", path, strerror(errno));
    }
    if (in)
        fclose(in);
    if (out && fclose(out) != 0 && rc == MAIVID_OK)
        rc = mv_fail(err, MAIVID_E_IO, "cannot write %s: %s", tmp, strerror(errno));
    if (rc == MAIVID_OK)
        rc = mv_install_media(tmp, kind, dir, audio_path, err);
    else
        unlink(tmp);
    free(tmp);
    return rc;
}

static int looks_like_audio_name(const char *url)
{
    static const char *const exts[] = {".mp3", ".m4a", ".aac", ".wav", ".flac", ".ogg",
                                       ".opus", ".mp4", ".webm", ".mka"};
    size_t len = strcspn(url, "?#");
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        size_t el = strlen(exts[i]);
        if (len > el && strncasecmp(url + len - el, exts[i], el) == 0)
            return 1;
    }
    return 0;
}

/* A generic URL: audio directly, or a page that names its audio. */
static maivid_code fetch_generic(const mv_fetch_config *cfg, const char *url, const char *dir,
                                 mv_song *song, const mv_task *task, mv_error *err)
{
    mv_dl_response resp;
    maivid_code rc = mv_fetch_media(cfg, url, dir, &song->audio_path, &resp, task, 0.0, 0.9, err);
    if (rc == MAIVID_OK) {
        song->source_kind = mv_strdup("direct");
        mv_dl_response_free(&resp);
        return rc;
    }
    if (rc != MAIVID_E_MEDIA || !resp.body || mv_sniff((const uint8_t *)resp.head, resp.head_len)
                                                  != MV_SNIFF_HTML) {
        mv_dl_response_free(&resp);
        return rc;
    }
    /* a web page: follow the audio it names */
    const char *page_url = resp.final_url ? resp.final_url : url;
    char *cands[8];
    size_t n = mv_page_media_urls(resp.body, page_url, cands, 8);
    if (n == 0 && looks_like_audio_name(url)) {
        rc = mv_fail(err, MAIVID_E_FETCH,
                     "%.300s is named like an audio file but the server sent an HTML page "
                     "(Content-Type %s), not audio: the file may need a login or be gone; "
                     "pass the audio file itself or a working direct link", url,
                     resp.content_type ? resp.content_type : "none");
    } else if (n == 0) {
        rc = mv_fail(err, MAIVID_E_FETCH,
                     "the page %.300s names no audio (no og:audio, og:video, <audio> or "
                     "<source>); pass a direct link to the audio file or the file itself", url);
    } else {
        mv_error last;
        mv_error_clear(&last);
        rc = MAIVID_E_FETCH;
        for (size_t i = 0; i < n && rc != MAIVID_OK; i++) {
            rc = mv_fetch_media(cfg, cands[i], dir, &song->audio_path, NULL, task, 0.0, 0.9,
                                &last);
            if (rc == MAIVID_E_CANCELLED || rc == MAIVID_E_POLICY)
                break;
        }
        if (rc != MAIVID_OK)
            rc = mv_fail(err, rc, "the page %.300s names audio, but it could not be fetched: %s",
                         url, last.message);
    }
    for (size_t i = 0; i < n; i++)
        free(cands[i]);
    if (rc == MAIVID_OK) {
        song->source_kind = mv_strdup("page");
        char *t = mv_html_meta(resp.body, "og:title");
        if (!t)
            t = mv_html_title(resp.body);
        song->title = t;
        song->artist = mv_html_meta(resp.body, "music:musician_description");
        if (!song->artist)
            song->artist = mv_html_meta(resp.body, "og:audio:artist");
        char *img = mv_html_meta(resp.body, "og:image");
        char *abs = img ? mv_url_resolve(page_url, img) : NULL;
        song->cover_path = mv_fetch_cover(cfg, abs, dir, task);
        free(img);
        free(abs);
    }
    mv_dl_response_free(&resp);
    return rc;
}

static void take(char **dst, char *src)
{
    if (!*dst || !**dst) {
        free(*dst);
        *dst = src;
    } else {
        free(src);
    }
}

maivid_code mv_fetch_song(const mv_fetch_config *cfg, const char *source, const char *source_dir,
                          mv_song *song, const mv_task *task, mv_error *err)
{
    memset(song, 0, sizeof *song);
    if (!cfg || !source || !source_dir)
        return mv_fail(err, MAIVID_E_INVALID, "no song source given: pass a URL or a file");
    maivid_code rc = mv_mkdir_p(source_dir, err);
    if (rc != MAIVID_OK)
        return rc;
    char *marker = mv_strdup_printf("%s/metadata.json", source_dir);
    unlink(marker); /* the folder is incomplete until this is written again */
    free(marker);
    char *src = trimmed_copy(source);
    if (!src)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    mv_task_progress(task, 0.0, "Fetching the song");

    int is_file_url = strncasecmp(src, "file:", 5) == 0;
    int is_url = strstr(src, "://") != NULL && !is_file_url;
    if (is_file_url || !is_url) {
        if (!cfg->allow_local_files) {
            rc = mv_fail(err, MAIVID_E_POLICY,
                         "'%.200s' is a local file%s, and this server does not read local "
                         "files; pass an http(s) link to the song", src,
                         is_file_url ? " URL" : " path (or not a URL)");
            goto out;
        }
        const char *path = src;
        if (is_file_url) {
            path = src + 5;
            if (strncmp(path, "//", 2) == 0)
                path += 2;
            if (strncasecmp(path, "localhost/", 10) == 0)
                path += 9;
        }
        rc = copy_local(path, source_dir, &song->audio_path, err);
        if (rc == MAIVID_OK)
            song->source_kind = mv_strdup("local");
    } else {
        char value[64];
        if (mv_suno_classify(cfg, src, value) != MV_SUNO_NOT_SUNO)
            rc = mv_suno_fetch(cfg, src, source_dir, song, task, err);
        else
            rc = fetch_generic(cfg, src, source_dir, song, task, err);
    }
    if (rc != MAIVID_OK)
        goto out;

    mv_task_progress(task, 0.92, "Reading the audio");
    mv_probe_info info;
    rc = mv_probe_audio(song->audio_path, &info, err);
    if (rc != MAIVID_OK) {
        unlink(song->audio_path);
        if (song->cover_path)
            unlink(song->cover_path);
        goto out;
    }
    if (info.header_duration > 0 && info.duration > 0 &&
        (info.header_duration > info.duration * 1.05 + 1.0 ||
         info.header_duration < info.duration * 0.95 - 1.0))
        mv_task_warn(task, "the audio header claims %.1f s but the audio lasts %.1f s; using "
                     "the decoded length", info.header_duration, info.duration);
    song->duration = info.duration;
    take(&song->title, info.title);
    take(&song->artist, info.artist);
    take(&song->tags, info.genre);
    if (!song->lyrics || !*song->lyrics) {
        free(song->lyrics);
        song->lyrics = mv_id3_sylt_to_lrc(song->audio_path);
    }
    take(&song->lyrics, info.lyrics);
    if (song->bpm <= 0)
        song->bpm = info.bpm;
    info.title = info.artist = info.genre = info.lyrics = NULL;
    if (!song->cover_path && info.has_cover)
        song->cover_path = mv_probe_extract_cover(song->audio_path, source_dir);
    mv_probe_info_free(&info);
    if ((!song->title || !*song->title) && song->song_id)
        take(&song->title, mv_strdup_printf("Suno Song %.8s", song->song_id));
    if (!song->title || !*song->title)
        take(&song->title, name_from_source(is_file_url ? src + 5 : src));
    if (!song->title || !*song->title)
        take(&song->title, mv_strdup("Untitled song"));

    /* tags, pages and Suno may hold any bytes: keep only valid UTF-8 (bad bytes: U+FFFD) */
    if (mv_song_repair_text(song) != 0)
        rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    else
        rc = mv_song_write_metadata(source_dir, src, song, err);
    if (rc == MAIVID_OK)
        mv_task_progress(task, 1.0, "Song fetched");
out:
    free(src);
    if (rc != MAIVID_OK)
        mv_song_free(song);
    return rc;
}

void mv_song_free(mv_song *song)
{
    if (!song)
        return;
    free(song->audio_path);
    free(song->title);
    free(song->artist);
    free(song->tags);
    free(song->lyrics);
    free(song->cover_path);
    free(song->source_kind);
    free(song->song_id);
    memset(song, 0, sizeof *song);
}
