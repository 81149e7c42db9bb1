/*
 * mv_render_segments.c - encodes the render's video segments: lists the segments still to
 * do, starts the drawing thread over exactly their frames, then per segment opens a fresh
 * encoder, feeds it the drawn frames in order and writes the packets to the segment's
 * checkpoint file. The drawing thread is joined on every path.
 */
#include "render/mv_render_segments.h"

#include <stdlib.h>

#include "render/mv_frame_producer.h"
#include "render/mv_packet_file.h"
#include "render/mv_render_encoder.h"

static maivid_code mv_segment_write(void *user, AVPacket *pkt, mv_error *err)
{
    return mv_packet_writer_add(user, pkt, err);
}

/* Points the encoder's frame at a drawn picture (no copy). */
static void mv_point_frame(AVFrame *av, const mv_yuv *picture)
{
    for (int p = 0; p < 3; p++) {
        av->data[p] = picture->plane[p];
        av->linesize[p] = picture->stride[p];
    }
}

static AVFrame *mv_encoder_frame(int width, int height)
{
    AVFrame *f = av_frame_alloc();
    if (f) {
        f->format = AV_PIX_FMT_YUV420P;
        f->width = width;
        f->height = height;
    }
    return f;
}

/* Encodes frames [span.first, span.first + span.count), taken in order from the drawing
 * thread, into a fresh encoder and the file of segment `index`. */
static maivid_code mv_encode_segment(mv_segment_run *s, mv_frame_producer *producer,
                                     int64_t index, mv_frame_span span, mv_error *err)
{
    const mv_render_plan *plan = s->plan;
    AVCodecContext *enc = mv_video_encoder_open(plan->width, plan->height, plan->fps, err);
    if (!enc)
        return err ? err->code : MAIVID_E_RENDER;
    AVFrame *av = mv_encoder_frame(plan->width, plan->height);
    AVPacket *pkt = av_packet_alloc();
    mv_packet_writer writer = {0};
    maivid_code rc = MAIVID_OK;
    if (!av || !pkt)
        rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory for the video encoder");
    if (rc == MAIVID_OK) {
        mv_packet_file_info info = {0};
        info.time_base_num = enc->time_base.num;
        info.time_base_den = enc->time_base.den;
        info.first_frame = span.first;
        info.frame_count = span.count;
        info.extradata = enc->extradata;
        info.extradata_size = enc->extradata_size;
        rc = mv_packet_writer_open(&writer, s->segment_paths[index], &info, err);
    }
    int64_t report_every = plan->fps > 1 ? plan->fps / 2 : 1;
    for (int64_t n = span.first; rc == MAIVID_OK && n < span.first + span.count; n++) {
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
            mv_point_frame(av, picture);
            av->pts = n;
            rc = mv_encoder_push(enc, av, pkt, mv_segment_write, &writer, err);
        }
        mv_frame_producer_release(producer);
        s->frames_done++;
        if (s->frames_done % report_every == 0 && s->on_frames)
            s->on_frames(s->user, s->frames_done);
    }
    if (rc == MAIVID_OK)
        rc = mv_encoder_push(enc, NULL, pkt, mv_segment_write, &writer, err);
    if (rc == MAIVID_OK)
        rc = mv_packet_writer_finish(&writer, err);
    else
        mv_packet_writer_abandon(&writer);
    av_packet_free(&pkt);
    av_frame_free(&av);
    avcodec_free_context(&enc);
    return rc;
}

/* The frames of segment k. */
static mv_frame_span mv_segment_span(const mv_segment_run *s, int64_t k)
{
    mv_frame_span span;
    span.first = k * s->segment_frames;
    span.count = s->frames - span.first < s->segment_frames ? s->frames - span.first
                                                            : s->segment_frames;
    return span;
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
    for (size_t i = 0; rc == MAIVID_OK && i < todo_count; i++) {
        rc = mv_encode_segment(s, &producer, todo_segment[i], todo[i], err);
        if (rc == MAIVID_OK && s->on_frames)
            s->on_frames(s->user, s->frames_done);
    }
    if (todo_count > 0)
        mv_frame_producer_stop(&producer);
    free(todo);
    free(todo_segment);
    return rc;
}
