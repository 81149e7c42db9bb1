/*
 * usable.c - whether a ComfyUI model can run now: some configured server answers
 * /system_stats and lists every model file the workflow names in its /object_info combo
 * lists. Quick timeouts, and answers kept for a few seconds so the catalog stays fast. Also
 * the one wording of "that file is not installed" with its fix, which the run's 400 errors
 * share.
 */
#include "comfy/mv_comfy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct mv_usable_server {
    char *url;
    double checked_at; /* monotonic */
    int reachable;
    char why[700];
    cJSON *combos; /* {"Class\x1finput": [values] or null} */
} mv_usable_server;

struct mv_usable_cache {
    pthread_mutex_t lock;
    double ttl;
    mv_usable_server *servers;
    size_t count;
};

mv_usable_cache *mv_usable_new(double ttl_seconds)
{
    mv_usable_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    pthread_mutex_init(&c->lock, NULL);
    c->ttl = ttl_seconds;
    return c;
}

void mv_usable_free(mv_usable_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->count; i++) {
        free(c->servers[i].url);
        cJSON_Delete(c->servers[i].combos);
    }
    free(c->servers);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static mv_usable_server *mv_usable_server_for(mv_usable_cache *c, const char *url,
                                              const mv_comfy_timing *t)
{
    mv_usable_server *s = NULL;
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->servers[i].url, url) == 0)
            s = &c->servers[i];
    if (!s) {
        mv_usable_server *grown = realloc(c->servers, (c->count + 1) * sizeof *grown);
        if (!grown)
            return NULL;
        c->servers = grown;
        s = &c->servers[c->count++];
        memset(s, 0, sizeof *s);
        s->url = mv_strdup(url);
        s->checked_at = -1e9;
    }
    double now = mv_monotonic();
    if (now - s->checked_at > c->ttl) {
        cJSON_Delete(s->combos);
        s->combos = cJSON_CreateObject();
        s->checked_at = now;
        char *probe = mv_strdup_printf("%s/system_stats", url);
        mv_http_reply reply;
        double connect = t->connect_timeout < 1.0 ? t->connect_timeout : 1.0;
        mv_http_request("GET", probe ? probe : url, NULL, connect, 2.0, 0, 1u << 20, NULL,
                        &reply);
        free(probe);
        s->reachable = reply.status == 200;
        if (reply.transport_failed)
            snprintf(s->why, sizeof s->why,
                     "ComfyUI at %s is not reachable (%s); start it or fix the URL", url,
                     reply.detail);
        else if (reply.status != 200)
            snprintf(s->why, sizeof s->why,
                     "%s/system_stats answered HTTP %ld; is that URL a ComfyUI server?", url,
                     reply.status);
        else
            s->why[0] = '\0';
        mv_http_reply_free(&reply);
    }
    return s;
}

static int mv_is_model_file(const char *v)
{
    static const char *const exts[] = {".safetensors", ".ckpt", ".pt", ".pth", ".bin",
                                       ".gguf", ".sft", ".pt2"};
    size_t len = strlen(v);
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        size_t el = strlen(exts[i]);
        if (len > el && strcmp(v + len - el, exts[i]) == 0)
            return 1;
    }
    return 0;
}

static int mv_list_has(const cJSON *list, const char *v)
{
    for (const cJSON *i = list ? list->child : NULL; i; i = i->next)
        if (cJSON_IsString(i) && strcmp(i->valuestring, v) == 0)
            return 1;
    return 0;
}

static void mv_join_strings(const cJSON *arr, char *buf, size_t size)
{
    buf[0] = '\0';
    size_t used = 0;
    int n = 0;
    for (const cJSON *v = arr ? arr->child : NULL; v; v = v->next) {
        if (!cJSON_IsString(v))
            continue;
        int w = snprintf(buf + used, size - used, "%s'%s'", n ? ", " : "", v->valuestring);
        if (w < 0 || (size_t)w >= size - used) {
            if (size > 5)
                strcpy(buf + size - 5, "...");
            return;
        }
        used += (size_t)w;
        n++;
    }
    if (n == 0)
        mv_strlcpy(buf, "none", size);
}

/* ComfyUI's models/ subfolder that holds what a loader input names. */
static const char *mv_model_folder(const char *input)
{
    if (strcmp(input, "ckpt_name") == 0)
        return "checkpoints";
    if (strcmp(input, "unet_name") == 0)
        return "diffusion_models";
    if (strcmp(input, "vae_name") == 0)
        return "vae";
    if (strncmp(input, "clip_name", 9) == 0)
        return "text_encoders";
    return "the matching";
}

void mv_comfy_missing_file(char *buf, size_t size, const char *url, const char *node_class,
                           const char *input, const char *value, const cJSON *installed,
                           const char *model_id)
{
    char list[300];
    mv_join_strings(installed, list, sizeof list);
    int is_checkpoint = strcmp(input, "ckpt_name") == 0 || strcmp(input, "unet_name") == 0;
    char fix[300];
    if (model_id && is_checkpoint)
        snprintf(fix, sizeof fix, ", or set it with --checkpoint %s=FILE (one of the installed "
                                  "files)", model_id);
    else if (!model_id)
        snprintf(fix, sizeof fix, ", or edit the workflow to name an installed file");
    else
        fix[0] = '\0';
    snprintf(buf, size,
             "'%s' is not installed on ComfyUI at %s (%s.%s; installed: %s); put it in "
             "ComfyUI's models/%s folder%s",
             value, url, node_class, input, list, mv_model_folder(input), fix);
}

/* 1 if the server lists every model file of the graph; else why says which is missing. */
static int mv_server_has_files(mv_usable_server *s, const cJSON *graph, const char *model_id,
                               const mv_comfy_timing *t, char *why, size_t why_size)
{
    for (const cJSON *node = graph->child; node; node = node->next) {
        const cJSON *cls = cJSON_GetObjectItemCaseSensitive(node, "class_type");
        const cJSON *inputs = cJSON_GetObjectItemCaseSensitive(node, "inputs");
        for (const cJSON *in = inputs ? inputs->child : NULL; in; in = in->next) {
            if (!cJSON_IsString(in) || !mv_is_model_file(in->valuestring) ||
                !cJSON_IsString(cls))
                continue;
            char key[300];
            snprintf(key, sizeof key, "%s\x1f%s", cls->valuestring, in->string);
            cJSON *list = cJSON_GetObjectItemCaseSensitive(s->combos, key);
            if (!list) {
                list = mv_comfy_combo_values(s->url, cls->valuestring, in->string, t);
                if (!list)
                    list = cJSON_CreateNull();
                cJSON_AddItemToObject(s->combos, key, list);
            }
            if (cJSON_IsNull(list)) {
                snprintf(why, why_size,
                         "ComfyUI at %s has no node %s (or does not list its %s); update "
                         "ComfyUI or install the custom node",
                         s->url, cls->valuestring, in->string);
                return 0;
            }
            if (!mv_list_has(list, in->valuestring)) {
                mv_comfy_missing_file(why, why_size, s->url, cls->valuestring, in->string,
                                      in->valuestring, list, model_id);
                return 0;
            }
        }
    }
    return 1;
}

int mv_usable_check(mv_usable_cache *c, const char *const *urls, size_t url_count,
                    const cJSON *graph, const char *model_id, const mv_comfy_timing *t,
                    char *why, size_t why_size)
{
    if (url_count == 0) {
        snprintf(why, why_size, "no ComfyUI server is configured; pass one with --comfyui URL "
                                "or use the built-in illustrator (procedural)");
        return 0;
    }
    int usable = 0;
    why[0] = '\0';
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < url_count && !usable; i++) {
        mv_usable_server *s = mv_usable_server_for(c, urls[i], t);
        char reason[800] = "";
        if (!s)
            snprintf(reason, sizeof reason, "out of memory");
        else if (!s->reachable)
            mv_strlcpy(reason, s->why, sizeof reason);
        else if (mv_server_has_files(s, graph, model_id, t, reason, sizeof reason))
            usable = 1;
        if (!usable && !why[0])
            mv_strlcpy(why, reason, why_size);
    }
    pthread_mutex_unlock(&c->lock);
    if (usable)
        why[0] = '\0';
    return usable;
}
