/*
 * mv_render_audio.h - the song's audio for the video: decoded (any format libavformat reads),
 * resampled with libswresample and encoded to AAC-LC into a packet checkpoint file. Its exact
 * length in samples sets the video's length.
 */
#ifndef MV_RENDER_AUDIO_H
#define MV_RENDER_AUDIO_H

#include "util/mv_common.h"

/* Encodes audio_path into the packet file out_path; *seconds = the audio's exact duration. */
maivid_code mv_render_audio_encode(const char *audio_path, const char *out_path,
                                   const mv_task *task, double *seconds, mv_error *err);

#endif /* MV_RENDER_AUDIO_H */
