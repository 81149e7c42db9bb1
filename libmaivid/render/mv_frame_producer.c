/*
 * mv_frame_producer.c - the drawing thread of the render: a bounded ring of frame buffers
 * between the frame renderer (producer thread) and the encoder (caller), one mutex and one
 * condition variable. The producer draws without holding the lock; a slot is handed over by
 * counting it drawn under the lock, and back by counting it released. A slot lent to the
 * encoder as an AVBuffer is free again when that buffer's last reference is dropped (its free
 * callback, on whichever thread drops it, ends the loan under the lock). If the loan is still
 * open when the slot is due, the producer gives the slot fresh memory and the loan keeps the
 * old block, which its callback then frees.
 */
#include "render/mv_frame_producer.h"

#include <stdlib.h>
#include <string.h>

#include <libavutil/mem.h>

struct mv_frame_loan {
    mv_frame_producer *producer;
    int slot;
    int detached; /* the slot has new memory: the loan owns (and frees) its block */
};

/* Waits until slot `drawn` is released or stop is asked; a slot the encoder still holds
 * gets fresh memory. Returns 0 to go on, -1 to stop (or out of memory: *rc says). */
static int mv_producer_wait_free_slot(mv_frame_producer *p, maivid_code *rc, mv_error *err)
{
    pthread_mutex_lock(&p->lock);
    while (!p->stop && p->drawn - p->released >= p->ring)
        pthread_cond_wait(&p->changed, &p->lock);
    int stop = p->stop, k = (int)(p->drawn % p->ring);
    mv_frame_loan *held = stop ? NULL : p->loan[k];
    if (held) { /* the encoder keeps this picture: leave the block to the loan */
        held->detached = 1;
        p->loan[k] = NULL;
    }
    pthread_mutex_unlock(&p->lock);
    if (held) {
        int w = p->slot[k].width, h = p->slot[k].height;
        memset(&p->slot[k], 0, sizeof p->slot[k]);
        if (mv_yuv_alloc(&p->slot[k], w, h) != 0) {
            *rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory for a %dx%d frame", w, h);
            return -1;
        }
    }
    return stop ? -1 : 0;
}

static void *mv_producer_main(void *arg)
{
    mv_frame_producer *p = arg;
    maivid_code rc = MAIVID_OK;
    mv_error err = {0};
    int64_t drawn = 0; /* only this thread changes p->drawn */
    for (size_t s = 0; rc == MAIVID_OK && s < p->span_count; s++) {
        for (int64_t n = p->spans[s].first; n < p->spans[s].first + p->spans[s].count; n++) {
            if (mv_producer_wait_free_slot(p, &rc, &err) != 0)
                goto done;
            int k = (int)(drawn % p->ring);
            rc = mv_frame_renderer_draw(p->renderer, (double)n / p->fps, &p->slot[k], &err);
            if (rc != MAIVID_OK)
                break;
            pthread_mutex_lock(&p->lock);
            p->slot_frame[k] = n;
            p->drawn = ++drawn;
            pthread_cond_broadcast(&p->changed);
            pthread_mutex_unlock(&p->lock);
        }
    }
done:
    pthread_mutex_lock(&p->lock);
    p->rc = rc;
    p->err = err;
    p->finished = 1;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

int mv_frame_ring_size(int width, int height)
{
    size_t frame = (size_t)(width > 0 ? width : 1) * (size_t)(height > 0 ? height : 1) * 3 / 2;
    size_t fit = MV_FRAME_RING_BYTES / (frame ? frame : 1);
    return fit < MV_FRAME_RING_MIN ? MV_FRAME_RING_MIN
                                   : fit > MV_FRAME_RING_MAX ? MV_FRAME_RING_MAX : (int)fit;
}

maivid_code mv_frame_producer_start(mv_frame_producer *p, mv_frame_renderer *renderer,
                                    int width, int height, int fps, const mv_frame_span *spans,
                                    size_t span_count, mv_error *err)
{
    memset(p, 0, sizeof *p);
    p->renderer = renderer;
    p->fps = fps > 0 ? fps : 1;
    p->spans = spans;
    p->span_count = span_count;
    p->ring = mv_frame_ring_size(width, height);
    for (int k = 0; k < p->ring; k++)
        if (mv_yuv_alloc(&p->slot[k], width, height) != 0) {
            mv_frame_producer_stop(p);
            return mv_fail(err, MAIVID_E_NOMEM, "out of memory for %d frames of %dx%d",
                           p->ring, width, height);
        }
    if (pthread_mutex_init(&p->lock, NULL) != 0) {
        mv_frame_producer_stop(p);
        return mv_fail(err, MAIVID_E_NOMEM, "cannot create the frame drawing lock: the system "
                       "is out of resources; retry later");
    }
    if (pthread_cond_init(&p->changed, NULL) != 0) {
        pthread_mutex_destroy(&p->lock);
        mv_frame_producer_stop(p);
        return mv_fail(err, MAIVID_E_NOMEM, "cannot create the frame drawing signal: the "
                       "system is out of resources; retry later");
    }
    p->sync_ready = 1;
    int e = pthread_create(&p->thread, NULL, mv_producer_main, p);
    if (e != 0) {
        mv_frame_producer_stop(p);
        return mv_fail(err, MAIVID_E_NOMEM, "cannot start the frame drawing thread (%s): the "
                       "system is out of threads or memory; retry later", strerror(e));
    }
    p->thread_running = 1;
    return MAIVID_OK;
}

maivid_code mv_frame_producer_take(mv_frame_producer *p, const mv_yuv **frame, int64_t *number,
                                   mv_error *err)
{
    pthread_mutex_lock(&p->lock);
    if (p->taken != p->released) {
        pthread_mutex_unlock(&p->lock);
        return mv_fail(err, MAIVID_E_INTERNAL, "a frame was taken twice before its release "
                       "(a bug in the render engine): please report it");
    }
    while (p->drawn == p->taken && !p->finished)
        pthread_cond_wait(&p->changed, &p->lock);
    maivid_code rc = MAIVID_OK;
    if (p->drawn > p->taken) {
        int k = (int)(p->taken % p->ring);
        *frame = &p->slot[k];
        *number = p->slot_frame[k];
        p->taken++;
    } else if (p->rc != MAIVID_OK) {
        rc = p->rc;
        if (err)
            *err = p->err;
    } else {
        rc = mv_fail(err, MAIVID_E_INTERNAL, "the render asked for more frames than it planned "
                     "(a bug in the render engine): please report it");
    }
    pthread_mutex_unlock(&p->lock);
    return rc;
}

/* The lent buffer's last reference is gone: the slot may be drawn into again, or, when it
 * has new memory since, the lent block is freed. */
static void mv_producer_loan_ended(void *opaque, uint8_t *data)
{
    mv_frame_loan *loan = opaque;
    mv_frame_producer *p = loan->producer;
    pthread_mutex_lock(&p->lock);
    int detached = loan->detached;
    if (!detached) {
        p->loan[loan->slot] = NULL;
        pthread_cond_broadcast(&p->changed);
    }
    pthread_mutex_unlock(&p->lock);
    if (detached)
        av_free(data);
    free(loan);
}

AVBufferRef *mv_frame_producer_lend(mv_frame_producer *p, const mv_yuv *frame)
{
    int k = (int)(frame - p->slot);
    if (k < 0 || k >= p->ring || frame != &p->slot[k])
        return NULL;
    const mv_yuv *f = &p->slot[k];
    size_t bytes = (size_t)(f->plane[2] - f->plane[0]) +
                   (size_t)f->stride[2] * (size_t)(f->plane_h[2] + 1);
    mv_frame_loan *loan = malloc(sizeof *loan);
    if (!loan)
        return NULL;
    *loan = (mv_frame_loan){p, k, 0};
    pthread_mutex_lock(&p->lock);
    AVBufferRef *ref = p->loan[k] || p->taken != p->released + 1 ||
                       (p->taken - 1) % p->ring != k
        ? NULL : av_buffer_create(f->plane[0], bytes, mv_producer_loan_ended, loan, 0);
    if (ref)
        p->loan[k] = loan;
    pthread_mutex_unlock(&p->lock);
    if (!ref)
        free(loan);
    return ref;
}

void mv_frame_producer_release(mv_frame_producer *p)
{
    pthread_mutex_lock(&p->lock);
    if (p->released < p->taken)
        p->released++;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
}

void mv_frame_producer_stop(mv_frame_producer *p)
{
    if (p->thread_running) {
        pthread_mutex_lock(&p->lock);
        p->stop = 1;
        pthread_cond_broadcast(&p->changed);
        pthread_mutex_unlock(&p->lock);
        pthread_join(p->thread, NULL);
        p->thread_running = 0;
    }
    if (p->sync_ready) {
        pthread_cond_destroy(&p->changed);
        pthread_mutex_destroy(&p->lock);
        p->sync_ready = 0;
    }
    for (int k = 0; k < MV_FRAME_RING_MAX; k++)
        mv_yuv_free(&p->slot[k]);
}
