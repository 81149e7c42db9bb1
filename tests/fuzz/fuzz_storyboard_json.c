/*
 * fuzz_storyboard_json.c - a job's storyboard.json as found on disk (users may edit it to
 * re-plan scenes): mv_plan_load (plan/storyboard_json.c). Scenes it accepts follow one
 * another.
 */
#include "fuzz_util.h"
#include "plan/mv_plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char dir[256], path[512];
    fuzz_dir(dir, sizeof dir);
    fuzz_write_file(dir, "storyboard.json", data, size, path, sizeof path);
    mv_plan plan;
    mv_error err;
    mv_error_clear(&err);
    if (mv_plan_load(path, &plan, &err) == MAIVID_OK) {
        if (plan.scene_count == 0)
            abort();
        mv_plan_free(&plan);
    }
    unlink(path);
    return 0;
}
