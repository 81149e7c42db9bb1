/*
 * mv_images_beside.h - the scene_generation stage running beside video_creation. With the
 * built-in painter the pictures are made on the CPU in seconds, and x264 leaves part of the
 * cores idle: so the stage runs on a thread of its own, the render starts once the first
 * scene's picture is on disk, and it waits for each later scene's picture before its first
 * frame (bench/README.md, issue 15 session 10). Used only where the render is the built-in
 * one and reads plain stills (no clips, no plugged image or render stage), and where one
 * painting at a time, at a lower priority, adds little to the render's memory (up to 720p).
 */
#ifndef MV_IMAGES_BESIDE_H
#define MV_IMAGES_BESIDE_H

#include "engine/mv_pipeline.h"

typedef struct mv_images_beside mv_images_beside;

/* 1 when this job's scene images may be made beside its render. */
int mv_images_beside_fits(const maivid_stage_context *ctx);

/* Starts scene_generation on its own thread and returns when the first scene's picture is
 * on disk, the stage has ended, or the job is stopped. *out is the running stage, or NULL
 * when it has ended already: then its result is returned (its error in ctx->err), as if
 * the stage had run on this thread. */
maivid_code mv_images_beside_start(maivid_stage_context *ctx, mv_images_beside **out);

/* The render's scene_ready hook (mv_render_plan): returns once scene `index`'s picture is
 * on disk or the stage has ended without a failure; the stage's error if it failed, or
 * MAIVID_E_CANCELLED when the job is stopped. Any thread. */
maivid_code mv_images_beside_wait(void *beside, size_t index, mv_error *err);

/* 1 while scene `index`'s picture is still to come (0 for NULL). */
int mv_images_beside_pending(mv_images_beside *b, size_t index);

/* Called by the images stage: scene `index`'s picture (and its layers) are on disk. */
void mv_images_beside_mark(mv_images_beside *b, size_t index);

/* Ends the stage: asks it to stop first when `abandon` (the render failed or was stopped),
 * waits for its thread and frees it. Returns the stage's result, its error in *err. */
maivid_code mv_images_beside_end(mv_images_beside *b, int abandon, mv_error *err);

#endif /* MV_IMAGES_BESIDE_H */
