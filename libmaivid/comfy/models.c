/*
 * models.c - the ComfyUI backend's models: the shipped sdxl_turbo, sd3 and flux, and the
 * image-to-video wan22_ti2v_5b and ltxv_i2v (templates in <share>/workflows/), and every
 * API-format workflow *.json found in the models directory (id = file name without .json,
 * optional name and description). The checkpoint file a ComfyUI model loads can be set per
 * model: a one-line <models_dir>/<id>.checkpoint file, overridden by the configuration's
 * "MODEL=FILE" entries (--checkpoint). (The undocumented MAIVID_CKPT_<ID> variables are gone.)
 */
#include "comfy/mv_comfy.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct mv_shipped_model {
    const char *id, *name, *description, *speed, *quality;
    mv_model_family family;
    int video;
} mv_shipped_model;

static const mv_shipped_model mv_shipped_models[] = {
    {"sdxl_turbo", "SDXL Turbo", "Fast generation with good quality", "Fast", "Good",
     MV_FAMILY_SDXL_TURBO, 0},
    {"sd3", "Stable Diffusion 3", "High quality generation, slower than Turbo", "Medium",
     "Excellent", MV_FAMILY_SD3, 0},
    {"flux", "Flux", "Balanced speed and quality", "Medium", "Very Good", MV_FAMILY_FLUX, 0},
    {"wan22_ti2v_5b", "Wan 2.2 TI2V 5B (image to video)",
     "Moves each scene's still into a clip of up to 5 s at 1280x704, 24 fps (fits a 24 GB "
     "card); use as animate", "Slow", "Excellent", MV_FAMILY_WAN22, 1},
    {"ltxv_i2v", "LTX-Video 2B (image to video)",
     "Fast image-to-video clips of up to 5 s at 768x512, 24 fps; use as animate", "Medium",
     "Good", MV_FAMILY_LTXV, 1},
};

static int mv_model_add(mv_model_list *l, const mv_comfy_model *m)
{
    mv_comfy_model *grown = realloc(l->items, (l->count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    l->items = grown;
    l->items[l->count++] = *m;
    return 0;
}

static void mv_model_free_fields(mv_comfy_model *m)
{
    free(m->base.id);
    free(m->base.name);
    free(m->base.description);
    free(m->base.speed);
    free(m->base.quality);
    free(m->workflow_path);
    free(m->checkpoint);
}

void mv_models_free(mv_model_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        mv_model_free_fields(&list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

const mv_comfy_model *mv_models_find(const mv_model_list *list, const char *id)
{
    for (size_t i = 0; id && i < list->count; i++)
        if (strcmp(list->items[i].base.id, id) == 0)
            return &list->items[i];
    return NULL;
}

static void mv_append_warning(char **warnings, const char *text)
{
    char *joined = *warnings ? mv_strdup_printf("%s; %s", *warnings, text) : mv_strdup(text);
    if (joined) {
        free(*warnings);
        *warnings = joined;
    }
}

static int mv_valid_model_id(const char *id)
{
    if (!*id)
        return 0;
    for (const char *p = id; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
            return 0;
    return 1;
}

static int mv_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void mv_models_load_dir(const char *dir, mv_model_list *out, char **warnings)
{
    DIR *d = opendir(dir);
    if (!d) {
        char *w = mv_strdup_printf("models directory '%s' cannot be read; check --models-dir",
                                   dir);
        if (w)
            mv_append_warning(warnings, w);
        free(w);
        return;
    }
    char **names = NULL;
    size_t count = 0;
    for (struct dirent *e = readdir(d); e; e = readdir(d)) {
        size_t len = strlen(e->d_name);
        if (len <= 5 || strcmp(e->d_name + len - 5, ".json") != 0 || e->d_name[0] == '.')
            continue;
        char **grown = realloc(names, (count + 1) * sizeof *grown);
        if (!grown)
            break;
        names = grown;
        names[count] = mv_strdup(e->d_name);
        if (names[count])
            count++;
    }
    closedir(d);
    if (count) /* qsort wants a non-NULL array even when empty */
        qsort(names, count, sizeof *names, mv_name_cmp); /* stable catalog order */
    for (size_t i = 0; i < count; i++) {
        char *id = mv_strdup(names[i]);
        id[strlen(id) - 5] = '\0';
        char *path = mv_strdup_printf("%s/%s", dir, names[i]);
        mv_error err;
        mv_error_clear(&err);
        cJSON *graph = NULL;
        char *name = NULL, *description = NULL;
        if (!mv_valid_model_id(id) || mv_models_find(out, id)) {
            char *w = mv_strdup_printf("workflow '%s' skipped: its id '%s' is taken or not made "
                                       "of letters, digits, '_', '-'; rename the file",
                                       path, id);
            mv_append_warning(warnings, w ? w : "a workflow was skipped");
            free(w);
            free(id);
            free(path);
        } else if (mv_workflow_load(path, &graph, &name, &description, &err) != MAIVID_OK) {
            mv_append_warning(warnings, err.message);
            free(id);
            free(path);
        } else {
            mv_comfy_model m = {
                .base.id = id,
                .base.name = name ? name : mv_strdup(id),
                .base.description =
                    description ? description
                                : mv_strdup_printf("Custom ComfyUI workflow %s", names[i]),
                .base.speed = mv_strdup("Depends on the workflow"),
                .base.quality = mv_strdup("Depends on the workflow"),
                .base.video = mv_workflow_makes_clip(graph) && mv_workflow_loads_image(graph),
                .family = MV_FAMILY_CUSTOM,
                .workflow_path = path,
            };
            if (mv_model_add(out, &m) != 0)
                mv_model_free_fields(&m);
        }
        cJSON_Delete(graph);
        free(names[i]);
    }
    free(names);
}

/* A checkpoint file name as ComfyUI lists it: non-empty, no control characters, no "..". */
static int mv_valid_checkpoint(const char *file)
{
    if (!*file || strstr(file, "..") || file[0] == '/')
        return 0;
    for (const char *p = file; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

/* Sets model `id`'s checkpoint to `file`; `source` names the setting in errors. */
static maivid_code mv_set_checkpoint(mv_model_list *l, const char *id, size_t id_len,
                                     const char *file, const char *source, mv_error *err)
{
    char ids[512] = "";
    size_t used = 0;
    mv_comfy_model *m = NULL;
    for (size_t i = 0; i < l->count; i++) {
        if (strlen(l->items[i].base.id) == id_len &&
            strncmp(l->items[i].base.id, id, id_len) == 0)
            m = &l->items[i];
        if (used < sizeof ids) {
            int w = snprintf(ids + used, sizeof ids - used, "%s%s", used ? ", " : "",
                             l->items[i].base.id);
            used += w > 0 ? (size_t)w : 0;
        }
    }
    if (!m)
        return mv_fail(err, MAIVID_E_INVALID,
                       "%s names model '%.*s', which is not a ComfyUI model; use one of: %s",
                       source, (int)id_len, id, ids);
    if (!mv_valid_checkpoint(file))
        return mv_fail(err, MAIVID_E_INVALID,
                       "%s gives '%s' for model '%s', which is not a checkpoint file name; give "
                       "the name ComfyUI lists (e.g. sd_xl_turbo_1.0_fp16.safetensors)",
                       source, file, m->base.id);
    char *copy = mv_strdup(file);
    if (!copy)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory setting a checkpoint");
    free(m->checkpoint);
    m->checkpoint = copy;
    return MAIVID_OK;
}

/* <models_dir>/<id>.checkpoint: the first line names the model's checkpoint file. */
static maivid_code mv_checkpoint_files(const char *dir, mv_model_list *l, mv_error *err)
{
    for (size_t i = 0; i < l->count; i++) {
        const char *id = l->items[i].base.id;
        char *path = mv_strdup_printf("%s/%s.checkpoint", dir, id);
        if (!path)
            return mv_fail(err, MAIVID_E_NOMEM, "out of memory reading checkpoint files");
        char *text = NULL;
        size_t len = 0;
        mv_error rerr;
        maivid_code rc = MAIVID_OK;
        if (mv_file_exists(path) && mv_read_file(path, &text, &len, &rerr) == MAIVID_OK) {
            text[strcspn(text, "\r\n")] = '\0';
            char *start = text;
            while (*start == ' ' || *start == '\t')
                start++;
            size_t n = strlen(start);
            while (n > 0 && (start[n - 1] == ' ' || start[n - 1] == '\t'))
                start[--n] = '\0';
            rc = mv_set_checkpoint(l, id, strlen(id), start, path, err);
        }
        free(text);
        free(path);
        if (rc != MAIVID_OK)
            return rc;
    }
    return MAIVID_OK;
}

maivid_code mv_models_set_checkpoints(mv_model_list *l, const char *const *overrides,
                                      size_t count, mv_error *err)
{
    for (size_t i = 0; i < count; i++) {
        const char *o = overrides[i] ? overrides[i] : "";
        const char *eq = strchr(o, '=');
        char source[300];
        snprintf(source, sizeof source, "--checkpoint %.200s", o);
        if (!eq || eq == o)
            return mv_fail(err, MAIVID_E_INVALID,
                           "checkpoint setting '%s' is not MODEL=FILE; write e.g. --checkpoint "
                           "sdxl_turbo=sd_xl_turbo_1.0.safetensors",
                           o);
        maivid_code rc = mv_set_checkpoint(l, o, (size_t)(eq - o), eq + 1, source, err);
        if (rc != MAIVID_OK)
            return rc;
    }
    return MAIVID_OK;
}

maivid_code mv_models_load(const char *share_dir, const char *models_dir, mv_model_list *out,
                           char **warnings, mv_error *err)
{
    out->items = NULL;
    out->count = 0;
    for (size_t i = 0; i < sizeof mv_shipped_models / sizeof mv_shipped_models[0]; i++) {
        const mv_shipped_model *s = &mv_shipped_models[i];
        mv_comfy_model m = {
            .base.id = mv_strdup(s->id),
            .base.name = mv_strdup(s->name),
            .base.description = mv_strdup(s->description),
            .base.speed = mv_strdup(s->speed),
            .base.quality = mv_strdup(s->quality),
            .base.video = s->video,
            .family = s->family,
            .workflow_path = mv_strdup_printf("%s/workflows/%s.json", share_dir, s->id),
        };
        if (mv_model_add(out, &m) != 0) {
            mv_model_free_fields(&m);
            mv_models_free(out);
            return mv_fail(err, MAIVID_E_NOMEM, "out of memory loading the models catalog");
        }
    }
    if (models_dir && *models_dir) {
        mv_models_load_dir(models_dir, out, warnings);
        maivid_code rc = mv_checkpoint_files(models_dir, out, err);
        if (rc != MAIVID_OK) {
            mv_models_free(out);
            return rc;
        }
    }
    return MAIVID_OK;
}
