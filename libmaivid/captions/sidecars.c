/*
 * sidecars.c - the caption files beside the video in the job directory: captions.srt,
 * captions.vtt, captions.lrc and captions.ass, all written from lyrics_timed.json so they
 * agree with each other and with the burned-in captions. Written atomically.
 */
#include "captions/mv_captions.h"

#include <stdio.h>
#include <stdlib.h>

const char *const mv_sidecar_extensions[MV_SIDECAR_COUNT] = {"srt", "vtt", "lrc", "ass"};

static int render_format(const mv_timed_lyrics *l, size_t format, mv_buf *b)
{
    switch (format) {
    case 0: return mv_captions_srt(l, b);
    case 1: return mv_captions_vtt(l, b);
    case 2: return mv_captions_lrc(l, b);
    default: return mv_captions_write_ass(l, NULL, b);
    }
}

maivid_code mv_captions_write_sidecars(const mv_timed_lyrics *l, const char *dir,
                                       mv_error *err)
{
    maivid_code rc = MAIVID_OK;
    for (size_t f = 0; f < MV_SIDECAR_COUNT && rc == MAIVID_OK; f++) {
        char *path = mv_strdup_printf("%s/captions.%s", dir, mv_sidecar_extensions[f]);
        if (!path)
            return mv_fail(err, MAIVID_E_NOMEM, "out of memory while writing captions");
        if (l->line_count == 0) {
            remove(path);
            free(path);
            continue;
        }
        mv_buf b = {0};
        if (render_format(l, f, &b) != 0)
            rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory while writing %s", path);
        else
            rc = mv_write_file_atomic(path, b.data, b.len, err);
        mv_buf_free(&b);
        free(path);
    }
    return rc;
}
