/*
 * write_vtt.c - timed lyrics as a WebVTT file: the header, then one cue per lyric line
 * ("HH:MM:SS.mmm --> ..."); with word times, karaoke timestamp tags before each word after
 * the first, which players that know them use to highlight the sung word.
 */
#include "captions/mv_captions.h"

#include <stdio.h>
#include <string.h>

/* "<" and "&" would open markup in a cue: escaped. */
static int append_escaped(mv_buf *b, const char *s)
{
    for (; *s; s++) {
        const char *e = *s == '<' ? "&lt;" : *s == '&' ? "&amp;" : *s == '>' ? "&gt;" : NULL;
        if (e ? mv_buf_append_str(b, e) : mv_buf_append(b, s, 1))
            return -1;
    }
    return 0;
}

int mv_captions_vtt(const mv_timed_lyrics *l, mv_buf *b)
{
    if (mv_buf_append_str(b, "WEBVTT\n\n"))
        return -1;
    for (size_t i = 0; i < l->line_count; i++) {
        const mv_timed_line *line = &l->lines[i];
        char a[32], z[32], head[96];
        mv_time_hms_ms(line->start, '.', a, sizeof a);
        mv_time_hms_ms(line->end, '.', z, sizeof z);
        snprintf(head, sizeof head, "%s --> %s\n", a, z);
        if (mv_buf_append_str(b, head))
            return -1;
        if (line->word_count == 0) {
            if (append_escaped(b, line->text))
                return -1;
        } else {
            for (size_t w = 0; w < line->word_count; w++) {
                char tag[40];
                mv_time_hms_ms(line->words[w].start, '.', tag + 1, sizeof tag - 2);
                tag[0] = '<';
                strcat(tag, ">");
                if ((w > 0 && (mv_buf_append_str(b, " ") || mv_buf_append_str(b, tag))) ||
                    append_escaped(b, line->words[w].text))
                    return -1;
            }
        }
        if (mv_buf_append_str(b, "\n\n"))
            return -1;
    }
    return 0;
}
