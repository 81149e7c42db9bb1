/*
 * test_paint_image.c - the built-in painter's pictures: the same request gives the same
 * pixels; other seeds or prompts give clearly different pictures; the words drive what is
 * painted (night darker than noon, the sea blue in the lower half at noon, a red sky redder
 * than a blue one, stars in space); noir is black and white; bad requests are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "paint/mv_paint.h"

#define W 320
#define H 180

static uint8_t *paint(const char *prompt, const char *style, uint64_t seed)
{
    mv_paint_request req = {prompt, style, seed, W, H};
    uint8_t *rgb = NULL;
    mv_error err;
    mv_error_clear(&err);
    maivid_code rc = mv_paint_rgb(&req, &rgb, &err);
    if (rc != MAIVID_OK)
        fail_msg("painting '%s' failed: %s", prompt, err.message);
    assert_non_null(rgb);
    return rgb;
}

/* Mean absolute difference per channel value, 0..255. */
static double mean_abs_diff(const uint8_t *a, const uint8_t *b)
{
    double sum = 0;
    for (size_t i = 0; i < (size_t)W * H * 3; i++)
        sum += abs((int)a[i] - (int)b[i]);
    return sum / ((double)W * H * 3);
}

/* Mean of one channel (0 r, 1 g, 2 b, 3 luma) over rows [y0, y1). */
static double mean_channel(const uint8_t *rgb, int channel, int y0, int y1)
{
    double sum = 0;
    for (int y = y0; y < y1; y++)
        for (int x = 0; x < W; x++) {
            const uint8_t *p = rgb + ((size_t)y * W + x) * 3;
            sum += channel < 3 ? p[channel] : 0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2];
        }
    return sum / ((double)(y1 - y0) * W);
}

static void test_same_request_same_pixels(void **state)
{
    (void)state;
    const char *prompts[] = {"a lonely figure on a mountain at sunset with birds",
                             "neon city in the rain at midnight", "the galaxy and a planet",
                             "snow on the forest, lovers by the lake", "room with a window, fire"};
    for (size_t i = 0; i < sizeof prompts / sizeof prompts[0]; i++) {
        uint8_t *a = paint(prompts[i], "cinematic", 42);
        uint8_t *b = paint(prompts[i], "cinematic", 42);
        assert_memory_equal(a, b, (size_t)W * H * 3);
        free(a);
        free(b);
    }
}

static void test_seeds_vary_composition(void **state)
{
    (void)state;
    const char *prompts[] = {"mountains at sunset", "city skyline at night", "the sea at noon"};
    for (size_t i = 0; i < sizeof prompts / sizeof prompts[0]; i++) {
        uint8_t *a = paint(prompts[i], "cinematic", 1);
        uint8_t *b = paint(prompts[i], "cinematic", 2);
        double d = mean_abs_diff(a, b);
        if (d < 6.0)
            fail_msg("seeds 1 and 2 of '%s' differ by only %.2f", prompts[i], d);
        free(a);
        free(b);
    }
}

static void test_prompts_give_different_pictures(void **state)
{
    (void)state;
    const char *prompts[] = {"mountains at sunset", "neon city at night", "the ocean at noon",
                             "deep space galaxy", "a desert in the afternoon",
                             "misty forest at dawn"};
    enum { N = sizeof prompts / sizeof prompts[0] };
    uint8_t *img[N];
    for (int i = 0; i < N; i++)
        img[i] = paint(prompts[i], "cinematic", 7);
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++) {
            double d = mean_abs_diff(img[i], img[j]);
            if (d < 15.0)
                fail_msg("'%s' and '%s' differ by only %.2f", prompts[i], prompts[j], d);
        }
    for (int i = 0; i < N; i++)
        free(img[i]);
    /* styles change the colours of the same scene */
    uint8_t *a = paint("hills at sunset", "cinematic", 3);
    uint8_t *b = paint("hills at sunset", "cyberpunk", 3);
    assert_true(mean_abs_diff(a, b) > 8.0);
    free(a);
    free(b);
}

static void test_night_darker_than_noon(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 4; seed++) {
        uint8_t *night = paint("a field under the sky at night", "cinematic", seed);
        uint8_t *noon = paint("a field under the sky at noon", "cinematic", seed);
        double ln = mean_channel(night, 3, 0, H), ld = mean_channel(noon, 3, 0, H);
        if (!(ln + 40.0 < ld))
            fail_msg("seed %d: night %.1f is not much darker than noon %.1f", (int)seed, ln, ld);
        free(night);
        free(noon);
    }
}

static void test_sea_is_blue_below(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 4; seed++) {
        uint8_t *sea = paint("the open sea at noon", "photorealistic", seed);
        double r = mean_channel(sea, 0, H * 3 / 4, H), b = mean_channel(sea, 2, H * 3 / 4, H);
        if (!(b > r + 10.0))
            fail_msg("seed %d: the sea's lower part is not blue (r %.1f, b %.1f)", (int)seed, r, b);
        free(sea);
    }
}

static void test_colour_words_tint(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        uint8_t *red = paint("a red sky over the hills at sunset", "cinematic", seed);
        uint8_t *blue = paint("a blue sky over the hills at sunset", "cinematic", seed);
        double red_rb = mean_channel(red, 0, 0, H / 2) - mean_channel(red, 2, 0, H / 2);
        double blue_rb = mean_channel(blue, 0, 0, H / 2) - mean_channel(blue, 2, 0, H / 2);
        if (!(red_rb > blue_rb + 15.0))
            fail_msg("seed %d: red sky r-b %.1f vs blue sky %.1f", (int)seed, red_rb, blue_rb);
        free(red);
        free(blue);
    }
}

/* A pixel much brighter than the pixels two steps away on all four sides. */
static int is_point_light(const uint8_t *img, int x, int y)
{
    int g = img[((size_t)y * W + x) * 3 + 1];
    static const int dx[4] = {2, -2, 0, 0}, dy[4] = {0, 0, 2, -2};
    if (g < 60)
        return 0;
    for (int k = 0; k < 4; k++)
        if (g < img[((size_t)(y + dy[k]) * W + x + dx[k]) * 3 + 1] + 30)
            return 0;
    return 1;
}

static void test_space_has_stars(void **state)
{
    (void)state;
    uint8_t *img = paint("deep space, the cosmos", "cinematic", 9);
    /* stars: small bright points much brighter than their surroundings */
    int stars = 0;
    for (int y = 2; y < H - 2; y++)
        for (int x = 2; x < W - 2; x++) {
            if (is_point_light(img, x, y))
                stars++;
        }
    if (stars < 15)
        fail_msg("only %d stars in space", stars);
    /* a noon field has none */
    free(img);
    img = paint("a field at noon", "cinematic", 9);
    stars = 0;
    for (int y = 2; y < H - 2; y++)
        for (int x = 2; x < W - 2; x++) {
            if (is_point_light(img, x, y))
                stars++;
        }
    assert_int_equal(stars, 0);
    free(img);
}

static void test_noir_is_black_and_white(void **state)
{
    (void)state;
    const char *prompts[] = {"a red neon city in the rain", "golden sunset over the sea",
                             "a purple galaxy"};
    for (size_t i = 0; i < sizeof prompts / sizeof prompts[0]; i++) {
        uint8_t *img = paint(prompts[i], "noir", 5);
        for (size_t p = 0; p < (size_t)W * H; p++)
            if (img[p * 3] != img[p * 3 + 1] || img[p * 3] != img[p * 3 + 2])
                fail_msg("noir pixel %zu of '%s' is coloured", p, prompts[i]);
        free(img);
    }
    /* and a colour style is not */
    uint8_t *img = paint("golden sunset over the sea", "cinematic", 5);
    size_t coloured = 0;
    for (size_t p = 0; p < (size_t)W * H; p++)
        coloured += img[p * 3] != img[p * 3 + 2];
    assert_true(coloured > (size_t)W * H / 2);
    free(img);
    /* "black and white" in the prompt also makes it monochrome */
    img = paint("a black and white street at night", "anime", 5);
    for (size_t p = 0; p < (size_t)W * H; p++)
        assert_true(img[p * 3] == img[p * 3 + 1] && img[p * 3] == img[p * 3 + 2]);
    free(img);
}

static void expect_invalid(int width, int height, const char *style)
{
    mv_paint_request req = {"mountains", style, 1, width, height};
    uint8_t *rgb = (uint8_t *)&req; /* must be reset to NULL */
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_paint_rgb(&req, &rgb, &err), MAIVID_E_INVALID);
    assert_null(rgb);
    assert_true(strlen(err.message) > 20);
}

static void test_bad_requests_refused(void **state)
{
    (void)state;
    expect_invalid(0, 0, NULL);
    expect_invalid(-320, 180, NULL);
    expect_invalid(320, -1, NULL);
    expect_invalid(8, 8, NULL);
    expect_invalid(100000, 100, NULL);
    expect_invalid(16384, 16384, NULL); /* too many pixels in total */
    expect_invalid(320, 180, "no_such_style");
    mv_error err;
    mv_error_clear(&err);
    uint8_t *rgb = NULL;
    assert_int_equal(mv_paint_rgb(NULL, &rgb, &err), MAIVID_E_INVALID);
    mv_paint_request req = {"x", NULL, 1, 320, 180};
    assert_int_equal(mv_paint_rgb(&req, NULL, &err), MAIVID_E_INVALID);
    /* odd sizes, NULL prompt and NULL style are fine */
    mv_paint_request odd = {NULL, NULL, 3, 17, 31};
    assert_int_equal(mv_paint_rgb(&odd, &rgb, &err), MAIVID_OK);
    free(rgb);
}

static void test_every_style_paints(void **state)
{
    (void)state;
    static const char *styles[] = {"cinematic", "anime",   "photorealistic", "cartoon",
                                   "abstract",  "noir",    "cyberpunk",      "fantasy",
                                   "watercolor", "oil_painting", "pixel_art", "vaporwave",
                                   "comic",     "surreal", "retro_film",     "3d_render"};
    for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++) {
        uint8_t *img = paint("lovers on the beach under the moon, birds, stars", styles[i], 11);
        double l = mean_channel(img, 3, 0, H);
        assert_true(l > 5.0 && l < 250.0);
        free(img);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_request_same_pixels),
        cmocka_unit_test(test_seeds_vary_composition),
        cmocka_unit_test(test_prompts_give_different_pictures),
        cmocka_unit_test(test_night_darker_than_noon),
        cmocka_unit_test(test_sea_is_blue_below),
        cmocka_unit_test(test_colour_words_tint),
        cmocka_unit_test(test_space_has_stars),
        cmocka_unit_test(test_noir_is_black_and_white),
        cmocka_unit_test(test_bad_requests_refused),
        cmocka_unit_test(test_every_style_paints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
