/*
 * mv_timeline.c - scene tiling, transition placement and motion progress (see mv_timeline.h).
 */
#include "render/mv_timeline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render/mv_motion.h"
#include "render/mv_transition.h"

static maivid_code mv_check_scene(const mv_render_scene *s, size_t i, int last, mv_error *err)
{
    char valid[512];
    size_t count;
    if (!s->image_path || !*s->image_path)
        return mv_fail(err, MAIVID_E_INVALID, "scene %zu has no image: generate the scene "
                       "images before rendering", i + 1);
    if (!isfinite(s->start) || !isfinite(s->end) || s->end <= s->start)
        return mv_fail(err, MAIVID_E_INVALID, "scene %zu has start %.3f and end %.3f: a scene "
                       "must end after it starts", i + 1, s->start, s->end);
    if (mv_motion_kind_from_id(s->motion) < 0) {
        const mv_catalog_entry *m = mv_motions(&count);
        mv_catalog_list_ids(m, count, sizeof *m, valid, sizeof valid);
        return mv_fail(err, MAIVID_E_INVALID, "scene %zu has unknown motion \"%s\": use one "
                       "of %s", i + 1, s->motion ? s->motion : "(null)", valid);
    }
    if (!last && s->transition && mv_transition_kind_from_id(s->transition) < 0) {
        const mv_catalog_entry *t = mv_transitions(&count);
        mv_catalog_list_ids(t, count, sizeof *t, valid, sizeof valid);
        return mv_fail(err, MAIVID_E_INVALID, "scene %zu has unknown transition \"%s\": use "
                       "one of %s", i + 1, s->transition, valid);
    }
    if (!isfinite(s->transition_duration) || s->transition_duration < 0)
        return mv_fail(err, MAIVID_E_INVALID, "scene %zu has transition_duration %g: use 0 or "
                       "more seconds", i + 1, s->transition_duration);
    return MAIVID_OK;
}

maivid_code mv_timeline_build(const mv_render_plan *plan, double duration, mv_timeline *tl,
                              mv_error *err)
{
    memset(tl, 0, sizeof *tl);
    if (!plan->scenes || plan->scene_count == 0)
        return mv_fail(err, MAIVID_E_INVALID, "the render plan has no scenes: plan at least "
                       "one scene");
    if (plan->fps < 1 || plan->fps > 120)
        return mv_fail(err, MAIVID_E_INVALID, "fps %d is out of range: use 1 to 120 (30 is "
                       "usual)", plan->fps);
    if (!(duration > 0))
        return mv_fail(err, MAIVID_E_MEDIA, "the song has no audio samples: pass a song that "
                       "plays");
    size_t n = plan->scene_count;
    for (size_t i = 0; i < n; i++) {
        maivid_code rc = mv_check_scene(&plan->scenes[i], i, i + 1 == n, err);
        if (rc != MAIVID_OK)
            return rc;
        if (i > 0 && plan->scenes[i].start < plan->scenes[i - 1].start)
            return mv_fail(err, MAIVID_E_INVALID, "scene %zu starts before scene %zu: order "
                           "the scenes by time", i + 1, i);
    }
    tl->scenes = calloc(n, sizeof *tl->scenes);
    if (!tl->scenes)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the render timeline");
    tl->count = n;
    tl->duration = duration;
    tl->fps = plan->fps;
    tl->frames = llround(duration * plan->fps);
    if (tl->frames < 1)
        tl->frames = 1;
    /* boundaries: midway across any gap or overlap, clamped into [0, duration] */
    for (size_t i = 0; i < n; i++) {
        mv_timeline_scene *s = &tl->scenes[i];
        const mv_render_scene *in = &plan->scenes[i];
        s->start = i == 0 ? 0 : (plan->scenes[i - 1].end + in->start) / 2;
        s->end = i + 1 == n ? duration : (in->end + plan->scenes[i + 1].start) / 2;
        s->start = fmin(fmax(s->start, 0), duration);
        s->end = fmin(fmax(s->end, s->start), duration);
        s->motion = mv_motion_kind_from_id(in->motion);
        s->seed = in->motion_seed;
        s->transition = in->transition ? mv_transition_kind_from_id(in->transition)
                                       : MV_TRANSITION_FADE;
    }
    if (n > 1 && tl->scenes[n - 2].end > tl->scenes[n - 1].start)
        tl->scenes[n - 1].start = tl->scenes[n - 2].end;
    /* transitions: centred on each boundary, at most half of the shorter neighbour */
    for (size_t i = 0; i + 1 < n; i++) {
        mv_timeline_scene *s = &tl->scenes[i], *next = &tl->scenes[i + 1];
        double room = 0.5 * fmin(s->end - s->start, next->end - next->start);
        double d = fmin(plan->scenes[i].transition_duration, room);
        if (s->transition == MV_TRANSITION_NONE || d < 1.0 / plan->fps)
            d = 0;
        s->half_out = next->half_in = d / 2;
    }
    return MAIVID_OK;
}

void mv_timeline_free(mv_timeline *tl)
{
    free(tl->scenes);
    memset(tl, 0, sizeof *tl);
}

void mv_timeline_motion_span(const mv_timeline_scene *s, double *from, double *to)
{
    *from = s->start - s->half_in;
    *to = s->end + s->half_out;
}

static double mv_motion_progress(const mv_timeline_scene *s, double t)
{
    double from, to;
    mv_timeline_motion_span(s, &from, &to);
    if (to - from <= 0)
        return 0;
    double u = (t - from) / (to - from);
    return u < 0 ? 0 : (u > 1 ? 1 : u);
}

void mv_timeline_recipe(const mv_timeline *tl, double t, mv_frame_recipe *r)
{
    size_t i = 0;
    while (i + 1 < tl->count && t >= tl->scenes[i].end)
        i++;
    const mv_timeline_scene *s = &tl->scenes[i];
    memset(r, 0, sizeof *r);
    r->a = r->b = i;
    r->motion_a = r->motion_b = mv_motion_progress(s, t);
    if (s->half_out > 0 && t >= s->end - s->half_out && i + 1 < tl->count) {
        r->b = i + 1;
        r->transition = s->transition;
        r->progress = (t - (s->end - s->half_out)) / (2 * s->half_out);
    } else if (s->half_in > 0 && t < s->start + s->half_in && i > 0) {
        r->a = i - 1;
        r->transition = tl->scenes[i - 1].transition;
        r->progress = (t - (s->start - s->half_in)) / (2 * s->half_in);
        r->motion_a = mv_motion_progress(&tl->scenes[i - 1], t);
        r->motion_b = mv_motion_progress(s, t);
        return;
    }
    if (r->b != r->a)
        r->motion_b = mv_motion_progress(&tl->scenes[r->b], t);
}

double mv_timeline_thumbnail_time(const mv_timeline *tl)
{
    size_t best = 0;
    for (size_t i = 1; i < tl->count; i++)
        if (tl->scenes[i].end - tl->scenes[i].start >
            tl->scenes[best].end - tl->scenes[best].start)
            best = i;
    const mv_timeline_scene *s = &tl->scenes[best];
    double t = (s->start + s->end) / 2;
    return t < tl->duration ? t : 0;
}
