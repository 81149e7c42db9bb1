/*
 * job_worker.c - which worker ran a job's stages, as the status and job.json show it:
 * "worker": {"host", "pid", "stages": {<stage>: {"host", "pid"}}} (host and pid from the
 * "host:pid" the engine stamps when a stage starts; see mv_progress_enter_stage).
 */
#include <stdlib.h>
#include <string.h>

#include "engine/mv_job_json.h"

/* {"host", "pid"} from "host:pid" (the pid after the last ':'). */
static cJSON *mv_worker_object(const char *worker)
{
    cJSON *o = cJSON_CreateObject();
    const char *colon = strrchr(worker, ':');
    size_t host_len = colon ? (size_t)(colon - worker) : strlen(worker);
    char host[MV_WORKER_SIZE];
    mv_strlcpy(host, worker, host_len + 1 < sizeof host ? host_len + 1 : sizeof host);
    cJSON_AddStringToObject(o, "host", host);
    cJSON_AddNumberToObject(o, "pid", colon ? atof(colon + 1) : 0);
    return o;
}

cJSON *mv_job_workers_to_json(const mv_job *job)
{
    if (!job->worker[0])
        return cJSON_CreateNull();
    cJSON *o = mv_worker_object(job->worker);
    cJSON *stages = cJSON_AddObjectToObject(o, "stages");
    for (int s = 0; stages && s < MAIVID_STAGE_COUNT; s++)
        if (job->stage_worker[s][0])
            cJSON_AddItemToObject(stages, maivid_stage_name((maivid_stage)s),
                                  mv_worker_object(job->stage_worker[s]));
    return o;
}

/* "host:pid" from {"host", "pid"} into out ("" when malformed). */
static void mv_worker_from_object(const cJSON *o, char out[MV_WORKER_SIZE])
{
    const cJSON *host = cJSON_GetObjectItemCaseSensitive(o, "host");
    const cJSON *pid = cJSON_GetObjectItemCaseSensitive(o, "pid");
    out[0] = 0;
    if (!cJSON_IsString(host) || !cJSON_IsNumber(pid))
        return;
    char *text = mv_strdup_printf("%s:%.0f", host->valuestring, pid->valuedouble);
    if (text)
        mv_strlcpy(out, text, MV_WORKER_SIZE);
    free(text);
}

void mv_job_workers_from_json(const cJSON *o, mv_job *job)
{
    if (!cJSON_IsObject(o))
        return;
    mv_worker_from_object(o, job->worker);
    const cJSON *stages = cJSON_GetObjectItemCaseSensitive(o, "stages");
    for (int s = 0; s < MAIVID_STAGE_COUNT; s++) {
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(stages, maivid_stage_name((maivid_stage)s));
        if (cJSON_IsObject(w))
            mv_worker_from_object(w, job->stage_worker[s]);
    }
}
