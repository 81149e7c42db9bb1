/*
 * images.c - the mv_images.h entry points: opening the backends (servers, models registry,
 * cache, usable-now checks), the models catalog, and making one scene image with the model
 * the job names: a cache hit, the built-in illustrator, or a ComfyUI workflow run on the
 * least busy server (moving on to the next server when one fails).
 */
#include "comfy/mv_comfy.h"
#include "paint/mv_paint.h"

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
};

maivid_code mv_images_open(const mv_image_config *cfg, mv_image_backends **out, mv_error *err)
{
    *out = NULL;
    mv_image_backends *b = calloc(1, sizeof *b);
    if (!b)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory opening the image backends");
    pthread_mutex_init(&b->lock, NULL);
    b->timing = mv_default_timing;
    if (cfg && cfg->connect_timeout > 0)
        b->timing.connect_timeout = cfg->connect_timeout;
    if (cfg && cfg->image_timeout > 0)
        b->timing.image_timeout = cfg->image_timeout;
    size_t n = cfg ? cfg->comfyui_url_count : 0;
    b->urls = calloc(n ? n : 1, sizeof *b->urls);
    b->busy = calloc(n ? n : 1, sizeof *b->busy);
    if (!b->urls || !b->busy) {
        mv_images_close(b);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory opening the image backends");
    }
    for (size_t i = 0; i < n; i++) {
        const char *u = cfg->comfyui_urls[i];
        if (!u || (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0)) {
            mv_fail(err, MAIVID_E_INVALID,
                    "ComfyUI server URL '%s' must start with http:// or https:// (for example "
                    "http://127.0.0.1:8188)",
                    u ? u : "(null)");
            mv_images_close(b);
            return MAIVID_E_INVALID;
        }
        b->urls[b->url_count] = mv_strdup(u);
        size_t len = strlen(b->urls[b->url_count]);
        while (len > 0 && b->urls[b->url_count][len - 1] == '/')
            b->urls[b->url_count][--len] = '\0';
        b->url_count++;
    }
    b->share_dir = mv_strdup(cfg && cfg->share_dir ? cfg->share_dir : mv_share_dir());
    b->cache_dir = cfg && cfg->cache_dir ? mv_strdup(cfg->cache_dir) : NULL;
    b->usable = mv_usable_new(10.0);
    maivid_code rc = mv_models_load(b->share_dir, cfg ? cfg->models_dir : NULL, &b->models,
                                    &b->warnings, err);
    if (rc != MAIVID_OK || !b->usable) {
        mv_images_close(b);
        return rc != MAIVID_OK ? rc
                               : mv_fail(err, MAIVID_E_NOMEM, "out of memory opening images");
    }
    *out = b;
    return MAIVID_OK;
}

void mv_images_close(mv_image_backends *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->url_count; i++)
        free(b->urls[i]);
    free(b->urls);
    free(b->busy);
    free(b->share_dir);
    free(b->cache_dir);
    free(b->warnings);
    mv_models_free(&b->models);
    mv_usable_free(b->usable);
    pthread_mutex_destroy(&b->lock);
    free(b);
}

const char *mv_images_load_warnings(mv_image_backends *b)
{
    return b ? b->warnings : NULL;
}

void mv_images_set_timing(mv_image_backends *b, const mv_comfy_timing *t)
{
    mv_comfy_timing *d = &b->timing;
    if (t->connect_timeout > 0) d->connect_timeout = t->connect_timeout;
    if (t->request_timeout > 0) d->request_timeout = t->request_timeout;
    if (t->image_timeout > 0) d->image_timeout = t->image_timeout;
    if (t->poll_interval > 0) d->poll_interval = t->poll_interval;
    if (t->backoff_initial > 0) d->backoff_initial = t->backoff_initial;
    if (t->backoff_max > 0) d->backoff_max = t->backoff_max;
    if (t->restart_budget > 0) d->restart_budget = t->restart_budget;
}

int mv_images_model_known(mv_image_backends *b, const char *model)
{
    return b && mv_models_find(&b->models, model) != NULL;
}

static void mv_model_ids(const mv_image_backends *b, char *buf, size_t size)
{
    buf[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < b->models.count; i++) {
        int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", b->models.items[i].id);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
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
    mv_comfy_size_for(family, mv_workflow_native_pixels(graph), job->width, job->height, gen_w,
                      gen_h);
    char prefix[32], hex[17];
    uint64_t nonce = mv_fnv1a(h ^ (uint64_t)(mv_now() * 1e6), &job, sizeof job);
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)nonce);
    snprintf(prefix, sizeof prefix, "maivid/%.12s", hex);
    mv_workflow_params p = {
        .prompt = job->prompt ? job->prompt : "",
        .negative_prompt = job->negative_prompt,
        .seed = job->seed,
        .width = *gen_w,
        .height = *gen_h,
        .checkpoint = checkpoint,
        .filename_prefix = prefix, /* a new file per submission, never a stale cached one */
    };
    rc = mv_workflow_apply(graph, &p, NULL, err);
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

maivid_code mv_images_prepare(mv_image_backends *b, const mv_image_job *job,
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
    const char *path = job->workflow_path;
    if (!path || !*path) {
        m = mv_models_find(&b->models, job->model);
        if (!m) {
            char ids[512];
            mv_model_ids(b, ids, sizeof ids);
            return mv_fail(err, MAIVID_E_INVALID, "unknown image model '%s'; choose one of: %s",
                           job->model ? job->model : "(none)", ids);
        }
        path = m->workflow_path;
    }
    out->model = m;
    mv_cache_key_parts k = {
        .prompt = job->prompt,
        .negative_prompt = job->negative_prompt,
        .seed = job->seed,
    };
    if (m && m->is_painter) {
        out->is_painter = 1;
        out->gen_w = job->width;
        out->gen_h = job->height;
        k.backend = "procedural";
        k.model = MV_PAINT_CACHE_ID; /* a new painter, new cache entries */
        k.style_id = job->style_id;
    } else {
        uint64_t hash = 0;
        maivid_code rc = mv_fill_template(path, m ? m->checkpoint : NULL,
                                          m ? m->family : MV_FAMILY_CUSTOM, job, &out->graph,
                                          &hash, &out->gen_w, &out->gen_h, err);
        if (rc != MAIVID_OK)
            return rc;
        k.backend = "comfyui";
        k.model = m ? m->id : "workflow";
        k.workflow_hash = hash;
        k.seed = mv_workflow_seed_value(job->seed);
    }
    k.width = out->gen_w;
    k.height = out->gen_h;
    out->cache_path = mv_cache_path(b->cache_dir, &k);
    return MAIVID_OK;
}

void mv_prepared_free(mv_prepared_job *p)
{
    cJSON_Delete(p->graph);
    free(p->cache_path);
    memset(p, 0, sizeof *p);
}

maivid_code mv_images_paint(const mv_image_job *job, mv_error *err)
{
    mv_paint_request req = {
        .prompt = job->prompt ? job->prompt : "",
        .style_id = job->style_id,
        .seed = (uint64_t)job->seed,
        .width = job->width,
        .height = job->height,
    };
    return mv_paint_to_png(&req, job->output_path, err);
}

static size_t mv_least_busy(mv_image_backends *b, size_t start_hint)
{
    size_t best = start_hint % b->url_count;
    for (size_t i = 0; i < b->url_count; i++)
        if (b->busy[i] < b->busy[best])
            best = i;
    return best;
}

maivid_code mv_images_run_comfy(mv_image_backends *b, const mv_prepared_job *p,
                                const char *output_path, size_t first_server,
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
        rc = mv_comfy_run(b->urls[s], p->graph, &b->timing, output_path, task, &fault, err);
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

maivid_code mv_images_make(mv_image_backends *b, const mv_image_job *job, const mv_task *task,
                           mv_error *err)
{
    mv_error local;
    mv_error_clear(&local);
    if (!err)
        err = &local;
    if (mv_task_cancelled(task))
        return mv_fail(err, MAIVID_E_CANCELLED, "cancelled");
    mv_prepared_job p;
    maivid_code rc = mv_images_prepare(b, job, &p, err);
    if (rc != MAIVID_OK)
        return rc;
    if (mv_cache_fetch(p.cache_path, job->output_path)) {
        mv_task_progress(task, 1.0, "image taken from the cache");
        mv_prepared_free(&p);
        return MAIVID_OK;
    }
    if (p.is_painter) {
        rc = mv_images_paint(job, err);
    } else {
        size_t first = 0;
        if (b->url_count) {
            pthread_mutex_lock(&b->lock);
            first = mv_least_busy(b, (size_t)job->seed);
            pthread_mutex_unlock(&b->lock);
        }
        rc = mv_images_run_comfy(b, &p, job->output_path, first, task, err);
    }
    if (rc == MAIVID_OK)
        mv_cache_store(p.cache_path, job->output_path, task);
    mv_prepared_free(&p);
    return rc;
}

cJSON *mv_images_catalog(mv_image_backends *b)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; b && i < b->models.count; i++) {
        const mv_image_model *m = &b->models.items[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", m->id);
        cJSON_AddStringToObject(o, "name", m->name);
        cJSON_AddStringToObject(o, "description", m->description);
        cJSON_AddStringToObject(o, "speed", m->speed);
        cJSON_AddStringToObject(o, "quality", m->quality);
        cJSON_AddStringToObject(o, "kind", m->is_painter ? "builtin" : "comfyui");
        if (m->is_painter) {
            cJSON_AddBoolToObject(o, "usable", 1);
        } else {
            char why[700] = "";
            int usable = 0;
            mv_image_job probe = {.model = m->id, .prompt = "probe", .width = 1280,
                                  .height = 720, .output_path = "/dev/null"};
            cJSON *graph = NULL;
            uint64_t hash = 0;
            int w = 0, h = 0;
            mv_error err;
            mv_error_clear(&err);
            if (mv_fill_template(m->workflow_path, m->checkpoint, m->family, &probe, &graph,
                                 &hash, &w, &h, &err) != MAIVID_OK)
                mv_strlcpy(why, err.message, sizeof why);
            else
                usable = mv_usable_check(b->usable, (const char *const *)b->urls, b->url_count,
                                         graph, &b->timing, why, sizeof why);
            cJSON_Delete(graph);
            cJSON_AddBoolToObject(o, "usable", usable);
            if (!usable)
                cJSON_AddStringToObject(o, "unusable_reason", why);
            char size[32];
            snprintf(size, sizeof size, "%dx%d", w, h);
            cJSON_AddStringToObject(o, "size_16_9", size);
        }
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}
