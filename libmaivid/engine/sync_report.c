/*
 * sync_report.c - fills the sync report from the render's plan and measures, and writes it
 * as JSON (see mv_sync_report.h); also the one-line summary the CLI prints.
 */
#include "engine/mv_sync_report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/mv_json.h"

static int mv_near_beat(const mv_analysis *a, double t, double tol)
{
    for (size_t i = 0; a && i < a->beat_count; i++)
        if (fabs(a->beats[i] - t) <= tol)
            return 1;
    return 0;
}

void mv_sync_report_fill(mv_sync_report *r, const double *cut_times, size_t cut_count,
                         const mv_analysis *a, int fps, const mv_timed_lyrics *lyrics,
                         const char *caption_mode, double reactivity,
                         const mv_render_stats *stats)
{
    memset(r, 0, sizeof *r);
    double tol = fps > 0 ? 1.0 / fps + 1e-6 : 0.034;
    r->cuts = cut_count;
    for (size_t i = 0; i < cut_count; i++)
        r->cuts_on_beat += mv_near_beat(a, cut_times[i], tol);
    r->av_difference = stats->video_seconds - stats->audio_seconds;
    r->caption_mode = caption_mode;
    r->caption_source = mv_timing_source_name(lyrics ? lyrics->source : MV_TIMING_NONE);
    r->caption_confidence = lyrics ? lyrics->confidence : 0;
    r->lines_total = stats->lines_total;
    r->lines_shown = stats->lines_shown;
    r->max_flashes_per_second = stats->max_flashes;
    r->reactivity = reactivity;
    r->beat_change_ratio = stats->offbeat_change > 1e-9 && stats->beat_frames > 0
                               ? stats->beat_change / stats->offbeat_change
                               : 0;
}

static double mv_round(double v, double unit)
{
    return round(v / unit) * unit;
}

char *mv_sync_report_json(const mv_sync_report *r)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddNumberToObject(o, "cuts", (double)r->cuts);
    cJSON_AddNumberToObject(o, "cuts_on_beat", (double)r->cuts_on_beat);
    cJSON_AddNumberToObject(o, "cuts_on_beat_share",
                            r->cuts ? mv_round((double)r->cuts_on_beat / r->cuts, 0.001) : 1);
    cJSON_AddNumberToObject(o, "av_difference_seconds", mv_round(r->av_difference, 0.0001));
    cJSON_AddStringToObject(o, "caption_mode", r->caption_mode ? r->caption_mode : "off");
    cJSON_AddStringToObject(o, "caption_source", r->caption_source ? r->caption_source : "none");
    cJSON_AddNumberToObject(o, "caption_confidence", mv_round(r->caption_confidence, 0.001));
    cJSON_AddNumberToObject(o, "lines_total", (double)r->lines_total);
    cJSON_AddNumberToObject(o, "lines_shown", (double)r->lines_shown);
    cJSON_AddNumberToObject(o, "lines_shown_share",
                            r->lines_total ? mv_round((double)r->lines_shown / r->lines_total,
                                                      0.001)
                                           : 0);
    cJSON_AddNumberToObject(o, "max_flashes_per_second", r->max_flashes_per_second);
    cJSON_AddNumberToObject(o, "reactivity", r->reactivity);
    cJSON_AddNumberToObject(o, "reactivity_measured", mv_round(r->beat_change_ratio, 0.001));
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}

static double mv_num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static const char *mv_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "?";
}

void mv_sync_report_summary(const char *json_text, char *buf, size_t size)
{
    cJSON *o = json_text ? mv_json_parse(json_text) : NULL;
    if (!o) {
        snprintf(buf, size, "sync: no report");
        return;
    }
    char captions[160];
    if (strcmp(mv_str(o, "caption_mode"), "off") == 0 || mv_num(o, "lines_total") == 0)
        snprintf(captions, sizeof captions, "captions %s",
                 mv_num(o, "lines_total") == 0 ? "none (no timed lyrics)" : "off");
    else
        snprintf(captions, sizeof captions, "captions %s from %s (confidence %.2f), %.0f/%.0f "
                 "lines shown", mv_str(o, "caption_mode"), mv_str(o, "caption_source"),
                 mv_num(o, "caption_confidence"), mv_num(o, "lines_shown"),
                 mv_num(o, "lines_total"));
    snprintf(buf, size, "sync: %.0f/%.0f cuts on the beat, video-audio %+.3f s, %s, at most %.0f "
             "flash%s/s, reactivity %.2f (beat/off-beat change %.2f)", mv_num(o, "cuts_on_beat"),
             mv_num(o, "cuts"), mv_num(o, "av_difference_seconds"), captions,
             mv_num(o, "max_flashes_per_second"),
             mv_num(o, "max_flashes_per_second") == 1 ? "" : "es", mv_num(o, "reactivity"),
             mv_num(o, "reactivity_measured"));
    cJSON_Delete(o);
}
