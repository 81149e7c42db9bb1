/*
 * mv_render_catalog.c - the render engine's catalogs (transitions, motions, aspect ratios,
 * resolutions), the id checks the job validation uses, and the frame-size rule.
 */
#include "render/mv_render.h"

#include <math.h>
#include <string.h>

static const mv_catalog_entry mv_transition_table[] = {
    {"none", "Cut", "A hard cut at the scene boundary."},
    {"fade", "Crossfade", "The next scene fades in over the current one (the default)."},
    {"fadeblack", "Fade through black", "Fades to black, then up into the next scene."},
    {"fadewhite", "Fade through white", "Fades to white, then into the next scene."},
    {"dissolve", "Dissolve", "The next scene appears pixel by pixel in a random pattern."},
    {"wipeleft", "Wipe left", "An edge moves from right to left uncovering the next scene."},
    {"wiperight", "Wipe right", "An edge moves from left to right uncovering the next scene."},
    {"wipeup", "Wipe up", "An edge moves from bottom to top uncovering the next scene."},
    {"wipedown", "Wipe down", "An edge moves from top to bottom uncovering the next scene."},
    {"slideleft", "Slide left", "Both scenes slide to the left; the next enters from the right."},
    {"slideright", "Slide right", "Both scenes slide to the right; the next enters from the left."},
    {"slideup", "Slide up", "Both scenes slide up; the next enters from the bottom."},
    {"slidedown", "Slide down", "Both scenes slide down; the next enters from the top."},
    {"circleopen", "Circle open", "The next scene appears in a circle growing from the centre."},
    {"circleclose", "Circle close", "The current scene shrinks into a closing circle."},
    {"zoomin", "Zoom in", "The current scene zooms in while the next fades in."},
    {"pixelize", "Pixelize", "The picture breaks into blocks, switches scene, and sharpens."},
    {"radial", "Radial", "A clock hand sweeps around uncovering the next scene."},
    {"wipe", "Wipe", "Alias of wiperight (the original program's name)."},
};

static const mv_catalog_entry mv_motion_table[] = {
    {"ken_burns", "Ken Burns", "A slow zoom with a drift; direction varies from scene to scene."},
    {"zoom_in", "Zoom in", "A slow push towards the centre."},
    {"zoom_out", "Zoom out", "A slow pull back from the centre."},
    {"pan_left", "Pan left", "The view glides to the left."},
    {"pan_right", "Pan right", "The view glides to the right."},
    {"pan_up", "Pan up", "The view glides upwards."},
    {"pan_down", "Pan down", "The view glides downwards."},
    {"static", "Static", "No motion: the whole picture stays still."},
    {"parallax", "Parallax",
     "A sideways camera move in depth: near things pass faster than far ones (the built-in "
     "painter's layers; one layer for other images). The default with the built-in painter."},
};

static const mv_catalog_entry mv_aspect_table[] = {
    {"16:9", "Landscape", "Widescreen, for YouTube and desktop players."},
    {"9:16", "Portrait", "Vertical, for phones (Shorts, Reels, TikTok)."},
    {"1:1", "Square", "Square, for feeds."},
    {"4:3", "Classic", "The classic TV shape."},
    {"21:9", "Ultrawide", "Cinema widescreen."},
};

/* numerator and denominator of each aspect id, in the table's order */
static const int mv_aspect_ratio_terms[][2] = {{16, 9}, {9, 16}, {1, 1}, {4, 3}, {21, 9}};

static const mv_catalog_entry mv_resolution_table[] = {
    {"480p", "480p", "Short side 480 pixels."},
    {"720p", "720p (HD)", "Short side 720 pixels."},
    {"1080p", "1080p (Full HD)", "Short side 1080 pixels (the default)."},
    {"1440p", "1440p (QHD)", "Short side 1440 pixels."},
    {"2160p", "2160p (4K)", "Short side 2160 pixels."},
};

static const int mv_resolution_short_side[] = {480, 720, 1080, 1440, 2160};

#define MV_COUNT(table) (sizeof(table) / sizeof((table)[0]))

const mv_catalog_entry *mv_transitions(size_t *count)
{
    if (count)
        *count = MV_COUNT(mv_transition_table);
    return mv_transition_table;
}

const mv_catalog_entry *mv_motions(size_t *count)
{
    if (count)
        *count = MV_COUNT(mv_motion_table);
    return mv_motion_table;
}

const mv_catalog_entry *mv_aspect_ratios(size_t *count)
{
    if (count)
        *count = MV_COUNT(mv_aspect_table);
    return mv_aspect_table;
}

const mv_catalog_entry *mv_resolutions(size_t *count)
{
    if (count)
        *count = MV_COUNT(mv_resolution_table);
    return mv_resolution_table;
}

static int mv_catalog_index(const mv_catalog_entry *table, size_t count, const char *id)
{
    if (!id)
        return -1;
    for (size_t i = 0; i < count; i++)
        if (strcmp(table[i].id, id) == 0)
            return (int)i;
    return -1;
}

int mv_transition_known(const char *id)
{
    return mv_catalog_index(mv_transition_table, MV_COUNT(mv_transition_table), id) >= 0;
}

const char *mv_motion_default(const char *model)
{
    return model && strcmp(model, "procedural") == 0 ? "parallax" : "ken_burns";
}

int mv_motion_known(const char *id)
{
    return mv_catalog_index(mv_motion_table, MV_COUNT(mv_motion_table), id) >= 0;
}

static int mv_round_even(double v)
{
    return 2 * (int)lround(v / 2.0);
}

maivid_code mv_frame_size(const char *aspect, const char *resolution, int *width, int *height,
                          mv_error *err)
{
    char valid[256];
    int a = mv_catalog_index(mv_aspect_table, MV_COUNT(mv_aspect_table), aspect);
    if (a < 0) {
        mv_catalog_list_ids(mv_aspect_table, MV_COUNT(mv_aspect_table), sizeof(mv_catalog_entry),
                            valid, sizeof valid);
        return mv_fail(err, MAIVID_E_INVALID, "unknown aspect_ratio \"%s\": use one of %s",
                       aspect ? aspect : "(null)", valid);
    }
    int r = mv_catalog_index(mv_resolution_table, MV_COUNT(mv_resolution_table), resolution);
    if (r < 0) {
        mv_catalog_list_ids(mv_resolution_table, MV_COUNT(mv_resolution_table),
                            sizeof(mv_catalog_entry), valid, sizeof valid);
        return mv_fail(err, MAIVID_E_INVALID, "unknown resolution \"%s\": use one of %s",
                       resolution ? resolution : "(null)", valid);
    }
    int num = mv_aspect_ratio_terms[a][0], den = mv_aspect_ratio_terms[a][1];
    int short_side = mv_resolution_short_side[r];
    if (num >= den) {
        *height = short_side;
        *width = mv_round_even((double)short_side * num / den);
    } else {
        *width = short_side;
        *height = mv_round_even((double)short_side * den / num);
    }
    return MAIVID_OK;
}
