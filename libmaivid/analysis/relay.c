/*
 * relay.c - hands the decoded blocks of the analysis to a second thread (mv_block_relay in
 * mv_analysis_internal.h): a small ring of blocks, one mutex and one condition variable.
 * The decoding thread copies each block in and goes on with its own analysers; the relay's
 * thread gives every block, in order, to its callback. On two cores the analysis then takes
 * the time of its larger half instead of the sum. The thread is always joined by
 * mv_block_relay_finish, whatever happened.
 */
#include "analysis/mv_analysis_internal.h"

#include <stdlib.h>
#include <string.h>

static void *mv_relay_main(void *arg)
{
    mv_block_relay *r = arg;
    pthread_mutex_lock(&r->lock);
    for (;;) {
        while (r->taken == r->pushed && !r->closed)
            pthread_cond_wait(&r->changed, &r->lock);
        if (r->taken == r->pushed || r->failed)
            break; /* closed and drained, or dropping the rest */
        const float *block = r->ring + (r->taken % MV_RELAY_BLOCKS) * MV_AN_HOP;
        pthread_mutex_unlock(&r->lock); /* the slot stays ours until taken moves on */
        mv_error err;
        mv_error_clear(&err);
        maivid_code rc = r->fn(r->ctx, block, &err);
        pthread_mutex_lock(&r->lock);
        r->taken++;
        if (rc != MAIVID_OK && !r->failed) {
            r->failed = rc;
            r->err = err;
        }
        pthread_cond_signal(&r->changed);
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

maivid_code mv_block_relay_start(mv_block_relay *r, mv_audio_block_fn fn, void *ctx,
                                 mv_error *err)
{
    memset(r, 0, sizeof *r);
    r->fn = fn;
    r->ctx = ctx;
    r->ring = malloc(sizeof *r->ring * MV_AN_HOP * MV_RELAY_BLOCKS);
    if (!r->ring)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while preparing the audio analysis");
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->changed, NULL);
    r->started = pthread_create(&r->thread, NULL, mv_relay_main, r) == 0;
    return MAIVID_OK; /* no thread: push runs the callback itself, slower but the same */
}

maivid_code mv_block_relay_push(mv_block_relay *r, const float *block, mv_error *err)
{
    if (!r->started) {
        maivid_code rc = r->fn(r->ctx, block, err);
        if (rc != MAIVID_OK && !r->failed)
            r->failed = rc;
        return rc;
    }
    pthread_mutex_lock(&r->lock);
    while (r->pushed - r->taken >= MV_RELAY_BLOCKS && !r->failed)
        pthread_cond_wait(&r->changed, &r->lock);
    maivid_code rc = r->failed;
    if (rc == MAIVID_OK) {
        memcpy(r->ring + (r->pushed % MV_RELAY_BLOCKS) * MV_AN_HOP, block,
               sizeof *block * MV_AN_HOP);
        r->pushed++;
        pthread_cond_signal(&r->changed);
    } else if (err) {
        *err = r->err;
    }
    pthread_mutex_unlock(&r->lock);
    return rc;
}

maivid_code mv_block_relay_finish(mv_block_relay *r, mv_error *err)
{
    if (!r->ring)
        return MAIVID_OK; /* never started */
    if (r->started) {
        pthread_mutex_lock(&r->lock);
        r->closed = 1;
        pthread_cond_signal(&r->changed);
        pthread_mutex_unlock(&r->lock);
        pthread_join(r->thread, NULL);
    }
    maivid_code rc = r->failed;
    if (rc != MAIVID_OK && err && r->started)
        *err = r->err;
    pthread_cond_destroy(&r->changed);
    pthread_mutex_destroy(&r->lock);
    free(r->ring);
    r->ring = NULL;
    return rc;
}
