/*
 * drawn.c - each scene says what it shows: asks the built-in painter what it makes of the
 * scene's prompt and seed (the subjects it draws, most prominent first, and the lyric's
 * content words it cannot draw) and keeps both as comma-separated lists on the scene.
 */
#include "plan/mv_plan_parts.h"
#include "paint/mv_paint.h"

#include <stdlib.h>
#include <string.h>

static char *mv_join(char list[][24], int count)
{
    size_t total = 1;
    for (int i = 0; i < count; i++)
        total += strlen(list[i]) + 1;
    char *out = malloc(total);
    if (!out)
        return NULL;
    out[0] = '\0';
    for (int i = 0; i < count; i++) {
        if (i)
            strcat(out, ",");
        strcat(out, list[i]);
    }
    return out;
}

maivid_code mv_plan_describe_scenes(const char *style_id, mv_plan *plan, mv_error *err)
{
    for (size_t i = 0; i < plan->scene_count; i++) {
        mv_plan_scene *sc = &plan->scenes[i];
        mv_paint_request req = {sc->prompt, style_id, (uint64_t)sc->seed, 0, 0};
        mv_paint_subjects subjects;
        maivid_code rc = mv_paint_describe(&req, &subjects, err);
        if (rc != MAIVID_OK)
            return rc;
        free(sc->drawn);
        free(sc->unmatched);
        sc->drawn = mv_join(subjects.drawn, subjects.drawn_count);
        sc->unmatched = mv_join(subjects.unmatched, subjects.unmatched_count);
        if (!sc->drawn || !sc->unmatched)
            return mv_fail(err, MAIVID_E_NOMEM, "out of memory while describing scenes");
    }
    return MAIVID_OK;
}
