/*
 * fuzz_request_json.c - the body of POST /api/convo_pilot/video, maivid-server's job-create
 * request: parsed as request_body.c does (NUL-terminated, nothing after the value), then
 * mv_params_from_json (the fields, their types and ranges) and the create reply built from
 * the parameters it accepted (mv_create_reply), which must print. Those functions are
 * static in maivid-server/handlers_jobs.c: the file is compiled into this harness.
 */
#include "fuzz_util.h"

#include "handlers_jobs.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *body = fuzz_cstring(data, size);
    const char *end = NULL;
    cJSON *parsed = cJSON_ParseWithLengthOpts(body, size + 1, &end, 1);
    if (cJSON_IsObject(parsed)) {
        maivid_job_params params;
        maivid_job_params_init(&params);
        mv_field_error error = {NULL, ""};
        if (mv_params_from_json(parsed, &params, &error) == 0) {
            cJSON *reply = mv_create_reply("job_20250516_123456_abcdef12", &params);
            char *text = reply ? cJSON_PrintUnformatted(reply) : NULL;
            if (!text)
                abort();
            cJSON *again = cJSON_Parse(text);
            if (!again)
                abort(); /* the reply must be JSON */
            cJSON_Delete(again);
            cJSON_free(text);
            cJSON_Delete(reply);
        } else if (!error.field || !error.message[0]) {
            abort(); /* a refusal names the field and the fix */
        }
    }
    cJSON_Delete(parsed);
    free(body);
    return 0;
}
