/*
 * cli_harness.h - runs the real maivid-cli binary for the end-to-end tests: with pipes
 * (stdout and stderr captured separately), under a pseudo-terminal, or in the background
 * so a test can signal it; plus a libavformat probe of the videos it makes.
 */
#ifndef MV_CLI_HARNESS_H
#define MV_CLI_HARNESS_H

#include <stddef.h>
#include <sys/types.h>

typedef struct mv_cli_result {
    int exit_code;   /* the exit status, or 128 + signal when killed, -1 on timeout */
    char *out;       /* stdout (or the whole terminal output under a pty) */
    char *err;       /* stderr ("" under a pty) */
} mv_cli_result;

/* The binary under test ($MAIVID_CLI). */
const char *mv_cli_binary(void);

/* Runs maivid-cli with args (NULL-terminated, without argv[0]) in cwd. env entries
 * "KEY=VALUE" set a variable, "KEY" unsets it (NULL-terminated; may be NULL). MAIVID_SERVER,
 * MAIVID_API_KEY and MAIVID_COMFYUI_URL are always unset first. Kills it after timeout_s. */
void mv_cli_run(const char *const *args, const char *const *env, const char *cwd,
                double timeout_s, mv_cli_result *result);
/* The same under a pseudo-terminal of 100 columns (stdout and stderr both go to it). */
void mv_cli_run_pty(const char *const *args, const char *const *env, const char *cwd,
                    double timeout_s, mv_cli_result *result);
void mv_cli_result_free(mv_cli_result *result);

/* Starts maivid-cli in the background with stdout and stderr on pipes (non-blocking). */
typedef struct mv_cli_child {
    pid_t pid;
    int out_fd, err_fd;
    char *out, *err;
    size_t out_len, err_len;
} mv_cli_child;
int mv_cli_spawn(const char *program, const char *const *args, const char *const *env,
                 const char *cwd, mv_cli_child *child);
/* Reads what is available; waits until `needle` appears in stderr (or stdout when
 * in_stdout), up to timeout_s. Returns 1 if found. */
int mv_cli_child_wait_for(mv_cli_child *child, const char *needle, int in_stdout, double timeout_s);
/* Waits for the child to exit (kills it after timeout_s), collecting output. Returns the
 * exit code as in mv_cli_result. Frees nothing: call mv_cli_child_free. */
int mv_cli_child_finish(mv_cli_child *child, double timeout_s);
void mv_cli_child_free(mv_cli_child *child);

/* Starts a program in the background with stdout and stderr appended to log_path (so a
 * long-running server never blocks on a full pipe). Returns its pid or -1. */
pid_t mv_cli_spawn_logged(const char *program, const char *const *args, const char *const *env,
                          const char *cwd, const char *log_path);
/* Waits until the file at path contains needle (up to timeout_s); returns its content
 * (caller frees) or NULL. */
char *mv_cli_wait_for_file(const char *path, const char *needle, double timeout_s);
/* Sends signo to pid and reaps it (SIGKILL after timeout_s). Returns the exit code. */
int mv_cli_stop(pid_t pid, int signo, double timeout_s);

/* Probes a video: 1 if it has an H.264 video and an AAC audio stream; writes the duration. */
int mv_cli_probe_video(const char *path, double *duration, int *width, int *height);

/* Counts the entries (not . and ..) of a directory; -1 if it cannot be read. */
int mv_cli_count_entries(const char *dir);
/* A TCP port on 127.0.0.1 where nothing listens (bound, then closed). */
int mv_cli_closed_port(void);

#endif /* MV_CLI_HARNESS_H */
