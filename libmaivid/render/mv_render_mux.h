/*
 * mv_render_mux.h - the join: the video segments' H.264 packets and the AAC packets, remuxed
 * (no re-encoding) into one MP4 with the index at the front, and the final check that the
 * video and audio last equally long.
 */
#ifndef MV_RENDER_MUX_H
#define MV_RENDER_MUX_H

#include <stddef.h>

#include "util/mv_common.h"

struct mv_timed_lyrics;

typedef struct mv_mux_input {
    const char *audio_path;          /* packet file of the AAC audio */
    const char *const *video_paths;  /* packet files of the video segments, in order */
    size_t video_count;
    int width, height, fps;
    int64_t frames;                  /* total video frames expected */
    const char *encoder;             /* the video encoder's catalog id (NULL: libx264) */
    /* optional soft subtitle track: one mov_text sample per line (NULL: none) */
    const struct mv_timed_lyrics *subtitles;
    const char *subtitle_font;
} mv_mux_input;

/* Writes the MP4 to mp4_path (overwritten). Calls progress(fraction of packets) through task
 * scaled into [from, to]. */
maivid_code mv_render_mux(const mv_mux_input *in, const char *mp4_path, const mv_task *task,
                          double from, double to, mv_error *err);

/* Checks an MP4: the encoder's video codec + AAC, `frames` video frames, and video and audio durations within
 * one frame of each other. MAIVID_E_RENDER with the numbers otherwise. The durations found
 * go to video_s and audio_s (either may be NULL). */
maivid_code mv_render_verify(const char *mp4_path, const char *encoder, int fps,
                             int64_t frames, double *video_s, double *audio_s, mv_error *err);

#endif /* MV_RENDER_MUX_H */
