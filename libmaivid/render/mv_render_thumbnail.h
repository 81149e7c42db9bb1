/*
 * mv_render_thumbnail.h - the JPEG thumbnail written beside the video.
 */
#ifndef MV_RENDER_THUMBNAIL_H
#define MV_RENDER_THUMBNAIL_H

#include "render/mv_yuv.h"
#include "util/mv_common.h"

/* The long side of a thumbnail is at most this many pixels (smaller frames keep their size). */
#define MV_THUMBNAIL_MAX_SIDE 1280

/* Encodes frame as a JPEG (full-range BT.601, as JPEG viewers expect) and writes it atomically
 * to path. */
maivid_code mv_render_write_thumbnail(const mv_yuv *frame, const char *path, mv_error *err);

#endif /* MV_RENDER_THUMBNAIL_H */
