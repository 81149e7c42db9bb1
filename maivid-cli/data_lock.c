/*
 * data_lock.c - the data directory's maivid-cli lock (see data_lock.h), with flock(2), which
 * the kernel releases when a process dies however it dies.
 */
#include "data_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

static int mv_cli_data_lock_open(const char *data_dir)
{
    char path[4200];
    if (snprintf(path, sizeof path, "%s/cli.lock", data_dir) >= (int)sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
}

static int mv_cli_data_lock(const char *data_dir, int operation)
{
    int fd = mv_cli_data_lock_open(data_dir);
    if (fd < 0)
        return -1;
    while (flock(fd, operation) != 0) {
        if (errno == EINTR)
            continue;
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int mv_cli_data_lock_shared(const char *data_dir)
{
    return mv_cli_data_lock(data_dir, LOCK_SH);
}

int mv_cli_data_lock_exclusive(const char *data_dir)
{
    return mv_cli_data_lock(data_dir, LOCK_EX | LOCK_NB);
}

void mv_cli_data_lock_downgrade(int fd)
{
    if (fd >= 0)
        flock(fd, LOCK_SH);
}

void mv_cli_data_unlock(int fd)
{
    if (fd >= 0)
        close(fd);
}
