/*
 * comfy_fixture_clips.c - the fake ComfyUI's clips and uploads (comfy_fixture_clips.h):
 * SaveVideo (mp4), SaveWEBM, SaveAnimatedWEBP, SaveAnimatedPNG and VHS_VideoCombine (its
 * "format" picks gif, mp4 or webm) write a real small clip made by clip_maker.c.
 */
#include "comfy_fixture_clips.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clip_maker.h"

const char *fix_clip_node_ext(const cJSON *node, int *gifs)
{
    const cJSON *cls = cJSON_GetObjectItemCaseSensitive(node, "class_type");
    *gifs = 0;
    if (!cJSON_IsString(cls))
        return NULL;
    const char *c = cls->valuestring;
    if (strcmp(c, "SaveVideo") == 0)
        return "mp4";
    if (strcmp(c, "SaveWEBM") == 0)
        return "webm";
    if (strcmp(c, "SaveAnimatedWEBP") == 0)
        return "webp";
    if (strcmp(c, "SaveAnimatedPNG") == 0)
        return "png";
    if (strcmp(c, "VHS_VideoCombine") == 0) {
        *gifs = 1;
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(node, "inputs"), "format");
        const char *fmt = cJSON_IsString(f) ? f->valuestring : "image/gif";
        return strstr(fmt, "mp4") ? "mp4" : strstr(fmt, "webm") ? "webm" : "gif";
    }
    return NULL;
}

/* The first number input called `name` anywhere in the graph, or `fallback`. */
static double fix_graph_number(const cJSON *graph, const char *name, double fallback)
{
    for (const cJSON *n = graph->child; n; n = n->next) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(n, "inputs"), name);
        if (cJSON_IsNumber(v))
            return v->valuedouble;
    }
    return fallback;
}

/* The grey level of a flat RGB picture (every pixel within 3 of the first), else -1. */
static int fix_flat_level(const unsigned char *rgb, int w, int h)
{
    for (long i = 0; i < (long)w * h * 3; i++)
        if (abs((int)rgb[i] - (int)rgb[0]) > 3)
            return -1;
    return rgb[0];
}

unsigned char *fix_clip_for_graph(const cJSON *graph, const char *ext,
                                  const unsigned char *upload, size_t upload_len, int levels,
                                  size_t *len)
{
    int frames = (int)fix_graph_number(graph, "length", 0);
    if (frames <= 0)
        frames = (int)fix_graph_number(graph, "batch_size", 0);
    if (frames <= 1)
        frames = 24;
    if (frames > 121)
        frames = 121;
    double fps = fix_graph_number(graph, "fps", 0);
    if (fps <= 0)
        fps = fix_graph_number(graph, "frame_rate", 24);
    int w = 160, h = 96;
    mv_test_clip_spec s = {
        .format = strcmp(ext, "png") == 0 ? "apng" : ext,
        .width = w, .height = h, .frames = frames, .fps = (int)(fps + 0.5),
        .first_level = 20, .level_step = 200 / (frames - 1) > 0 ? 200 / (frames - 1) : 1,
    };
    unsigned char *rgb = NULL;
    if (upload) {
        char path[] = "/tmp/maivid-upload-XXXXXX";
        int fd = mkstemp(path);
        if (fd >= 0) {
            int ok = write(fd, upload, upload_len) == (ssize_t)upload_len;
            close(fd);
            if (ok)
                rgb = mv_test_read_rgb(path, 0, &s.rgb_w, &s.rgb_h, NULL);
            unlink(path);
        }
        s.rgb = rgb;
        if (levels && rgb) { /* flat rising grey from a flat upload's level, else from 20 */
            int level = fix_flat_level(rgb, s.rgb_w, s.rgb_h);
            s.first_level = level >= 0 ? level : 20;
            s.level_step = 2;
            s.rgb = NULL;
        }
    }
    unsigned char *out = mv_test_make_clip_bytes(&s, len);
    free(rgb);
    return out;
}

typedef struct fix_form {
    char *name;
    size_t name_size;
    unsigned char *data;
    size_t len;
    int in_image, found;
} fix_form;

static int fix_field_found(const char *key, const char *filename, char *path, size_t pathlen,
                           void *user)
{
    (void)path;
    (void)pathlen;
    fix_form *f = user;
    f->in_image = strcmp(key, "image") == 0 && filename;
    if (f->in_image) {
        snprintf(f->name, f->name_size, "%s", filename);
        f->found = 1;
    }
    return f->in_image ? MG_FORM_FIELD_STORAGE_GET : MG_FORM_FIELD_STORAGE_SKIP;
}

static int fix_field_get(const char *key, const char *value, size_t len, void *user)
{
    (void)key;
    fix_form *f = user;
    if (f->in_image && len) {
        unsigned char *grown = realloc(f->data, f->len + len);
        if (!grown)
            return MG_FORM_FIELD_HANDLE_ABORT;
        memcpy(grown + f->len, value, len);
        f->data = grown;
        f->len += len;
    }
    return MG_FORM_FIELD_HANDLE_GET;
}

int fix_read_upload(struct mg_connection *c, char *name, size_t name_size, unsigned char **data,
                    size_t *len)
{
    const char *type = mg_get_header(c, "Content-Type");
    *data = NULL;
    *len = 0;
    if (!type || !strstr(type, "multipart/form-data"))
        return -1;
    fix_form f = {.name = name, .name_size = name_size};
    struct mg_form_data_handler h = {fix_field_found, fix_field_get, NULL, &f};
    mg_handle_form_request(c, &h);
    if (!f.found || !f.data) {
        free(f.data);
        return -1;
    }
    *data = f.data;
    *len = f.len;
    return 0;
}
