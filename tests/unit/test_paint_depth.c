/*
 * test_paint_depth.c - the built-in painter's depth layers (issue 18): the flat picture is
 * exactly what mv_paint_rgb paints and the layers laid over each other at rest make it again;
 * the sky layer is opaque, the far layer holds the ground (covered to the bottom, clear at the
 * top), the named subject sits on the mid layer; the same request paints the same layers and
 * another seed others. And the image cache: a painter job stores its picture with its
 * layers, the same job again is served from the cache (layers too), a picture cached under
 * an older painter's id (before the layers) is never served, and a cached picture without
 * layers removes stale layers beside the output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "images/mv_image_backend.h"
#include "mv_test_util.h"
#include "paint/mv_paint_internal.h"
#include "render/mv_layer_stack.h"

#define PW 320
#define PH 180

static const char *const prompt = "a lighthouse on the rocks over the sea at dusk";

static uint8_t alpha_at(const uint8_t *stack, int layer, int x, int y)
{
    return stack[(((size_t)layer * PH + (size_t)y) * PW + (size_t)x) * 4 + 3];
}

static void test_layers_make_the_flat_picture(void **state)
{
    (void)state;
    mv_paint_request req = {prompt, "cinematic", 5, PW, PH};
    uint8_t *flat = NULL, *stack = NULL, *plain = NULL;
    mv_error err = {0};
    assert_int_equal(mv_paint_layers_rgba(&req, &flat, &stack, &err), MAIVID_OK);
    assert_int_equal(mv_paint_rgb(&req, &plain, &err), MAIVID_OK);
    assert_memory_equal(flat, plain, (size_t)PW * PH * 3); /* one picture, two ways */
    double diff = 0;
    long covered[MV_LAYER_COUNT] = {0};
    for (int y = 0; y < PH; y++)
        for (int x = 0; x < PW; x++) {
            double c[3] = {0, 0, 0};
            for (int l = 0; l < MV_LAYER_COUNT; l++) {
                const uint8_t *p = stack + (((size_t)l * PH + y) * PW + x) * 4;
                double a = p[3] / 255.0;
                for (int k = 0; k < 3; k++)
                    c[k] += (p[k] - c[k]) * a;
                covered[l] += p[3] > 0;
            }
            for (int k = 0; k < 3; k++)
                diff += fabs(c[k] - flat[((size_t)y * PW + x) * 3 + k]);
        }
    diff /= (double)PW * PH * 3;
    fprintf(stderr, "layers over each other vs the flat picture: mean difference %.3f levels; "
                    "pixels covered by sky %ld, far %ld, mid %ld, near %ld\n",
            diff, covered[0], covered[1], covered[2], covered[3]);
    assert_true(diff < 2.0);
    assert_int_equal(covered[0], (long)PW * PH); /* the sky is opaque */
    for (int x = 0; x < PW; x++) {
        assert_int_equal(alpha_at(stack, 1, x, PH - 1), 255); /* the sea reaches the bottom */
        assert_int_equal(alpha_at(stack, 1, x, 0), 0);        /* and not the top */
    }
    assert_true(covered[2] > (long)PW * PH / 100); /* the lighthouse stands on the mid layer */
    assert_true(covered[2] < (long)PW * PH / 2);
    free(flat);
    free(stack);
    free(plain);
}

/* Rain is no layer: a streak over the moon would carry the moon along with the near layer
 * (a ghost moon); each layer's colours carry the rain instead. */
static void test_rain_is_not_a_layer(void **state)
{
    (void)state;
    mv_paint_request req = {"the full moon in the rain over the mountains", "cinematic", 2, PW,
                            PH};
    uint8_t *flat = NULL, *stack = NULL, *plain = NULL;
    assert_int_equal(mv_paint_layers_rgba(&req, &flat, &stack, NULL), MAIVID_OK);
    assert_int_equal(mv_paint_rgb(&req, &plain, NULL), MAIVID_OK);
    assert_memory_equal(flat, plain, (size_t)PW * PH * 3);
    long near = 0;
    for (int y = 0; y < PH; y++)
        for (int x = 0; x < PW; x++)
            near += alpha_at(stack, MV_LAYER_COUNT - 1, x, y) > 0;
    assert_int_equal(near, 0);
    free(flat);
    free(stack);
    free(plain);
}

/* Each layer but the sky keeps its colours only around what it covers: a pixel farther than
 * the bleed (3 pixels, along rows and columns) from any covered pixel is black (the file
 * compresses and decodes faster), nearer ones keep theirs; a group that shows nothing in
 * the picture (here the mid group of a subjectless sky, which the painter does not finish
 * at all) is a layer all zero. */
static void check_colours_stay_near_cover(const uint8_t *stack, int *empty_layers)
{
    for (int l = 1; l < MV_LAYER_COUNT; l++) {
        long near = 0, near_coloured = 0, covered = 0;
        for (int y = 0; y < PH; y++)
            for (int x = 0; x < PW; x++) {
                int is_near = 0;
                for (int j = y - 3; j <= y + 3 && !is_near; j++)
                    for (int i = x - 3; i <= x + 3 && !is_near; i++)
                        is_near = j >= 0 && j < PH && i >= 0 && i < PW &&
                                  alpha_at(stack, l, i, j) > 0;
                const uint8_t *p = stack + (((size_t)l * PH + y) * PW + x) * 4;
                int coloured = p[0] || p[1] || p[2];
                covered += p[3] > 0;
                near += is_near;
                near_coloured += is_near && coloured;
                if (!is_near)
                    assert_false(coloured);
            }
        if (covered == 0 && l < MV_LAYER_COUNT - 1)
            (*empty_layers)++;
        /* the colours around the cover stay (a black pixel there is rare, not the rule) */
        assert_true(near_coloured * 100 >= near * 95);
    }
}

static void test_colours_stay_near_cover(void **state)
{
    (void)state;
    static const char *const prompts[] = {prompt, "stars in the night sky", "a red balloon"};
    int empty_layers = 0;
    for (size_t k = 0; k < sizeof prompts / sizeof prompts[0]; k++) {
        mv_paint_request req = {prompts[k], "cinematic", 4, PW, PH};
        uint8_t *flat = NULL, *stack = NULL, *plain = NULL;
        assert_int_equal(mv_paint_layers_rgba(&req, &flat, &stack, NULL), MAIVID_OK);
        assert_int_equal(mv_paint_rgb(&req, &plain, NULL), MAIVID_OK);
        assert_memory_equal(flat, plain, (size_t)PW * PH * 3);
        check_colours_stay_near_cover(stack, &empty_layers);
        free(flat);
        free(stack);
        free(plain);
    }
    fprintf(stderr, "empty far or mid layers among the three paintings: %d\n", empty_layers);
    assert_true(empty_layers > 0); /* the skipped finish is exercised */
}

static void test_layers_are_deterministic(void **state)
{
    (void)state;
    mv_paint_request req = {prompt, "anime", 11, PW, PH};
    uint8_t *f1, *s1, *f2, *s2, *f3, *s3;
    assert_int_equal(mv_paint_layers_rgba(&req, &f1, &s1, NULL), MAIVID_OK);
    assert_int_equal(mv_paint_layers_rgba(&req, &f2, &s2, NULL), MAIVID_OK);
    req.seed = 12;
    assert_int_equal(mv_paint_layers_rgba(&req, &f3, &s3, NULL), MAIVID_OK);
    size_t bytes = (size_t)PW * PH * 4 * MV_LAYER_COUNT;
    assert_memory_equal(s1, s2, bytes);
    assert_memory_not_equal(s1, s3, bytes);
    free(f1), free(s1), free(f2), free(s2), free(f3), free(s3);
    mv_paint_request bad = {prompt, "cinematic", 1, 8, 8};
    mv_error err = {0};
    assert_int_equal(mv_paint_layers_rgba(&bad, &f1, &s1, &err), MAIVID_E_INVALID);
    assert_null(f1);
    assert_int_equal(mv_paint_to_png_layers(&req, "x.png", NULL, &err), MAIVID_E_INVALID);
}

/* ---- the image cache */

typedef struct cache_fixture {
    char *dir;
    char cache[1024], out[1024];
    mv_image_backends *b;
    mv_image_job job;
    int hits;
} cache_fixture;

static void count_hits(void *user, double fraction, const char *text)
{
    (void)fraction;
    if (text && strstr(text, "taken from the cache"))
        ((cache_fixture *)user)->hits++;
}

static char *read_all(const char *path, size_t *len)
{
    char *data = NULL;
    if (mv_read_file(path, &data, len, NULL) != MAIVID_OK)
        return NULL;
    return data;
}

static void make(cache_fixture *f)
{
    mv_task task = {count_hits, f, NULL, NULL};
    mv_error err = {0};
    assert_int_equal(mv_images_make(f->b, &f->job, &task, &err), MAIVID_OK);
}

/* The cache file of the fixture's job under a painter id. */
static char *cache_file(const cache_fixture *f, const char *painter_id)
{
    mv_cache_key_parts k = {"procedural", painter_id, 0, f->job.prompt, NULL,
                            f->job.style_id, f->job.seed, f->job.width, f->job.height};
    return mv_cache_path(f->cache, &k);
}

static void test_cache_keeps_layers_and_the_painter_version(void **state)
{
    (void)state;
    cache_fixture f = {0};
    f.dir = mv_test_tmpdir("paint-depth-cache");
    assert_non_null(f.dir);
    snprintf(f.cache, sizeof f.cache, "%s/cache", f.dir);
    snprintf(f.out, sizeof f.out, "%s/scene_001.png", f.dir);
    mv_image_config cfg = {.cache_dir = f.cache};
    assert_int_equal(mv_images_open(&cfg, &f.b, NULL), MAIVID_OK);
    f.job = (mv_image_job){.model = "procedural", .style_id = "cinematic", .prompt = prompt,
                           .seed = 3, .width = 160, .height = 90, .output_path = f.out};
    char *layers = mv_layer_stack_path(f.out);
    make(&f); /* painted: picture and layers, both cached */
    assert_int_equal(f.hits, 0);
    size_t flat_len, layers_len;
    char *flat = read_all(f.out, &flat_len), *stack = read_all(layers, &layers_len);
    assert_non_null(flat);
    assert_non_null(stack);
    char *current = cache_file(&f, MV_PAINT_CACHE_ID);
    char *current_layers = mv_layer_stack_path(current);
    assert_true(mv_file_exists(current));
    assert_true(mv_file_exists(current_layers));

    /* the same inputs again: served from the cache, layers included */
    assert_int_equal(unlink(f.out), 0);
    assert_int_equal(unlink(layers), 0);
    make(&f);
    assert_int_equal(f.hits, 1);
    size_t len2;
    char *again = read_all(layers, &len2);
    assert_non_null(again);
    assert_int_equal(len2, layers_len);
    assert_memory_equal(again, stack, layers_len);
    free(again);

    /* a picture cached by an older painter (no layers) is never served: plant one under the
     * old id and empty the current entry, and the job paints anew */
    char *old = cache_file(&f, "procedural-2");
    assert_string_not_equal(old, current);
    uint8_t grey[160 * 90 * 3];
    memset(grey, 128, sizeof grey);
    assert_int_equal(mv_paint_png_write(grey, 160, 90, old, NULL), MAIVID_OK);
    assert_int_equal(unlink(current), 0);
    assert_int_equal(unlink(current_layers), 0);
    make(&f);
    assert_int_equal(f.hits, 1); /* no hit */
    again = read_all(f.out, &len2);
    assert_non_null(again);
    assert_int_equal(len2, flat_len);
    assert_memory_equal(again, flat, flat_len); /* painted, not the planted grey */
    free(again);
    assert_true(mv_file_exists(layers));

    /* a cached picture without layers (another backend's) takes stale layers away */
    assert_int_equal(unlink(current_layers), 0);
    make(&f);
    assert_int_equal(f.hits, 2);
    assert_false(mv_file_exists(layers));

    mv_images_close(f.b);
    free(flat), free(stack), free(layers), free(current), free(current_layers), free(old);
    mv_remove_tree(f.dir, NULL);
    free(f.dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layers_make_the_flat_picture),
        cmocka_unit_test(test_rain_is_not_a_layer),
        cmocka_unit_test(test_colours_stay_near_cover),
        cmocka_unit_test(test_layers_are_deterministic),
        cmocka_unit_test(test_cache_keeps_layers_and_the_painter_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
