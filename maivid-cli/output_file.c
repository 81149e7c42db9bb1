/*
 * output_file.c - saves the finished MP4 under its final name atomically (see output_file.h),
 * and its captions (NAME.srt, NAME.lrc) beside it.
 */
#include "output_file.h"
#include "cli.h"
#include "signals.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int mv_cli_output_prepare(mv_cli_output *out, const char *option)
{
    memset(out, 0, sizeof *out);
    struct stat st;
    if (!option || !*option) {
        snprintf(out->dir, sizeof out->dir, ".");
    } else if (stat(option, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(out->dir, sizeof out->dir, "%s", option);
    } else {
        snprintf(out->path, sizeof out->path, "%s", option);
        const char *slash = strrchr(option, '/');
        if (!slash)
            snprintf(out->dir, sizeof out->dir, ".");
        else if (slash == option)
            snprintf(out->dir, sizeof out->dir, "/");
        else
            snprintf(out->dir, sizeof out->dir, "%.*s", (int)(slash - option), option);
        if (slash && slash[1] == '\0')
            return mv_cli_usage_error("generate", "--output '%s' names a directory that does "
                                      "not exist: create it first", option);
    }
    if (stat(out->dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return mv_cli_usage_error("generate", "the output directory '%s' does not exist: "
                                  "create it or pick another --output", out->dir);
    if (access(out->dir, W_OK | X_OK) != 0)
        return mv_cli_usage_error("generate", "cannot write into '%s' (%s): pick another "
                                  "--output", out->dir, strerror(errno));
    return MV_CLI_EXIT_OK;
}

int mv_cli_output_open_temp(mv_cli_output *out)
{
    if (snprintf(out->temp, sizeof out->temp, "%s/.maivid-XXXXXX.part", out->dir) >=
        (int)sizeof out->temp) {
        out->temp[0] = '\0';
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = mkstemps(out->temp, 5);
    if (fd < 0)
        out->temp[0] = '\0';
    return fd;
}

static int mv_cli_copy_fd(mv_cli_output *out, int from, int to)
{
    char buf[1 << 16];
    for (;;) {
        int signo = mv_cli_signals_take();
        if (signo) {
            out->signo = signo;
            errno = EINTR;
            return -1;
        }
        ssize_t n = read(from, buf, sizeof buf);
        if (n == 0)
            return 0;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(to, buf + done, (size_t)(n - done));
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                return -1;
            }
            done += w;
        }
    }
}

int mv_cli_output_take(mv_cli_output *out, const char *source, int move, char *err, size_t err_size)
{
    int fd = mv_cli_output_open_temp(out);
    if (fd < 0) {
        snprintf(err, err_size, "cannot create a file in '%s': %s", out->dir, strerror(errno));
        return -1;
    }
    if (move && rename(source, out->temp) == 0) {
        close(fd);
        return 0;
    }
    int in = open(source, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        snprintf(err, err_size, "cannot read the finished video '%s': %s", source, strerror(errno));
        close(fd);
        mv_cli_output_discard(out);
        return -1;
    }
    int rc = mv_cli_copy_fd(out, in, fd);
    int saved = errno;
    close(in);
    if (close(fd) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc != 0) {
        snprintf(err, err_size, "cannot copy the video into '%s': %s", out->dir,
                 out->signo ? "interrupted" : strerror(saved));
        mv_cli_output_discard(out);
    }
    return rc;
}

void mv_cli_sanitize_title(const char *title, char *buf, size_t size)
{
    size_t used = 0, limit = size - 1 < 100 ? size - 1 : 100;
    int pending_space = 0;
    for (const unsigned char *p = (const unsigned char *)(title ? title : ""); *p; p++) {
        unsigned char c = *p;
        int bad = c < 0x20 || c == 0x7f || strchr("/\\:*?\"<>|`$", c) != NULL;
        if (bad || c == ' ' || c == '\t') {
            pending_space = used > 0;
            continue;
        }
        size_t len = 1; /* keep a UTF-8 sequence whole or not at all */
        if (c >= 0xc0)
            while (len < 4 && (p[len] & 0xc0) == 0x80)
                len++;
        if (used + (size_t)pending_space + len > limit)
            break;
        if (pending_space)
            buf[used++] = ' ';
        pending_space = 0;
        if (used == 0 && c == '.')
            continue; /* no hidden files */
        memcpy(buf + used, p, len);
        used += len;
        p += len - 1;
    }
    buf[used] = '\0';
    if (used == 0)
        snprintf(buf, size, "maivid-video");
}

int mv_cli_output_publish(mv_cli_output *out, const char *title, char *final_path,
                          size_t final_size, char *err, size_t err_size)
{
    int fd = open(out->temp, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    chmod(out->temp, 0644); /* mkstemp made it 0600; a video is not a secret */
    if (out->path[0]) {
        if (rename(out->temp, out->path) != 0) {
            snprintf(err, err_size, "cannot save '%s': %s", out->path, strerror(errno));
            mv_cli_output_discard(out);
            return -1;
        }
        snprintf(final_path, final_size, "%s", out->path);
        out->temp[0] = '\0';
        return 0;
    }
    char name[128];
    mv_cli_sanitize_title(title, name, sizeof name);
    const char *prefix = strcmp(out->dir, ".") == 0 ? "" : out->dir;
    const char *sep = prefix[0] && prefix[strlen(prefix) - 1] != '/' ? "/" : "";
    for (int n = 1; n < 1000; n++) {
        if (n == 1)
            snprintf(final_path, final_size, "%s%s%s.mp4", prefix, sep, name);
        else
            snprintf(final_path, final_size, "%s%s%s (%d).mp4", prefix, sep, name, n);
        /* link() fails with EEXIST instead of replacing: no race with another writer */
        if (link(out->temp, final_path) == 0) {
            unlink(out->temp);
            out->temp[0] = '\0';
            return 0;
        }
        if (errno == EEXIST)
            continue;
        struct stat st; /* a file system without hard links: check, then rename */
        if (stat(final_path, &st) == 0)
            continue;
        if (rename(out->temp, final_path) == 0) {
            out->temp[0] = '\0';
            return 0;
        }
        snprintf(err, err_size, "cannot save '%s': %s", final_path, strerror(errno));
        mv_cli_output_discard(out);
        return -1;
    }
    snprintf(err, err_size, "too many files named '%s' in '%s': pass --output", name, out->dir);
    mv_cli_output_discard(out);
    return -1;
}

void mv_cli_output_discard(mv_cli_output *out)
{
    if (out->temp[0])
        unlink(out->temp);
    out->temp[0] = '\0';
}

/* Copies `from` to `to` through "<to>.part". 0, 1 when `from` does not exist, -1 (errno). */
static int mv_cli_copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return errno == ENOENT ? 1 : -1;
    char part[4300];
    if (snprintf(part, sizeof part, "%s.part", to) >= (int)sizeof part) {
        close(in);
        errno = ENAMETOOLONG;
        return -1;
    }
    int outfd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int ok = outfd >= 0;
    char buf[16384];
    ssize_t n;
    while (ok && (n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0 || write(outfd, buf, (size_t)n) != n)
            ok = 0;
    }
    close(in);
    if (outfd >= 0 && close(outfd) != 0)
        ok = 0;
    if (ok && rename(part, to) == 0)
        return 0;
    int saved = errno;
    unlink(part);
    errno = saved;
    return -1;
}

int mv_cli_output_sidecars(const char *video_path, const char *job_dir, char *err,
                           size_t err_size)
{
    static const char *const kinds[] = {"srt", "lrc"};
    size_t len = strlen(video_path);
    if (len > 4 && strcmp(video_path + len - 4, ".mp4") == 0)
        len -= 4;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        char from[4200], to[4200];
        snprintf(from, sizeof from, "%s/captions.%s", job_dir, kinds[k]);
        snprintf(to, sizeof to, "%.*s.%s", (int)len, video_path, kinds[k]);
        if (mv_cli_copy_file(from, to) < 0) {
            snprintf(err, err_size, "cannot write the captions '%s': %s", to, strerror(errno));
            return -1;
        }
    }
    return 0;
}
