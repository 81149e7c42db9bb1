/*
 * cmd_generate.c - `generate` and `resume` in local mode: queue the job in libmaivid, follow
 * its progress (polling status; Ctrl-C cancels it), then save the MP4 under its final name
 * and print that path (or the final status JSON) on stdout.
 */
#include "cli.h"
#include "data_lock.h"
#include "output_file.h"
#include "progress_line.h"
#include "signals.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MV_CLI_POLL_MS 150
#define MV_CLI_CANCEL_WAIT_MS 20000
/* Follows a job until it ends or a stop signal arrives. Returns the final status (caller
 * frees) or NULL; *signo is the signal that interrupted, else 0. */
static maivid_status *mv_cli_follow(maivid_engine *engine, const char *job_id,
                                    const mv_cli_opts *opts, int *signo)
{
    mv_cli_progress_line line;
    mv_cli_progress_line_init(&line, stderr, !opts->quiet);
    *signo = 0;
    for (int first = 1;; first = 0) {
        int sig = mv_cli_signals_wait(first ? 0 : MV_CLI_POLL_MS);
        if (sig) {
            mv_cli_progress_line_clear(&line);
            *signo = sig;
            return NULL;
        }
        maivid_status *status = NULL;
        maivid_code code = maivid_job_status(engine, job_id, &status);
        if (code != MAIVID_OK) {
            mv_cli_progress_line_clear(&line);
            mv_cli_error("lost track of job %s: %s", job_id, maivid_strerror(code));
            return NULL;
        }
        mv_cli_progress progress;
        mv_cli_progress_from_status(&progress, status);
        mv_cli_progress_line_update(&line, &progress);
        if (maivid_status_state(status) >= MAIVID_JOB_COMPLETED) {
            mv_cli_progress_line_clear(&line);
            return status;
        }
        maivid_status_free(status);
    }
}

/* Prints the final status JSON with the saved file's path added. */
static void mv_cli_print_final_json(const maivid_status *status, const char *output_path, int kept)
{
    char *text = maivid_status_to_json(status, 0);
    cJSON *json = text ? cJSON_Parse(text) : NULL;
    maivid_free(text);
    if (!json) {
        mv_cli_error("out of memory");
        return;
    }
    if (output_path)
        cJSON_AddStringToObject(json, "output_path", output_path);
    else
        cJSON_AddNullToObject(json, "output_path");
    cJSON_AddBoolToObject(json, "job_kept", kept);
    mv_cli_print_json(json);
    cJSON_Delete(json);
}

/* Removes a finished job; says why when it cannot (the files stay behind). */
static void mv_cli_delete_job(maivid_engine *engine, const char *job_id)
{
    char err[1200] = "";
    maivid_code code = maivid_job_delete_ex(engine, job_id, err, sizeof err);
    if (code != MAIVID_OK)
        mv_cli_error("could not remove job %s: %s", job_id, err[0] ? err : maivid_strerror(code));
}

/* Cancels after Ctrl-C: waits for the job to stop, removes it (unless --keep). */
static int mv_cli_interrupted(maivid_engine *engine, const char *job_id, const mv_cli_opts *opts,
                              mv_cli_output *out, int signo)
{
    mv_cli_output_discard(out);
    fprintf(stderr, "maivid-cli: interrupted: cancelling job %s\n", job_id);
    char err[1200] = "";
    if (maivid_job_cancel_ex(engine, job_id, err, sizeof err) != MAIVID_OK)
        mv_cli_error("cannot cancel job %s: %s", job_id, err);
    if (maivid_job_wait(engine, job_id, MV_CLI_CANCEL_WAIT_MS) != MAIVID_OK)
        mv_cli_error("job %s did not stop within %d s; it is marked cancelled", job_id,
                     MV_CLI_CANCEL_WAIT_MS / 1000);
    else if (!opts->keep)
        mv_cli_delete_job(engine, job_id);
    return mv_cli_signal_exit_code(signo);
}

/* Saves the finished video, deletes the job unless --keep, prints the result. */
static int mv_cli_save(maivid_engine *engine, const char *job_id, const maivid_status *status,
                       const mv_cli_opts *opts, mv_cli_output *out)
{
    const char *video = maivid_status_video_path(status);
    char err[1200], final_path[4096];
    if (!video) {
        mv_cli_error("job %s completed without a video: this is a bug in libmaivid, please "
                     "report it", job_id);
        return MV_CLI_EXIT_FAILED;
    }
    if (mv_cli_output_take(out, video, !opts->keep, err, sizeof err) != 0 ||
        mv_cli_output_publish(out, maivid_status_title(status), final_path, sizeof final_path,
                              err, sizeof err) != 0) {
        if (out->signo)
            return mv_cli_interrupted(engine, job_id, opts, out, out->signo);
        mv_cli_error("%s; the video stays in %s (job %s)", err, maivid_status_job_dir(status), job_id);
        return MV_CLI_EXIT_FAILED;
    }
    if (!opts->no_sidecars &&
        mv_cli_output_sidecars(final_path, maivid_status_job_dir(status), err, sizeof err) != 0)
        mv_cli_error("%s; the video is saved as %s", err, final_path); /* the video is fine */
    const char *sync = maivid_status_sync(status);
    char *summary = sync && !opts->quiet ? maivid_sync_summary(sync) : NULL;
    if (summary)
        fprintf(stderr, "maivid-cli: %s\n", summary);
    maivid_free(summary);
    if (!opts->keep)
        mv_cli_delete_job(engine, job_id);
    if (opts->json)
        mv_cli_print_final_json(status, final_path, opts->keep);
    else
        printf("%s\n", final_path);
    return MV_CLI_EXIT_OK;
}

/* Reports a failed or cancelled job. */
static int mv_cli_report_failure(maivid_engine *engine, const char *job_id,
                                 const maivid_status *status, const mv_cli_opts *opts)
{
    maivid_job_state state = maivid_status_state(status);
    maivid_code code = maivid_status_error_code(status);
    int fetch = code == MAIVID_E_FETCH || code == MAIVID_E_POLICY;
    int delete_job = !opts->keep && (fetch || state == MAIVID_JOB_CANCELLED);
    if (state == MAIVID_JOB_CANCELLED) {
        mv_cli_error("job %s was cancelled", job_id);
    } else {
        const char *error = maivid_status_error(status);
        mv_cli_error("job failed: %s", error ? error : maivid_strerror(code));
        if (!delete_job)
            fprintf(stderr, "maivid-cli: the job is kept: 'maivid-cli resume %s' runs it again "
                            "from where it stopped\n", job_id);
    }
    if (opts->json)
        mv_cli_print_final_json(status, NULL, !delete_job);
    if (delete_job)
        mv_cli_delete_job(engine, job_id);
    return fetch ? MV_CLI_EXIT_FETCH : MV_CLI_EXIT_FAILED;
}

/* Follows the job and finishes it: the part `generate` and `resume` share. */
static int mv_cli_follow_and_finish(maivid_engine *engine, const char *job_id,
                                    const mv_cli_opts *opts, mv_cli_output *out)
{
    int signo = 0;
    maivid_status *status = mv_cli_follow(engine, job_id, opts, &signo);
    if (!status)
        return signo ? mv_cli_interrupted(engine, job_id, opts, out, signo) : MV_CLI_EXIT_FAILED;
    int rc = maivid_status_state(status) == MAIVID_JOB_COMPLETED
                 ? mv_cli_save(engine, job_id, status, opts, out)
                 : mv_cli_report_failure(engine, job_id, status, opts);
    maivid_status_free(status);
    return rc;
}

/* Fills params from the options; SOURCE is a path if one exists, else a URL. Returns an
 * exit code; owned[] (see mv_cli_params_apply) and *local_path are the caller's to free. */
static int mv_cli_fill_params(const mv_cli_opts *opts, const char *source, const char *model,
                              maivid_job_params *p, char **owned, char **local_path)
{
    maivid_job_params_init(p);
    struct stat st;
    if (stat(source, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return mv_cli_usage_error("generate", "'%s' is a directory: pass an audio file or "
                                      "a song URL", source);
        *local_path = realpath(source, NULL);
        p->local_path = *local_path ? *local_path : source;
    } else if (strstr(source, "://")) {
        p->url = source;
    } else {
        mv_cli_error("cannot read the song '%s': %s; pass an existing audio file or an "
                     "http(s) URL", source, strerror(errno));
        return MV_CLI_EXIT_FETCH;
    }
    int rc = mv_cli_params_apply(opts, p, owned);
    p->model = model;
    return rc;
}

/* Marks this process as working in the data directory (see data_lock.h). */
static int mv_cli_lock_shared(const mv_cli_opts *opts)
{
    char *data_dir = mv_cli_data_dir(opts);
    int fd = data_dir ? mv_cli_data_lock_shared(data_dir) : -1;
    free(data_dir);
    return fd;
}

/* The model to use: --model, else procedural without ComfyUI and sdxl_turbo with one. */
static const char *mv_cli_default_model(const mv_cli_opts *opts)
{
    const char *model = mv_cli_param(opts, "model_type");
    if (model)
        return model;
    char storage[4096];
    const char *urls[MV_CLI_MAX_COMFYUI];
    return mv_cli_comfyui_urls(opts, storage, sizeof storage, urls, MV_CLI_MAX_COMFYUI) > 0
               ? "sdxl_turbo"
               : "procedural";
}

int mv_cli_cmd_generate(const mv_cli_opts *opts)
{
    mv_cli_output out;
    int rc = mv_cli_output_prepare(&out, opts->output);
    if (rc)
        return rc;
    const char *model = mv_cli_default_model(opts);
    maivid_job_params params;
    char *owned[MV_CLI_MAX_PARAMS] = {NULL}, *local_path = NULL;
    rc = mv_cli_fill_params(opts, opts->args[0], model, &params, owned, &local_path);
    maivid_engine *engine = NULL;
    if (!rc) {
        mv_cli_signals_block(); /* before the engine's threads exist, so they inherit it */
        rc = mv_cli_engine_open(opts, 0, &engine);
    }
    if (!rc)
        rc = mv_cli_check_choices(opts, engine, model);
    int lock_fd = rc ? -1 : mv_cli_lock_shared(opts);
    char job_id[MAIVID_JOB_ID_SIZE] = "";
    if (!rc) {
        char err[1024] = "";
        maivid_code code = maivid_job_create(engine, &params, job_id, err, sizeof err);
        if (code == MAIVID_E_INVALID)
            rc = mv_cli_usage_error("generate", "%s", err[0] ? err : maivid_strerror(code));
        else if (code == MAIVID_E_FETCH || code == MAIVID_E_POLICY) {
            mv_cli_error("%s", err[0] ? err : maivid_strerror(code));
            rc = MV_CLI_EXIT_FETCH;
        } else if (code != MAIVID_OK) {
            mv_cli_error("cannot start the job: %s", err[0] ? err : maivid_strerror(code));
            rc = MV_CLI_EXIT_FAILED;
        }
    }
    if (!rc) {
        if (opts->verbose)
            fprintf(stderr, "maivid-cli: job %s\n", job_id);
        rc = mv_cli_follow_and_finish(engine, job_id, opts, &out);
    }
    if (engine)
        maivid_engine_close(engine);
    mv_cli_data_unlock(lock_fd);
    for (size_t i = 0; i < MV_CLI_MAX_PARAMS; i++)
        free(owned[i]);
    free(local_path);
    return rc;
}

int mv_cli_cmd_resume(const mv_cli_opts *opts)
{
    const char *job_id = opts->args[0];
    if (!maivid_job_id_valid(job_id))
        return mv_cli_usage_error("resume", "'%s' is not a job id (they look like "
                                  "job_20250516_123456_abcdef12; see 'maivid-cli list')", job_id);
    mv_cli_output out;
    int rc = mv_cli_output_prepare(&out, opts->output);
    if (rc)
        return rc;
    mv_cli_signals_block();
    maivid_engine *engine = NULL;
    rc = mv_cli_engine_open(opts, 0, &engine);
    int lock_fd = rc ? -1 : mv_cli_lock_shared(opts);
    if (!rc) {
        char err[1200] = "";
        maivid_code code = maivid_job_resume_ex(engine, job_id, err, sizeof err);
        if (code == MAIVID_E_BUSY) { /* queued or running: here only if its process died */
            mv_cli_data_unlock(lock_fd);
            rc = mv_cli_take_over(opts, &engine, job_id, &lock_fd);
            mv_cli_data_lock_downgrade(lock_fd);
        } else if (code == MAIVID_E_NOT_FOUND) {
            mv_cli_error("no job %s in this data directory: see 'maivid-cli list'", job_id);
            rc = MV_CLI_EXIT_FAILED;
        } else if (code != MAIVID_OK) {
            mv_cli_error("cannot resume job %s: %s", job_id, err[0] ? err : maivid_strerror(code));
            rc = MV_CLI_EXIT_FAILED;
        }
    }
    if (!rc)
        rc = mv_cli_follow_and_finish(engine, job_id, opts, &out);
    if (engine)
        maivid_engine_close(engine);
    mv_cli_data_unlock(lock_fd);
    return rc;
}
