/*
 * progress_line.c - draws a job's progress on stderr (see progress_line.h).
 *
 * Live line:  scene_generation  scene 3/5  [#######-------------]  38%  ETA 0:42  elapsed 1:02
 * Plain line: maivid-cli: [0:03  38%] scene_generation: Generating scene 1/5
 */
#include "progress_line.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define MV_CLI_BOLD "\033[1m"
#define MV_CLI_GREEN "\033[32m"
#define MV_CLI_DIM "\033[2m"
#define MV_CLI_RESET "\033[0m"

double mv_cli_monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void mv_cli_format_duration(double seconds, char *buf, size_t size)
{
    if (seconds < 0)
        seconds = 0;
    long total = (long)(seconds + 0.5);
    if (total >= 3600)
        snprintf(buf, size, "%ld:%02ld:%02ld", total / 3600, (total / 60) % 60, total % 60);
    else
        snprintf(buf, size, "%ld:%02ld", total / 60, total % 60);
}

static void mv_cli_copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

void mv_cli_progress_from_status(mv_cli_progress *p, const maivid_status *status)
{
    memset(p, 0, sizeof *p);
    mv_cli_copy(p->state, sizeof p->state, maivid_job_state_name(maivid_status_state(status)));
    mv_cli_copy(p->stage, sizeof p->stage, maivid_stage_name(maivid_status_stage(status)));
    mv_cli_copy(p->text, sizeof p->text, maivid_status_stage_text(status));
    p->stage_percent = maivid_status_stage_progress(status);
    p->overall_percent = maivid_status_overall_progress(status);
    p->eta_seconds = maivid_status_eta_seconds(status);
    p->processed_scenes = maivid_status_processed_scenes(status);
    p->total_scenes = maivid_status_total_scenes(status);
    p->queue_position = maivid_status_queue_position(status);
}

static double mv_cli_json_number(const cJSON *o, const char *key, double fallback)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(item) ? item->valuedouble : fallback;
}

static const char *mv_cli_json_string(const cJSON *o, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(item) ? item->valuestring : "";
}

void mv_cli_progress_from_json(mv_cli_progress *p, const cJSON *status)
{
    memset(p, 0, sizeof *p);
    mv_cli_copy(p->state, sizeof p->state, mv_cli_json_string(status, "status"));
    mv_cli_copy(p->stage, sizeof p->stage, mv_cli_json_string(status, "stage_name"));
    mv_cli_copy(p->text, sizeof p->text, mv_cli_json_string(status, "current_stage"));
    p->stage_percent = mv_cli_json_number(status, "stage_progress", 0);
    p->overall_percent = mv_cli_json_number(status, "overall_progress", 0);
    p->eta_seconds = mv_cli_json_number(status, "eta_seconds", -1);
    p->processed_scenes = (int)mv_cli_json_number(status, "processed_scenes", 0);
    p->total_scenes = (int)mv_cli_json_number(status, "total_scenes", 0);
    p->queue_position = (int)mv_cli_json_number(status, "queue_position", 0);
}

void mv_cli_progress_line_init(mv_cli_progress_line *line, FILE *out, int live_allowed)
{
    memset(line, 0, sizeof *line);
    line->out = out;
    const char *term = getenv("TERM");
    int terminal = isatty(fileno(out)) && !(term && strcmp(term, "dumb") == 0);
    line->live = live_allowed && terminal;
    const char *no_color = getenv("NO_COLOR");
    line->color = line->live && !(no_color && *no_color);
    line->started = mv_cli_monotonic();
}

static int mv_cli_terminal_width(FILE *out)
{
    struct winsize ws;
    if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    const char *columns = getenv("COLUMNS");
    int width = columns ? atoi(columns) : 0;
    return width >= 20 ? width : 80;
}

void mv_cli_progress_line_clear(mv_cli_progress_line *line)
{
    if (line->live && line->drawn) {
        fputs("\r\033[K", line->out);
        fflush(line->out);
    }
    line->drawn = 0;
}

/* The index of a stage name, or -1. */
static int mv_cli_stage_index(const char *name)
{
    for (int i = 0; i < MAIVID_STAGE_COUNT; i++)
        if (strcmp(maivid_stage_name((maivid_stage)i), name) == 0)
            return i;
    return -1;
}

static void mv_cli_plain_update(mv_cli_progress_line *line, const mv_cli_progress *p)
{
    int changed = strcmp(line->last_state, p->state) != 0 || strcmp(line->last_stage, p->stage) != 0;
    if (!changed)
        return;
    char elapsed[32];
    mv_cli_format_duration(mv_cli_monotonic() - line->started, elapsed, sizeof elapsed);
    /* stages that began and ended between two polls still get their line, in order */
    int from = mv_cli_stage_index(line->last_stage), to = mv_cli_stage_index(p->stage);
    if (strcmp(p->state, "running") == 0 && from >= 0 && to > from + 1)
        for (int i = from + 1; i < to; i++)
            fprintf(line->out, "maivid-cli: [%s %3.0f%%] %s\n", elapsed, p->overall_percent,
                    maivid_stage_name((maivid_stage)i));
    if (strcmp(p->state, "running") == 0)
        fprintf(line->out, "maivid-cli: [%s %3.0f%%] %s: %s\n", elapsed, p->overall_percent,
                p->stage, p->text);
    else if (strcmp(p->state, "queued") == 0)
        fprintf(line->out, "maivid-cli: [%s %3.0f%%] queued (position %d)\n", elapsed,
                p->overall_percent, p->queue_position);
    else
        fprintf(line->out, "maivid-cli: [%s %3.0f%%] %s\n", elapsed, p->overall_percent, p->state);
    fflush(line->out);
}

/* Appends printf output to buf at *used (visible width counted separately by the caller). */
static void mv_cli_append(char *buf, size_t size, size_t *used, const char *format, ...)
    __attribute__((format(printf, 4, 5)));
static void mv_cli_append(char *buf, size_t size, size_t *used, const char *format, ...)
{
    if (*used >= size)
        return;
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(buf + *used, size - *used, format, ap);
    va_end(ap);
    if (n > 0)
        *used = *used + (size_t)n < size ? *used + (size_t)n : size - 1;
}

static void mv_cli_live_update(mv_cli_progress_line *line, const mv_cli_progress *p)
{
    int width = mv_cli_terminal_width(line->out) - 1; /* never touch the last column */
    char elapsed[32], eta[32] = "", scenes[48] = "", head[96];
    mv_cli_format_duration(mv_cli_monotonic() - line->started, elapsed, sizeof elapsed);
    if (p->eta_seconds >= 0) {
        char left[24];
        mv_cli_format_duration(p->eta_seconds, left, sizeof left);
        snprintf(eta, sizeof eta, "  ETA %s", left);
    }
    if (strcmp(p->state, "queued") == 0)
        snprintf(head, sizeof head, "queued (position %d)", p->queue_position);
    else
        snprintf(head, sizeof head, "%s", p->stage[0] ? p->stage : p->state);
    if (p->total_scenes > 0)
        snprintf(scenes, sizeof scenes, "  scene %d/%d", p->processed_scenes, p->total_scenes);
    char tail[96];
    snprintf(tail, sizeof tail, "  %3.0f%%%s  elapsed %s", p->overall_percent, eta, elapsed);
    /* The bar's width depends only on the terminal's, so it does not jump as texts change:
     * room is kept for the longest stage name, "  scene 120/120" and the longest tail. */
    int bar = width - 4 - 16 - 15 - 34;
    if (bar > 30)
        bar = 30;
    if (bar < 5) { /* too narrow for a bar: drop the scene counter too */
        scenes[0] = '\0';
        bar = 0;
    }
    char buf[512];
    size_t used = 0;
    mv_cli_append(buf, sizeof buf, &used, "\r%s%-16s%s%-15s", line->color ? MV_CLI_BOLD : "",
                  head, line->color ? MV_CLI_RESET : "", scenes);
    if (bar > 0) {
        int filled = (int)(p->overall_percent / 100.0 * bar + 0.5);
        if (filled > bar)
            filled = bar;
        if (filled < 0)
            filled = 0;
        mv_cli_append(buf, sizeof buf, &used, "  [%s", line->color ? MV_CLI_GREEN : "");
        for (int i = 0; i < bar; i++) {
            if (i == filled && line->color)
                mv_cli_append(buf, sizeof buf, &used, "%s", MV_CLI_RESET MV_CLI_DIM);
            mv_cli_append(buf, sizeof buf, &used, "%c", i < filled ? '#' : '-');
        }
        mv_cli_append(buf, sizeof buf, &used, "%s]", line->color ? MV_CLI_RESET : "");
    }
    mv_cli_append(buf, sizeof buf, &used, "%s\033[K", tail);
    fputs(buf, line->out);
    fflush(line->out);
    line->drawn = 1;
}

void mv_cli_progress_line_update(mv_cli_progress_line *line, const mv_cli_progress *p)
{
    if (line->live)
        mv_cli_live_update(line, p);
    else
        mv_cli_plain_update(line, p);
    snprintf(line->last_state, sizeof line->last_state, "%s", p->state);
    snprintf(line->last_stage, sizeof line->last_stage, "%s", p->stage);
}
