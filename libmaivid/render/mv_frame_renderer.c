/*
 * mv_frame_renderer.c - one frame from the timeline: scene pictures on demand (a still decoded
 * and scaled once per scene, a parallax scene's depth layers, a clip's frame at each instant;
 * two scenes held only during a transition, the one left behind freed once it is over),
 * motion window sampling per layer (beat accents and energy warp applied),
 * transition blending, light accents, captions, the flash limiter, and the measure of the
 * picture change on and between beats.
 */
#include "render/mv_frame_renderer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/mv_analysis.h"

#include "render/mv_clip_source.h"
#include "render/mv_motion.h"
#include "render/mv_scene_image.h"

static int mv_even(double v)
{
    int e = 2 * (int)lrint(v / 2.0);
    return e < 2 ? 2 : e;
}

maivid_code mv_frame_renderer_init(mv_frame_renderer *r, const mv_render_plan *plan,
                                   const mv_timeline *timeline, mv_error *err)
{
    memset(r, 0, sizeof *r);
    r->plan = plan;
    r->timeline = timeline;
    r->cache[0].scene = r->cache[1].scene = -1;
    r->prev_frame = -2;
    mv_flash_limiter_init(&r->flash, plan->fps);
    if (plan->width < 16 || plan->height < 16 || plan->width % 2 || plan->height % 2 ||
        plan->width > 8192 || plan->height > 8192)
        return mv_fail(err, MAIVID_E_INVALID, "video size %dx%d is not usable: width and "
                       "height must be even, 16 to 8192 (see mv_frame_size)", plan->width,
                       plan->height);
    r->work_w = mv_even(plan->width * MV_MOTION_HEADROOM);
    r->work_h = mv_even(plan->height * MV_MOTION_HEADROOM);
    if (mv_yuv_alloc(&r->layer_a, plan->width, plan->height) != 0 ||
        mv_yuv_alloc(&r->layer_b, plan->width, plan->height) != 0 ||
        mv_sampler_init(&r->sampler, plan->width, r->work_w) != 0) {
        mv_frame_renderer_free(r);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for %dx%d frames", plan->width,
                       plan->height);
    }
    const mv_style_caption *look = plan->caption_look;
    if (!look)
        look = &mv_style_find("cinematic")->caption;
    maivid_code rc = mv_captions_open(&r->captions, plan->lyrics,
                                      (mv_caption_mode)plan->caption_mode, look, plan->width,
                                      plan->height, err);
    if (rc == MAIVID_OK)
        rc = mv_beat_motion_build(&r->beat, plan->analysis, plan->reactivity,
                                  timeline->duration, err);
    if (rc == MAIVID_OK && plan->analysis && plan->analysis->beat_count > 1) {
        r->prev_luma = malloc((size_t)(plan->width / 4) * (size_t)(plan->height / 4) + 1);
        if (!r->prev_luma)
            rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory for the beat measure");
    }
    if (rc != MAIVID_OK)
        mv_frame_renderer_free(r);
    return rc;
}

void mv_frame_renderer_free(mv_frame_renderer *r)
{
    for (int i = 0; i < 2; i++) {
        mv_layer_stack_free(&r->cache[i].stack);
        mv_clip_source_close(r->cache[i].clip);
        r->cache[i].clip = NULL;
    }
    mv_yuv_free(&r->layer_a);
    mv_yuv_free(&r->layer_b);
    mv_sampler_free(&r->sampler);
    mv_transition_maps_free(&r->maps);
    mv_captions_close(&r->captions);
    mv_beat_motion_free(&r->beat);
    free(r->prev_luma);
    r->prev_luma = NULL;
}

/* Loads scene `index` into a stack: its depth layers for the parallax motion when it has
 * them, else its picture as one layer. */
static maivid_code mv_scene_load(mv_frame_renderer *r, size_t index, mv_layer_stack *out,
                                 mv_error *err)
{
    const char *path = r->plan->scenes[index].image_path;
    if (r->timeline->scenes[index].motion == MV_MOTION_PARALLAX) {
        maivid_code rc = mv_layer_stack_load(path, r->work_w, r->work_h, out, err);
        if (rc != MAIVID_E_NOT_FOUND)
            return rc;
        mv_error_clear(err);
    }
    mv_yuv picture;
    maivid_code rc = mv_scene_image_load(path, r->work_w, r->work_h, &picture, err);
    if (rc == MAIVID_OK)
        mv_layer_stack_single(out, &picture, 0.5);
    return rc;
}

/* Empties a cache slot: the scene's layers (or clip) go. */
static void mv_scene_release(mv_frame_renderer *r, int slot)
{
    mv_layer_stack_free(&r->cache[slot].stack);
    mv_clip_source_close(r->cache[slot].clip);
    r->cache[slot].clip = NULL;
    r->cache[slot].scene = -1;
}

/* The working layers of scene `index` at motion progress u (a clip's frame as one layer,
 * else the still's layers), loading them into the slot not holding `keep`. */
static maivid_code mv_scene_picture(mv_frame_renderer *r, size_t index, size_t keep, double u,
                                    const mv_layer_stack **out, mv_error *err)
{
    int slot = -1;
    for (int i = 0; i < 2; i++)
        if (r->cache[i].scene == (long)index)
            slot = i;
    if (slot < 0) {
        slot = r->cache[0].scene == (long)keep ? 1 : 0;
        mv_scene_release(r, slot);
        const mv_render_scene *sc = &r->plan->scenes[index];
        size_t clip_count = 0;
        while (sc->clips && sc->clips[clip_count])
            clip_count++;
        maivid_code rc = r->plan->scene_ready
            ? r->plan->scene_ready(r->plan->scene_ready_user, index, err) : MAIVID_OK;
        if (rc != MAIVID_OK)
            return rc;
        rc = clip_count
            ? mv_clip_source_open(sc->clips, clip_count, r->work_w, r->work_h,
                                  &r->cache[slot].clip, err)
            : mv_scene_load(r, index, &r->cache[slot].stack, err);
        if (rc != MAIVID_OK)
            return rc;
        r->cache[slot].scene = (long)index;
    }
    if (!r->cache[slot].clip) {
        *out = &r->cache[slot].stack;
        return MAIVID_OK;
    }
    double from, to;
    const mv_yuv *picture = NULL;
    mv_timeline_motion_span(&r->timeline->scenes[index], &from, &to);
    maivid_code rc = mv_clip_source_picture(r->cache[slot].clip, u, to - from, &picture, err);
    if (rc != MAIVID_OK)
        return rc;
    mv_layer_stack *view = &r->cache[slot].clip_view; /* borrows the clip's planes */
    memset(view, 0, sizeof *view);
    view->layer[0].pic = *picture;
    view->layer[0].width = view->layer[0].x1 = picture->width;
    view->layer[0].height = view->layer[0].y1 = picture->height;
    view->layer[0].depth = 0.5;
    view->count = 1;
    *out = view;
    return MAIVID_OK;
}

/* Motion progress u of a scene moved along the energy warp: the drift runs faster where the
 * song is loud, still from 0 at the scene's first frame to 1 at its last. */
static double mv_warped_progress(const mv_frame_renderer *r, const mv_timeline_scene *s,
                                 double u)
{
    if (!mv_beat_motion_active(&r->beat))
        return u;
    double from, to;
    mv_timeline_motion_span(s, &from, &to);
    double m0 = mv_beat_warp(&r->beat, from), m1 = mv_beat_warp(&r->beat, to);
    if (!(to > from) || !(m1 > m0))
        return u;
    return (mv_beat_warp(&r->beat, from + u * (to - from)) - m0) / (m1 - m0);
}

/* Samples scene `index` at motion progress u, back layer to front; the beat's zoom
 * `beat_zoom` pushes near layers more than far ones in a parallax shot, `zoom` > 1 narrows
 * every layer's window alike. Rows a nearer layer hides completely are not drawn. */
static void mv_draw_scene(mv_frame_renderer *r, const mv_layer_stack *stack, size_t index,
                          double u, double beat_zoom, double zoom, mv_yuv *out)
{
    const mv_timeline_scene *s = &r->timeline->scenes[index];
    mv_motion_kind kind = (mv_motion_kind)s->motion;
    u = mv_warped_progress(r, s, u);
    double win[MV_LAYER_COUNT][4];
    int rows[MV_LAYER_COUNT][3];
    for (int i = 0; i < stack->count; i++) {
        const mv_layer *l = &stack->layer[i];
        mv_motion_window w = mv_motion_layer_at(kind, s->seed, u, l->depth);
        double z = zoom * (kind == MV_MOTION_PARALLAX ? mv_beat_zoom_at_depth(beat_zoom, l->depth)
                                                      : beat_zoom);
        double size = w.size / z, *v = win[i];
        v[2] = size * l->width;
        v[3] = size * l->height;
        v[0] = w.cx * l->width - v[2] / 2;
        v[1] = w.cy * l->height - v[3] / 2;
        if (l->pic.plane[0])
            mv_sampler_window(l->width, l->height, &v[0], &v[1], &v[2], &v[3]);
        for (int p = 0; p < 3; p++)
            rows[i][p] = out->plane_h[p];
    }
    for (int m = 1; m < stack->count; m++) { /* what layer m hides of the layers behind it */
        const mv_layer *l = &stack->layer[m];
        if (!l->pic.plane[0] || l->solid_y >= l->height)
            continue;
        for (int p = 0; p < 3; p++) {
            double scale = (double)(p ? (l->height + 1) / 2 : l->height) / l->height;
            int solid = p == 0 ? l->solid_y : (l->solid_y + 1) / 2 + 1;
            int first = mv_sampler_first_row(win[m][1] * scale, win[m][3] * scale,
                                             out->plane_h[p], solid);
            for (int k = 0; k < m; k++)
                rows[k][p] = first < rows[k][p] ? first : rows[k][p];
        }
    }
    for (int i = 0; i < stack->count; i++) {
        const mv_layer *l = &stack->layer[i];
        const double *v = win[i];
        if (i == 0 || !l->cover.plane[0]) { /* opaque: holds all its rows */
            if (l->pic.plane[0])
                mv_sampler_draw_rows(&r->sampler, &l->pic, v[0], v[1], v[2], v[3], out, rows[i]);
        } else {
            mv_sampler_draw_over(&r->sampler, l, v[0], v[1], v[2], v[3], out, rows[i]);
        }
    }
}

/* The scenes of the timeline at t, composed into out. */
static maivid_code mv_compose(mv_frame_renderer *r, const mv_frame_recipe *rec, double beat_zoom,
                              mv_yuv *out, mv_error *err)
{
    const mv_layer_stack *pa = NULL, *pb = NULL;
    maivid_code rc = mv_scene_picture(r, rec->a, rec->b, rec->motion_a, &pa, err);
    if (rc != MAIVID_OK)
        return rc;
    if (rec->b == rec->a) {
        for (int i = 0; i < 2; i++) /* a scene left behind: only one is held between fades */
            if (r->cache[i].scene >= 0 && r->cache[i].scene != (long)rec->a)
                mv_scene_release(r, i);
        mv_draw_scene(r, pa, rec->a, rec->motion_a, beat_zoom, 1.0, out);
        return MAIVID_OK;
    }
    rc = mv_scene_picture(r, rec->b, rec->a, rec->motion_b, &pb, err);
    if (rc != MAIVID_OK)
        return rc;
    mv_transition_kind kind = (mv_transition_kind)rec->transition;
    mv_draw_scene(r, pa, rec->a, rec->motion_a, beat_zoom,
                  mv_transition_outgoing_zoom(kind, rec->progress), &r->layer_a);
    mv_draw_scene(r, pb, rec->b, rec->motion_b, beat_zoom, 1.0, &r->layer_b);
    if (mv_transition_blend(kind, rec->progress, &r->layer_a, &r->layer_b, out, &r->maps) != 0)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the transition after scene %zu",
                       rec->a + 1);
    return MAIVID_OK;
}

/* A brightness pulse: luma moved `lift` of the way to white. */
static void mv_light_accent(mv_yuv *out, double lift)
{
    uint8_t lut[256];
    for (int v = 0; v < 256; v++) {
        double y = v + lift * (235 - v);
        lut[v] = (uint8_t)(v >= 235 ? v : lrint(y));
    }
    for (int j = 0; j < out->height; j++) {
        uint8_t *row = out->plane[0] + (size_t)j * out->stride[0];
        for (int i = 0; i < out->width; i++)
            row[i] = lut[row[i]];
    }
}

/* Mean absolute luma change from the previous frame (on a quarter-size grid), counted as
 * a beat frame or an off-beat frame; frames in transitions or at cuts are left out. */
static void mv_measure_change(mv_frame_renderer *r, const mv_frame_recipe *rec, int64_t n,
                              double t, const mv_yuv *out)
{
    const mv_analysis *a = r->plan->analysis;
    int gw = out->width / 4, gh = out->height / 4;
    long long sum = 0;
    int continuous = n == r->prev_frame + 1 && rec->a == rec->b && rec->a == r->prev_scene;
    for (int j = 0; j < gh; j++) {
        const uint8_t *row = out->plane[0] + (size_t)(4 * j + 1) * out->stride[0];
        uint8_t *prev = r->prev_luma + (size_t)j * gw;
        for (int i = 0; i < gw; i++) {
            int v = row[4 * i + 1];
            sum += abs(v - prev[i]);
            prev[i] = (uint8_t)v;
        }
    }
    int cls = continuous ? mv_beat_frame_class(a->beats, a->beat_count, t) : -1;
    double change = gw && gh ? (double)sum / ((double)gw * gh) : 0;
    if (cls == 1) {
        r->beat_change += change;
        r->beat_frames++;
    } else if (cls == 0) {
        r->offbeat_change += change;
        r->offbeat_frames++;
    }
    r->prev_frame = n;
    r->prev_scene = rec->a == rec->b ? rec->a : (size_t)-1;
}

maivid_code mv_frame_renderer_draw(mv_frame_renderer *r, double t, mv_yuv *out, mv_error *err)
{
    mv_frame_recipe rec;
    mv_timeline_recipe(r->timeline, t, &rec);
    maivid_code rc = mv_compose(r, &rec, mv_beat_zoom(&r->beat, t), out, err);
    if (rc != MAIVID_OK)
        return rc;
    double lift = mv_beat_light(&r->beat, t);
    if (lift > 0.002)
        mv_light_accent(out, lift);
    int64_t n = llround(t * r->plan->fps);
    if (r->prev_luma)
        mv_measure_change(r, &rec, n, t, out);
    mv_captions_draw(&r->captions, t, out);
    mv_flash_limiter_apply(&r->flash, n, out);
    return MAIVID_OK;
}

void mv_frame_renderer_stats(const mv_frame_renderer *r, mv_render_stats *stats)
{
    stats->lines_total = r->plan->lyrics ? r->plan->lyrics->line_count : 0;
    stats->lines_shown = mv_captions_lines_shown(&r->captions);
    stats->max_flashes = r->flash.max_flashes;
    stats->flash_frames_attenuated = r->flash.attenuated;
    stats->beat_frames = r->beat_frames;
    stats->offbeat_frames = r->offbeat_frames;
    stats->beat_change = r->beat_frames ? r->beat_change / r->beat_frames : 0;
    stats->offbeat_change = r->offbeat_frames ? r->offbeat_change / r->offbeat_frames : 0;
}
