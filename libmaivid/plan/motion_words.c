/*
 * motion_words.c - the words that tell an image-to-video model how much to move, from the
 * scene plan: a chorus, a drop or a loud stretch moves more than a verse, an intro, an
 * outro or a quiet stretch.
 */
#include "plan/mv_plan.h"

#include <string.h>

const char *mv_plan_motion_words(const char *section, double energy)
{
    int big = section && (strstr(section, "chorus") || strstr(section, "drop") ||
                          strstr(section, "hook"));
    int calm = section && (strstr(section, "intro") || strstr(section, "outro") ||
                           strstr(section, "instrumental") || strstr(section, "bridge"));
    int known = energy >= 0;
    if (big || (known && energy >= 0.7))
        return "dynamic camera motion, fast movement, energetic action, flowing hair and "
               "cloth, light sweeping across the scene";
    if (calm || (known && energy < 0.35))
        return "slow gentle camera drift, subtle ambient motion, calm atmosphere";
    return "steady camera movement, natural motion, soft swaying";
}
