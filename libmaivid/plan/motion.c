/*
 * motion.c - the "auto" choice of camera motion and transition for a scene: still or slow
 * moves and soft dissolves where the music is quiet, zooms, Ken Burns and wipes or slides
 * where it is loud; over pictures with depth layers (the built-in painter's) the parallax
 * dolly wherever the music is not loud. Only ids the render module's catalog knows are
 * emitted.
 */
#include "plan/mv_plan_parts.h"

#include <string.h>

static const char *const mv_calm_motions[] = {"static", "zoom_out", "pan_left", "pan_right"};
static const char *const mv_medium_motions[] = {"zoom_out", "pan_left", "pan_right", "pan_up",
                                                "pan_down", "zoom_in"};
static const char *const mv_lively_motions[] = {"ken_burns", "zoom_in"};

static const char *const mv_calm_transitions[] = {"fade", "dissolve", "fadeblack"};
static const char *const mv_medium_transitions[] = {"dissolve", "fade", "slideleft",
                                                    "slideright", "fadewhite"};
static const char *const mv_lively_transitions[] = {"wipeleft", "slideleft", "zoomin",
                                                    "circleopen", "wiperight", "slideup",
                                                    "slideright", "radial"};

#define MV_COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int mv_in_list(const char *id, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(id, list[i]) == 0)
            return 1;
    return 0;
}

int mv_plan_motion_liveliness(const char *motion)
{
    if (!motion)
        return 1;
    if (strcmp(motion, "static") == 0)
        return 0;
    if (strcmp(motion, "ken_burns") == 0 || strcmp(motion, "zoom_in") == 0)
        return 2;
    return 1; /* slow zoom out and pans */
}

int mv_plan_transition_liveliness(const char *transition)
{
    if (!transition)
        return 1;
    if (mv_in_list(transition, mv_calm_transitions, MV_COUNT(mv_calm_transitions)) ||
        strcmp(transition, "none") == 0)
        return 0;
    if (mv_in_list(transition, mv_lively_transitions, MV_COUNT(mv_lively_transitions)) ||
        strcmp(transition, "pixelize") == 0 || strcmp(transition, "circleclose") == 0 ||
        strncmp(transition, "wipe", 4) == 0 || strcmp(transition, "slidedown") == 0)
        return 2;
    return 1;
}

/* Energy bands: below 0.35 calm, above 0.65 lively. */
static int mv_plan_band(double level)
{
    return level < 0.35 ? 0 : level > 0.65 ? 2 : 1;
}

const char *mv_plan_pick_motion(double level, uint64_t salt, const char *previous,
                                int depth_layers)
{
    const char *const *list;
    size_t n;
    int band = mv_plan_band(level);
    if (depth_layers && band < 2)
        return "parallax"; /* a slow dolly over the layers; its direction varies per scene */
    switch (band) {
    case 0: list = mv_calm_motions; n = MV_COUNT(mv_calm_motions); break;
    case 2: list = mv_lively_motions; n = MV_COUNT(mv_lively_motions); break;
    default: list = mv_medium_motions; n = MV_COUNT(mv_medium_motions); break;
    }
    const char *pick = list[salt % n];
    if (previous && strcmp(pick, previous) == 0)
        pick = list[(salt + 1) % n];
    return pick;
}

const char *mv_plan_pick_transition(double level, uint64_t salt)
{
    switch (mv_plan_band(level)) {
    case 0: return mv_calm_transitions[salt % MV_COUNT(mv_calm_transitions)];
    case 2: return mv_lively_transitions[salt % MV_COUNT(mv_lively_transitions)];
    default: return mv_medium_transitions[salt % MV_COUNT(mv_medium_transitions)];
    }
}
