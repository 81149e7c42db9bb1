/*
 * maivid_0_1.h - the public structs as an OLDER program saw them, for the ABI test: the
 * 0.1.0 layout (maivid_config up to stt_api_key, maivid_job_params up to callback_url,
 * maivid_stages version 1) and a shorter layout from before fields were appended (config
 * up to resume_jobs, params up to title), plus the few declarations the test calls. A
 * program including this instead of maivid.h is built as it was then and run with today's
 * libmaivid.so.0.
 */
#ifndef MAIVID_0_1_H
#define MAIVID_0_1_H

#include <stddef.h>
#include <stdint.h>

typedef int maivid_code; /* MAIVID_OK = 0, MAIVID_E_INVALID = 1 */
typedef struct maivid_engine maivid_engine;
typedef struct maivid_status maivid_status;
typedef void (*maivid_log_fn)(void *, int, const char *, const char *);

typedef struct old_stages_v1 {
    int version;
    void *user_data;
    void *fetch, *lyrics, *analysis, *plan, *image, *render, *on_event;
} old_stages_v1;

/* The members every layout shares, up to resume_jobs. */
#define OLD_CONFIG_HEAD                                                                     \
    size_t struct_size;                                                                    \
    const char *data_dir;                                                                  \
    unsigned workers, queue_limit;                                                         \
    const char *const *comfyui_urls;                                                       \
    size_t comfyui_url_count;                                                              \
    const char *models_dir;                                                                \
    double connect_timeout, io_timeout, image_timeout;                                     \
    uint64_t max_download_bytes;                                                           \
    int allow_private_urls, allow_local_files;                                             \
    const char *suno_web_base, *suno_api_base, *suno_cdn_base;                             \
    maivid_log_fn log;                                                                     \
    void *log_user_data;                                                                   \
    const old_stages_v1 *stages;                                                           \
    int resume_jobs;

typedef struct config_0_1 {
    OLD_CONFIG_HEAD
    const char *llm_url, *llm_model, *llm_api_key, *stt_url, *stt_model, *stt_api_key;
} config_0_1;

typedef struct config_short {
    OLD_CONFIG_HEAD
} config_short;

#define OLD_PARAMS_HEAD                                                                     \
    size_t struct_size;                                                                    \
    const char *url, *local_path, *model, *aspect_ratio, *style;                           \
    int scene_count;                                                                       \
    const char *transition;                                                                \
    double transition_duration;                                                            \
    const char *motion, *resolution;                                                       \
    int fps;                                                                               \
    const char *lyrics;                                                                    \
    int64_t seed;                                                                          \
    const char *workflow_path, *title;

typedef struct params_0_1 {
    OLD_PARAMS_HEAD
    int image_failure_tolerance;
    const char *callback_url;
} params_0_1;

typedef struct params_short {
    OLD_PARAMS_HEAD
} params_short;

/* As 0.1.0 declared them (one argument: the library cannot know the caller's size). */
void maivid_config_init(void *config);
void maivid_job_params_init(void *params);
/* As a later header's macros call them. */
void maivid_config_init_sized(void *config, size_t size);
void maivid_job_params_init_sized(void *params, size_t size);
void maivid_config_from_env(void *config);

maivid_code maivid_engine_open(const void *config, maivid_engine **out, char *errbuf,
                               size_t errbuf_size);
void maivid_engine_close(maivid_engine *engine);
maivid_code maivid_job_create(maivid_engine *engine, const void *params, char job_id[32],
                              char *errbuf, size_t errbuf_size);
maivid_code maivid_job_cancel(maivid_engine *engine, const char *job_id);
maivid_code maivid_job_status(maivid_engine *engine, const char *job_id, maivid_status **out);
void maivid_status_free(maivid_status *status);
char *maivid_status_to_json(const maivid_status *status, unsigned flags);
void maivid_free(void *ptr);
const void *maivid_param_find(const char *name);
maivid_code maivid_job_params_set(void *params, const char *name, const char *value,
                                  char *errbuf, size_t errbuf_size);
double maivid_job_params_number(const void *params, const void *info);
const char *maivid_job_params_string(const void *params, const void *info);

#endif /* MAIVID_0_1_H */
