/*
 * write_ass.c - timed lyrics as an Advanced SubStation Alpha script: [Script Info] with the
 * play resolution, one [V4+ Styles] style built from mv_ass_style, and one Dialogue event
 * per lyric line ("H:MM:SS.cc" times), with \k karaoke tags from the word times when the
 * style asks for karaoke and an optional \fad. The same script serves the captions.ass
 * sidecar and, in memory, libass (ass_read_memory) for burned-in captions.
 */
#include "captions/mv_captions.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void mv_ass_style_default(mv_ass_style *s)
{
    s->name = "Lyrics";
    s->font = "DejaVu Sans";
    s->font_size = 0;
    s->primary = 0xFFFFFFFFu;
    s->secondary = 0xB0B0B0FFu;
    s->outline = 0x000000FFu;
    s->shadow = 0x00000080u;
    s->outline_width = 3.0;
    s->shadow_depth = 1.0;
    s->alignment = 2;
    s->margin_v = 0;
    s->play_res_x = 1920;
    s->play_res_y = 1080;
    s->karaoke = 0;
    s->fade_in = 0;
    s->fade_out = 0;
}

/* ASS colours are &HAABBGGRR with AA the transparency (00 opaque). */
void mv_ass_colour(uint32_t rgba, char out[16])
{
    unsigned r = rgba >> 24, g = (rgba >> 16) & 0xff, b = (rgba >> 8) & 0xff;
    unsigned a = 0xff - (rgba & 0xff);
    snprintf(out, 16, "&H%02X%02X%02X%02X", a, b, g, r);
}

void mv_ass_time(long long cs, char out[32])
{
    if (cs < 0)
        cs = 0;
    snprintf(out, 32, "%lld:%02lld:%02lld.%02lld", cs / 360000, (cs / 6000) % 60,
             (cs / 100) % 60, cs % 100);
}

/* Seconds to the nearest centisecond (0 for a negative or non-finite time). */
static long long ass_cs(double t)
{
    return t > 0 && isfinite(t) ? llround(t * 100.0) : 0;
}

int mv_ass_append_text(mv_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '{')
            c = '(';
        else if (c == '}')
            c = ')';
        else if (c == '\\')
            c = '/';
        else if (c == '\n' || c == '\r' || c == '\t')
            c = ' ';
        if (mv_buf_append(b, &c, 1) != 0)
            return -1;
    }
    return 0;
}

static int append_text(mv_buf *b, const char *s)
{
    return mv_ass_append_text(b, s, strlen(s));
}

static int append_header(const mv_ass_style *st, mv_buf *b)
{
    int w = st->play_res_x > 0 ? st->play_res_x : 1920;
    int h = st->play_res_y > 0 ? st->play_res_y : 1080;
    double size = st->font_size > 0 ? st->font_size : h / 18.0;
    int margin_v = st->margin_v > 0 ? st->margin_v : h / 14;
    char primary[16], secondary[16], outline[16], shadow[16], text[1024];
    mv_ass_colour(st->primary, primary);
    mv_ass_colour(st->secondary, secondary);
    mv_ass_colour(st->outline, outline);
    mv_ass_colour(st->shadow, shadow);
    snprintf(text, sizeof text,
             "[Script Info]\nScriptType: v4.00+\nPlayResX: %d\nPlayResY: %d\n"
             "WrapStyle: 0\nScaledBorderAndShadow: yes\n\n"
             "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
             "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, "
             "Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, "
             "MarginV, Encoding\n"
             "Style: %s,%s,%.0f,%s,%s,%s,%s,0,0,0,0,100,100,0,0,1,%.1f,%.1f,%d,%d,%d,%d,1\n\n"
             "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, "
             "Effect, Text\n",
             w, h, st->name ? st->name : "Lyrics", st->font ? st->font : "DejaVu Sans", size,
             primary, secondary, outline, shadow, st->outline_width, st->shadow_depth,
             st->alignment > 0 ? st->alignment : 2, w / 20, w / 20, margin_v);
    return mv_buf_append_str(b, text);
}

int mv_captions_write_ass(const mv_timed_lyrics *l, const mv_ass_style *style, mv_buf *b)
{
    mv_ass_style defaults;
    mv_ass_style_default(&defaults);
    const mv_ass_style *st = style ? style : &defaults;
    if (append_header(st, b))
        return -1;
    for (size_t i = 0; i < l->line_count; i++) {
        const mv_timed_line *line = &l->lines[i];
        char a[32], z[32], head[160];
        mv_ass_time(ass_cs(line->start), a);
        mv_ass_time(ass_cs(line->end), z);
        snprintf(head, sizeof head, "Dialogue: 0,%s,%s,%s,,0,0,0,,", a, z,
                 st->name ? st->name : "Lyrics");
        if (mv_buf_append_str(b, head))
            return -1;
        if (st->fade_in > 0 || st->fade_out > 0) {
            snprintf(head, sizeof head, "{\\fad(%ld,%ld)}", lround(st->fade_in * 1000),
                     lround(st->fade_out * 1000));
            if (mv_buf_append_str(b, head))
                return -1;
        }
        if (st->karaoke && line->word_count > 0) {
            /* \k counts centiseconds from the event start: a gap before a word is an
             * empty \k of its own so each word lights up at its start */
            long long at = llround(line->start * 100.0);
            for (size_t w = 0; w < line->word_count; w++) {
                long long ws = llround(line->words[w].start * 100.0);
                long long we = llround(line->words[w].end * 100.0);
                if (ws > at) {
                    snprintf(head, sizeof head, "{\\k%lld}", ws - at);
                    if (mv_buf_append_str(b, head))
                        return -1;
                }
                snprintf(head, sizeof head, "%s{\\k%lld}", w ? " " : "", we > ws ? we - ws : 0);
                if (mv_buf_append_str(b, head) || append_text(b, line->words[w].text))
                    return -1;
                at = we > ws ? we : ws;
            }
        } else if (append_text(b, line->text)) {
            return -1;
        }
        if (mv_buf_append_str(b, "\n"))
            return -1;
    }
    return 0;
}
