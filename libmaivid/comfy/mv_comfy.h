/*
 * mv_comfy.h - the ComfyUI image backend (mv_comfy_backend_ops), shared only inside
 * libmaivid/comfy/ and its tests: the model registry, workflow templates and their
 * substitution, generation sizes, the HTTP and WebSocket transport, one prompt's run on one
 * ComfyUI server, the usable-now check, and the backend's state.
 */
#ifndef MV_COMFY_H
#define MV_COMFY_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "images/mv_image_backend.h"
#include "util/mv_common.h"

/* ------------------------------------------------------------------ sizes.c */

/* The model families the sizes are chosen for. CUSTOM takes the template's own latent size
 * as its native pixel count. */
typedef enum mv_model_family {
    MV_FAMILY_SDXL_TURBO = 0, /* ~0.26 MP, multiples of 64 */
    MV_FAMILY_SD3 = 1,        /* ~1 MP, multiples of 16 */
    MV_FAMILY_FLUX = 2,       /* ~1 MP, multiples of 16 */
    MV_FAMILY_CUSTOM = 3,     /* native_pixels from the template, multiples of 16 */
    MV_FAMILY_WAN22 = 4,      /* Wan 2.2 TI2V 5B video: 1280x704 (~0.9 MP), multiples of 32,
                               * 4n+1 frames at 24 fps */
    MV_FAMILY_LTXV = 5        /* LTX-Video: 768x512 (~0.4 MP), multiples of 32, 8n+1 frames
                               * at 24 fps */
} mv_model_family;

/* Picks the generation size near the family's native pixel count at the frame's aspect
 * ratio. native_pixels is used for MV_FAMILY_CUSTOM only (0: 1 MP). */
void mv_comfy_size_for(mv_model_family family, long native_pixels, int frame_w, int frame_h,
                       int *out_w, int *out_h);

/* The frames and rate a family's clip has for a scene of `seconds`: the family's length
 * rule (Wan: 4n+1, LTX and custom: 8n+1), 17..121 frames, 24 fps. */
void mv_comfy_clip_frames(mv_model_family family, double seconds, int *frames, int *fps);

/* ------------------------------------------------------------------ workflow.c */

typedef struct mv_workflow_params {
    const char *prompt;
    const char *negative_prompt; /* NULL: "" */
    int64_t seed;                /* reduced to 0..2^53-1 so JSON keeps it exact */
    int width, height;
    const char *checkpoint;      /* NULL: keep the template's model file names */
    const char *filename_prefix; /* NULL: keep the template's SaveImage prefix */
    const char *image;           /* "{{image}}": the uploaded input's name; NULL: none */
    int frames, fps;             /* "{{frames}}", "{{fps}}"; 0: none */
} mv_workflow_params;

/* What a substitution found and set (tests and diagnostics). */
typedef struct mv_workflow_report {
    int prompt_set, negative_set, size_set, seed_set, placeholders;
    int image_set, frames_set, fps_set;
} mv_workflow_report;

/* Loads an API-format workflow. Accepts the bare graph (top-level "name"/"description"
 * strings are metadata and removed) or a wrapper {"name","description","prompt"|"workflow":
 * graph}. Rejects the UI format (with "nodes"/"links") with the fix. name/description may be
 * NULL; what they receive is malloc'd (or NULL). */
maivid_code mv_workflow_load(const char *path, cJSON **graph, char **name, char **description,
                             mv_error *err);
/* Same from text already in memory; `what` names the source in errors. */
maivid_code mv_workflow_parse(const char *text, const char *what, cJSON **graph, char **name,
                              char **description, mv_error *err);
/* Fills the graph in place: placeholders first, then by class and wiring for whatever no
 * placeholder covered. Fails when the prompt cannot be placed anywhere. */
maivid_code mv_workflow_apply(cJSON *graph, const mv_workflow_params *p,
                              mv_workflow_report *report, mv_error *err);
/* Pixel count of the template's latent image node (0 if it has none with numbers). */
long mv_workflow_native_pixels(const cJSON *graph);
/* The seed reduced the way mv_workflow_apply stores it. */
int64_t mv_workflow_seed_value(int64_t seed);

/* ------------------------------------------------------------------ models.c */

typedef struct mv_comfy_model {
    mv_image_model base;      /* id, name, ... as the catalog shows them */
    mv_model_family family;
    char *workflow_path;      /* the template file */
    char *checkpoint;         /* set by <models_dir>/<id>.checkpoint or --checkpoint; NULL:
                               * the template's own file names */
} mv_comfy_model;

typedef struct mv_model_list {
    mv_comfy_model *items;
    size_t count;
} mv_model_list;

/* Builds the registry: the shipped sdxl_turbo/sd3/flux (templates under
 * share_dir/workflows) and every *.json in models_dir, with the checkpoint each
 * <models_dir>/<id>.checkpoint names. Bad custom files are skipped with a reason appended to
 * `warnings` (malloc'd, may stay NULL); a bad .checkpoint file fails with the fix. */
maivid_code mv_models_load(const char *share_dir, const char *models_dir, mv_model_list *out,
                           char **warnings, mv_error *err);
/* Applies "MODEL=FILE" overrides (after the models directory's <id>.checkpoint files); an
 * unknown or non-ComfyUI model, or a bad entry, fails with the fix. */
maivid_code mv_models_set_checkpoints(mv_model_list *list, const char *const *overrides,
                                      size_t count, mv_error *err);
void mv_models_free(mv_model_list *list);
const mv_comfy_model *mv_models_find(const mv_model_list *list, const char *id);

/* ------------------------------------------------------------------ http.c */

typedef struct mv_http_reply {
    long status;          /* HTTP status, 0 when the transfer failed */
    char *body;           /* NUL-terminated, malloc'd (may be empty) */
    size_t len;
    int transport_failed; /* connection refused, reset, timeout: the server may be restarting */
    char detail[256];     /* curl's text for a transport failure */
    int timed_out;        /* the transport failure was a timeout (no reply, or a stall) */
} mv_http_reply;

/* One request with libcurl: no Origin header (ComfyUI answers 403 to a foreign one), no
 * redirects, http/https only. json_body NULL: GET (or a bodiless POST if method is "POST").
 * It fails after total_timeout seconds, or (stall_timeout > 0) once nothing has arrived for
 * stall_timeout seconds, so a server that stops mid-reply cannot hold a worker for long.
 * Returns MAIVID_E_CANCELLED when the task is cancelled, MAIVID_OK otherwise (look at the
 * reply: a transport failure is not an error here). */
maivid_code mv_http_request(const char *method, const char *url, const char *json_body,
                            double connect_timeout, double total_timeout, double stall_timeout,
                            size_t max_bytes, const mv_task *task, mv_http_reply *reply);
void mv_http_reply_free(mv_http_reply *reply);
/* URL-encodes s (malloc'd). */
char *mv_http_escape(const char *s);

/* ------------------------------------------------------------------ ws.c */

typedef struct mv_ws mv_ws;
enum { MV_WS_TEXT = 1, MV_WS_BINARY = 2 };
/* Opens base_url + "/ws?clientId=" + client_id (http:// only). Returns 0 or -1 with a reason
 * in `why` (the caller then polls /history instead). */
int mv_ws_open(const char *base_url, const char *client_id, double timeout, mv_ws **out,
               char *why, size_t why_size);
/* Waits up to timeout_ms for one whole message. 1: a message (opcode MV_WS_TEXT or
 * MV_WS_BINARY, *data malloc'd and NUL-terminated), 0: nothing yet, -1: closed or broken. */
int mv_ws_read(mv_ws *ws, int timeout_ms, int *opcode, char **data, size_t *len);
void mv_ws_close(mv_ws *ws);

/* ------------------------------------------------------------------ client.c */

typedef struct mv_comfy_timing {
    double connect_timeout;  /* per request connect */
    double request_timeout;  /* per small request */
    double image_timeout;    /* one prompt from submit to result */
    double poll_interval;    /* /history polling */
    double backoff_initial;  /* first wait after a transport failure, doubled each time */
    double backoff_max;
    double restart_budget;   /* total seconds to wait for a restarting server */
    double stall_timeout;    /* a reply that sends nothing for this long fails (io_timeout) */
} mv_comfy_timing;

/* How a run ended, beyond its maivid_code. */
typedef enum mv_comfy_fault {
    MV_FAULT_NONE = 0,
    MV_FAULT_JOB = 1,    /* the graph failed (validation, execution): another server may differ */
    MV_FAULT_SERVER = 2  /* the server is unreachable or kept failing: move the scene */
} mv_comfy_fault;

/* An image a graph reads (image-to-video): the local file, and the name the prepared graph
 * gives it (its "{{image}}" inputs hold that name until the server says where it put it). */
typedef struct mv_comfy_upload {
    const char *path; /* NULL: nothing to upload */
    const char *name;
} mv_comfy_upload;

/* Runs a filled graph on one server and writes its first output atomically: an image as the
 * PNG out_path; a video or animation (outputs.c) as the scene's clip beside out_path, its
 * first frame becoming out_path unless an image was uploaded (then the still stays).
 * upload may be NULL. model_id as for mv_usable_check (it words the fix of a missing file). */
maivid_code mv_comfy_run(const char *base_url, const cJSON *graph, const char *model_id,
                         const mv_comfy_timing *t, const char *out_path,
                         const mv_comfy_upload *upload, const mv_task *task,
                         mv_comfy_fault *fault, mv_error *err);

/* ------------------------------------------------------------------ upload.c, outputs.c */

/* POST /upload/image (multipart: image, type=input, overwrite=true) of upload->path under
 * upload->name; where the server's reply {name, subfolder, type} puts it elsewhere, the
 * graph's inputs naming upload->name are changed to "subfolder/name". */
maivid_code mv_comfy_upload_image(const char *base_url, const mv_comfy_upload *upload,
                                  cJSON *graph, const mv_comfy_timing *t, const mv_task *task,
                                  mv_comfy_fault *fault, mv_error *err);
/* Keeps a downloaded video output (entry: its /history file entry) as the clip of the
 * still out_path, checked with libavformat; poster: also write its first frame as out_path. */
maivid_code mv_comfy_keep_clip(const char *base_url, const cJSON *entry, const char *data,
                               size_t len, const char *out_path, int poster,
                               mv_comfy_fault *fault, mv_error *err);
/* The name a still is uploaded under ("maivid_<hash of its path>.png", malloc'd). */
char *mv_comfy_upload_name(const char *path);
/* 1 for a node class that writes a video or an animation (SaveVideo, SaveWEBM, ...). */
int mv_is_clip_node(const char *node_class);
/* 1 when the graph ends in a node that writes a video or an animation. */
int mv_workflow_makes_clip(const cJSON *graph);
/* 1 when the graph reads an input image (LoadImage): with a clip output, image-to-video. */
int mv_workflow_loads_image(const cJSON *graph);
/* Lists the values a combo input accepts on that server, from /object_info/<node_class>
 * (both the legacy [[...], {...}] and the v3 ["COMBO", {"options": [...]}] shapes).
 * Returns a cJSON array (caller deletes) or NULL when the server or class is unknown. */
cJSON *mv_comfy_combo_values(const char *base_url, const char *node_class, const char *input,
                             const mv_comfy_timing *t);

/* ------------------------------------------------------------------ usable.c */

/* Per-server knowledge kept briefly: reachable or not, and the combo lists fetched. */
typedef struct mv_usable_cache mv_usable_cache;
mv_usable_cache *mv_usable_new(double ttl_seconds);
void mv_usable_free(mv_usable_cache *c);
/* 1 if some server is reachable and has every model file the graph names; else 0 and
 * `why` says what is missing and how to fix it. model_id: the registry model the graph
 * comes from (its --checkpoint is named in the fix), NULL for a per-job workflow. */
int mv_usable_check(mv_usable_cache *c, const char *const *urls, size_t url_count,
                    const cJSON *graph, const char *model_id, const mv_comfy_timing *t,
                    char *why, size_t why_size);
/* "'FILE' is not installed on ComfyUI at URL (Class.input; installed: ...); put it in
 * ComfyUI's models/<folder> folder, or set it with --checkpoint MODEL=FILE": the one wording
 * for the usable check and for a run's 400 value_not_in_list. installed may be NULL. */
void mv_comfy_missing_file(char *buf, size_t size, const char *url, const char *node_class,
                           const char *input, const char *value, const cJSON *installed,
                           const char *model_id);

/* ------------------------------------------------------------------ backend.c, batch.c */

/* The backend's state: servers, models, timings, the usable-now cache. */
typedef struct mv_comfy_backend {
    char **urls;
    size_t url_count;
    char *share_dir;
    mv_model_list models;
    mv_comfy_timing timing;
    mv_usable_cache *usable;
    pthread_mutex_t lock;   /* guards busy[] */
    unsigned *busy;         /* prompts in flight per server (single-image calls) */
} mv_comfy_backend;

/* Tunes the ComfyUI backend's timings (tests use short ones). Fields <= 0 are kept. */
void mv_images_set_timing(mv_image_backends *b, const mv_comfy_timing *t);
/* Runs a prepared job, trying the servers from first_server on until one makes it. */
maivid_code mv_comfy_run_prepared(mv_comfy_backend *cb, const mv_prepared_job *p,
                                  const mv_image_job *job, size_t first_server,
                                  const mv_task *task, mv_error *err);
/* Runs a prepared job once on server `server` (uploading the job's input image first). */
maivid_code mv_comfy_run_job(mv_comfy_backend *cb, size_t server, const mv_prepared_job *p,
                             const mv_image_job *job, const mv_task *task,
                             mv_comfy_fault *fault, mv_error *err);
/* The ops make_batch: every server kept busy with one prompt at a time (batch.c). */
void mv_comfy_make_batch(void *state, const mv_image_job *jobs, const mv_prepared_job *prep,
                         const size_t *which, size_t count, const mv_task *tasks,
                         mv_image_done_fn done, void *user, const mv_task *batch_task);

#endif /* MV_COMFY_H */
