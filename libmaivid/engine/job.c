/*
 * job.c - lifetime of the in-memory job record and its ids.
 */
#include "engine/mv_job.h"
#include "engine/mv_params.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

void mv_settings_free(mv_settings *s)
{
    size_t n;
    const maivid_param_info *params = mv_params(&n);
    for (size_t i = 0; i < n; i++) {
        if (params[i].type == MAIVID_PARAM_STRING) {
            free((void *)mv_param_string(&params[i], s));
            mv_param_set_string(&params[i], s, NULL);
        }
    }
}

int mv_settings_copy(mv_settings *dst, const mv_settings *src)
{
    *dst = *src;
    size_t n;
    const maivid_param_info *params = mv_params(&n);
    for (size_t i = 0; i < n; i++)
        if (params[i].type == MAIVID_PARAM_STRING)
            mv_param_set_string(&params[i], dst, NULL);
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        if (params[i].type != MAIVID_PARAM_STRING)
            continue;
        const char *s = mv_param_string(&params[i], src);
        char *copy = s ? mv_strdup(s) : NULL;
        failed |= s && !copy;
        mv_param_set_string(&params[i], dst, copy);
    }
    if (failed)
        mv_settings_free(dst);
    return failed ? -1 : 0;
}

void mv_settings_to_params(const mv_settings *s, maivid_job_params *p)
{
    *p = *s;
    p->struct_size = sizeof *p;
}

mv_job *mv_job_new(const char *id, const char *dir)
{
    mv_job *job = calloc(1, sizeof *job);
    if (!job)
        return NULL;
    mv_strlcpy(job->id, id, sizeof job->id);
    job->dir = mv_strdup(dir);
    if (!job->dir) {
        free(job);
        return NULL;
    }
    job->error_code = MAIVID_OK;
    atomic_init(&job->stop, MV_STOP_NONE);
    return job;
}

void mv_job_clear_scenes(mv_job *job)
{
    for (size_t i = 0; i < job->scene_count; i++) {
        free(job->scenes[i].lyrics);
        free(job->scenes[i].prompt);
        free(job->scenes[i].image_path);
        free(job->scenes[i].drawn);
        free(job->scenes[i].unmatched);
    }
    free(job->scenes);
    job->scenes = NULL;
    job->scene_count = 0;
}

void mv_job_free(mv_job *job)
{
    if (!job)
        return;
    mv_settings_free(&job->settings);
    mv_job_clear_scenes(job);
    for (size_t i = 0; i < job->warning_count; i++)
        free(job->warnings[i]);
    free(job->warnings);
    free(job->dir);
    free(job->title);
    free(job->error);
    free(job->video_path);
    free(job->thumbnail_path);
    mv_job_song_clear(&job->song);
    free(job->sync_json);
    free(job);
}

void mv_job_add_warning(mv_job *job, const char *text)
{
    char **grown = realloc(job->warnings, (job->warning_count + 1) * sizeof *grown);
    if (!grown)
        return;
    job->warnings = grown;
    job->warnings[job->warning_count] = mv_strdup(text);
    if (job->warnings[job->warning_count])
        job->warning_count++;
}

int mv_job_ended(const mv_job *job)
{
    return job->state == MAIVID_JOB_COMPLETED || job->state == MAIVID_JOB_FAILED ||
           job->state == MAIVID_JOB_CANCELLED;
}

maivid_code mv_job_id_generate(char out[MAIVID_JOB_ID_SIZE], mv_error *err)
{
    unsigned char random_bytes[4];
    size_t got = 0;
    while (got < sizeof random_bytes) {
        ssize_t n = getrandom(random_bytes + got, sizeof random_bytes - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return mv_fail(err, MAIVID_E_INTERNAL, "no random source for job ids: %s",
                           strerror(errno));
        }
        got += (size_t)n;
    }
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char stamp[16];
    if (strftime(stamp, sizeof stamp, "%Y%m%d_%H%M%S", &tm) != 15)
        return mv_fail(err, MAIVID_E_INTERNAL, "clock out of range for a job id");
    snprintf(out, MAIVID_JOB_ID_SIZE, "job_%s_%02x%02x%02x%02x", stamp, random_bytes[0],
             random_bytes[1], random_bytes[2], random_bytes[3]);
    return MAIVID_OK;
}

MAIVID_API int maivid_job_id_valid(const char *id)
{
    /* job_ + 8 digits + _ + 6 digits + _ + 8 lower-case hex digits */
    static const char shape[] = "job_DDDDDDDD_DDDDDD_HHHHHHHH";
    if (!id || strlen(id) != sizeof shape - 1)
        return 0;
    for (size_t i = 0; shape[i]; i++) {
        char c = id[i];
        switch (shape[i]) {
        case 'D':
            if (c < '0' || c > '9')
                return 0;
            break;
        case 'H':
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
                return 0;
            break;
        default:
            if (c != shape[i])
                return 0;
        }
    }
    return 1;
}
