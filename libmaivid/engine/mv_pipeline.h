/*
 * mv_pipeline.h - what the pipeline runner shares with the built-in stages and the public
 * stage-context accessors: the context of one stage run.
 */
#ifndef MV_PIPELINE_H
#define MV_PIPELINE_H

#include "engine/mv_engine.h"

struct maivid_stage_context {
    maivid_engine *engine;
    mv_job *job;
    maivid_stage stage;
    maivid_job_params params;   /* view into job->settings */
    char *audio_path;           /* found source/audio.* (NULL before download) */
    char *video_path;           /* <job_dir>/video.mp4 */
    char *thumbnail_path;       /* <job_dir>/thumbnail.jpg */
    mv_task task;               /* progress/cancel/warn wired to the job */
    mv_error err;               /* the stage's error text */
    /* Set while scene_generation runs beside video_creation (images_beside.c): the render
     * waits on it for each scene's image, and the images stage tells it what is on disk. */
    struct mv_images_beside *beside;
};

/* Re-finds source/audio.* in the job directory (after the download stage). */
void mv_ctx_refresh_audio(maivid_stage_context *ctx);

/* Built-in stages. Each reads its inputs from and writes its outputs to the job directory. */
maivid_code mv_builtin_fetch(maivid_stage_context *ctx);
maivid_code mv_builtin_lyrics(maivid_stage_context *ctx);
maivid_code mv_builtin_analysis(maivid_stage_context *ctx);
maivid_code mv_builtin_plan(maivid_stage_context *ctx);
/* The size scene images are asked for: the frame plus headroom for motion, even. */
void mv_scene_image_size(const mv_job *job, int *w, int *h);
/* All scenes (plugged image callback or built-in backends). */
maivid_code mv_stage_images(maivid_stage_context *ctx);
/* The image-to-video pass over the scenes' stills (stages_animate.c), frame_w x frame_h the
 * video frame. */
maivid_code mv_stage_animate(maivid_stage_context *ctx, const mv_plan *plan,
                             char *const *stills, int frame_w, int frame_h);
/* 1 when the job turns its stills into clips (animate or animate_workflow). */
int mv_animate_on(const mv_job *job);
/* The longest clip the job asks of its video model, in seconds: the model's own longest, or
 * clip_seconds when that is shorter. */
double mv_animate_longest_clip(maivid_engine *e, const mv_job *job);
/* How a scene of `seconds` is filled with clips: returns the chain's length (1 when one clip
 * does; at most MV_PLAN_MAX_CLIPS) and each clip's frames and rate (a chained clip has one
 * frame more: its first repeats the previous clip's last). */
int mv_animate_clip_plan(maivid_engine *e, const mv_job *job, double seconds, int *frames,
                         int *fps);
/* The plug-in's image callback as an image backend (image_plugin.c): `state` is the
 * caller's storage, alive while `backend` is used. */
typedef struct mv_plugin_state {
    maivid_stage_context *ctx;
    const maivid_stages *plug;
} mv_plugin_state;
void mv_plugin_backend(maivid_stage_context *ctx, const maivid_stages *plug,
                       mv_plugin_state *state, mv_image_backend *backend);
/* One scene with the built-in backends (for maivid_ctx_run_builtin). */
maivid_code mv_builtin_image(maivid_stage_context *ctx, const maivid_scene_request *scene);
maivid_code mv_builtin_render(maivid_stage_context *ctx);

/* The lyric timing step after the analysis stage: lyrics_timed.json and the caption
 * sidecars (stage_timing.c). Fails only on cancel, memory or disk errors. */
maivid_code mv_lyrics_timing_step(maivid_stage_context *ctx);
/* 1 when lyrics_timed.json exists (a resumed job skips the timing step). */
int mv_timing_output_complete(maivid_stage_context *ctx);

/* 1 when the stage's outputs are complete on disk (so a resumed job skips it). */
int mv_stage_output_complete(maivid_stage_context *ctx, maivid_stage stage);
/* Removes the partial outputs of a stage (after cancel). */
void mv_stage_remove_partial(maivid_stage_context *ctx, maivid_stage stage);

/* space.c: before a stage, fails the stage (with the "no space left on <data_dir>: N MB free,
 * about M MB needed" message) when the data directory's filesystem has less free space than
 * the job may still write. */
maivid_code mv_space_check(maivid_stage_context *ctx);
/* After a stage failed: a failure caused by a full disk gets that same message. */
void mv_space_explain_failure(maivid_stage_context *ctx);

/* The job directory's well-known paths (malloc'd). */
char *mv_job_path(const mv_job *job, const char *relative);

#endif /* MV_PIPELINE_H */
