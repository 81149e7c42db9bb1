/*
 * mv_render_encoder.h - the video encoders of the render engine and their settings in one
 * place (shared by the renderer and the benchmark so both encode identically): libx264 by
 * default, or another catalog encoder (mv_video_encoders.h), each at the render's quality on
 * its own scale; plus the send/receive loop any encoder (AAC too) is driven with.
 */
#ifndef MV_RENDER_ENCODER_H
#define MV_RENDER_ENCODER_H

#include <libavcodec/avcodec.h>

#include "render/mv_yuv.h"
#include "util/mv_common.h"

#define MV_RENDER_DEFAULT_ENCODER "libx264"
#define MV_RENDER_X264_PRESET "veryfast"
#define MV_RENDER_X264_CRF "21"
/* Keyframes (issue 15): besides keyint (the render's segment length, a forced IDR at each
 * segment start), these x264 options, chosen by measuring keyframe pulsing with
 * `bench_render --pulse` (bench/README.md). Memory (issue 15): sync-lookahead=0 runs x264's
 * lookahead on the encoding thread instead of a thread of its own with a buffer of
 * bframes + 1 more frames: 28 MB less peak memory at 1080p (six-odd MB a frame), the same
 * CPU time and file size within run-to-run noise (bench/README.md). */
#define MV_RENDER_X264_PARAMS "scenecut=0:sync-lookahead=0"

/* An open video encoder: the codec context plus, for VAAPI, the upload to the device. */
typedef struct mv_video_encoder {
    AVCodecContext *ctx;
    const char *id;            /* the catalog id opened */
    AVFrame *hw_frame;         /* VAAPI: the device frame each picture is uploaded to */
    AVFrame *nv12;             /* VAAPI: the picture converted for the upload */
} mv_video_encoder;

/* Opens encoder `id` (NULL: libx264) for yuv420p frames of width x height at fps, time base
 * 1/fps, global headers (for MP4), at most keyint frames between keyframes; a frame whose
 * pict_type is AV_PICTURE_TYPE_I becomes an IDR frame. MAIVID_E_RENDER when it cannot be
 * opened here (err names why). */
maivid_code mv_video_encoder_open(mv_video_encoder *e, const char *id, int width, int height,
                                  int fps, int keyint, mv_error *err);

/* Sends frame (NULL: flush) and hands every packet that comes out to sink. */
typedef maivid_code (*mv_packet_sink)(void *user, AVPacket *pkt, mv_error *err);
maivid_code mv_video_encoder_send(mv_video_encoder *e, AVFrame *frame, AVPacket *pkt,
                                  mv_packet_sink sink, void *user, mv_error *err);

void mv_video_encoder_close(mv_video_encoder *e);
/* Closes an encoder that was opened only to see that it opens: gives it one black frame and
 * the end of the stream first (SVT-AV1 1.4 in FFmpeg 5.1 hangs closing, or flushing, an
 * encoder that never got a frame). */
void mv_video_encoder_close_unused(mv_video_encoder *e);

/* A frame that points at the planes of a picture (no copy). Free with av_frame_free. */
AVFrame *mv_frame_wrap(const mv_yuv *picture);

/* Sends frame (NULL: flush) to any encoder and hands every packet to sink. */
maivid_code mv_encoder_push(AVCodecContext *enc, const AVFrame *frame, AVPacket *pkt,
                            mv_packet_sink sink, void *user, mv_error *err);

#endif /* MV_RENDER_ENCODER_H */
