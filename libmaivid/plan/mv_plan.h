/*
 * mv_plan.h - the scene planner (stage scene_planning): analysis + lyrics + style -> the
 * storyboard: scenes tiling the song with start/end times on beats, lyric text, prompt,
 * negative prompt, seed, motion and transition. Saved as storyboard.json.
 */
#ifndef MV_PLAN_H
#define MV_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "analysis/mv_analysis.h"
#include "plan/mv_lyrics.h"
#include "util/mv_common.h"

/* The most chained clips one scene may get (a longer scene slows its clips down). */
#define MV_PLAN_MAX_CLIPS 16

typedef struct mv_plan_scene {
    int index;
    double start, end;
    char *section;      /* lyric or detected section kind, e.g. "chorus", "instrumental" */
    char *lyrics;       /* the scene's lyric lines joined by '\n' ("" when none) */
    char *prompt;
    char *negative_prompt;
    int64_t seed;
    char *motion;       /* concrete motion id (never "auto") */
    char *transition;   /* concrete transition id into the next scene (never "auto") */
    double transition_duration;
    char *drawn;        /* what the built-in painter draws, most prominent first: "a,b,c" */
    char *unmatched;    /* the lyric's content words it cannot draw: "a,b" */
    int clips;          /* a moving scene (animate): how many chained clips fill it; 0: not
                         * planned (the animate pass works it out from the scene's length) */
} mv_plan_scene;

typedef struct mv_plan {
    mv_plan_scene *scenes; size_t scene_count;
    char *subject;      /* the subject/setting line shared by every prompt */
} mv_plan;

/* Optional OpenAI-compatible chat-completions prompt writer. url NULL: off. */
typedef struct mv_llm_config {
    const char *url;    /* base, e.g. http://127.0.0.1:11434 (POST <url>/v1/chat/completions) */
    const char *model;
    const char *api_key;
    double timeout;     /* seconds */
} mv_llm_config;

typedef struct mv_plan_input {
    const mv_analysis *analysis; /* required: duration, beats, sections, energy */
    const mv_lyrics *lyrics;     /* may have zero lines */
    const char *title, *artist, *tags;
    const char *style_id;        /* validated already */
    int scene_count;             /* 0: automatic */
    const char *motion;          /* motion id or "auto" */
    const char *transition;      /* transition id or "auto" */
    double transition_duration;
    int64_t seed;                /* base seed (-1: derived from title) */
    mv_llm_config llm;
    double max_scene_seconds;    /* > 0 (scenes that become video-model clips): an automatic
                                  * count makes scenes at most about this long, still cut on
                                  * beats; 0: no limit */
    int depth_layers;            /* 1: the scenes' pictures come with depth layers (the
                                  * built-in painter), so "auto" motion may pick parallax */
} mv_plan_input;

maivid_code mv_plan_build(const mv_plan_input *in, mv_plan *out, const mv_task *task,
                          mv_error *err);
void mv_plan_free(mv_plan *p);
maivid_code mv_plan_save(const mv_plan *p, const char *path, mv_error *err);
maivid_code mv_plan_load(const char *path, mv_plan *out, mv_error *err);

/* How much an image-to-video model should move a scene, as prompt words: more for a chorus
 * (or drop, hook) or loud energy (>= 0.7, relative), less for an intro, outro, bridge,
 * instrumental or quiet energy (< 0.35). energy < 0: unknown. */
const char *mv_plan_motion_words(const char *section, double energy);

#endif /* MV_PLAN_H */
