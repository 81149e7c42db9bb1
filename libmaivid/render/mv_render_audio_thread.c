/*
 * mv_render_audio_thread.c - encodes the song's audio on its own thread while the video is
 * drawn and encoded, so the AAC encode (a few seconds for a song) no longer runs before the
 * first frame. Joined by the render on success, failure and cancel alike.
 */
#include "render/mv_render_audio.h"

#include <string.h>

static void *mv_audio_thread_main(void *arg)
{
    mv_audio_thread *t = arg;
    t->rc = mv_render_audio_encode(t->audio_path, t->out_path, t->task, &t->stop, &t->seconds,
                                   &t->err);
    return NULL;
}

maivid_code mv_audio_thread_start(mv_audio_thread *t, const char *audio_path,
                                  const char *out_path, const mv_task *task, mv_error *err)
{
    memset(t, 0, sizeof *t);
    t->audio_path = audio_path;
    t->out_path = out_path;
    t->task = task;
    atomic_init(&t->stop, 0);
    int e = pthread_create(&t->thread, NULL, mv_audio_thread_main, t);
    if (e != 0)
        return mv_fail(err, MAIVID_E_NOMEM, "cannot start the audio encoding thread (%s): the "
                       "system is out of threads or memory; retry later", strerror(e));
    t->running = 1;
    return MAIVID_OK;
}

maivid_code mv_audio_thread_join(mv_audio_thread *t, int abandon, double *seconds,
                                 mv_error *err)
{
    if (!t->running) {
        if (seconds)
            *seconds = 0;
        return MAIVID_OK;
    }
    if (abandon)
        atomic_store(&t->stop, 1);
    pthread_join(t->thread, NULL);
    t->running = 0;
    if (t->rc != MAIVID_OK && err)
        *err = t->err;
    if (seconds)
        *seconds = t->seconds;
    return t->rc;
}
