/*
 * fuzz_request_json.c - the body of POST /api/convo_pilot/video, maivid-server's job-create
 * request: parsed as request_body.c does (nesting bounded by maivid_json_depth first,
 * NUL-terminated, nothing after the value, no NUL inside: mv_json_text_has_nul), then mv_params_from_json (every field of the parameter
 * table, its type, range, catalog, UTF-8 and URL checks) and the create reply built from
 * the parameters it accepted (mv_create_reply), which must print as JSON in valid UTF-8.
 * Those functions are static in maivid-server/handlers_jobs.c: the file is compiled into
 * this harness.
 */
#include "fuzz_util.h"
#include "util/mv_utf8.h"

#include "handlers_jobs.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *body = fuzz_cstring(data, size);
    if (maivid_json_depth(body, size) > MAIVID_JSON_MAX_DEPTH) {
        free(body); /* refused with 400 before cJSON sees it */
        return 0;
    }
    const char *end = NULL;
    cJSON *parsed = cJSON_ParseWithLengthOpts(body, size + 1, &end, 1);
    char nul_field[64];
    int has_nul = parsed && mv_json_text_has_nul(body, size, nul_field, sizeof nul_field);
    if (has_nul && strlen(nul_field) >= sizeof nul_field)
        abort();
    if (cJSON_IsObject(parsed) && !has_nul) {
        maivid_job_params params;
        maivid_job_params_init(&params);
        mv_field_error error = {NULL, ""};
        if (mv_params_from_json(parsed, &params, &error) == 0) {
            cJSON *reply = mv_create_reply("job_20250516_123456_abcdef12", &params);
            char *text = reply ? cJSON_PrintUnformatted(reply) : NULL;
            if (!text)
                abort();
            cJSON *again = cJSON_Parse(text);
            if (!again || !mv_utf8_valid(text, strlen(text)))
                abort(); /* the reply must be JSON, in UTF-8 (issue 13, found 3) */
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
