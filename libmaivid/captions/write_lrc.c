/*
 * write_lrc.c - timed lyrics as LRC: a section marker where the section changes, each line
 * as "[mm:ss.xx]text", enhanced "<mm:ss.xx>" word tags (and a closing tag at the line's
 * end) when the lyrics have word times, and an empty "[mm:ss.xx]" line where a line ends
 * before the next one begins, so players (and our parser) clear it in time.
 */
#include "captions/mv_captions.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* "[Verse]" from "verse", "[Pre-Chorus]" from "pre-chorus". */
static int append_marker(mv_buf *b, const char *section)
{
    char m[40];
    size_t n = 0;
    m[n++] = '[';
    for (size_t i = 0; section[i] && n + 2 < sizeof m; i++)
        m[n++] = (char)(i == 0 || section[i - 1] == '-' ? toupper((unsigned char)section[i])
                                                        : section[i]);
    m[n++] = ']';
    m[n] = '\0';
    return mv_buf_append_str(b, m);
}

int mv_captions_lrc(const mv_timed_lyrics *l, mv_buf *b)
{
    const char *section = NULL;
    for (size_t i = 0; i < l->line_count; i++) {
        const mv_timed_line *line = &l->lines[i];
        char t[32], stamp[40];
        mv_time_lrc(line->start, t, sizeof t);
        snprintf(stamp, sizeof stamp, "[%s]", t);
        if (line->section && (!section || strcmp(section, line->section) != 0)) {
            if (mv_buf_append_str(b, stamp) || append_marker(b, line->section) ||
                mv_buf_append_str(b, "\n"))
                return -1;
        }
        section = line->section;
        if (mv_buf_append_str(b, stamp))
            return -1;
        if (line->word_count == 0) {
            if (mv_buf_append_str(b, line->text))
                return -1;
        } else {
            for (size_t w = 0; w < line->word_count; w++) {
                mv_time_lrc(line->words[w].start, t, sizeof t);
                snprintf(stamp, sizeof stamp, "%s<%s>", w ? " " : "", t);
                if (mv_buf_append_str(b, stamp) || mv_buf_append_str(b, line->words[w].text))
                    return -1;
            }
            mv_time_lrc(line->end, t, sizeof t);
            snprintf(stamp, sizeof stamp, " <%s>", t);
            if (mv_buf_append_str(b, stamp))
                return -1;
        }
        if (mv_buf_append_str(b, "\n"))
            return -1;
        int gap = i + 1 == l->line_count || l->lines[i + 1].start > line->end + 0.005;
        if (gap && line->word_count == 0) {
            mv_time_lrc(line->end, t, sizeof t);
            snprintf(stamp, sizeof stamp, "[%s]\n", t);
            if (mv_buf_append_str(b, stamp))
                return -1;
        }
    }
    return b->data || mv_buf_append_str(b, "") == 0 ? 0 : -1;
}
