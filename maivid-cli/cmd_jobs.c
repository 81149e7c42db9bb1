/*
 * cmd_jobs.c - `list`, `status` and `cancel` in local mode: the jobs stored in the data
 * directory, read through libmaivid.
 */
#include "cli.h"
#include "data_lock.h"

#include <stdio.h>

/* The job's status as parsed JSON, or NULL after printing why (*rc set). */
static cJSON *mv_cli_status_json(maivid_engine *engine, const char *job_id, int *rc)
{
    maivid_status *status = NULL;
    maivid_code code = maivid_job_status(engine, job_id, &status);
    if (code == MAIVID_E_NOT_FOUND) {
        mv_cli_error("no job %s in this data directory: see 'maivid-cli list'", job_id);
        *rc = MV_CLI_EXIT_FAILED;
        return NULL;
    }
    if (code != MAIVID_OK) {
        mv_cli_error("cannot read job %s: %s", job_id, maivid_strerror(code));
        *rc = MV_CLI_EXIT_FAILED;
        return NULL;
    }
    char *text = maivid_status_to_json(status, 0);
    maivid_status_free(status);
    cJSON *json = text ? cJSON_Parse(text) : NULL;
    maivid_free(text);
    if (!json) {
        mv_cli_error("out of memory");
        *rc = MV_CLI_EXIT_FAILED;
    }
    return json;
}

static int mv_cli_check_job_id(const char *command, const char *job_id)
{
    if (maivid_job_id_valid(job_id))
        return MV_CLI_EXIT_OK;
    return mv_cli_usage_error(command, "'%s' is not a job id (they look like "
                              "job_20250516_123456_abcdef12; see 'maivid-cli list')", job_id);
}

int mv_cli_cmd_list(const mv_cli_opts *opts)
{
    maivid_engine *engine = NULL;
    int rc = mv_cli_engine_open(opts, 0, &engine);
    if (rc)
        return rc;
    char **ids = NULL;
    size_t count = 0;
    maivid_code code = maivid_job_list(engine, &ids, &count);
    if (code != MAIVID_OK) {
        mv_cli_error("cannot list the jobs: %s", maivid_strerror(code));
        maivid_engine_close(engine);
        return MV_CLI_EXIT_FAILED;
    }
    cJSON *statuses = cJSON_CreateArray();
    for (size_t i = 0; i < count; i++) {
        int ignored = 0;
        cJSON *status = mv_cli_status_json(engine, ids[i], &ignored);
        if (status)
            cJSON_AddItemToArray(statuses, status);
    }
    maivid_free(ids);
    maivid_engine_close(engine);
    if (opts->json)
        mv_cli_print_json(statuses);
    else
        mv_cli_print_job_table(statuses);
    cJSON_Delete(statuses);
    return MV_CLI_EXIT_OK;
}

int mv_cli_cmd_status(const mv_cli_opts *opts)
{
    const char *job_id = opts->args[0];
    int rc = mv_cli_check_job_id("status", job_id);
    maivid_engine *engine = NULL;
    if (!rc)
        rc = mv_cli_engine_open(opts, 0, &engine);
    if (rc)
        return rc;
    cJSON *status = mv_cli_status_json(engine, job_id, &rc);
    maivid_engine_close(engine);
    if (!status)
        return rc;
    if (opts->json)
        mv_cli_print_json(status);
    else
        mv_cli_print_status(status);
    cJSON_Delete(status);
    return MV_CLI_EXIT_OK;
}

int mv_cli_cmd_cancel(const mv_cli_opts *opts)
{
    const char *job_id = opts->args[0];
    int rc = mv_cli_check_job_id("cancel", job_id);
    maivid_engine *engine = NULL;
    if (!rc)
        rc = mv_cli_engine_open(opts, 0, &engine);
    if (rc)
        return rc;
    /* A queued or running job is either run by another maivid-cli (which must cancel it
     * itself) or was left behind by one that died: take it over to cancel it. */
    int lock_fd = -1;
    char err[1200] = "";
    maivid_status *status = NULL;
    maivid_code code = maivid_job_status(engine, job_id, &status);
    maivid_job_state state = MAIVID_JOB_QUEUED;
    if (code == MAIVID_OK) {
        state = maivid_status_state(status);
        maivid_status_free(status);
        if (state == MAIVID_JOB_QUEUED || state == MAIVID_JOB_RUNNING)
            rc = mv_cli_take_over(opts, &engine, job_id, &lock_fd);
        if (!rc)
            code = maivid_job_cancel_ex(engine, job_id, err, sizeof err);
        if (!rc && code == MAIVID_OK)
            code = maivid_job_wait(engine, job_id, 20000);
    }
    if (engine)
        maivid_engine_close(engine);
    mv_cli_data_unlock(lock_fd);
    if (rc)
        return rc;
    if (code == MAIVID_E_NOT_FOUND) {
        mv_cli_error("no job %s in this data directory: see 'maivid-cli list'", job_id);
        return MV_CLI_EXIT_FAILED;
    }
    if (code != MAIVID_OK) {
        mv_cli_error("cannot cancel job %s: %s", job_id, err[0] ? err : maivid_strerror(code));
        return MV_CLI_EXIT_FAILED;
    }
    if (opts->quiet)
        return MV_CLI_EXIT_OK;
    if (state == MAIVID_JOB_COMPLETED || state == MAIVID_JOB_FAILED)
        fprintf(stderr, "maivid-cli: job %s had already %s; nothing to cancel\n", job_id,
                maivid_job_state_name(state));
    else
        fprintf(stderr, "maivid-cli: job %s cancelled\n", job_id);
    return MV_CLI_EXIT_OK;
}
