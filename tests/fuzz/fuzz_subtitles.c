/*
 * fuzz_subtitles.c - timed lyrics a user gives: enhanced LRC, SRT and WebVTT
 * (captions/parse_lrc.c, parse_srt.c, parse_vtt.c, cues.c, format.c), each parser fed the
 * same text, then the detecting entry point with a song length. What a parser accepts must
 * pass mv_timed_lyrics_check (the invariants the caption renderer relies on) and go through
 * every sidecar writer (captions/write_*.c).
 */
#include "captions/mv_captions.h"
#include "fuzz_util.h"

static void check_and_write(mv_timed_lyrics *l, double duration)
{
    mv_error err;
    mv_error_clear(&err);
    if (mv_timed_lyrics_check(l, duration, &err) != MAIVID_OK)
        abort(); /* accepted, but breaks the invariants the renderer relies on */
    mv_buf b = {0};
    if (mv_captions_srt(l, &b) != 0 || mv_captions_vtt(l, &b) != 0 ||
        mv_captions_lrc(l, &b) != 0 || mv_captions_write_ass(l, NULL, &b) != 0)
        abort();
    mv_buf_free(&b);
    mv_timed_lyrics_free(l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstring(data, size);
    maivid_code (*const parsers[])(const char *, mv_timed_lyrics *, mv_error *) = {
        mv_lrc_parse_timed, mv_srt_parse, mv_vtt_parse};
    for (size_t i = 0; i < sizeof parsers / sizeof parsers[0]; i++) {
        mv_timed_lyrics l;
        mv_error err;
        mv_error_clear(&err);
        if (parsers[i](text, &l, &err) == MAIVID_OK)
            check_and_write(&l, 0);
        else if (l.line_count != 0 || l.lines != NULL)
            abort(); /* a refused text must leave nothing behind */
    }
    mv_timed_lyrics l;
    mv_error err;
    mv_error_clear(&err);
    if (mv_user_timed_parse(text, 30.0, &l, &err) == MAIVID_OK)
        check_and_write(&l, 30.0);
    mv_error_clear(&err);
    (void)mv_user_lyrics_check(text, &err);
    free(text);
    return 0;
}
