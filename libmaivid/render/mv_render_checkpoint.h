/*
 * mv_render_checkpoint.h - where the render keeps its resumable state in the work folder and
 * when that state is still valid: a key file describing everything the frames depend on (plan,
 * image and song files, encoder settings); a different key discards the old checkpoints.
 * Pictures still being made when the render starts are recorded as they arrive.
 */
#ifndef MV_RENDER_CHECKPOINT_H
#define MV_RENDER_CHECKPOINT_H

#include "render/mv_render.h"


/* File names inside the work folder (malloc'd). */
char *mv_checkpoint_audio_path(const char *work_dir);
char *mv_checkpoint_segment_path(const char *work_dir, int64_t segment);

/* Keeps the checkpoints in work_dir if they were made for this same plan, else deletes them
 * and records the plan's key. */
maivid_code mv_checkpoint_prepare(const mv_render_plan *plan, const char *encoder,
                                  const char *work_dir, mv_error *err);

/* A scene picture made after the render began (mv_render_plan.scene_ready) is on disk now:
 * records the key again with the pictures as they are, keeping the segments (none of them
 * read a picture that was not there yet, and a picture once made does not change), so a
 * resume finds its key and reuses them. Called on the drawing thread only. */
maivid_code mv_checkpoint_scene_arrived(const mv_render_plan *plan, const char *encoder,
                                        const char *work_dir, mv_error *err);

/* Deletes every checkpoint file of ours from work_dir (the key, audio and segments). */
void mv_checkpoint_clear(const char *work_dir);

#endif /* MV_RENDER_CHECKPOINT_H */
