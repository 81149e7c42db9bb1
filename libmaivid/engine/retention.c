/*
 * retention.c - removes old ended jobs (completed, failed, cancelled) so a long-running
 * server's data directory does not grow without end: first every job that ended more than
 * keep_days ago, then, while all jobs' files together exceed max_data_bytes, the ended jobs
 * that ended first. A queued, running or dormant job is never touched: removal goes through
 * maivid_job_delete(), which refuses a job that is not ended at that moment.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/mv_engine.h"

typedef struct mv_kept_job {
    char id[MAIVID_JOB_ID_SIZE];
    char *dir;
    double ended_at;   /* epoch seconds */
    uint64_t bytes;    /* disk use of its directory */
    int removable;     /* ended and not held by a worker */
    int remove;
} mv_kept_job;

int mv_retention_enabled(const maivid_engine *e)
{
    return e->keep_seconds > 0 || e->max_data_bytes > 0;
}

/* Disk use of a directory tree (what du counts), symlinks not followed. */
static uint64_t mv_dir_bytes_at(int dirfd, int depth)
{
    DIR *d = fdopendir(dirfd);
    if (!d) {
        close(dirfd);
        return 0;
    }
    uint64_t total = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        struct stat st;
        if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
        total += (uint64_t)st.st_blocks * 512u;
        if (S_ISDIR(st.st_mode) && depth < 16) {
            int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub >= 0)
                total += mv_dir_bytes_at(sub, depth + 1);
        }
    }
    closedir(d);
    return total;
}

static uint64_t mv_dir_bytes(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    return (uint64_t)st.st_blocks * 512u + mv_dir_bytes_at(fd, 0);
}

/* When the job ended; a record without times (a damaged one) counts from its directory. */
static double mv_ended_at(const mv_job *job)
{
    double t = job->completed_at > 0 ? job->completed_at
               : job->updated_at > 0 ? job->updated_at
                                     : job->created_at;
    struct stat st;
    if (t <= 0 && stat(job->dir, &st) == 0)
        t = (double)st.st_mtime;
    return t;
}

static int mv_by_end_time(const void *a, const void *b)
{
    const mv_kept_job *x = a, *y = b;
    if (x->ended_at != y->ended_at)
        return x->ended_at < y->ended_at ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* With the lock held: a copy of what the sweep needs about every job. */
static mv_kept_job *mv_snapshot_locked(maivid_engine *e, size_t *count)
{
    *count = 0;
    mv_kept_job *list = calloc(e->job_count ? e->job_count : 1, sizeof *list);
    if (!list)
        return NULL;
    for (size_t i = 0; i < e->job_count; i++) {
        const mv_job *job = e->jobs[i];
        mv_kept_job *k = &list[*count];
        k->dir = mv_strdup(job->dir);
        if (!k->dir)
            continue;
        mv_strlcpy(k->id, job->id, sizeof k->id);
        k->ended_at = mv_ended_at(job);
        k->removable = mv_job_ended(job) && !job->in_pipeline && !job->dormant;
        (*count)++;
    }
    return list;
}

static void mv_mark_victims(maivid_engine *e, mv_kept_job *list, size_t count, double now)
{
    uint64_t total = 0;
    for (size_t i = 0; i < count; i++) {
        if (e->max_data_bytes > 0)
            list[i].bytes = mv_dir_bytes(list[i].dir);
        total += list[i].bytes;
        if (list[i].removable && e->keep_seconds > 0 && now - list[i].ended_at > e->keep_seconds)
            list[i].remove = 1;
    }
    if (e->max_data_bytes == 0)
        return;
    for (size_t i = 0; i < count; i++)
        if (list[i].remove)
            total -= list[i].bytes;
    qsort(list, count, sizeof *list, mv_by_end_time);
    for (size_t i = 0; i < count && total > e->max_data_bytes; i++) {
        if (list[i].removable && !list[i].remove) {
            list[i].remove = 2;
            total -= list[i].bytes;
        }
    }
}

size_t mv_retention_sweep(maivid_engine *e, double now)
{
    if (!mv_retention_enabled(e))
        return 0;
    pthread_mutex_lock(&e->lock);
    if (e->sweeping) {
        pthread_mutex_unlock(&e->lock);
        return 0;
    }
    e->sweeping = 1;
    size_t count = 0;
    mv_kept_job *list = mv_snapshot_locked(e, &count);
    pthread_mutex_unlock(&e->lock);

    size_t removed = 0;
    if (list) {
        mv_mark_victims(e, list, count, now);
        for (size_t i = 0; i < count; i++) {
            if (list[i].remove && maivid_job_delete(e, list[i].id) == MAIVID_OK) {
                removed++;
                if (list[i].remove == 1)
                    mv_engine_log(e, MAIVID_LOG_INFO, NULL,
                                  "removed job %s: it ended %.1f days ago (keep_days %g)",
                                  list[i].id, (now - list[i].ended_at) / 86400.0,
                                  e->keep_seconds / 86400.0);
                else
                    mv_engine_log(e, MAIVID_LOG_INFO, NULL,
                                  "removed job %s (%.1f MB): the jobs' files exceeded "
                                  "max_data_bytes (%.1f MB) and it had ended first",
                                  list[i].id, (double)list[i].bytes / 1e6,
                                  (double)e->max_data_bytes / 1e6);
            }
        }
        for (size_t i = 0; i < count; i++)
            free(list[i].dir);
        free(list);
    }
    pthread_mutex_lock(&e->lock);
    e->sweeping = 0;
    pthread_mutex_unlock(&e->lock);
    return removed;
}
