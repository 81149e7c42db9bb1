/*
 * models.c - the image models registry: the built-in illustrator "procedural", the shipped
 * ComfyUI models sdxl_turbo, sd3 and flux (templates in <share>/workflows/, checkpoint file
 * overridable with MAIVID_CKPT_<ID>), and every API-format workflow *.json found in the
 * models directory (id = file name without .json, optional name and description).
 */
#include "comfy/mv_comfy.h"

#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

typedef struct mv_shipped_model {
    const char *id, *name, *description, *speed, *quality, *env;
    mv_model_family family;
} mv_shipped_model;

static const mv_shipped_model mv_shipped_models[] = {
    {"sdxl_turbo", "SDXL Turbo", "Fast generation with good quality", "Fast", "Good",
     "MAIVID_CKPT_SDXL_TURBO", MV_FAMILY_SDXL_TURBO},
    {"sd3", "Stable Diffusion 3", "High quality generation, slower than Turbo", "Medium",
     "Excellent", "MAIVID_CKPT_SD3", MV_FAMILY_SD3},
    {"flux", "Flux", "Balanced speed and quality", "Medium", "Very Good", "MAIVID_CKPT_FLUX",
     MV_FAMILY_FLUX},
};

static int mv_model_add(mv_model_list *l, const mv_image_model *m)
{
    mv_image_model *grown = realloc(l->items, (l->count + 1) * sizeof *grown);
    if (!grown)
        return -1;
    l->items = grown;
    l->items[l->count++] = *m;
    return 0;
}

static void mv_model_free_fields(mv_image_model *m)
{
    free(m->id);
    free(m->name);
    free(m->description);
    free(m->speed);
    free(m->quality);
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

const mv_image_model *mv_models_find(const mv_model_list *list, const char *id)
{
    for (size_t i = 0; id && i < list->count; i++)
        if (strcmp(list->items[i].id, id) == 0)
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
            mv_image_model m = {
                .id = id,
                .name = name ? name : mv_strdup(id),
                .description = description
                                   ? description
                                   : mv_strdup_printf("Custom ComfyUI workflow %s", names[i]),
                .speed = mv_strdup("Depends on the workflow"),
                .quality = mv_strdup("Depends on the workflow"),
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

maivid_code mv_models_load(const char *share_dir, const char *models_dir, mv_model_list *out,
                           char **warnings, mv_error *err)
{
    out->items = NULL;
    out->count = 0;
    mv_image_model painter = {
        .id = mv_strdup("procedural"),
        .name = mv_strdup("Built-in illustrator"),
        .description = mv_strdup("Paints each scene offline from its words and the style's "
                                 "palette; a procedural illustrator, not an AI model"),
        .speed = mv_strdup("Very fast"),
        .quality = mv_strdup("Illustration"),
        .is_painter = 1,
        .family = MV_FAMILY_CUSTOM,
    };
    if (mv_model_add(out, &painter) != 0) {
        mv_model_free_fields(&painter);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory loading the models catalog");
    }
    for (size_t i = 0; i < sizeof mv_shipped_models / sizeof mv_shipped_models[0]; i++) {
        const mv_shipped_model *s = &mv_shipped_models[i];
        const char *ckpt = getenv(s->env);
        mv_image_model m = {
            .id = mv_strdup(s->id),
            .name = mv_strdup(s->name),
            .description = mv_strdup(s->description),
            .speed = mv_strdup(s->speed),
            .quality = mv_strdup(s->quality),
            .family = s->family,
            .workflow_path = mv_strdup_printf("%s/workflows/%s.json", share_dir, s->id),
            .checkpoint = (ckpt && *ckpt) ? mv_strdup(ckpt) : NULL,
        };
        if (mv_model_add(out, &m) != 0) {
            mv_model_free_fields(&m);
            mv_models_free(out);
            return mv_fail(err, MAIVID_E_NOMEM, "out of memory loading the models catalog");
        }
    }
    if (models_dir && *models_dir)
        mv_models_load_dir(models_dir, out, warnings);
    return MAIVID_OK;
}
