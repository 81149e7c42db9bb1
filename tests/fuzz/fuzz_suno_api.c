/*
 * fuzz_suno_api.c - a Suno API answer (the clip JSON of studio-api's /api/clip/<id>, also
 * the shape found in page data): parsed as the fetcher does, then mv_suno_clip_from_json
 * (ingest/suno.c), with and without a "$<hex>" reference resolver.
 */
#include <cjson/cJSON.h>

#include "fuzz_util.h"
#include "ingest/mv_ingest_internal.h"

/* Resolves every reference to a fixed string, as the flight data's table would. */
static const char *fuzz_ref(void *user, const char *ref)
{
    (void)user;
    return ref && ref[0] == '1' ? NULL : "resolved text";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *json = cJSON_ParseWithLength((const char *)data, size);
    if (!json)
        return 0;
    mv_suno_clip clip;
    memset(&clip, 0, sizeof clip);
    mv_suno_clip_from_json(json, NULL, NULL, &clip);
    mv_suno_clip_free(&clip);
    memset(&clip, 0, sizeof clip);
    mv_suno_clip_from_json(json, fuzz_ref, NULL, &clip);
    mv_suno_clip_free(&clip);
    cJSON_Delete(json);
    return 0;
}
