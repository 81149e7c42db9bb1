/*
 * backend.c - the ComfyUI image backend's ops (mv_image_backend.h): opening (servers, models
 * registry with checkpoint overrides, usable-now cache), filling a model's workflow template
 * for a scene, the usable-now check, and making one image on the least busy server (moving
 * on to the next server when one fails). Many at once: batch.c.
 */
#include "comfy/mv_comfy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const mv_comfy_timing mv_default_timing = {
    .connect_timeout = 10.0,
    .request_timeout = 30.0,
    .image_timeout = 300.0,
    .poll_interval = 0.5,
    .backoff_initial = 0.5,
    .backoff_max = 8.0,
    .restart_budget = 60.0,
    .stall_timeout = 30.0,
};

static void mv_comfy_close(void *state)
{
    mv_comfy_backend *b = state;
    if (!b)
        return;
    for (size_t i = 0; i < b->url_count; i++)
        free(b->urls[i]);
    free(b->urls);
    free(b->busy);
    free(b->share_dir);
    mv_models_free(&b->models);
    mv_usable_free(b->usable);
    pthread_mutex_destroy(&b->lock);
    free(b);
}

static maivid_code mv_comfy_open(const mv_image_config *cfg, void **state, char **warnings,
                                 mv_error *err)
{
    *state = NULL;
    mv_comfy_backend *b = calloc(1, sizeof *b);
    if (!b)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory opening the ComfyUI backend");
    pthread_mutex_init(&b->lock, NULL);
    b->timing = mv_default_timing;
    if (cfg && cfg->connect_timeout > 0)
        b->timing.connect_timeout = cfg->connect_timeout;
    if (cfg && cfg->image_timeout > 0)
        b->timing.image_timeout = cfg->image_timeout;
    if (cfg && cfg->io_timeout > 0)
        b->timing.stall_timeout = cfg->io_timeout;
    size_t n = cfg ? cfg->comfyui_url_count : 0;
    b->urls = calloc(n ? n : 1, sizeof *b->urls);
    b->busy = calloc(n ? n : 1, sizeof *b->busy);
    if (!b->urls || !b->busy) {
        mv_comfy_close(b);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory opening the ComfyUI backend");
    }
    for (size_t i = 0; i < n; i++) {
        const char *u = cfg->comfyui_urls[i];
        if (!u || (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0)) {
            mv_fail(err, MAIVID_E_INVALID,
                    "ComfyUI server URL '%s' must start with http:// or https:// (for example "
                    "http://127.0.0.1:8188)",
                    u ? u : "(null)");
            mv_comfy_close(b);
            return MAIVID_E_INVALID;
        }
        b->urls[b->url_count] = mv_strdup(u);
        size_t len = strlen(b->urls[b->url_count]);
        while (len > 0 && b->urls[b->url_count][len - 1] == '/')
            b->urls[b->url_count][--len] = '\0';
        b->url_count++;
    }
    b->share_dir = mv_strdup(cfg && cfg->share_dir ? cfg->share_dir : mv_share_dir());
    b->usable = mv_usable_new(10.0);
    maivid_code rc = mv_models_load(b->share_dir, cfg ? cfg->models_dir : NULL, &b->models,
                                    warnings, err);
    if (rc == MAIVID_OK && cfg && cfg->checkpoint_count)
        rc = mv_models_set_checkpoints(&b->models, cfg->checkpoints, cfg->checkpoint_count, err);
    if (rc != MAIVID_OK || !b->usable) {
        mv_comfy_close(b);
        return rc != MAIVID_OK ? rc
                               : mv_fail(err, MAIVID_E_NOMEM, "out of memory opening images");
    }
    *state = b;
    return MAIVID_OK;
}

void mv_images_set_timing(mv_image_backends *images, const mv_comfy_timing *t)
{
    mv_comfy_backend *b = mv_images_backend_state(images, &mv_comfy_backend_ops);
    if (!b)
        return;
    mv_comfy_timing *d = &b->timing;
    if (t->connect_timeout > 0) d->connect_timeout = t->connect_timeout;
    if (t->request_timeout > 0) d->request_timeout = t->request_timeout;
    if (t->image_timeout > 0) d->image_timeout = t->image_timeout;
    if (t->poll_interval > 0) d->poll_interval = t->poll_interval;
    if (t->backoff_initial > 0) d->backoff_initial = t->backoff_initial;
    if (t->backoff_max > 0) d->backoff_max = t->backoff_max;
    if (t->restart_budget > 0) d->restart_budget = t->restart_budget;
    if (t->stall_timeout > 0) d->stall_timeout = t->stall_timeout;
}

static const mv_image_model *mv_comfy_model_at(void *state, size_t i)
{
    mv_comfy_backend *b = state;
    return i < b->models.count ? &b->models.items[i].base : NULL;
}

/* Loads a template and fills it for this job; also returns the template's hash. */
static maivid_code mv_fill_template(const char *path, const char *checkpoint,
                                    mv_model_family family, const mv_image_job *job, cJSON **out,
                                    uint64_t *hash, int *gen_w, int *gen_h, mv_error *err)
{
    cJSON *graph = NULL;
    maivid_code rc = mv_workflow_load(path, &graph, NULL, NULL, err);
    if (rc != MAIVID_OK) {
        if (!mv_file_exists(path))
            mv_fail(err, MAIVID_E_NOT_FOUND,
                    "workflow template '%s' is missing; reinstall maivid or set "
                    "MAIVID_SHARE_DIR to the folder holding workflows/",
                    path);
        return err->code;
    }
    char *text = cJSON_PrintUnformatted(graph);
    uint64_t h = mv_fnv1a(MV_FNV_OFFSET, text ? text : "", text ? strlen(text) : 0);
    free(text);
    if (checkpoint)
        h = mv_fnv1a(h, checkpoint, strlen(checkpoint));
    long native = mv_workflow_native_pixels(graph);
    if (native == 0 && job->input_image)
        native = 832L * 480L; /* a video workflow's size: what the open video models make */
    mv_comfy_size_for(family, native, job->width, job->height, gen_w, gen_h);
    char prefix[32], hex[17];
    uint64_t nonce = mv_fnv1a(h ^ (uint64_t)(mv_now() * 1e6), &job, sizeof job);
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)nonce);
    snprintf(prefix, sizeof prefix, "maivid/%.12s", hex);
    char *image = job->input_image ? mv_comfy_upload_name(job->input_image) : NULL;
    mv_workflow_params p = {
        .image = image,
        .frames = job->frames,
        .fps = job->fps,
        .prompt = job->prompt ? job->prompt : "",
        .negative_prompt = job->negative_prompt,
        .seed = job->seed,
        .width = *gen_w,
        .height = *gen_h,
        .checkpoint = checkpoint,
        .filename_prefix = prefix, /* a new file per submission, never a stale cached one */
    };
    rc = mv_workflow_apply(graph, &p, NULL, err);
    free(image);
    if (rc != MAIVID_OK) {
        char why[sizeof err->message];
        mv_strlcpy(why, err->message, sizeof why);
        mv_fail(err, rc, "workflow %s: %s", path, why);
        cJSON_Delete(graph);
        return rc;
    }
    *out = graph;
    *hash = h;
    return MAIVID_OK;
}

static maivid_code mv_comfy_prepare(void *state, const mv_image_model *model,
                                    const mv_image_job *job, mv_prepared_job *out,
                                    mv_cache_key_parts *key, mv_error *err)
{
    (void)state;
    const mv_comfy_model *m = (const mv_comfy_model *)model; /* base is its first member */
    const char *path = m ? m->workflow_path : job->workflow_path;
    cJSON *graph = NULL;
    uint64_t hash = 0;
    maivid_code rc = mv_fill_template(path, m ? m->checkpoint : NULL,
                                      m ? m->family : MV_FAMILY_CUSTOM, job, &graph, &hash,
                                      &out->gen_w, &out->gen_h, err);
    if (rc != MAIVID_OK)
        return rc;
    out->work = graph;
    if (job->input_image || mv_workflow_makes_clip(graph))
        return MAIVID_OK; /* clips are not kept in the image cache */
    key->backend = "comfyui";
    key->model = m ? m->base.id : "workflow";
    key->workflow_hash = hash;
    key->seed = mv_workflow_seed_value(job->seed);
    key->style_id = NULL; /* the style is already in the prompt */
    return MAIVID_OK;
}

static void mv_comfy_release(void *state, mv_prepared_job *p)
{
    (void)state;
    cJSON_Delete(p->work);
    p->work = NULL;
}

static maivid_code mv_comfy_check(void *state, const mv_prepared_job *p, mv_error *err)
{
    mv_comfy_backend *b = state;
    char why[sizeof err->message];
    if (!mv_usable_check(b->usable, (const char *const *)b->urls, b->url_count, p->work,
                         p->model ? p->model->id : NULL, &b->timing, why, sizeof why))
        return mv_fail(err, MAIVID_E_BACKEND, "%s", why);
    return MAIVID_OK;
}

char *mv_comfy_upload_name(const char *path)
{
    uint64_t h = mv_fnv1a(MV_FNV_OFFSET, path, strlen(path));
    return mv_strdup_printf("maivid_%016llx.png", (unsigned long long)h);
}

maivid_code mv_comfy_run_job(mv_comfy_backend *b, size_t server, const mv_prepared_job *p,
                             const mv_image_job *job, const mv_task *task,
                             mv_comfy_fault *fault, mv_error *err)
{
    char *name = job->input_image ? mv_comfy_upload_name(job->input_image) : NULL;
    mv_comfy_upload up = {.path = name ? job->input_image : NULL, .name = name};
    maivid_code rc = mv_comfy_run(b->urls[server], p->work, p->model ? p->model->id : NULL,
                                  &b->timing, job->output_path, &up, task, fault, err);
    free(name);
    return rc;
}

maivid_code mv_comfy_run_prepared(mv_comfy_backend *b, const mv_prepared_job *p,
                                  const mv_image_job *job, size_t first_server,
                                  const mv_task *task, mv_error *err)
{
    if (b->url_count == 0)
        return mv_fail(err, MAIVID_E_BACKEND,
                       "model '%s' runs on ComfyUI but no server is configured; pass "
                       "--comfyui http://HOST:8188 or use the built-in illustrator "
                       "(procedural)",
                       p->model ? p->model->id : "workflow");
    maivid_code rc = MAIVID_E_BACKEND;
    for (size_t k = 0; k < b->url_count; k++) {
        size_t s = (first_server + k) % b->url_count;
        pthread_mutex_lock(&b->lock);
        b->busy[s]++;
        pthread_mutex_unlock(&b->lock);
        mv_comfy_fault fault = MV_FAULT_NONE;
        rc = mv_comfy_run_job(b, s, p, job, task, &fault, err);
        pthread_mutex_lock(&b->lock);
        b->busy[s]--;
        pthread_mutex_unlock(&b->lock);
        if (rc == MAIVID_OK || rc == MAIVID_E_CANCELLED)
            return rc;
        if (k + 1 < b->url_count)
            mv_task_warn(task, "%s; trying the next ComfyUI server", err->message);
    }
    return rc;
}

static maivid_code mv_comfy_make(void *state, const mv_prepared_job *p, const mv_image_job *job,
                                 const mv_task *task, mv_error *err)
{
    mv_comfy_backend *b = state;
    size_t first = 0;
    if (b->url_count) { /* the least busy server, ties spread by seed */
        pthread_mutex_lock(&b->lock);
        first = (size_t)job->seed % b->url_count;
        for (size_t i = 0; i < b->url_count; i++)
            if (b->busy[i] < b->busy[first])
                first = i;
        pthread_mutex_unlock(&b->lock);
    }
    return mv_comfy_run_prepared(b, p, job, first, task, err);
}

static void mv_comfy_describe(void *state, const mv_image_model *model, cJSON *entry)
{
    (void)state;
    const mv_comfy_model *m = (const mv_comfy_model *)model;
    if (m->checkpoint)
        cJSON_AddStringToObject(entry, "checkpoint", m->checkpoint);
}

static void mv_comfy_clip_shape(void *state, const mv_image_model *model, double seconds,
                                int *frames, int *fps)
{
    (void)state;
    const mv_comfy_model *m = (const mv_comfy_model *)model;
    mv_comfy_clip_frames(m ? m->family : MV_FAMILY_CUSTOM, seconds, frames, fps);
}

const mv_image_backend_ops mv_comfy_backend_ops = {
    .kind = "comfyui",
    .takes_workflow_files = 1,
    .open = mv_comfy_open,
    .close = mv_comfy_close,
    .model = mv_comfy_model_at,
    .prepare = mv_comfy_prepare,
    .release = mv_comfy_release,
    .check = mv_comfy_check,
    .make = mv_comfy_make,
    .describe = mv_comfy_describe,
    .make_batch = mv_comfy_make_batch,
    .clip_shape = mv_comfy_clip_shape,
};
