/*
 * mv_frame_renderer.h - draws the frame for any time of the timeline: keeps the working
 * pictures of at most two scenes (the current one and the next during a transition, then
 * the current one only; a parallax scene's depth layers), samples each scene's (or each layer's) motion window (with the beat accents and the energy warp of mv_beat_motion)
 * and blends transitions, then brightens strong downbeats, burns in the captions and runs the
 * flash limiter; it also measures the picture change on and between beats. Memory is fixed
 * by the frame size, not by the song's length.
 */
#ifndef MV_FRAME_RENDERER_H
#define MV_FRAME_RENDERER_H

#include "render/mv_beat_motion.h"
#include "render/mv_caption_burn.h"
#include "render/mv_flash_limiter.h"
#include "render/mv_layer_stack.h"
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
        mv_layer_stack stack; /* one opaque layer, or the depth layers of a parallax scene */
        struct mv_clip_source *clip; /* the scene's clip, when it has one */
        mv_layer_stack clip_view; /* the clip's current frame as one layer (not owned) */
    } cache[2];
    mv_yuv layer_a, layer_b;
    mv_sampler sampler;
    mv_transition_maps maps;
    mv_captions captions;
    mv_beat_motion beat;
    mv_flash_limiter flash;
    /* the reactivity measure: a quarter-size luma copy of the previous frame */
    uint8_t *prev_luma;
    int64_t prev_frame;
    size_t prev_scene;
    double beat_change, offbeat_change;
    long long beat_frames, offbeat_frames;
} mv_frame_renderer;

maivid_code mv_frame_renderer_init(mv_frame_renderer *r, const mv_render_plan *plan,
                                   const mv_timeline *timeline, mv_error *err);
void mv_frame_renderer_free(mv_frame_renderer *r);

/* Draws the frame at time t (seconds) into out (plan->width x plan->height). Frames drawn
 * in order (t a frame after the previous call) feed the flash limiter and the measures. */
maivid_code mv_frame_renderer_draw(mv_frame_renderer *r, double t, mv_yuv *out, mv_error *err);

/* Writes what the renderer measured (lines shown, flashes, picture change) to stats. */
void mv_frame_renderer_stats(const mv_frame_renderer *r, mv_render_stats *stats);

#endif /* MV_FRAME_RENDERER_H */
