/*
 * mv_common.h - what every internal module of libmaivid shares: the error record that
 * carries a code and a readable message up the call chain, the task handle through which a
 * long operation reports progress and learns it was cancelled, and small file helpers.
 *
 * Private to the library: symbols here use the mv_ prefix and are never exported.
 */
#ifndef MV_COMMON_H
#define MV_COMMON_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "maivid/maivid.h"

/* An error on its way up: the code plus a message that names the problem and the fix. */
typedef struct mv_error {
    maivid_code code;
    char message[1024];
} mv_error;

/* Records code and message in `err` (may be NULL) and returns code. */
maivid_code mv_fail(mv_error *err, maivid_code code, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
maivid_code mv_vfail(mv_error *err, maivid_code code, const char *format, va_list ap);
void mv_error_clear(mv_error *err);

/* How a long operation reports progress and sees a cancel request. Any member may be NULL. */
typedef struct mv_task {
    /* fraction of this operation done, 0..1, and an optional human text */
    void (*progress)(void *user_data, double fraction, const char *text);
    void *user_data;
    const atomic_int *cancel; /* nonzero: stop soon and return MAIVID_E_CANCELLED */
    /* a warning that does not stop the job */
    void (*warn)(void *user_data, const char *text);
} mv_task;

static inline int mv_task_cancelled(const mv_task *task)
{
    return task && task->cancel && atomic_load(task->cancel) != 0;
}
void mv_task_progress(const mv_task *task, double fraction, const char *text);
void mv_task_warn(const mv_task *task, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* Seconds since the Unix epoch, with sub-second precision. */
double mv_now(void);
/* Monotonic seconds, for measuring durations. */
double mv_monotonic(void);
/* The CLOCK_REALTIME time `ms` milliseconds from now: a deadline for
 * pthread_cond_timedwait on a condition variable with the default clock. */
struct timespec mv_realtime_in_ms(long ms);

/* Files. All return MAIVID_OK or MAIVID_E_IO with a message in err. */
maivid_code mv_mkdir_p(const char *path, mv_error *err);
/* Writes data to path atomically: temp file in the same directory, fsync, rename, fsync dir. */
maivid_code mv_write_file_atomic(const char *path, const void *data, size_t len, mv_error *err);
/* The same written a piece at a time (e.g. a PNG row by row): mv_atomic_open() creates the
 * temp file beside path (its name in tmp, 4200 bytes are enough) and returns it, or NULL with
 * err set; mv_atomic_commit() flushes, fsyncs and closes it and renames it to path, or removes
 * it and says why (e.g. the disk is full); mv_atomic_abort() closes and removes it. */
FILE *mv_atomic_open(const char *path, char *tmp, size_t tmp_size, mv_error *err);
maivid_code mv_atomic_commit(FILE *f, const char *tmp, const char *path, mv_error *err);
void mv_atomic_abort(FILE *f, const char *tmp);
/* Removes the temp files mv_write_file_atomic() left under dir (down to `depth` levels) when
 * the process writing them died (killed mid-write); a live process's are kept. Returns how
 * many it removed. */
int mv_remove_stale_temp_files(const char *dir, int depth);
/* Reads a whole file into a NUL-terminated malloc'd buffer. */
maivid_code mv_read_file(const char *path, char **data, size_t *len, mv_error *err);
/* Removes a file or a directory tree; a missing path is not an error. */
maivid_code mv_remove_tree(const char *path, mv_error *err);
int mv_file_exists(const char *path);
/* Size in bytes, or -1. */
int64_t mv_file_size(const char *path);

/* malloc'd printf. */
char *mv_strdup_printf(const char *format, ...) __attribute__((format(printf, 1, 2)));
char *mv_strdup(const char *s); /* NULL-safe */
/* Copies src into dst (size n), always terminated. */
void mv_strlcpy(char *dst, const char *src, size_t n);

/* The folder of shared data files (workflows/ ...): $MAIVID_SHARE_DIR if set, else the
 * installed share/maivid if it exists, else the source tree's data/. Static storage. */
const char *mv_share_dir(void);

#endif /* MV_COMMON_H */
