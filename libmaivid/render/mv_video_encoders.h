/*
 * mv_video_encoders.h - the catalog of video encoders a job may ask for (job option
 * `encoder`): libx264 (the default), libx265, h264_nvenc, hevc_nvenc, h264_vaapi, libsvtav1,
 * each with the render's quality mapped to its own scale, and whether this machine can open
 * it right now (found by opening a small one and closing it).
 */
#ifndef MV_VIDEO_ENCODERS_H
#define MV_VIDEO_ENCODERS_H

#include <stddef.h>

#include <libavcodec/avcodec.h>

#include "catalog/mv_catalog.h"

/* One encoder: how the render's quality (x264 crf 21) reads on its scale. */
typedef struct mv_video_encoder_kind {
    mv_catalog_entry entry;     /* id: the FFmpeg encoder name */
    const char *quality_option; /* the encoder's private option for quality */
    const char *quality_value;  /* the render's quality on that scale */
    const char *preset;         /* its speed preset (private option "preset"), or NULL */
    int vaapi;                  /* 1: frames are uploaded to a VAAPI device */
} mv_video_encoder_kind;

/* The catalog, in a stable order (libx264 first). */
const mv_video_encoder_kind *mv_video_encoder_kinds(size_t *count);
/* The kind of id, or NULL when it is not in the catalog. */
const mv_video_encoder_kind *mv_video_encoder_find(const char *id);
/* The entries alone, for the job parameter's validation (stride sizeof(kind)). */
const mv_catalog_entry *mv_video_encoder_entries(size_t *count, size_t *stride);

/* 1 when encoder id can be opened here now (it opens a small one and closes it); else 0
 * with the reason in reason. */
int mv_video_encoder_usable(const char *id, char *reason, size_t reason_size);

#endif /* MV_VIDEO_ENCODERS_H */
