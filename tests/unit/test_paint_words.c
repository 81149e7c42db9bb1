/*
 * test_paint_words.c - the painter's reading of prompts: time of day, weather, places,
 * celestial bodies, silhouettes, mood and colour words are found whatever their case,
 * plural or punctuation; "black and white" means monochrome; unknown words change nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "paint/mv_paint_internal.h"

static void test_time_weather_places(void **state)
{
    (void)state;
    mv_paint_words w;
    mv_paint_words_parse("Stars over the SEA at Midnight, rain and lightning!", &w);
    assert_int_equal(w.time, MV_TOD_NIGHT);
    assert_true(w.stars);
    assert_true(w.sea);
    assert_true(w.rain);
    assert_true(w.lightning);
    assert_false(w.mountain);
    assert_false(w.city);

    mv_paint_words_parse("misty mountains at dawn, a storm rolling over the valley", &w);
    assert_int_equal(w.time, MV_TOD_DAWN);
    assert_true(w.fog);
    assert_true(w.mountain);
    assert_true(w.hill);
    assert_true(w.storm);
    assert_true(w.cloud); /* a storm brings clouds */

    mv_paint_words_parse("neon streets of the city, skyscrapers and cities", &w);
    assert_true(w.neon);
    assert_true(w.city);
    assert_int_equal(w.time, MV_TOD_NONE);

    mv_paint_words_parse("drifting through the galaxy past a planet", &w);
    assert_true(w.space);
    assert_true(w.planet);

    mv_paint_words_parse("alone in my room by the window", &w);
    assert_true(w.room);
}

static void test_first_time_word_wins(void **state)
{
    (void)state;
    mv_paint_words w;
    mv_paint_words_parse("sunset fading into night", &w);
    assert_int_equal(w.time, MV_TOD_SUNSET);
    mv_paint_words_parse("the evening after noon", &w);
    assert_int_equal(w.time, MV_TOD_DUSK);
}

static void test_silhouettes_and_mood(void **state)
{
    (void)state;
    mv_paint_words w;
    mv_paint_words_parse("a girl under the trees, birds flying, burning fire", &w);
    assert_int_equal(w.figures, 1);
    assert_true(w.trees);
    assert_true(w.birds);
    assert_true(w.fire);
    mv_paint_words_parse("two lovers dreaming in the dark glow", &w);
    assert_int_equal(w.figures, 2);
    assert_true(w.dream);
    assert_true(w.dark);
    assert_true(w.glow);
}

static void test_colour_words(void **state)
{
    (void)state;
    mv_paint_words w;
    mv_paint_words_parse("Crimson and gold, a silver moon", &w);
    assert_int_equal(w.colour_count, 2 + 1);
    assert_true(w.colours[0].r > 0.5f && w.colours[0].b < 0.3f); /* crimson is red */
    assert_true(w.colours[1].r > 0.9f && w.colours[1].g > 0.6f); /* gold */
    assert_true(w.moon);
    assert_false(w.mono);

    mv_paint_words_parse("a black and white photograph", &w);
    assert_true(w.mono);
    mv_paint_words_parse("black cat, white dog", &w);
    assert_false(w.mono);

    /* at most MV_PAINT_MAX_COLOURS are kept */
    mv_paint_words_parse("red blue green pink orange purple", &w);
    assert_int_equal(w.colour_count, MV_PAINT_MAX_COLOURS);
}

static void test_nothing_known(void **state)
{
    (void)state;
    mv_paint_words w, empty;
    memset(&empty, 0, sizeof empty);
    mv_paint_words_parse("I keep going on to what we had", &w);
    assert_memory_equal(&w, &empty, sizeof w);
    mv_paint_words_parse(NULL, &w);
    assert_memory_equal(&w, &empty, sizeof w);
    mv_paint_words_parse("", &w);
    assert_memory_equal(&w, &empty, sizeof w);
    /* a very long word does not overflow and matches nothing */
    char longword[300];
    memset(longword, 'a', sizeof longword - 1);
    longword[sizeof longword - 1] = '\0';
    mv_paint_words_parse(longword, &w);
    assert_int_equal(w.unmatched_count, 1); /* a content word it cannot draw, cut short */
    assert_int_equal(strlen(w.unmatched[0]), sizeof w.unmatched[0] - 1);
    w.unmatched_count = 0;
    memset(w.unmatched, 0, sizeof w.unmatched);
    assert_memory_equal(&w, &empty, sizeof w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_weather_places),
        cmocka_unit_test(test_first_time_word_wins),
        cmocka_unit_test(test_silhouettes_and_mood),
        cmocka_unit_test(test_colour_words),
        cmocka_unit_test(test_nothing_known),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
