/*
 * workflow.c - ComfyUI API-format workflow templates: loading (bare graph or a wrapper with a
 * name and description) and filling in one scene's prompt, negative prompt, size and seed,
 * by placeholders ("{{prompt}}" ...) or, where a template has none, by node class and wiring
 * (the text encoders that feed the sampler's positive and negative inputs, the latent image
 * node, the seed inputs). Node ids are never assumed.
 */
#include "comfy/mv_comfy.h"
#include "util/mv_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MV_SEED_MASK ((1ULL << 53) - 1)


int64_t mv_workflow_seed_value(int64_t seed)
{
    return (int64_t)((uint64_t)seed & MV_SEED_MASK);
}

static int mv_is_node(const cJSON *item)
{
    return cJSON_IsObject(item) && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(item, "class_type"));
}

static const char *mv_node_class(const cJSON *node)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(node, "class_type");
    return cJSON_IsString(c) ? c->valuestring : "";
}

static cJSON *mv_node_inputs(const cJSON *node)
{
    cJSON *in = cJSON_GetObjectItemCaseSensitive(node, "inputs");
    return cJSON_IsObject(in) ? in : NULL;
}

/* A link is ["node_id", output_index]. */
static const char *mv_link_source(const cJSON *value)
{
    if (!cJSON_IsArray(value) || cJSON_GetArraySize(value) != 2)
        return NULL;
    const cJSON *id = cJSON_GetArrayItem(value, 0);
    const cJSON *idx = cJSON_GetArrayItem(value, 1);
    if (!cJSON_IsString(id) || !cJSON_IsNumber(idx))
        return NULL;
    return id->valuestring;
}

static maivid_code mv_graph_check(cJSON *graph, const char *what, mv_error *err)
{
    int nodes = 0;
    for (cJSON *n = graph->child; n; n = n->next) {
        if (!mv_is_node(n))
            return mv_fail(err, MAIVID_E_INVALID,
                           "workflow %s: entry '%s' is not a node with a class_type; export the "
                           "workflow from ComfyUI with 'Export (API)'",
                           what, n->string ? n->string : "?");
        if (!mv_node_inputs(n))
            return mv_fail(err, MAIVID_E_INVALID,
                           "workflow %s: node '%s' (%s) has no inputs object; export the workflow "
                           "from ComfyUI with 'Export (API)'",
                           what, n->string, mv_node_class(n));
        nodes++;
    }
    if (nodes == 0)
        return mv_fail(err, MAIVID_E_INVALID,
                       "workflow %s has no nodes; export a working graph from ComfyUI with "
                       "'Export (API)'",
                       what);
    return MAIVID_OK;
}

static char *mv_take_string(cJSON *obj, const char *key)
{
    cJSON *s = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(s) ? mv_strdup(s->valuestring) : NULL;
}

maivid_code mv_workflow_parse(const char *text, const char *what, cJSON **graph, char **name,
                              char **description, mv_error *err)
{
    *graph = NULL;
    if (name)
        *name = NULL;
    if (description)
        *description = NULL;
    cJSON *root = mv_json_parse(text);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return mv_fail(err, MAIVID_E_INVALID,
                       "workflow %s is not a JSON object; export it from ComfyUI with "
                       "'Export (API)'",
                       what);
    }
    if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, "nodes")) &&
        cJSON_GetObjectItemCaseSensitive(root, "links")) {
        cJSON_Delete(root);
        return mv_fail(err, MAIVID_E_INVALID,
                       "workflow %s is in ComfyUI's UI format (nodes/links), which the API does "
                       "not run; in ComfyUI use Workflow > Export (API) and pass that file",
                       what);
    }
    char *n = mv_take_string(root, "name");
    char *d = mv_take_string(root, "description");
    cJSON *inner = cJSON_GetObjectItemCaseSensitive(root, "prompt");
    if (!cJSON_IsObject(inner))
        inner = cJSON_GetObjectItemCaseSensitive(root, "workflow");
    cJSON *g;
    if (cJSON_IsObject(inner) && !mv_is_node(inner)) {
        g = cJSON_DetachItemViaPointer(root, inner);
        cJSON_Delete(root);
    } else {
        g = root;
        cJSON_DeleteItemFromObjectCaseSensitive(g, "name");
        cJSON_DeleteItemFromObjectCaseSensitive(g, "description");
    }
    maivid_code rc = mv_graph_check(g, what, err);
    if (rc != MAIVID_OK) {
        cJSON_Delete(g);
        free(n);
        free(d);
        return rc;
    }
    *graph = g;
    if (name)
        *name = n;
    else
        free(n);
    if (description)
        *description = d;
    else
        free(d);
    return MAIVID_OK;
}

maivid_code mv_workflow_load(const char *path, cJSON **graph, char **name, char **description,
                             mv_error *err)
{
    char *text = NULL;
    size_t len = 0;
    maivid_code rc = mv_read_file(path, &text, &len, err);
    if (rc != MAIVID_OK)
        return rc;
    rc = mv_workflow_parse(text, path, graph, name, description, err);
    free(text);
    return rc;
}

/* ---------------------------------------------------------------- substitution */

static void mv_replace_input(cJSON *inputs, cJSON *old, cJSON *fresh)
{
    if (fresh) /* by key, so the new item gets the input's name */
        cJSON_ReplaceItemInObjectCaseSensitive(inputs, old->string, fresh);
}

/* Replaces every occurrence of `pat` in `s` by `rep` (malloc'd). */
static char *mv_str_replace_all(const char *s, const char *pat, const char *rep)
{
    size_t pl = strlen(pat), rl = strlen(rep), count = 0;
    for (const char *p = strstr(s, pat); p; p = strstr(p + pl, pat))
        count++;
    size_t out_len = strlen(s) + count * rl - count * pl;
    char *out = malloc(out_len + 1);
    if (!out)
        return NULL;
    char *w = out;
    const char *p = s;
    for (const char *hit = strstr(p, pat); hit; hit = strstr(p, pat)) {
        memcpy(w, p, (size_t)(hit - p));
        w += hit - p;
        memcpy(w, rep, rl);
        w += rl;
        p = hit + pl;
    }
    strcpy(w, p);
    return out;
}

static void mv_apply_placeholders(cJSON *graph, const mv_workflow_params *p,
                                  mv_workflow_report *r)
{
    const char *neg = p->negative_prompt ? p->negative_prompt : "";
    double seed = (double)mv_workflow_seed_value(p->seed);
    for (cJSON *node = graph->child; node; node = node->next) {
        cJSON *inputs = mv_node_inputs(node);
        if (!inputs)
            continue;
        for (cJSON *in = inputs->child; in;) {
            cJSON *next = in->next;
            if (cJSON_IsString(in)) {
                const char *v = in->valuestring;
                if (strcmp(v, "{{prompt}}") == 0) {
                    mv_replace_input(inputs, in, cJSON_CreateString(p->prompt));
                    r->prompt_set++;
                } else if (strcmp(v, "{{negative_prompt}}") == 0) {
                    mv_replace_input(inputs, in, cJSON_CreateString(neg));
                    r->negative_set++;
                } else if (strcmp(v, "{{width}}") == 0) {
                    mv_replace_input(inputs, in, cJSON_CreateNumber(p->width));
                    r->size_set++;
                } else if (strcmp(v, "{{height}}") == 0) {
                    mv_replace_input(inputs, in, cJSON_CreateNumber(p->height));
                    r->size_set++;
                } else if (strcmp(v, "{{seed}}") == 0) {
                    mv_replace_input(inputs, in, cJSON_CreateNumber(seed));
                    r->seed_set++;
                } else if (strcmp(v, "{{image}}") == 0 && p->image) {
                    mv_replace_input(inputs, in, cJSON_CreateString(p->image));
                    r->image_set++;
                } else if (strcmp(v, "{{frames}}") == 0 && p->frames > 0) {
                    mv_replace_input(inputs, in, cJSON_CreateNumber(p->frames));
                    r->frames_set++;
                } else if (strcmp(v, "{{fps}}") == 0 && p->fps > 0) {
                    mv_replace_input(inputs, in, cJSON_CreateNumber(p->fps));
                    r->fps_set++;
                } else if (strstr(v, "{{prompt}}") || strstr(v, "{{negative_prompt}}")) {
                    int has_prompt = strstr(v, "{{prompt}}") != NULL;
                    int has_neg = strstr(v, "{{negative_prompt}}") != NULL;
                    char *a = mv_str_replace_all(v, "{{prompt}}", p->prompt);
                    char *b = a ? mv_str_replace_all(a, "{{negative_prompt}}", neg) : NULL;
                    if (b)
                        mv_replace_input(inputs, in, cJSON_CreateString(b));
                    free(a);
                    free(b);
                    r->prompt_set += has_prompt;
                    r->negative_set += has_neg;
                }
            }
            in = next;
        }
    }
    r->placeholders = r->prompt_set + r->negative_set + r->size_set + r->seed_set +
                      r->image_set + r->frames_set + r->fps_set;
}

static int mv_is_text_encoder(const cJSON *node)
{
    if (strstr(mv_node_class(node), "TextEncode"))
        return 1;
    const cJSON *inputs = mv_node_inputs(node);
    return inputs && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(inputs, "text"));
}

static int mv_is_text_input(const char *name)
{
    static const char *const names[] = {"text", "text_g", "text_l", "clip_l", "clip_g", "t5xxl",
                                        "prompt"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0)
            return 1;
    return 0;
}

/* Inputs that carry models, latents or samplers, never conditioning: not followed. */
static int mv_is_non_conditioning_input(const char *name)
{
    static const char *const names[] = {"clip", "model", "vae", "samples", "latent_image",
                                        "sigmas", "sampler", "noise", "image", "pixels"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0)
            return 1;
    return 0;
}

#define MV_MAX_ENCODERS 16
#define MV_MAX_VISITED 256 /* nodes walked per search: a template's graph is far smaller */

typedef struct mv_encoder_set {
    cJSON *nodes[MV_MAX_ENCODERS];
    size_t count;
    const cJSON *visited[MV_MAX_VISITED]; /* each node is walked once: links that fan in or
                                             loop back cannot make the walk exponential */
    size_t visited_count;
} mv_encoder_set;

static int mv_set_has(const mv_encoder_set *s, const cJSON *n)
{
    for (size_t i = 0; i < s->count; i++)
        if (s->nodes[i] == n)
            return 1;
    return 0;
}

/* Follows conditioning links upstream from node_id to the text encoders. */
static void mv_collect_encoders(cJSON *graph, const char *node_id, int depth, mv_encoder_set *s)
{
    cJSON *node = cJSON_GetObjectItemCaseSensitive(graph, node_id);
    if (!mv_is_node(node) || depth > 24 || s->visited_count == MV_MAX_VISITED)
        return;
    for (size_t i = 0; i < s->visited_count; i++)
        if (s->visited[i] == node)
            return;
    s->visited[s->visited_count++] = node;
    if (mv_is_text_encoder(node)) {
        if (!mv_set_has(s, node) && s->count < MV_MAX_ENCODERS)
            s->nodes[s->count++] = node;
        return;
    }
    if (strcmp(mv_node_class(node), "ConditioningZeroOut") == 0)
        return; /* its text does not matter */
    cJSON *inputs = mv_node_inputs(node);
    for (cJSON *in = inputs ? inputs->child : NULL; in; in = in->next) {
        const char *src = mv_link_source(in);
        if (src && !mv_is_non_conditioning_input(in->string))
            mv_collect_encoders(graph, src, depth + 1, s);
    }
}

static void mv_find_conditioning(cJSON *graph, const char *input_name, int include_guiders,
                                 mv_encoder_set *s)
{
    for (cJSON *node = graph->child; node; node = node->next) {
        cJSON *inputs = mv_node_inputs(node);
        if (!inputs)
            continue;
        const char *src = mv_link_source(cJSON_GetObjectItemCaseSensitive(inputs, input_name));
        if (src)
            mv_collect_encoders(graph, src, 0, s);
        if (include_guiders && strstr(mv_node_class(node), "Guider")) {
            src = mv_link_source(cJSON_GetObjectItemCaseSensitive(inputs, "conditioning"));
            if (src)
                mv_collect_encoders(graph, src, 0, s);
        }
    }
}

static int mv_set_encoder_text(cJSON *node, const char *text)
{
    cJSON *inputs = mv_node_inputs(node);
    int set = 0;
    for (cJSON *in = inputs ? inputs->child : NULL; in;) {
        cJSON *next = in->next;
        if (cJSON_IsString(in) && mv_is_text_input(in->string)) {
            mv_replace_input(inputs, in, cJSON_CreateString(text));
            set++;
        }
        in = next;
    }
    return set;
}

static int mv_set_number_inputs(cJSON *node, const char *name, double value)
{
    cJSON *inputs = mv_node_inputs(node);
    cJSON *in = inputs ? cJSON_GetObjectItemCaseSensitive(inputs, name) : NULL;
    if (!cJSON_IsNumber(in))
        return 0;
    mv_replace_input(inputs, in, cJSON_CreateNumber(value));
    return 1;
}

static int mv_set_string_input(cJSON *node, const char *name, const char *value)
{
    cJSON *inputs = mv_node_inputs(node);
    cJSON *in = inputs ? cJSON_GetObjectItemCaseSensitive(inputs, name) : NULL;
    if (!cJSON_IsString(in))
        return 0;
    mv_replace_input(inputs, in, cJSON_CreateString(value));
    return 1;
}

static int mv_is_latent_size_node(const cJSON *node)
{
    const char *cls = mv_node_class(node);
    if (!strstr(cls, "Latent") && strcmp(cls, "ModelSamplingFlux") != 0)
        return 0;
    const cJSON *inputs = mv_node_inputs(node);
    return inputs && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(inputs, "width")) &&
           cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(inputs, "height"));
}

#define MV_MAX_LATENT_SIDE 16384.0 /* ComfyUI's MAX_RESOLUTION */

long mv_workflow_native_pixels(const cJSON *graph)
{
    for (const cJSON *node = graph ? graph->child : NULL; node; node = node->next) {
        if (mv_is_latent_size_node(node) && strstr(mv_node_class(node), "Latent")) {
            const cJSON *inputs = mv_node_inputs(node);
            double w = cJSON_GetObjectItemCaseSensitive(inputs, "width")->valuedouble;
            double h = cJSON_GetObjectItemCaseSensitive(inputs, "height")->valuedouble;
            if (w > 0 && h > 0 && w <= MV_MAX_LATENT_SIDE && h <= MV_MAX_LATENT_SIDE)
                return (long)(w * h); /* larger: no real template, use the family's default */
        }
    }
    return 0;
}

maivid_code mv_workflow_apply(cJSON *graph, const mv_workflow_params *p,
                              mv_workflow_report *report, mv_error *err)
{
    mv_workflow_report r = {0};
    mv_apply_placeholders(graph, p, &r);
    if (p->image && !r.image_set)
        return mv_fail(err, MAIVID_E_INVALID,
                       "the image-to-video workflow has no place for the scene's still: put "
                       "\"{{image}}\" as the image input of its LoadImage node");

    if (!r.prompt_set || !r.negative_set) {
        mv_encoder_set pos = {.count = 0}, neg = {.count = 0};
        mv_find_conditioning(graph, "positive", 1, &pos);
        mv_find_conditioning(graph, "negative", 0, &neg);
        if (!r.prompt_set)
            for (size_t i = 0; i < pos.count; i++)
                r.prompt_set += mv_set_encoder_text(pos.nodes[i], p->prompt) > 0;
        if (!r.negative_set)
            for (size_t i = 0; i < neg.count; i++)
                if (!mv_set_has(&pos, neg.nodes[i]))
                    r.negative_set += mv_set_encoder_text(neg.nodes[i],
                                                          p->negative_prompt ? p->negative_prompt
                                                                             : "") > 0;
    }
    if (!r.prompt_set)
        return mv_fail(err, MAIVID_E_INVALID,
                       "the workflow has no place for the scene prompt: no input is "
                       "\"{{prompt}}\" and no text encoder feeds a sampler's positive input; put "
                       "\"{{prompt}}\" as the text of the positive prompt node");

    double seed = (double)mv_workflow_seed_value(p->seed);
    int size_by_placeholder = r.size_set > 0, seed_by_placeholder = r.seed_set > 0;
    for (cJSON *node = graph->child; node; node = node->next) {
        if (!size_by_placeholder && mv_is_latent_size_node(node)) {
            mv_set_number_inputs(node, "width", p->width);
            mv_set_number_inputs(node, "height", p->height);
            r.size_set += strstr(mv_node_class(node), "Latent") != NULL;
        }
        if (!seed_by_placeholder) {
            r.seed_set += mv_set_number_inputs(node, "seed", seed);
            r.seed_set += mv_set_number_inputs(node, "noise_seed", seed);
        }
        if (p->checkpoint && *p->checkpoint) {
            const char *cls = mv_node_class(node);
            if (strcmp(cls, "CheckpointLoaderSimple") == 0)
                mv_set_string_input(node, "ckpt_name", p->checkpoint);
            else if (strcmp(cls, "UNETLoader") == 0)
                mv_set_string_input(node, "unet_name", p->checkpoint);
        }
        if (p->filename_prefix && (strcmp(mv_node_class(node), "SaveImage") == 0 ||
                                   mv_is_clip_node(mv_node_class(node))))
            mv_set_string_input(node, "filename_prefix", p->filename_prefix);
    }
    if (report)
        *report = r;
    return MAIVID_OK;
}
