/*
 * mv_common.c - error records, task progress helpers, clocks and string helpers shared by
 * every module of the library.
 */
#include "mv_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

maivid_code mv_vfail(mv_error *err, maivid_code code, const char *format, va_list ap)
{
    if (err) {
        err->code = code;
        vsnprintf(err->message, sizeof err->message, format, ap);
    }
    return code;
}

maivid_code mv_fail(mv_error *err, maivid_code code, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    mv_vfail(err, code, format, ap);
    va_end(ap);
    return code;
}

void mv_error_clear(mv_error *err)
{
    if (err) {
        err->code = MAIVID_OK;
        err->message[0] = '\0';
    }
}

void mv_task_progress(const mv_task *task, double fraction, const char *text)
{
    if (!task || !task->progress)
        return;
    if (fraction < 0.0)
        fraction = 0.0;
    if (fraction > 1.0)
        fraction = 1.0;
    task->progress(task->user_data, fraction, text);
}

void mv_task_warn(const mv_task *task, const char *format, ...)
{
    if (!task || !task->warn)
        return;
    char text[1024];
    va_list ap;
    va_start(ap, format);
    vsnprintf(text, sizeof text, format, ap);
    va_end(ap);
    task->warn(task->user_data, text);
}

double mv_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double mv_monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct timespec mv_realtime_in_ms(long ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

char *mv_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy)
        memcpy(copy, s, n);
    return copy;
}

char *mv_strdup_printf(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = vsnprintf(NULL, 0, format, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *out = malloc((size_t)n + 1);
    if (!out)
        return NULL;
    va_start(ap, format);
    vsnprintf(out, (size_t)n + 1, format, ap);
    va_end(ap);
    return out;
}

void mv_strlcpy(char *dst, const char *src, size_t n)
{
    if (n == 0)
        return;
    if (!src)
        src = "";
    size_t len = strlen(src);
    if (len >= n)
        len = n - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

const char *mv_share_dir(void)
{
    const char *env = getenv("MAIVID_SHARE_DIR");
    if (env && *env)
        return env;
    if (mv_file_exists(MAIVID_INSTALL_SHARE_DIR "/workflows"))
        return MAIVID_INSTALL_SHARE_DIR;
    return MAIVID_SOURCE_SHARE_DIR;
}
