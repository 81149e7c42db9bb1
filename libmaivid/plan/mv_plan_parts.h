/*
 * mv_plan_parts.h - the pieces the scene planner is built from, shared between the small
 * files of libmaivid/plan/ (LRC tokens, section markers, imagery words, scene timing, motion
 * choice, the prompt writers). Internal to the plan module and its tests.
 */
#ifndef MV_PLAN_PARTS_H
#define MV_PLAN_PARTS_H

#include <stddef.h>
#include <stdint.h>

#include "plan/mv_lyrics.h"
#include "plan/mv_plan.h"

/* ---- LRC (lrc.c) ---- */

/* Parses the inside of a time tag, "mm:ss", "mm:ss.xx", "mm:ss:xx" or "h:mm:ss.xx" (len
 * bytes). Returns 1 and the seconds, or 0 when it is not a time. */
int mv_lrc_parse_time(const char *s, size_t len, double *seconds);
/* 1 when `line` (trimmed) is an LRC metadata tag such as [ar:...], [ti:...], [length:...],
 * [offset:...]. For [offset:+/-ms] *offset_ms is set (else left alone). */
int mv_lrc_metadata_tag(const char *line, long *offset_ms);
/* Removes enhanced-LRC word times "<mm:ss.xx>" from text in place; *first_time gets the
 * first one found (or stays as it was). */
void mv_lrc_strip_word_times(char *text, double *first_time);

/* ---- section markers (lyrics_markers.c) ---- */

/* Reads the inside of a bracketed line ("Verse 1", "CHORUS 2", "Pre-Chorus: soft").
 * Returns 1 with the canonical kind (intro, verse, pre-chorus, chorus, bridge, outro,
 * instrumental, hook) and its number (0 when none) when it names a section, else 0.
 * `strict`: the text must be only the kind, a number and a repeat count (for
 * "(Chorus)" and "Chorus:" lines, where sung words are possible). */
int mv_lyrics_marker_kind(const char *s, size_t len, int strict, const char **kind,
                          int *number);

/* ---- imagery words (imagery.c) ---- */

#define MV_IMAGERY_MAX 8

typedef enum mv_imagery_class {
    MV_IMAGERY_FIGURE = 0,  /* girl, stranger, dancer */
    MV_IMAGERY_PLACE,       /* city, ocean, highway */
    MV_IMAGERY_TIME,        /* midnight, dawn, summer */
    MV_IMAGERY_WEATHER,     /* rain, storm, fog */
    MV_IMAGERY_COLOUR,      /* red, golden, neon */
    MV_IMAGERY_THING,       /* fire, moon, roses */
    MV_IMAGERY_OTHER,       /* other content words */
    MV_IMAGERY_CLASS_COUNT
} mv_imagery_class;

typedef struct mv_imagery_word {
    char word[32];
    mv_imagery_class cls;
    int count;
} mv_imagery_word;

typedef struct mv_imagery {
    mv_imagery_word words[MV_IMAGERY_MAX];
    size_t count;
} mv_imagery;

/* Pulls up to `max` (<= MV_IMAGERY_MAX) key imagery words from text: known nouns, colours,
 * places, weather and times of day first, then other content words; stop words out.
 * Ordered by class priority, then frequency, then first appearance. Deterministic. */
void mv_imagery_extract(const char *text, size_t max, mv_imagery *out);
/* 1 when the lower-case word is a stop word. */
int mv_imagery_is_stop_word(const char *word);

/* Fills each scene's `drawn` and `unmatched` from what the built-in painter makes of its
 * prompt (drawn.c). */
maivid_code mv_plan_describe_scenes(const char *style_id, mv_plan *plan, mv_error *err);

/* ---- scene timing (timing.c) ---- */

#define MV_PLAN_MIN_SCENE 4.0     /* automatic scenes: about 4 .. 15 s */
#define MV_PLAN_MAX_SCENE 15.0
#define MV_PLAN_TARGET_SCENE 9.0
#define MV_PLAN_SNAP_TOLERANCE 0.6

/* Strong boundaries (times in (0, duration)) that the scene cuts should follow: the timed
 * lyrics' section starts, else the detected sections' starts. Caller frees *out. */
maivid_code mv_plan_structure_boundaries(const mv_analysis *a, const mv_lyrics *l,
                                         double **out, size_t *count, mv_error *err);
/* The scene count: `requested` when 1..120, else automatic from the structure and length. */
int mv_plan_auto_scene_count(double duration, const double *bounds, size_t bound_count);
/* Scene cut times: times[0] = 0, times[n] = duration, strictly increasing, internal cuts
 * on the strong boundaries where possible and snapped to downbeats/beats. `automatic`:
 * the count was chosen by mv_plan_auto_scene_count, so scenes keep within 4 .. 15 s.
 * `times` has room for n + 1 values. */
maivid_code mv_plan_scene_times(const mv_analysis *a, const double *bounds, size_t bound_count,
                                int n, int automatic, double *times, mv_error *err);
/* The time of `t` snapped to the nearest downbeat, else beat, within `tolerance`. */
double mv_plan_snap(const mv_analysis *a, double t, double tolerance);
/* Energy 0..1 of [start, end): the analysis' envelope (mv_analysis_energy_between), else
 * its sections' energies, else 0.5. */
double mv_plan_energy(const mv_analysis *a, double start, double end);

/* ---- lyric placement (placement.c) ---- */

/* Effective time of every lyric line: its LRC time, interpolated for untimed lines of a
 * timed lyric, or spread proportionally over the song by section for untimed lyrics; and
 * where each section starts. `times` has room for l->line_count values, `starts` for
 * l->section_count. */
void mv_plan_line_times(const mv_lyrics *l, double duration, double *times, double *starts);
/* Untimed lyrics only: moves each section start to the nearest scene cut (cuts[0..n-1],
 * in order) and spreads its lines evenly until the next section, so scenes and lyric
 * sections line up. */
void mv_plan_align_untimed(const mv_lyrics *l, const double *cuts, size_t scene_count,
                           double duration, double *times, double *starts);

/* ---- motion and transitions (motion.c) ---- */

/* How lively an id is: 0 calm, 1 medium, 2 lively (unknown ids: 1). */
int mv_plan_motion_liveliness(const char *motion);
int mv_plan_transition_liveliness(const char *transition);
/* Concrete motion for a scene of relative energy 0..1 (`level`, already scaled by the
 * style), `index` varies the pick, `previous` (may be NULL) is avoided. A scene with depth
 * layers (`depth_layers`) gets the parallax dolly where a calm or medium move fits; loud
 * scenes keep their zooms. */
const char *mv_plan_pick_motion(double level, uint64_t salt, const char *previous,
                                int depth_layers);
const char *mv_plan_pick_transition(double level, uint64_t salt);

/* ---- seeds and hashing (prompts.c) ---- */

#define MV_PLAN_SEED_FAMILY_STRIDE 1000
#define MV_PLAN_SEED_MASK ((int64_t)((UINT64_C(1) << 53) - 1)) /* exact in JSON numbers */

uint64_t mv_plan_hash(const char *s);
/* The base seed: `seed` when >= 0, else derived from the title. */
int64_t mv_plan_base_seed(int64_t seed, const char *title);

/* ---- the built-in and LLM writers ---- */

/* What the writers know about each scene, filled by mv_plan_build. */
typedef struct mv_plan_scene_info {
    const char *section;     /* kind, e.g. "chorus" */
    char *section_text;      /* all lines of the lyric section the scene lies in ("" none) */
    char *motif_key;         /* equal for repeats of a section (chorus that returns) */
    int family;              /* index of the motif family, in order of first appearance */
    int occurrence;          /* how many scenes of this family came before */
    int repeated;            /* 1 when its family has more than one section occurrence */
    double energy;           /* relative 0..1 */
} mv_plan_scene_info;

/* Fills prompt, negative_prompt and plan->subject (deterministic, offline). */
maivid_code mv_plan_write_builtin(const mv_plan_input *in, mv_plan *plan,
                                  const mv_plan_scene_info *info, mv_error *err);
/* Asks the configured chat-completions server for prompts. On MAIVID_OK the scenes'
 * prompts were replaced; otherwise the plan is unchanged and err says why. */
maivid_code mv_plan_write_llm(const mv_plan_input *in, mv_plan *plan, const mv_task *task,
                              mv_error *err);

#endif /* MV_PLAN_PARTS_H */
