/*
 * plan_build.c - the scene planner (stage scene_planning): cuts the song into scenes on its
 * structure and beats, gives each scene its lyric lines, section, motif family, seed, motion
 * and transition, then has the prompts written (built-in, or by the configured LLM with the
 * built-in writer as the fallback).
 */
#include "plan/mv_plan.h"
#include "plan/mv_plan_parts.h"
#include "catalog/mv_styles.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Lines sung later than this after the last lyric line belong to an outro. */
#define MV_PLAN_OUTRO_GAP 8.0
#define MV_PLAN_MAX_TRANSITION 5.0

/* Where a scene lies in the song's structure: a lyric section, or the music before the
 * first (intro) or after the last (outro) lyric, or an instrumental song. */
typedef struct mv_plan_region {
    double start, end;
    long section; /* lyric section index, or -1 */
    const char *kind;
} mv_plan_region;

typedef struct mv_plan_work {
    const mv_plan_input *in;
    const mv_analysis *a;
    const mv_style *style;
    size_t n;
    double *times;           /* n + 1 cuts */
    double *line_times;      /* per lyric line */
    double *section_starts;  /* per lyric section */
    mv_plan_region *regions; size_t region_count;
    long *scene_region;      /* per scene */
    mv_plan_scene_info *info;
} mv_plan_work;

static maivid_code mv_plan_oom(mv_error *err)
{
    return mv_fail(err, MAIVID_E_NOMEM, "out of memory while planning scenes");
}

static maivid_code mv_plan_check_input(const mv_plan_input *in, const mv_style **style,
                                       mv_error *err)
{
    if (!in || !in->analysis)
        return mv_fail(err, MAIVID_E_INTERNAL, "the planner was called without an analysis");
    if (!(in->analysis->duration > 0))
        return mv_fail(err, MAIVID_E_MEDIA,
                       "the song's length is unknown (%.3f s): the audio could not be "
                       "analysed; check the audio file", in->analysis->duration);
    if (in->scene_count < 0 || in->scene_count > 120)
        return mv_fail(err, MAIVID_E_INVALID,
                       "scene_count %d is out of range: use 1 to 120, or 0 for automatic",
                       in->scene_count);
    *style = mv_style_find(in->style_id ? in->style_id : "cinematic");
    if (!*style) {
        size_t count;
        const mv_style *all = mv_styles(&count);
        char ids[1024];
        mv_catalog_list_ids(&all[0].entry, count, sizeof all[0], ids, sizeof ids);
        return mv_fail(err, MAIVID_E_INVALID, "unknown style \"%s\": use one of %s",
                       in->style_id, ids);
    }
    return MAIVID_OK;
}

/* The lyric lines whose time falls in each scene, joined by '\n'. */
static maivid_code mv_plan_assign_lyrics(mv_plan_work *w, mv_plan *plan, mv_error *err)
{
    const mv_lyrics *l = w->in->lyrics;
    size_t *size = calloc(w->n, sizeof *size);
    size_t *scene_of = calloc(l && l->line_count ? l->line_count : 1, sizeof *scene_of);
    if (!size || !scene_of) {
        free(size);
        free(scene_of);
        return mv_plan_oom(err);
    }
    for (size_t i = 0; l && i < l->line_count; i++) {
        size_t j = 0;
        while (j + 1 < w->n && w->line_times[i] >= w->times[j + 1])
            j++;
        scene_of[i] = j;
        size[j] += strlen(l->lines[i].text) + 1;
    }
    maivid_code rc = MAIVID_OK;
    for (size_t j = 0; j < w->n && rc == MAIVID_OK; j++) {
        plan->scenes[j].lyrics = calloc(size[j] + 1, 1);
        if (!plan->scenes[j].lyrics)
            rc = mv_plan_oom(err);
    }
    for (size_t i = 0; rc == MAIVID_OK && l && i < l->line_count; i++) {
        char *text = plan->scenes[scene_of[i]].lyrics;
        if (*text)
            strcat(text, "\n");
        strcat(text, l->lines[i].text);
    }
    free(size);
    free(scene_of);
    return rc;
}

/* Regions of the song: intro, each lyric section, outro (or one instrumental region). */
static maivid_code mv_plan_regions(mv_plan_work *w, mv_error *err)
{
    const mv_lyrics *l = w->in->lyrics;
    double duration = w->a->duration;
    size_t sections = l ? l->section_count : 0;
    w->regions = calloc(sections + 2, sizeof *w->regions);
    if (!w->regions)
        return mv_plan_oom(err);
    if (sections == 0) {
        w->regions[0] = (mv_plan_region){0.0, duration, -1, "instrumental"};
        w->region_count = 1;
        return MAIVID_OK;
    }
    size_t r = 0;
    if (w->section_starts[0] > 0.5)
        w->regions[r++] = (mv_plan_region){0.0, w->section_starts[0], -1, "intro"};
    double lyrics_end = duration;
    const mv_lyric_section *last = &l->sections[sections - 1];
    if (l->timed && l->line_count > 0 && last->line_count > 0 &&
        strcmp(last->kind, "outro") != 0)
        lyrics_end = fmin(duration, w->line_times[l->line_count - 1] + MV_PLAN_OUTRO_GAP);
    for (size_t s = 0; s < sections; s++) {
        double start = (s == 0 && r == 0) ? 0.0 : w->section_starts[s];
        double end = s + 1 < sections ? w->section_starts[s + 1] : lyrics_end;
        w->regions[r++] = (mv_plan_region){start, fmax(start, end), (long)s,
                                           l->sections[s].kind};
    }
    if (lyrics_end < duration)
        w->regions[r++] = (mv_plan_region){lyrics_end, duration, -1, "outro"};
    w->region_count = r;
    return MAIVID_OK;
}

static char *mv_plan_section_text(const mv_lyrics *l, long s)
{
    if (s < 0)
        return mv_strdup("");
    const mv_lyric_section *sec = &l->sections[s];
    size_t size = 1;
    for (size_t i = 0; i < sec->line_count; i++)
        size += strlen(l->lines[sec->first_line + i].text) + 1;
    char *text = calloc(size, 1);
    for (size_t i = 0; text && i < sec->line_count; i++) {
        if (i)
            strcat(text, "\n");
        strcat(text, l->lines[sec->first_line + i].text);
    }
    return text;
}

/* Repeats share a key: choruses, hooks and pre-choruses by kind, other sections by text. */
static char *mv_plan_motif_key(const mv_plan_region *region, const char *section_text,
                               int number)
{
    const char *kind = region->kind;
    if (region->section < 0 || strcmp(kind, "chorus") == 0 || strcmp(kind, "hook") == 0 ||
        strcmp(kind, "pre-chorus") == 0)
        return mv_strdup(kind);
    if (!*section_text)
        return mv_strdup_printf("%s#%d", kind, number);
    char *key = mv_strdup_printf("%s:%s", kind, section_text);
    if (!key)
        return NULL;
    char *o = key;
    for (char *p = key; *p; p++)
        if (isalnum((unsigned char)*p) || *p == ':')
            *o++ = (char)tolower((unsigned char)*p);
    *o = '\0';
    return key;
}

static maivid_code mv_plan_sections(mv_plan_work *w, mv_plan *plan, mv_error *err)
{
    const mv_lyrics *l = w->in->lyrics;
    w->scene_region = calloc(w->n, sizeof *w->scene_region);
    if (!w->scene_region)
        return mv_plan_oom(err);
    for (size_t j = 0; j < w->n; j++) {
        double best = -1;
        for (size_t r = 0; r < w->region_count; r++) {
            double overlap = fmin(w->times[j + 1], w->regions[r].end) -
                             fmax(w->times[j], w->regions[r].start);
            if (overlap > best + 1e-9) {
                best = overlap;
                w->scene_region[j] = (long)r;
            }
        }
        const mv_plan_region *region = &w->regions[w->scene_region[j]];
        mv_plan_scene_info *info = &w->info[j];
        info->section_text = mv_plan_section_text(l, region->section);
        int number = region->section >= 0 ? l->sections[region->section].number : 0;
        info->motif_key = info->section_text ? mv_plan_motif_key(region, info->section_text,
                                                                 number) : NULL;
        if (!info->section_text || !info->motif_key)
            return mv_plan_oom(err);
        info->section = region->kind;
    }
    /* families in order of first appearance; repeated when several regions share one */
    for (size_t j = 0; j < w->n; j++) {
        mv_plan_scene_info *info = &w->info[j];
        info->family = -1;
        int families = 0;
        for (size_t k = 0; k < j; k++) {
            if (w->info[k].family >= families)
                families = w->info[k].family + 1;
            if (info->family < 0 && strcmp(w->info[k].motif_key, info->motif_key) == 0)
                info->family = w->info[k].family;
        }
        if (info->family < 0)
            info->family = families;
        info->occurrence = 0;
        for (size_t k = 0; k < j; k++)
            if (w->info[k].family == info->family)
                info->occurrence++;
    }
    for (size_t j = 0; j < w->n; j++) {
        for (size_t k = 0; k < w->n; k++)
            if (w->info[k].family == w->info[j].family &&
                w->scene_region[k] != w->scene_region[j])
                w->info[j].repeated = 1;
        /* an unmarked stanza that comes back is the song's refrain */
        if (w->info[j].repeated && strcmp(w->info[j].section, "verse") == 0 &&
            w->regions[w->scene_region[j]].section >= 0 &&
            l->sections[w->regions[w->scene_region[j]].section].number == 0)
            w->info[j].section = "chorus";
        plan->scenes[j].section = mv_strdup(w->info[j].section);
        if (!plan->scenes[j].section)
            return mv_plan_oom(err);
    }
    return MAIVID_OK;
}

/* Relative loudness of each scene scaled by the style's liking for motion, 0..1. */
static void mv_plan_levels(mv_plan_work *w)
{
    double lo = 1e9, hi = -1e9;
    for (size_t j = 0; j < w->n; j++) {
        w->info[j].energy = mv_plan_energy(w->a, w->times[j], w->times[j + 1]);
        lo = fmin(lo, w->info[j].energy);
        hi = fmax(hi, w->info[j].energy);
    }
    double m = w->style->motion_energy;
    for (size_t j = 0; j < w->n; j++) {
        double r = hi - lo > 0.05 ? (w->info[j].energy - lo) / (hi - lo) : 0.5;
        double level = r * (0.4 + 1.2 * m) + (m - 0.5) * 0.3;
        w->info[j].energy = fmin(fmax(level, 0.0), 1.0);
    }
}

static maivid_code mv_plan_motion(mv_plan_work *w, mv_plan *plan, int64_t base, mv_error *err)
{
    const char *motion = w->in->motion ? w->in->motion : "ken_burns";
    const char *transition = w->in->transition ? w->in->transition : "fade";
    double duration = w->in->transition_duration;
    if (!(duration >= 0))
        duration = 0;
    duration = fmin(duration, MV_PLAN_MAX_TRANSITION);
    const char *previous = NULL;
    for (size_t j = 0; j < w->n; j++) {
        mv_plan_scene *scene = &plan->scenes[j];
        uint64_t salt = (uint64_t)base + (uint64_t)j * UINT64_C(2654435761);
        const char *m = strcmp(motion, "auto") == 0
                            ? mv_plan_pick_motion(w->info[j].energy, salt >> 7, previous,
                                                  w->in->depth_layers)
                            : motion;
        previous = m;
        const char *t = "none";
        double td = 0;
        if (j + 1 < w->n) {
            double next_level = w->info[j + 1].energy;
            if (strcmp(transition, "auto") == 0) {
                t = mv_plan_pick_transition(next_level, salt >> 11);
                td = duration * (1.25 - 0.5 * next_level);
            } else {
                t = transition;
                td = duration;
            }
            if (strcmp(t, "none") == 0)
                td = 0;
            /* both neighbours must hold their halves of every transition */
            double room = fmin(plan->scenes[j].end - plan->scenes[j].start,
                               plan->scenes[j + 1].end - plan->scenes[j + 1].start) / 2;
            td = fmin(fmin(td, room), MV_PLAN_MAX_TRANSITION);
            td = floor(td * 1000.0) / 1000.0;
        }
        scene->motion = mv_strdup(m);
        scene->transition = mv_strdup(t);
        scene->transition_duration = td;
        if (!scene->motion || !scene->transition)
            return mv_plan_oom(err);
        scene->seed = (int64_t)(((uint64_t)base +
                                 (uint64_t)w->info[j].family * MV_PLAN_SEED_FAMILY_STRIDE +
                                 (uint64_t)w->info[j].occurrence) &
                                (uint64_t)MV_PLAN_SEED_MASK);
    }
    return MAIVID_OK;
}

static void mv_plan_work_free(mv_plan_work *w)
{
    for (size_t j = 0; w->info && j < w->n; j++) {
        free(w->info[j].section_text);
        free(w->info[j].motif_key);
    }
    free(w->info);
    free(w->times);
    free(w->line_times);
    free(w->section_starts);
    free(w->regions);
    free(w->scene_region);
}

static maivid_code mv_plan_build_scenes(mv_plan_work *w, mv_plan *out, mv_error *err)
{
    const mv_plan_input *in = w->in;
    double *bounds = NULL;
    size_t bound_count = 0;
    maivid_code rc = mv_plan_structure_boundaries(w->a, in->lyrics, &bounds, &bound_count, err);
    if (rc != MAIVID_OK)
        return rc;
    int n = in->scene_count > 0 ? in->scene_count
                                : mv_plan_auto_scene_count(w->a->duration, bounds, bound_count);
    if (in->scene_count == 0 && in->max_scene_seconds > 0) { /* one clip per scene */
        double need = ceil(w->a->duration / in->max_scene_seconds);
        if (need > n)
            n = need > 120 ? 120 : (int)need;
    }
    w->n = (size_t)n;
    w->times = malloc((w->n + 1) * sizeof *w->times);
    out->scenes = calloc(w->n, sizeof *out->scenes);
    w->info = calloc(w->n, sizeof *w->info);
    size_t lines = in->lyrics ? in->lyrics->line_count : 0;
    size_t sections = in->lyrics ? in->lyrics->section_count : 0;
    w->line_times = calloc(lines + 1, sizeof *w->line_times);
    w->section_starts = calloc(sections + 1, sizeof *w->section_starts);
    if (!w->times || !out->scenes || !w->info || !w->line_times || !w->section_starts) {
        free(bounds);
        return mv_plan_oom(err);
    }
    out->scene_count = w->n;
    rc = mv_plan_scene_times(w->a, bounds, bound_count, n, in->scene_count == 0, w->times,
                             err);
    free(bounds);
    if (rc != MAIVID_OK)
        return rc;
    for (size_t j = 0; j < w->n; j++) {
        out->scenes[j].index = (int)j;
        out->scenes[j].start = w->times[j];
        out->scenes[j].end = w->times[j + 1];
    }
    mv_plan_line_times(in->lyrics, w->a->duration, w->line_times, w->section_starts);
    mv_plan_align_untimed(in->lyrics, w->times, w->n, w->a->duration, w->line_times,
                          w->section_starts);
    rc = mv_plan_assign_lyrics(w, out, err);
    if (rc == MAIVID_OK)
        rc = mv_plan_regions(w, err);
    if (rc == MAIVID_OK)
        rc = mv_plan_sections(w, out, err);
    return rc;
}

maivid_code mv_plan_build(const mv_plan_input *in, mv_plan *out, const mv_task *task,
                          mv_error *err)
{
    memset(out, 0, sizeof *out);
    mv_plan_work w;
    memset(&w, 0, sizeof w);
    maivid_code rc = mv_plan_check_input(in, &w.style, err);
    if (rc != MAIVID_OK)
        return rc;
    if (mv_task_cancelled(task))
        return mv_fail(err, MAIVID_E_CANCELLED, "scene planning was cancelled");
    w.in = in;
    w.a = in->analysis;
    mv_task_progress(task, 0.05, "Planning scenes");
    int64_t base = mv_plan_base_seed(in->seed, in->title);
    rc = mv_plan_build_scenes(&w, out, err);
    if (rc == MAIVID_OK) {
        mv_plan_levels(&w);
        rc = mv_plan_motion(&w, out, base, err);
    }
    if (rc == MAIVID_OK) {
        mv_task_progress(task, 0.3, "Writing scene prompts");
        rc = mv_plan_write_builtin(in, out, w.info, err);
    }
    if (rc == MAIVID_OK && in->llm.url && *in->llm.url) {
        mv_error llm_err;
        mv_error_clear(&llm_err);
        maivid_code llm_rc = mv_plan_write_llm(in, out, task, &llm_err);
        if (llm_rc == MAIVID_E_CANCELLED || mv_task_cancelled(task))
            rc = mv_fail(err, MAIVID_E_CANCELLED, "scene planning was cancelled");
        else if (llm_rc != MAIVID_OK)
            mv_task_warn(task, "the prompt writer at %s failed (%s); the built-in prompts "
                         "are used instead", in->llm.url, llm_err.message);
    }
    if (rc == MAIVID_OK)
        rc = mv_plan_describe_scenes(in->style_id, out, err);
    mv_plan_work_free(&w);
    if (rc != MAIVID_OK) {
        mv_plan_free(out);
        return rc;
    }
    mv_task_progress(task, 1.0, "Scenes planned");
    return MAIVID_OK;
}

void mv_plan_free(mv_plan *p)
{
    if (!p)
        return;
    for (size_t j = 0; p->scenes && j < p->scene_count; j++) {
        mv_plan_scene *s = &p->scenes[j];
        free(s->section);
        free(s->lyrics);
        free(s->prompt);
        free(s->negative_prompt);
        free(s->motion);
        free(s->transition);
        free(s->drawn);
        free(s->unmatched);
    }
    free(p->scenes);
    free(p->subject);
    memset(p, 0, sizeof *p);
}
