/*
 * comfy_fixture_clips.h - the fake ComfyUI's video side (used by comfy_fixture.c): which
 * save nodes write clips and in which /history shape, the clip a graph "makes" (rising grey
 * frames, or the uploaded image zoomed in when the graph loads one), and reading a
 * multipart POST /upload/image.
 */
#ifndef COMFY_FIXTURE_CLIPS_H
#define COMFY_FIXTURE_CLIPS_H

#include <cjson/cJSON.h>
#include <civetweb.h>
#include <stddef.h>

/* The file extension a clip node writes ("mp4", "webm", "webp", "png", "gif"), or NULL when
 * the class is not a clip node. *gifs: 1 when /history lists it under "gifs" (VHS). */
const char *fix_clip_node_ext(const cJSON *node, int *gifs);
/* The clip bytes a graph makes (malloc'd): 160x96, the graph's "length" (else "batch_size",
 * else 24) frames at its "fps" (else "frame_rate", else 24); grey 20 + k * (200 / (frames -
 * 1)) in frame k, or the uploaded PNG zooming in when one is given (levels: flat grey
 * rising by 2 a frame from the upload's level when it is flat, else from 20). */
unsigned char *fix_clip_for_graph(const cJSON *graph, const char *ext,
                                  const unsigned char *upload, size_t upload_len, int levels,
                                  size_t *len);
/* Reads a multipart upload's "image" field: its file name and bytes (malloc'd). 0 when
 * found, -1 otherwise (not multipart, no image). */
int fix_read_upload(struct mg_connection *c, char *name, size_t name_size, unsigned char **data,
                    size_t *len);

#endif /* COMFY_FIXTURE_CLIPS_H */
