/*
 * mv_video_encoders.c - the catalog of video encoders (see mv_video_encoders.h) and the
 * check that one can be opened on this machine now.
 */
#include "render/mv_video_encoders.h"

#include <string.h>

#include "render/mv_render_encoder.h"
#include "render/mv_scene_image.h"
#include "util/mv_common.h"

/* The render's quality is x264's crf 21 at preset veryfast; the others read it on their own
 * scale: x265 crf 26 (x265's crf 28 looks like x264's 23), NVENC constant quality 23/25
 * (vbr), VAAPI qp 23, SVT-AV1 crf 35 at its fast preset 10. */
static const mv_video_encoder_kind mv_kinds[] = {
    {{"libx264", "H.264 (x264, CPU)",
      "the default: H.264 on the CPU, plays everywhere"},
     "crf", MV_RENDER_X264_CRF, MV_RENDER_X264_PRESET, 0},
    {{"libx265", "H.265/HEVC (x265, CPU)",
      "about a third smaller files at the same quality; slower, and not every browser plays it"},
     "crf", "26", "veryfast", 0},
    {{"h264_nvenc", "H.264 (NVIDIA NVENC)",
      "H.264 on an NVIDIA GPU's encoder: frees the CPU; needs the NVIDIA driver"},
     "cq", "23", "p4", 0},
    {{"hevc_nvenc", "H.265/HEVC (NVIDIA NVENC)",
      "HEVC on an NVIDIA GPU's encoder; needs the NVIDIA driver"},
     "cq", "25", "p4", 0},
    {{"h264_vaapi", "H.264 (VAAPI: Intel/AMD GPU)",
      "H.264 on an Intel or AMD GPU through VAAPI; needs /dev/dri and a VAAPI driver"},
     "qp", "23", NULL, 1},
    {{"libsvtav1", "AV1 (SVT-AV1, CPU)",
      "AV1: the smallest files; slower to encode, plays in current browsers"},
     "crf", "35", "10", 0},
};

const mv_video_encoder_kind *mv_video_encoder_kinds(size_t *count)
{
    *count = sizeof mv_kinds / sizeof mv_kinds[0];
    return mv_kinds;
}

const mv_video_encoder_kind *mv_video_encoder_find(const char *id)
{
    for (size_t i = 0; id && i < sizeof mv_kinds / sizeof mv_kinds[0]; i++)
        if (strcmp(mv_kinds[i].entry.id, id) == 0)
            return &mv_kinds[i];
    return NULL;
}

const mv_catalog_entry *mv_video_encoder_entries(size_t *count, size_t *stride)
{
    *count = sizeof mv_kinds / sizeof mv_kinds[0];
    *stride = sizeof mv_kinds[0];
    return &mv_kinds[0].entry;
}

int mv_video_encoder_usable(const char *id, char *reason, size_t reason_size)
{
    mv_video_encoder e;
    mv_error err;
    mv_error_clear(&err);
    mv_render_quiet_ffmpeg_logs(); /* a refused hardware encoder would print its reasons */
    maivid_code rc = mv_video_encoder_open(&e, id, 640, 360, 30, 60, &err);
    if (rc == MAIVID_OK) {
        mv_video_encoder_close_unused(&e);
        return 1;
    }
    if (reason && reason_size)
        mv_strlcpy(reason, err.message, reason_size);
    return 0;
}
