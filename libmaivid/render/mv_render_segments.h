/*
 * mv_render_segments.h - the video part of a render: frames [0, frames) encoded in segments
 * that end at the scene boundaries (long scenes split), each starting with an IDR frame in its
 * own checkpoint file (segments complete from an interrupted run are skipped). The frames are drawn on a second thread
 * (mv_frame_producer) while the calling thread encodes, so drawing overlaps the encoder.
 */
#ifndef MV_RENDER_SEGMENTS_H
#define MV_RENDER_SEGMENTS_H

#include "render/mv_frame_renderer.h"

typedef struct mv_segment_run {
    const mv_render_plan *plan;
    const mv_task *task;             /* cancel is checked before every frame */
    const char *encoder;             /* catalog id of the video encoder (NULL: libx264) */
    mv_frame_renderer *renderer;     /* lent to the drawing thread while segments run */
    char *const *segment_paths;      /* segment_count checkpoint files */
    const int64_t *segment_starts;   /* segment_count + 1 frame numbers: 0 ... frames */
    int64_t segment_count, frames;
    /* progress hook, on the calling thread: frames encoded or found done so far */
    void (*on_frames)(void *user, int64_t frames_done);
    void *user;
    int64_t frames_done;             /* set by mv_render_segments */
} mv_segment_run;

/* Where the segments start (mv_render_segments.c): at each scene boundary of the timeline,
 * where the picture changes anyway, so the keyframe there shows least (issue 15): for a cut
 * the first frame of the new scene (the cut frame itself), for a transition the frame
 * nearest its middle. A long scene is not split: a keyframe inside a
 * slow drift "breathes" (the measure in bench/bench_pulse.c gave ratios of 3 to 20 there),
 * so the encoder is given no keyframe interval and these are the video's only keyframes.
 * Scenes shorter than a second share their neighbour's segment. *starts gets *count + 1
 * numbers from 0 to tl->frames (malloc'd). */
maivid_code mv_segment_layout(const mv_timeline *tl, int64_t **starts, int64_t *count,
                              mv_error *err);

/* Renders every segment not already complete. Nothing is left running on return. */
maivid_code mv_render_segments(mv_segment_run *s, mv_error *err);

#endif /* MV_RENDER_SEGMENTS_H */
