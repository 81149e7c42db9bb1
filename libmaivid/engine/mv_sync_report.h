/*
 * mv_sync_report.h - the proof that a video carries its song, without watching it: share
 * of scene cuts on the beat, video/audio length difference, caption mode, source and
 * confidence, share of lyric lines shown, the most flashes in any second, and the
 * reactivity measured on the rendered frames. Written as <job_dir>/sync.json and shown as
 * the status's `sync` object.
 */
#ifndef MV_SYNC_REPORT_H
#define MV_SYNC_REPORT_H

#include <stddef.h>

#include "analysis/mv_analysis.h"
#include "captions/mv_timed_lyrics.h"
#include "render/mv_render.h"

#define MV_SYNC_FILE "sync.json"

typedef struct mv_sync_report {
    size_t cuts, cuts_on_beat;      /* scene cuts, and those within one frame of a beat */
    double av_difference;           /* video minus audio length, seconds */
    const char *caption_mode;       /* "lines", "karaoke", "off" (as rendered) */
    const char *caption_source;     /* mv_timing_source_name */
    double caption_confidence;
    size_t lines_total, lines_shown;
    int max_flashes_per_second;
    double reactivity;              /* the job's setting */
    double beat_change_ratio;       /* change on beat frames / between beats; 0: unmeasured */
} mv_sync_report;

/* Fills the report from what the render used and measured. `cut_times` are the starts of
 * scenes 2..n (seconds). */
void mv_sync_report_fill(mv_sync_report *r, const double *cut_times, size_t cut_count,
                         const mv_analysis *a, int fps, const mv_timed_lyrics *lyrics,
                         const char *caption_mode, double reactivity,
                         const mv_render_stats *stats);

/* The report as compact JSON text (malloc'd), or NULL when out of memory. */
char *mv_sync_report_json(const mv_sync_report *r);

/* One line for people: "sync: 12/14 cuts on the beat, ...". Writes into buf. */
void mv_sync_report_summary(const char *json_text, char *buf, size_t size);

#endif /* MV_SYNC_REPORT_H */
