/*
 * version.c - the library's identity and its vocabulary: version numbers, error texts, the
 * names of stages and job states, and maivid_free().
 */
#include <stdlib.h>

#include "maivid/maivid.h"

MAIVID_API unsigned maivid_version(void)
{
    return MAIVID_VERSION_NUM;
}

MAIVID_API const char *maivid_version_string(void)
{
    return MAIVID_VERSION_STRING;
}

MAIVID_API const char *maivid_strerror(maivid_code code)
{
    switch (code) {
    case MAIVID_OK: return "success";
    case MAIVID_E_INVALID: return "invalid parameter";
    case MAIVID_E_NOMEM: return "out of memory";
    case MAIVID_E_IO: return "file input/output error";
    case MAIVID_E_NOT_FOUND: return "not found";
    case MAIVID_E_QUEUE_FULL: return "job queue is full";
    case MAIVID_E_CANCELLED: return "cancelled";
    case MAIVID_E_TIMEOUT: return "timed out";
    case MAIVID_E_BUSY: return "job is still queued or running";
    case MAIVID_E_FETCH: return "the song could not be fetched";
    case MAIVID_E_MEDIA: return "unreadable or unexpected media";
    case MAIVID_E_BACKEND: return "image generator failed";
    case MAIVID_E_RENDER: return "video rendering failed";
    case MAIVID_E_CORRUPT: return "stored job record is damaged";
    case MAIVID_E_POLICY: return "refused by the URL policy";
    case MAIVID_E_UNSUPPORTED: return "not supported";
    case MAIVID_E_INTERNAL: return "internal error";
    case MAIVID_E_UNAVAILABLE: return "the shared job queue is unreachable";
    }
    return "unknown error code";
}

MAIVID_API void maivid_free(void *ptr)
{
    free(ptr);
}

MAIVID_API const char *maivid_stage_name(maivid_stage stage)
{
    static const char *const names[MAIVID_STAGE_COUNT] = {
        "download", "lyrics", "analysis", "scene_planning", "scene_generation", "video_creation",
    };
    if ((int)stage < 0 || stage >= MAIVID_STAGE_COUNT)
        return "unknown";
    return names[stage];
}

MAIVID_API const char *maivid_job_state_name(maivid_job_state state)
{
    switch (state) {
    case MAIVID_JOB_QUEUED: return "queued";
    case MAIVID_JOB_RUNNING: return "running";
    case MAIVID_JOB_COMPLETED: return "completed";
    case MAIVID_JOB_FAILED: return "failed";
    case MAIVID_JOB_CANCELLED: return "cancelled";
    }
    return "unknown";
}
