/*
 * mv_clip_source.h - a scene's clip as the renderer samples it: decoded as it plays (two
 * decoded frames held at a time, never the whole clip), each frame cover-fitted to the
 * working size like a still, retimed to fill the scene (a longer clip keeps its middle, a
 * shorter one is slowed down evenly) and resampled to any output rate by blending the two
 * source frames around each output instant. A scene's chain of clips plays as one clip.
 */
#ifndef MV_CLIP_SOURCE_H
#define MV_CLIP_SOURCE_H

#include "render/mv_yuv.h"
#include "util/mv_common.h"

typedef struct mv_clip_source mv_clip_source;

/* Opens the clip for pictures of work_w x work_h: a chain of `count` clips (paths[0] first)
 * plays as one clip, each clip after the first without its first frame (it repeats the last
 * frame of the clip before it). MAIVID_E_MEDIA when one does not play. */
maivid_code mv_clip_source_open(const char *const *paths, size_t count, int work_w, int work_h,
                                mv_clip_source **out, mv_error *err);
void mv_clip_source_close(mv_clip_source *c);

/* The clip time (seconds from its first frame) shown at progress u (0..1) of a scene span
 * `span` seconds long, for a clip `length` seconds long (its frames times their duration):
 * a longer clip plays its middle part at its own speed; a shorter one is stretched over the
 * span (slowed evenly, never looped or frozen); one as long plays frame for frame. */
double mv_clip_time(double u, double span, double length);

/* The picture at progress u of a span `span` seconds long (blended between the source
 * frames around mv_clip_time). *out stays valid until the next call. Going back in time
 * decodes again from the start. */
maivid_code mv_clip_source_picture(mv_clip_source *c, double u, double span, const mv_yuv **out,
                                   mv_error *err);

/* The clip's (the chain's) length in seconds (its frames times their duration). */
double mv_clip_source_length(const mv_clip_source *c);

#endif /* MV_CLIP_SOURCE_H */
