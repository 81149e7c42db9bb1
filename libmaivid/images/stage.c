/*
 * stage.c - the image stage's entry points (mv_images.h): opening every backend in
 * mv_backend_table and joining their models into one registry, the models catalog and the
 * usable-now check, preparing a job on its model's backend with its cache path, and making
 * one scene image (a cache hit, else the backend). Nothing here knows a backend's insides.
 */
#include "images/mv_image_backend.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The backends every engine opens, in catalog order. A new backend: one line here. */
static const mv_image_backend_ops *const mv_backend_table[] = {
    &mv_paint_backend_ops,
    &mv_comfy_backend_ops,
};
#define MV_BACKEND_COUNT (sizeof mv_backend_table / sizeof mv_backend_table[0])

typedef struct mv_registered_model {
    const mv_image_model *model;
    size_t backend; /* index into backends[] */
} mv_registered_model;

struct mv_image_backends {
    mv_image_backend backends[MV_BACKEND_COUNT];
    mv_registered_model *models;
    size_t model_count;
    char *cache_dir;
    char *warnings; /* what the backends skipped at open, or NULL */
};

static void mv_append_warning(char **warnings, char *text)
{
    if (!text)
        return;
    char *joined = *warnings ? mv_strdup_printf("%s; %s", *warnings, text) : mv_strdup(text);
    if (joined) {
        free(*warnings);
        *warnings = joined;
    }
    free(text);
}

static const mv_registered_model *mv_find(const mv_image_backends *b, const char *id)
{
    for (size_t i = 0; id && i < b->model_count; i++)
        if (strcmp(b->models[i].model->id, id) == 0)
            return &b->models[i];
    return NULL;
}

/* Adds every model of backend k; an id already taken is skipped with a warning. */
static maivid_code mv_register_models(mv_image_backends *b, size_t k, mv_error *err)
{
    const mv_image_backend *be = &b->backends[k];
    for (size_t i = 0;; i++) {
        const mv_image_model *m = be->ops->model(be->state, i);
        if (!m)
            return MAIVID_OK;
        if (mv_find(b, m->id)) {
            mv_append_warning(&b->warnings,
                              mv_strdup_printf("model '%s' of the %s backend skipped: its id is "
                                               "taken; rename it",
                                               m->id, be->ops->kind));
            continue;
        }
        mv_registered_model *grown = realloc(b->models, (b->model_count + 1) * sizeof *grown);
        if (!grown)
            return mv_fail(err, MAIVID_E_NOMEM, "out of memory listing the image models");
        b->models = grown;
        b->models[b->model_count++] = (mv_registered_model){m, k};
    }
}

maivid_code mv_images_open(const mv_image_config *cfg, mv_image_backends **out, mv_error *err)
{
    *out = NULL;
    mv_image_backends *b = calloc(1, sizeof *b);
    if (!b)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory opening the image backends");
    b->cache_dir = cfg && cfg->cache_dir ? mv_strdup(cfg->cache_dir) : NULL;
    maivid_code rc = MAIVID_OK;
    for (size_t k = 0; k < MV_BACKEND_COUNT && rc == MAIVID_OK; k++) {
        b->backends[k].ops = mv_backend_table[k];
        rc = mv_backend_table[k]->open(cfg, &b->backends[k].state, &b->warnings, err);
        if (rc == MAIVID_OK)
            rc = mv_register_models(b, k, err);
    }
    if (rc != MAIVID_OK) {
        mv_images_close(b);
        return rc;
    }
    *out = b;
    return MAIVID_OK;
}

void mv_images_close(mv_image_backends *b)
{
    if (!b)
        return;
    for (size_t k = 0; k < MV_BACKEND_COUNT; k++)
        if (b->backends[k].ops && b->backends[k].state)
            b->backends[k].ops->close(b->backends[k].state);
    free(b->models);
    free(b->cache_dir);
    free(b->warnings);
    free(b);
}

const char *mv_images_load_warnings(mv_image_backends *b)
{
    return b ? b->warnings : NULL;
}

void *mv_images_backend_state(mv_image_backends *b, const mv_image_backend_ops *ops)
{
    for (size_t k = 0; b && k < MV_BACKEND_COUNT; k++)
        if (b->backends[k].ops == ops)
            return b->backends[k].state;
    return NULL;
}

int mv_images_model_known(mv_image_backends *b, const char *model)
{
    return b && mv_find(b, model) != NULL;
}

static void mv_model_ids(const mv_image_backends *b, char *buf, size_t size)
{
    buf[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < b->model_count; i++) {
        int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", b->models[i].model->id);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
}

/* The backend that runs a job: `only`, the one taking workflow files, or the model's. */
static maivid_code mv_pick_backend(mv_image_backends *b, const mv_image_backend *only,
                                   const mv_image_job *job, mv_image_backend *backend,
                                   const mv_image_model **model, mv_error *err)
{
    *model = NULL;
    if (only) {
        *backend = *only;
        return MAIVID_OK;
    }
    if (job->workflow_path && *job->workflow_path) {
        for (size_t k = 0; k < MV_BACKEND_COUNT; k++)
            if (b->backends[k].ops->takes_workflow_files) {
                *backend = b->backends[k];
                return MAIVID_OK;
            }
        return mv_fail(err, MAIVID_E_INVALID, "no image backend runs workflow files");
    }
    const mv_registered_model *r = mv_find(b, job->model);
    if (!r) {
        char ids[512];
        mv_model_ids(b, ids, sizeof ids);
        return mv_fail(err, MAIVID_E_INVALID, "unknown image model '%s'; choose one of: %s",
                       job->model ? job->model : "(none)", ids);
    }
    *backend = b->backends[r->backend];
    *model = r->model;
    return MAIVID_OK;
}

maivid_code mv_images_prepare(mv_image_backends *b, const mv_image_backend *only,
                              const mv_image_job *job, mv_image_backend *backend,
                              mv_prepared_job *out, mv_error *err)
{
    memset(out, 0, sizeof *out);
    if (!job || !job->output_path || !*job->output_path)
        return mv_fail(err, MAIVID_E_INVALID, "scene image job without an output path");
    if (job->width <= 0 || job->height <= 0)
        return mv_fail(err, MAIVID_E_INVALID, "scene image size %dx%d is not valid; pass the "
                                              "video frame size",
                       job->width, job->height);
    const mv_image_model *m = NULL;
    maivid_code rc = mv_pick_backend(b, only, job, backend, &m, err);
    if (rc != MAIVID_OK)
        return rc;
    mv_cache_key_parts k = {
        .prompt = job->prompt,
        .negative_prompt = job->negative_prompt,
        .style_id = job->style_id,
        .seed = job->seed,
    };
    out->model = m;
    rc = backend->ops->prepare(backend->state, m, job, out, &k, err);
    if (rc != MAIVID_OK) {
        mv_prepared_free(backend, out);
        return rc;
    }
    k.width = out->gen_w;
    k.height = out->gen_h;
    mv_cache_forget_layers(job->output_path); /* the layers of an earlier picture */
    if (k.backend)
        out->cache_path = mv_cache_path(b->cache_dir, &k);
    return MAIVID_OK;
}

void mv_prepared_free(const mv_image_backend *backend, mv_prepared_job *p)
{
    if (p->work && backend->ops->release)
        backend->ops->release(backend->state, p);
    free(p->cache_path);
    memset(p, 0, sizeof *p);
}

maivid_code mv_images_make(mv_image_backends *b, const mv_image_job *job, const mv_task *task,
                           mv_error *err)
{
    mv_error local;
    mv_error_clear(&local);
    if (!err)
        err = &local;
    if (mv_task_cancelled(task))
        return mv_fail(err, MAIVID_E_CANCELLED, "cancelled");
    mv_image_backend be;
    mv_prepared_job p;
    maivid_code rc = mv_images_prepare(b, NULL, job, &be, &p, err);
    if (rc != MAIVID_OK)
        return rc;
    if (mv_cache_fetch(p.cache_path, job->output_path)) {
        mv_task_progress(task, 1.0, "image taken from the cache");
        mv_prepared_free(&be, &p);
        return MAIVID_OK;
    }
    rc = be.ops->make(be.state, &p, job, task, err);
    if (rc == MAIVID_OK)
        mv_cache_store(p.cache_path, job->output_path, task);
    mv_prepared_free(&be, &p);
    return rc;
}

/* mv_images_check, also giving the generation size it prepared. */
static maivid_code mv_check_sized(mv_image_backends *b, const mv_image_job *job, int *gen_w,
                                  int *gen_h, mv_error *err)
{
    mv_image_backend be;
    mv_prepared_job p;
    maivid_code rc = mv_images_prepare(b, NULL, job, &be, &p, err);
    if (rc != MAIVID_OK)
        return rc;
    *gen_w = p.gen_w;
    *gen_h = p.gen_h;
    if (be.ops->check)
        rc = be.ops->check(be.state, &p, err);
    mv_prepared_free(&be, &p);
    return rc;
}

maivid_code mv_images_check(mv_image_backends *b, const mv_image_job *job, mv_error *err)
{
    int w, h;
    return mv_check_sized(b, job, &w, &h, err);
}

/* A job that only asks: the model (or workflow) at a 16:9 frame. */
static mv_image_job mv_probe_job(const char *model, const char *workflow_path)
{
    mv_image_job probe = {
        .model = model && *model ? model : "sdxl_turbo",
        .workflow_path = workflow_path && *workflow_path ? workflow_path : NULL,
        .prompt = "probe",
        .width = 1280,
        .height = 720,
        .output_path = "/dev/null",
    };
    return probe;
}

maivid_code mv_images_check_model(mv_image_backends *b, const char *model,
                                  const char *workflow_path, mv_error *err)
{
    mv_image_job probe = mv_probe_job(model, workflow_path);
    return mv_images_check(b, &probe, err);
}

cJSON *mv_images_catalog(mv_image_backends *b)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; b && i < b->model_count; i++) {
        const mv_image_model *m = b->models[i].model;
        const mv_image_backend *be = &b->backends[b->models[i].backend];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", m->id);
        cJSON_AddStringToObject(o, "name", m->name);
        cJSON_AddStringToObject(o, "description", m->description);
        cJSON_AddStringToObject(o, "speed", m->speed);
        cJSON_AddStringToObject(o, "quality", m->quality);
        cJSON_AddStringToObject(o, "kind", m->video ? "video" : be->ops->kind);
        if (m->video)
            cJSON_AddStringToObject(o, "backend", be->ops->kind);
        mv_image_job probe = mv_probe_job(m->id, NULL);
        mv_error err;
        mv_error_clear(&err);
        int w = 0, h = 0;
        int usable = mv_check_sized(b, &probe, &w, &h, &err) == MAIVID_OK;
        cJSON_AddBoolToObject(o, "usable", usable);
        if (!usable)
            cJSON_AddStringToObject(o, "unusable_reason", err.message);
        if (w > 0 && h > 0) {
            char size[32];
            snprintf(size, sizeof size, "%dx%d", w, h);
            cJSON_AddStringToObject(o, "size_16_9", size);
        }
        if (be->ops->describe)
            be->ops->describe(be->state, m, o);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

maivid_code mv_images_check_roles(mv_image_backends *b, const char *model, const char *animate,
                                  mv_error *err)
{
    const mv_registered_model *m = mv_find(b, model);
    if (m && m->model->video)
        return mv_fail(err, MAIVID_E_INVALID,
                       "model '%s' makes clips from a still: choose an image model for "
                       "'model_type' and pass '%s' as 'animate' (--animate %s)",
                       model, model, model);
    if (!animate || !*animate)
        return MAIVID_OK;
    const mv_registered_model *a = mv_find(b, animate);
    if (!a || !a->model->video) {
        char ids[512] = "";
        size_t used = 0;
        for (size_t i = 0; i < b->model_count; i++)
            if (b->models[i].model->video && used < sizeof ids) {
                int w = snprintf(ids + used, sizeof ids - used, "%s%s", used ? ", " : "",
                                 b->models[i].model->id);
                used += w > 0 ? (size_t)w : 0;
            }
        return mv_fail(err, MAIVID_E_INVALID,
                       "'animate' needs an image-to-video model (catalog kind video), and "
                       "'%s' %s; choose one of: %s, or give an animate_workflow file",
                       animate, a ? "makes stills" : "is not in the models catalog", ids);
    }
    return MAIVID_OK;
}

void mv_images_clip_shape(mv_image_backends *b, const char *animate, double seconds,
                          int *frames, int *fps)
{
    const mv_registered_model *m = mv_find(b, animate);
    *frames = 49;
    *fps = 24;
    for (size_t k = 0; k < MV_BACKEND_COUNT; k++) {
        const mv_image_backend *be = &b->backends[k];
        if (m ? k == m->backend : be->ops->takes_workflow_files) {
            if (be->ops->clip_shape)
                be->ops->clip_shape(be->state, m ? m->model : NULL, seconds, frames, fps);
            return;
        }
    }
}
