/*
 * mv_caption_script.c - the caption layout rules and the ASS script built from the timed
 * lyrics: title-safe margins per frame shape, a size scaled to the frame, balanced two-row
 * breaks, the style's font and colours with an outline and a shadow, and karaoke \kf tags
 * from word times. Only text is made here; libass draws it (mv_captions.c).
 */
#include "render/mv_caption_burn.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "captions/mv_captions.h"
#include "util/mv_buf.h"

#define MV_CAPTION_MAX_ROW_CHARS 42  /* Netflix's row limit */
#define MV_CAPTION_FADE_IN 0.12      /* seconds */
#define MV_CAPTION_FADE_OUT 0.18
#define MV_CAPTION_MIN_SHRINK 0.6    /* a too-long row shrinks its font down to this */

/* in mv_caption_mode order */
static const mv_catalog_entry mv_caption_mode_table[] = {
    {"off", "Off", "No words on screen."},
    {"lines", "Lines", "The line being sung, at the bottom (the default)."},
    {"karaoke", "Karaoke", "The line being sung with each word lit as it is sung (needs word "
                           "times; otherwise lines)."},
};

const mv_catalog_entry *mv_caption_modes(size_t *count)
{
    if (count)
        *count = 3;
    return mv_caption_mode_table;
}

const char *mv_caption_mode_name(mv_caption_mode mode)
{
    return (unsigned)mode < 3 ? mv_caption_mode_table[mode].id : "off";
}

int mv_caption_mode_from_id(const char *id)
{
    for (int i = 0; id && i < 3; i++)
        if (strcmp(id, mv_caption_mode_table[i].id) == 0)
            return i;
    return -1;
}

mv_caption_layout mv_caption_layout_for(int width, int height)
{
    mv_caption_layout l;
    /* title-safe: the classic 80% rectangle, 10% in from every edge */
    l.safe_x0 = (int)lround(width * 0.10);
    l.safe_x1 = width - l.safe_x0;
    l.safe_y0 = (int)lround(height * 0.10);
    l.safe_y1 = height - l.safe_y0;
    /* 6.6% of the height on landscape frames; narrow frames are limited by their width */
    l.font_size = 0.066 * fmin((double)height, 0.9 * width);
    l.outline = fmax(2.0, l.font_size * 0.08);
    l.shadow = fmax(1.0, l.font_size * 0.045);
    /* portrait frames keep clear of the phone apps' controls at the bottom */
    double bottom = height > width ? 0.16 : 0.10;
    l.margin_bottom = (int)lround(height * bottom + l.outline + l.shadow + 2);
    int room = (int)((l.safe_x1 - l.safe_x0 - 2 * l.outline) / (0.55 * l.font_size));
    l.max_chars = room < MV_CAPTION_MAX_ROW_CHARS ? room : MV_CAPTION_MAX_ROW_CHARS;
    if (l.max_chars < 8)
        l.max_chars = 8;
    return l;
}

/* Display width of UTF-8 text in "characters": wide (CJK) characters count two. */
static int mv_text_width(const char *s, size_t n)
{
    int width = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        unsigned cp = c;
        size_t len = 1;
        if (c >= 0xF0) {
            len = 4;
            cp = 0x10000;
        } else if (c >= 0xE0) {
            len = 3;
            cp = i + 2 < n ? ((c & 0x0Fu) << 12) | (((unsigned char)s[i + 1] & 0x3Fu) << 6) |
                                 ((unsigned char)s[i + 2] & 0x3Fu)
                           : 0x800;
        } else if (c >= 0xC0) {
            len = 2;
            cp = 0x80;
        }
        width += cp >= 0x2E80 ? 2 : 1;
        i += len;
    }
    return width;
}

size_t mv_caption_break(const char *text, int max_chars)
{
    size_t n = strlen(text);
    if (mv_text_width(text, n) <= max_chars)
        return 0;
    size_t best = 0;
    double best_cost = 1e9;
    for (size_t p = 1; p + 1 < n; p++) {
        if (text[p] != ' ')
            continue;
        int a = mv_text_width(text, p), b = mv_text_width(text + p + 1, n - p - 1);
        double cost = a > b ? a : b;
        if (strchr(",;:.!?", text[p - 1]))
            cost -= 3; /* a clause ends here: a natural break */
        if (cost < best_cost) {
            best_cost = cost;
            best = p;
        }
    }
    return best;
}

double mv_caption_opacity(double start, double end, double t)
{
    if (!(t >= start && t < end))
        return 0;
    double in = 0.25 + 0.75 * (t - start) / MV_CAPTION_FADE_IN;
    double out = (end - t) / MV_CAPTION_FADE_OUT;
    double o = in < out ? in : out;
    return o > 1 ? 1 : o;
}

/* ASS colour &HAABBGGRR from 0xRRGGBB and an ASS transparency (0 opaque). */
static void mv_rgb_colour(char out[16], uint32_t rgb, unsigned alpha)
{
    mv_ass_colour(((rgb & 0xFFFFFFu) << 8) | (0xFFu - (alpha & 0xFFu)), out);
}

void mv_caption_event_cs(const mv_timed_lyrics *lyrics, size_t i, long *from_cs, long *to_cs)
{
    const mv_timed_line *line = &lyrics->lines[i];
    long from = (long)floor(line->start * 100 + 1e-6);
    long to = (long)ceil(line->end * 100 - 1e-6);
    if (i + 1 < lyrics->line_count) {
        long next = (long)floor(lyrics->lines[i + 1].start * 100 + 1e-6);
        if (to > next)
            to = next; /* never two events at once */
    }
    *from_cs = from < 0 ? 0 : from;
    *to_cs = to > *from_cs ? to : *from_cs + 1;
}

static int mv_appendf(mv_buf *b, const char *format, ...) __attribute__((format(printf, 2, 3)));
static int mv_appendf(mv_buf *b, const char *format, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(tmp, sizeof tmp, format, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp)
        return -1;
    return mv_buf_append(b, tmp, (size_t)n);
}

/* The size override for a line whose longest row is `longest` characters wide. */
static int mv_append_size(mv_buf *b, const mv_caption_layout *l, int longest)
{
    if (longest <= l->max_chars)
        return 0;
    double k = fmax(MV_CAPTION_MIN_SHRINK, (double)l->max_chars / longest);
    return mv_appendf(b, "{\\fs%.1f}", l->font_size * k);
}

static int mv_line_rows_width(const char *text, size_t brk)
{
    size_t n = strlen(text);
    if (!brk)
        return mv_text_width(text, n);
    int a = mv_text_width(text, brk), c = mv_text_width(text + brk + 1, n - brk - 1);
    return a > c ? a : c;
}

static int mv_event_lines(mv_buf *b, const mv_timed_line *line, const mv_caption_layout *l)
{
    size_t brk = mv_caption_break(line->text, l->max_chars);
    if (mv_append_size(b, l, mv_line_rows_width(line->text, brk)) != 0)
        return -1;
    size_t n = strlen(line->text);
    if (!brk)
        return mv_ass_append_text(b, line->text, n);
    if (mv_ass_append_text(b, line->text, brk) != 0 || mv_buf_append_str(b, "\\N") != 0)
        return -1;
    return mv_ass_append_text(b, line->text + brk + 1, n - brk - 1);
}

static int mv_event_karaoke(mv_buf *b, const mv_timed_line *line, const mv_caption_layout *l,
                            double event_start)
{
    mv_buf joined = {0};
    for (size_t i = 0; i < line->word_count; i++)
        if ((i && mv_buf_append_str(&joined, " ") != 0) ||
            mv_buf_append_str(&joined, line->words[i].text) != 0) {
            mv_buf_free(&joined);
            return -1;
        }
    const char *text = joined.data ? joined.data : "";
    size_t brk = mv_caption_break(text, l->max_chars);
    int rc = mv_append_size(b, l, mv_line_rows_width(text, brk));
    size_t offset = 0;
    long done_cs = 0; /* centiseconds after the event start already covered by tags */
    for (size_t i = 0; rc == 0 && i < line->word_count; i++) {
        const mv_timed_word *w = &line->words[i];
        long start_cs = lround((w->start - event_start) * 100);
        long end_cs = lround((w->end - event_start) * 100);
        if (i) {
            rc = mv_buf_append_str(b, brk && offset == brk + 1 ? "\\N" : " ");
        }
        if (rc == 0 && start_cs > done_cs)
            rc = mv_appendf(b, "{\\k%ld}", start_cs - done_cs);
        long dur = end_cs - (start_cs > done_cs ? start_cs : done_cs);
        if (rc == 0)
            rc = mv_appendf(b, "{\\kf%ld}", dur > 1 ? dur : 1);
        done_cs = (start_cs > done_cs ? start_cs : done_cs) + (dur > 1 ? dur : 1);
        if (rc == 0)
            rc = mv_ass_append_text(b, w->text, strlen(w->text));
        offset += strlen(w->text) + 1;
    }
    mv_buf_free(&joined);
    return rc;
}

static int mv_script_header(mv_buf *b, const mv_style_caption *look, mv_caption_mode mode,
                            const mv_caption_layout *l, int width, int height)
{
    char text[16], sung[16], outline[16], shadow[16];
    mv_rgb_colour(text, look->text, 0);
    mv_rgb_colour(sung, mode == MV_CAPTIONS_KARAOKE ? look->highlight : look->text, 0);
    mv_rgb_colour(outline, look->outline, 0);
    mv_rgb_colour(shadow, look->outline, 0x70);
    int margin_x = l->safe_x0 + (int)ceil(l->outline);
    if (mv_appendf(b, "[Script Info]\nScriptType: v4.00+\nPlayResX: %d\nPlayResY: %d\n"
                      "ScaledBorderAndShadow: yes\nWrapStyle: 2\nYCbCr Matrix: None\n\n",
                   width, height) != 0)
        return -1;
    if (mv_buf_append_str(b, "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, "
                             "SecondaryColour, OutlineColour, BackColour, Bold, Italic, "
                             "Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
                             "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, "
                             "MarginV, Encoding\n") != 0)
        return -1;
    /* karaoke: PrimaryColour is the sung part, SecondaryColour the part still to come */
    if (mv_appendf(b, "Style: Lyric,%s,%.1f,%s,%s,%s,%s,%d,0,0,0,100,100,0,0,1,%.1f,%.1f,2,"
                      "%d,%d,%d,1\n\n",
                   look->font, l->font_size, sung, text, outline, shadow,
                   look->bold ? -1 : 0, l->outline, l->shadow, margin_x, margin_x,
                   l->margin_bottom) != 0)
        return -1;
    return mv_buf_append_str(b, "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, "
                                "MarginR, MarginV, Effect, Text\n");
}

char *mv_caption_script(const mv_timed_lyrics *lyrics, mv_caption_mode mode,
                        const mv_style_caption *look, int width, int height)
{
    mv_caption_layout l = mv_caption_layout_for(width, height);
    mv_buf b = {0};
    int rc = mv_script_header(&b, look, mode, &l, width, height);
    for (size_t i = 0; rc == 0 && mode != MV_CAPTIONS_OFF && lyrics && i < lyrics->line_count;
         i++) {
        const mv_timed_line *line = &lyrics->lines[i];
        char from[32], to[32];
        long from_cs, to_cs;
        mv_caption_event_cs(lyrics, i, &from_cs, &to_cs);
        mv_ass_time(from_cs, from);
        mv_ass_time(to_cs, to);
        rc = mv_appendf(&b, "Dialogue: 0,%s,%s,Lyric,,0,0,0,,", from, to);
        double event_start = from_cs / 100.0;
        if (rc == 0)
            rc = mode == MV_CAPTIONS_KARAOKE && line->word_count > 0
                     ? mv_event_karaoke(&b, line, &l, event_start)
                     : mv_event_lines(&b, line, &l);
        if (rc == 0)
            rc = mv_buf_append_str(&b, "\n");
    }
    if (rc != 0) {
        mv_buf_free(&b);
        return NULL;
    }
    return b.data;
}
