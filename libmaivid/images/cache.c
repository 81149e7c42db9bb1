/*
 * cache.c - the scene image cache: a file per image under cache_dir, named by a hash of
 * everything that decides the pixels (backend, model, workflow hash, prompt, negative prompt,
 * style, seed, size), so a resumed or repeated job does not generate the same image again.
 * Backend-neutral: every backend's prepared jobs are looked up and stored the same way. A
 * scene image's depth layers (render/mv_layer_stack.h), when its backend made them, travel
 * with it into and out of the cache.
 */
#include "images/mv_image_backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/mv_layer_stack.h"

uint64_t mv_fnv1a(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t mv_hash_field(uint64_t h, const char *s)
{
    const char *v = s ? s : "";
    h = mv_fnv1a(h, v, strlen(v));
    return mv_fnv1a(h, "\x1f", 1); /* field separator: "ab"+"c" differs from "a"+"bc" */
}

static uint64_t mv_hash_parts(uint64_t h, const mv_cache_key_parts *k)
{
    char numbers[128];
    snprintf(numbers, sizeof numbers, "%016llx|%lld|%dx%d", (unsigned long long)k->workflow_hash,
             (long long)k->seed, k->width, k->height);
    h = mv_hash_field(h, "maivid-image-v1");
    h = mv_hash_field(h, k->backend);
    h = mv_hash_field(h, k->model);
    h = mv_hash_field(h, k->prompt);
    h = mv_hash_field(h, k->negative_prompt);
    h = mv_hash_field(h, k->style_id);
    return mv_hash_field(h, numbers);
}

char *mv_cache_path(const char *cache_dir, const mv_cache_key_parts *k)
{
    if (!cache_dir || !*cache_dir)
        return NULL;
    uint64_t a = mv_hash_parts(MV_FNV_OFFSET, k);
    uint64_t b = mv_hash_parts(0x9e3779b97f4a7c15ULL, k);
    return mv_strdup_printf("%s/%016llx%016llx.png", cache_dir, (unsigned long long)a,
                            (unsigned long long)b);
}

/* Copies the file at `from` to `to` atomically; 0 on success. */
static int mv_copy_file(const char *from, const char *to, mv_error *err)
{
    char *data = NULL;
    size_t len = 0;
    int ok = mv_read_file(from, &data, &len, err) == MAIVID_OK &&
             mv_write_file_atomic(to, data, len, err) == MAIVID_OK;
    free(data);
    return ok ? 0 : -1;
}

void mv_cache_forget_layers(const char *output_path)
{
    char *layers = mv_layer_stack_path(output_path);
    if (layers)
        (void)unlink(layers);
    free(layers);
}

int mv_cache_fetch(const char *cache_path, const char *output_path)
{
    if (!cache_path || !mv_file_exists(cache_path))
        return 0;
    char *data = NULL;
    size_t len = 0;
    mv_error err;
    int ok = 0;
    if (mv_read_file(cache_path, &data, &len, &err) == MAIVID_OK && len > 8 &&
        memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0) {
        char *from = mv_layer_stack_path(cache_path), *to = mv_layer_stack_path(output_path);
        ok = from && to; /* the layers first: a picture in place means its layers are too */
        if (ok && mv_file_exists(from))
            ok = mv_copy_file(from, to, &err) == 0;
        else if (to)
            (void)unlink(to);
        ok = ok && mv_write_file_atomic(output_path, data, len, &err) == MAIVID_OK;
        free(from);
        free(to);
    }
    free(data);
    return ok;
}

void mv_cache_store(const char *cache_path, const char *output_path, const mv_task *task)
{
    if (!cache_path)
        return;
    char dir[4096];
    mv_strlcpy(dir, cache_path, sizeof dir);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    mv_error err;
    mv_error_clear(&err);
    char *from = mv_layer_stack_path(output_path), *to = mv_layer_stack_path(cache_path);
    int failed = !from || !to || (slash && mv_mkdir_p(dir, &err) != MAIVID_OK);
    if (!failed && mv_file_exists(from))
        failed = mv_copy_file(from, to, &err) != 0;
    else if (!failed)
        (void)unlink(to);
    if (!failed)
        failed = mv_copy_file(output_path, cache_path, &err) != 0;
    if (failed)
        mv_task_warn(task, "the image cache could not keep a scene image (%s); it will be made "
                           "again next time",
                     err.message[0] ? err.message : "out of memory");
    free(from);
    free(to);
}
