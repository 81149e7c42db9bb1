/*
 * mv_render_checkpoint.c - the render key and the checkpoint files' names and cleanup.
 */
#include "render/mv_render_checkpoint.h"

#include "analysis/mv_analysis.h"
#include "captions/mv_timed_lyrics.h"
#include "catalog/mv_styles.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "render/mv_render_encoder.h"

#define MV_CHECKPOINT_KEY_FILE "render.key"

char *mv_checkpoint_audio_path(const char *work_dir)
{
    return mv_strdup_printf("%s/render-audio.pk", work_dir);
}

char *mv_checkpoint_segment_path(const char *work_dir, int64_t segment)
{
    return mv_strdup_printf("%s/render-video-%05lld.pk", work_dir, (long long)segment);
}

/* Appends text to a growing malloc'd string; frees and NULLs it when out of memory. */
static void mv_key_append(char **key, const char *text)
{
    if (!*key || !text)
        return;
    char *joined = mv_strdup_printf("%s%s\n", *key, text);
    free(*key);
    *key = joined;
}

static char *mv_file_identity(const char *path)
{
    struct stat st;
    if (!path || stat(path, &st) != 0)
        return mv_strdup_printf("%s missing", path ? path : "-");
    return mv_strdup_printf("%s %lld %lld.%09ld", path, (long long)st.st_size,
                            (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

static char *mv_checkpoint_key(const mv_render_plan *plan, const char *encoder)
{
    char *key = mv_strdup_printf("maivid-render 2 %dx%d@%d seg=scenes encoder=%s x264=%s/%s/%s",
                                 plan->width, plan->height, plan->fps, encoder, MV_RENDER_X264_PRESET, MV_RENDER_X264_CRF,
                                 MV_RENDER_X264_PARAMS);
    char *line = mv_file_identity(plan->audio_path);
    mv_key_append(&key, line);
    free(line);
    /* captions and beat motion change the pixels: a change of them re-renders */
    size_t lines = plan->lyrics ? plan->lyrics->line_count : 0;
    double last = lines ? plan->lyrics->lines[lines - 1].end : 0;
    line = mv_strdup_printf("captions=%d lines=%zu last=%.17g font=%s reactivity=%.17g beats=%zu",
                            plan->caption_mode, lines, last,
                            plan->caption_look ? plan->caption_look->font : "-", plan->reactivity,
                            plan->analysis ? plan->analysis->beat_count : 0);
    mv_key_append(&key, line);
    free(line);
    for (size_t i = 0; i < plan->scene_count && key; i++) {
        const mv_render_scene *s = &plan->scenes[i];
        char *id = mv_file_identity(s->image_path);
        line = mv_strdup_printf("%s %.17g %.17g %s %s %.17g %u", id ? id : "-", s->start, s->end,
                                s->motion ? s->motion : "-",
                                s->transition ? s->transition : "-", s->transition_duration,
                                (unsigned)s->motion_seed);
        mv_key_append(&key, line);
        free(id);
        free(line);
    }
    return key;
}

void mv_checkpoint_clear(const char *work_dir)
{
    DIR *dir = opendir(work_dir);
    if (!dir)
        return;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (strncmp(e->d_name, "render-", 7) != 0 && strcmp(e->d_name, MV_CHECKPOINT_KEY_FILE) != 0)
            continue;
        char *path = mv_strdup_printf("%s/%s", work_dir, e->d_name);
        if (path)
            unlink(path);
        free(path);
    }
    closedir(dir);
}

/* Whether the key file at key_path holds exactly `key`. */
static int mv_checkpoint_key_is(const char *key_path, const char *key)
{
    char *old = NULL;
    size_t old_len = 0;
    mv_error ignored;
    int same = mv_file_exists(key_path) &&
               mv_read_file(key_path, &old, &old_len, &ignored) == MAIVID_OK &&
               strcmp(old, key) == 0;
    free(old);
    return same;
}

/* Computes the plan's key; with `keep_segments` 0 a different key first deletes the old
 * checkpoints, with 1 it is only recorded. */
static maivid_code mv_checkpoint_record(const mv_render_plan *plan, const char *encoder,
                                        const char *work_dir, int keep_segments, mv_error *err)
{
    char *key = mv_checkpoint_key(plan, encoder);
    char *key_path = mv_strdup_printf("%s/%s", work_dir, MV_CHECKPOINT_KEY_FILE);
    maivid_code rc = MAIVID_OK;
    if (!key || !key_path) {
        rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory for the render checkpoints");
    } else if (!mv_checkpoint_key_is(key_path, key)) {
        if (!keep_segments)
            mv_checkpoint_clear(work_dir);
        rc = mv_write_file_atomic(key_path, key, strlen(key), err);
    }
    free(key);
    free(key_path);
    return rc;
}

maivid_code mv_checkpoint_prepare(const mv_render_plan *plan, const char *encoder,
                                  const char *work_dir, mv_error *err)
{
    maivid_code rc = mv_mkdir_p(work_dir, err);
    return rc == MAIVID_OK ? mv_checkpoint_record(plan, encoder, work_dir, 0, err) : rc;
}

maivid_code mv_checkpoint_scene_arrived(const mv_render_plan *plan, const char *encoder,
                                        const char *work_dir, mv_error *err)
{
    return mv_checkpoint_record(plan, encoder, work_dir, 1, err);
}
