/*
 * cmd_remote.c - the commands in --server mode: the same behaviour as the local ones, but
 * the job runs in a maivid-server (Convo Pilot API): create it, poll its status with the
 * same progress display, download the MP4 to -o; Ctrl-C cancels it on the server.
 */
#include "cli.h"
#include "output_file.h"
#include "progress_line.h"
#include "remote.h"
#include "signals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MV_CLI_REMOTE_POLL_MS 500
#define MV_CLI_REMOTE_RETRIES 5

static void mv_cli_remote_init(mv_cli_remote *remote, const mv_cli_opts *opts)
{
    memset(remote, 0, sizeof *remote);
    remote->base = opts->server;
    remote->api_key = opts->api_key;
}

/* One request whose answer must be 2xx JSON. Returns an exit code after printing the
 * problem; on success *reply is the parsed body (caller deletes). */
static int mv_cli_remote_call(mv_cli_remote *remote, const char *command, const char *method,
                              const char *path, const cJSON *body, cJSON **reply)
{
    long status = 0;
    if (mv_cli_remote_request(remote, method, path, body, &status, reply) != 0) {
        mv_cli_error("%s", remote->error);
        return MV_CLI_EXIT_FAILED;
    }
    if (status >= 200 && status < 300 && *reply)
        return MV_CLI_EXIT_OK;
    char buf[128];
    const char *text = mv_cli_remote_error_text(*reply, status, buf, sizeof buf);
    int rc = MV_CLI_EXIT_FAILED;
    if (status == 400 || status == 422)
        rc = mv_cli_usage_error(command, "the server refused the request: %s", text);
    else if (status == 401 || status == 403)
        rc = mv_cli_usage_error(command, "the server refused the request (HTTP %ld): %s; pass "
                                "its key with --api-key KEY or MAIVID_API_KEY", status, text);
    else if (status == 429 || status == 503)
        mv_cli_error("the server is busy (HTTP %ld): %s; try again later", status, text);
    else if (status >= 200 && status < 300)
        mv_cli_error("the server at %s did not answer with JSON: is it a maivid-server?",
                     remote->base);
    else
        mv_cli_error("the server answered HTTP %ld: %s", status, text);
    cJSON_Delete(*reply);
    *reply = NULL;
    return rc;
}

static int mv_cli_remote_check_id(const char *command, const char *job_id)
{
    if (maivid_job_id_valid(job_id))
        return MV_CLI_EXIT_OK;
    return mv_cli_usage_error(command, "'%s' is not a job id (they look like "
                              "job_20250516_123456_abcdef12; see 'maivid-cli list')", job_id);
}

/* GET the job's status object (detached from the reply; caller deletes). */
static cJSON *mv_cli_remote_job_status(mv_cli_remote *remote, const char *command,
                                       const char *job_id, int *rc)
{
    char path[128];
    snprintf(path, sizeof path, "/api/convo_pilot/video/%s", job_id);
    cJSON *reply = NULL;
    *rc = mv_cli_remote_call(remote, command, "GET", path, NULL, &reply);
    if (*rc)
        return NULL;
    cJSON *status = cJSON_DetachItemFromObjectCaseSensitive(reply, "job_status");
    cJSON_Delete(reply);
    if (!cJSON_IsObject(status)) {
        cJSON_Delete(status);
        mv_cli_error("the server's answer for job %s has no job_status object", job_id);
        *rc = MV_CLI_EXIT_FAILED;
    }
    return status;
}

static void mv_cli_remote_cancel_job(mv_cli_remote *remote, const char *job_id)
{
    char path[160];
    snprintf(path, sizeof path, "/api/convo_pilot/video/%s", job_id);
    long status = 0;
    cJSON *reply = NULL;
    if (mv_cli_remote_request(remote, "DELETE", path, NULL, &status, &reply) == 0 &&
        (status == 404 || status == 405)) {
        cJSON_Delete(reply);
        reply = NULL;
        snprintf(path, sizeof path, "/api/convo_pilot/video/%s/cancel", job_id);
        mv_cli_remote_request(remote, "POST", path, NULL, &status, &reply);
    }
    cJSON_Delete(reply);
}

/* Polls until the job ends; returns its final status or NULL (*signo or *rc say why). */
static cJSON *mv_cli_remote_follow(mv_cli_remote *remote, const char *job_id,
                                   const mv_cli_opts *opts, int *signo, int *rc)
{
    mv_cli_progress_line line;
    mv_cli_progress_line_init(&line, stderr, !opts->quiet);
    int failures = 0;
    for (int first = 1;; first = 0) {
        *signo = mv_cli_signals_wait(first ? 0 : MV_CLI_REMOTE_POLL_MS);
        if (*signo) {
            mv_cli_progress_line_clear(&line);
            return NULL;
        }
        char path[128];
        snprintf(path, sizeof path, "/api/convo_pilot/video/%s", job_id);
        long http = 0;
        cJSON *reply = NULL;
        if (mv_cli_remote_request(remote, "GET", path, NULL, &http, &reply) != 0 || http >= 500) {
            cJSON_Delete(reply);
            if (++failures < MV_CLI_REMOTE_RETRIES)
                continue; /* a restarting server resumes its jobs: keep asking a while */
            mv_cli_progress_line_clear(&line);
            if (http >= 500)
                mv_cli_error("the server keeps failing (HTTP %ld) while following job %s",
                             http, job_id);
            else
                mv_cli_error("%s", remote->error);
            *rc = MV_CLI_EXIT_FAILED;
            return NULL;
        }
        failures = 0;
        cJSON *status = cJSON_DetachItemFromObjectCaseSensitive(reply, "job_status");
        char buf[128];
        if (http != 200 || !cJSON_IsObject(status)) {
            mv_cli_progress_line_clear(&line);
            mv_cli_error("lost track of job %s on the server: %s", job_id,
                         mv_cli_remote_error_text(reply, http, buf, sizeof buf));
            cJSON_Delete(status);
            cJSON_Delete(reply);
            *rc = MV_CLI_EXIT_FAILED;
            return NULL;
        }
        cJSON_Delete(reply);
        mv_cli_progress progress;
        mv_cli_progress_from_json(&progress, status);
        mv_cli_progress_line_update(&line, &progress);
        if (strcmp(progress.state, "completed") == 0 || strcmp(progress.state, "failed") == 0 ||
            strcmp(progress.state, "cancelled") == 0) {
            mv_cli_progress_line_clear(&line);
            return status;
        }
        cJSON_Delete(status);
    }
}

static int mv_cli_remote_interrupted(mv_cli_remote *remote, const char *job_id,
                                     mv_cli_output *out, int signo)
{
    mv_cli_output_discard(out);
    fprintf(stderr, "maivid-cli: interrupted: cancelling job %s on the server\n", job_id);
    mv_cli_remote_cancel_job(remote, job_id);
    return mv_cli_signal_exit_code(signo);
}

/* Downloads the finished video and prints where it went. */
static int mv_cli_remote_save(mv_cli_remote *remote, const char *job_id, cJSON *status,
                              const mv_cli_opts *opts, mv_cli_output *out)
{
    int fd = mv_cli_output_open_temp(out);
    if (fd < 0) {
        mv_cli_error("cannot create a file in '%s'", out->dir);
        return MV_CLI_EXIT_FAILED;
    }
    char path[160], err[1200], final_path[4096];
    snprintf(path, sizeof path, "/api/convo_pilot/video/%s/file", job_id);
    int signo = 0;
    int failed = mv_cli_remote_download(remote, path, fd, &signo);
    if (close(fd) != 0)
        failed = 1;
    if (signo)
        return mv_cli_remote_interrupted(remote, job_id, out, signo);
    if (failed) {
        mv_cli_output_discard(out);
        mv_cli_error("%s (job %s stays on the server)", remote->error, job_id);
        return MV_CLI_EXIT_FAILED;
    }
    const cJSON *title = cJSON_GetObjectItemCaseSensitive(status, "video_title");
    if (mv_cli_output_publish(out, cJSON_IsString(title) ? title->valuestring : NULL,
                              final_path, sizeof final_path, err, sizeof err) != 0) {
        mv_cli_error("%s", err);
        return MV_CLI_EXIT_FAILED;
    }
    if (opts->json) {
        cJSON_AddStringToObject(status, "output_path", final_path);
        mv_cli_print_json(status);
    } else {
        printf("%s\n", final_path);
    }
    return MV_CLI_EXIT_OK;
}

/* Checks what only a local run can do; returns an exit code. */
static int mv_cli_remote_check_source(const mv_cli_opts *opts)
{
    const char *source = opts->args[0];
    struct stat st;
    if (!strstr(source, "://")) {
        if (stat(source, &st) == 0)
            return mv_cli_usage_error("generate", "the server cannot read the local file '%s': "
                                      "pass a URL it can fetch, or drop --server (and unset "
                                      "MAIVID_SERVER) to work locally", source);
        return mv_cli_usage_error("generate", "'%s' is not a URL: with --server, SOURCE must be "
                                  "a song URL the server can fetch", source);
    }
    if (opts->comfyui_count)
        return mv_cli_usage_error("generate", "--comfyui only works locally: the server uses "
                                  "its own --comfyui servers");
    return MV_CLI_EXIT_OK; /* --keep changes nothing: jobs stay on the server */
}

int mv_cli_remote_generate(const mv_cli_opts *opts)
{
    int rc = mv_cli_remote_check_source(opts);
    mv_cli_output out;
    if (!rc)
        rc = mv_cli_output_prepare(&out, opts->output);
    cJSON *body = NULL;
    if (!rc) {
        body = cJSON_CreateObject();
        cJSON_AddStringToObject(body, "url", opts->args[0]);
        rc = mv_cli_params_to_json(opts, body);
    }
    if (rc) {
        cJSON_Delete(body);
        return rc;
    }
    mv_cli_signals_block();
    mv_cli_remote remote;
    mv_cli_remote_init(&remote, opts);
    cJSON *reply = NULL;
    rc = mv_cli_remote_call(&remote, "generate", "POST", "/api/convo_pilot/video", body, &reply);
    cJSON_Delete(body);
    if (rc)
        return rc;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(reply, "job_id");
    char job_id[MAIVID_JOB_ID_SIZE] = "";
    if (cJSON_IsString(id) && maivid_job_id_valid(id->valuestring))
        snprintf(job_id, sizeof job_id, "%s", id->valuestring);
    cJSON_Delete(reply);
    if (!job_id[0]) {
        mv_cli_error("the server accepted the job but sent no valid job_id");
        return MV_CLI_EXIT_FAILED;
    }
    if (opts->verbose)
        fprintf(stderr, "maivid-cli: job %s on %s\n", job_id, opts->server);
    int signo = 0;
    cJSON *status = mv_cli_remote_follow(&remote, job_id, opts, &signo, &rc);
    if (!status)
        return signo ? mv_cli_remote_interrupted(&remote, job_id, &out, signo) : rc;
    const cJSON *state = cJSON_GetObjectItemCaseSensitive(status, "status");
    if (strcmp(state->valuestring, "completed") == 0) {
        rc = mv_cli_remote_save(&remote, job_id, status, opts, &out);
    } else {
        const cJSON *error = cJSON_GetObjectItemCaseSensitive(status, "error");
        if (strcmp(state->valuestring, "cancelled") == 0)
            mv_cli_error("job %s was cancelled on the server", job_id);
        else
            mv_cli_error("job failed: %s", cJSON_IsString(error) ? error->valuestring : "no reason given");
        rc = strcmp(state->valuestring, "failed") == 0 ? mv_cli_exit_for_failed_status(status)
                                                        : MV_CLI_EXIT_FAILED;
        if (opts->json)
            mv_cli_print_json(status);
    }
    cJSON_Delete(status);
    return rc;
}

int mv_cli_remote_catalog(const mv_cli_opts *opts)
{
    char path[64];
    snprintf(path, sizeof path, "/api/convo_pilot/%s", opts->command);
    mv_cli_remote remote;
    mv_cli_remote_init(&remote, opts);
    cJSON *reply = NULL;
    int rc = mv_cli_remote_call(&remote, opts->command, "GET", path, NULL, &reply);
    if (rc)
        return rc;
    const cJSON *entries = cJSON_GetObjectItemCaseSensitive(reply, opts->command);
    if (!cJSON_IsArray(entries)) {
        mv_cli_error("the server's answer has no '%s' list", opts->command);
        rc = MV_CLI_EXIT_FAILED;
    } else {
        mv_cli_print_catalog(entries, opts->json);
    }
    cJSON_Delete(reply);
    return rc;
}

int mv_cli_remote_list(const mv_cli_opts *opts)
{
    mv_cli_remote remote;
    mv_cli_remote_init(&remote, opts);
    cJSON *reply = NULL;
    int rc = mv_cli_remote_call(&remote, "list", "GET", "/api/convo_pilot/videos", NULL, &reply);
    if (rc)
        return rc;
    const char *keys[] = {"jobs", "videos", "items"};
    const cJSON *jobs = NULL;
    for (size_t i = 0; i < 3 && !cJSON_IsArray(jobs); i++)
        jobs = cJSON_GetObjectItemCaseSensitive(reply, keys[i]);
    if (!cJSON_IsArray(jobs)) {
        mv_cli_error("the server's answer has no list of jobs");
        rc = MV_CLI_EXIT_FAILED;
    } else if (opts->json) {
        mv_cli_print_json(jobs);
    } else {
        mv_cli_print_job_table(jobs);
    }
    cJSON_Delete(reply);
    return rc;
}

int mv_cli_remote_status(const mv_cli_opts *opts)
{
    int rc = mv_cli_remote_check_id("status", opts->args[0]);
    if (rc)
        return rc;
    mv_cli_remote remote;
    mv_cli_remote_init(&remote, opts);
    cJSON *status = mv_cli_remote_job_status(&remote, "status", opts->args[0], &rc);
    if (!status)
        return rc;
    if (opts->json)
        mv_cli_print_json(status);
    else
        mv_cli_print_status(status);
    cJSON_Delete(status);
    return MV_CLI_EXIT_OK;
}

int mv_cli_remote_cancel(const mv_cli_opts *opts)
{
    const char *job_id = opts->args[0];
    int rc = mv_cli_remote_check_id("cancel", job_id);
    if (rc)
        return rc;
    mv_cli_remote remote;
    mv_cli_remote_init(&remote, opts);
    char path[160];
    snprintf(path, sizeof path, "/api/convo_pilot/video/%s", job_id);
    cJSON *reply = NULL;
    rc = mv_cli_remote_call(&remote, "cancel", "DELETE", path, NULL, &reply);
    cJSON_Delete(reply);
    if (!rc && !opts->quiet)
        fprintf(stderr, "maivid-cli: job %s cancelled\n", job_id);
    return rc;
}
