/*
 * render_test_util.h - helpers for the render engine's tests: write test pictures (solid
 * colours, a textured picture with a bright disc), and read rendered MP4s back with
 * libavformat/libavcodec (stream facts, decoded frames, top-level box order).
 */
#ifndef RENDER_TEST_UTIL_H
#define RENDER_TEST_UTIL_H

#include <stdint.h>

/* Writes a binary PPM of one colour. 0 on success. */
int rt_write_solid_ppm(const char *path, int width, int height, uint8_t r, uint8_t g, uint8_t b);
/* Writes a PPM with fine dark texture and a bright (230) soft-edged disc of the given radius
 * at the centre, in a flat grey (70) ring out to 1.6 radius. 0 on success. */
int rt_write_disc_ppm(const char *path, int width, int height, double radius);

typedef struct rt_media_info {
    int video_codec, audio_codec;   /* AVCodecID */
    int pix_fmt, width, height;
    int64_t video_frames;           /* nb_frames from the container */
    double video_seconds, audio_seconds;
    int moov_before_mdat;           /* 1 if the index box comes first */
} rt_media_info;

/* 0 on success. */
int rt_probe(const char *path, rt_media_info *info);

/* One decoded frame's planes, copied (tight strides). */
typedef struct rt_frame {
    int width, height;
    uint8_t *y, *u, *v;             /* width*height, (width/2)*(height/2) each */
    int64_t pts;                    /* in frames */
} rt_frame;

/* Decodes every video frame, calling fn for each (in presentation order). Returns the number
 * of frames decoded, or -1. */
typedef void (*rt_frame_fn)(void *user, const rt_frame *frame, int64_t index);
int64_t rt_decode_frames(const char *path, rt_frame_fn fn, void *user);

/* Mean of a plane region [x0,x1) x [y0,y1) of a plane with the given width. */
double rt_mean(const uint8_t *plane, int width, int x0, int y0, int x1, int y1);

#endif /* RENDER_TEST_UTIL_H */
