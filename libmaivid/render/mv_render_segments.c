/*
 * mv_render_segments.c - encodes the render's video segments: lists the segments still to
 * do, starts the drawing thread over exactly their frames, then encodes each run of
 * consecutive segments with ONE encoder (its threads and lookahead keep going across segment
 * boundaries; issue 15), forcing an IDR frame at every segment start so each segment's file
 * stays independently decodable, and splits the packets into the segments' checkpoint files
 * by their frame number. The drawing thread is joined on every path.
 */
#include "render/mv_render_segments.h"

#include <math.h>
#include <stdlib.h>


#include "render/mv_frame_producer.h"
#include "render/mv_packet_file.h"
#include "render/mv_render_encoder.h"

/* Where the packets of one encoder run go: the checkpoint file of the segment they are in. */
typedef struct mv_segment_out {
    mv_segment_run *s;
    mv_video_encoder *enc;
    int64_t segment, last_segment; /* the segment being written, the run's last one */
    mv_frame_span span;            /* its frames */
    mv_packet_writer writer;
    int writing, packets;          /* writer open; packets written into it */
} mv_segment_out;

/* The frames of segment k. */
static mv_frame_span mv_segment_span(const mv_segment_run *s, int64_t k)
{
    mv_frame_span span = {s->segment_starts[k], s->segment_starts[k + 1] - s->segment_starts[k]};
    return span;
}

/* The first frame drawn at or after time t (the timeline's own test: frame n shows the next
 * scene when n / fps >= its boundary). */
static int64_t mv_first_frame_from(const mv_timeline *tl, double t)
{
    int64_t n = (int64_t)ceil(t * tl->fps);
    while (n > 0 && (double)(n - 1) / tl->fps >= t)
        n--;
    while ((double)n / tl->fps < t)
        n++;
    return n;
}

maivid_code mv_segment_layout(const mv_timeline *tl, int64_t **starts, int64_t *count,
                              mv_error *err)
{
    int64_t *s = calloc(tl->count + 2, sizeof *s), n = 0, from = 0;
    if (!s)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the render segments");
    for (size_t i = 0; i + 1 < tl->count; i++) {
        /* a cut: the first frame of the new scene; a transition: the frame nearest its
         * middle */
        int64_t cut = tl->scenes[i].half_out > 0 ? llround(tl->scenes[i].end * tl->fps)
                                                 : mv_first_frame_from(tl, tl->scenes[i].end);
        if (cut - from < tl->fps || tl->frames - cut < tl->fps)
            continue; /* no segment shorter than a second */
        s[n++] = from;
        from = cut;
    }
    s[n++] = from;
    s[n] = tl->frames;
    *starts = s;
    *count = n;
    return MAIVID_OK;
}

static maivid_code mv_segment_open(mv_segment_out *o, int64_t k, mv_error *err)
{
    AVCodecContext *enc = o->enc->ctx;
    mv_packet_file_info info = {0};
    o->segment = k;
    o->span = mv_segment_span(o->s, k);
    info.time_base_num = enc->time_base.num;
    info.time_base_den = enc->time_base.den;
    info.first_frame = o->span.first;
    info.frame_count = o->span.count;
    info.extradata = enc->extradata;
    info.extradata_size = enc->extradata_size;
    o->packets = 0;
    maivid_code rc = mv_packet_writer_open(&o->writer, o->s->segment_paths[k], &info, err);
    o->writing = rc == MAIVID_OK;
    return rc;
}

static maivid_code mv_segment_close(mv_segment_out *o, mv_error *err)
{
    o->writing = 0;
    if (o->packets != o->span.count) {
        mv_packet_writer_abandon(&o->writer);
        return mv_fail(err, MAIVID_E_INTERNAL, "video segment %lld got %d packets for %lld "
                       "frames (a bug in the render engine): please report it",
                       (long long)o->segment + 1, o->packets, (long long)o->span.count);
    }
    return mv_packet_writer_finish(&o->writer, err);
}

/* The packet sink: a packet past the current segment closes it and opens the next. */
static maivid_code mv_segment_write(void *user, AVPacket *pkt, mv_error *err)
{
    mv_segment_out *o = user;
    maivid_code rc = MAIVID_OK;
    while (rc == MAIVID_OK && pkt->pts >= o->span.first + o->span.count &&
           o->segment < o->last_segment) {
        rc = mv_segment_close(o, err);
        if (rc == MAIVID_OK)
            rc = mv_segment_open(o, o->segment + 1, err);
    }
    if (rc != MAIVID_OK)
        return rc;
    if (pkt->pts < o->span.first || pkt->pts >= o->span.first + o->span.count)
        return mv_fail(err, MAIVID_E_INTERNAL, "the %s encoder gave frame %lld while segment "
                       "%lld was written (a bug in the render engine): please report it",
                       o->enc->id, (long long)pkt->pts, (long long)o->segment + 1);
    if (o->packets == 0 && !(pkt->flags & AV_PKT_FLAG_KEY))
        return mv_fail(err, MAIVID_E_RENDER, "the %s encoder did not start video segment %lld "
                       "with a keyframe: choose encoder libx264", o->enc->id,
                       (long long)o->segment + 1);
    o->packets++;
    return mv_packet_writer_add(&o->writer, pkt, err);
}

/* Encodes segments first..last (consecutive), taken in order from the drawing thread, with
 * one encoder into their files. */
static maivid_code mv_encode_run(mv_segment_run *s, mv_frame_producer *producer, int64_t first,
                                 int64_t last, mv_error *err)
{
    const mv_render_plan *plan = s->plan;
    mv_video_encoder enc;
    maivid_code rc = mv_video_encoder_open(&enc, s->encoder, plan->width, plan->height,
                                           plan->fps, (int)(s->frames + 1), err);
    if (rc != MAIVID_OK)
        return rc;
    AVFrame *av = av_frame_alloc();
    AVPacket *pkt = av_packet_alloc();
    mv_segment_out out = {s, &enc, 0, last, {0, 0}, {0}, 0, 0};
    if (!av || !pkt)
        rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory for the video encoder");
    if (rc == MAIVID_OK)
        rc = mv_segment_open(&out, first, err);
    int64_t report_every = plan->fps > 1 ? plan->fps / 2 : 1;
    int64_t end = mv_segment_span(s, last).first + mv_segment_span(s, last).count;
    int64_t key = first; /* the next segment whose first frame is forced to an IDR frame */
    for (int64_t n = s->segment_starts[first]; rc == MAIVID_OK && n < end; n++) {
        if (mv_task_cancelled(s->task)) {
            rc = mv_fail(err, MAIVID_E_CANCELLED, "the render was cancelled");
            break;
        }
        const mv_yuv *picture = NULL;
        int64_t number = -1;
        rc = mv_frame_producer_take(producer, &picture, &number, err);
        if (rc != MAIVID_OK)
            break;
        if (number != n)
            rc = mv_fail(err, MAIVID_E_INTERNAL, "frame %lld came when frame %lld was due (a "
                         "bug in the render engine): please report it", (long long)number,
                         (long long)n);
        if (rc == MAIVID_OK) {
            av->format = AV_PIX_FMT_YUV420P;
            av->width = plan->width;
            av->height = plan->height;
            for (int p = 0; p < 3; p++) { /* points at the drawn picture: no copy */
                av->data[p] = picture->plane[p];
                av->linesize[p] = picture->stride[p];
            }
            /* lent, not copied: without a buffer reference avcodec_send_frame copies the
             * whole picture into fresh memory on every frame */
            av->buf[0] = mv_frame_producer_lend(producer, picture);
            av->pts = n;
            av->pict_type = AV_PICTURE_TYPE_NONE;
            if (key <= last && n == s->segment_starts[key]) {
                av->pict_type = AV_PICTURE_TYPE_I;
                key++;
            }
            rc = mv_video_encoder_send(&enc, av, pkt, mv_segment_write, &out, err);
            av_buffer_unref(&av->buf[0]);
        }
        mv_frame_producer_release(producer);
        s->frames_done++;
        if (s->frames_done % report_every == 0 && s->on_frames)
            s->on_frames(s->user, s->frames_done);
    }
    if (rc == MAIVID_OK)
        rc = mv_video_encoder_send(&enc, NULL, pkt, mv_segment_write, &out, err);
    if (rc == MAIVID_OK)
        rc = mv_segment_close(&out, err);
    else if (out.writing)
        mv_packet_writer_abandon(&out.writer);
    av_packet_free(&pkt);
    av_frame_free(&av);
    mv_video_encoder_close(&enc);
    return rc;
}

/* Whether segment k is already complete from an earlier, interrupted run. */
static int mv_segment_done(const mv_segment_run *s, int64_t k)
{
    mv_frame_span span = mv_segment_span(s, k);
    mv_packet_file_info info;
    if (!mv_packet_file_complete(s->segment_paths[k], &info))
        return 0;
    int valid = info.first_frame == span.first && info.frame_count == span.count;
    free(info.extradata);
    return valid;
}

maivid_code mv_render_segments(mv_segment_run *s, mv_error *err)
{
    s->frames_done = 0;
    if (s->segment_count <= 0)
        return MAIVID_OK;
    mv_frame_span *todo = calloc((size_t)s->segment_count, sizeof *todo);
    int64_t *todo_segment = calloc((size_t)s->segment_count, sizeof *todo_segment);
    if (!todo || !todo_segment) {
        free(todo);
        free(todo_segment);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the render segments");
    }
    size_t todo_count = 0;
    for (int64_t k = 0; k < s->segment_count; k++) {
        if (mv_segment_done(s, k)) { /* done before a restart */
            s->frames_done += mv_segment_span(s, k).count;
            if (s->on_frames)
                s->on_frames(s->user, s->frames_done);
            continue;
        }
        todo_segment[todo_count] = k;
        todo[todo_count++] = mv_segment_span(s, k);
    }
    mv_frame_producer producer;
    maivid_code rc = MAIVID_OK;
    if (todo_count > 0)
        rc = mv_frame_producer_start(&producer, s->renderer, s->plan->width, s->plan->height,
                                     s->plan->fps, todo, todo_count, err);
    for (size_t i = 0; rc == MAIVID_OK && i < todo_count;) {
        size_t j = i; /* the run of consecutive segments i..j shares one encoder */
        while (j + 1 < todo_count && todo_segment[j + 1] == todo_segment[j] + 1)
            j++;
        rc = mv_encode_run(s, &producer, todo_segment[i], todo_segment[j], err);
        if (rc == MAIVID_OK && s->on_frames)
            s->on_frames(s->user, s->frames_done);
        i = j + 1;
    }
    if (todo_count > 0)
        mv_frame_producer_stop(&producer);
    free(todo);
    free(todo_segment);
    return rc;
}
