/*
 * mv_frame_producer.h - draws the render's frames on a second thread, a few frames ahead of
 * the encoder, into a small fixed ring of frame buffers, so drawing overlaps encoding. Frames
 * come out strictly in order; memory is the ring (3 to MV_FRAME_RING_MAX frames, as many as
 * MV_FRAME_RING_BYTES hold), whatever the song's length. The thread is always joined by mv_frame_producer_stop (on success, error, cancel).
 * A taken frame can be lent to libavcodec as a reference-counted buffer (no copy): its slot
 * is drawn into again only once the last reference to it is gone, or, if the encoder still
 * holds it when the slot is due, the slot gets fresh memory and the lent one goes with the
 * buffer (so an encoder that keeps frames can never stall the drawing).
 */
#ifndef MV_FRAME_PRODUCER_H
#define MV_FRAME_PRODUCER_H

#include <pthread.h>

#include <libavutil/buffer.h>

#include "render/mv_frame_renderer.h"

/* Frame buffers in the ring: one being drawn, one being encoded, and as many ready in between
 * as MV_FRAME_RING_BYTES allow (at least one): the drawing runs ahead through slow frames
 * (a scene's loading, a transition's two scenes) so the encoder does not wait for them.
 * 720p: 10 frames (2 s less in the README's job at 720p than with 3); 1080p: 4. */
#define MV_FRAME_RING_MIN 3
#define MV_FRAME_RING_MAX 10
#define MV_FRAME_RING_BYTES ((size_t)14 << 20)

/* A run of consecutive frame numbers to draw. */
typedef struct mv_frame_span {
    int64_t first, count;
} mv_frame_span;

typedef struct mv_frame_producer mv_frame_producer;
typedef struct mv_frame_loan mv_frame_loan; /* one lent slot buffer (mv_frame_producer.c) */

struct mv_frame_producer {
    mv_frame_renderer *renderer; /* used only by the producer thread while it runs */
    int fps;
    const mv_frame_span *spans;
    size_t span_count;
    int ring;                              /* slots in use */
    mv_yuv slot[MV_FRAME_RING_MAX];
    int64_t slot_frame[MV_FRAME_RING_MAX]; /* frame number held by each slot */
    mv_frame_loan *loan[MV_FRAME_RING_MAX]; /* the slot's buffer while lent, guarded by lock */
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int64_t drawn, taken, released; /* counts of frames, guarded by lock */
    int stop, finished;             /* guarded by lock */
    maivid_code rc;                 /* the producer's failure, valid once finished */
    mv_error err;
    pthread_t thread;
    int sync_ready, thread_running;
};

/* How many frames of width x height the ring holds. */
int mv_frame_ring_size(int width, int height);

/* Starts drawing the frames of spans (in order) with renderer, which the caller must not
 * touch until mv_frame_producer_stop. spans must stay valid until then too. On failure
 * nothing is left running and nothing needs freeing (stop is still harmless). */
maivid_code mv_frame_producer_start(mv_frame_producer *p, mv_frame_renderer *renderer,
                                    int width, int height, int fps, const mv_frame_span *spans,
                                    size_t span_count, mv_error *err);

/* Waits for the next frame in order. *frame stays valid until mv_frame_producer_release;
 * *number is its frame number. Fails with the producer's error if drawing failed, or
 * MAIVID_E_INTERNAL when every frame was already taken. Take one frame at a time. */
maivid_code mv_frame_producer_take(mv_frame_producer *p, const mv_yuv **frame, int64_t *number,
                                   mv_error *err);

/* A reference-counted buffer over the taken frame's planes, for AVFrame.buf[0], so that
 * avcodec_send_frame keeps a reference instead of copying the picture. The slot's memory is
 * not drawn into while any reference to it remains. NULL when out of memory or when `frame`
 * is not the taken frame (libavcodec then copies the picture, as without it). Every
 * reference must be gone before mv_frame_producer_stop (close the encoder first). */
AVBufferRef *mv_frame_producer_lend(mv_frame_producer *p, const mv_yuv *frame);

/* Gives the taken frame's slot back to the producer. */
void mv_frame_producer_release(mv_frame_producer *p);

/* Stops the thread (if running), joins it and frees the ring. Safe to call more than once
 * and after a failed start. */
void mv_frame_producer_stop(mv_frame_producer *p);

#endif /* MV_FRAME_PRODUCER_H */
