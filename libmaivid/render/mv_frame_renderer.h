/*
 * mv_frame_renderer.h - draws the frame for any time of the timeline: keeps the working
 * pictures of at most two scenes (the current one and the next during a transition), samples
 * each scene's motion window and blends transitions. Memory is fixed by the frame size, not
 * by the song's length.
 */
#ifndef MV_FRAME_RENDERER_H
#define MV_FRAME_RENDERER_H

#include "render/mv_sampler.h"
#include "render/mv_timeline.h"
#include "render/mv_transition.h"
#include "render/mv_yuv.h"

typedef struct mv_frame_renderer {
    const mv_render_plan *plan;
    const mv_timeline *timeline;
    int work_w, work_h;
    struct {
        long scene; /* -1: empty */
        mv_yuv picture;
    } cache[2];
    mv_yuv layer_a, layer_b;
    mv_sampler sampler;
    mv_transition_maps maps;
} mv_frame_renderer;

maivid_code mv_frame_renderer_init(mv_frame_renderer *r, const mv_render_plan *plan,
                                   const mv_timeline *timeline, mv_error *err);
void mv_frame_renderer_free(mv_frame_renderer *r);

/* Draws the frame at time t (seconds) into out (plan->width x plan->height). */
maivid_code mv_frame_renderer_draw(mv_frame_renderer *r, double t, mv_yuv *out, mv_error *err);

#endif /* MV_FRAME_RENDERER_H */
