/*
 * fuzz_stt_reply.c - a speech-to-text server's answer (OpenAI-compatible verbose_json:
 * "text" and timed "segments"), turned into lyrics: mv_stt_answer_to_lyrics
 * (ingest/transcribe.c); the lyrics it makes must parse.
 */
#include "fuzz_util.h"
#include "ingest/mv_ingest_internal.h"
#include "plan/mv_lyrics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *lyrics = NULL;
    mv_error err;
    mv_error_clear(&err);
    if (mv_stt_answer_to_lyrics((const char *)data, size, &lyrics, &err) == MAIVID_OK &&
        lyrics) {
        mv_lyrics l;
        if (mv_lyrics_parse(lyrics, &l, &err) != MAIVID_OK)
            abort();
        mv_lyrics_free(&l);
    }
    free(lyrics);
    return 0;
}
