/*
 * local_engine.c - opens libmaivid's engine for the local commands: where the data lives,
 * which ComfyUI servers to use, and how the engine's log reaches stderr.
 */
#include "cli.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MV_CLI_LOG_VERBOSE = 1, MV_CLI_LOG_TTY = 2 };

char *mv_cli_data_dir(const mv_cli_opts *opts)
{
    const char *dir = opts->data_dir;
    if (!dir || !*dir)
        dir = getenv("MAIVID_DATA_DIR");
    if (dir && *dir)
        return strdup(dir);
    const char *xdg = getenv("XDG_DATA_HOME");
    char buf[4096];
    if (xdg && xdg[0] == '/') {
        snprintf(buf, sizeof buf, "%s/maivid", xdg);
        return strdup(buf);
    }
    const char *home = getenv("HOME");
    snprintf(buf, sizeof buf, "%s/.local/share/maivid", home && *home ? home : ".");
    return strdup(buf);
}

size_t mv_cli_comfyui_urls(const mv_cli_opts *opts, char *storage, size_t storage_size,
                           const char **urls, size_t max_urls)
{
    size_t count = 0;
    for (size_t i = 0; i < opts->comfyui_count && count < max_urls; i++)
        urls[count++] = opts->comfyui[i];
    if (count > 0)
        return count;
    const char *env = getenv("MAIVID_COMFYUI_URL");
    if (!env || !*env)
        return 0;
    snprintf(storage, storage_size, "%s", env);
    char *save = NULL;
    for (char *tok = strtok_r(storage, ", ", &save); tok && count < max_urls;
         tok = strtok_r(NULL, ", ", &save))
        urls[count++] = tok;
    return count;
}

/* Creates `path` and its parents. */
static int mv_cli_mkdir_p(const char *path)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return -1;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

static void mv_cli_log(void *user_data, maivid_log_level level, const char *job_id,
                       const char *message)
{
    unsigned flags = (unsigned)(uintptr_t)user_data;
    if (level < MAIVID_LOG_WARN && !(flags & MV_CLI_LOG_VERBOSE))
        return;
    if (level >= MAIVID_LOG_ERROR && !(flags & MV_CLI_LOG_VERBOSE))
        return; /* a job's error is printed once, when it ends */
    static const char *const names[] = {"debug", "info", "warning", "error"};
    fprintf(stderr, "%smaivid-cli: %s: %s%s%s\n", (flags & MV_CLI_LOG_TTY) ? "\r\033[K" : "",
            names[level <= MAIVID_LOG_ERROR ? level : MAIVID_LOG_ERROR], job_id ? job_id : "",
            job_id ? ": " : "", message);
}

int mv_cli_engine_open(const mv_cli_opts *opts, int resume_interrupted, maivid_engine **out)
{
    *out = NULL;
    char *data_dir = mv_cli_data_dir(opts);
    if (!data_dir) {
        mv_cli_error("out of memory");
        return MV_CLI_EXIT_FAILED;
    }
    if (mv_cli_mkdir_p(data_dir) != 0) {
        mv_cli_error("cannot create the data directory '%s': %s; pass a writable one with "
                     "--data-dir or MAIVID_DATA_DIR", data_dir, strerror(errno));
        free(data_dir);
        return MV_CLI_EXIT_FAILED;
    }
    char url_storage[4096];
    const char *urls[MV_CLI_MAX_COMFYUI];
    size_t url_count = mv_cli_comfyui_urls(opts, url_storage, sizeof url_storage, urls,
                                           MV_CLI_MAX_COMFYUI);
    maivid_config config;
    maivid_config_init(&config);
    maivid_config_from_env(&config);
    config.data_dir = data_dir;
    config.comfyui_urls = url_count ? urls : NULL;
    config.comfyui_url_count = url_count;
    if (opts->models_dir)
        config.models_dir = opts->models_dir;
    config.checkpoints = opts->checkpoint_count ? opts->checkpoints : NULL;
    config.checkpoint_count = opts->checkpoint_count;
    config.allow_local_files = 1;
    config.allow_private_urls = 1;
    config.resume_jobs = resume_interrupted; /* else never start jobs behind the user's back */
    if (opts->queue) {
        /* Only submit and follow: the servers on the queue run the job, and they read no
         * file named on this machine. */
        config.queue_url = opts->queue;
        config.queue_submit_only = 1;
        config.allow_local_files = 0;
    }
    config.log = mv_cli_log;
    unsigned flags = (opts->verbose ? MV_CLI_LOG_VERBOSE : 0u) |
                     (isatty(STDERR_FILENO) && !opts->quiet ? MV_CLI_LOG_TTY : 0u);
    config.log_user_data = (void *)(uintptr_t)flags;
    char err[1024] = "";
    char *suno_token = NULL; /* a secret: the engine keeps its own copy */
    if (opts->suno_token_file) {
        if (maivid_secret_read_file(opts->suno_token_file, &suno_token, err, sizeof err) !=
            MAIVID_OK) {
            mv_cli_error("--suno-token-file: %s", err);
            free(data_dir);
            return MV_CLI_EXIT_USAGE;
        }
        config.suno_token = suno_token;
    }
    maivid_code code = maivid_engine_open(&config, out, err, sizeof err);
    maivid_secret_free(suno_token);
    if (code != MAIVID_OK) {
        mv_cli_error("cannot open the data directory '%s': %s", data_dir,
                     err[0] ? err : maivid_strerror(code));
        free(data_dir);
        return MV_CLI_EXIT_FAILED;
    }
    free(data_dir);
    return MV_CLI_EXIT_OK;
}
