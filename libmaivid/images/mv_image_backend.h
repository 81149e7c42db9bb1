/*
 * mv_image_backend.h - the one small interface every image backend implements (like SQLite's
 * VFS): an ops table the image stage calls to list a backend's models, prepare one scene's
 * job, say whether it could run now, and make it (one at a time, or many at once when the
 * backend can). Backends: comfy/ (ComfyUI servers), paint/ (the built-in illustrator) and the
 * engine's plug-in stage (maivid_stages.image). A new backend is a new folder with an ops
 * table, listed once in images/stage.c. Also the scene image cache every backend shares.
 */
#ifndef MV_IMAGE_BACKEND_H
#define MV_IMAGE_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "images/mv_images.h"

struct cJSON;

/* What the catalog shows of a model; a backend embeds it first in its own model record. */
typedef struct mv_image_model {
    char *id, *name, *description, *speed, *quality;
    int video; /* 1: an image-to-video model (catalog "kind": "video"; the animate pass) */
} mv_image_model;

/* The parts of a job's cache key (NULL backend: not cached). */
typedef struct mv_cache_key_parts {
    const char *backend, *model;
    uint64_t workflow_hash;
    const char *prompt, *negative_prompt, *style_id;
    int64_t seed;
    int width, height;
} mv_cache_key_parts;

/* One job prepared by its backend. */
typedef struct mv_prepared_job {
    const mv_image_model *model; /* NULL for a per-job workflow or the plug-in */
    void *work;                  /* the backend's own (e.g. ComfyUI's filled graph) */
    char *cache_path;            /* NULL: not cached */
    int gen_w, gen_h;            /* the size the backend makes */
} mv_prepared_job;

typedef struct mv_image_backend_ops {
    const char *kind; /* the catalog's "kind": "comfyui", "builtin", "plugin" */
    int takes_workflow_files; /* 1: a job's own workflow file runs on this backend */
    maivid_code (*open)(const mv_image_config *cfg, void **state, char **warnings,
                        mv_error *err);
    void (*close)(void *state);
    /* The i-th model this backend offers, NULL past the end. */
    const mv_image_model *(*model)(void *state, size_t i);
    /* Prepares job (for model m, NULL for a per-job workflow): sets out->work, gen_w, gen_h
     * and the backend's parts of the cache key (leave key->backend NULL: not cached). */
    maivid_code (*prepare)(void *state, const mv_image_model *m, const mv_image_job *job,
                           mv_prepared_job *out, mv_cache_key_parts *key, mv_error *err);
    void (*release)(void *state, mv_prepared_job *p); /* frees p->work; may be NULL */
    /* MAIVID_OK when the prepared job could run now; else why and what to do. */
    maivid_code (*check)(void *state, const mv_prepared_job *p, mv_error *err);
    /* Makes one prepared image at job->output_path (blocking, thread-safe). */
    maivid_code (*make)(void *state, const mv_prepared_job *p, const mv_image_job *job,
                        const mv_task *task, mv_error *err);
    /* Optional: adds backend fields to the model's catalog entry (a cJSON object). */
    void (*describe)(void *state, const mv_image_model *m, struct cJSON *entry);
    /* Optional: makes jobs[which[k]] for k < count concurrently, reporting through
     * tasks[which[k]] and done(user, which[k], ...) once each; batch_task for warnings and
     * cancel. NULL: the stage calls make() one job after another. */
    void (*make_batch)(void *state, const mv_image_job *jobs, const mv_prepared_job *prep,
                       const size_t *which, size_t count, const mv_task *tasks,
                       mv_image_done_fn done, void *user, const mv_task *batch_task);
    /* Optional: the frames and rate a video model's clip has for a scene of `seconds`
     * (m NULL: a per-job workflow). */
    void (*clip_shape)(void *state, const mv_image_model *m, double seconds, int *frames,
                       int *fps);
} mv_image_backend_ops;

/* A backend in use: its ops and its state. */
typedef struct mv_image_backend {
    const mv_image_backend_ops *ops;
    void *state;
} mv_image_backend;

/* The backends the stage opens (comfy/backend.c, paint/backend.c). */
extern const mv_image_backend_ops mv_comfy_backend_ops;
extern const mv_image_backend_ops mv_paint_backend_ops;

/* The state of the opened backend with these ops, or NULL (tests tune backends with it). */
void *mv_images_backend_state(mv_image_backends *b, const mv_image_backend_ops *ops);

/* Prepares a job: its model's backend (or `only`, when not NULL) and the cache path. */
maivid_code mv_images_prepare(mv_image_backends *b, const mv_image_backend *only,
                              const mv_image_job *job, mv_image_backend *backend,
                              mv_prepared_job *out, mv_error *err);
void mv_prepared_free(const mv_image_backend *backend, mv_prepared_job *p);

/* ------------------------------------------------------------------ cache.c */

/* 64-bit FNV-1a over bytes, chained with `h` (start with MV_FNV_OFFSET). */
#define MV_FNV_OFFSET 1469598103934665603ULL
uint64_t mv_fnv1a(uint64_t h, const void *data, size_t len);
/* cache_dir/<32 hex>.png (malloc'd), or NULL when cache_dir is NULL. */
char *mv_cache_path(const char *cache_dir, const mv_cache_key_parts *k);
/* 1 and output_path written when the cache holds a valid PNG for that path (its depth layers
 * too when the cache has them; stale ones at output_path are removed). */
int mv_cache_fetch(const char *cache_path, const char *output_path);
/* Removes the depth layers beside output_path (before a new picture is made or fetched). */
void mv_cache_forget_layers(const char *output_path);
/* Stores output_path (and its depth layers, if any) under cache_path (atomically); failures
 * only warn. */
void mv_cache_store(const char *cache_path, const char *output_path, const mv_task *task);

#endif /* MV_IMAGE_BACKEND_H */
