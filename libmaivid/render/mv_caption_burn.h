/*
 * mv_caption_burn.h - the song's words burned into the frames: the timed lyrics become an ASS
 * script built in memory (one event per lyric line, at most two balanced rows, bottom centre
 * inside the title-safe area, a size that scales with the frame, the style's font and
 * colours, a heavy outline and a shadow so the text reads on any picture, karaoke tags for
 * the sung word), libass shapes and rasterises it, and the bitmaps are alpha-blended onto the
 * render's YUV 4:2:0 frames with short fades in and out. A line shows exactly while
 * start <= t < end; nothing shows between lines.
 */
#ifndef MV_CAPTION_BURN_H
#define MV_CAPTION_BURN_H

#include <stddef.h>

#include "captions/mv_timed_lyrics.h"
#include "catalog/mv_catalog.h"
#include "catalog/mv_styles.h"
#include "render/mv_yuv.h"
#include "util/mv_common.h"

typedef enum mv_caption_mode {
    MV_CAPTIONS_OFF = 0,
    MV_CAPTIONS_LINES = 1,   /* the current line */
    MV_CAPTIONS_KARAOKE = 2  /* the current line, the sung word highlighted (needs word times) */
} mv_caption_mode;

/* The caption modes as a catalog (ids "off", "lines", "karaoke", in mode order). */
const mv_catalog_entry *mv_caption_modes(size_t *count);
/* "off", "lines", "karaoke". */
const char *mv_caption_mode_name(mv_caption_mode mode);
/* The mode named `id`, or -1 when unknown. */
int mv_caption_mode_from_id(const char *id);

/* Where and how large captions are on a width x height frame (pixels). */
typedef struct mv_caption_layout {
    double font_size;                  /* em size */
    int safe_x0, safe_y0, safe_x1, safe_y1; /* title-safe rectangle [x0,x1) x [y0,y1) */
    int margin_bottom;                 /* from the frame's bottom edge to the text's base */
    int max_chars;                     /* characters per row before breaking */
    double outline, shadow;            /* pixels */
} mv_caption_layout;

mv_caption_layout mv_caption_layout_for(int width, int height);

/* Splits `text` (UTF-8) into at most two rows for `max_chars`: returns the byte offset of
 * the space where the second row starts (the space is dropped), or 0 for one row. The break
 * balances the rows' lengths and prefers to follow punctuation. */
size_t mv_caption_break(const char *text, int max_chars);

/* The ASS script (UTF-8, malloc'd) for the lyrics: NULL when out of memory. In karaoke mode
 * lines with word times get \kf tags; the others show as plain lines. */
char *mv_caption_script(const mv_timed_lyrics *lyrics, mv_caption_mode mode,
                        const mv_style_caption *look, int width, int height);

/* The ASS event of line i in centiseconds: its start rounded down, its end rounded up but
 * never past the next line's event, so two events never overlap. */
void mv_caption_event_cs(const mv_timed_lyrics *lyrics, size_t i, long *from_cs, long *to_cs);

/* The fade applied to a line at time t: 0 outside [start, end), rising from 0.25 to 1 over
 * the fade-in and falling towards 0 over the fade-out, so the first and last frames of a
 * line already carry visible text (frame-exact timing). */
double mv_caption_opacity(double start, double end, double t);

/* A caption overlay for one render: owns its libass library, renderer and track. */
typedef struct mv_captions {
    void *library, *renderer, *track; /* ASS_Library, ASS_Renderer, ASS_Track */
    const mv_timed_lyrics *lyrics;    /* borrowed; must outlive the overlay */
    int width, height;
    unsigned char *shown;             /* per line: 1 once it was drawn on some frame */
    size_t cursor;                    /* line search hint (frames come mostly in order) */
} mv_captions;

/* Prepares the overlay. MAIVID_E_RENDER when libass cannot start. `lyrics` with zero lines
 * or mode OFF gives an overlay that draws nothing. */
maivid_code mv_captions_open(mv_captions *c, const mv_timed_lyrics *lyrics, mv_caption_mode mode,
                             const mv_style_caption *look, int width, int height, mv_error *err);
/* Draws the caption for time t (seconds) onto frame (width x height). */
void mv_captions_draw(mv_captions *c, double t, mv_yuv *frame);
/* Lines drawn on at least one frame so far. */
size_t mv_captions_lines_shown(const mv_captions *c);
void mv_captions_close(mv_captions *c);

/* Blends one 8-bit alpha bitmap of colour 0xRRGGBBAA (AA = transparency, as libass gives
 * it) at (x, y), scaled by opacity 0..1, onto frame (BT.709 limited range): luma per pixel,
 * chroma per 2x2 block with the block's mean alpha. Clipped to the frame. */
void mv_caption_blend(mv_yuv *frame, const unsigned char *bitmap, int stride, int w, int h,
                      int x, int y, unsigned rgba, double opacity);

#endif /* MV_CAPTION_BURN_H */
