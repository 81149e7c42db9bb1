/*
 * mv_render_audio.h - the song's audio for the video: decoded (any format libavformat reads),
 * resampled with libswresample and encoded to AAC-LC into a packet checkpoint file, or, for a
 * song that already is AAC-LC in an MP4/M4A, its packets copied. Its exact
 * length in samples sets the video's length.
 */
#ifndef MV_RENDER_AUDIO_H
#define MV_RENDER_AUDIO_H

#include <pthread.h>

#include "util/mv_common.h"

/* Encodes audio_path into the packet file out_path as AAC-LC (or copies its packets when it
 * already is AAC-LC in an MP4/M4A at a rate AAC takes); *seconds = the audio's exact duration.
 * Stops with MAIVID_E_CANCELLED when the task is cancelled or *stop (if given) is set. */
maivid_code mv_render_audio_encode(const char *audio_path, const char *out_path,
                                   const mv_task *task, const atomic_int *stop, double *seconds,
                                   mv_error *err);

/* The exact duration mv_render_audio_encode will give (the same decode and resampling,
 * counted, nothing encoded): a few % of the encode's time, so the video can start while the
 * audio is encoded beside it. */
maivid_code mv_render_audio_measure(const char *audio_path, const mv_task *task,
                                    double *seconds, mv_error *err);

/* mv_render_audio_encode (copy or encode) on a thread of its own, beside the video
 * (mv_render_audio_thread.c). */
typedef struct mv_audio_thread {
    const char *audio_path, *out_path; /* must outlive the thread */
    const mv_task *task;
    atomic_int stop;
    pthread_t thread;
    int running;
    maivid_code rc;
    mv_error err;
    double seconds;
} mv_audio_thread;

/* Starts encoding audio_path into out_path. On failure nothing runs. */
maivid_code mv_audio_thread_start(mv_audio_thread *t, const char *audio_path,
                                  const char *out_path, const mv_task *task, mv_error *err);
/* Waits for the encode (abandon: asks it to stop first) and returns its result; *seconds =
 * the audio's duration. Harmless on a thread never started (MAIVID_OK, 0 s). */
maivid_code mv_audio_thread_join(mv_audio_thread *t, int abandon, double *seconds,
                                 mv_error *err);

#endif /* MV_RENDER_AUDIO_H */
