/*
 * maivid_stages.h - plugging your own code into the pipeline (included by maivid.h).
 *
 * Modelled on SQLite's VFS: a struct whose `version` says which members exist, with a
 * user-data pointer, where a NULL member means "use the built-in stage". Pass it in
 * maivid_config.stages; the struct must outlive the engine.
 *
 * Stages talk through files in the job directory (maivid_ctx_job_dir()), so a stage you
 * replace only has to leave the same files behind:
 *
 *   fetch      source/audio.<ext> (any format libavformat reads) and source/metadata.json
 *              ({"title","artist","duration","tags","lyrics",...}; all optional)
 *   lyrics     source/lyrics.txt (plain text, LRC, SRT or WebVTT, section markers allowed; may
 *              be empty)
 *   analysis   analysis.json ({"duration","bpm","beats":[s],"downbeats":[s],"sections":[...]})
 *   plan       storyboard.json ({"scenes":[{"index","start","end","lyrics","prompt",
 *              "negative_prompt","seed","motion","transition","transition_duration"}]})
 *   image      one image per scene at maivid_scene_request.output_path (PNG, JPEG or PPM)
 *   render     the MP4 at maivid_ctx_video_path() and a JPEG thumbnail beside it
 *
 * Every stage function returns MAIVID_OK or an error code (after maivid_ctx_fail() for the
 * message), and should poll maivid_ctx_cancelled() often, returning MAIVID_E_CANCELLED.
 */
#ifndef MAIVID_STAGES_H
#define MAIVID_STAGES_H

#include "maivid.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The context of one stage run, valid only during the call. */
typedef struct maivid_stage_context maivid_stage_context;

/* One image to make. */
typedef struct maivid_scene_request {
    size_t struct_size;
    int index;                   /* 0-based scene index */
    int scene_count;
    double start, end;           /* seconds in the song */
    const char *lyrics;          /* the scene's lyric lines (may be "") */
    const char *prompt;
    const char *negative_prompt;
    int64_t seed;
    int width, height;           /* pixels wanted (the renderer scales and crops to fit) */
    const char *style;           /* style id */
    const char *model;           /* model id */
    const char *output_path;     /* write the image here (.png) */
} maivid_scene_request;

/* What happened, for observers. */
typedef enum maivid_event_type {
    MAIVID_EVENT_STATE = 0,      /* the job's state changed (queued, running, ended) */
    MAIVID_EVENT_STAGE = 1,      /* a stage started */
    MAIVID_EVENT_PROGRESS = 2,   /* progress moved */
    MAIVID_EVENT_SCENE = 3       /* a scene image finished (scene_index says which) */
} maivid_event_type;

typedef struct maivid_event {
    size_t struct_size;
    maivid_event_type type;
    const char *job_id;
    maivid_job_state state;
    maivid_stage stage;
    double stage_progress;       /* percent */
    double overall_progress;     /* percent */
    int scene_index;             /* for MAIVID_EVENT_SCENE, else -1 */
    const char *text;            /* the stage text, e.g. "Generating scene 3/5" */
} maivid_event;

typedef maivid_code (*maivid_stage_fn)(void *user_data, maivid_stage_context *ctx);
typedef maivid_code (*maivid_image_fn)(void *user_data, maivid_stage_context *ctx,
                                       const maivid_scene_request *scene);
typedef void (*maivid_event_fn)(void *user_data, const maivid_event *event);

#define MAIVID_STAGES_VERSION 1

typedef struct maivid_stages {
    int version;                 /* MAIVID_STAGES_VERSION: the library reads only the
                                    members this version has (0: user_data only; later
                                    versions append members at the end) */
    void *user_data;             /* passed to every callback */
    /* version 1 */
    maivid_stage_fn fetch;       /* stage "download" */
    maivid_stage_fn lyrics;      /* stage "lyrics" */
    maivid_stage_fn analysis;    /* stage "analysis" */
    maivid_stage_fn plan;        /* stage "scene_planning" */
    maivid_image_fn image;       /* stage "scene_generation", called once per scene */
    maivid_stage_fn render;      /* stage "video_creation" */
    maivid_event_fn on_event;    /* observer: called on every state, stage and progress change,
                                    from engine threads; must return quickly */
} maivid_stages;

/* Accessors for the running job. Strings stay valid during the stage call. */
MAIVID_API const char *maivid_ctx_job_id(const maivid_stage_context *ctx);
MAIVID_API const char *maivid_ctx_job_dir(const maivid_stage_context *ctx);
/* The job's parameters with defaults filled in. */
MAIVID_API const maivid_job_params *maivid_ctx_params(const maivid_stage_context *ctx);
/* Path of the source audio once fetched (NULL before the download stage finished). */
MAIVID_API const char *maivid_ctx_audio_path(const maivid_stage_context *ctx);
/* Where the render stage writes the MP4. */
MAIVID_API const char *maivid_ctx_video_path(const maivid_stage_context *ctx);

/* Reports progress of the current stage: fraction 0..1 and an optional text. */
MAIVID_API void maivid_ctx_progress(maivid_stage_context *ctx, double fraction, const char *text);
/* 1 once the job has been cancelled or the engine is closing: return MAIVID_E_CANCELLED. */
MAIVID_API int maivid_ctx_cancelled(const maivid_stage_context *ctx);
/* Records the error text of this stage (printf-style) and returns `code` for convenience. */
MAIVID_API maivid_code maivid_ctx_fail(maivid_stage_context *ctx, maivid_code code,
                                       const char *format, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Adds a warning to the job's status (the job goes on). */
MAIVID_API void maivid_ctx_warn(maivid_stage_context *ctx, const char *text);
/* Runs the built-in implementation of the current stage (for wrappers that only observe
 * or post-process). For the image stage, pass the scene; for others, NULL. */
MAIVID_API maivid_code maivid_ctx_run_builtin(maivid_stage_context *ctx,
                                              const maivid_scene_request *scene);

#ifdef __cplusplus
}
#endif

#endif /* MAIVID_STAGES_H */
