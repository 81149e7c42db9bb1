/*
 * log.c - the engine's messages to the caller's log callback, always delivered with no
 * engine lock held: a message logged under the lock waits in a queue that mv_engine_unlock()
 * empties after releasing the lock, so a callback may call back into the engine.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/mv_engine.h"

typedef struct mv_log_entry {
    struct mv_log_entry *next;
    maivid_log_level level;
    int has_job;
    char job_id[MAIVID_JOB_ID_SIZE];
    char text[];
} mv_log_entry;

enum { MV_LOG_TEXT_MAX = 1536 };

/* Formats one message and delivers it now, or queues it when the lock is held. */
static void mv_log_v(maivid_engine *e, int locked, maivid_log_level level, const char *job_id,
                     const char *format, va_list ap)
{
    char text[MV_LOG_TEXT_MAX];
    vsnprintf(text, sizeof text, format, ap);
    if (!locked) {
        e->log(e->log_user_data, level, job_id, text);
        return;
    }
    size_t length = strlen(text);
    mv_log_entry *entry = malloc(sizeof *entry + length + 1);
    if (!entry)
        return; /* out of memory: the message is lost, never the lock's safety */
    entry->next = NULL;
    entry->level = level;
    entry->has_job = job_id != NULL;
    mv_strlcpy(entry->job_id, job_id ? job_id : "", sizeof entry->job_id);
    memcpy(entry->text, text, length + 1);
    if (!e->logs_tail)
        e->logs_tail = &e->logs;
    *e->logs_tail = entry;
    e->logs_tail = &entry->next;
}

void mv_engine_log(maivid_engine *e, maivid_log_level level, const char *job_id,
                   const char *format, ...)
{
    if (!e->log)
        return;
    va_list ap;
    va_start(ap, format);
    mv_log_v(e, 0, level, job_id, format, ap);
    va_end(ap);
}

void mv_engine_log_locked(maivid_engine *e, maivid_log_level level, const char *job_id,
                          const char *format, ...)
{
    if (!e->log)
        return;
    va_list ap;
    va_start(ap, format);
    mv_log_v(e, 1, level, job_id, format, ap);
    va_end(ap);
}

void mv_engine_unlock(maivid_engine *e)
{
    mv_log_entry *entry = e->logs;
    e->logs = NULL;
    e->logs_tail = &e->logs;
    pthread_mutex_unlock(&e->lock);
    while (entry) {
        mv_log_entry *next = entry->next;
        e->log(e->log_user_data, entry->level, entry->has_job ? entry->job_id : NULL,
               entry->text);
        free(entry);
        entry = next;
    }
}

void mv_engine_logs_free(maivid_engine *e)
{
    while (e->logs) {
        mv_log_entry *next = e->logs->next;
        free(e->logs);
        e->logs = next;
    }
    e->logs_tail = &e->logs;
}
