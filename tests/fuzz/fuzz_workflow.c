/*
 * fuzz_workflow.c - a ComfyUI workflow template (shipped, or a user's file under the models
 * folder): mv_workflow_parse, then the substitution of prompt, seed, size, checkpoint and
 * file prefix (mv_workflow_apply) and the native size (comfy/workflow.c), as each image job
 * does.
 */
#include <cjson/cJSON.h>

#include "comfy/mv_comfy.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_cstring(data, size);
    cJSON *graph = NULL;
    char *name = NULL, *description = NULL;
    mv_error err;
    mv_error_clear(&err);
    if (mv_workflow_parse(text, "fuzz.json", &graph, &name, &description, &err) == MAIVID_OK) {
        (void)mv_workflow_native_pixels(graph);
        mv_workflow_params p = {.prompt = "a \"quoted\" prompt\n", .negative_prompt = NULL,
                                .seed = -5, .width = 1024, .height = 576,
                                .checkpoint = "model.safetensors", .filename_prefix = "maivid"};
        mv_workflow_report report;
        memset(&report, 0, sizeof report);
        (void)mv_workflow_apply(graph, &p, &report, &err);
        char *printed = cJSON_PrintUnformatted(graph);
        cJSON_free(printed);
    }
    cJSON_Delete(graph);
    free(name);
    free(description);
    free(text);
    return 0;
}
