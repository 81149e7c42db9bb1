/*
 * mv_render_segments.h - the video part of a render: frames [0, frames) encoded in segments
 * of segment_frames, each starting with an IDR frame in its own checkpoint file (segments complete
 * from an interrupted run are skipped). The frames are drawn on a second thread
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
    int64_t segment_count, segment_frames, frames;
    /* progress hook, on the calling thread: frames encoded or found done so far */
    void (*on_frames)(void *user, int64_t frames_done);
    void *user;
    int64_t frames_done;             /* set by mv_render_segments */
} mv_segment_run;

/* Renders every segment not already complete. Nothing is left running on return. */
maivid_code mv_render_segments(mv_segment_run *s, mv_error *err);

#endif /* MV_RENDER_SEGMENTS_H */
