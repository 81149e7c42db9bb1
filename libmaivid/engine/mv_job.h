/*
 * mv_job.h - the in-memory job record shared by the engine's parts: its validated settings,
 * its progress and its per-scene state. The engine's lock guards every mutable field; the
 * pipeline thread takes it only for short updates.
 */
#ifndef MV_JOB_H
#define MV_JOB_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "maivid/maivid.h"
#include "util/mv_common.h"

/* The job's parameters after validation, with defaults filled in: a maivid_job_params of
 * today's size whose strings are owned (freed by mv_settings_free()). */
typedef maivid_job_params mv_settings;

typedef enum mv_scene_state {
    MV_SCENE_QUEUED = 0,
    MV_SCENE_GENERATING = 1,
    MV_SCENE_DONE = 2,
    MV_SCENE_FAILED = 3
} mv_scene_state;

typedef struct mv_job_scene {
    int index;
    double start, end;
    char *lyrics, *prompt, *image_path;
    char *drawn, *unmatched; /* comma-separated, from the storyboard */
    mv_scene_state state;
    int clips;               /* a moving scene's planned chain of clips (animate); 0: none */
} mv_job_scene;

/* Whose song it is: what the download stage learned (NULL / 0 while unknown). */
typedef struct mv_job_song {
    char *title, *artist, *tags;
    char *source_kind;  /* "suno", "direct", "page" or "file" */
    char *suno_id;      /* the Suno clip id of a Suno song */
    char *cover_path;   /* the kept cover image in source/, if any */
    double duration;    /* seconds */
    double bpm;         /* as the source says (the status falls back to the analysed tempo) */
} mv_job_song;

void mv_job_song_clear(mv_job_song *song);
/* A deep copy; 0, or -1 when out of memory (dst is then cleared). */
int mv_job_song_copy(mv_job_song *dst, const mv_job_song *src);
/* Fills `song` from <source_dir>/metadata.json; MAIVID_OK or the reason it cannot. */
maivid_code mv_job_song_load(const char *source_dir, mv_job_song *song, mv_error *err);

#define MV_WORKER_SIZE 96 /* "host:pid" */

/* Why a running job is asked to stop. */
enum { MV_STOP_NONE = 0, MV_STOP_CANCEL = 1, MV_STOP_SHUTDOWN = 2 };

/* How the lyrics were timed (lyrics_timed.json's summary for the status); source[0] == 0
 * until the timing step has run. */
typedef struct mv_job_timing {
    char source[16];         /* "none", "user", "suno", "speech_to_text", "estimated" */
    double confidence;
    int lines, word_times;
} mv_job_timing;

typedef struct mv_job {
    char id[MAIVID_JOB_ID_SIZE];
    char *dir;
    mv_settings settings;
    maivid_job_state state;
    maivid_stage stage;
    char stage_text[256];
    double stage_progress;   /* percent */
    double overall_progress; /* percent, never decreases */
    int stage_done[MAIVID_STAGE_COUNT];
    int total_scenes, processed_scenes;
    double created_at, started_at, updated_at, completed_at; /* epoch seconds, 0: unset */
    double run_clock_start;  /* mv_monotonic() when this run began, for the ETA */
    double run_progress_start;
    double clip_eta;         /* animate pass: seconds its clips still need, as measured ... */
    double clip_eta_at;      /* ... at this mv_monotonic() time; 0: no clip estimate */
    double bpm;
    mv_job_song song;
    mv_job_timing timing;
    char *title;
    char *error;
    maivid_code error_code;
    char *video_path, *thumbnail_path;
    char *sync_json;         /* the sync report (sync.json's text) once rendered, else NULL */
    char **warnings;
    size_t warning_count;
    mv_job_scene *scenes;
    size_t scene_count;
    atomic_int stop;         /* MV_STOP_* */
    double last_saved;       /* mv_monotonic() of the last job.json write */
    int corrupt;             /* loaded from a damaged job.json: never rewritten */
    int in_pipeline;         /* a worker holds it: not to be freed */
    int dormant;             /* loaded as queued/running but not resumed (resume_jobs=0) */
    /* "host:pid" of the worker that ran each stage, and of the latest ("" when none) */
    char stage_worker[MAIVID_STAGE_COUNT][MV_WORKER_SIZE];
    char worker[MV_WORKER_SIZE];
    struct mv_queue_claim *claim; /* shared queue: this engine's claim while it runs the job */
    atomic_int claim_lost;   /* shared queue: another worker owns the job now; write nothing */
} mv_job;

void mv_settings_free(mv_settings *s);
/* A deep copy of `src` into `dst`; 0, or -1 when out of memory (dst is then freed). */
int mv_settings_copy(mv_settings *dst, const mv_settings *src);
/* Fills a maivid_job_params view whose strings point into `s`. */
void mv_settings_to_params(const mv_settings *s, maivid_job_params *p);

mv_job *mv_job_new(const char *id, const char *dir);
void mv_job_free(mv_job *job);
void mv_job_clear_scenes(mv_job *job);
void mv_job_add_warning(mv_job *job, const char *text);
int mv_job_ended(const mv_job *job);

/* Job ids: job_YYYYMMDD_HHMMSS_xxxxxxxx from the clock and a real random source. */
maivid_code mv_job_id_generate(char out[MAIVID_JOB_ID_SIZE], mv_error *err);

/* Validates params against the catalogs and fills settings. `model_known` decides models. */
typedef int (*mv_model_known_fn)(void *user_data, const char *model);
maivid_code mv_settings_from_params(const maivid_job_params *params, int allow_local_files,
                                    mv_model_known_fn model_known, void *model_user_data,
                                    mv_settings *out, mv_error *err);

/* job.json: full record in, full record out. */
maivid_code mv_job_save(mv_job *job, mv_error *err);
/* The same in two steps: serialise (under the engine lock), then write (outside it). */
char *mv_job_record_text(const mv_job *job);
maivid_code mv_job_write_record(const mv_job *job, const char *text, mv_error *err);
/* Loads <dir>/job.json. A damaged record gives MAIVID_E_CORRUPT with the reason. */
maivid_code mv_job_load(const char *dir, mv_job **out, mv_error *err);

#endif /* MV_JOB_H */
