/*
 * comfy_fixture.c - the fake ComfyUI server (see comfy_fixture.h): CivetWeb handlers for the
 * HTTP routes and the WebSocket, plus an executor thread that runs queued prompts one at a
 * time and sends the captured event sequence, emulating a real server's failure, interrupt,
 * node cache and restart behaviour.
 */
#include "comfy_fixture.h"
#include "comfy_fixture_clips.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <civetweb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FIX_MAX_PROMPTS 256
#define FIX_MAX_WS 16
#define FIX_MAX_IMAGES 256
#define FIX_MAX_UPLOADS 64

enum { P_PENDING, P_RUNNING, P_DONE, P_DELETED };

typedef struct fix_prompt {
    char id[40];
    int number;
    int state;
    int interrupt;
    char *client_id;
    cJSON *graph;
} fix_prompt;

typedef struct fix_ws {
    struct mg_connection *conn;
    char client_id[64];
} fix_ws;

typedef struct fix_image {
    char subfolder[128], filename[128];
    unsigned char *png;
    size_t len;
} fix_image;

typedef struct fix_upload {
    char name[128];
    unsigned char *data;
    size_t len;
} fix_upload;

struct mv_comfy_fixture {
    mv_comfy_fixture_opts opts;
    fix_upload uploads[FIX_MAX_UPLOADS];
    size_t upload_count;
    unsigned char *last_upload; /* the bytes of the latest upload */
    size_t last_upload_len;
    int runs;                   /* prompts the executor has started */
    char **ckpts;
    size_t ckpt_count;
    struct mg_context *ctx;
    int port;
    char url[64];
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_t executor;
    int stopping;
    int restarted_once;
    int counter;
    unsigned long id_seq;
    fix_prompt prompts[FIX_MAX_PROMPTS];
    size_t prompt_count;
    cJSON *history;
    cJSON *done_graphs; /* graphs already run, for the fake node cache */
    cJSON *object_info; /* the recorded /object_info of the video nodes (tests/fixtures) */
    cJSON *done_outputs;
    fix_ws ws[FIX_MAX_WS];
    fix_image images[FIX_MAX_IMAGES];
    size_t image_count;
    int file_counter;
    mv_comfy_fixture_stats stats;
    char *last_graph, *last_client_id;
    char stall_path[64];  /* mv_comfy_fixture_stall(); "" none */
    size_t stall_bytes;
};

static const char *const fix_default_ckpts[] = {
    "sd_xl_turbo_1.0_fp16.safetensors", "sd3.5_medium_incl_clips_t5xxlfp8scaled.safetensors",
    "custom_model.safetensors", "ltx-video-2b-v0.9.5.safetensors"};

static const char *const fix_known_classes[] = {
    "CheckpointLoaderSimple", "CLIPTextEncode", "EmptyLatentImage", "KSamplerSelect",
    "SDTurboScheduler", "SamplerCustom", "VAEDecode", "SaveImage", "ModelSamplingSD3",
    "EmptySD3LatentImage", "KSampler", "UNETLoader", "DualCLIPLoader", "VAELoader",
    "FluxGuidance", "RandomNoise", "BasicGuider", "BasicScheduler", "SamplerCustomAdvanced",
    "ModelSamplingFlux", "ConditioningZeroOut", "EmptyImage", "ImageInvert", "PreviewImage",
    "SaveImageWebsocket", "TripleCLIPLoader", "CLIPTextEncodeSD3", "LoadImage", "CreateVideo",
    "SaveVideo", "SaveWEBM", "SaveAnimatedWEBP", "SaveAnimatedPNG", "VHS_VideoCombine",
    "RepeatImageBatch", "ImageBatch", "CLIPLoader", "Wan22ImageToVideoLatent",
    "LTXVImgToVideo", "LTXVConditioning", "LTXVScheduler"};

/* ------------------------------------------------------------------ small helpers */

static void fix_sleep(double s)
{
    struct timespec ts = {.tv_sec = (time_t)s, .tv_nsec = (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

static long long fix_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint32_t fix_crc32(const unsigned char *p, size_t n, uint32_t crc)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static void fix_put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static size_t fix_chunk(unsigned char *out, const char *type, const unsigned char *data,
                        size_t len)
{
    fix_put32(out, (uint32_t)len);
    memcpy(out + 4, type, 4);
    if (len)
        memcpy(out + 8, data, len);
    fix_put32(out + 8 + len, fix_crc32(out + 4, len + 4, 0));
    return len + 12;
}

/* A valid 8x8 one-colour RGB PNG whose tEXt chunk "maivid" carries `text` (the renderer
 * needs pictures of at least 2x2, as real ComfyUI output always is). */
#define FIX_PNG_SIDE 8
static unsigned char *fix_make_png(const char *text, size_t *len_out)
{
    enum { ROW = 1 + 3 * FIX_PNG_SIDE, RAW = ROW * FIX_PNG_SIDE };
    size_t tl = strlen(text);
    unsigned char *png = malloc(8 + 25 + 12 + 7 + tl + 12 + (11 + RAW) + 12 + 64);
    size_t n = 0;
    memcpy(png, "\x89PNG\r\n\x1a\n", 8);
    n = 8;
    unsigned char ihdr[13] = {0, 0, 0, FIX_PNG_SIDE, 0, 0, 0, FIX_PNG_SIDE, 8, 2, 0, 0, 0};
    n += fix_chunk(png + n, "IHDR", ihdr, 13);
    unsigned char *t = malloc(7 + tl);
    memcpy(t, "maivid", 7);
    memcpy(t + 7, text, tl);
    n += fix_chunk(png + n, "tEXt", t, 7 + tl);
    free(t);
    unsigned char raw[RAW];
    for (int y = 0; y < FIX_PNG_SIDE; y++) {
        raw[y * ROW] = 0; /* filter: none */
        for (int x = 0; x < FIX_PNG_SIDE; x++) {
            unsigned char *px = raw + y * ROW + 1 + 3 * x;
            px[0] = (unsigned char)(tl * 7);
            px[1] = 0x80;
            px[2] = (unsigned char)tl;
        }
    }
    uint32_t a = 1, b = 0;
    for (int i = 0; i < RAW; i++) {
        a = (a + raw[i]) % 65521;
        b = (b + a) % 65521;
    }
    /* zlib header, one stored deflate block (BFINAL=1, LEN, NLEN), the data, Adler-32 */
    unsigned char z[11 + RAW];
    z[0] = 0x78;
    z[1] = 0x01;
    z[2] = 0x01;
    z[3] = RAW & 0xff;
    z[4] = RAW >> 8;
    z[5] = (unsigned char)~(RAW & 0xff);
    z[6] = (unsigned char)~(RAW >> 8);
    memcpy(z + 7, raw, RAW);
    fix_put32(z + 7 + RAW, (b << 16) | a);
    n += fix_chunk(png + n, "IDAT", z, sizeof z);
    n += fix_chunk(png + n, "IEND", NULL, 0);
    *len_out = n;
    return png;
}

static void fix_reply(struct mg_connection *c, int status, const char *reason, const char *type,
                      const char *body)
{
    size_t len = body ? strlen(body) : 0;
    mg_printf(c,
              "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
              "Server: Python/3.11 aiohttp/3.8.4\r\nConnection: close\r\n\r\n",
              status, reason, type, len);
    if (len)
        mg_write(c, body, len);
}

static void fix_reply_json(struct mg_connection *c, int status, cJSON *body)
{
    char *text = cJSON_PrintUnformatted(body);
    fix_reply(c, status, status == 200 ? "OK" : "Bad Request", "application/json; charset=utf-8",
              text);
    free(text);
}

static char *fix_read_body(struct mg_connection *c)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (cap - len < 2048) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        int n = mg_read(c, buf + len, cap - len - 1);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    return buf;
}

static void fix_host_name(const char *s, char *out, size_t size)
{
    const char *p = strstr(s, "://");
    p = p ? p + 3 : s;
    size_t n = 0;
    if (*p == '[') {
        while (p[n] && p[n] != ']')
            n++;
        n++;
    } else {
        while (p[n] && p[n] != ':' && p[n] != '/')
            n++;
    }
    if (n >= size)
        n = size - 1;
    memcpy(out, p, n);
    out[n] = '\0';
}

/* ComfyUI's origin check: loopback Host with an Origin naming another host. */
static int fix_origin_refused(const struct mg_connection *c)
{
    const char *origin = mg_get_header(c, "Origin");
    const char *host = mg_get_header(c, "Host");
    if (!origin || !host)
        return 0;
    char h[128], o[128];
    fix_host_name(host, h, sizeof h);
    fix_host_name(origin, o, sizeof o);
    int loopback = strcmp(h, "127.0.0.1") == 0 || strcmp(h, "localhost") == 0 ||
                   strcmp(h, "[::1]") == 0;
    return loopback && strcmp(h, o) != 0;
}

/* ------------------------------------------------------------------ WebSocket */

static void fix_ws_send_locked(mv_comfy_fixture *f, const char *client_id, cJSON *msg)
{
    char *text = cJSON_PrintUnformatted(msg);
    for (int i = 0; i < FIX_MAX_WS; i++)
        if (f->ws[i].conn && (!client_id || strcmp(f->ws[i].client_id, client_id) == 0))
            mg_websocket_write(f->ws[i].conn, MG_WEBSOCKET_OPCODE_TEXT, text, strlen(text));
    free(text);
}

/* Sends {"type": type, "data": data} (data consumed) to one client, or all if NULL. */
static void fix_event(mv_comfy_fixture *f, const char *client_id, const char *type, cJSON *data)
{
    cJSON *msg = cJSON_CreateObject();
    cJSON_AddStringToObject(msg, "type", type);
    cJSON_AddItemToObject(msg, "data", data);
    pthread_mutex_lock(&f->lock);
    fix_ws_send_locked(f, client_id, msg);
    pthread_mutex_unlock(&f->lock);
    cJSON_Delete(msg);
}

static void fix_binary_preview(mv_comfy_fixture *f)
{
    size_t len = 0;
    unsigned char *png = fix_make_png("preview", &len);
    unsigned char *frame = malloc(len + 8);
    fix_put32(frame, 1);     /* PREVIEW_IMAGE */
    fix_put32(frame + 4, 2); /* PNG */
    memcpy(frame + 8, png, len);
    pthread_mutex_lock(&f->lock);
    for (int i = 0; i < FIX_MAX_WS; i++)
        if (f->ws[i].conn)
            mg_websocket_write(f->ws[i].conn, MG_WEBSOCKET_OPCODE_BINARY, (const char *)frame,
                               len + 8);
    pthread_mutex_unlock(&f->lock);
    free(frame);
    free(png);
}

static cJSON *fix_status_data(int remaining, const char *sid)
{
    cJSON *d = cJSON_CreateObject();
    cJSON *st = cJSON_AddObjectToObject(d, "status");
    cJSON *ei = cJSON_AddObjectToObject(st, "exec_info");
    cJSON_AddNumberToObject(ei, "queue_remaining", remaining);
    if (sid)
        cJSON_AddStringToObject(d, "sid", sid);
    return d;
}

static int fix_ws_connect(const struct mg_connection *c, void *cb)
{
    (void)cb;
    return fix_origin_refused(c) ? 1 : 0;
}

static void fix_ws_ready(struct mg_connection *c, void *cb)
{
    mv_comfy_fixture *f = cb;
    const struct mg_request_info *ri = mg_get_request_info(c);
    char id[64] = "";
    if (ri->query_string)
        mg_get_var(ri->query_string, strlen(ri->query_string), "clientId", id, sizeof id);
    if (!id[0])
        snprintf(id, sizeof id, "%032lx", (unsigned long)(uintptr_t)c);
    pthread_mutex_lock(&f->lock);
    int slot = -1;
    for (int i = 0; i < FIX_MAX_WS; i++)
        if (f->ws[i].conn && strcmp(f->ws[i].client_id, id) == 0)
            slot = i; /* reconnecting with the same id replaces the old socket */
    for (int i = 0; i < FIX_MAX_WS && slot < 0; i++)
        if (!f->ws[i].conn)
            slot = i;
    if (slot >= 0) {
        f->ws[slot].conn = c;
        snprintf(f->ws[slot].client_id, sizeof f->ws[slot].client_id, "%s", id);
        f->stats.ws_connections++;
        cJSON *msg = cJSON_CreateObject();
        cJSON_AddStringToObject(msg, "type", "status");
        cJSON_AddItemToObject(msg, "data", fix_status_data(0, id));
        char *text = cJSON_PrintUnformatted(msg);
        mg_websocket_write(c, MG_WEBSOCKET_OPCODE_TEXT, text, strlen(text));
        free(text);
        cJSON_Delete(msg);
    }
    pthread_mutex_unlock(&f->lock);
}

static int fix_ws_data(struct mg_connection *c, int bits, char *data, size_t len, void *cb)
{
    (void)c;
    (void)bits;
    (void)data;
    (void)len;
    (void)cb;
    return 1;
}

static void fix_ws_close(const struct mg_connection *c, void *cb)
{
    mv_comfy_fixture *f = cb;
    pthread_mutex_lock(&f->lock);
    for (int i = 0; i < FIX_MAX_WS; i++)
        if (f->ws[i].conn == c)
            f->ws[i].conn = NULL;
    pthread_mutex_unlock(&f->lock);
}

/* ------------------------------------------------------------------ queue helpers */

static int fix_busy_locked(const mv_comfy_fixture *f)
{
    int n = 0;
    for (size_t i = 0; i < f->prompt_count; i++)
        n += f->prompts[i].state == P_PENDING || f->prompts[i].state == P_RUNNING;
    return n;
}

static int fix_is_output_class(const char *cls)
{
    cJSON *probe = cJSON_CreateObject();
    cJSON_AddStringToObject(probe, "class_type", cls);
    int gifs = 0, clip = fix_clip_node_ext(probe, &gifs) != NULL;
    cJSON_Delete(probe);
    return clip || strcmp(cls, "SaveImage") == 0 || strcmp(cls, "PreviewImage") == 0 ||
           strcmp(cls, "SaveImageWebsocket") == 0;
}

static int fix_known(const char *cls)
{
    for (size_t i = 0; i < sizeof fix_known_classes / sizeof fix_known_classes[0]; i++)
        if (strcmp(cls, fix_known_classes[i]) == 0)
            return 1;
    return 0;
}

static cJSON *fix_error_body(const char *type, const char *message, const char *details)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *e = cJSON_AddObjectToObject(root, "error");
    cJSON_AddStringToObject(e, "type", type);
    cJSON_AddStringToObject(e, "message", message);
    cJSON_AddStringToObject(e, "details", details);
    cJSON_AddObjectToObject(e, "extra_info");
    cJSON_AddObjectToObject(root, "node_errors");
    return root;
}

/* The loader inputs that name model files, with the tooltip /object_info gives them. */
typedef struct fix_loader_input {
    const char *cls, *input, *tooltip;
} fix_loader_input;

static const fix_loader_input fix_loader_inputs[] = {
    {"CheckpointLoaderSimple", "ckpt_name", "The name of the checkpoint (model) to load."},
    {"UNETLoader", "unet_name", NULL},
    {"VAELoader", "vae_name", NULL},
    {"DualCLIPLoader", "clip_name1", NULL},
    {"DualCLIPLoader", "clip_name2", NULL},
    {"CLIPLoader", "clip_name", NULL},
};

/* The files "installed" for a loader input, as a new cJSON array (empty with NO_MODELS). */
static cJSON *fix_loader_files(const mv_comfy_fixture *f, const char *cls, const char *input)
{
    cJSON *names = cJSON_CreateArray();
    if (strcmp(cls, "CheckpointLoaderSimple") == 0) {
        for (size_t i = 0; i < f->ckpt_count; i++)
            cJSON_AddItemToArray(names, cJSON_CreateString(f->ckpts[i]));
        return names;
    }
    if (f->opts.mode == MV_FIXTURE_NO_MODELS)
        return names;
    if (strcmp(input, "unet_name") == 0) {
        cJSON_AddItemToArray(names, cJSON_CreateString("flux1-schnell.safetensors"));
        cJSON_AddItemToArray(names, cJSON_CreateString("wan2.2_ti2v_5B_fp16.safetensors"));
    } else if (strcmp(input, "vae_name") == 0) {
        cJSON_AddItemToArray(names, cJSON_CreateString("ae.safetensors"));
        cJSON_AddItemToArray(names, cJSON_CreateString("wan2.2_vae.safetensors"));
        cJSON_AddItemToArray(names, cJSON_CreateString("pixel_space"));
    } else if (strcmp(input, "clip_name") == 0) { /* CLIPLoader: the video models' encoders */
        cJSON_AddItemToArray(names, cJSON_CreateString("umt5_xxl_fp8_e4m3fn_scaled.safetensors"));
        cJSON_AddItemToArray(names, cJSON_CreateString("t5xxl_fp16.safetensors"));
    } else {
        cJSON_AddItemToArray(names, cJSON_CreateString("clip_l.safetensors"));
        cJSON_AddItemToArray(names, cJSON_CreateString("t5xxl_fp8_e4m3fn_scaled.safetensors"));
    }
    return names;
}

static int fix_list_has(const cJSON *list, const char *v)
{
    for (const cJSON *i = list->child; i; i = i->next)
        if (strcmp(i->valuestring, v) == 0)
            return 1;
    return 0;
}

/* One value_not_in_list error as the real validator words it (comfyui.md, captured). */
static cJSON *fix_not_in_list(const fix_loader_input *li, const char *value, cJSON *files)
{
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "type", "value_not_in_list");
    cJSON_AddStringToObject(e, "message", "Value not in list");
    char list[1024] = "[";
    for (const cJSON *i = files->child; i; i = i->next) {
        strncat(list, i != files->child ? ", '" : "'", sizeof list - strlen(list) - 1);
        strncat(list, i->valuestring, sizeof list - strlen(list) - 1);
        strncat(list, "'", sizeof list - strlen(list) - 1);
    }
    strncat(list, "]", sizeof list - strlen(list) - 1);
    char det[1400];
    snprintf(det, sizeof det, "%s: '%s' not in %s", li->input, value, list);
    cJSON_AddStringToObject(e, "details", det);
    cJSON *extra = cJSON_AddObjectToObject(e, "extra_info");
    cJSON_AddStringToObject(extra, "input_name", li->input);
    cJSON *cfg = cJSON_AddArrayToObject(extra, "input_config");
    cJSON_AddItemToArray(cfg, files);
    cJSON *tip = cJSON_CreateObject();
    if (li->tooltip)
        cJSON_AddStringToObject(tip, "tooltip", li->tooltip);
    cJSON_AddItemToArray(cfg, tip);
    cJSON_AddStringToObject(extra, "received_value", value);
    return e;
}

/* Validates like execution.validate_prompt for what the fixture knows; NULL when fine. */
static cJSON *fix_validate(mv_comfy_fixture *f, const cJSON *graph)
{
    char details[128];
    const char *output_id = NULL;
    for (const cJSON *n = graph->child; n; n = n->next) {
        const cJSON *cls = cJSON_GetObjectItemCaseSensitive(n, "class_type");
        snprintf(details, sizeof details, "Node ID '#%s'", n->string);
        if (!cJSON_IsString(cls))
            return fix_error_body("invalid_prompt",
                                  "Cannot execute because a node is missing the class_type "
                                  "property.",
                                  details);
        if (!fix_known(cls->valuestring)) {
            char msg[200];
            snprintf(msg, sizeof msg, "Cannot execute because node %s does not exist.",
                     cls->valuestring);
            return fix_error_body("invalid_prompt", msg, details);
        }
        if (fix_is_output_class(cls->valuestring))
            output_id = n->string;
    }
    if (!output_id)
        return fix_error_body("prompt_no_outputs", "Prompt has no outputs", "");
    cJSON *root = NULL;
    for (const cJSON *n = graph->child; n; n = n->next) {
        const char *cls = cJSON_GetObjectItemCaseSensitive(n, "class_type")->valuestring;
        const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(n, "inputs");
        cJSON *errs = NULL;
        for (size_t k = 0; k < sizeof fix_loader_inputs / sizeof fix_loader_inputs[0]; k++) {
            const fix_loader_input *li = &fix_loader_inputs[k];
            if (strcmp(cls, li->cls) != 0)
                continue;
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(inputs, li->input);
            cJSON *files = fix_loader_files(f, cls, li->input);
            if (cJSON_IsString(v) && fix_list_has(files, v->valuestring)) {
                cJSON_Delete(files);
                continue;
            }
            if (!root)
                root = fix_error_body("prompt_outputs_failed_validation",
                                      "Prompt outputs failed validation", "");
            if (!errs) {
                cJSON *node = cJSON_AddObjectToObject(
                    cJSON_GetObjectItemCaseSensitive(root, "node_errors"), n->string);
                errs = cJSON_AddArrayToObject(node, "errors");
                cJSON *deps = cJSON_AddArrayToObject(node, "dependent_outputs");
                cJSON_AddItemToArray(deps, cJSON_CreateString(output_id));
                cJSON_AddStringToObject(node, "class_type", cls);
            }
            cJSON_AddItemToArray(errs, fix_not_in_list(li, cJSON_IsString(v) ? v->valuestring
                                                                               : "",
                                                       files));
        }
    }
    return root;
}

/* ------------------------------------------------------------------ HTTP routes */

static void fix_post_prompt(mv_comfy_fixture *f, struct mg_connection *c)
{
    char *body = fix_read_body(c);
    cJSON *root = cJSON_Parse(body);
    free(body);
    pthread_mutex_lock(&f->lock);
    f->stats.posts++;
    f->counter++;
    int number = f->counter - 1;
    pthread_mutex_unlock(&f->lock);
    if (!root) {
        fix_reply(c, 500, "Internal Server Error", "text/plain; charset=utf-8",
                  "500 Internal Server Error\n\nServer got itself in trouble");
        return;
    }
    cJSON *graph = cJSON_GetObjectItemCaseSensitive(root, "prompt");
    cJSON *error = NULL;
    if (!cJSON_IsObject(graph))
        error = fix_error_body("no_prompt", "No prompt provided", "No prompt provided");
    else
        error = fix_validate(f, graph);
    if (error) {
        fix_reply_json(c, 400, error);
        cJSON_Delete(error);
        cJSON_Delete(root);
        return;
    }
    const cJSON *cid = cJSON_GetObjectItemCaseSensitive(root, "client_id");
    pthread_mutex_lock(&f->lock);
    fix_prompt *p = NULL;
    if (f->prompt_count < FIX_MAX_PROMPTS)
        p = &f->prompts[f->prompt_count++];
    if (p) {
        memset(p, 0, sizeof *p);
        f->id_seq++;
        snprintf(p->id, sizeof p->id, "%08lx-b8c8-4d40-acdc-%012lx", f->id_seq * 2654435761UL,
                 (unsigned long)f->port * 1000 + f->id_seq);
        p->number = number;
        p->state = P_PENDING;
        p->client_id = cJSON_IsString(cid) ? strdup(cid->valuestring) : NULL;
        p->graph = cJSON_Duplicate(graph, 1);
        f->stats.accepted++;
        int busy = fix_busy_locked(f);
        if (busy > f->stats.max_busy)
            f->stats.max_busy = busy;
        free(f->last_graph);
        f->last_graph = cJSON_PrintUnformatted(graph);
        free(f->last_client_id);
        f->last_client_id = p->client_id ? strdup(p->client_id) : NULL;
    }
    cJSON *reply = cJSON_CreateObject();
    cJSON_AddStringToObject(reply, "prompt_id", p ? p->id : "");
    cJSON_AddNumberToObject(reply, "number", number);
    cJSON_AddObjectToObject(reply, "node_errors");
    pthread_cond_broadcast(&f->cond);
    pthread_mutex_unlock(&f->lock);
    fix_reply_json(c, 200, reply);
    cJSON_Delete(reply);
    cJSON_Delete(root);
}

static cJSON *fix_queue_item(const fix_prompt *p)
{
    cJSON *item = cJSON_CreateArray();
    cJSON_AddItemToArray(item, cJSON_CreateNumber(p->number));
    cJSON_AddItemToArray(item, cJSON_CreateString(p->id));
    cJSON_AddItemToArray(item, cJSON_Duplicate(p->graph, 1));
    cJSON *extra = cJSON_CreateObject();
    if (p->client_id)
        cJSON_AddStringToObject(extra, "client_id", p->client_id);
    cJSON_AddItemToArray(item, extra);
    cJSON_AddItemToArray(item, cJSON_CreateArray());
    return item;
}

/* tests/fixtures/comfy_object_info_video.json: ComfyUI's node definitions replayed from its
 * source (not captured from a server), or an empty object. */
static cJSON *fix_load_object_info(void)
{
    cJSON *root = NULL;
    FILE *in = fopen(MAIVID_TEST_SOURCE_DIR "/tests/fixtures/comfy_object_info_video.json", "rb");
    char *text = in ? malloc(1 << 20) : NULL;
    if (text) {
        size_t len = fread(text, 1, (1 << 20) - 1, in);
        text[len] = '\0';
        root = cJSON_Parse(text);
    }
    free(text);
    if (in)
        fclose(in);
    return root ? root : cJSON_CreateObject();
}

static cJSON *fix_loader_info(mv_comfy_fixture *f, const char *cls);

/* A class's /object_info entry (malloc'd) or NULL: the recorded definition, its file inputs
 * listing what is "installed" for the loaders. */
static cJSON *fix_class_info(mv_comfy_fixture *f, const char *cls)
{
    const cJSON *rec = cJSON_GetObjectItemCaseSensitive(f->object_info, cls);
    cJSON *loader = fix_loader_info(f, cls);
    cJSON *live = cJSON_DetachItemFromObjectCaseSensitive(loader, cls);
    cJSON_Delete(loader);
    if (!rec)
        return live;
    cJSON *out = cJSON_Duplicate(rec, 1);
    cJSON *req = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(out, "input"),
                                                  "required");
    const cJSON *files = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(live, "input"), "required");
    for (const cJSON *in = files ? files->child : NULL; req && in; in = in->next) {
        cJSON_DeleteItemFromObjectCaseSensitive(req, in->string);
        cJSON_AddItemToObject(req, in->string, cJSON_Duplicate(in, 1));
    }
    cJSON_Delete(live);
    return out;
}

/* GET /object_info: every recorded node and every loader. */
static void fix_object_info_all(mv_comfy_fixture *f, struct mg_connection *c)
{
    cJSON *all = cJSON_CreateObject();
    for (const cJSON *rec = f->object_info->child; rec; rec = rec->next)
        cJSON_AddItemToObject(all, rec->string, fix_class_info(f, rec->string));
    for (size_t k = 0; k < sizeof fix_loader_inputs / sizeof fix_loader_inputs[0]; k++) {
        const char *cls = fix_loader_inputs[k].cls;
        cJSON *node = cJSON_GetObjectItemCaseSensitive(all, cls) ? NULL : fix_class_info(f, cls);
        if (node)
            cJSON_AddItemToObject(all, cls, node);
    }
    fix_reply_json(c, 200, all);
    cJSON_Delete(all);
}

static void fix_object_info(mv_comfy_fixture *f, struct mg_connection *c, const char *cls)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *node = fix_class_info(f, cls);
    if (node)
        cJSON_AddItemToObject(root, cls, node);
    fix_reply_json(c, 200, root);
    cJSON_Delete(root);
}

/* The loaders' /object_info/{cls} with the files "installed" ({} for other classes). */
static cJSON *fix_loader_info(mv_comfy_fixture *f, const char *cls)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *node = NULL;
    cJSON *required = NULL;
    if (strcmp(cls, "CheckpointLoaderSimple") == 0 || strcmp(cls, "UNETLoader") == 0 ||
        strcmp(cls, "VAELoader") == 0 || strcmp(cls, "DualCLIPLoader") == 0 ||
        strcmp(cls, "CLIPLoader") == 0) {
        node = cJSON_AddObjectToObject(root, cls);
        cJSON *input = cJSON_AddObjectToObject(node, "input");
        required = cJSON_AddObjectToObject(input, "required");
        cJSON_AddStringToObject(node, "name", cls);
        cJSON_AddStringToObject(node, "category", "loaders");
    }
    for (size_t k = 0; node && k < sizeof fix_loader_inputs / sizeof fix_loader_inputs[0]; k++) {
        const fix_loader_input *li = &fix_loader_inputs[k];
        if (strcmp(cls, li->cls) != 0)
            continue;
        cJSON *spec = cJSON_AddArrayToObject(required, li->input);
        cJSON *files = fix_loader_files(f, cls, li->input);
        if (strcmp(cls, "DualCLIPLoader") == 0) { /* the v3 COMBO shape */
            cJSON_AddItemToArray(spec, cJSON_CreateString("COMBO"));
            cJSON *o = cJSON_CreateObject();
            cJSON_AddFalseToObject(o, "multiselect");
            cJSON_AddItemToObject(o, "options", files);
            cJSON_AddItemToArray(spec, o);
        } else {
            cJSON_AddItemToArray(spec, files);
            cJSON *tip = cJSON_CreateObject();
            if (li->tooltip)
                cJSON_AddStringToObject(tip, "tooltip", li->tooltip);
            cJSON_AddItemToArray(spec, tip);
        }
    }
    return root;
}

static void fix_view(mv_comfy_fixture *f, struct mg_connection *c, const char *query)
{
    char fn[128] = "", sub[128] = "", type[32] = "output";
    int has_fn = query && mg_get_var(query, strlen(query), "filename", fn, sizeof fn) >= 0;
    if (query) {
        mg_get_var(query, strlen(query), "subfolder", sub, sizeof sub);
        if (mg_get_var(query, strlen(query), "type", type, sizeof type) < 0)
            strcpy(type, "output");
    }
    if (!has_fn || !fn[0]) {
        fix_reply(c, 404, "Not Found", "text/plain", "404: Not Found");
        return;
    }
    if (strcmp(type, "output") != 0 && strcmp(type, "input") != 0 && strcmp(type, "temp") != 0) {
        fix_reply(c, 400, "Bad Request", "text/plain", "400: Bad Request");
        return;
    }
    if (fn[0] == '/' || strstr(fn, "..")) {
        fix_reply(c, 400, "Bad Request", "text/plain", "400: Bad Request");
        return;
    }
    pthread_mutex_lock(&f->lock);
    f->stats.views++;
    fix_image *img = NULL;
    for (size_t i = 0; i < f->image_count; i++)
        if (strcmp(f->images[i].filename, fn) == 0 && strcmp(f->images[i].subfolder, sub) == 0)
            img = &f->images[i];
    if (!img) {
        pthread_mutex_unlock(&f->lock);
        fix_reply(c, 404, "Not Found", "text/plain", "404: Not Found");
        return;
    }
    mg_printf(c,
              "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: %zu\r\n"
              "Content-Disposition: filename=\"%s\"\r\nConnection: close\r\n\r\n",
              img->len, fn);
    mg_write(c, img->png, img->len);
    pthread_mutex_unlock(&f->lock);
}

/* POST /upload/image: keeps the file and answers {name, subfolder, type} (comfyui.md). */
static void fix_post_upload(mv_comfy_fixture *f, struct mg_connection *c)
{
    char name[128] = "";
    unsigned char *data = NULL;
    size_t len = 0;
    if (fix_read_upload(c, name, sizeof name, &data, &len) != 0) {
        fix_reply(c, 400, "Bad Request", "text/plain", "400: Bad Request");
        return;
    }
    const char *sub = f->opts.upload_subfolder ? f->opts.upload_subfolder : "";
    pthread_mutex_lock(&f->lock);
    f->stats.uploads++;
    fix_upload *u = NULL;
    for (size_t i = 0; i < f->upload_count; i++)
        if (strcmp(f->uploads[i].name, name) == 0)
            u = &f->uploads[i];
    if (!u)
        u = f->upload_count < FIX_MAX_UPLOADS ? &f->uploads[f->upload_count++] : &f->uploads[0];
    free(u->data);
    free(f->last_upload);
    f->last_upload = malloc(len ? len : 1);
    if (f->last_upload)
        memcpy(f->last_upload, data, len);
    f->last_upload_len = f->last_upload ? len : 0;
    snprintf(u->name, sizeof u->name, "%s%s%s", sub, *sub ? "/" : "", name);
    u->data = data;
    u->len = len;
    pthread_mutex_unlock(&f->lock);
    cJSON *reply = cJSON_CreateObject();
    cJSON_AddStringToObject(reply, "name", name);
    cJSON_AddStringToObject(reply, "subfolder", sub);
    cJSON_AddStringToObject(reply, "type", "input");
    fix_reply_json(c, 200, reply);
    cJSON_Delete(reply);
}

/* The uploaded file a graph's LoadImage names (copied, malloc'd), or NULL. */
static unsigned char *fix_graph_upload(mv_comfy_fixture *f, const cJSON *graph, size_t *len)
{
    unsigned char *out = NULL;
    pthread_mutex_lock(&f->lock);
    for (const cJSON *n = graph->child; n && !out; n = n->next) {
        const cJSON *cls = cJSON_GetObjectItemCaseSensitive(n, "class_type");
        const cJSON *img = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(n, "inputs"), "image");
        if (!cJSON_IsString(cls) || strcmp(cls->valuestring, "LoadImage") != 0 ||
            !cJSON_IsString(img))
            continue;
        for (size_t i = 0; i < f->upload_count && !out; i++)
            if (strcmp(f->uploads[i].name, img->valuestring) == 0) {
                out = malloc(f->uploads[i].len);
                if (out)
                    memcpy(out, f->uploads[i].data, f->uploads[i].len);
                *len = f->uploads[i].len;
            }
    }
    pthread_mutex_unlock(&f->lock);
    return out;
}

static int fix_stalled(mv_comfy_fixture *f, struct mg_connection *c, const char *uri);

static int fix_http(struct mg_connection *c, void *cb)
{
    mv_comfy_fixture *f = cb;
    const struct mg_request_info *ri = mg_get_request_info(c);
    const char *uri = ri->local_uri;
    if (strncmp(uri, "/api/", 5) == 0)
        uri += 4;
    if (fix_stalled(f, c, uri))
        return 200;
    if (strcmp(ri->request_method, "OPTIONS") == 0) {
        fix_reply(c, 200, "OK", "text/plain", "");
        return 200;
    }
    if (fix_origin_refused(c)) {
        fix_reply(c, 403, "Forbidden", "text/plain", "");
        return 403;
    }
    int post = strcmp(ri->request_method, "POST") == 0;
    if (post && strcmp(uri, "/prompt") == 0) {
        fix_post_prompt(f, c);
    } else if (post && strcmp(uri, "/upload/image") == 0) {
        fix_post_upload(f, c);
    } else if (!post && strncmp(uri, "/history/", 9) == 0) {
        pthread_mutex_lock(&f->lock);
        cJSON *root = cJSON_CreateObject();
        cJSON *e = cJSON_GetObjectItemCaseSensitive(f->history, uri + 9);
        if (e)
            cJSON_AddItemToObject(root, uri + 9, cJSON_Duplicate(e, 1));
        pthread_mutex_unlock(&f->lock);
        fix_reply_json(c, 200, root);
        cJSON_Delete(root);
    } else if (!post && strcmp(uri, "/view") == 0) {
        fix_view(f, c, ri->query_string);
    } else if (!post && strcmp(uri, "/queue") == 0) {
        cJSON *root = cJSON_CreateObject();
        cJSON *running = cJSON_AddArrayToObject(root, "queue_running");
        cJSON *pending = cJSON_AddArrayToObject(root, "queue_pending");
        pthread_mutex_lock(&f->lock);
        for (size_t i = 0; i < f->prompt_count; i++) {
            if (f->prompts[i].state == P_RUNNING)
                cJSON_AddItemToArray(running, fix_queue_item(&f->prompts[i]));
            else if (f->prompts[i].state == P_PENDING)
                cJSON_AddItemToArray(pending, fix_queue_item(&f->prompts[i]));
        }
        pthread_mutex_unlock(&f->lock);
        fix_reply_json(c, 200, root);
        cJSON_Delete(root);
    } else if (post && (strcmp(uri, "/queue") == 0 || strcmp(uri, "/interrupt") == 0)) {
        char *body = fix_read_body(c);
        cJSON *root = cJSON_Parse(body);
        free(body);
        int interrupt = strcmp(uri, "/interrupt") == 0;
        if (!root && !interrupt) {
            fix_reply(c, 500, "Internal Server Error", "text/plain; charset=utf-8",
                      "500 Internal Server Error\n\nServer got itself in trouble");
            return 500;
        }
        pthread_mutex_lock(&f->lock);
        if (interrupt) {
            const cJSON *pid = cJSON_GetObjectItemCaseSensitive(root, "prompt_id");
            if (cJSON_IsString(pid))
                f->stats.interrupts_by_id++;
            else
                f->stats.interrupts_all++;
            for (size_t i = 0; i < f->prompt_count; i++)
                if (f->prompts[i].state == P_RUNNING &&
                    (!cJSON_IsString(pid) || strcmp(pid->valuestring, f->prompts[i].id) == 0))
                    f->prompts[i].interrupt = 1;
        } else {
            const cJSON *del = cJSON_GetObjectItemCaseSensitive(root, "delete");
            for (const cJSON *d = del ? del->child : NULL; d; d = d->next) {
                f->stats.queue_deletes++;
                for (size_t i = 0; i < f->prompt_count; i++)
                    if (cJSON_IsString(d) && f->prompts[i].state == P_PENDING &&
                        strcmp(d->valuestring, f->prompts[i].id) == 0)
                        f->prompts[i].state = P_DELETED;
            }
        }
        pthread_mutex_unlock(&f->lock);
        cJSON_Delete(root);
        fix_reply(c, 200, "OK", "text/plain", "");
    } else if (!post && strncmp(uri, "/object_info/", 13) == 0) {
        fix_object_info(f, c, uri + 13);
    } else if (!post && strcmp(uri, "/object_info") == 0) {
        fix_object_info_all(f, c);
    } else if (!post && strcmp(uri, "/system_stats") == 0) {
        fix_reply(c, 200, "OK", "application/json",
                  "{\"system\": {\"os\": \"posix\", \"ram_total\": 25276026880, \"ram_free\": "
                  "24327970816, \"comfyui_version\": \"0.3.64\", \"python_version\": \"3.11.2\", "
                  "\"embedded_python\": false, \"argv\": [\"main.py\", \"--cpu\"]}, "
                  "\"devices\": [{\"name\": \"cpu\", \"type\": \"cpu\", \"index\": null, "
                  "\"vram_total\": 25276026880, \"vram_free\": 24327970816}]}");
    } else {
        fix_reply(c, 404, "Not Found", "text/plain", "404: Not Found");
        return 404;
    }
    return 200;
}

/* ------------------------------------------------------------------ server life */

/* CivetWeb's master thread notices mg_stop only when its poll on the listening socket ends
 * (up to 2 s). Connecting to the port wakes it at once, which keeps every test short. */
typedef struct fix_waker {
    int port;
    atomic_int done;
} fix_waker;

static void *fix_waker_main(void *arg)
{
    fix_waker *w = arg;
    for (int i = 0; i < 200 && !atomic_load(&w->done); i++) {
        fix_sleep(0.01);
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)w->port)};
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd >= 0) {
            (void)connect(fd, (struct sockaddr *)&a, sizeof a);
            close(fd);
        }
    }
    return NULL;
}

static void fix_mg_stop(mv_comfy_fixture *f)
{
    fix_waker w = {.port = f->port};
    atomic_init(&w.done, 0);
    pthread_t t;
    int started = pthread_create(&t, NULL, fix_waker_main, &w) == 0;
    mg_stop(f->ctx);
    f->ctx = NULL;
    atomic_store(&w.done, 1);
    if (started)
        pthread_join(t, NULL);
}

static int fix_listen(mv_comfy_fixture *f)
{
    char ports[32];
    snprintf(ports, sizeof ports, "127.0.0.1:%d", f->port);
    const char *options[] = {"listening_ports", ports, "num_threads", "8",
                             "enable_keep_alive", "no", NULL};
    struct mg_callbacks cbs;
    memset(&cbs, 0, sizeof cbs);
    f->ctx = mg_start(&cbs, f, options);
    if (!f->ctx)
        return -1;
    mg_set_request_handler(f->ctx, "/", fix_http, f);
    if (f->opts.mode != MV_FIXTURE_NO_WS)
        mg_set_websocket_handler(f->ctx, "/ws", fix_ws_connect, fix_ws_ready, fix_ws_data,
                                 fix_ws_close, f);
    if (f->port == 0) {
        struct mg_server_port sp[4];
        int n = mg_get_server_ports(f->ctx, 4, sp);
        if (n < 1) {
            mg_stop(f->ctx);
            f->ctx = NULL;
            return -1;
        }
        f->port = sp[0].port;
    }
    return 0;
}

/* The RESTARTING variant: the process "dies" (sockets close, queue and history are lost) and
 * comes back on the same port after a while. */
static void fix_restart(mv_comfy_fixture *f)
{
    fix_mg_stop(f);
    pthread_mutex_lock(&f->lock);
    for (size_t i = 0; i < f->prompt_count; i++) {
        free(f->prompts[i].client_id);
        cJSON_Delete(f->prompts[i].graph);
    }
    f->prompt_count = 0;
    cJSON_Delete(f->history);
    f->history = cJSON_CreateObject();
    for (int i = 0; i < FIX_MAX_WS; i++)
        f->ws[i].conn = NULL;
    f->stats.restarts++;
    pthread_mutex_unlock(&f->lock);
    fix_sleep(f->opts.restart_seconds > 0 ? f->opts.restart_seconds : 0.8);
    for (int tries = 0; tries < 50 && fix_listen(f) != 0; tries++)
        fix_sleep(0.1);
}

static cJSON *fix_node_event(const char *node, const char *prompt_id)
{
    cJSON *d = cJSON_CreateObject();
    if (node) {
        cJSON_AddStringToObject(d, "node", node);
        cJSON_AddStringToObject(d, "display_node", node);
    } else {
        cJSON_AddNullToObject(d, "node");
    }
    cJSON_AddStringToObject(d, "prompt_id", prompt_id);
    return d;
}

static cJSON *fix_stamp(const char *prompt_id)
{
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "prompt_id", prompt_id);
    cJSON_AddNumberToObject(d, "timestamp", (double)fix_ms());
    return d;
}

static void fix_store_history(mv_comfy_fixture *f, const fix_prompt *p, const char *status_str,
                              cJSON *messages, cJSON *outputs)
{
    cJSON *entry = cJSON_CreateObject();
    cJSON *prompt = cJSON_AddArrayToObject(entry, "prompt");
    cJSON_AddItemToArray(prompt, cJSON_CreateNumber(p->number));
    cJSON_AddItemToArray(prompt, cJSON_CreateString(p->id));
    cJSON_AddItemToArray(prompt, cJSON_Duplicate(p->graph, 1));
    cJSON *extra = cJSON_CreateObject();
    if (p->client_id)
        cJSON_AddStringToObject(extra, "client_id", p->client_id);
    cJSON_AddItemToArray(prompt, extra);
    cJSON_AddItemToArray(prompt, cJSON_CreateArray());
    cJSON_AddItemToObject(entry, "outputs", outputs);
    cJSON *status = cJSON_AddObjectToObject(entry, "status");
    cJSON_AddStringToObject(status, "status_str", status_str);
    cJSON_AddBoolToObject(status, "completed", strcmp(status_str, "success") == 0);
    cJSON_AddItemToObject(status, "messages", messages);
    cJSON_AddObjectToObject(entry, "meta");
    pthread_mutex_lock(&f->lock);
    cJSON_AddItemToObject(f->history, p->id, entry);
    pthread_mutex_unlock(&f->lock);
}

static void fix_message(cJSON *messages, const char *type, cJSON *data)
{
    cJSON *m = cJSON_CreateArray();
    cJSON_AddItemToArray(m, cJSON_CreateString(type));
    cJSON_AddItemToArray(m, data);
    cJSON_AddItemToArray(messages, m);
}

/* The text describing a generated image: size, seed and prompt from the graph. */
static void fix_describe_graph(const cJSON *graph, char *out, size_t size)
{
    double w = 0, h = 0, seed = -1;
    const char *text = "";
    for (const cJSON *n = graph->child; n; n = n->next) {
        const cJSON *in = cJSON_GetObjectItemCaseSensitive(n, "inputs");
        const cJSON *cls = cJSON_GetObjectItemCaseSensitive(n, "class_type");
        const cJSON *v;
        if ((v = cJSON_GetObjectItemCaseSensitive(in, "width")) && cJSON_IsNumber(v) &&
            strstr(cls->valuestring, "Latent"))
            w = v->valuedouble;
        if ((v = cJSON_GetObjectItemCaseSensitive(in, "height")) && cJSON_IsNumber(v) &&
            strstr(cls->valuestring, "Latent"))
            h = v->valuedouble;
        if (((v = cJSON_GetObjectItemCaseSensitive(in, "seed")) && cJSON_IsNumber(v)) ||
            ((v = cJSON_GetObjectItemCaseSensitive(in, "noise_seed")) && cJSON_IsNumber(v)))
            seed = v->valuedouble;
        if ((v = cJSON_GetObjectItemCaseSensitive(in, "text")) && cJSON_IsString(v) && !*text)
            text = v->valuestring;
    }
    snprintf(out, size, "%.0fx%.0f seed=%.0f prompt=%s", w, h, seed, text);
}

static void fix_run_prompt(mv_comfy_fixture *f, fix_prompt *p)
{
    const char *cid = p->client_id;
    const char *pid = p->id;
    int steps = f->opts.steps > 0 ? f->opts.steps : 3;
    double step_s = f->opts.step_seconds > 0 ? f->opts.step_seconds
                    : f->opts.mode == MV_FIXTURE_SLOW ? 0.25
                                                      : 0.01;
    pthread_mutex_lock(&f->lock);
    int remaining = fix_busy_locked(f);
    int run = ++f->runs;
    pthread_mutex_unlock(&f->lock);
    int failing = f->opts.mode == MV_FIXTURE_FAILING ||
                  (f->opts.fail_from > 0 && run >= f->opts.fail_from);
    fix_event(f, NULL, "status", fix_status_data(remaining, NULL));
    fix_event(f, NULL, "status", fix_status_data(remaining, NULL));
    fix_event(f, cid, "execution_start", fix_stamp(pid));
    cJSON *messages = cJSON_CreateArray();
    fix_message(messages, "execution_start", fix_stamp(pid));

    /* The fake node cache: an identical graph already ran. */
    int cached_index = -1;
    pthread_mutex_lock(&f->lock);
    for (int i = 0; i < cJSON_GetArraySize(f->done_graphs); i++)
        if (cJSON_Compare(cJSON_GetArrayItem(f->done_graphs, i), p->graph, 1))
            cached_index = i;
    pthread_mutex_unlock(&f->lock);
    cJSON *cached = fix_stamp(pid);
    cJSON *cached_nodes = cJSON_AddArrayToObject(cached, "nodes");
    if (cached_index >= 0)
        for (const cJSON *n = p->graph->child; n; n = n->next)
            cJSON_AddItemToArray(cached_nodes, cJSON_CreateString(n->string));
    fix_message(messages, "execution_cached", cJSON_Duplicate(cached, 1));
    fix_event(f, cid, "execution_cached", cached);

    const char *output_node = NULL, *loader_node = NULL, *loader_class = NULL;
    for (const cJSON *n = p->graph->child; n; n = n->next) {
        const char *cls = cJSON_GetObjectItemCaseSensitive(n, "class_type")->valuestring;
        if (fix_is_output_class(cls))
            output_node = n->string;
        if (!loader_node && strstr(cls, "Loader")) {
            loader_node = n->string;
            loader_class = cls;
        }
    }
    cJSON *outputs = cJSON_CreateObject();
    if (cached_index >= 0) {
        pthread_mutex_lock(&f->lock);
        cJSON *old = cJSON_Duplicate(cJSON_GetArrayItem(f->done_outputs, cached_index), 1);
        f->stats.cached++;
        pthread_mutex_unlock(&f->lock);
        cJSON *ex = fix_node_event(output_node, pid);
        cJSON_AddItemToObject(ex, "output", cJSON_Duplicate(old, 1));
        fix_event(f, cid, "executed", ex);
        cJSON_AddItemToObject(outputs, output_node, old);
    } else {
        for (const cJSON *n = p->graph->child; n; n = n->next) {
            const char *cls = cJSON_GetObjectItemCaseSensitive(n, "class_type")->valuestring;
            fix_event(f, cid, "executing", fix_node_event(n->string, pid));
            if (failing && n->string == loader_node) {
                cJSON *e = fix_stamp(pid);
                cJSON_AddStringToObject(e, "node_id", loader_node);
                cJSON_AddStringToObject(e, "node_type", loader_class);
                cJSON_AddArrayToObject(e, "executed");
                cJSON_AddStringToObject(e, "exception_message",
                                        "Error while deserializing header: HeaderTooLarge\n");
                cJSON_AddStringToObject(e, "exception_type", "safetensors_rust.SafetensorError");
                cJSON_AddArrayToObject(e, "traceback");
                cJSON_AddObjectToObject(e, "current_inputs");
                cJSON_AddArrayToObject(e, "current_outputs");
                fix_message(messages, "execution_error", cJSON_Duplicate(e, 1));
                fix_store_history(f, p, "error", messages, outputs);
                fix_event(f, cid, "execution_error", e);
                fix_event(f, NULL, "status", fix_status_data(0, NULL));
                fix_event(f, cid, "executing", fix_node_event(NULL, pid));
                return;
            }
            int sampler = strstr(cls, "Sampler") && !strstr(cls, "Select");
            for (int s = 0; sampler && s < steps; s++) {
                fix_sleep(step_s);
                cJSON *pr = cJSON_CreateObject();
                cJSON_AddNumberToObject(pr, "value", s + 1);
                cJSON_AddNumberToObject(pr, "max", steps);
                cJSON_AddStringToObject(pr, "prompt_id", pid);
                cJSON_AddStringToObject(pr, "node", n->string);
                fix_event(f, NULL, "progress", pr);
                if (s == 0)
                    fix_binary_preview(f);
                if (f->opts.mode == MV_FIXTURE_RESTARTING && !f->restarted_once) {
                    f->restarted_once = 1;
                    cJSON_Delete(messages);
                    cJSON_Delete(outputs);
                    fix_restart(f); /* p is gone with the queue */
                    return;
                }
                pthread_mutex_lock(&f->lock);
                int stop = p->interrupt;
                pthread_mutex_unlock(&f->lock);
                if (stop) {
                    cJSON *e = fix_stamp(pid);
                    cJSON_AddStringToObject(e, "node_id", n->string);
                    cJSON_AddStringToObject(e, "node_type", cls);
                    cJSON_AddArrayToObject(e, "executed");
                    fix_message(messages, "execution_interrupted", cJSON_Duplicate(e, 1));
                    fix_store_history(f, p, "error", messages, outputs);
                    fix_event(f, NULL, "execution_interrupted", e);
                    fix_event(f, NULL, "status", fix_status_data(0, NULL));
                    fix_event(f, cid, "executing", fix_node_event(NULL, pid));
                    pthread_mutex_lock(&f->lock);
                    f->stats.interrupted++;
                    pthread_mutex_unlock(&f->lock);
                    return;
                }
            }
            if (fix_is_output_class(cls)) {
                const cJSON *prefix = cJSON_GetObjectItemCaseSensitive(
                    cJSON_GetObjectItemCaseSensitive(n, "inputs"), "filename_prefix");
                char sub[128] = "", base[96] = "ComfyUI";
                if (cJSON_IsString(prefix)) {
                    const char *slash = strrchr(prefix->valuestring, '/');
                    if (slash) {
                        snprintf(sub, sizeof sub, "%.*s", (int)(slash - prefix->valuestring),
                                 prefix->valuestring);
                        snprintf(base, sizeof base, "%s", slash + 1);
                    } else {
                        snprintf(base, sizeof base, "%s", prefix->valuestring);
                    }
                }
                char desc[512];
                fix_describe_graph(p->graph, desc, sizeof desc);
                int gifs = 0;
                const char *clip_ext = fix_clip_node_ext(n, &gifs);
                unsigned char *bytes = NULL;
                size_t bytes_len = 0;
                if (clip_ext) {
                    size_t up_len = 0;
                    unsigned char *up = fix_graph_upload(f, p->graph, &up_len);
                    bytes = fix_clip_for_graph(p->graph, clip_ext, up, up_len, f->opts.i2v_levels,
                                               &bytes_len);
                    free(up);
                } else {
                    bytes = fix_make_png(desc, &bytes_len);
                }
                pthread_mutex_lock(&f->lock);
                fix_image *img = f->image_count < FIX_MAX_IMAGES ? &f->images[f->image_count++]
                                                                 : &f->images[0];
                free(img->png);
                snprintf(img->subfolder, sizeof img->subfolder, "%s", sub);
                snprintf(img->filename, sizeof img->filename, "%s_%05d_.%s", base,
                         ++f->file_counter, clip_ext ? clip_ext : "png");
                img->png = bytes;
                img->len = bytes_len;
                cJSON *out = cJSON_CreateObject();
                cJSON *images = cJSON_AddArrayToObject(out, gifs ? "gifs" : "images");
                cJSON *im = cJSON_CreateObject();
                cJSON_AddStringToObject(im, "filename", img->filename);
                cJSON_AddStringToObject(im, "subfolder", img->subfolder);
                cJSON_AddStringToObject(im, "type", "output");
                if (gifs) {
                    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(
                        cJSON_GetObjectItemCaseSensitive(n, "inputs"), "format");
                    cJSON_AddStringToObject(im, "format",
                                            cJSON_IsString(fmt) ? fmt->valuestring : "image/gif");
                    cJSON_AddNumberToObject(im, "frame_rate", 24);
                }
                cJSON_AddItemToArray(images, im);
                if (clip_ext && !gifs) {
                    cJSON *animated = cJSON_AddArrayToObject(out, "animated");
                    cJSON_AddItemToArray(animated, cJSON_CreateTrue());
                }
                pthread_mutex_unlock(&f->lock);
                cJSON *ex = fix_node_event(n->string, pid);
                cJSON_AddItemToObject(ex, "output", cJSON_Duplicate(out, 1));
                fix_event(f, cid, "executed", ex);
                cJSON_AddItemToObject(outputs, n->string, out);
            }
        }
    }
    pthread_mutex_lock(&f->lock);
    cJSON_AddItemToArray(f->done_graphs, cJSON_Duplicate(p->graph, 1));
    cJSON_AddItemToArray(f->done_outputs,
                         cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(outputs, output_node), 1));
    f->stats.completed++;
    pthread_mutex_unlock(&f->lock);
    fix_message(messages, "execution_success", fix_stamp(pid));
    fix_store_history(f, p, "success", messages, outputs);
    fix_event(f, cid, "execution_success", fix_stamp(pid));
    fix_event(f, NULL, "status", fix_status_data(0, NULL));
    fix_event(f, cid, "executing", fix_node_event(NULL, pid));
}

static void *fix_executor(void *arg)
{
    mv_comfy_fixture *f = arg;
    pthread_mutex_lock(&f->lock);
    while (!f->stopping) {
        fix_prompt *next = NULL;
        for (size_t i = 0; i < f->prompt_count; i++)
            if (f->prompts[i].state == P_PENDING &&
                (!next || f->prompts[i].number < next->number))
                next = &f->prompts[i];
        if (!next) {
            pthread_cond_wait(&f->cond, &f->lock);
            continue;
        }
        next->state = P_RUNNING;
        pthread_mutex_unlock(&f->lock);
        fix_run_prompt(f, next);
        pthread_mutex_lock(&f->lock);
        if (next < f->prompts + f->prompt_count && next->state == P_RUNNING)
            next->state = P_DONE;
    }
    pthread_mutex_unlock(&f->lock);
    return NULL;
}

mv_comfy_fixture *mv_comfy_fixture_start(const mv_comfy_fixture_opts *opts)
{
    mv_comfy_fixture *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    if (opts)
        f->opts = *opts;
    const char *const *ckpts = f->opts.checkpoints ? f->opts.checkpoints : fix_default_ckpts;
    size_t count = f->opts.checkpoints ? f->opts.checkpoint_count
                   : f->opts.mode == MV_FIXTURE_NO_MODELS
                       ? 0
                       : sizeof fix_default_ckpts / sizeof fix_default_ckpts[0];
    f->ckpts = calloc(count ? count : 1, sizeof *f->ckpts);
    for (size_t i = 0; i < count; i++)
        f->ckpts[i] = strdup(ckpts[i]);
    f->ckpt_count = count;
    f->opts.checkpoints = NULL;
    f->history = cJSON_CreateObject();
    f->object_info = fix_load_object_info();
    f->done_graphs = cJSON_CreateArray();
    f->done_outputs = cJSON_CreateArray();
    pthread_mutex_init(&f->lock, NULL);
    pthread_cond_init(&f->cond, NULL);
    if (fix_listen(f) != 0) {
        mv_comfy_fixture_stop(f);
        return NULL;
    }
    snprintf(f->url, sizeof f->url, "http://127.0.0.1:%d", f->port);
    pthread_create(&f->executor, NULL, fix_executor, f);
    return f;
}

void mv_comfy_fixture_stop(mv_comfy_fixture *f)
{
    if (!f)
        return;
    if (f->executor) {
        pthread_mutex_lock(&f->lock);
        f->stopping = 1;
        for (size_t i = 0; i < f->prompt_count; i++)
            f->prompts[i].interrupt = 1;
        pthread_cond_broadcast(&f->cond);
        pthread_mutex_unlock(&f->lock);
        pthread_join(f->executor, NULL);
    }
    if (f->ctx)
        fix_mg_stop(f);
    for (size_t i = 0; i < f->prompt_count; i++) {
        free(f->prompts[i].client_id);
        cJSON_Delete(f->prompts[i].graph);
    }
    for (size_t i = 0; i < f->image_count; i++)
        free(f->images[i].png);
    for (size_t i = 0; i < f->upload_count; i++)
        free(f->uploads[i].data);
    free(f->last_upload);
    cJSON_Delete(f->object_info);
    for (size_t i = 0; i < f->ckpt_count; i++)
        free(f->ckpts[i]);
    free(f->ckpts);
    cJSON_Delete(f->history);
    cJSON_Delete(f->done_graphs);
    cJSON_Delete(f->done_outputs);
    free(f->last_graph);
    free(f->last_client_id);
    pthread_mutex_destroy(&f->lock);
    pthread_cond_destroy(&f->cond);
    free(f);
}

const char *mv_comfy_fixture_url(const mv_comfy_fixture *f)
{
    return f->url;
}

void mv_comfy_fixture_get_stats(mv_comfy_fixture *f, mv_comfy_fixture_stats *out)
{
    pthread_mutex_lock(&f->lock);
    *out = f->stats;
    pthread_mutex_unlock(&f->lock);
}

char *mv_comfy_fixture_last_graph(mv_comfy_fixture *f)
{
    pthread_mutex_lock(&f->lock);
    char *s = f->last_graph ? strdup(f->last_graph) : NULL;
    pthread_mutex_unlock(&f->lock);
    return s;
}

unsigned char *mv_comfy_fixture_last_upload(mv_comfy_fixture *f, size_t *len)
{
    pthread_mutex_lock(&f->lock);
    unsigned char *out = f->last_upload ? malloc(f->last_upload_len ? f->last_upload_len : 1)
                                        : NULL;
    if (out)
        memcpy(out, f->last_upload, f->last_upload_len);
    *len = out ? f->last_upload_len : 0;
    pthread_mutex_unlock(&f->lock);
    return out;
}

char *mv_comfy_fixture_last_client_id(mv_comfy_fixture *f)
{
    pthread_mutex_lock(&f->lock);
    char *s = f->last_client_id ? strdup(f->last_client_id) : NULL;
    pthread_mutex_unlock(&f->lock);
    return s;
}

/* ------------------------------------------------------------------ stalls */

void mv_comfy_fixture_stall(mv_comfy_fixture *f, const char *path, size_t body_bytes)
{
    pthread_mutex_lock(&f->lock);
    snprintf(f->stall_path, sizeof f->stall_path, "%s", path);
    f->stall_bytes = body_bytes;
    pthread_mutex_unlock(&f->lock);
}

/* Answers a request for the stalled path with headers and part of a body, then holds the
 * connection until the fixture stops. 1 when it did. */
static int fix_stalled(mv_comfy_fixture *f, struct mg_connection *c, const char *uri)
{
    pthread_mutex_lock(&f->lock);
    int hit = f->stall_path[0] && strcmp(uri, f->stall_path) == 0;
    size_t n = f->stall_bytes;
    pthread_mutex_unlock(&f->lock);
    if (!hit)
        return 0;
    char *body = calloc(1, n + 8);
    if (!body)
        return 0;
    memcpy(body, "\x89PNG\r\n\x1a\n", 8);
    if (strcmp(uri, "/view") != 0)
        memset(body, '{', n > 0 ? 1 : 0);
    mg_printf(c, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n",
              strcmp(uri, "/view") == 0 ? "image/png" : "application/json", 2 * n + 8);
    if (n > 0)
        mg_write(c, body, n);
    free(body);
    pthread_mutex_lock(&f->lock);
    while (!f->stopping)
        pthread_cond_wait(&f->cond, &f->lock);
    pthread_mutex_unlock(&f->lock);
    return 1;
}
