/*
 * mv_scene_image.h - loads a scene image (any still format libavformat reads) once and turns
 * it into the scene's working picture: cover-fitted (centre crop, never stretched) to the
 * working size and scaled with a high-quality filter, in the render engine's YUV layout.
 */
#ifndef MV_SCENE_IMAGE_H
#define MV_SCENE_IMAGE_H

#include "render/mv_yuv.h"
#include "util/mv_common.h"

/* Decodes `path` and writes a work_w x work_h picture into `out` (allocated here; free with
 * mv_yuv_free). MAIVID_E_MEDIA when the file is missing or not an image. */
maivid_code mv_scene_image_load(const char *path, int work_w, int work_h, mv_yuv *out,
                                mv_error *err);

struct AVFrame;
/* Reads the first picture of the file into `frame` as decoded (MAIVID_E_MEDIA naming the
 * file when it cannot). */
maivid_code mv_scene_image_decode(const char *path, struct AVFrame *frame, mv_error *err);

/* Makes FFmpeg's own logging quiet: the library never prints. Process-wide, idempotent. */
void mv_render_quiet_ffmpeg_logs(void);

#endif /* MV_SCENE_IMAGE_H */
