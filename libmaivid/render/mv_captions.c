/*
 * mv_captions.c - the caption overlay of one render: a libass library, renderer and track
 * made from the ASS script of mv_caption_script.c, asked per frame for its bitmaps, which
 * are blended onto the frame with the line's fade. Which line is on screen is decided here
 * from the timed lyrics (start <= t < end), so timing is exact to the frame.
 */
#include "render/mv_caption_burn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <ass/ass.h>

/* libass talks through this callback; the library never prints. */
static void mv_ass_quiet(int level, const char *fmt, va_list args, void *data)
{
    (void)level;
    (void)fmt;
    (void)args;
    (void)data;
}

maivid_code mv_captions_open(mv_captions *c, const mv_timed_lyrics *lyrics, mv_caption_mode mode,
                             const mv_style_caption *look, int width, int height, mv_error *err)
{
    memset(c, 0, sizeof *c);
    c->width = width;
    c->height = height;
    if (mode == MV_CAPTIONS_OFF || !lyrics || lyrics->line_count == 0 || !look)
        return MAIVID_OK;
    c->lyrics = lyrics;
    c->shown = calloc(lyrics->line_count, 1);
    char *script = mv_caption_script(lyrics, mode, look, width, height);
    if (!c->shown || !script) {
        free(script);
        mv_captions_close(c);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the captions");
    }
    ASS_Library *lib = ass_library_init();
    if (lib)
        ass_set_message_cb(lib, mv_ass_quiet, NULL);
    ASS_Renderer *r = lib ? ass_renderer_init(lib) : NULL;
    c->library = lib;
    c->renderer = r;
    if (!r) {
        free(script);
        mv_captions_close(c);
        return mv_fail(err, MAIVID_E_RENDER, "libass could not start (no FreeType or "
                       "fontconfig?): reinstall libass9 or set captions to \"off\"");
    }
    ass_set_frame_size(r, width, height);
    ass_set_storage_size(r, width, height);
    ass_set_fonts(r, NULL, look->font, ASS_FONTPROVIDER_AUTODETECT, NULL, 1);
    c->track = ass_read_memory(lib, script, strlen(script), "UTF-8");
    free(script);
    if (!c->track) {
        mv_captions_close(c);
        return mv_fail(err, MAIVID_E_RENDER, "libass refused the caption script (a bug in the "
                       "caption layout): set captions to \"off\" and report this");
    }
    return MAIVID_OK;
}

/* The index of the line on screen at t, or -1. */
static long mv_caption_line_at(mv_captions *c, double t)
{
    const mv_timed_lyrics *l = c->lyrics;
    size_t i = c->cursor < l->line_count ? c->cursor : 0;
    if (i > 0 && t < l->lines[i].start)
        i = 0; /* went back in time (thumbnail): search from the start */
    while (i < l->line_count && t >= l->lines[i].end)
        i++;
    c->cursor = i;
    if (i < l->line_count && t >= l->lines[i].start)
        return (long)i;
    return -1;
}

void mv_captions_draw(mv_captions *c, double t, mv_yuv *frame)
{
    if (!c->track)
        return;
    long line = mv_caption_line_at(c, t);
    if (line < 0)
        return;
    const mv_timed_line *tl = &c->lyrics->lines[line];
    double opacity = mv_caption_opacity(tl->start, tl->end, t);
    if (opacity <= 0)
        return;
    /* ask libass for a time inside the line's own event (centisecond bounds) */
    long from_cs, to_cs;
    mv_caption_event_cs(c->lyrics, (size_t)line, &from_cs, &to_cs);
    long long now_ms = llround(t * 1000);
    if (now_ms < from_cs * 10LL)
        now_ms = from_cs * 10LL;
    if (now_ms > to_cs * 10LL - 1)
        now_ms = to_cs * 10LL - 1;
    int changed = 0;
    ASS_Image *img = ass_render_frame(c->renderer, c->track, now_ms, &changed);
    int drawn = 0;
    for (; img; img = img->next) {
        if (img->w <= 0 || img->h <= 0)
            continue;
        mv_caption_blend(frame, img->bitmap, img->stride, img->w, img->h, img->dst_x,
                         img->dst_y, img->color, opacity);
        drawn = 1;
    }
    if (drawn)
        c->shown[line] = 1;
}

size_t mv_captions_lines_shown(const mv_captions *c)
{
    size_t n = 0;
    for (size_t i = 0; c->shown && c->lyrics && i < c->lyrics->line_count; i++)
        n += c->shown[i];
    return n;
}

void mv_captions_close(mv_captions *c)
{
    if (c->track)
        ass_free_track(c->track);
    if (c->renderer)
        ass_renderer_done(c->renderer);
    if (c->library)
        ass_library_done(c->library);
    free(c->shown);
    memset(c, 0, sizeof *c);
}
