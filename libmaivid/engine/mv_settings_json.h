/*
 * mv_settings_json.h - JSON form of a job's settings (spec field names).
 */
#ifndef MV_SETTINGS_JSON_H
#define MV_SETTINGS_JSON_H

#include <cjson/cJSON.h>

#include "engine/mv_job.h"

/* include_private: also local paths, lyrics, callback (job.json); else a public view. */
cJSON *mv_settings_to_json(const mv_settings *s, int include_private);
maivid_code mv_settings_from_json(const cJSON *o, mv_settings *s, mv_error *err);

#endif /* MV_SETTINGS_JSON_H */
