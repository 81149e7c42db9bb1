/*
 * progress_line.h - how a job's progress is shown on stderr: on a terminal one live line
 * (stage, scene n of N, a bar, overall percent, ETA, elapsed) redrawn in place; elsewhere,
 * or with --quiet, one plain line per stage change. NO_COLOR turns colours off.
 */
#ifndef MV_PROGRESS_LINE_H
#define MV_PROGRESS_LINE_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "maivid/maivid.h"

/* One snapshot of a job's progress, from a local status or a server's status JSON. */
typedef struct mv_cli_progress {
    char state[16];          /* "queued", "running", "completed", "failed", "cancelled" */
    char stage[32];          /* "download", "scene_generation", ... */
    char text[160];          /* "Generating scene 3/5" */
    double stage_percent;
    double overall_percent;
    double eta_seconds;      /* < 0: unknown */
    int processed_scenes, total_scenes;
    int queue_position;      /* 0 unless queued */
} mv_cli_progress;

void mv_cli_progress_from_status(mv_cli_progress *p, const maivid_status *status);
void mv_cli_progress_from_json(mv_cli_progress *p, const cJSON *status);

typedef struct mv_cli_progress_line {
    FILE *out;
    int live;                /* redraw one line in place (a terminal, not --quiet) */
    int color;
    int drawn;               /* a live line is on screen */
    double started;          /* monotonic seconds */
    char last_state[16];
    char last_stage[32];
} mv_cli_progress_line;

/* live_allowed: 0 forces plain lines (--quiet). */
void mv_cli_progress_line_init(mv_cli_progress_line *line, FILE *out, int live_allowed);
void mv_cli_progress_line_update(mv_cli_progress_line *line, const mv_cli_progress *p);
/* Erases the live line (before printing a message or at the end). */
void mv_cli_progress_line_clear(mv_cli_progress_line *line);

/* Formats seconds as M:SS or H:MM:SS. */
void mv_cli_format_duration(double seconds, char *buf, size_t size);
/* Monotonic seconds. */
double mv_cli_monotonic(void);

#endif /* MV_PROGRESS_LINE_H */
