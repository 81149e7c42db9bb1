/*
 * engine.c - the engine handle: opening (copy the configuration, reload every stored job,
 * queue again the interrupted ones), the bounded worker pool that takes jobs from a FIFO
 * queue, and closing (interrupt running jobs, which stay "running" on disk so the next open
 * resumes them, then join every thread).
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <libavutil/log.h>

#include "engine/mv_abi.h"
#include "engine/mv_engine.h"

mv_job *mv_engine_find_locked(maivid_engine *e, const char *id)
{
    if (!id)
        return NULL;
    for (size_t i = 0; i < e->job_count; i++)
        if (strcmp(e->jobs[i]->id, id) == 0)
            return e->jobs[i];
    return NULL;
}

int mv_engine_queue_position_locked(maivid_engine *e, const mv_job *job)
{
    for (size_t i = 0; i < e->queue_len; i++)
        if (e->queue[i] == job)
            return (int)i + 1;
    return 0;
}

static int mv_grow(void **array, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 1;
    size_t n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *grown = realloc(*array, n * elem);
    if (!grown)
        return 0;
    *array = grown;
    *cap = n;
    return 1;
}

int mv_engine_add_job_locked(maivid_engine *e, mv_job *job)
{
    if (!mv_grow((void **)&e->jobs, &e->job_cap, e->job_count + 1, sizeof *e->jobs))
        return 0;
    e->jobs[e->job_count++] = job;
    return 1;
}

int mv_engine_enqueue_locked(maivid_engine *e, mv_job *job)
{
    if (!mv_grow((void **)&e->queue, &e->queue_cap, e->queue_len + 1, sizeof *e->queue))
        return 0;
    e->queue[e->queue_len++] = job;
    pthread_cond_broadcast(&e->changed);
    return 1;
}

#define MV_RETENTION_INTERVAL 3600.0 /* seconds between sweeps while idle */

/* With the lock held: waits for a queued job or closing. With retention on, wakes at the
 * next sweep time; returns 1 when this worker should sweep now. */
static int mv_worker_wait_locked(maivid_engine *e)
{
    if (!mv_retention_enabled(e)) {
        pthread_cond_wait(&e->changed, &e->lock);
        return 0;
    }
    double left = e->next_sweep - mv_monotonic();
    if (left <= 0) {
        e->next_sweep = mv_monotonic() + MV_RETENTION_INTERVAL;
        return 1;
    }
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += (time_t)left + 1;
    pthread_cond_timedwait(&e->changed, &e->lock, &deadline);
    return 0;
}

static void mv_worker_sweep_unlocked(maivid_engine *e)
{
    mv_engine_unlock(e);
    mv_retention_sweep(e, mv_now());
    pthread_mutex_lock(&e->lock);
}

static void *mv_worker_main(void *arg)
{
    maivid_engine *e = arg;
    pthread_mutex_lock(&e->lock);
    for (;;) {
        while (!e->closing && e->queue_len == 0)
            if (mv_worker_wait_locked(e))
                mv_worker_sweep_unlocked(e);
        if (e->closing)
            break;
        mv_job *job = e->queue[0];
        memmove(e->queue, e->queue + 1, (e->queue_len - 1) * sizeof *e->queue);
        e->queue_len--;
        e->busy_workers++;
        job->in_pipeline = 1;
        pthread_cond_broadcast(&e->changed); /* queue positions moved */
        mv_engine_unlock(e);
        mv_pipeline_run(e, job);
        pthread_mutex_lock(&e->lock);
        e->busy_workers--;
        job->in_pipeline = 0;
        pthread_cond_broadcast(&e->changed);
        if (mv_retention_enabled(e) && !e->closing)
            mv_worker_sweep_unlocked(e); /* the job that ended may have crossed a limit */
    }
    mv_engine_unlock(e);
    return NULL;
}

/* A copy of a configured string, `fallback` when it is NULL or "". */
static char *mv_dup_config(const char *value, const char *fallback)
{
    return mv_strdup(value && *value ? value : fallback);
}

#define MV_CFG_STR(c, field, fallback) mv_dup_config((c)->field, (fallback))

/* Copies the members of the caller's maivid_stages that its version has; the rest stay
 * NULL (built in). */
static void mv_stages_copy_in(maivid_stages *dst, const maivid_stages *src)
{
    static const size_t sizes[] = MV_STAGES_SIZES;
    size_t count = sizeof sizes / sizeof sizes[0];
    size_t version = src->version < 0 ? 0 : (size_t)src->version;
    memset(dst, 0, sizeof *dst);
    mv_abi_copy_in(dst, sizeof *dst, src, sizes[version < count ? version : count - 1]);
}

static int mv_job_dir_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads every <jobs_dir>/<id>/job.json, oldest first (ids sort by time). */
static void mv_reload_jobs(maivid_engine *e)
{
    DIR *d = opendir(e->jobs_dir);
    if (!d)
        return;
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!maivid_job_id_valid(de->d_name))
            continue;
        if (!mv_grow((void **)&names, &cap, count + 1, sizeof *names))
            break;
        names[count] = mv_strdup(de->d_name);
        if (names[count])
            count++;
    }
    closedir(d);
    if (count > 1)
        qsort(names, count, sizeof *names, mv_job_dir_name_cmp);
    for (size_t i = 0; i < count; i++) {
        char *dir = mv_strdup_printf("%s/%s", e->jobs_dir, names[i]);
        mv_job *job = NULL;
        mv_error err;
        mv_error_clear(&err);
        maivid_code rc = dir ? mv_job_load(dir, &job, &err) : MAIVID_E_NOMEM;
        if (rc == MAIVID_E_CORRUPT && dir) {
            /* Keep it visible as failed, and never overwrite the damaged file. */
            mv_engine_log_locked(e, MAIVID_LOG_ERROR, names[i], "damaged job record: %s", err.message);
            job = mv_job_new(names[i], dir);
            if (job) {
                job->corrupt = 1;
                job->state = MAIVID_JOB_FAILED;
                job->error_code = MAIVID_E_CORRUPT;
                job->error = mv_strdup_printf("the job record is damaged (%s); delete the job "
                                              "and create it again",
                                              err.message);
                mv_strlcpy(job->stage_text, "Failed", sizeof job->stage_text);
            }
        } else if (rc != MAIVID_OK) {
            mv_engine_log_locked(e, MAIVID_LOG_WARN, names[i], "skipped job directory: %s", err.message);
        }
        free(dir);
        free(names[i]);
        if (!job)
            continue;
        if (!mv_engine_add_job_locked(e, job)) {
            mv_job_free(job);
            continue;
        }
        if (!job->corrupt && (job->state == MAIVID_JOB_QUEUED || job->state == MAIVID_JOB_RUNNING)) {
            if (e->resume_jobs) {
                job->state = MAIVID_JOB_QUEUED;
                mv_strlcpy(job->stage_text, "Queued (resuming)", sizeof job->stage_text);
                mv_engine_enqueue_locked(e, job);
                mv_engine_log_locked(e, MAIVID_LOG_INFO, job->id, "resuming interrupted job");
            } else {
                job->dormant = 1; /* left as it was; maivid_job_resume/cancel take it over */
            }
        }
    }
    free(names);
}

static void mv_engine_free(maivid_engine *e)
{
    mv_engine_logs_free(e);
    for (size_t i = 0; i < e->job_count; i++)
        mv_job_free(e->jobs[i]);
    free(e->jobs);
    free(e->queue);
    free(e->threads);
    for (size_t i = 0; i < e->comfyui_url_count; i++)
        free(e->comfyui_urls[i]);
    free(e->comfyui_urls);
    char *strings[] = {e->data_dir, e->jobs_dir, e->suno_web_base, e->suno_api_base,
                       e->suno_cdn_base, e->models_dir, e->llm_url, e->llm_model,
                       e->llm_api_key, e->stt_url, e->stt_model, e->stt_api_key};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        free(strings[i]);
    if (e->suno_token)
        explicit_bzero(e->suno_token, strlen(e->suno_token));
    free(e->suno_token);
    if (e->images)
        mv_images_close(e->images);
    mv_queue_close(e->shared);
    free(e);
    curl_global_cleanup();
}

MAIVID_API maivid_code maivid_engine_open(const maivid_config *config, maivid_engine **out,
                                          char *errbuf, size_t errbuf_size)
{
    mv_error err;
    mv_error_clear(&err);
    maivid_code rc = MAIVID_OK;
    *out = NULL;
    maivid_config defaults;
    maivid_config_init(&defaults);
    if (config && config->struct_size < MV_CONFIG_SIZE_MIN) {
        mv_fail(&err, MAIVID_E_INVALID, "config not initialised: call maivid_config_init() first");
        mv_strlcpy(errbuf, err.message, errbuf ? errbuf_size : 0);
        return MAIVID_E_INVALID;
    }
    /* Read only what the caller's struct holds; newer members keep their defaults. */
    maivid_config merged = defaults;
    if (config)
        mv_abi_copy_in(&merged, sizeof merged, config, config->struct_size);
    merged.struct_size = sizeof merged;
    config = &merged;
    maivid_engine *e = calloc(1, sizeof *e);
    if (!e)
        return MAIVID_E_NOMEM;
    /* Process-wide set-up of the libraries underneath (documented in maivid.h): libcurl's
     * reference-counted global init, and FFmpeg's console logging silenced so the library
     * never prints (MAIVID_FFMPEG_LOG=1 keeps it, for debugging). */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const char *ffmpeg_log = getenv("MAIVID_FFMPEG_LOG");
    if (!ffmpeg_log || strcmp(ffmpeg_log, "1") != 0)
        av_log_set_level(AV_LOG_QUIET);
    e->data_dir = MV_CFG_STR(config, data_dir, defaults.data_dir);
    e->jobs_dir = e->data_dir ? mv_strdup_printf("%s/jobs", e->data_dir) : NULL;
    e->workers = config->workers ? config->workers : 1;
    if (e->workers > 64)
        e->workers = 64;
    e->queue_limit = config->queue_limit ? config->queue_limit : defaults.queue_limit;
    e->allow_local_files = config->allow_local_files;
    e->resume_jobs = config->resume_jobs;
    e->log = config->log;
    e->log_user_data = config->log_user_data;
    if (config->stages)
        mv_stages_copy_in(&e->stages, config->stages);
    e->has_stages = config->stages != NULL;
    e->suno_web_base = MV_CFG_STR(config, suno_web_base, defaults.suno_web_base);
    e->suno_api_base = MV_CFG_STR(config, suno_api_base, defaults.suno_api_base);
    e->suno_cdn_base = MV_CFG_STR(config, suno_cdn_base, defaults.suno_cdn_base);
    e->models_dir = MV_CFG_STR(config, models_dir, NULL);
    e->fetch.suno_web_base = e->suno_web_base;
    e->fetch.suno_api_base = e->suno_api_base;
    e->fetch.suno_cdn_base = e->suno_cdn_base;
    e->fetch.allow_private_urls = config->allow_private_urls;
    e->fetch.allow_local_files = config->allow_local_files;
    e->fetch.connect_timeout = config->connect_timeout > 0 ? config->connect_timeout : 10.0;
    e->fetch.io_timeout = config->io_timeout > 0 ? config->io_timeout : 30.0;
    e->fetch.max_bytes = config->max_download_bytes ? config->max_download_bytes
                                                    : defaults.max_download_bytes;
    e->image_timeout = config->image_timeout > 0 ? config->image_timeout : 300.0;
    e->keep_seconds = config->keep_days > 0 ? config->keep_days * 86400.0 : 0;
    e->max_data_bytes = config->max_data_bytes;
    e->llm_url = MV_CFG_STR(config, llm_url, NULL);
    e->llm_model = MV_CFG_STR(config, llm_model, NULL);
    e->llm_api_key = MV_CFG_STR(config, llm_api_key, NULL);
    e->stt_url = MV_CFG_STR(config, stt_url, NULL);
    e->stt_model = MV_CFG_STR(config, stt_model, NULL);
    e->stt_api_key = MV_CFG_STR(config, stt_api_key, NULL);
    if (config->suno_token && config->suno_token[0])
        e->suno_token = mv_strdup(config->suno_token);
    e->fetch.stt_url = e->stt_url;
    e->fetch.stt_model = e->stt_model;
    e->fetch.stt_api_key = e->stt_api_key;
    e->llm.url = e->llm_url;
    e->llm.model = e->llm_model;
    e->llm.api_key = e->llm_api_key;
    e->llm.timeout = e->image_timeout < 120 ? e->image_timeout : 120;
    if (config->comfyui_url_count > 0 && config->comfyui_urls) {
        e->comfyui_urls = calloc(config->comfyui_url_count, sizeof *e->comfyui_urls);
        for (size_t i = 0; e->comfyui_urls && i < config->comfyui_url_count; i++)
            if (config->comfyui_urls[i] && *config->comfyui_urls[i])
                e->comfyui_urls[e->comfyui_url_count++] = mv_strdup(config->comfyui_urls[i]);
    }
    if (!e->data_dir || !e->jobs_dir || !e->suno_web_base || !e->suno_api_base ||
        !e->suno_cdn_base) {
        mv_engine_free(e);
        return MAIVID_E_NOMEM;
    }
    rc = mv_mkdir_p(e->jobs_dir, &err);
    char *cache_dir = mv_strdup_printf("%s/cache/images", e->data_dir);
    if (rc == MAIVID_OK) {
        mv_image_config ic;
        memset(&ic, 0, sizeof ic);
        ic.comfyui_urls = (const char *const *)e->comfyui_urls;
        ic.comfyui_url_count = e->comfyui_url_count;
        ic.models_dir = e->models_dir;
        /* copied by the models registry; NULL for a caller's struct too old to have them */
        ic.checkpoints = config->checkpoints;
        ic.checkpoint_count = config->checkpoints ? config->checkpoint_count : 0;
        ic.share_dir = mv_share_dir();
        ic.cache_dir = cache_dir;
        ic.connect_timeout = e->fetch.connect_timeout;
        ic.image_timeout = e->image_timeout;
        ic.io_timeout = e->fetch.io_timeout;
        ic.allow_private_urls = config->allow_private_urls;
        rc = mv_images_open(&ic, &e->images, &err);
    }
    free(cache_dir);
    if (rc != MAIVID_OK) {
        if (errbuf && errbuf_size)
            mv_strlcpy(errbuf, err.message, errbuf_size);
        mv_engine_free(e);
        return rc;
    }
    const char *model_warnings = mv_images_load_warnings(e->images);
    if (model_warnings && *model_warnings)
        mv_engine_log(e, MAIVID_LOG_WARN, NULL, "%s", model_warnings);
    char host[64] = "localhost";
    gethostname(host, sizeof host - 1);
    host[sizeof host - 1] = 0;
    snprintf(e->worker_name, sizeof e->worker_name, "%s:%ld", host, (long)getpid());
    if (config->queue_url && *config->queue_url) {
        rc = mv_shared_open(e, config->queue_url, &err);
        if (rc != MAIVID_OK) {
            if (errbuf && errbuf_size)
                mv_strlcpy(errbuf, err.message, errbuf_size);
            mv_engine_free(e);
            return rc;
        }
    }
    pthread_mutex_init(&e->lock, NULL);
    pthread_cond_init(&e->changed, NULL);
    int stale = mv_remove_stale_temp_files(e->data_dir, 4);
    if (stale > 0)
        mv_engine_log(e, MAIVID_LOG_INFO, NULL,
                      "removed %d temporary file(s) left by a process that was killed", stale);
    if (!e->shared) { /* on a shared queue the jobs live in Redis (shared_jobs.c) */
        pthread_mutex_lock(&e->lock);
        mv_reload_jobs(e);
        mv_engine_unlock(e);
        mv_retention_sweep(e, mv_now());
    } else if (mv_retention_enabled(e)) {
        mv_engine_log(e, MAIVID_LOG_WARN, NULL, "retention (keep_days, max_data_bytes) is not "
                      "applied on a shared queue: delete ended jobs through the API");
    }
    e->next_sweep = mv_monotonic() + MV_RETENTION_INTERVAL;
    e->submit_only = e->shared && config->queue_submit_only;
    e->threads = calloc(e->workers, sizeof *e->threads);
    for (unsigned i = 0; e->threads && i < e->workers && !e->submit_only; i++) {
        if (pthread_create(&e->threads[i], NULL, e->shared ? mv_shared_worker_main : mv_worker_main,
                           e) != 0)
            break;
        e->thread_count++;
    }
    if (e->thread_count == 0 && !e->submit_only) {
        if (errbuf && errbuf_size)
            mv_strlcpy(errbuf, "cannot start worker threads", errbuf_size);
        pthread_mutex_destroy(&e->lock);
        pthread_cond_destroy(&e->changed);
        mv_engine_free(e);
        return MAIVID_E_INTERNAL;
    }
    mv_engine_log(e, MAIVID_LOG_INFO, NULL, "engine open: data in %s, %u worker(s)%s%s", e->data_dir,
                  e->thread_count, e->shared ? ", shared queue consumer " : "",
                  e->shared ? e->worker_name : "");
    *out = e;
    return MAIVID_OK;
}

MAIVID_API void maivid_engine_close(maivid_engine *e)
{
    if (!e)
        return;
    pthread_mutex_lock(&e->lock);
    e->closing = 1;
    for (size_t i = 0; i < e->job_count; i++) /* a job a worker took is stopped even before
                                                   its pipeline marks it running */
        if (e->jobs[i]->state == MAIVID_JOB_RUNNING ||
            (e->jobs[i]->state == MAIVID_JOB_QUEUED && e->jobs[i]->in_pipeline))
            atomic_store(&e->jobs[i]->stop, MV_STOP_SHUTDOWN);
    pthread_cond_broadcast(&e->changed);
    mv_engine_unlock(e);
    for (unsigned i = 0; i < e->thread_count; i++)
        pthread_join(e->threads[i], NULL);
    if (e->shared)
        mv_shared_close(e);
    mv_engine_log(e, MAIVID_LOG_INFO, NULL, "engine closed");
    pthread_mutex_destroy(&e->lock);
    pthread_cond_destroy(&e->changed);
    mv_engine_free(e);
}
