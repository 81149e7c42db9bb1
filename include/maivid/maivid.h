/*
 * maivid.h - the public API of libmaivid, the music-video generator library.
 *
 * Read this file top to bottom: it is the whole contract.
 *
 *   1. Version and errors        maivid_version(), maivid_strerror()
 *   2. The engine                maivid_engine_open() / maivid_engine_close()
 *   3. Jobs                      maivid_job_create(), _status(), _wait(), _cancel(), _list()
 *   4. Status snapshots          maivid_status_*() accessors and JSON
 *   5. Catalogs                  models, styles, transitions, aspect ratios as JSON
 *   6. Outside input             maivid_json_depth(), maivid_url_check()
 *   7. Stage callbacks           maivid_stages (include/maivid/maivid_stages.h)
 *
 * Design rules (after curl and libuv): handles are opaque; every call that can fail returns
 * a maivid_code (the few that hand you a new string, maivid_status_to_json() and
 * maivid_catalog_json(), return it or NULL, and accessors return their value); the library
 * never prints, it calls the log callback you give it; strings the library returns to you
 * are freed with maivid_free().
 *
 * ABI rules (SONAME libmaivid.so.0; what a program built against an older header can rely
 * on when run with a newer library):
 *   - Structs the caller fills (maivid_config, maivid_job_params) begin with `struct_size`
 *     and only ever grow at their end. maivid_config_init() and maivid_job_params_init() are
 *     macros passing the caller's sizeof, so the library writes only that many bytes, and it
 *     reads only the members struct_size covers (engine open, job create, params set/get,
 *     config_from_env): newer members keep their defaults. The plain exported functions of
 *     those names (what 0.1.0 programs call) write exactly the 0.1.0 layout.
 *   - maivid_stages is read up to the members its `version` has; members past it are NULL.
 *   - Exported functions never change signature: a call that needs more (an error buffer)
 *     gets a new function (maivid_job_cancel_ex()), the old one stays as a wrapper.
 *   - Enum values and JSON fields are only appended; structs the library hands out
 *     (maivid_param_info, maivid_event, maivid_scene_request) may grow at their end, so
 *     never allocate or copy one yourself.
 *
 * Thread safety: every function taking a maivid_engine may be called from any thread. The
 * log callback and the on_event observer are never called with an engine lock held, so
 * they may call back into the engine (status, list, cancel, ...), but not close it.
 */
#ifndef MAIVID_H
#define MAIVID_H

#include <stddef.h>
#include <stdint.h>

#include "maivid_params.h"

#ifdef __cplusplus
extern "C" {
#endif

/* MAIVID_API marks exported symbols; everything else in the library is hidden. */
#if defined(MAIVID_BUILDING_LIBRARY) && defined(__GNUC__)
#define MAIVID_API __attribute__((visibility("default")))
#else
#define MAIVID_API
#endif

/* ---------------------------------------------------------------- 1. Version and errors */

#define MAIVID_VERSION_MAJOR 0
#define MAIVID_VERSION_MINOR 1
#define MAIVID_VERSION_PATCH 0
#define MAIVID_VERSION_STRING "0.1.0"
/* One number for compile-time comparisons: 0xMMmmpp. */
#define MAIVID_VERSION_NUM \
    ((MAIVID_VERSION_MAJOR << 16) | (MAIVID_VERSION_MINOR << 8) | MAIVID_VERSION_PATCH)

/* The version of the library actually linked, as MAIVID_VERSION_NUM and as a string. */
MAIVID_API unsigned maivid_version(void);
MAIVID_API const char *maivid_version_string(void);

/* Every function returns one of these. Values are stable; new ones are only appended. */
typedef enum maivid_code {
    MAIVID_OK = 0,
    MAIVID_E_INVALID = 1,      /* a parameter is wrong; the error text names it and the fix */
    MAIVID_E_NOMEM = 2,        /* out of memory */
    MAIVID_E_IO = 3,           /* a file could not be read or written */
    MAIVID_E_NOT_FOUND = 4,    /* no such job (or file, or catalog entry) */
    MAIVID_E_QUEUE_FULL = 5,   /* the job queue is at its limit; try again later */
    MAIVID_E_CANCELLED = 6,    /* the job or operation was cancelled */
    MAIVID_E_TIMEOUT = 7,      /* a wait or a network operation ran out of time */
    MAIVID_E_BUSY = 8,         /* the job is still queued or running */
    MAIVID_E_FETCH = 9,        /* the song could not be fetched */
    MAIVID_E_MEDIA = 10,       /* audio or image data is unreadable or not what it claims */
    MAIVID_E_BACKEND = 11,     /* the image generator (ComfyUI or a plug-in) failed */
    MAIVID_E_RENDER = 12,      /* the video could not be encoded */
    MAIVID_E_CORRUPT = 13,     /* a stored job record is damaged */
    MAIVID_E_POLICY = 14,      /* a URL was refused by the URL policy */
    MAIVID_E_UNSUPPORTED = 15, /* the request is valid but not supported here */
    MAIVID_E_INTERNAL = 16,    /* a bug in libmaivid: please report it */
    MAIVID_E_UNAVAILABLE = 17  /* the shared job queue (Redis) is unreachable; try again later */
} maivid_code;

/* A short English description of a code (never NULL, static storage). */
MAIVID_API const char *maivid_strerror(maivid_code code);

/* Frees any string or array the library returned to you. NULL is allowed. */
MAIVID_API void maivid_free(void *ptr);

/* ---------------------------------------------------------------- 2. The engine */

typedef struct maivid_engine maivid_engine;
typedef struct maivid_stages maivid_stages; /* see maivid_stages.h */

typedef enum maivid_log_level {
    MAIVID_LOG_DEBUG = 0,
    MAIVID_LOG_INFO = 1,
    MAIVID_LOG_WARN = 2,
    MAIVID_LOG_ERROR = 3
} maivid_log_level;

/* Log callback: called from any engine thread (and the thread calling into the engine),
 * never with an engine lock held, so it may call maivid_job_status() and the like; `job_id`
 * is NULL for engine-wide messages. */
typedef void (*maivid_log_fn)(void *user_data, maivid_log_level level, const char *job_id,
                              const char *message);

typedef struct maivid_config {
    size_t struct_size;          /* set by maivid_config_init() */
    const char *data_dir;        /* where jobs live (<data_dir>/jobs/<id>/); default "./maivid-data" */
    unsigned workers;            /* jobs run at once; default 1 */
    unsigned queue_limit;        /* queued jobs allowed; default 100; 0 means the default */
    const char *const *comfyui_urls; /* ComfyUI servers; NULL or 0 count: none */
    size_t comfyui_url_count;
    const char *models_dir;      /* extra ComfyUI API-format workflows (*.json) become models */
    double connect_timeout;      /* seconds for network connects; default 10 */
    double io_timeout;           /* seconds without progress before a transfer fails; default 30 */
    double image_timeout;        /* seconds one image may take on ComfyUI; default 300 */
    uint64_t max_download_bytes; /* size cap on a fetched song; default 200 MB */
    int allow_private_urls;      /* 1: URLs may reach loopback/private addresses (CLI, tests) */
    int allow_local_files;       /* 1: jobs may name a local file as their source (CLI) */
    const char *suno_web_base;   /* default "https://suno.com" */
    const char *suno_api_base;   /* default "https://studio-api.prod.suno.com" */
    const char *suno_cdn_base;   /* default "https://cdn1.suno.ai" */
    maivid_log_fn log;           /* NULL: silent */
    void *log_user_data;
    const maivid_stages *stages; /* replaced or observed stages; NULL: all built in */
    int resume_jobs;             /* 1 (default): resume queued/running jobs found on open */
    /* Optional OpenAI-compatible servers; NULL url: off. */
    const char *llm_url;         /* /v1/chat/completions prompt writer, e.g. http://127.0.0.1:11434 */
    const char *llm_model;
    const char *llm_api_key;
    const char *stt_url;         /* /v1/audio/transcriptions for songs without lyrics */
    const char *stt_model;
    const char *stt_api_key;
    /* The checkpoint file a ComfyUI model loads, as "MODEL=FILE" entries (e.g.
     * "sdxl_turbo=sd_xl_turbo_1.0.safetensors"); they win over a one-line
     * <models_dir>/<MODEL>.checkpoint file, which wins over the workflow's own file name. */
    const char *const *checkpoints;
    size_t checkpoint_count;
    /* Retention of ended jobs (completed, failed, cancelled; never a queued or running one):
     * applied when the engine opens, after each job ends and hourly. 0 (default): off. */
    double keep_days;            /* remove ended jobs that ended more than this many days ago */
    uint64_t max_data_bytes;     /* while the jobs' files together exceed this many bytes,
                                    remove the ended jobs that ended first */
    /* Optional Suno session token (the __session cookie of a logged-in suno.com tab, env
     * MAIVID_SUNO_TOKEN): lets the lyric timing use Suno's own aligned lyrics for Suno
     * songs. A secret: never logged, never written into a job. NULL: not used. */
    const char *suno_token;
    /* A job queue shared by several engines (processes, machines) on one Redis server:
     * "redis://[:password@]host[:port][/db]" (env MAIVID_QUEUE_URL). Every engine on the
     * same queue must use the same data_dir (shared storage, e.g. an NFS mount). NULL or
     * "": the embedded in-process queue. */
    const char *queue_url;
    /* 1: with queue_url, this engine only submits, follows and cancels jobs; it takes none
     * (a command line client). 0 (default): its workers take jobs from the shared queue. */
    int queue_submit_only;
} maivid_config;

/* Fills `config` with the defaults above and sets struct_size to the caller's sizeof (the
 * macro passes it), so a program built against this header and run with a later library,
 * whose maivid_config has grown, is never written past its end. Call before setting fields.
 * maivid_config_init_sized() writes the first `size` bytes only (zeroing what it does not
 * know). The plain function maivid_config_init() (called by programs built against 0.1.0,
 * whose struct ends at stt_api_key) writes exactly the 0.1.0 layout. */
MAIVID_API void maivid_config_init_sized(maivid_config *config, size_t size);
MAIVID_API void(maivid_config_init)(maivid_config *config);
#define maivid_config_init(config) maivid_config_init_sized((config), sizeof *(config))

/* Overrides fields from environment variables that are set and non-empty, so every program
 * on libmaivid is configured the same way: MAIVID_SUNO_WEB_BASE, MAIVID_SUNO_API_BASE,
 * MAIVID_SUNO_CDN_BASE, MAIVID_LLM_URL, MAIVID_LLM_MODEL, MAIVID_LLM_API_KEY, MAIVID_STT_URL,
 * MAIVID_STT_MODEL, MAIVID_STT_API_KEY, MAIVID_SUNO_TOKEN. The pointers refer to the
 * environment's strings. */
MAIVID_API void maivid_config_from_env(maivid_config *config);

/* Reads a secret such as the Suno session token from a file (its first line, blanks around
 * it removed), for the programs' --suno-token-file. *secret is malloc'd: release it with
 * maivid_secret_free(), which wipes it first. MAIVID_E_IO (unreadable) or MAIVID_E_INVALID
 * (empty, or longer than 16 KiB) with errbuf naming the file and the fix; the secret itself
 * never appears in errbuf. */
MAIVID_API maivid_code maivid_secret_read_file(const char *path, char **secret, char *errbuf,
                                               size_t errbuf_size);
MAIVID_API void maivid_secret_free(char *secret);

/* Opens an engine: creates the data directory, reloads every stored job and (unless
 * resume_jobs is 0) queues again the jobs that were queued or running when the last process
 * stopped. Writes a readable reason into errbuf (may be NULL) on failure.
 * Process-wide effects: calls curl_global_init() (balanced by maivid_engine_close()),
 * silences FFmpeg's console log (av_log_set_level(AV_LOG_QUIET)) unless the environment
 * variable MAIVID_FFMPEG_LOG is "1". */
MAIVID_API maivid_code maivid_engine_open(const maivid_config *config, maivid_engine **out,
                                          char *errbuf, size_t errbuf_size);

/* Optional, for the program, not called by the library: with glibc, fixes malloc's mmap
 * threshold at 128 KiB (mallopt(M_MMAP_THRESHOLD)) for the whole process, so the large
 * blocks of frames, pictures and encoder buffers go back to the system when freed instead
 * of fragmenting the heap; without it a job's peak memory grows with the song's length
 * (glibc raises the threshold after each large free). maivid-cli and maivid-server call it
 * first thing; a program that tunes its own allocator leaves it out. */
MAIVID_API void maivid_tune_process_memory(void);

/* Optional, for the program, not called by the library; call it before any thread starts
 * (it sets an environment variable): encoder libraries that log on their own, outside
 * FFmpeg's log, report errors only. Today that is SVT-AV1 (libsvtav1), which otherwise
 * prints a banner each time the encoders catalog opens it: sets SVT_LOG=1 unless the
 * environment already has SVT_LOG (a user's own level stays). maivid-cli and maivid-server
 * call it first thing. */
MAIVID_API void maivid_tune_process_logging(void);

/* Stops the engine: running jobs are interrupted and checkpointed (they stay "running" on
 * disk so the next open resumes them), worker threads are joined, memory is freed. */
MAIVID_API void maivid_engine_close(maivid_engine *engine);

/* The job queue as a JSON object: {"backend": "embedded" or "redis", "queued": jobs waiting,
 * "running": jobs being run (by any engine on a shared queue), "workers": this engine's}, and
 * for Redis also "consumers" (the engines taking jobs: [{"name": "host:pid", "pending",
 * "idle_seconds"}]) and "oldest_pending_seconds" (the age of the oldest job taken but not
 * finished; 0 when none). MAIVID_E_UNAVAILABLE with the reason in errbuf when the shared
 * queue cannot be reached. *json: release with maivid_free(). */
MAIVID_API maivid_code maivid_engine_queue_info(maivid_engine *engine, char **json, char *errbuf,
                                                size_t errbuf_size);

/* Idempotency keys shared by every engine on one shared queue (a server's Idempotency-Key):
 * maivid_idempotency_claim() sets *previous to the value stored for `key` (malloc'd:
 * maivid_free()), or to NULL when this caller now holds the key (for up to a minute) and
 * must call maivid_idempotency_store() with its value (kept `ttl_seconds`), or with NULL to
 * let the key go when it made nothing. A claim another engine holds is waited for (up to
 * 10 s, then MAIVID_E_BUSY). MAIVID_E_UNSUPPORTED without a shared queue (keep the keys
 * yourself); MAIVID_E_UNAVAILABLE when the queue is unreachable. */
MAIVID_API maivid_code maivid_idempotency_claim(maivid_engine *engine, const char *key,
                                                char **previous, char *errbuf,
                                                size_t errbuf_size);
MAIVID_API maivid_code maivid_idempotency_store(maivid_engine *engine, const char *key,
                                                const char *value, double ttl_seconds);

/* ---------------------------------------------------------------- 3. Jobs */

/* Job ids look like job_20250516_123456_abcdef12; a buffer this size holds one. */
#define MAIVID_JOB_ID_SIZE 32

typedef enum maivid_job_state {
    MAIVID_JOB_QUEUED = 0,
    MAIVID_JOB_RUNNING = 1,
    MAIVID_JOB_COMPLETED = 2,
    MAIVID_JOB_FAILED = 3,
    MAIVID_JOB_CANCELLED = 4
} maivid_job_state;

/* The pipeline stages, in order. Their names ("download", "lyrics", ...) are stable. */
typedef enum maivid_stage {
    MAIVID_STAGE_DOWNLOAD = 0,
    MAIVID_STAGE_LYRICS = 1,
    MAIVID_STAGE_ANALYSIS = 2,
    MAIVID_STAGE_SCENE_PLANNING = 3,
    MAIVID_STAGE_SCENE_GENERATION = 4,
    MAIVID_STAGE_VIDEO_CREATION = 5,
    MAIVID_STAGE_COUNT = 6
} maivid_stage;

/* "download", "lyrics", "analysis", "scene_planning", "scene_generation", "video_creation". */
MAIVID_API const char *maivid_stage_name(maivid_stage stage);
/* "queued", "running", "completed", "failed", "cancelled". */
MAIVID_API const char *maivid_job_state_name(maivid_job_state state);

/* What to make. Strings are copied by maivid_job_create(); NULL means the default.
 * The members come from MAIVID_JOB_PARAMS in maivid_params.h, which gives each one's type,
 * default, valid range or values and meaning; in order they are: url, local_path, model
 * ("model_type"), aspect_ratio, style, scene_count, transition ("transition_type"),
 * transition_duration, motion, resolution, fps, lyrics, seed, workflow_path, title,
 * image_failure_tolerance, callback_url. */
#define MAIVID_PARAM_MEMBER_(type, member, ...) MAIVID_PARAM_CTYPE_##type member;
typedef struct maivid_job_params {
    size_t struct_size; /* set by maivid_job_params_init() */
    MAIVID_JOB_PARAMS(MAIVID_PARAM_MEMBER_)
} maivid_job_params;
#undef MAIVID_PARAM_MEMBER_

/* Fills `params` with the defaults and sets struct_size to the caller's sizeof (as
 * maivid_config_init() does: the plain function writes exactly the 0.1.0 layout, which
 * ends at callback_url). Members past struct_size are never read: they keep their defaults. */
MAIVID_API void maivid_job_params_init_sized(maivid_job_params *params, size_t size);
MAIVID_API void(maivid_job_params_init)(maivid_job_params *params);
#define maivid_job_params_init(params) maivid_job_params_init_sized((params), sizeof *(params))

/* The parameter table: one entry per MAIVID_JOB_PARAMS row, in that order. Programs drive
 * their request parsing, options and help from it. The entries are static and constant;
 * fields may be appended to this struct in later versions (never allocate one yourself). */
typedef enum maivid_param_type {
    MAIVID_PARAM_STRING = 0, /* const char * */
    MAIVID_PARAM_INT = 1,    /* int */
    MAIVID_PARAM_INT64 = 2,  /* int64_t */
    MAIVID_PARAM_NUMBER = 3  /* double */
} maivid_param_type;

typedef struct maivid_param_info {
    const char *name;         /* the JSON / Convo Pilot field name, e.g. "model_type" */
    const char *member;       /* the maivid_job_params member, e.g. "model" */
    maivid_param_type type;
    const char *default_text; /* the default as text ("30", "fade"), or NULL: none */
    double min, max;          /* numbers: valid range (the default is valid too); strings:
                               * max is the length limit in bytes */
    int catalog;              /* the maivid_catalog of valid ids, or MAIVID_PARAM_NO_CATALOG */
    unsigned flags;           /* MAIVID_PARAM_API, _PRIVATE, _URL, _FILE, _AUTO, _CLI_FILE */
    const char *cli_long;     /* maivid-cli's long option ("transition-duration"), or NULL */
    int cli_short;            /* its short option letter, or 0 */
    const char *cli_metavar;  /* what the option takes ("SECONDS"), or NULL */
    const char *help;         /* one line saying what it is */
    size_t offset;            /* offsetof(maivid_job_params, member) */
} maivid_param_info;

/* How many parameters there are, and the index'th (NULL past the end). */
MAIVID_API size_t maivid_param_count(void);
MAIVID_API const maivid_param_info *maivid_param_at(size_t index);
/* The parameter with this JSON name or member name, or NULL. */
MAIVID_API const maivid_param_info *maivid_param_find(const char *name);

/* Writes what a valid value of `info` looks like ("a whole number from 12 to 60", "a string,
 * e.g. "fade"") into buf, for error messages. Returns buf. */
MAIVID_API char *maivid_param_expect(const maivid_param_info *info, char *buf, size_t size);

/* The value of a parameter in `params`: a string parameter's pointer (NULL: unset), or a
 * number parameter as a double (NaN for a string parameter or a struct too old to have it). */
MAIVID_API const char *maivid_job_params_string(const maivid_job_params *params,
                                                const maivid_param_info *info);
MAIVID_API double maivid_job_params_number(const maivid_job_params *params,
                                           const maivid_param_info *info);

/* Sets the parameter `name` (JSON or member name) from text as a user typed it: a string
 * parameter keeps the pointer `value` (keep it alive as long as `params`), a number is
 * parsed. NULL restores the default. Checks what can be checked without an engine: the
 * type, the range, the length, valid UTF-8 (file paths excepted) and, for URLs, their
 * syntax; catalog ids are checked by maivid_job_create(). A refused value leaves the old
 * one. MAIVID_E_INVALID with errbuf naming the field, the problem and the valid values;
 * MAIVID_E_NOT_FOUND for an unknown name. */
MAIVID_API maivid_code maivid_job_params_set(maivid_job_params *params, const char *name,
                                             const char *value, char *errbuf,
                                             size_t errbuf_size);

/* Validates `params` and queues a job. On success writes the new id into job_id.
 * On MAIVID_E_INVALID errbuf says which field is wrong and lists the valid values;
 * MAIVID_E_QUEUE_FULL means the queue is at its limit. */
MAIVID_API maivid_code maivid_job_create(maivid_engine *engine, const maivid_job_params *params,
                                         char job_id[MAIVID_JOB_ID_SIZE], char *errbuf,
                                         size_t errbuf_size);

/* Queues a job whose song is a file the caller received (e.g. an HTTP upload) instead of a
 * link: `audio_path` is checked as a downloaded song is (not empty, within
 * maivid_config.max_download_bytes, audio by its first bytes), then moved into the new job's
 * source/ folder (named after `filename`, reduced to safe characters) and the job runs as one
 * made from a link. params->url must be unset. On failure the file is left where it was. */
MAIVID_API maivid_code maivid_job_create_upload(maivid_engine *engine,
                                                const maivid_job_params *params,
                                                const char *audio_path, const char *filename,
                                                char job_id[MAIVID_JOB_ID_SIZE], char *errbuf,
                                                size_t errbuf_size);

/* Waits until the job has ended (completed, failed or cancelled) or timeout_ms passed
 * (negative: forever). MAIVID_OK when ended, MAIVID_E_TIMEOUT otherwise. */
MAIVID_API maivid_code maivid_job_wait(maivid_engine *engine, const char *job_id, int timeout_ms);

/* Cancels a queued or running job. A running job stops within about a second of work, its
 * partial outputs are removed and it is kept as "cancelled". Cancelling an ended job is
 * MAIVID_OK and changes nothing. */
MAIVID_API maivid_code maivid_job_cancel(maivid_engine *engine, const char *job_id);
/* The same, writing the reason of a failure into errbuf (may be NULL), like the other calls. */
MAIVID_API maivid_code maivid_job_cancel_ex(maivid_engine *engine, const char *job_id,
                                            char *errbuf, size_t errbuf_size);

/* Queues again a failed or cancelled job, keeping the stage outputs already complete. Also
 * takes over a job left queued or running by a process that died, when this engine was
 * opened with resume_jobs = 0 (maivid_job_cancel() can cancel such a job too). */
MAIVID_API maivid_code maivid_job_resume(maivid_engine *engine, const char *job_id);
/* The same, writing the reason of a failure into errbuf (may be NULL): busy, damaged, the
 * queue full, no such job. */
MAIVID_API maivid_code maivid_job_resume_ex(maivid_engine *engine, const char *job_id,
                                            char *errbuf, size_t errbuf_size);

/* Deletes an ended job and all its files (MAIVID_E_BUSY if it is queued or running). */
MAIVID_API maivid_code maivid_job_delete(maivid_engine *engine, const char *job_id);
/* The same, writing the reason of a failure into errbuf (may be NULL): still running, a file
 * that could not be removed, no such job. */
MAIVID_API maivid_code maivid_job_delete_ex(maivid_engine *engine, const char *job_id,
                                            char *errbuf, size_t errbuf_size);

/* Lists the job ids, newest first. Free the array with maivid_free() (one call frees the
 * array and its strings). */
MAIVID_API maivid_code maivid_job_list(maivid_engine *engine, char ***ids_out, size_t *count_out);

/* 1 when `job_id` has the shape of a job id (checked before any file access), else 0. */
MAIVID_API int maivid_job_id_valid(const char *job_id);

/* ---------------------------------------------------------------- 4. Status snapshots */

/* A consistent, immutable copy of a job's state at one moment. */
typedef struct maivid_status maivid_status;

MAIVID_API maivid_code maivid_job_status(maivid_engine *engine, const char *job_id,
                                         maivid_status **out);
MAIVID_API void maivid_status_free(maivid_status *status);

MAIVID_API const char *maivid_status_job_id(const maivid_status *status);
MAIVID_API maivid_job_state maivid_status_state(const maivid_status *status);
MAIVID_API maivid_stage maivid_status_stage(const maivid_status *status);
/* Human text such as "Generating scene 3/5". */
MAIVID_API const char *maivid_status_stage_text(const maivid_status *status);
/* Percent 0..100 of the current stage, and of the whole job (never goes backwards). */
MAIVID_API double maivid_status_stage_progress(const maivid_status *status);
MAIVID_API double maivid_status_overall_progress(const maivid_status *status);
MAIVID_API int maivid_status_total_scenes(const maivid_status *status);
MAIVID_API int maivid_status_processed_scenes(const maivid_status *status);
/* 1-based place in the queue while queued, else 0. */
MAIVID_API int maivid_status_queue_position(const maivid_status *status);
/* Estimated seconds left, or -1 when unknown. */
MAIVID_API double maivid_status_eta_seconds(const maivid_status *status);
MAIVID_API const char *maivid_status_title(const maivid_status *status);
/* The error text of a failed job, else NULL. */
MAIVID_API const char *maivid_status_error(const maivid_status *status);
/* The error code of a failed job (MAIVID_E_FETCH when the song could not be fetched). */
MAIVID_API maivid_code maivid_status_error_code(const maivid_status *status);
/* The finished MP4's path once completed, else NULL. */
MAIVID_API const char *maivid_status_video_path(const maivid_status *status);
/* The thumbnail JPEG's path once completed, else NULL. */
MAIVID_API const char *maivid_status_thumbnail_path(const maivid_status *status);
/* The job's directory. */
MAIVID_API const char *maivid_status_job_dir(const maivid_status *status);
/* The sync report once the video is rendered (sync.json's JSON text: cuts_on_beat_share,
 * av_difference_seconds, caption_mode, caption_source, caption_confidence,
 * lines_shown_share, max_flashes_per_second, reactivity, reactivity_measured, ...), else
 * NULL. The status JSON carries it as the object "sync". */
MAIVID_API const char *maivid_status_sync(const maivid_status *status);
/* One line for people from a sync report's JSON text ("sync: 7/7 cuts on the beat, ...").
 * Free with maivid_free(); NULL when out of memory. */
MAIVID_API char *maivid_sync_summary(const char *sync_json);

/* Whose song it is, once the download stage has ended (NULL, or 0, while unknown): title,
 * artist, tags (the genre or Suno's style), duration in seconds, bpm (the source's, else the
 * analysed tempo), the source kind ("suno", "direct", "page" or "file"), the Suno clip id
 * of a Suno song, and the path of the cover image kept in the job's source/ folder. */
MAIVID_API const char *maivid_status_song_title(const maivid_status *status);
MAIVID_API const char *maivid_status_song_artist(const maivid_status *status);
MAIVID_API const char *maivid_status_song_tags(const maivid_status *status);
MAIVID_API double maivid_status_song_duration(const maivid_status *status);
MAIVID_API double maivid_status_song_bpm(const maivid_status *status);
MAIVID_API const char *maivid_status_song_source_kind(const maivid_status *status);
MAIVID_API const char *maivid_status_song_suno_id(const maivid_status *status);
MAIVID_API const char *maivid_status_song_cover_path(const maivid_status *status);

/* The status as JSON, the shape of the Convo Pilot spec's job_status plus MaiVid's fields
 * (queue_position, eta_seconds, settings, video_path, warnings, scenes,
 * scene_descriptions and song: {title, artist, tags, duration, bpm, cover_url, cover_path,
 * source_kind, suno_id}, null where unknown; cover_url is null here, the server fills it
 * with its GET .../video/{job_id}/cover address). MAIVID_JSON_PRETTY indents it. Free with
 * maivid_free(). */
#define MAIVID_JSON_PRETTY 1u
MAIVID_API char *maivid_status_to_json(const maivid_status *status, unsigned flags);

/* ---------------------------------------------------------------- 5. Catalogs */

typedef enum maivid_catalog {
    MAIVID_CATALOG_MODELS = 0,      /* [{id,name,description,speed,quality,usable,
                                     *   unusable_reason (when not usable),...}] */
    MAIVID_CATALOG_STYLES = 1,      /* [{id,name,description,palette:["#rrggbb"]}] */
    MAIVID_CATALOG_TRANSITIONS = 2, /* [{id,name,description}] */
    MAIVID_CATALOG_ASPECTS = 3,     /* [{id,width,height}] at the default resolution */
    MAIVID_CATALOG_MOTIONS = 4,     /* [{id,name,description}] */
    MAIVID_CATALOG_RESOLUTIONS = 5, /* [{id,name,description}] */
    MAIVID_CATALOG_CAPTIONS = 6,    /* [{id,name,description}]: the caption modes */
    MAIVID_CATALOG_ENCODERS = 7     /* [{id,name,description,usable,unusable_reason (when not
                                     *   usable)}]: video encoders; usable is found by opening
                                     *   one now (no GPU: the NVENC ones are not), only when
                                     *   an engine is given (NULL: the ids and names alone) */
} maivid_catalog;

/* A catalog as a JSON array. `engine` may be NULL for all but MODELS, whose "usable" field
 * needs it (ComfyUI reachability, checked quickly and cached briefly). Free with maivid_free(). */
MAIVID_API char *maivid_catalog_json(maivid_engine *engine, maivid_catalog catalog,
                                     unsigned flags);

/* Whether a job's images could be made now, judged on what the job will run: the ComfyUI
 * workflow at `workflow_path` when set (checked against the servers' /object_info like the
 * shipped ones), else `model` (NULL: "sdxl_turbo") with its checkpoint setting. MAIVID_OK, or
 * MAIVID_E_INVALID (unknown model, unreadable workflow) or MAIVID_E_BACKEND (no server, server
 * down, a model file not installed) with the reason and its fix in errbuf, worded as the
 * models catalog's "unusable_reason". Quick: answers are cached for a few seconds. */
MAIVID_API maivid_code maivid_model_check(maivid_engine *engine, const char *model,
                                          const char *workflow_path, char *errbuf,
                                          size_t errbuf_size);

/* ---------------------------------------------------------------- 6. Outside input */

/* The deepest nesting of JSON arrays and objects libmaivid parses (requests, replies from
 * ComfyUI, Suno, language models and transcribers, stored files); deeper text is refused
 * before parsing, so a recursive parser cannot run out of stack on it. */
#define MAIVID_JSON_MAX_DEPTH 64

/* How deeply the JSON `text` (`length` bytes, or up to a NUL) nests arrays and objects,
 * counting brackets outside strings up to the end of its first value. It stops counting
 * past MAIVID_JSON_MAX_DEPTH, so any result above it means "too deep, refuse it". Reads
 * without recursion: safe on any input. */
MAIVID_API int maivid_json_depth(const char *text, size_t length);

/* The URL policy every fetch of libmaivid follows, for a program's own outgoing requests:
 * only http and https, and unless `allow_private_urls`, no host that is a loopback,
 * private, link-local, carrier-grade NAT, benchmarking, documentation, multicast or
 * reserved address (in any spelling, IPv4 inside IPv6 included) or "localhost".
 * maivid_url_check() judges a URL before use (host names are judged again, by address, when
 * connecting): MAIVID_OK, or MAIVID_E_POLICY with the reason and the fix in `err`. */
MAIVID_API maivid_code maivid_url_check(const char *url, int allow_private_urls, char *err,
                                        size_t err_size);
/* The same policy on an address about to be connected (for example from a libcurl
 * CURLOPT_OPENSOCKETFUNCTION, so DNS answers cannot get around it): MAIVID_OK, or
 * MAIVID_E_POLICY when the policy refuses it. A NULL or non-IP address is refused. */
struct sockaddr;
MAIVID_API maivid_code maivid_address_check(const struct sockaddr *address,
                                            int allow_private_urls);

#ifdef __cplusplus
}
#endif

#include "maivid_stages.h"

#endif /* MAIVID_H */
