/*
 * job_captions.c - which timed lyrics a job's captions use (see mv_job_captions.h).
 */
#include "engine/mv_job_captions.h"

#include <stdlib.h>
#include <string.h>

#include "captions/mv_captions.h"

/* The times the lyrics text carries (LRC, SRT, WebVTT), read by the timing step's own
 * parsers; plain text or a damaged timed file gives no captions (with a warning). */
static maivid_code mv_text_fallback(const char *job_dir, double duration, mv_timed_lyrics *out,
                                    const mv_task *task, mv_error *err)
{
    char *path = mv_strdup_printf("%s/source/lyrics.txt", job_dir);
    if (!path)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    char *text = NULL;
    maivid_code rc = MAIVID_OK;
    if (mv_file_exists(path))
        rc = mv_read_file(path, &text, NULL, err);
    free(path);
    if (rc != MAIVID_OK || !text)
        return rc;
    mv_error parse_err = {0};
    rc = mv_user_timed_parse(text, duration, out, &parse_err);
    free(text);
    if (rc == MAIVID_E_NOMEM)
        return mv_fail(err, rc, "out of memory for the captions");
    if (rc == MAIVID_E_INVALID)
        mv_task_warn(task, "captions: the lyrics' times could not be read (%s); no captions",
                     parse_err.message);
    if (rc != MAIVID_OK)
        memset(out, 0, sizeof *out); /* plain text (nothing timed) or a damaged file */
    return MAIVID_OK;
}

maivid_code mv_job_timed_lyrics(const char *job_dir, double duration, mv_timed_lyrics *out,
                                const mv_task *task, mv_error *err)
{
    memset(out, 0, sizeof *out);
    char *path = mv_strdup_printf("%s/%s", job_dir, MV_TIMED_LYRICS_FILE);
    if (!path)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    if (mv_file_exists(path)) {
        mv_error load_err = {0};
        maivid_code rc = mv_timed_lyrics_load(path, out, &load_err);
        if (rc == MAIVID_E_NOMEM) {
            free(path);
            if (err)
                *err = load_err;
            return rc;
        }
        if (rc == MAIVID_OK) {
            free(path);
            return MAIVID_OK;
        }
        mv_task_warn(task, "captions: %s is unusable (%s); using the lyrics' own times",
                     MV_TIMED_LYRICS_FILE, load_err.message);
    }
    free(path);
    return mv_text_fallback(job_dir, duration, out, task, err);
}
