/*
 * outputs.c - ComfyUI outputs that are clips: which save nodes write videos or animations
 * (SaveVideo, SaveWEBM, SaveAnimatedWEBP, SaveAnimatedPNG, VHS_VideoCombine), and keeping a
 * downloaded one as the scene's clip once libavformat has decoded every frame of it.
 */
#include "comfy/mv_comfy.h"
#include "images/mv_clip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const mv_clip_nodes[] = {"SaveVideo", "SaveWEBM", "SaveAnimatedWEBP",
                                            "SaveAnimatedPNG", "VHS_VideoCombine"};

int mv_is_clip_node(const char *node_class)
{
    for (size_t i = 0; node_class && i < sizeof mv_clip_nodes / sizeof *mv_clip_nodes; i++)
        if (strcmp(node_class, mv_clip_nodes[i]) == 0)
            return 1;
    return 0;
}

int mv_workflow_makes_clip(const cJSON *graph)
{
    for (const cJSON *node = graph ? graph->child : NULL; node; node = node->next) {
        const cJSON *cls = cJSON_GetObjectItemCaseSensitive(node, "class_type");
        if (cJSON_IsString(cls) && mv_is_clip_node(cls->valuestring))
            return 1;
    }
    return 0;
}

maivid_code mv_comfy_keep_clip(const char *base_url, const cJSON *entry, const char *data,
                               size_t len, const char *out_path, int poster,
                               mv_comfy_fault *fault, mv_error *err)
{
    const cJSON *fn = cJSON_GetObjectItemCaseSensitive(entry, "filename");
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(entry, "format");
    const char *name = cJSON_IsString(fn) ? fn->valuestring : "?";
    const char *ext = mv_clip_extension(name, cJSON_IsString(format) ? format->valuestring : NULL);
    *fault = MV_FAULT_JOB;
    if (!ext)
        return mv_fail(err, MAIVID_E_MEDIA,
                       "ComfyUI at %s sent %s as a video, which is not a video format MaiVid "
                       "reads; end the workflow with SaveVideo (mp4) or SaveWEBM",
                       base_url, name);
    mv_scene_clip_remove(out_path);
    char *path = mv_scene_clip_path(out_path, ext);
    if (!path)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory keeping a clip");
    maivid_code rc = mv_write_file_atomic(path, data, len, err);
    if (rc == MAIVID_OK) {
        mv_error why;
        mv_error_clear(&why);
        rc = mv_clip_check(path, poster ? out_path : NULL, NULL, &why);
        if (rc != MAIVID_OK) {
            unlink(path);
            mv_fail(err, rc,
                    "ComfyUI at %s sent %s, which does not play: %s%s", base_url, name,
                    why.message,
                    strcmp(ext, "webp") == 0
                        ? " (this FFmpeg cannot decode animated WebP; use SaveVideo or SaveWEBM "
                          "instead of SaveAnimatedWEBP)"
                        : "; check the workflow's save node");
        }
    }
    free(path);
    return rc;
}

int mv_workflow_loads_image(const cJSON *graph)
{
    for (const cJSON *node = graph ? graph->child : NULL; node; node = node->next) {
        const cJSON *cls = cJSON_GetObjectItemCaseSensitive(node, "class_type");
        if (cJSON_IsString(cls) && strcmp(cls->valuestring, "LoadImage") == 0)
            return 1;
    }
    return 0;
}
