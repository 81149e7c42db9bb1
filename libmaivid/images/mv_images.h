/*
 * mv_images.h - the image stage (stage scene_generation) as the engine sees it: the models
 * catalog over every backend (ComfyUI models sdxl_turbo, sd3, flux, custom workflows; the
 * built-in "procedural" painter), the usable-now check, and making scene images with
 * whichever backend the model names (or the plug-in's), through the shared image cache.
 * The backends sit behind mv_image_backend.h.
 */
#ifndef MV_IMAGES_H
#define MV_IMAGES_H

#include <stddef.h>
#include <stdint.h>

#include "util/mv_common.h"

typedef struct mv_image_backends mv_image_backends; /* per-engine state: backends, cache */
typedef struct mv_image_backend mv_image_backend;   /* one backend: ops and state */

typedef struct mv_image_config {
    const char *const *comfyui_urls; size_t comfyui_url_count;
    const char *models_dir;   /* extra workflows, may be NULL */
    const char *const *checkpoints; size_t checkpoint_count; /* "MODEL=FILE" overrides */
    const char *share_dir;    /* installed data dir with workflows/ */
    const char *cache_dir;    /* image cache, may be NULL */
    double connect_timeout, image_timeout;
    double io_timeout;        /* a ComfyUI reply silent this long fails; 0: 30 s */
    int allow_private_urls;
} mv_image_config;

typedef struct mv_image_job {
    const char *model;        /* model id */
    const char *workflow_path;/* per-job custom workflow, may be NULL */
    const char *style_id;
    const char *prompt, *negative_prompt;
    int64_t seed;
    int width, height;        /* the video frame size; backends pick their own native size */
    const char *output_path;  /* PNG to write */
    const void *request;      /* the plug-in backend's maivid_scene_request, else NULL */
    /* Image-to-video (the animate pass): the still the graph starts from (uploaded, placed
     * at "{{image}}"; output_path is that still, which stays) and the clip's frame count
     * and rate ("{{frames}}", "{{fps}}"). NULL / 0: a plain image job. */
    const char *input_image;
    int frames, fps;
    /* Optional: also told this job's own progress in a batch (the animate pass's per-clip
     * ETA follows each clip's sampling steps with it). NULL: not told. */
    const mv_task *observer;
    /* 1: made while the render runs (engine/images_beside.c), whose memory it adds to: a
     * backend that paints on this machine uses one thread for it. */
    int beside_render;
} mv_image_job;

maivid_code mv_images_open(const mv_image_config *cfg, mv_image_backends **out, mv_error *err);
void mv_images_close(mv_image_backends *b);
/* 1 if the model id is known (built-in, shipped, or loaded from models_dir). */
int mv_images_model_known(mv_image_backends *b, const char *model);
/* The models catalog as a cJSON array (caller deletes): id, name, description, speed,
 * quality, usable, kind ("comfyui" or "builtin"), and why it is not usable. */
struct cJSON *mv_images_catalog(mv_image_backends *b);
/* Whether the job could run now, judged on what it will really run (its per-job workflow,
 * else its model's workflow with the checkpoint override): MAIVID_OK, or MAIVID_E_INVALID
 * (unknown model, unreadable workflow) or MAIVID_E_BACKEND (no server, server down, a model
 * file not installed) with the reason and its fix in err. */
maivid_code mv_images_check(mv_image_backends *b, const mv_image_job *job, mv_error *err);
/* The same for a model id (NULL: sdxl_turbo) or, when set, a per-job workflow file. */
maivid_code mv_images_check_model(mv_image_backends *b, const char *model,
                                  const char *workflow_path, mv_error *err);
/* Makes one image (blocking). Thread-safe: several scenes may run at once. */
maivid_code mv_images_make(mv_image_backends *b, const mv_image_job *job, const mv_task *task,
                           mv_error *err);

/* Makes many images. Each job goes to its model's backend, or to `only` when not NULL (the
 * plug-in's stage); backends that can (ComfyUI: every server busy with one prompt, a failed
 * server's scenes moving to the others) run theirs concurrently, the others one after
 * another on the calling thread. `done` is called once per job, from any thread, as each
 * ends. Returns MAIVID_OK once every job has ended (check each result in `done`), or
 * MAIVID_E_CANCELLED. */
typedef void (*mv_image_done_fn)(void *user_data, size_t index, maivid_code code,
                                 const char *message);
maivid_code mv_images_make_batch(mv_image_backends *b, const mv_image_backend *only,
                                 const mv_image_job *jobs, size_t count, mv_image_done_fn done,
                                 void *user_data, const mv_task *task, mv_error *err);

/* Checks the roles of a job's models: `model` makes stills (not a video model), `animate`
 * (when set) is a video model. MAIVID_E_INVALID with the fix otherwise. */
maivid_code mv_images_check_roles(mv_image_backends *b, const char *model, const char *animate,
                                  mv_error *err);
/* The clip size, frame count and rate a video model wants for a scene of `seconds` at the
 * frame's aspect ratio (its family's native size and length rules; a per-job workflow:
 * 16-multiples and 8n+1 frames at 24 fps). */
void mv_images_clip_shape(mv_image_backends *b, const char *animate, double seconds,
                          int *frames, int *fps);

/* Custom workflows skipped when the backends opened ("a; b"), or NULL: log them. */
const char *mv_images_load_warnings(mv_image_backends *b);

#endif /* MV_IMAGES_H */
