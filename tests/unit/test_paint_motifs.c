/*
 * test_paint_motifs.c - the subjects the lyrics name are painted where the composition puts
 * them: for each motif, the pixels that change when it is taken out of the composed scene
 * lie mostly in its frame (and its reflection), enough of them to be seen, in its colours (a
 * lantern, a candle and a fire are warm and bright, a heart is red, gulls are pale in
 * daylight); inflections and synonyms name the same motif; "burning" is a light where
 * something gives light and a fire elsewhere; the recurring setting does not swallow a
 * scene that names its own subject; `drawn` and `unmatched` list what was painted and what
 * could not be; the same request paints the same pixels.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paint/mv_paint_internal.h"

#define W 384
#define H 216

static uint8_t *paint(const char *prompt, uint64_t seed)
{
    mv_paint_request req = {prompt, "cinematic", seed, W, H};
    uint8_t *rgb = NULL;
    mv_error err;
    if (mv_paint_rgb(&req, &rgb, &err) != MAIVID_OK)
        fail_msg("painting '%s' failed: %s", prompt, err.message);
    return rgb;
}

typedef struct motif_case {
    const char *with; /* a prompt naming the subject */
    mv_motif_id id;
    int colour; /* 0 any, 1 warm and bright, 2 red, 3 pale */
} motif_case;

static int colour_ok(const uint8_t *p, int colour)
{
    switch (colour) {
    case 1: return p[0] > 200 && p[1] > 120 && p[0] >= p[2] + 40;
    case 2: return p[0] > 150 && p[0] > p[1] + 60 && p[0] > p[2] + 30;
    case 3: return p[0] > 200 && p[1] > 200 && p[2] > 200;
    default: return 1;
    }
}

static void check_motif(const motif_case *mc, uint64_t seed)
{
    mv_paint_request req = {mc->with, "cinematic", seed, W, H};
    mv_scene s;
    mv_error err;
    assert_int_equal(mv_paint_compose(&req, &s, &err), MAIVID_OK);
    int k = -1;
    for (int i = 0; i < s.words.motif_count; i++)
        if (s.words.motifs[i].id == mc->id)
            k = i;
    if (k < 0)
        fail_msg("'%s' names no %s", mc->with, mv_motif_get(mc->id)->name);
    mv_canvas c = {W, H, NULL};
    mv_motif_frame f;
    assert_true(mv_paint_motif_frame(&s, &c, NULL, k, &f));
    const mv_motif_info *info = mv_motif_get(mc->id);
    /* the frame, generously: motifs reach sideways (a bridge, a train) and glow */
    float reach = mc->id == MV_M_BRIDGE || mc->id == MV_M_TRAIN || mc->id == MV_M_CROWD ||
                          mc->id == MV_M_BIRDS || mc->id == MV_M_FIREWORKS
                      ? 3.4f
                      : 1.6f;
    float x0 = f.x - f.size * reach, x1 = f.x + f.size * reach;
    float y0 = f.base - f.size * 1.5f, y1 = f.base + f.size * 0.4f;
    if (info->stage == MV_STAGE_WATER || info->stage == MV_STAGE_SHORE)
        y1 = f.base + f.size * 1.3f; /* the reflection */
    if (info->stage == MV_STAGE_GROUND) { /* stands on the land, which the frame only guesses */
        y0 = 0;
        y1 = H;
    }
    /* the same scene painted with and without the motif */
    uint8_t *a = NULL, *b = NULL;
    assert_int_equal(mv_paint_scene_rgb(&s, &a, &err), MAIVID_OK);
    memmove(&s.words.motifs[k], &s.words.motifs[k + 1],
            (size_t)(s.words.motif_count - k - 1) * sizeof s.words.motifs[0]);
    s.words.motif_count--;
    assert_int_equal(mv_paint_scene_rgb(&s, &b, &err), MAIVID_OK);
    long inside = 0, outside = 0, coloured = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            const uint8_t *p = a + ((size_t)y * W + x) * 3, *q = b + ((size_t)y * W + x) * 3;
            int d = abs(p[0] - q[0]) + abs(p[1] - q[1]) + abs(p[2] - q[2]);
            if (d < 60)
                continue;
            int in = x >= x0 && x <= x1 && y >= y0 && y <= y1;
            inside += in;
            outside += !in;
            coloured += in && colour_ok(p, mc->colour);
        }
    free(a);
    free(b);
    if (inside < 40 || inside < 3 * outside || (mc->colour && coloured < 15))
        fail_msg("%s ('%s', seed %llu): %ld changed pixels in its frame, %ld outside, %ld of "
                 "its colour", info->name, mc->with, (unsigned long long)seed, inside, outside,
                 coloured);
}

static void test_each_motif_where_asked(void **state)
{
    (void)state;
    static const motif_case cases[] = {
        {"a lighthouse by the sea at sunset", MV_M_LIGHTHOUSE, 0},
        {"seagulls over the sea at noon", MV_M_BIRDS, 3},
        {"a boat on the sea at noon", MV_M_BOAT, 0},
        {"sailboats on the sea at noon", MV_M_SAILBOAT, 0},
        {"a ship on the sea at dusk", MV_M_SHIP, 0},
        {"a lantern in the night hills", MV_M_LANTERN, 1},
        {"a candle in the night hills", MV_M_CANDLE, 1},
        {"a fire in the night hills", MV_M_FIRE, 1},
        {"my heart in the night hills", MV_M_HEART, 2},
        {"a guitar in the hills at dusk", MV_M_GUITAR, 0},
        {"a piano in the hills at dusk", MV_M_PIANO, 0},
        {"a clock in the hills at dusk", MV_M_CLOCK, 0},
        {"a microphone in the hills at dusk", MV_M_MICROPHONE, 0},
        {"fireworks over the hills at night", MV_M_FIREWORKS, 0},
        {"balloons over the hills at noon", MV_M_BALLOONS, 0},
        {"a bridge over the river at noon", MV_M_BRIDGE, 0},
        {"a cabin in the hills at noon", MV_M_CABIN, 0},
        {"a church in the hills at noon", MV_M_CHURCH, 0},
        {"a tower in the hills at noon", MV_M_TOWER, 0},
        {"a house in the hills at noon", MV_M_HOUSE, 0},
        {"a train in the hills at noon", MV_M_TRAIN, 0},
        {"a car in the hills at noon", MV_M_CAR, 0},
        {"a pine in the hills at noon", MV_M_PINE, 0},
        {"a palm in the hills at noon", MV_M_PALM, 0},
        {"a willow in the hills at noon", MV_M_WILLOW, 0},
        {"a woman in the hills at sunset", MV_M_FIGURE, 0},
        {"lovers in the hills at sunset", MV_M_COUPLE, 0},
        {"a dancer in the hills at sunset", MV_M_DANCER, 0},
        {"the crowd in the hills at sunset", MV_M_CROWD, 0},
        {"hands in the hills at sunset", MV_M_HANDS, 0},
        {"flowers in the hills at noon", MV_M_FLOWERS, 0},
        {"a door in the hills at noon", MV_M_DOOR, 0},
        {"stairs in the hills at noon", MV_M_STAIRS, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (uint64_t seed = 1; seed <= 3; seed++)
            check_motif(&cases[i], seed * 1000 + i);
}

static void test_words_name_motifs(void **state)
{
    (void)state;
    static const struct {
        const char *prompt;
        mv_motif_id first;
    } cases[] = {
        {"gulls", MV_M_BIRDS},         {"seagulls crying", MV_M_BIRDS},
        {"boats", MV_M_BOAT},          {"sailing away", MV_M_SAILBOAT},
        {"the ships", MV_M_SHIP},      {"candles", MV_M_CANDLE},
        {"dancing", MV_M_DANCER},      {"danced all night", MV_M_DANCER},
        {"railways", MV_M_TRAIN},      {"driving home", MV_M_CAR},
        {"the staircase", MV_M_STAIRS}, {"cottages", MV_M_CABIN},
        {"cathedrals", MV_M_CHURCH},   {"lanterns", MV_M_LANTERN},
        {"hearts", MV_M_HEART},        {"blossoms", MV_M_FLOWERS},
        {"the fireworks", MV_M_FIREWORKS}, {"the crowds", MV_M_CROWD},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mv_paint_words w;
        mv_paint_words_parse(cases[i].prompt, &w);
        if (w.motif_count < 1 || w.motifs[0].id != cases[i].first)
            fail_msg("'%s' should name %s", cases[i].prompt, mv_motif_get(cases[i].first)->name);
    }
    /* "seagull" picks the gull variant */
    mv_paint_words w;
    mv_paint_words_parse("seagulls", &w);
    assert_int_equal(w.motifs[0].variant, 1);
    /* moon phases */
    mv_paint_words_parse("the old moon", &w);
    assert_true(w.moon && w.moon_phase_set && w.moon_phase > 0.5f);
    mv_paint_words_parse("a full moon", &w);
    assert_true(w.moon && w.moon_phase_set && w.moon_phase == 0.0f);
    mv_paint_words_parse("a crescent over the bay", &w);
    assert_true(w.moon && w.moon_phase > 0.7f);
}

static void test_burning_by_context(void **state)
{
    (void)state;
    mv_paint_words w;
    /* something gives light: the burning is its light */
    mv_paint_words_parse("the lantern burns all night", &w);
    assert_false(mv_words_has_motif(&w, MV_M_FIRE));
    assert_true(mv_words_has_motif(&w, MV_M_LANTERN));
    assert_true(w.glow);
    /* nothing gives light: a fire */
    mv_paint_words_parse("the fields are burning", &w);
    assert_true(mv_words_has_motif(&w, MV_M_FIRE));
    assert_true(w.fire);
}

static void test_setting_only_when_nothing_named(void **state)
{
    (void)state;
    const char *setting = ", recurring setting in the same window, night, calm mood";
    char prompt[512];
    mv_paint_words w;
    /* a verse naming a sailboat and gulls is not painted as the chorus's window */
    snprintf(prompt, sizeof prompt, "intimate medium shot, depicting a sailboat and the gulls%s",
             setting);
    mv_paint_words_parse(prompt, &w);
    assert_false(w.room);
    assert_false(w.from_setting);
    assert_true(mv_words_has_motif(&w, MV_M_SAILBOAT));
    assert_true(mv_words_has_motif(&w, MV_M_BIRDS));
    assert_false(mv_words_has_motif(&w, MV_M_WINDOW));
    /* a line naming nothing drawable takes the song's recurring setting */
    snprintf(prompt, sizeof prompt, "intimate medium shot, depicting I remember you%s", setting);
    mv_paint_words_parse(prompt, &w);
    assert_true(w.from_setting);
    assert_true(w.room);
    assert_int_equal(w.unmatched_count, 1);
    assert_string_equal(w.unmatched[0], "remember");
    /* a storm only in the song's weather is a cloudy sky, not lightning */
    snprintf(prompt, sizeof prompt, "depicting the lighthouse%s, storm", setting);
    mv_paint_words_parse(prompt, &w);
    assert_false(w.storm);
    assert_false(w.lightning);
    assert_true(w.cloud);
}

static void test_describe_lists(void **state)
{
    (void)state;
    mv_paint_request req = {"depicting a lighthouse and seagulls, the fishing boats drift home "
                            "under the old moon, the lanterns burn, recurring setting in the "
                            "same harbor, night",
                            "cinematic", 7, 0, 0};
    mv_paint_subjects sub;
    mv_error err;
    assert_int_equal(mv_paint_describe(&req, &sub, &err), MAIVID_OK);
    const char *expect[] = {"lighthouse", "birds", "boat", "house", "lantern"};
    assert_true(sub.drawn_count >= 5);
    for (int i = 0; i < 5; i++)
        assert_string_equal(sub.drawn[i], expect[i]);
    int moon = 0, sea = 0;
    for (int i = 0; i < sub.drawn_count; i++) {
        moon |= strcmp(sub.drawn[i], "moon") == 0;
        sea |= strcmp(sub.drawn[i], "sea") == 0;
    }
    if (!moon || !sea) {
        for (int i = 0; i < sub.drawn_count; i++)
            print_message("drawn: %s\n", sub.drawn[i]);
        fail_msg("the old moon over the harbor should list moon and sea");
    }
    assert_int_equal(sub.unmatched_count, 1);
    assert_string_equal(sub.unmatched[0], "drift");
    assert_int_equal(mv_paint_describe(NULL, &sub, &err), MAIVID_E_INVALID);
}

static void test_same_seed_same_pixels(void **state)
{
    (void)state;
    const char *p = "a lighthouse, gulls and boats under the old moon, a lantern burns";
    uint8_t *a = paint(p, 99), *b = paint(p, 99), *c = paint(p, 100);
    assert_memory_equal(a, b, (size_t)W * H * 3);
    assert_memory_not_equal(a, c, (size_t)W * H * 3);
    free(a);
    free(b);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_motif_where_asked),
        cmocka_unit_test(test_words_name_motifs),
        cmocka_unit_test(test_burning_by_context),
        cmocka_unit_test(test_setting_only_when_nothing_named),
        cmocka_unit_test(test_describe_lists),
        cmocka_unit_test(test_same_seed_same_pixels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
