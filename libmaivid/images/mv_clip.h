/*
 * mv_clip.h - scene clips: the video or animation a workflow made for a scene, kept in the
 * job's scenes/ beside the still (scene_001.png -> scene_001.mp4, .webm, .gif, .apng, ...),
 * and the check every clip passes before it is kept: libavformat opens it, every frame
 * decodes, there are frames. The check can also write the first frame as the scene's still.
 */
#ifndef MV_CLIP_H
#define MV_CLIP_H

#include "util/mv_common.h"

/* What the check found. */
typedef struct mv_clip_info {
    int width, height;
    long frames;
    double duration; /* seconds, from the frames' times */
    double fps;      /* frames / duration */
} mv_clip_info;

/* The clip path for a still and a container extension ("mp4"): the still's path with its
 * extension replaced (malloc'd). */
char *mv_scene_clip_path(const char *still_path, const char *ext);
/* The clip kept for this still, or NULL (malloc'd). */
char *mv_scene_clip_find(const char *still_path);
/* Removes every clip kept for this still. */
void mv_scene_clip_remove(const char *still_path);
/* The extension to keep a downloaded output under, from its file name and (VHS) format
 * ("video/h264-mp4", "image/gif"); an animated ".png" is "apng". NULL: not a clip format. */
const char *mv_clip_extension(const char *filename, const char *format);

/* Opens and decodes the whole clip (streaming, one frame at a time). MAIVID_E_MEDIA with
 * what is wrong when it cannot be read or has no frames. poster_png: when not NULL, the
 * first frame is written there as a PNG (atomically). info may be NULL. */
maivid_code mv_clip_check(const char *path, const char *poster_png, mv_clip_info *info,
                          mv_error *err);

/* Writes the clip's last frame as the PNG png_path (atomically, at the clip's own size): the
 * picture the next clip of a chain starts from. MAIVID_E_MEDIA when the clip does not play. */
maivid_code mv_clip_last_frame(const char *path, const char *png_path, mv_error *err);

/* The still a scene's clip k (1-based) of a chain starts from: clip 1 starts from the
 * scene's still itself; clip k > 1 from scenes/scene_NNN_cK.png (the last frame of clip
 * k - 1), and is kept beside it as scene_NNN_cK.<ext> (malloc'd). */
char *mv_scene_chain_still(const char *still_path, int k);

/* The clips of a scene's chain found on disk, in order: clip 1, then clip 2, ... up to the
 * first one missing (at most `max`). Returns how many; paths[i] malloc'd. */
size_t mv_scene_chain_find(const char *still_path, int max, char **paths);

#endif /* MV_CLIP_H */
