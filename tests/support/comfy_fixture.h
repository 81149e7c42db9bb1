/*
 * comfy_fixture.h - a fake ComfyUI server on 127.0.0.1 for tests. It replays the shapes
 * captured from the real server in research/comfyui.md: POST /prompt (200, the 400 bodies,
 * 500 text on bad JSON, 403 on a foreign Origin), GET /history/{id} ({} while pending or
 * running), /view, /queue, /interrupt, /object_info/{Class}, /system_stats, and the
 * WebSocket /ws?clientId= event stream in the captured order, with binary preview frames;
 * POST /upload/image, and real small clips for the video save nodes (comfy_fixture_clips.c).
 * GET /object_info (and /object_info/{Class} for the nodes that are not loaders) answers with
 * tests/fixtures/comfy_object_info_video.json: node definitions replayed from ComfyUI's
 * source, not captured from a real server.
 */
#ifndef COMFY_FIXTURE_H
#define COMFY_FIXTURE_H

#include <stddef.h>

typedef enum mv_fixture_mode {
    MV_FIXTURE_GOOD = 0,       /* every prompt succeeds quickly */
    MV_FIXTURE_SLOW = 1,       /* every prompt takes steps x step_seconds */
    MV_FIXTURE_FAILING = 2,    /* every prompt ends with execution_error in the loader */
    MV_FIXTURE_RESTARTING = 3, /* the first prompt: the server dies mid-run, comes back empty */
    MV_FIXTURE_NO_WS = 4,      /* like GOOD, but /ws answers 404 (clients must poll) */
    MV_FIXTURE_NO_MODELS = 5   /* a real ComfyUI 0.3.64 with empty model folders: every loader
                                * lists no files in /object_info, a graph naming one gets 400
                                * prompt_outputs_failed_validation / value_not_in_list, and
                                * weight-free graphs (EmptyImage -> SaveImage) run */
} mv_fixture_mode;

typedef struct mv_comfy_fixture_opts {
    mv_fixture_mode mode;
    /* Checkpoints "installed" (CheckpointLoaderSimple.ckpt_name); NULL: the shipped defaults. */
    const char *const *checkpoints;
    size_t checkpoint_count;
    int steps;           /* progress steps per prompt; 0: 3 */
    double step_seconds; /* 0: 0.01 (GOOD) or 0.25 (SLOW) */
    double restart_seconds; /* RESTARTING: how long the server stays down; 0: 0.8 */
    /* POST /upload/image keeps files in this input subfolder (reply "subfolder"); NULL: "". */
    const char *upload_subfolder;
    /* > 0: from the prompt the executor runs as number fail_from on (1: the first), every
     * prompt fails like MV_FIXTURE_FAILING; 0: off. */
    int fail_from;
    /* 1: an image-to-video graph's clip is flat grey rising by 2 a frame, from the uploaded
     * image's level when that is flat (a chained clip starts from the clip before it), else
     * from 20: frame order shows through a chain. 0: the upload zooming in. */
    int i2v_levels;
} mv_comfy_fixture_opts;

typedef struct mv_comfy_fixture_stats {
    int posts;             /* every POST /prompt */
    int accepted;          /* POST /prompt answered 200 */
    int completed;         /* prompts that ended with execution_success */
    int cached;            /* prompts answered from the fake node cache */
    int interrupts_by_id;  /* POST /interrupt naming a prompt id */
    int interrupts_all;    /* POST /interrupt without one */
    int interrupted;       /* prompts that ended interrupted */
    int queue_deletes;     /* POST /queue delete entries */
    int max_busy;          /* most prompts queued + running at one time */
    int ws_connections;
    int restarts;
    int views;
    int uploads;           /* POST /upload/image with an image */
} mv_comfy_fixture_stats;

typedef struct mv_comfy_fixture mv_comfy_fixture;

/* Starts the fixture (opts may be NULL for GOOD). NULL on failure. */
mv_comfy_fixture *mv_comfy_fixture_start(const mv_comfy_fixture_opts *opts);
/* Stops it, joins its threads and frees it. */
void mv_comfy_fixture_stop(mv_comfy_fixture *f);
/* "http://127.0.0.1:PORT" */
const char *mv_comfy_fixture_url(const mv_comfy_fixture *f);
void mv_comfy_fixture_get_stats(mv_comfy_fixture *f, mv_comfy_fixture_stats *out);
/* The last accepted graph as JSON text (malloc'd) or NULL. */
char *mv_comfy_fixture_last_graph(mv_comfy_fixture *f);
/* The bytes of the latest POST /upload/image (malloc'd, *len set) or NULL. */
unsigned char *mv_comfy_fixture_last_upload(mv_comfy_fixture *f, size_t *len);
/* The last client_id received, malloc'd or NULL. */
char *mv_comfy_fixture_last_client_id(mv_comfy_fixture *f);

/* A stalling server: from now on requests for `path` (e.g. "/prompt", "/view") get their
 * status line and headers, announce twice body_bytes and send body_bytes (a PNG signature,
 * then filler), then nothing more until the fixture stops. */
void mv_comfy_fixture_stall(mv_comfy_fixture *f, const char *path, size_t body_bytes);

#endif /* COMFY_FIXTURE_H */
