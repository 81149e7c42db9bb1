/*
 * cli_harness.c - runs maivid-cli for the end-to-end tests (see cli_harness.h).
 */
#include "cli_harness.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libavformat/avformat.h>

const char *mv_cli_binary(void)
{
    const char *path = getenv("MAIVID_CLI");
    return path && *path ? path : MAIVID_TEST_BINARY_DIR "/bin/maivid-cli";
}

static double mv_cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* In the child: environment, directory, then exec. Never returns. */
static void mv_cli_exec(const char *program, const char *const *args, const char *const *env,
                        const char *cwd)
{
    unsetenv("MAIVID_SERVER");
    unsetenv("MAIVID_API_KEY");
    unsetenv("MAIVID_COMFYUI_URL");
    for (size_t i = 0; env && env[i]; i++) {
        const char *eq = strchr(env[i], '=');
        if (!eq) {
            unsetenv(env[i]);
            continue;
        }
        char key[256];
        snprintf(key, sizeof key, "%.*s", (int)(eq - env[i]), env[i]);
        setenv(key, eq + 1, 1);
    }
    if (cwd && chdir(cwd) != 0)
        _exit(126);
    size_t n = 0;
    while (args[n])
        n++;
    char **argv = calloc(n + 2, sizeof *argv);
    if (!argv)
        _exit(126);
    argv[0] = (char *)program;
    for (size_t i = 0; i < n; i++)
        argv[i + 1] = (char *)args[i];
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    execv(program, argv);
    _exit(127);
}

static void mv_cli_append(char **buf, size_t *len, const char *data, size_t n)
{
    char *grown = realloc(*buf, *len + n + 1);
    if (!grown)
        abort();
    memcpy(grown + *len, data, n);
    *len += n;
    grown[*len] = '\0';
    *buf = grown;
}

/* Reads what is available from fd; returns 0 at EOF (or error), 1 otherwise. */
static int mv_cli_drain(int fd, char **buf, size_t *len)
{
    char chunk[8192];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n > 0) {
            mv_cli_append(buf, len, chunk, (size_t)n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return 1;
        return 0; /* EOF, or EIO on a pty whose child has gone */
    }
}

static int mv_cli_decode_status(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return -1;
}

int mv_cli_spawn(const char *program, const char *const *args, const char *const *env,
                 const char *cwd, mv_cli_child *child)
{
    memset(child, 0, sizeof *child);
    child->out_fd = child->err_fd = -1;
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0)
        return -1;
    if (pipe2(err, O_CLOEXEC) != 0) {
        close(out[0]);
        close(out[1]);
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        dup2(err[1], STDERR_FILENO);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, STDIN_FILENO);
        mv_cli_exec(program, args, env, cwd);
    }
    close(out[1]);
    close(err[1]);
    if (pid < 0) {
        close(out[0]);
        close(err[0]);
        return -1;
    }
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    fcntl(err[0], F_SETFL, O_NONBLOCK);
    child->pid = pid;
    child->out_fd = out[0];
    child->err_fd = err[0];
    mv_cli_append(&child->out, &child->out_len, "", 0);
    mv_cli_append(&child->err, &child->err_len, "", 0);
    return 0;
}

/* Polls the open pipes for up to timeout_ms and reads them. */
static void mv_cli_child_pump(mv_cli_child *child, int timeout_ms)
{
    struct pollfd fds[2];
    nfds_t n = 0;
    if (child->out_fd >= 0)
        fds[n++] = (struct pollfd){child->out_fd, POLLIN, 0};
    if (child->err_fd >= 0)
        fds[n++] = (struct pollfd){child->err_fd, POLLIN, 0};
    if (n == 0) {
        usleep((useconds_t)timeout_ms * 1000);
        return;
    }
    poll(fds, n, timeout_ms);
    if (child->out_fd >= 0 && !mv_cli_drain(child->out_fd, &child->out, &child->out_len)) {
        close(child->out_fd);
        child->out_fd = -1;
    }
    if (child->err_fd >= 0 && !mv_cli_drain(child->err_fd, &child->err, &child->err_len)) {
        close(child->err_fd);
        child->err_fd = -1;
    }
}

int mv_cli_child_wait_for(mv_cli_child *child, const char *needle, int in_stdout, double timeout_s)
{
    double deadline = mv_cli_now() + timeout_s;
    while (mv_cli_now() < deadline) {
        if (strstr(in_stdout ? child->out : child->err, needle))
            return 1;
        if (child->out_fd < 0 && child->err_fd < 0)
            return 0;
        mv_cli_child_pump(child, 50);
    }
    return strstr(in_stdout ? child->out : child->err, needle) != NULL;
}

int mv_cli_child_finish(mv_cli_child *child, double timeout_s)
{
    double deadline = mv_cli_now() + timeout_s;
    int status = 0, killed = 0;
    for (;;) {
        mv_cli_child_pump(child, 50);
        pid_t done = waitpid(child->pid, &status, WNOHANG);
        if (done == child->pid)
            break;
        if (!killed && mv_cli_now() > deadline) {
            kill(child->pid, SIGKILL);
            killed = 1;
        }
    }
    while (child->out_fd >= 0 || child->err_fd >= 0)
        mv_cli_child_pump(child, 50);
    child->pid = 0;
    return killed ? -1 : mv_cli_decode_status(status);
}

void mv_cli_child_free(mv_cli_child *child)
{
    if (child->pid > 0) {
        kill(child->pid, SIGKILL);
        waitpid(child->pid, NULL, 0);
    }
    if (child->out_fd >= 0)
        close(child->out_fd);
    if (child->err_fd >= 0)
        close(child->err_fd);
    free(child->out);
    free(child->err);
    memset(child, 0, sizeof *child);
}

void mv_cli_run(const char *const *args, const char *const *env, const char *cwd,
                double timeout_s, mv_cli_result *result)
{
    memset(result, 0, sizeof *result);
    mv_cli_child child;
    if (mv_cli_spawn(mv_cli_binary(), args, env, cwd, &child) != 0) {
        result->exit_code = -1;
        result->out = strdup("");
        result->err = strdup("spawn failed");
        return;
    }
    result->exit_code = mv_cli_child_finish(&child, timeout_s);
    result->out = child.out;
    result->err = child.err;
    child.out = child.err = NULL;
    mv_cli_child_free(&child);
}

void mv_cli_run_pty(const char *const *args, const char *const *env, const char *cwd,
                    double timeout_s, mv_cli_result *result)
{
    memset(result, 0, sizeof *result);
    result->err = strdup("");
    struct winsize ws = {.ws_row = 30, .ws_col = 100};
    int master = -1;
    pid_t pid = forkpty(&master, NULL, NULL, &ws);
    if (pid == 0)
        mv_cli_exec(mv_cli_binary(), args, env, cwd);
    if (pid < 0) {
        result->exit_code = -1;
        result->out = strdup("");
        return;
    }
    fcntl(master, F_SETFL, O_NONBLOCK);
    size_t len = 0;
    mv_cli_append(&result->out, &len, "", 0);
    double deadline = mv_cli_now() + timeout_s;
    int status = 0, killed = 0, open_fd = 1;
    for (;;) {
        if (open_fd) {
            struct pollfd pfd = {master, POLLIN, 0};
            poll(&pfd, 1, 50);
            open_fd = mv_cli_drain(master, &result->out, &len);
        } else {
            usleep(20000);
        }
        if (waitpid(pid, &status, WNOHANG) == pid) {
            while (open_fd) { /* what the child wrote just before exiting */
                struct pollfd pfd = {master, POLLIN, 0};
                if (poll(&pfd, 1, 100) <= 0)
                    break;
                open_fd = mv_cli_drain(master, &result->out, &len);
            }
            break;
        }
        if (!killed && mv_cli_now() > deadline) {
            kill(pid, SIGKILL);
            killed = 1;
        }
    }
    close(master);
    result->exit_code = killed ? -1 : mv_cli_decode_status(status);
}

void mv_cli_result_free(mv_cli_result *result)
{
    free(result->out);
    free(result->err);
    memset(result, 0, sizeof *result);
}

int mv_cli_probe_video(const char *path, double *duration, int *width, int *height)
{
    AVFormatContext *fmt = NULL;
    *duration = 0;
    *width = *height = 0;
    if (avformat_open_input(&fmt, path, NULL, NULL) < 0)
        return 0;
    int h264 = 0, aac = 0;
    if (avformat_find_stream_info(fmt, NULL) >= 0) {
        for (unsigned i = 0; i < fmt->nb_streams; i++) {
            const AVCodecParameters *par = fmt->streams[i]->codecpar;
            if (par->codec_type == AVMEDIA_TYPE_VIDEO && par->codec_id == AV_CODEC_ID_H264) {
                h264 = 1;
                *width = par->width;
                *height = par->height;
            }
            if (par->codec_type == AVMEDIA_TYPE_AUDIO && par->codec_id == AV_CODEC_ID_AAC)
                aac = 1;
        }
        if (fmt->duration > 0)
            *duration = (double)fmt->duration / AV_TIME_BASE;
    }
    avformat_close_input(&fmt);
    return h264 && aac;
}

int mv_cli_count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            count++;
    closedir(d);
    return count;
}

int mv_cli_closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
        getsockname(fd, (struct sockaddr *)&addr, &len) == 0)
        port = ntohs(addr.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

pid_t mv_cli_spawn_logged(const char *program, const char *const *args, const char *const *env,
                          const char *cwd, const char *log_path)
{
    int log = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(log, STDOUT_FILENO);
        dup2(log, STDERR_FILENO);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, STDIN_FILENO);
        mv_cli_exec(program, args, env, cwd);
    }
    close(log);
    return pid;
}

char *mv_cli_wait_for_file(const char *path, const char *needle, double timeout_s)
{
    double deadline = mv_cli_now() + timeout_s;
    for (;;) {
        FILE *f = fopen(path, "rb");
        char *buf = NULL;
        size_t len = 0;
        mv_cli_append(&buf, &len, "", 0);
        if (f) {
            char chunk[4096];
            size_t n;
            while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
                mv_cli_append(&buf, &len, chunk, n);
            fclose(f);
        }
        if (strstr(buf, needle))
            return buf;
        free(buf);
        if (mv_cli_now() > deadline)
            return NULL;
        usleep(50000);
    }
}

int mv_cli_stop(pid_t pid, int signo, double timeout_s)
{
    kill(pid, signo);
    double deadline = mv_cli_now() + timeout_s;
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) != pid) {
        if (mv_cli_now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        usleep(20000);
    }
    return mv_cli_decode_status(status);
}
