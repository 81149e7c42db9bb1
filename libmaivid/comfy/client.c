/*
 * client.c - one prompt on one ComfyUI server, following comfyui.md's client flow: open
 * /ws?clientId=C, POST /prompt {prompt, client_id: C}, follow events until
 * executing{node:null} for our prompt (or poll /history/{id} when the WebSocket is not
 * available or breaks), read /history, download the image with /view and write it
 * atomically (a video or animation output becomes the scene's clip: outputs.c; an input
 * image is uploaded first: upload.c). Handles 400 node_errors and execution_error with
 * readable messages, cancel
 * (interrupting only our prompt), timeouts, and a restarting server (retries with backoff,
 * resubmitting a prompt the restart lost).
 */
#include "comfy/mv_comfy.h"
#include "util/mv_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

typedef struct mv_run {
    const char *url;
    const char *model_id;
    const mv_comfy_timing *t;
    const mv_task *task;
    char client_id[40];
    mv_ws *ws;
    double failing_since; /* start of the current streak of transport failures, 0: none */
    double backoff;
    int timed_out;        /* the last transport failure was a timeout or a stall */
} mv_run;

typedef enum mv_step {
    MV_STEP_OK = 0,
    MV_STEP_RETRY = 1, /* transport trouble: wait and try again */
    MV_STEP_FAIL = 2   /* err and fault are set */
} mv_step;

static void mv_random_hex(char *out, size_t bytes)
{
    unsigned char r[32];
    if (bytes > sizeof r)
        bytes = sizeof r;
    if (getrandom(r, bytes, 0) != (ssize_t)bytes) {
        uint64_t x = (uint64_t)(mv_now() * 1e6) ^ (uint64_t)(uintptr_t)out;
        for (size_t i = 0; i < bytes; i++, x = x * 6364136223846793005ULL + 1)
            r[i] = (unsigned char)(x >> 56);
    }
    for (size_t i = 0; i < bytes; i++)
        sprintf(out + 2 * i, "%02x", r[i]);
}

/* Sleeps up to `seconds`, waking early on cancel. Returns 1 if cancelled. */
static int mv_nap(const mv_task *task, double seconds)
{
    double end = mv_monotonic() + seconds;
    while (mv_monotonic() < end) {
        if (mv_task_cancelled(task))
            return 1;
        double left = end - mv_monotonic();
        double slice = left < 0.05 ? left : 0.05;
        if (slice <= 0)
            break;
        struct timespec ts = {.tv_sec = 0, .tv_nsec = (long)(slice * 1e9)};
        nanosleep(&ts, NULL);
    }
    return mv_task_cancelled(task);
}

static maivid_code mv_request(mv_run *r, const char *method, const char *path, const char *body,
                              double timeout, mv_http_reply *reply)
{
    char *url = mv_strdup_printf("%s%s", r->url, path);
    if (!url) {
        memset(reply, 0, sizeof *reply);
        reply->transport_failed = 1;
        return MAIVID_E_NOMEM;
    }
    maivid_code rc = mv_http_request(method, url, body, r->t->connect_timeout, timeout,
                                     r->t->stall_timeout, 0, r->task, reply);
    r->timed_out = reply->timed_out;
    free(url);
    return rc;
}

/* A transport failure: decides between waiting (backoff) and giving the server up. */
static mv_step mv_transport_trouble(mv_run *r, const char *detail, mv_comfy_fault *fault,
                                    mv_error *err)
{
    double now = mv_monotonic();
    if (r->failing_since == 0) {
        r->failing_since = now;
        r->backoff = r->t->backoff_initial;
    }
    if (now - r->failing_since >= r->t->restart_budget && r->timed_out) {
        *fault = MV_FAULT_SERVER;
        mv_fail(err, MAIVID_E_TIMEOUT,
                "ComfyUI at %s stopped answering: %s, still after %.0f s of retries; restart "
                "ComfyUI there, or fix or remove that server URL",
                r->url, detail, now - r->failing_since);
        return MV_STEP_FAIL;
    }
    if (now - r->failing_since >= r->t->restart_budget) {
        *fault = MV_FAULT_SERVER;
        mv_fail(err, MAIVID_E_BACKEND,
                "ComfyUI at %s is not reachable (%s) after %.0f s of retries; start ComfyUI "
                "there, or fix or remove that server URL",
                r->url, detail, now - r->failing_since);
        return MV_STEP_FAIL;
    }
    if (mv_nap(r->task, r->backoff)) {
        mv_fail(err, MAIVID_E_CANCELLED, "cancelled while waiting for ComfyUI at %s", r->url);
        return MV_STEP_FAIL;
    }
    r->backoff *= 2;
    if (r->backoff > r->t->backoff_max)
        r->backoff = r->t->backoff_max;
    return MV_STEP_RETRY;
}

static int mv_http_is_restarting(long status)
{
    return status == 502 || status == 503 || status == 504;
}

/* ------------------------------------------------------------------ object_info */

cJSON *mv_comfy_combo_values(const char *base_url, const char *node_class, const char *input,
                             const mv_comfy_timing *t)
{
    char *cls = mv_http_escape(node_class);
    char *url = mv_strdup_printf("%s/object_info/%s", base_url, cls ? cls : "");
    free(cls);
    if (!url)
        return NULL;
    mv_http_reply reply;
    mv_http_request("GET", url, NULL, t->connect_timeout, t->request_timeout, t->stall_timeout,
                    32u << 20, NULL,
                    &reply);
    free(url);
    cJSON *out = NULL;
    cJSON *root = reply.status == 200 ? mv_json_parse(reply.body) : NULL;
    mv_http_reply_free(&reply);
    cJSON *node = cJSON_GetObjectItemCaseSensitive(root, node_class);
    cJSON *inputs = cJSON_GetObjectItemCaseSensitive(node, "input");
    cJSON *spec = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(inputs, "required"), input);
    if (!spec)
        spec = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(inputs, "optional"), input);
    cJSON *first = cJSON_GetArrayItem(spec, 0);
    if (cJSON_IsArray(first)) {
        out = cJSON_Duplicate(first, 1); /* legacy: [["a", "b"], {...}] */
    } else if (cJSON_IsString(first) && strcmp(first->valuestring, "COMBO") == 0) {
        cJSON *opts = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(spec, 1), "options");
        if (cJSON_IsArray(opts))
            out = cJSON_Duplicate(opts, 1); /* v3: ["COMBO", {"options": [...]}] */
    }
    cJSON_Delete(root);
    return out;
}

/* ------------------------------------------------------------------ errors */

/* A 400 from POST /prompt: a missing model file is worded like the usable check (with the
 * files the server lists and the fix); other refusals name their nodes. */
static void mv_describe_400(mv_run *r, const char *body, mv_error *err)
{
    cJSON *root = mv_json_parse(body);
    cJSON *error = cJSON_GetObjectItemCaseSensitive(root, "error");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(error, "message");
    const cJSON *details = cJSON_GetObjectItemCaseSensitive(error, "details");
    cJSON *node_errors = cJSON_GetObjectItemCaseSensitive(root, "node_errors");
    char text[900] = "", missing[900] = "";
    size_t used = 0;
    int shown = 0;
    for (cJSON *ne = node_errors ? node_errors->child : NULL; ne; ne = ne->next) {
        const cJSON *cls = cJSON_GetObjectItemCaseSensitive(ne, "class_type");
        const char *cname = cJSON_IsString(cls) ? cls->valuestring : "?";
        cJSON *errs = cJSON_GetObjectItemCaseSensitive(ne, "errors");
        for (cJSON *e = errs ? errs->child : NULL; e; e = e->next) {
            const cJSON *type = cJSON_GetObjectItemCaseSensitive(e, "type");
            const cJSON *emsg = cJSON_GetObjectItemCaseSensitive(e, "message");
            const cJSON *edet = cJSON_GetObjectItemCaseSensitive(e, "details");
            cJSON *extra = cJSON_GetObjectItemCaseSensitive(e, "extra_info");
            const cJSON *iname = cJSON_GetObjectItemCaseSensitive(extra, "input_name");
            const cJSON *recv = cJSON_GetObjectItemCaseSensitive(extra, "received_value");
            if (cJSON_IsString(type) && strcmp(type->valuestring, "value_not_in_list") == 0 &&
                cJSON_IsString(iname) && cJSON_IsString(recv)) {
                if (!missing[0]) { /* the first one; the fix is the same for the rest */
                    cJSON *installed =
                        mv_comfy_combo_values(r->url, cname, iname->valuestring, r->t);
                    mv_comfy_missing_file(missing, sizeof missing, r->url, cname,
                                          iname->valuestring, recv->valuestring, installed,
                                          r->model_id);
                    cJSON_Delete(installed);
                }
                continue;
            }
            if (shown == 3)
                continue;
            int w = snprintf(text + used, sizeof text - used, "%snode %s (%s): %s%s%s",
                             shown ? "; " : "", ne->string, cname,
                             cJSON_IsString(emsg) ? emsg->valuestring : "invalid",
                             cJSON_IsString(edet) && *edet->valuestring ? ": " : "",
                             cJSON_IsString(edet) ? edet->valuestring : "");
            if (w > 0 && (size_t)w < sizeof text - used)
                used += (size_t)w;
            shown++;
        }
    }
    if (missing[0])
        mv_fail(err, MAIVID_E_BACKEND, "%s%s%s", missing, shown ? "; also " : "", text);
    else if (shown > 0)
        mv_fail(err, MAIVID_E_BACKEND,
                "ComfyUI at %s refused the workflow: %s; fix those inputs in the workflow file",
                r->url, text);
    else
        mv_fail(err, MAIVID_E_BACKEND,
                "ComfyUI at %s refused the workflow: %s%s%s; check the workflow file (export "
                "it with 'Export (API)')",
                r->url, cJSON_IsString(msg) ? msg->valuestring : "invalid prompt",
                cJSON_IsString(details) && *details->valuestring ? ": " : "",
                cJSON_IsString(details) ? details->valuestring : "");
    cJSON_Delete(root);
}

static void mv_describe_execution_error(mv_run *r, const cJSON *data, mv_error *err)
{
    const cJSON *nid = cJSON_GetObjectItemCaseSensitive(data, "node_id");
    const cJSON *ntype = cJSON_GetObjectItemCaseSensitive(data, "node_type");
    const cJSON *emsg = cJSON_GetObjectItemCaseSensitive(data, "exception_message");
    const cJSON *etype = cJSON_GetObjectItemCaseSensitive(data, "exception_type");
    char message[600];
    mv_strlcpy(message, cJSON_IsString(emsg) ? emsg->valuestring : "unknown error",
               sizeof message);
    size_t ml = strlen(message);
    while (ml > 0 && (message[ml - 1] == '\n' || message[ml - 1] == ' '))
        message[--ml] = '\0';
    const char *cls = cJSON_IsString(ntype) ? ntype->valuestring : "?";
    const char *hint = strstr(cls, "Loader") ? "check that the model files on that server are "
                                               "complete and match the model type"
                                             : "check the ComfyUI console for the traceback";
    mv_fail(err, MAIVID_E_BACKEND, "ComfyUI at %s failed in node %s (%s): %s (%s); %s", r->url,
            cJSON_IsString(nid) ? nid->valuestring : "?", cls, message,
            cJSON_IsString(etype) ? etype->valuestring : "error", hint);
}

/* ------------------------------------------------------------------ steps */

static mv_step mv_submit(mv_run *r, const char *body, char **prompt_id, mv_comfy_fault *fault,
                         mv_error *err)
{
    mv_http_reply reply;
    maivid_code rc = mv_request(r, "POST", "/prompt", body, r->t->request_timeout, &reply);
    mv_step step = MV_STEP_OK;
    if (rc == MAIVID_E_CANCELLED) {
        mv_fail(err, MAIVID_E_CANCELLED, "cancelled");
        step = MV_STEP_FAIL;
    } else if (reply.transport_failed || mv_http_is_restarting(reply.status)) {
        char detail[300];
        if (reply.transport_failed)
            mv_strlcpy(detail, reply.detail, sizeof detail);
        else
            snprintf(detail, sizeof detail, "HTTP %ld", reply.status);
        step = mv_transport_trouble(r, detail, fault, err);
    } else if (reply.status == 200) {
        cJSON *root = mv_json_parse(reply.body);
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "prompt_id");
        cJSON *ne = cJSON_GetObjectItemCaseSensitive(root, "node_errors");
        if (!cJSON_IsString(id)) {
            *fault = MV_FAULT_SERVER;
            mv_fail(err, MAIVID_E_BACKEND,
                    "%s/prompt answered 200 without a prompt_id; is that URL really ComfyUI?",
                    r->url);
            step = MV_STEP_FAIL;
        } else {
            *prompt_id = mv_strdup(id->valuestring);
            if (ne && ne->child)
                mv_task_warn(r->task,
                             "ComfyUI at %s queued the workflow but dropped outputs that failed "
                             "validation (node %s)",
                             r->url, ne->child->string);
        }
        cJSON_Delete(root);
    } else if (reply.status == 400) {
        *fault = MV_FAULT_JOB;
        mv_describe_400(r, reply.body, err);
        step = MV_STEP_FAIL;
    } else if (reply.status == 403) {
        *fault = MV_FAULT_SERVER;
        mv_fail(err, MAIVID_E_BACKEND,
                "ComfyUI at %s refused the request with 403 (its Origin check or a proxy in "
                "front of it); connect to ComfyUI directly or start it with "
                "--enable-cors-header",
                r->url);
        step = MV_STEP_FAIL;
    } else if (reply.status == 500) {
        *fault = MV_FAULT_JOB;
        mv_fail(err, MAIVID_E_BACKEND,
                "ComfyUI at %s answered 500 to the workflow (it could not read it as JSON: "
                "%.120s); check the workflow file",
                r->url, reply.body);
        step = MV_STEP_FAIL;
    } else {
        *fault = MV_FAULT_SERVER;
        mv_fail(err, MAIVID_E_BACKEND,
                "%s/prompt answered HTTP %ld; is that URL a ComfyUI server (default port "
                "8188)?",
                r->url, reply.status);
        step = MV_STEP_FAIL;
    }
    mv_http_reply_free(&reply);
    if (step == MV_STEP_OK)
        r->failing_since = 0;
    return step;
}

static void mv_cancel_prompt(mv_run *r, const char *prompt_id)
{
    char *body = mv_strdup_printf("{\"prompt_id\": \"%s\"}", prompt_id);
    char *del = mv_strdup_printf("{\"delete\": [\"%s\"]}", prompt_id);
    mv_http_reply reply;
    const mv_task *task = r->task;
    r->task = NULL; /* these must go out although the task is cancelled */
    if (body) {
        mv_request(r, "POST", "/interrupt", body, r->t->request_timeout, &reply);
        mv_http_reply_free(&reply);
    }
    if (del) {
        mv_request(r, "POST", "/queue", del, r->t->request_timeout, &reply);
        mv_http_reply_free(&reply);
    }
    r->task = task;
    free(body);
    free(del);
}

/* 1: our prompt is queued or running, 0: it is not, -1: cannot tell. */
static int mv_prompt_in_queue(mv_run *r, const char *prompt_id)
{
    mv_http_reply reply;
    mv_request(r, "GET", "/queue", NULL, r->t->request_timeout, &reply);
    int out = -1;
    cJSON *root = reply.status == 200 ? mv_json_parse(reply.body) : NULL;
    mv_http_reply_free(&reply);
    if (cJSON_IsObject(root)) {
        out = 0;
        const char *lists[] = {"queue_running", "queue_pending"};
        for (size_t l = 0; l < 2; l++) {
            cJSON *q = cJSON_GetObjectItemCaseSensitive(root, lists[l]);
            for (cJSON *item = q ? q->child : NULL; item; item = item->next) {
                const cJSON *id = cJSON_GetArrayItem(item, 1);
                if (cJSON_IsString(id) && strcmp(id->valuestring, prompt_id) == 0)
                    out = 1;
            }
        }
    }
    cJSON_Delete(root);
    return out;
}

typedef enum mv_wait_result {
    MV_WAIT_DONE = 0,   /* *entry holds the history entry */
    MV_WAIT_LOST = 1,   /* the server forgot the prompt (restart): submit again */
    MV_WAIT_FAILED = 2  /* err and fault set */
} mv_wait_result;

/* GET /history/{id}: 1 entry found, 0 still pending ({}), -1 transport trouble. */
static int mv_history(mv_run *r, const char *prompt_id, cJSON **entry, char *detail,
                      size_t detail_size)
{
    char *path = mv_strdup_printf("/history/%s", prompt_id);
    mv_http_reply reply;
    mv_request(r, "GET", path ? path : "/history", NULL, r->t->request_timeout, &reply);
    free(path);
    int out;
    if (reply.transport_failed || reply.status != 200) {
        if (reply.transport_failed)
            mv_strlcpy(detail, reply.detail, detail_size);
        else
            snprintf(detail, detail_size, "HTTP %ld from /history", reply.status);
        out = -1;
    } else {
        cJSON *root = mv_json_parse(reply.body);
        cJSON *e = cJSON_GetObjectItemCaseSensitive(root, prompt_id);
        if (cJSON_IsObject(e)) {
            *entry = cJSON_DetachItemViaPointer(root, e);
            out = 1;
        } else {
            out = 0;
        }
        cJSON_Delete(root);
    }
    mv_http_reply_free(&reply);
    return out;
}

/* Reads WebSocket events for our prompt; returns 1 when executing{node:null} arrived. */
static int mv_follow_events(mv_run *r, const char *prompt_id, int wait_ms)
{
    int opcode = 0;
    char *data = NULL;
    size_t len = 0;
    int got = mv_ws_read(r->ws, wait_ms, &opcode, &data, &len);
    if (got < 0) {
        mv_ws_close(r->ws);
        r->ws = NULL;
        return 0;
    }
    if (got == 0 || opcode != MV_WS_TEXT) {
        free(data); /* binary frames are previews: not needed */
        return 0;
    }
    int finished = 0;
    cJSON *msg = mv_json_parse(data);
    free(data);
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(msg, "type");
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(msg, "data");
    const cJSON *pid = cJSON_GetObjectItemCaseSensitive(d, "prompt_id");
    if (cJSON_IsString(type) && cJSON_IsString(pid) && strcmp(pid->valuestring, prompt_id) == 0) {
        if (strcmp(type->valuestring, "executing") == 0) {
            const cJSON *node = cJSON_GetObjectItemCaseSensitive(d, "node");
            if (node && cJSON_IsNull(node))
                finished = 1;
        } else if (strcmp(type->valuestring, "progress") == 0) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(d, "value");
            const cJSON *m = cJSON_GetObjectItemCaseSensitive(d, "max");
            if (cJSON_IsNumber(v) && cJSON_IsNumber(m) && m->valuedouble > 0)
                mv_task_progress(r->task, 0.1 + 0.8 * v->valuedouble / m->valuedouble,
                                 "generating");
        } else if (strcmp(type->valuestring, "execution_start") == 0) {
            mv_task_progress(r->task, 0.1, "generating");
        }
    }
    cJSON_Delete(msg);
    return finished;
}

static mv_wait_result mv_wait(mv_run *r, const char *prompt_id, double deadline, cJSON **entry,
                              mv_comfy_fault *fault, mv_error *err)
{
    int saw_trouble = 0;
    double next_poll = r->ws ? mv_monotonic() + 2.0 : mv_monotonic();
    double next_queue_check = mv_monotonic() + 5.0;
    for (;;) {
        if (mv_task_cancelled(r->task)) {
            mv_cancel_prompt(r, prompt_id);
            mv_fail(err, MAIVID_E_CANCELLED, "cancelled");
            return MV_WAIT_FAILED;
        }
        if (mv_monotonic() > deadline) {
            mv_cancel_prompt(r, prompt_id);
            *fault = MV_FAULT_SERVER;
            mv_fail(err, MAIVID_E_TIMEOUT,
                    "ComfyUI at %s did not finish the image within %.0f s; raise the image "
                    "timeout or use a faster model",
                    r->url, r->t->image_timeout);
            return MV_WAIT_FAILED;
        }
        int finished = 0;
        if (r->ws) {
            finished = mv_follow_events(r, prompt_id, 100);
            if (!r->ws)
                next_poll = mv_monotonic(); /* socket broke: poll now */
        } else if (mv_nap(r->task, 0.02)) {
            continue;
        }
        if (!finished && mv_monotonic() < next_poll)
            continue;
        char detail[300] = "";
        int h = mv_history(r, prompt_id, entry, detail, sizeof detail);
        next_poll = mv_monotonic() + (r->ws ? 2.0 : r->t->poll_interval);
        if (h == 1) {
            r->failing_since = 0;
            return MV_WAIT_DONE;
        }
        if (h < 0) {
            saw_trouble = 1;
            if (r->ws) {
                mv_ws_close(r->ws);
                r->ws = NULL;
            }
            if (mv_transport_trouble(r, detail, fault, err) == MV_STEP_FAIL)
                return MV_WAIT_FAILED;
            next_poll = mv_monotonic();
            continue;
        }
        r->failing_since = 0;
        if (saw_trouble || finished || mv_monotonic() > next_queue_check) {
            /* After a restart (or an end with no history) the prompt may be gone. */
            next_queue_check = mv_monotonic() + 5.0;
            int q = mv_prompt_in_queue(r, prompt_id);
            if (q == 0) {
                h = mv_history(r, prompt_id, entry, detail, sizeof detail);
                if (h == 1)
                    return MV_WAIT_DONE;
                return MV_WAIT_LOST;
            }
            if (q == 1)
                saw_trouble = 0;
        }
    }
}

/* Picks the finished prompt's output: the first saved ("output") file, else the first one.
 * *clip says whether it is a video or an animation (listed under "images" with
 * "animated": [true], or under VHS_VideoCombine's "gifs"). */
static const cJSON *mv_pick_output(const cJSON *entry, int *clip)
{
    const cJSON *outputs = cJSON_GetObjectItemCaseSensitive(entry, "outputs");
    const cJSON *fallback = NULL;
    int fallback_clip = 0;
    *clip = 0;
    for (const cJSON *node = outputs ? outputs->child : NULL; node; node = node->next) {
        const cJSON *animated = cJSON_GetObjectItemCaseSensitive(node, "animated");
        const char *lists[] = {"images", "gifs"};
        for (size_t l = 0; l < 2; l++) {
            const cJSON *files = cJSON_GetObjectItemCaseSensitive(node, lists[l]);
            int i = 0;
            for (const cJSON *img = files ? files->child : NULL; img; img = img->next, i++) {
                const cJSON *type = cJSON_GetObjectItemCaseSensitive(img, "type");
                if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(img, "filename")))
                    continue;
                const cJSON *a = cJSON_GetArrayItem(animated, i);
                if (!a && cJSON_GetArraySize(animated) == 1)
                    a = cJSON_GetArrayItem(animated, 0);
                int is_clip = l == 1 || cJSON_IsTrue(a);
                if (cJSON_IsString(type) && strcmp(type->valuestring, "output") == 0) {
                    *clip = is_clip;
                    return img;
                }
                if (!fallback) {
                    fallback = img;
                    fallback_clip = is_clip;
                }
            }
        }
    }
    *clip = fallback_clip;
    return fallback;
}

static const cJSON *mv_history_message(const cJSON *entry, const char *kind)
{
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(entry, "status");
    const cJSON *messages = cJSON_GetObjectItemCaseSensitive(status, "messages");
    for (const cJSON *m = messages ? messages->child : NULL; m; m = m->next) {
        const cJSON *k = cJSON_GetArrayItem(m, 0);
        if (cJSON_IsString(k) && strcmp(k->valuestring, kind) == 0)
            return cJSON_GetArrayItem(m, 1);
    }
    return NULL;
}

static maivid_code mv_download(mv_run *r, const cJSON *img, int clip, const char *out_path,
                               int poster, mv_comfy_fault *fault, mv_error *err)
{
    const cJSON *fn = cJSON_GetObjectItemCaseSensitive(img, "filename");
    const cJSON *sub = cJSON_GetObjectItemCaseSensitive(img, "subfolder");
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(img, "type");
    char *efn = mv_http_escape(fn->valuestring);
    char *esub = mv_http_escape(cJSON_IsString(sub) ? sub->valuestring : "");
    char *etype = mv_http_escape(cJSON_IsString(type) ? type->valuestring : "output");
    char *path = mv_strdup_printf("/view?filename=%s&subfolder=%s&type=%s", efn, esub, etype);
    free(efn);
    free(esub);
    free(etype);
    maivid_code rc = MAIVID_OK;
    for (;;) {
        mv_http_reply reply;
        maivid_code hr = mv_request(r, "GET", path, NULL, r->t->image_timeout, &reply);
        if (hr == MAIVID_E_CANCELLED) {
            mv_http_reply_free(&reply);
            rc = mv_fail(err, MAIVID_E_CANCELLED, "cancelled");
            break;
        }
        if (reply.transport_failed || mv_http_is_restarting(reply.status)) {
            char detail[300];
            snprintf(detail, sizeof detail, "%s",
                     reply.transport_failed ? reply.detail : "HTTP 5xx from /view");
            mv_http_reply_free(&reply);
            if (mv_transport_trouble(r, detail, fault, err) == MV_STEP_FAIL) {
                rc = err->code;
                break;
            }
            continue;
        }
        if (reply.status != 200) {
            *fault = MV_FAULT_JOB;
            rc = mv_fail(err, MAIVID_E_BACKEND,
                         "ComfyUI at %s could not send the image %s (HTTP %ld from /view); the "
                         "output file may have been deleted: run the scene again",
                         r->url, fn->valuestring, reply.status);
        } else if (clip) {
            rc = mv_comfy_keep_clip(r->url, img, reply.body, reply.len, out_path, poster, fault,
                                    err);
        } else if (reply.len < 8 || memcmp(reply.body, "\x89PNG\r\n\x1a\n", 8) != 0) {
            *fault = MV_FAULT_JOB;
            rc = mv_fail(err, MAIVID_E_MEDIA,
                         "ComfyUI at %s sent %s, which is not a PNG; end the workflow with a "
                         "SaveImage node",
                         r->url, fn->valuestring);
        } else {
            rc = mv_write_file_atomic(out_path, reply.body, reply.len, err);
        }
        mv_http_reply_free(&reply);
        break;
    }
    free(path);
    return rc;
}

/* Bumps every seed input by one: a fresh graph the server cannot answer from its cache. */
static void mv_bump_seeds(cJSON *graph)
{
    for (cJSON *node = graph->child; node; node = node->next) {
        cJSON *inputs = cJSON_GetObjectItemCaseSensitive(node, "inputs");
        const char *names[] = {"seed", "noise_seed"};
        for (size_t i = 0; i < 2; i++) {
            cJSON *s = cJSON_GetObjectItemCaseSensitive(inputs, names[i]);
            if (cJSON_IsNumber(s))
                cJSON_SetNumberValue(s, (double)mv_workflow_seed_value((int64_t)s->valuedouble + 1));
        }
    }
}

maivid_code mv_comfy_run(const char *base_url, const cJSON *graph_in, const char *model_id,
                         const mv_comfy_timing *t, const char *out_path,
                         const mv_comfy_upload *upload, const mv_task *task,
                         mv_comfy_fault *fault, mv_error *err)
{
    *fault = MV_FAULT_NONE;
    mv_run r = {.url = base_url, .model_id = model_id, .t = t, .task = task};
    mv_strlcpy(r.client_id, "maivid-", sizeof r.client_id);
    mv_random_hex(r.client_id + 7, 12);
    cJSON *graph = cJSON_Duplicate(graph_in, 1);
    if (!graph)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory copying the workflow");
    maivid_code rc = MAIVID_OK;
    if (upload && upload->path) {
        rc = mv_comfy_upload_image(base_url, upload, graph, t, task, fault, err);
        if (rc != MAIVID_OK) {
            cJSON_Delete(graph);
            return rc;
        }
    }
    int seed_changes = 0;
    double deadline = mv_monotonic() + t->image_timeout;
    for (;;) {
        if (mv_task_cancelled(task)) {
            rc = mv_fail(err, MAIVID_E_CANCELLED, "cancelled");
            break;
        }
        if (!r.ws) {
            char why[200];
            if (mv_ws_open(base_url, r.client_id, t->connect_timeout, &r.ws, why, sizeof why) != 0)
                r.ws = NULL; /* fall back to polling /history */
        }
        cJSON *body = cJSON_CreateObject();
        cJSON_AddItemReferenceToObject(body, "prompt", graph);
        cJSON_AddStringToObject(body, "client_id", r.client_id);
        char *text = cJSON_PrintUnformatted(body);
        cJSON_Delete(body);
        char *prompt_id = NULL;
        mv_step step = text ? mv_submit(&r, text, &prompt_id, fault, err) : MV_STEP_FAIL;
        free(text);
        if (step == MV_STEP_RETRY)
            continue;
        if (step == MV_STEP_FAIL) {
            rc = err->code ? err->code : MAIVID_E_BACKEND;
            break;
        }
        mv_task_progress(task, 0.05, "queued on ComfyUI");
        cJSON *entry = NULL;
        mv_wait_result w = mv_wait(&r, prompt_id, deadline, &entry, fault, err);
        if (w == MV_WAIT_LOST) {
            mv_task_warn(task, "ComfyUI at %s lost prompt %s (restarted?); submitting it again",
                         base_url, prompt_id);
            free(prompt_id);
            if (mv_nap(task, t->backoff_initial) == 0)
                continue;
            rc = mv_fail(err, MAIVID_E_CANCELLED, "cancelled");
            break;
        }
        if (w == MV_WAIT_FAILED) {
            free(prompt_id);
            rc = err->code;
            break;
        }
        const cJSON *status = cJSON_GetObjectItemCaseSensitive(entry, "status");
        const cJSON *status_str = cJSON_GetObjectItemCaseSensitive(status, "status_str");
        int clip = 0;
        const cJSON *img = mv_pick_output(entry, &clip);
        if (cJSON_IsString(status_str) && strcmp(status_str->valuestring, "error") == 0) {
            const cJSON *ee = mv_history_message(entry, "execution_error");
            *fault = MV_FAULT_JOB;
            if (ee)
                mv_describe_execution_error(&r, ee, err);
            else
                mv_fail(err, MAIVID_E_BACKEND,
                        "ComfyUI at %s stopped prompt %s before it finished (interrupted "
                        "there); run the scene again",
                        base_url, prompt_id);
            rc = err->code;
        } else if (!img && seed_changes == 0) {
            /* Nothing new was written (an identical graph answered from the cache, or the
             * outputs were dropped): change the seed once and ask again. */
            seed_changes++;
            mv_bump_seeds(graph);
            mv_task_warn(task, "ComfyUI at %s returned no image for prompt %s; retrying with "
                               "the seed changed by one",
                         base_url, prompt_id);
            cJSON_Delete(entry);
            free(prompt_id);
            continue;
        } else if (!img) {
            *fault = MV_FAULT_JOB;
            rc = mv_fail(err, MAIVID_E_BACKEND,
                         "ComfyUI at %s finished prompt %s without an image; the workflow "
                         "needs a SaveImage (or PreviewImage, SaveVideo, SaveWEBM) node",
                         base_url, prompt_id);
        } else {
            rc = mv_download(&r, img, clip, out_path, !upload || !upload->path, fault, err);
            if (rc == MAIVID_OK)
                mv_task_progress(task, 1.0, clip ? "clip ready" : "image ready");
        }
        cJSON_Delete(entry);
        free(prompt_id);
        break;
    }
    if (r.ws)
        mv_ws_close(r.ws);
    cJSON_Delete(graph);
    return rc;
}
