/*
 * fetch_media.c - the download helpers the song sources share (direct links, pages, Suno):
 * fetching a URL's audio into <source_dir>/audio.<ext> (sniffed, a video's audio track
 * remuxed, only complete files under the final name) and the cover image. They depend on
 * nothing above them, so mv_ingest.c and suno.c both call down into this file.
 */
#include "ingest/mv_ingest_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MV_PAGE_MAX_BYTES (8u * 1024 * 1024)

static const char *audio_ext_for_codec(const char *codec)
{
    if (strcmp(codec, "aac") == 0)
        return "m4a";
    if (strcmp(codec, "mp3") == 0 || strcmp(codec, "mp3float") == 0)
        return "mp3";
    if (strcmp(codec, "opus") == 0 || strcmp(codec, "libopus") == 0 ||
        strcmp(codec, "vorbis") == 0 || strcmp(codec, "libvorbis") == 0)
        return "ogg";
    if (strcmp(codec, "flac") == 0)
        return "flac";
    return "mka";
}

maivid_code mv_install_media(const char *tmp, mv_sniff_kind kind, const char *dir,
                             char **audio_path, mv_error *err)
{
    maivid_code rc = MAIVID_OK;
    const char *ext = mv_sniff_ext(kind);
    char *final = NULL;
    if (kind == MV_SNIFF_MP4 || kind == MV_SNIFF_M4A || kind == MV_SNIFF_WEBM ||
        kind == MV_SNIFF_MKV) {
        mv_probe_info info;
        rc = mv_probe_audio(tmp, &info, err);
        if (rc != MAIVID_OK) {
            unlink(tmp);
            return rc;
        }
        if (info.has_video) {
            const char *aext = audio_ext_for_codec(info.codec);
            char *remux_tmp = mv_strdup_printf("%s/.remux.%s", dir, aext);
            final = mv_strdup_printf("%s/audio.%s", dir, aext);
            rc = mv_remux_audio(tmp, remux_tmp, err);
            if (rc == MAIVID_OK && rename(remux_tmp, final) != 0)
                rc = mv_fail(err, MAIVID_E_IO, "cannot move %s into place: %s", final,
                             strerror(errno));
            unlink(remux_tmp);
            free(remux_tmp);
            unlink(tmp);
            mv_probe_info_free(&info);
            if (rc != MAIVID_OK) {
                free(final);
                return rc;
            }
            *audio_path = final;
            return MAIVID_OK;
        }
        mv_probe_info_free(&info);
        if (kind == MV_SNIFF_MP4)
            ext = "m4a"; /* an audio-only MP4 is an M4A */
    }
    final = mv_strdup_printf("%s/audio.%s", dir, ext);
    if (rename(tmp, final) != 0) {
        rc = mv_fail(err, MAIVID_E_IO, "cannot move the download to %s: %s", final,
                     strerror(errno));
        unlink(tmp);
        free(final);
        return rc;
    }
    *audio_path = final;
    return MAIVID_OK;
}

maivid_code mv_fetch_media(const mv_fetch_config *cfg, const char *url, const char *source_dir,
                           char **audio_path, mv_dl_response *resp_out, const mv_task *task,
                           double p0, double p1, mv_error *err)
{
    *audio_path = NULL;
    char *tmp = mv_strdup_printf("%s/.download", source_dir);
    mv_dl_request req = {.url = url, .cfg = cfg, .dest_path = tmp, .max_retries = -1,
                           .task = task, .progress_from = p0, .progress_to = p1,
                           .accept = "audio/*,video/*,*/*;q=0.8"};
    mv_dl_response resp;
    maivid_code rc = mv_dl_get(&req, &resp, err);
    if (rc != MAIVID_OK) {
        free(tmp);
        if (resp_out)
            *resp_out = resp;
        return rc;
    }
    if (resp.status < 200 || resp.status >= 300) {
        rc = mv_dl_status_error(url, &resp,
                                  "pass the audio file or a direct link to the audio", err);
        unlink(tmp);
    } else {
        mv_sniff_kind kind = mv_sniff_file(tmp);
        if (mv_sniff_is_media(kind)) {
            rc = mv_install_media(tmp, kind, source_dir, audio_path, err);
        } else {
            if (kind == MV_SNIFF_HTML && resp_out) {
                free(resp.body);
                resp.body = NULL;
                resp.body_len = 0;
                if (mv_read_file(tmp, &resp.body, &resp.body_len, NULL) != MAIVID_OK ||
                    resp.body_len > MV_PAGE_MAX_BYTES) {
                    free(resp.body);
                    resp.body = NULL;
                    resp.body_len = 0;
                }
            }
            rc = mv_fail(err, MAIVID_E_MEDIA,
                         "%.300s is %s, not audio (%llu bytes, Content-Type %s); pass a direct "
                         "link to the audio file or the audio file itself", url,
                         mv_sniff_describe(kind), (unsigned long long)resp.bytes,
                         resp.content_type ? resp.content_type : "none");
            unlink(tmp);
        }
    }
    free(tmp);
    if (resp_out)
        *resp_out = resp;
    else
        mv_dl_response_free(&resp);
    return rc;
}

char *mv_fetch_cover(const mv_fetch_config *cfg, const char *url, const char *source_dir,
                     const mv_task *task)
{
    if (!url || !*url)
        return NULL;
    char *tmp = mv_strdup_printf("%s/.cover", source_dir);
    mv_dl_request req = {.url = url, .cfg = cfg, .dest_path = tmp, .max_retries = 1,
                           .retry_delay = 0.5, .max_bytes = 20u * 1024 * 1024,
                           .accept = "image/avif,image/webp,image/*,*/*;q=0.8"};
    mv_dl_response resp;
    mv_error e;
    mv_error_clear(&e);
    char *out = NULL;
    if (mv_dl_get(&req, &resp, &e) != MAIVID_OK) {
        mv_task_warn(task, "the cover image could not be fetched (%s); continuing without it",
                     e.message);
    } else if (resp.status < 200 || resp.status >= 300) {
        mv_task_warn(task, "the cover image at %.300s answered %ld; continuing without it", url,
                     resp.status);
    } else {
        mv_sniff_kind kind = mv_sniff_file(tmp);
        if (mv_sniff_is_image(kind)) {
            out = mv_strdup_printf("%s/cover.%s", source_dir, mv_sniff_ext(kind));
            if (rename(tmp, out) != 0) {
                free(out);
                out = NULL;
            }
        } else {
            mv_task_warn(task, "the cover at %.300s is %s, not an image; continuing without it",
                         url, mv_sniff_describe(kind));
        }
    }
    unlink(tmp);
    mv_dl_response_free(&resp);
    free(tmp);
    return out;
}
