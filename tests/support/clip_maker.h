/*
 * clip_maker.h - small test clips made with libavcodec: frames of a known flat grey that
 * rises frame by frame (so a decoder can tell which source frame it sees), or a picture
 * zoomed in frame by frame (the fixture's stand-in for image-to-video). Also reads any
 * picture or clip frame back as RGB.
 */
#ifndef CLIP_MAKER_H
#define CLIP_MAKER_H

#include <stddef.h>

typedef struct mv_test_clip_spec {
    const char *format;     /* muxer: "mp4" (H.264), "webm" (VP8), "gif", "apng", "webp" */
    int width, height, frames, fps;
    int first_level, level_step; /* flat grey frames: RGB level first + k * step */
    const unsigned char *rgb;    /* or: this RGB24 picture, zoomed in 1 + 0.5 k/(frames-1) */
    int rgb_w, rgb_h;
} mv_test_clip_spec;

/* Writes the clip to path. 0 on success. */
int mv_test_make_clip(const mv_test_clip_spec *s, const char *path);
/* The same in memory (malloc'd), or NULL. */
unsigned char *mv_test_make_clip_bytes(const mv_test_clip_spec *s, size_t *len);
/* Decodes frame `index` (0: the first) of an image or clip file into RGB24 (malloc'd) at
 * its own size, or NULL. *count receives how many frames the file holds when not NULL. */
unsigned char *mv_test_read_rgb(const char *path, int index, int *w, int *h, int *count);

#endif /* CLIP_MAKER_H */
