/*
 * mv_files.c - file helpers: recursive mkdir and remove, whole-file reads, and the atomic
 * write (temp file, fsync, rename, fsync of the directory) that keeps job records whole
 * whatever moment the process dies, in one call or as a stream (open, write, commit), and
 * the removal of the temp files a killed writer left.
 */
#include "mv_common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

maivid_code mv_mkdir_p(const char *path, mv_error *err)
{
    char buf[4096];
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof buf)
        return mv_fail(err, MAIVID_E_IO, "cannot create directory '%s': path too long", path);
    memcpy(buf, path, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char saved = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
                return mv_fail(err, MAIVID_E_IO,
                               "cannot create directory '%s': %s (check the path and its "
                               "permissions)",
                               buf, strerror(errno));
            }
            buf[i] = saved;
        }
    }
    return MAIVID_OK;
}

static void mv_fsync_parent(const char *path)
{
    char dir[4096];
    mv_strlcpy(dir, path, sizeof dir);
    char *slash = strrchr(dir, '/');
    if (!slash)
        mv_strlcpy(dir, ".", sizeof dir);
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

#define MV_TEMP_INFIX ".tmp." /* <path>.tmp.<pid of the writer> */

static void mv_temp_name(const char *path, char *tmp, size_t size)
{
    snprintf(tmp, size, "%s" MV_TEMP_INFIX "%ld", path, (long)getpid());
}

/* The last step of every atomic write: tmp (flushed and closed) becomes path. */
static maivid_code mv_rename_into(const char *tmp, const char *path, mv_error *err)
{
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return mv_fail(err, MAIVID_E_IO, "cannot rename '%s' to '%s': %s", tmp, path,
                       strerror(e));
    }
    mv_fsync_parent(path);
    return MAIVID_OK;
}

maivid_code mv_write_file_atomic(const char *path, const void *data, size_t len, mv_error *err)
{
    char tmp[4200];
    mv_temp_name(path, tmp, sizeof tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return mv_fail(err, MAIVID_E_IO, "cannot write '%s': %s", tmp, strerror(errno));
    const char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            unlink(tmp);
            return mv_fail(err, MAIVID_E_IO, "cannot write '%s': %s (is the disk full?)", tmp,
                           strerror(e));
        }
        p += n;
        left -= (size_t)n;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        int e = errno;
        unlink(tmp);
        return mv_fail(err, MAIVID_E_IO, "cannot flush '%s': %s", tmp, strerror(e));
    }
    return mv_rename_into(tmp, path, err);
}

FILE *mv_atomic_open(const char *path, char *tmp, size_t tmp_size, mv_error *err)
{
    mv_temp_name(path, tmp, tmp_size);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        mv_fail(err, MAIVID_E_IO, "cannot write '%s': cannot create '%s': %s (check that the "
                "folder exists and that this user may write there)", path, tmp,
                strerror(errno));
        return NULL;
    }
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        mv_fail(err, MAIVID_E_NOMEM, "out of memory opening '%s'", tmp);
        close(fd);
        unlink(tmp);
    }
    return f;
}

maivid_code mv_atomic_commit(FILE *f, const char *tmp, const char *path, mv_error *err)
{
    int e = 0;
    if (fflush(f) != 0 || ferror(f))
        e = errno ? errno : EIO;
    else if (fsync(fileno(f)) != 0)
        e = errno;
    if (fclose(f) != 0 && !e)
        e = errno;
    if (e) {
        unlink(tmp);
        return mv_fail(err, MAIVID_E_IO, "cannot write '%s': %s (free some disk space, or "
                       "choose a folder on a disk with room)", path, strerror(e));
    }
    return mv_rename_into(tmp, path, err);
}

void mv_atomic_abort(FILE *f, const char *tmp)
{
    if (f)
        fclose(f);
    unlink(tmp);
}

maivid_code mv_read_file(const char *path, char **data, size_t *len, mv_error *err)
{
    *data = NULL;
    if (len)
        *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return mv_fail(err, errno == ENOENT ? MAIVID_E_NOT_FOUND : MAIVID_E_IO,
                       "cannot read '%s': %s", path, strerror(errno));
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory reading '%s'", path);
    }
    for (;;) {
        if (n + 1 >= cap) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                fclose(f);
                return mv_fail(err, MAIVID_E_NOMEM, "out of memory reading '%s'", path);
            }
            buf = bigger;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return mv_fail(err, MAIVID_E_IO, "error reading '%s'", path);
    }
    buf[n] = '\0';
    *data = buf;
    if (len)
        *len = n;
    return MAIVID_OK;
}

maivid_code mv_remove_tree(const char *path, mv_error *err)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? MAIVID_OK
                               : mv_fail(err, MAIVID_E_IO, "cannot remove '%s': %s", path,
                                         strerror(errno));
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (!d)
            return mv_fail(err, MAIVID_E_IO, "cannot open '%s': %s", path, strerror(errno));
        struct dirent *de;
        maivid_code rc = MAIVID_OK;
        while ((de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            char *child = mv_strdup_printf("%s/%s", path, de->d_name);
            if (!child) {
                rc = MAIVID_E_NOMEM;
                break;
            }
            rc = mv_remove_tree(child, err);
            free(child);
            if (rc != MAIVID_OK)
                break;
        }
        closedir(d);
        if (rc != MAIVID_OK)
            return rc;
        if (rmdir(path) != 0)
            return mv_fail(err, MAIVID_E_IO, "cannot remove '%s': %s", path, strerror(errno));
        return MAIVID_OK;
    }
    if (unlink(path) != 0 && errno != ENOENT)
        return mv_fail(err, MAIVID_E_IO, "cannot remove '%s': %s", path, strerror(errno));
    return MAIVID_OK;
}

int mv_file_exists(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0;
}

int64_t mv_file_size(const char *path)
{
    struct stat st;
    if (!path || stat(path, &st) != 0)
        return -1;
    return (int64_t)st.st_size;
}

/* The writer's pid when `name` is one of our temp names, else 0. */
static long mv_temp_writer(const char *name)
{
    const char *infix = NULL;
    for (const char *p = strstr(name, MV_TEMP_INFIX); p; p = strstr(p + 1, MV_TEMP_INFIX))
        infix = p;
    if (!infix || infix == name)
        return 0;
    char *end = NULL;
    long pid = strtol(infix + strlen(MV_TEMP_INFIX), &end, 10);
    return end && *end == '\0' && pid > 0 ? pid : 0;
}

int mv_remove_stale_temp_files(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int removed = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char path[4200];
        if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= (int)sizeof path)
            continue;
        struct stat st;
        if (lstat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (depth > 0)
                removed += mv_remove_stale_temp_files(path, depth - 1);
            continue;
        }
        long pid = mv_temp_writer(de->d_name);
        if (pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH &&
            unlink(path) == 0)
            removed++;
    }
    closedir(d);
    return removed;
}
