/*
 * fuzz_lyrics.c - lyrics from outside (the request's "lyrics", Suno's text, embedded tags, a
 * transcriber's answer): mv_lyrics_parse, which takes plain text, section markers and LRC
 * (plan/lyrics_parse.c, lrc.c, lyrics_markers.c). Checks what every caller relies on:
 * sections cover the lines in order, times are -1 or finite and >= 0.
 */
#include <math.h>

#include "fuzz_util.h"
#include "plan/mv_lyrics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstring(data, size);
    mv_lyrics l;
    mv_error err;
    mv_error_clear(&err);
    if (mv_lyrics_parse(text, &l, &err) == MAIVID_OK) {
        size_t next = 0;
        for (size_t s = 0; s < l.section_count; s++) {
            if (l.sections[s].first_line != next || !l.sections[s].kind)
                abort();
            next += l.sections[s].line_count;
        }
        if (next != l.line_count)
            abort();
        for (size_t i = 0; i < l.line_count; i++)
            if (!l.lines[i].text || l.lines[i].section >= l.section_count ||
                !(l.lines[i].time == -1 || (isfinite(l.lines[i].time) && l.lines[i].time >= 0)))
                abort();
        mv_lyrics_free(&l);
    }
    free(text);
    return 0;
}
