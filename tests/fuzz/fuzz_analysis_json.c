/*
 * fuzz_analysis_json.c - a job's analysis.json as found on disk (possibly edited, or written
 * by another version): mv_analysis_load (analysis/json.c). What it accepts must be what the
 * planner relies on (times sorted within [0, duration], sections tiling the song) and must
 * save again: the writer runs the same checks.
 */
#include "analysis/mv_analysis.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char dir[256], path[512];
    fuzz_dir(dir, sizeof dir);
    fuzz_write_file(dir, "analysis.json", data, size, path, sizeof path);
    mv_analysis a;
    mv_error err;
    mv_error_clear(&err);
    if (mv_analysis_load(path, &a, &err) == MAIVID_OK) {
        for (size_t i = 0; i < a.beat_count; i++)
            if (a.beats[i] < 0 || a.beats[i] > a.duration || (i && a.beats[i] < a.beats[i - 1]))
                abort();
        if (a.section_count == 0)
            abort();
        (void)mv_analysis_energy_between(&a, 0, a.duration);
        if (mv_analysis_save(&a, path, &err) != MAIVID_OK && err.code != MAIVID_E_IO)
            abort(); /* accepted on reading, refused on writing: reader and writer disagree */
        mv_analysis_free(&a);
    }
    unlink(path);
    return 0;
}
