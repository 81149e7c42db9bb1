/*
 * mv_paint_describe.c - says what the painter draws for a request without painting it: the
 * composed scene's motifs in order of prominence, then its sky bodies, setting and weather,
 * and the lyric's content words it could not draw (the storyboard's `drawn` and
 * `unmatched`).
 */
#include "paint/mv_paint_internal.h"

#include <string.h>

static void mv_list_add(mv_paint_subjects *out, const char *name)
{
    mv_word_list_add(out->drawn, &out->drawn_count, MV_PAINT_LIST_MAX, name);
}

maivid_code mv_paint_describe(const mv_paint_request *req, mv_paint_subjects *out,
                              mv_error *err)
{
    memset(out, 0, sizeof *out);
    if (!req)
        return mv_fail(err, MAIVID_E_INVALID, "no paint request to describe");
    mv_paint_request r = *req;
    if (r.width <= 0 || r.height <= 0) {
        r.width = 1920;
        r.height = 1080;
    }
    mv_scene s;
    maivid_code rc = mv_paint_compose(&r, &s, err);
    if (rc != MAIVID_OK)
        return rc;
    const mv_paint_words *w = &s.words;
    for (int i = 0; i < w->motif_count; i++)
        mv_list_add(out, mv_motif_get(w->motifs[i].id)->name);
    if (s.show_moon)
        mv_list_add(out, "moon");
    if (s.show_sun)
        mv_list_add(out, "sun");
    if (s.star_density >= 0.5f && !w->room)
        mv_list_add(out, "stars");
    if (s.space)
        mv_list_add(out, "space");
    if (w->planet)
        mv_list_add(out, "planet");
    if (w->room)
        mv_list_add(out, "room");
    if (s.ground == MV_GROUND_WATER)
        mv_list_add(out, w->river ? "river" : (w->lake && !w->sea ? "lake" : "sea"));
    if (s.beach)
        mv_list_add(out, "beach");
    static const char *const backdrops[] = {[MV_BACK_MOUNTAINS] = "mountains",
                                            [MV_BACK_HILLS] = "hills",
                                            [MV_BACK_DUNES] = "dunes",
                                            [MV_BACK_CITY] = "city"};
    if (s.backdrop != MV_BACK_NONE)
        mv_list_add(out, backdrops[s.backdrop]);
    if (w->forest)
        mv_list_add(out, "forest");
    if (w->storm)
        mv_list_add(out, "storm");
    if (w->lightning || w->storm)
        mv_list_add(out, "lightning");
    if (w->rain)
        mv_list_add(out, "rain");
    if (w->snow)
        mv_list_add(out, "snow");
    if (w->fog)
        mv_list_add(out, "mist");
    for (int i = 0; i < w->unmatched_count && i < MV_PAINT_LIST_MAX; i++)
        mv_strlcpy(out->unmatched[out->unmatched_count++], w->unmatched[i],
                   sizeof out->unmatched[0]);
    return MAIVID_OK;
}
