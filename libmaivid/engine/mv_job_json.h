/*
 * mv_job_json.h - a job as JSON: the stored record (job.json) or the public status.
 */
#ifndef MV_JOB_JSON_H
#define MV_JOB_JSON_H

#include <cjson/cJSON.h>

#include "engine/mv_job.h"

typedef enum mv_job_view { MV_JOB_VIEW_RECORD = 0, MV_JOB_VIEW_STATUS = 1 } mv_job_view;

cJSON *mv_job_to_json(const mv_job *job, mv_job_view view, int queue_position, double eta);

#endif /* MV_JOB_JSON_H */
