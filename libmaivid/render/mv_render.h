/*
 * mv_render.h - the render engine (stage video_creation): scene images + timing + the song's
 * audio -> one H.264/AAC MP4 (faststart) and a JPEG thumbnail, in one streaming pass.
 * Also the transitions and motions catalogs and the frame-size rules, which the job
 * validation uses.
 */
#ifndef MV_RENDER_H
#define MV_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/mv_catalog.h"
#include "util/mv_common.h"

typedef struct mv_render_scene {
    const char *image_path;     /* any image libavformat reads (PNG, JPEG, PPM) */
    double start, end;          /* seconds in the song; scenes tile [0, duration] */
    const char *motion;         /* motion id (mv_motions); never "auto" here */
    const char *transition;     /* transition into the NEXT scene (ignored on the last) */
    double transition_duration; /* seconds, centred on the boundary, shortened if needed */
    uint32_t motion_seed;       /* varies ken_burns direction deterministically per scene */
    const char *const *clips;   /* NULL: the still; else NULL-terminated, the videos that
                                 * play in the scene instead of the still, one after another
                                 * as one chained clip (mv_clip_source.h) */
} mv_render_scene;

/* What a render measured on its own frames, for the sync report. */
typedef struct mv_render_stats {
    size_t lines_total;         /* lyric lines inside the song */
    size_t lines_shown;         /* of them, drawn on at least one frame */
    int max_flashes;            /* the most flashes in any one second of the final frames */
    long long flash_frames_attenuated;
    double beat_change;         /* mean per-frame picture change on beat frames */
    double offbeat_change;      /* ... and on frames between beats */
    long long beat_frames, offbeat_frames;
    double video_seconds, audio_seconds; /* of the finished MP4 */
    const char *encoder;        /* the video encoder used (catalog id) */
    char encoder_warning[512];  /* why the asked encoder was not used; "" when it was */
} mv_render_stats;

struct mv_timed_lyrics;
struct mv_style_caption;
struct mv_analysis;

typedef struct mv_render_plan {
    const mv_render_scene *scenes;
    size_t scene_count;
    const char *audio_path;     /* the song; its duration is the video's duration */
    int width, height, fps;
    const char *output_path;    /* final MP4, written atomically (temp then rename) */
    const char *thumbnail_path; /* JPEG beside it; NULL: none */
    const char *work_dir;       /* for checkpoint segments; reused on resume, may be NULL */
    /* The song's words and motion that hears the music; all optional (zero: off). */
    const struct mv_timed_lyrics *lyrics;      /* burned-in captions from these times */
    int caption_mode;                          /* mv_caption_mode */
    const struct mv_style_caption *caption_look; /* font and colours; NULL: the default */
    const struct mv_analysis *analysis;        /* beats, energy, ... for the accents */
    double reactivity;                         /* 0..1; 0: the plain motion */
    mv_render_stats *stats;                    /* filled when not NULL */
    int subtitle_track;                        /* 1: the lyrics also as a mov_text track */
    const char *encoder; /* video encoder id (mv_video_encoders.h); NULL: libx264. One this
                          * machine cannot open falls back to libx264 (stats say why). */
    /* Optional, for scene images still being made while the render runs: called on the
     * drawing thread before a scene's picture is first read, it returns once that picture
     * is on disk; anything but MAIVID_OK (with err set) stops the render with that error. */
    maivid_code (*scene_ready)(void *user, size_t scene, mv_error *err);
    void *scene_ready_user;
} mv_render_plan;

/* Renders the plan. Reports progress by frames done through task; honours cancel within a
 * frame or so (then removes partial output and returns MAIVID_E_CANCELLED). On success the
 * output's video and audio durations differ by at most one frame, else MAIVID_E_RENDER. */
maivid_code mv_render_video(const mv_render_plan *plan, const mv_task *task, mv_error *err);

/* Frame size for an aspect ratio id ("16:9", "9:16", "1:1", "4:3", "21:9") and a resolution
 * id ("480p", "720p", "1080p", "1440p", "2160p", naming the short side); even dimensions.
 * MAIVID_E_INVALID (with the valid ids in err) for unknown ids. */
maivid_code mv_frame_size(const char *aspect, const char *resolution, int *width, int *height,
                          mv_error *err);

/* Catalog tables. Transitions include "wipe" as an alias of "wiperight" (listed as such). */
const mv_catalog_entry *mv_transitions(size_t *count);
const mv_catalog_entry *mv_motions(size_t *count);
const mv_catalog_entry *mv_aspect_ratios(size_t *count);
const mv_catalog_entry *mv_resolutions(size_t *count);
/* 1 if the id is a known transition / motion (aliases included). */
int mv_transition_known(const char *id);
int mv_motion_known(const char *id);
/* The motion a job gets when it names none: parallax for the built-in painter (its pictures
 * have depth layers), ken_burns for every other image model. */
const char *mv_motion_default(const char *model);

#endif /* MV_RENDER_H */
