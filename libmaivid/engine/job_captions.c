/*
 * job_captions.c - which timed lyrics a job's captions use (see mv_job_captions.h).
 */
#include "engine/mv_job_captions.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MV_LRC_LINE_MAX 7.0   /* seconds a line may stay when nothing follows soon */
#define MV_LRC_LINE_GAP 0.07  /* about two frames between consecutive lines */

/* When the line starting at `start` gives way: the next timed line or section marker. */
static double mv_next_boundary(const mv_lyrics *l, size_t i, double start, double duration)
{
    double next = duration;
    for (size_t k = i + 1; k < l->line_count; k++)
        if (l->lines[k].time > start) {
            next = l->lines[k].time;
            break;
        }
    for (size_t s = 0; s < l->section_count; s++)
        if (l->sections[s].start > start + 1e-6 && l->sections[s].start < next)
            next = l->sections[s].start;
    return next;
}

maivid_code mv_timed_lyrics_from_lrc(const mv_lyrics *l, double duration, mv_timed_lyrics *out,
                                     mv_error *err)
{
    memset(out, 0, sizeof *out);
    if (!l->timed || l->line_count == 0)
        return MAIVID_OK;
    out->lines = calloc(l->line_count, sizeof *out->lines);
    if (!out->lines)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the captions");
    double previous_end = 0;
    for (size_t i = 0; i < l->line_count; i++) {
        const mv_lyric_line *src = &l->lines[i];
        double start = src->time;
        if (!(start >= previous_end) || start >= duration || !src->text || !*src->text)
            continue;
        double next = mv_next_boundary(l, i, start, duration);
        double end = next - (next < duration ? MV_LRC_LINE_GAP : 0);
        if (end - start > MV_LRC_LINE_MAX)
            end = start + MV_LRC_LINE_MAX;
        if (end <= start + 0.05)
            continue; /* no time to read it */
        mv_timed_line *dst = &out->lines[out->line_count];
        dst->text = mv_strdup(src->text);
        const char *kind = src->section < l->section_count ? l->sections[src->section].kind : NULL;
        dst->section = kind ? mv_strdup(kind) : NULL;
        if (!dst->text || (kind && !dst->section)) {
            out->line_count++;
            mv_timed_lyrics_free(out);
            return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the captions");
        }
        dst->start = start;
        dst->end = end;
        previous_end = end;
        out->line_count++;
    }
    out->source = out->line_count ? MV_TIMING_USER : MV_TIMING_NONE;
    out->confidence = out->line_count ? 1.0 : 0.0;
    return MAIVID_OK;
}

static maivid_code mv_lrc_fallback(const char *job_dir, double duration, mv_timed_lyrics *out,
                                   mv_error *err)
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
    mv_lyrics lyrics;
    rc = mv_lyrics_parse(text, &lyrics, err);
    free(text);
    if (rc != MAIVID_OK)
        return rc;
    rc = mv_timed_lyrics_from_lrc(&lyrics, duration, out, err);
    mv_lyrics_free(&lyrics);
    return rc;
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
    return mv_lrc_fallback(job_dir, duration, out, err);
}
