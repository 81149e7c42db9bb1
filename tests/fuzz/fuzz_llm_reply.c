/*
 * fuzz_llm_reply.c - an OpenAI-compatible chat-completions answer to the prompt writer: the
 * reply, the JSON array of scenes inside its message content (also in code fences or prose)
 * and each prompt's cleaning (mv_llm_apply, static in libmaivid/plan/llm.c: the file is
 * compiled into this harness), applied to a plan of three scenes.
 */
#include "fuzz_util.h"

#include "plan/llm.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *answer = fuzz_cstring(data, size);
    mv_plan plan;
    memset(&plan, 0, sizeof plan);
    plan.scene_count = 3;
    plan.scenes = calloc(3, sizeof *plan.scenes);
    if (!plan.scenes)
        abort();
    for (size_t i = 0; i < 3; i++) {
        plan.scenes[i].prompt = strdup("built-in prompt");
        plan.scenes[i].negative_prompt = strdup("blurry");
    }
    mv_error err;
    mv_error_clear(&err);
    if (mv_llm_apply(answer, &plan, &err) == MAIVID_OK)
        for (size_t i = 0; i < 3; i++)
            if (!plan.scenes[i].prompt || !plan.scenes[i].prompt[0])
                abort();
    mv_plan_free(&plan);
    free(answer);
    return 0;
}
