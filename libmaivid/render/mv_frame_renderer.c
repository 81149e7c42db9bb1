/*
 * mv_frame_renderer.c - one frame from the timeline: scene pictures on demand (decoded and
 * scaled once per scene), motion window sampling, transition blending.
 */
#include "render/mv_frame_renderer.h"

#include <math.h>
#include <string.h>

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
    return MAIVID_OK;
}

void mv_frame_renderer_free(mv_frame_renderer *r)
{
    for (int i = 0; i < 2; i++)
        mv_yuv_free(&r->cache[i].picture);
    mv_yuv_free(&r->layer_a);
    mv_yuv_free(&r->layer_b);
    mv_sampler_free(&r->sampler);
    mv_transition_maps_free(&r->maps);
}

/* The working picture of scene `index`, loading it into the slot not holding `keep`. */
static maivid_code mv_scene_picture(mv_frame_renderer *r, size_t index, size_t keep,
                                    const mv_yuv **out, mv_error *err)
{
    for (int i = 0; i < 2; i++)
        if (r->cache[i].scene == (long)index) {
            *out = &r->cache[i].picture;
            return MAIVID_OK;
        }
    int slot = r->cache[0].scene == (long)keep ? 1 : 0;
    mv_yuv_free(&r->cache[slot].picture);
    r->cache[slot].scene = -1;
    maivid_code rc = mv_scene_image_load(r->plan->scenes[index].image_path, r->work_w,
                                         r->work_h, &r->cache[slot].picture, err);
    if (rc != MAIVID_OK)
        return rc;
    r->cache[slot].scene = (long)index;
    *out = &r->cache[slot].picture;
    return MAIVID_OK;
}

/* Samples scene `index` at motion progress u; `zoom` > 1 narrows the window further. */
static void mv_draw_scene(mv_frame_renderer *r, const mv_yuv *picture, size_t index, double u,
                          double zoom, mv_yuv *out)
{
    const mv_timeline_scene *s = &r->timeline->scenes[index];
    mv_motion_window w = mv_motion_at((mv_motion_kind)s->motion, s->seed, u);
    double size = w.size / zoom;
    double ww = size * picture->width, wh = size * picture->height;
    mv_sampler_draw(&r->sampler, picture, w.cx * picture->width - ww / 2,
                    w.cy * picture->height - wh / 2, ww, wh, out);
}

maivid_code mv_frame_renderer_draw(mv_frame_renderer *r, double t, mv_yuv *out, mv_error *err)
{
    mv_frame_recipe rec;
    mv_timeline_recipe(r->timeline, t, &rec);
    const mv_yuv *pa = NULL, *pb = NULL;
    maivid_code rc = mv_scene_picture(r, rec.a, rec.b, &pa, err);
    if (rc != MAIVID_OK)
        return rc;
    if (rec.b == rec.a) {
        mv_draw_scene(r, pa, rec.a, rec.motion_a, 1.0, out);
        return MAIVID_OK;
    }
    rc = mv_scene_picture(r, rec.b, rec.a, &pb, err);
    if (rc != MAIVID_OK)
        return rc;
    mv_transition_kind kind = (mv_transition_kind)rec.transition;
    mv_draw_scene(r, pa, rec.a, rec.motion_a, mv_transition_outgoing_zoom(kind, rec.progress),
                  &r->layer_a);
    mv_draw_scene(r, pb, rec.b, rec.motion_b, 1.0, &r->layer_b);
    if (mv_transition_blend(kind, rec.progress, &r->layer_a, &r->layer_b, out, &r->maps) != 0)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the transition after scene %zu",
                       rec.a + 1);
    return MAIVID_OK;
}
