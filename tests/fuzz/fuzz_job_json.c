/*
 * fuzz_job_json.c - a stored job record (<data>/jobs/<id>/job.json, read back at every server
 * start): mv_job_load (engine/job_json.c), then the record and status views of what it
 * accepted, as the engine writes and serves them.
 */
#include <cjson/cJSON.h>

#include "engine/mv_job_json.h"
#include "fuzz_util.h"

#define FUZZ_JOB_ID "job_20250516_123456_abcdef12" /* the seed corpus uses this id */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char base[256], dir[512], path[600];
    fuzz_dir(base, sizeof base);
    snprintf(dir, sizeof dir, "%s/%s", base, FUZZ_JOB_ID);
    mkdir(dir, 0700);
    fuzz_write_file(dir, "job.json", data, size, path, sizeof path);
    mv_job *job = NULL;
    mv_error err;
    mv_error_clear(&err);
    if (mv_job_load(dir, &job, &err) == MAIVID_OK && job) {
        for (int view = MV_JOB_VIEW_RECORD; view <= MV_JOB_VIEW_STATUS; view++) {
            cJSON *json = mv_job_to_json(job, (mv_job_view)view, 0, -1);
            char *text = json ? cJSON_PrintUnformatted(json) : NULL;
            cJSON_free(text);
            cJSON_Delete(json);
        }
        mv_job_free(job);
    }
    unlink(path);
    return 0;
}
