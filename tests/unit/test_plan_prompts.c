/*
 * test_plan_prompts.c - the built-in prompt writer and the per-scene choices: prompts from
 * a known lyric carry its imagery and never its section markers, a returning chorus shares
 * a motif and a seed family, the subject line runs through every prompt, the same input
 * gives the same plan, instrumental songs are described by title and tags, and "auto"
 * motion is calmer in the quiet parts than in the loud ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "plan/mv_plan.h"
#include "plan/mv_plan_parts.h"
#include "test_plan_song.h"

/* quiet verse, loud chorus, quiet verse, loud chorus, quiet outro */
static const double song_starts[] = {0.0, 30.0, 60.0, 90.0, 120.0};
static const double song_energy[] = {0.1, 0.95, 0.12, 0.9, 0.08};

static const char *const known_lyric =
    "[Verse 1]\n"
    "Walking down the empty street at midnight\n"
    "Neon rain on a silver car\n"
    "[Chorus]\n"
    "We are the fire in the golden sky\n"
    "Burning like the ocean stars\n"
    "[Verse 2]\n"
    "Lonely girl by the window in the fog\n"
    "Crimson roses on the floor\n"
    "[Chorus]\n"
    "We are the fire in the golden sky\n"
    "Burning like the ocean stars\n"
    "[Outro]\n"
    "Goodbye old city\n";

typedef struct fixture {
    mv_analysis a;
    mv_lyrics l;
    mv_plan_input in;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    test_song_make(&f->a, 150.0, 120.0, 0.0, song_starts, song_energy, 5);
    mv_error err;
    if (mv_lyrics_parse(known_lyric, &f->l, &err) != MAIVID_OK)
        return -1;
    f->in.analysis = &f->a;
    f->in.lyrics = &f->l;
    f->in.title = "Midnight Fire";
    f->in.artist = "Test Artist";
    f->in.tags = "dreamy synthwave, female vocals, 120 bpm";
    f->in.style_id = "cyberpunk";
    f->in.scene_count = 0;
    f->in.motion = "auto";
    f->in.transition = "auto";
    f->in.transition_duration = 1.0;
    f->in.seed = 42;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    mv_lyrics_free(&f->l);
    test_song_free(&f->a);
    free(f);
    return 0;
}

static void build(const mv_plan_input *in, mv_plan *plan)
{
    mv_error err;
    mv_error_clear(&err);
    if (mv_plan_build(in, plan, NULL, &err) != MAIVID_OK)
        fail_msg("mv_plan_build: %s", err.message);
}

static void test_prompts_carry_imagery_not_markers(void **state)
{
    fixture *f = *state;
    mv_plan plan;
    build(&f->in, &plan);
    int saw_neon = 0, saw_fire = 0, saw_fog = 0, saw_style = 0;
    for (size_t i = 0; i < plan.scene_count; i++) {
        const char *p = plan.scenes[i].prompt;
        assert_non_null(p);
        assert_true(strlen(p) > 40);
        assert_null(strchr(p, '['));
        assert_null(strchr(p, ']'));
        assert_null(strstr(p, "Verse"));
        assert_null(strstr(p, "Chorus"));
        assert_null(strstr(p, "Outro"));
        assert_null(strstr(p, "vocals")); /* tags that do not paint stay out */
        assert_non_null(strstr(p, plan.subject));
        saw_neon |= strstr(p, "neon") != NULL;
        saw_fire |= strstr(p, "fire") != NULL;
        saw_fog |= strstr(p, "fog") != NULL;
        saw_style |= strstr(p, "synthwave") != NULL;
        assert_non_null(strstr(p, "cyberpunk"));
        assert_non_null(strstr(plan.scenes[i].negative_prompt, "text"));
        assert_non_null(strstr(plan.scenes[i].negative_prompt, "daylight"));
        assert_int_not_equal(strcmp(plan.scenes[i].motion, "auto"), 0);
        assert_int_not_equal(strcmp(plan.scenes[i].transition, "auto"), 0);
    }
    assert_true(saw_neon && saw_fire && saw_fog && saw_style);
    /* the subject comes from the lyric: its figure and place */
    assert_non_null(strstr(plan.subject, "girl"));
    assert_non_null(strstr(plan.subject, "ocean"));
    mv_plan_free(&plan);
}

/* Time of day and weather belong to each scene: a morning bridge is not painted at midnight in
 * the rain just because the verse was; a scene that names neither takes the song's. */
static void test_each_scene_keeps_its_own_time_and_weather(void **state)
{
    fixture *f = *state;
    mv_lyrics l;
    mv_error err;
    assert_int_equal(mv_lyrics_parse("[Verse]\nRain on the harbor at midnight\n"
                                     "[Chorus]\nCounting echoes of my heartbeat\n"
                                     "[Bridge]\nMorning comes across the desert sand\n",
                                     &l, &err),
                     MAIVID_OK);
    mv_plan_input in = f->in;
    in.lyrics = &l;
    in.scene_count = 3;
    in.style_id = "watercolor"; /* cyberpunk's own text says "night" and "rain" */
    mv_plan plan;
    build(&in, &plan);
    assert_null(strstr(plan.subject, "midnight"));
    assert_null(strstr(plan.subject, "rain"));
    assert_non_null(strstr(plan.subject, "harbor"));
    int checked_bridge = 0, checked_plain = 0;
    for (size_t i = 0; i < plan.scene_count; i++) {
        const char *p = plan.scenes[i].prompt;
        if (strstr(plan.scenes[i].lyrics, "Morning")) {
            assert_non_null(strstr(p, "morning"));
            assert_null(strstr(p, "midnight"));
            assert_null(strstr(p, "rain"));
            checked_bridge = 1;
        } else if (strstr(plan.scenes[i].lyrics, "heartbeat") &&
                   !strstr(plan.scenes[i].lyrics, "Rain")) {
            assert_non_null(strstr(p, "midnight")); /* the song's time, as a fallback */
            assert_non_null(strstr(p, "rain"));
            checked_plain = 1;
        }
    }
    assert_true(checked_bridge && checked_plain);
    mv_plan_free(&plan);
    mv_lyrics_free(&l);
}

static void test_chorus_shares_seed_family(void **state)
{
    fixture *f = *state;
    mv_plan plan;
    build(&f->in, &plan);
    int64_t chorus_family = -1;
    size_t chorus_scenes = 0, first_chorus = 0;
    for (size_t i = 0; i < plan.scene_count; i++) {
        int64_t family = (plan.scenes[i].seed - 42) / MV_PLAN_SEED_FAMILY_STRIDE;
        int64_t offset = (plan.scenes[i].seed - 42) % MV_PLAN_SEED_FAMILY_STRIDE;
        assert_true(plan.scenes[i].seed >= 42);
        if (strcmp(plan.scenes[i].section, "chorus") == 0) {
            if (chorus_family < 0) {
                chorus_family = family;
                first_chorus = i;
            }
            assert_int_equal(family, chorus_family);
            assert_int_equal(offset, (int64_t)chorus_scenes);
            assert_non_null(strstr(plan.scenes[i].prompt, "recurring motif of"));
            chorus_scenes++;
        } else {
            assert_int_not_equal(family, chorus_family < 0 ? -2 : chorus_family);
            assert_null(strstr(plan.scenes[i].prompt, "recurring motif of"));
        }
    }
    assert_true(chorus_scenes >= 2);
    /* chorus scenes after the first show the same motif */
    const char *motif = strstr(plan.scenes[first_chorus].prompt, "recurring motif of");
    char expected[64];
    sscanf(motif, "recurring motif of %63[^,]", expected);
    for (size_t i = first_chorus + 1; i < plan.scene_count; i++)
        if (strcmp(plan.scenes[i].section, "chorus") == 0)
            assert_non_null(strstr(plan.scenes[i].prompt, expected));
    /* seeds are unique */
    for (size_t i = 0; i < plan.scene_count; i++)
        for (size_t j = i + 1; j < plan.scene_count; j++)
            assert_true(plan.scenes[i].seed != plan.scenes[j].seed);
    mv_plan_free(&plan);
}

static void test_deterministic(void **state)
{
    fixture *f = *state;
    mv_plan a, b;
    build(&f->in, &a);
    build(&f->in, &b);
    assert_int_equal(a.scene_count, b.scene_count);
    assert_string_equal(a.subject, b.subject);
    for (size_t i = 0; i < a.scene_count; i++) {
        assert_string_equal(a.scenes[i].prompt, b.scenes[i].prompt);
        assert_string_equal(a.scenes[i].motion, b.scenes[i].motion);
        assert_string_equal(a.scenes[i].transition, b.scenes[i].transition);
        assert_int_equal(a.scenes[i].seed, b.scenes[i].seed);
        assert_true(a.scenes[i].start == b.scenes[i].start);
    }
    mv_plan_free(&b);
    /* seed -1: derived from the title, so the same title gives the same seeds and another
     * title other seeds */
    mv_plan_input in = f->in;
    in.seed = -1;
    build(&in, &b);
    mv_plan c;
    build(&in, &c);
    assert_int_equal(b.scenes[0].seed, c.scenes[0].seed);
    mv_plan_free(&c);
    in.title = "Another Title";
    build(&in, &c);
    assert_true(b.scenes[0].seed != c.scenes[0].seed);
    assert_true(b.scenes[0].seed != a.scenes[0].seed);
    mv_plan_free(&a);
    mv_plan_free(&b);
    mv_plan_free(&c);
}

static void test_instrumental(void **state)
{
    fixture *f = *state;
    mv_lyrics none;
    mv_error err;
    assert_int_equal(mv_lyrics_parse("", &none, &err), MAIVID_OK);
    mv_plan_input in = f->in;
    in.lyrics = &none;
    in.title = "Thunder over the Desert";
    mv_plan plan;
    build(&in, &plan);
    for (size_t i = 0; i < plan.scene_count; i++) {
        assert_string_equal(plan.scenes[i].lyrics, "");
        assert_string_equal(plan.scenes[i].section, "instrumental");
        assert_non_null(strstr(plan.scenes[i].prompt, "Thunder over the Desert"));
        assert_non_null(strstr(plan.scenes[i].prompt, "desert"));
        assert_non_null(strstr(plan.scenes[i].prompt, "synthwave"));
    }
    mv_plan_free(&plan);
    in.lyrics = NULL;
    build(&in, &plan);
    assert_true(plan.scene_count > 0);
    mv_plan_free(&plan);
}

static void test_auto_motion_calmer_in_quiet_parts(void **state)
{
    fixture *f = *state;
    mv_plan plan;
    build(&f->in, &plan);
    int quiet_motion = 0, loud_motion = 0, quiet_trans = 0, loud_trans = 0;
    size_t quiet = 0, loud = 0;
    for (size_t i = 0; i + 1 < plan.scene_count; i++) {
        double mid = (plan.scenes[i].start + plan.scenes[i].end) / 2;
        double next_mid = (plan.scenes[i + 1].start + plan.scenes[i + 1].end) / 2;
        int loud_now = (mid >= 30 && mid < 60) || (mid >= 90 && mid < 120);
        int loud_next = (next_mid >= 30 && next_mid < 60) || (next_mid >= 90 && next_mid < 120);
        int m = mv_plan_motion_liveliness(plan.scenes[i].motion);
        int t = mv_plan_transition_liveliness(plan.scenes[i].transition);
        if (loud_now) {
            loud_motion += m;
            loud++;
            assert_int_equal(m, 2);
        } else {
            quiet_motion += m;
            quiet++;
            assert_true(m <= 1);
        }
        if (loud_next) {
            loud_trans += t;
            assert_int_equal(t, 2);
        } else {
            quiet_trans += t;
            assert_int_equal(t, 0);
        }
    }
    assert_true(quiet > 0 && loud > 0);
    assert_true(quiet_motion * (int)loud < loud_motion * (int)quiet);
    (void)quiet_trans;
    (void)loud_trans;
    mv_plan_free(&plan);
    /* without an envelope (analysis.json without energy) the sections' energies count */
    float *envelope = f->a.energy;
    f->a.energy = NULL;
    build(&f->in, &plan);
    for (size_t i = 0; i < plan.scene_count; i++) {
        double mid = (plan.scenes[i].start + plan.scenes[i].end) / 2;
        int loud_now = (mid >= 30 && mid < 60) || (mid >= 90 && mid < 120);
        assert_int_equal(mv_plan_motion_liveliness(plan.scenes[i].motion) == 2, loud_now);
    }
    f->a.energy = envelope;
    mv_plan_free(&plan);
    /* fixed ids are kept as given */
    mv_plan_input in = f->in;
    in.motion = "pan_left";
    in.transition = "circleopen";
    build(&in, &plan);
    for (size_t i = 0; i < plan.scene_count; i++) {
        assert_string_equal(plan.scenes[i].motion, "pan_left");
        if (i + 1 < plan.scene_count)
            assert_string_equal(plan.scenes[i].transition, "circleopen");
    }
    mv_plan_free(&plan);
}

/* Scenes painted with depth layers: "auto" picks the parallax dolly where the music is calm
 * or medium, and the loud parts keep their lively zooms; without layers it never does. */
static void test_auto_motion_parallax_with_layers(void **state)
{
    fixture *f = *state;
    mv_plan_input in = f->in;
    in.depth_layers = 1;
    mv_plan plan;
    build(&in, &plan);
    size_t quiet = 0, loud = 0;
    for (size_t i = 0; i < plan.scene_count; i++) {
        double mid = (plan.scenes[i].start + plan.scenes[i].end) / 2;
        int loud_now = (mid >= 30 && mid < 60) || (mid >= 90 && mid < 120);
        if (loud_now) {
            loud++;
            assert_int_equal(mv_plan_motion_liveliness(plan.scenes[i].motion), 2);
        } else {
            quiet++;
            assert_string_equal(plan.scenes[i].motion, "parallax");
        }
    }
    assert_true(quiet > 0 && loud > 0);
    mv_plan_free(&plan);
    in.depth_layers = 0;
    build(&in, &plan);
    for (size_t i = 0; i < plan.scene_count; i++)
        assert_string_not_equal(plan.scenes[i].motion, "parallax");
    mv_plan_free(&plan);
    in.depth_layers = 1; /* a fixed motion stays as given */
    in.motion = "zoom_out";
    build(&in, &plan);
    for (size_t i = 0; i < plan.scene_count; i++)
        assert_string_equal(plan.scenes[i].motion, "zoom_out");
    mv_plan_free(&plan);
}

static void test_imagery_extraction(void **state)
{
    (void)state;
    mv_imagery im;
    mv_imagery_extract("Oh oh yeah, the the and I love you baby\nRed roses in the rain at dawn "
                       "on the highway", 8, &im);
    char all[256] = "";
    for (size_t i = 0; i < im.count; i++) {
        strcat(all, im.words[i].word);
        strcat(all, " ");
        assert_false(mv_imagery_is_stop_word(im.words[i].word));
    }
    assert_non_null(strstr(all, "red "));
    assert_non_null(strstr(all, "roses "));
    assert_non_null(strstr(all, "rain "));
    assert_non_null(strstr(all, "dawn "));
    assert_non_null(strstr(all, "highway "));
    assert_null(strstr(all, "yeah"));
    assert_null(strstr(all, "the "));
    assert_null(strstr(all, "love"));
    mv_imagery_extract("", 8, &im);
    assert_int_equal(im.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_prompts_carry_imagery_not_markers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_scene_keeps_its_own_time_and_weather, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chorus_shares_seed_family, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deterministic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_instrumental, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auto_motion_calmer_in_quiet_parts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auto_motion_parallax_with_layers, setup, teardown),
        cmocka_unit_test(test_imagery_extraction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
