/*
 * takeover.c - picks up jobs whose maivid-cli died (kill -9, a crash, a power cut): they are
 * still "running" on disk and libmaivid only restarts such jobs when an engine opens with
 * resume_jobs. Safe only when no other maivid-cli works in the data directory, which the
 * exclusive data lock proves (see data_lock.h).
 */
#include "cli.h"
#include "data_lock.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 if the job is queued or running according to this engine. */
static int mv_cli_job_active(maivid_engine *engine, const char *job_id)
{
    maivid_status *status = NULL;
    if (maivid_job_status(engine, job_id, &status) != MAIVID_OK)
        return 0;
    maivid_job_state state = maivid_status_state(status);
    maivid_status_free(status);
    return state == MAIVID_JOB_QUEUED || state == MAIVID_JOB_RUNNING;
}

int mv_cli_take_over(const mv_cli_opts *opts, maivid_engine **engine, const char *job_id,
                     int *lock_fd)
{
    *lock_fd = -1;
    char *data_dir = mv_cli_data_dir(opts);
    int fd = data_dir ? mv_cli_data_lock_exclusive(data_dir) : -1;
    int saved = errno;
    free(data_dir);
    if (fd < 0) {
        if (saved == EWOULDBLOCK)
            mv_cli_error("job %s is queued or running and another maivid-cli is working in "
                         "this data directory: if it runs this job, stop it there with Ctrl-C "
                         "(it cancels cleanly) or wait ('maivid-cli status %s' shows the "
                         "progress); if its process died, try again once the others end",
                         job_id, job_id);
        else
            mv_cli_error("cannot lock the data directory: %s", strerror(saved));
        return MV_CLI_EXIT_FAILED;
    }
    /* no other maivid-cli is here: every queued or running job was interrupted */
    maivid_engine_close(*engine);
    *engine = NULL;
    int rc = mv_cli_engine_open(opts, 1, engine);
    if (rc) {
        mv_cli_data_unlock(fd);
        return rc;
    }
    char **ids = NULL;
    size_t count = 0;
    if (maivid_job_list(*engine, &ids, &count) == MAIVID_OK) {
        for (size_t i = 0; i < count; i++) {
            if (strcmp(ids[i], job_id) == 0 || !mv_cli_job_active(*engine, ids[i]))
                continue;
            maivid_job_cancel(*engine, ids[i]);
            maivid_job_wait(*engine, ids[i], 20000);
            fprintf(stderr, "maivid-cli: job %s had been interrupted too; it is now cancelled "
                            "('maivid-cli resume %s' finishes it)\n", ids[i], ids[i]);
        }
        maivid_free(ids);
    }
    *lock_fd = fd;
    return MV_CLI_EXIT_OK;
}
