/*
 * print.c - how results look on stdout: catalogs and job lists as aligned tables, one job's
 * status as labelled lines, and JSON indented. Local and remote commands share these.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "progress_line.h"

static const char *mv_cli_str(const cJSON *o, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(item) ? item->valuestring : "";
}

static double mv_cli_num(const cJSON *o, const char *key, double fallback)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(item) ? item->valuedouble : fallback;
}

void mv_cli_print_json(const cJSON *value)
{
    char *text = cJSON_Print(value);
    if (text) {
        fputs(text, stdout);
        fputc('\n', stdout);
        cJSON_free(text);
    }
}

/* Display width of a UTF-8 string (code points; good enough for names and titles). */
static int mv_cli_width(const char *s)
{
    int w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
}

static void mv_cli_cell(const char *text, int width)
{
    fputs(text, stdout);
    for (int i = mv_cli_width(text); i < width; i++)
        fputc(' ', stdout);
    fputs("  ", stdout);
}

void mv_cli_print_catalog(const cJSON *entries, int as_json)
{
    if (as_json) {
        mv_cli_print_json(entries);
        return;
    }
    int id_w = 2, name_w = 4, has_usable = 0, speed_w = 0, quality_w = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, entries) {
        int w = mv_cli_width(mv_cli_str(e, "id"));
        id_w = w > id_w ? w : id_w;
        w = mv_cli_width(mv_cli_str(e, "name"));
        name_w = w > name_w ? w : name_w;
        has_usable |= cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(e, "usable"));
        w = mv_cli_width(mv_cli_str(e, "speed"));
        speed_w = w > speed_w ? w : speed_w;
        w = mv_cli_width(mv_cli_str(e, "quality"));
        quality_w = w > quality_w ? w : quality_w;
    }
    if (speed_w)
        speed_w = speed_w > 5 ? speed_w : 5;
    if (quality_w)
        quality_w = quality_w > 7 ? quality_w : 7;
    mv_cli_cell("ID", id_w);
    mv_cli_cell("NAME", name_w);
    if (has_usable)
        mv_cli_cell("USABLE", 6);
    if (speed_w)
        mv_cli_cell("SPEED", speed_w);
    if (quality_w)
        mv_cli_cell("QUALITY", quality_w);
    fputs("DESCRIPTION\n", stdout);
    cJSON_ArrayForEach(e, entries) {
        mv_cli_cell(mv_cli_str(e, "id"), id_w);
        mv_cli_cell(mv_cli_str(e, "name"), name_w);
        if (has_usable) {
            const cJSON *usable = cJSON_GetObjectItemCaseSensitive(e, "usable");
            mv_cli_cell(cJSON_IsTrue(usable) ? "yes" : cJSON_IsFalse(usable) ? "no" : "?", 6);
        }
        if (speed_w)
            mv_cli_cell(mv_cli_str(e, "speed"), speed_w);
        if (quality_w)
            mv_cli_cell(mv_cli_str(e, "quality"), quality_w);
        printf("%s\n", mv_cli_str(e, "description"));
    }
    /* Why each "no" is a no, under the table (the reasons are too long for a column). */
    int heading = 0;
    cJSON_ArrayForEach(e, entries) {
        const char *why = mv_cli_str(e, "unusable_reason");
        if (!*why)
            continue;
        if (!heading++)
            fputs("\nnot usable now:\n", stdout);
        printf("  %s: %s\n", mv_cli_str(e, "id"), why);
    }
}

void mv_cli_print_job_table(const cJSON *statuses)
{
    if (cJSON_GetArraySize(statuses) == 0) {
        fputs("no jobs\n", stdout);
        return;
    }
    int stage_w = 5;
    const cJSON *s;
    cJSON_ArrayForEach(s, statuses) {
        int w = mv_cli_width(mv_cli_str(s, "stage_name"));
        stage_w = w > stage_w ? w : stage_w;
    }
    mv_cli_cell("JOB ID", MAIVID_JOB_ID_SIZE - 4);
    mv_cli_cell("STATUS", 9);
    mv_cli_cell("PROGRESS", 8);
    mv_cli_cell("STAGE", stage_w);
    fputs("TITLE\n", stdout);
    cJSON_ArrayForEach(s, statuses) {
        char percent[16];
        snprintf(percent, sizeof percent, "%5.1f%%", mv_cli_num(s, "overall_progress", 0));
        mv_cli_cell(mv_cli_str(s, "job_id"), MAIVID_JOB_ID_SIZE - 4);
        mv_cli_cell(mv_cli_str(s, "status"), 9);
        mv_cli_cell(percent, 8);
        mv_cli_cell(mv_cli_str(s, "stage_name"), stage_w);
        printf("%s\n", mv_cli_str(s, "video_title"));
    }
}

static void mv_cli_line(const char *label, const char *value)
{
    if (value && *value)
        printf("%-10s %s\n", label, value);
}

void mv_cli_print_status(const cJSON *status)
{
    char buf[256];
    mv_cli_line("job:", mv_cli_str(status, "job_id"));
    mv_cli_line("title:", mv_cli_str(status, "video_title"));
    const char *state = mv_cli_str(status, "status");
    int position = (int)mv_cli_num(status, "queue_position", 0);
    if (strcmp(state, "queued") == 0 && position > 0) {
        snprintf(buf, sizeof buf, "queued (position %d)", position);
        mv_cli_line("status:", buf);
    } else {
        mv_cli_line("status:", state);
    }
    snprintf(buf, sizeof buf, "%s (%s, %.0f%%)", mv_cli_str(status, "stage_name"),
             mv_cli_str(status, "current_stage"), mv_cli_num(status, "stage_progress", 0));
    mv_cli_line("stage:", buf);
    snprintf(buf, sizeof buf, "%.1f%%", mv_cli_num(status, "overall_progress", 0));
    mv_cli_line("progress:", buf);
    int total = (int)mv_cli_num(status, "total_scenes", 0);
    if (total > 0) {
        snprintf(buf, sizeof buf, "%d of %d done", (int)mv_cli_num(status, "processed_scenes", 0), total);
        mv_cli_line("scenes:", buf);
    }
    double eta = mv_cli_num(status, "eta_seconds", -1);
    if (eta >= 0 && (strcmp(state, "running") == 0 || strcmp(state, "queued") == 0)) {
        mv_cli_format_duration(eta, buf, sizeof buf);
        mv_cli_line("eta:", buf);
    }
    mv_cli_line("error:", mv_cli_str(status, "error"));
    mv_cli_line("video:", mv_cli_str(status, "video_path"));
    mv_cli_line("video url:", mv_cli_str(status, "video_url"));
    const cJSON *warnings = cJSON_GetObjectItemCaseSensitive(status, "warnings");
    const cJSON *w;
    cJSON_ArrayForEach(w, warnings) {
        if (cJSON_IsString(w))
            mv_cli_line("warning:", w->valuestring);
    }
}

int mv_cli_exit_for_failed_status(const cJSON *status)
{
    double code = mv_cli_num(status, "error_code", 0);
    return code == MAIVID_E_FETCH || code == MAIVID_E_POLICY ? MV_CLI_EXIT_FETCH : MV_CLI_EXIT_FAILED;
}
