/*
 * mv_render_encoder.h - the encoder settings of the render engine in one place (H.264 via
 * libx264, AAC-LC), shared by the renderer and the benchmark so both encode identically.
 */
#ifndef MV_RENDER_ENCODER_H
#define MV_RENDER_ENCODER_H

#include <libavcodec/avcodec.h>

#include "render/mv_yuv.h"
#include "util/mv_common.h"

#define MV_RENDER_X264_PRESET "veryfast"
#define MV_RENDER_X264_CRF "21"

/* Opens a libx264 encoder for yuv420p frames, time base 1/fps, global headers (for MP4). */
AVCodecContext *mv_video_encoder_open(int width, int height, int fps, mv_error *err);

/* A frame that points at the planes of a picture (no copy). Free with av_frame_free. */
AVFrame *mv_frame_wrap(const mv_yuv *picture);

/* Sends frame (NULL: flush) and hands every packet that comes out to sink. */
typedef maivid_code (*mv_packet_sink)(void *user, AVPacket *pkt, mv_error *err);
maivid_code mv_encoder_push(AVCodecContext *enc, const AVFrame *frame, AVPacket *pkt,
                            mv_packet_sink sink, void *user, mv_error *err);

#endif /* MV_RENDER_ENCODER_H */
