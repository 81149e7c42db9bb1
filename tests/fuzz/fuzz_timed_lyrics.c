/*
 * fuzz_timed_lyrics.c - a job's lyrics_timed.json as found on disk: mv_timed_lyrics_load
 * (captions/timed_lyrics.c). What it accepts passes mv_timed_lyrics_check (the invariants
 * the caption renderer and the sidecar writers rely on) and saves again.
 */
#include "captions/mv_timed_lyrics.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char dir[256], path[512];
    fuzz_dir(dir, sizeof dir);
    fuzz_write_file(dir, "lyrics_timed.json", data, size, path, sizeof path);
    mv_timed_lyrics l;
    mv_error err;
    mv_error_clear(&err);
    if (mv_timed_lyrics_load(path, &l, &err) == MAIVID_OK) {
        if (mv_timed_lyrics_check(&l, 0, &err) != MAIVID_OK)
            abort(); /* accepted on reading, but breaks the record's invariants */
        if (mv_timed_lyrics_save(&l, path, &err) != MAIVID_OK && err.code != MAIVID_E_IO)
            abort();
        mv_timed_lyrics_free(&l);
    }
    unlink(path);
    return 0;
}
