/*
 * write_srt.c - timed lyrics as a SubRip file: numbered cues, "HH:MM:SS,mmm --> ..." times
 * rounded to the millisecond, one lyric line per cue.
 */
#include "captions/mv_captions.h"

#include <stdio.h>

int mv_captions_srt(const mv_timed_lyrics *l, mv_buf *b)
{
    for (size_t i = 0; i < l->line_count; i++) {
        char a[32], z[32], head[96];
        mv_time_hms_ms(l->lines[i].start, ',', a, sizeof a);
        mv_time_hms_ms(l->lines[i].end, ',', z, sizeof z);
        snprintf(head, sizeof head, "%zu\n%s --> %s\n", i + 1, a, z);
        if (mv_buf_append_str(b, head) || mv_buf_append_str(b, l->lines[i].text) ||
            mv_buf_append_str(b, "\n\n"))
            return -1;
    }
    return b->data || mv_buf_append_str(b, "") == 0 ? 0 : -1;
}
