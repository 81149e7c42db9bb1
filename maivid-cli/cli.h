/*
 * cli.h - what the parts of maivid-cli share: the parsed command line, the exit codes, and
 * the entry points of each command (local through libmaivid's public API, or remote through
 * a running maivid-server).
 */
#ifndef MV_CLI_H
#define MV_CLI_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "maivid/maivid.h"

/* Exit codes (documented in maivid-cli.1). */
enum {
    MV_CLI_EXIT_OK = 0,          /* done */
    MV_CLI_EXIT_FAILED = 1,      /* the job (or the request) failed; the error is on stderr */
    MV_CLI_EXIT_USAGE = 2,       /* wrong command line; the message lists the valid values */
    MV_CLI_EXIT_FETCH = 3,       /* the song could not be fetched */
    MV_CLI_EXIT_INTERRUPTED = 130 /* Ctrl-C: the job was cancelled, no output left */
};

#define MV_CLI_MAX_COMFYUI 16
#define MV_CLI_MAX_PARAMS 64 /* job parameters in the library's table we have room for */

/* The command line after parsing. Strings point into argv or the environment. */
typedef struct mv_cli_opts {
    const char *command;         /* "generate", "models", ... */
    char **args;                 /* positional arguments after the command */
    int arg_count;
    /* generate and resume */
    const char *output;
    /* the job parameters given, as typed, by their index in the library's parameter table
     * (maivid_param_at()); NULL: not given. Options that name a file hold the file name. */
    const char *params[MV_CLI_MAX_PARAMS];
    const char *comfyui[MV_CLI_MAX_COMFYUI];
    size_t comfyui_count;
    const char *checkpoints[MV_CLI_MAX_COMFYUI]; /* --checkpoint MODEL=FILE */
    size_t checkpoint_count;
    const char *models_dir;      /* --models-dir: custom workflows, <id>.checkpoint files */
    int keep;
    int no_sidecars;             /* 1: no NAME.srt / NAME.lrc beside the video */
    const char *generate_only;   /* the first generate-only option given, for errors */
    /* every command */
    const char *data_dir, *server, *api_key;
    const char *queue;           /* --queue: submit to and follow a shared Redis queue */
    const char *suno_token_file; /* local engine: the Suno session token's file */
    int json, quiet, verbose, help, version;
} mv_cli_opts;

/* Parses argv. Returns MV_CLI_EXIT_OK, or MV_CLI_EXIT_USAGE after printing why on stderr. */
int mv_cli_parse_args(int argc, char **argv, mv_cli_opts *opts);
/* The text given for the job parameter with this JSON name (e.g. "model_type"), or NULL. */
const char *mv_cli_param(const mv_cli_opts *opts, const char *name);
/* Reads a text file given to a MAIVID_PARAM_CLI_FILE option (such as --lyrics) whole.
 * Returns it (caller frees), or NULL after printing a usage error naming the option. */
char *mv_cli_read_param_file(const maivid_param_info *info, const char *path);
/* Sets every job parameter given on the command line into `p`, reading the files of
 * file options; owned[i] (MV_CLI_MAX_PARAMS entries, NULL on entry) gets what the caller
 * frees. Returns an exit code after printing any problem. */
int mv_cli_params_apply(const mv_cli_opts *opts, maivid_job_params *p, char **owned);
/* Adds every job parameter given on the command line to a create request body, under the
 * server's field names. Returns an exit code (a local-only option is a usage error). */
int mv_cli_params_to_json(const mv_cli_opts *opts, cJSON *body);

/* Prints the help of `command` (NULL: the overview) on stdout. 0 if the command exists. */
int mv_cli_print_help(const char *command);
/* Prints "<message>" and "Try 'maivid-cli [COMMAND] --help'." on stderr; returns 2. */
int mv_cli_usage_error(const char *command, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
/* Prints "maivid-cli: <message>" on stderr. */
void mv_cli_error(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* ---- local mode (libmaivid) */

/* Resolves the data directory: --data-dir, $MAIVID_DATA_DIR, $XDG_DATA_HOME/maivid or
 * ~/.local/share/maivid. Caller frees. */
char *mv_cli_data_dir(const mv_cli_opts *opts);
/* Opens an engine on the data directory (local files and private URLs allowed). Stored jobs
 * left queued or running are resumed only with resume_interrupted (see data_lock.h).
 * Returns an exit code; prints the reason on failure. */
int mv_cli_engine_open(const mv_cli_opts *opts, int resume_interrupted, maivid_engine **out);
/* The ComfyUI URLs: --comfyui, else $MAIVID_COMFYUI_URL (comma separated). Fills `urls`
 * (pointing into `storage`, a caller buffer) and returns the count. */
size_t mv_cli_comfyui_urls(const mv_cli_opts *opts, char *storage, size_t storage_size,
                           const char **urls, size_t max_urls);

/* Reopens *engine to restart jobs left queued/running by a maivid-cli that died, when no
 * other maivid-cli works in the data directory; cancels those other than job_id. On success
 * *lock_fd holds the data lock exclusively (downgrade or release it). Returns an exit code. */
int mv_cli_take_over(const mv_cli_opts *opts, maivid_engine **engine, const char *job_id,
                     int *lock_fd);

int mv_cli_cmd_generate(const mv_cli_opts *opts);
int mv_cli_cmd_resume(const mv_cli_opts *opts);
int mv_cli_cmd_catalog(const mv_cli_opts *opts);
int mv_cli_cmd_list(const mv_cli_opts *opts);
int mv_cli_cmd_status(const mv_cli_opts *opts);
int mv_cli_cmd_cancel(const mv_cli_opts *opts);

/* Checks the catalog-backed options (model, style, transition, aspect, motion) against the
 * catalogs; on an unknown value prints the valid ones and returns MV_CLI_EXIT_USAGE. */
int mv_cli_check_choices(const mv_cli_opts *opts, maivid_engine *engine, const char *model);

/* ---- remote mode (maivid-server) */

int mv_cli_remote_generate(const mv_cli_opts *opts);
int mv_cli_remote_catalog(const mv_cli_opts *opts);
int mv_cli_remote_list(const mv_cli_opts *opts);
int mv_cli_remote_status(const mv_cli_opts *opts);
int mv_cli_remote_cancel(const mv_cli_opts *opts);

/* ---- shared printing */

/* Prints a catalog array as a table (or JSON with opts->json) on stdout. */
void mv_cli_print_catalog(const cJSON *entries, int as_json);
/* Prints one job status object readably on stdout. */
void mv_cli_print_status(const cJSON *status);
/* Prints a table of job status objects on stdout. */
void mv_cli_print_job_table(const cJSON *statuses);
/* Prints a JSON value on stdout, indented, with a newline. */
void mv_cli_print_json(const cJSON *value);
/* The exit code for a failed job's status object (3 for fetch or URL policy errors). */
int mv_cli_exit_for_failed_status(const cJSON *status);

#endif /* MV_CLI_H */
