/*
 * fuzz_comfy_reply.c - what a ComfyUI server answers: the 400 body of POST /prompt
 * (node_errors, error.message; mv_describe_400), an execution_error's data
 * (mv_describe_execution_error) and a /history entry (mv_pick_output, with the video shapes
 * "animated" and "gifs"; mv_history_message).
 * These are static in libmaivid/comfy/client.c: the file is compiled into this harness. The
 * server URL is one curl refuses at once, so no request leaves the process.
 * Not reached: the WebSocket frame reader (comfy/ws.c) and the inline parse of /object_info.
 */
#include "fuzz_util.h"

#include "comfy/client.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *body = fuzz_cstring(data, size);
    mv_comfy_timing timing;
    memset(&timing, 0, sizeof timing);
    timing.connect_timeout = 0.01;
    timing.request_timeout = 0.01;
    mv_run run;
    memset(&run, 0, sizeof run);
    run.url = "fuzz://no-such-server";
    run.t = &timing;
    mv_error err;
    mv_error_clear(&err);
    mv_describe_400(&run, body, &err);
    cJSON *root = cJSON_Parse(body);
    if (root) {
        mv_describe_execution_error(&run, root, &err);
        int clip = 0;
        (void)mv_pick_output(root, &clip);
        const cJSON *failed = mv_history_message(root, "execution_error");
        if (failed)
            mv_describe_execution_error(&run, failed, &err);
        cJSON_Delete(root);
    }
    free(body);
    return 0;
}
