/*
 * test_plan_timing.c - scene timing on synthetic analyses with a known beat grid and known
 * sections: scenes tile the song exactly, cuts sit on beats (and downbeats where one is
 * near), requested counts are exact, automatic counts give 4..15 s scenes, timed lyric
 * sections lead the cuts, lyric lines land in the right scenes, every scene holds its
 * transitions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plan/mv_plan.h"
#include "plan/mv_plan_parts.h"
#include "test_plan_song.h"

static const double song_starts[] = {0.0, 15.3, 45.2, 75.05, 105.4, 135.0, 165.2};
static const double song_energy[] = {0.2, 0.4, 1.0, 0.35, 0.95, 0.5, 0.15};

static void make_song(mv_analysis *a)
{
    test_song_make(a, 180.0, 120.0, 0.1, song_starts, song_energy, 7);
}

static void plan_ok(const mv_analysis *a, const mv_lyrics *l, int count, mv_plan *plan)
{
    mv_plan_input in;
    memset(&in, 0, sizeof in);
    in.analysis = a;
    in.lyrics = l;
    in.title = "Test Song";
    in.style_id = "cinematic";
    in.scene_count = count;
    in.motion = "ken_burns";
    in.transition = "fade";
    in.transition_duration = 1.0;
    in.seed = 7;
    mv_error err;
    mv_error_clear(&err);
    maivid_code rc = mv_plan_build(&in, plan, NULL, &err);
    if (rc != MAIVID_OK)
        fail_msg("mv_plan_build: %s", err.message);
}

static void assert_tiles(const mv_plan *plan, double duration)
{
    assert_true(plan->scene_count >= 1);
    assert_true(plan->scenes[0].start == 0.0);
    assert_true(plan->scenes[plan->scene_count - 1].end == duration);
    for (size_t i = 0; i < plan->scene_count; i++) {
        assert_int_equal(plan->scenes[i].index, (int)i);
        assert_true(plan->scenes[i].end > plan->scenes[i].start);
        if (i > 0)
            assert_true(plan->scenes[i].start == plan->scenes[i - 1].end);
    }
}

static void test_auto_count_tiles_on_beats(void **state)
{
    (void)state;
    mv_analysis a;
    make_song(&a);
    mv_plan plan;
    plan_ok(&a, NULL, 0, &plan);
    assert_tiles(&plan, a.duration);
    assert_true(plan.scene_count >= 12 && plan.scene_count <= 45);
    for (size_t i = 0; i < plan.scene_count; i++) {
        double len = plan.scenes[i].end - plan.scenes[i].start;
        if (len < 4.0 || len > 15.0)
            fail_msg("scene %zu is %.2f s long", i, len);
        if (i > 0 && !test_song_on_grid(a.beats, a.beat_count, plan.scenes[i].start))
            fail_msg("cut %zu at %.3f is not on a beat", i, plan.scenes[i].start);
    }
    /* every detected section change has a cut within the snap tolerance */
    for (size_t s = 1; s < 7; s++) {
        int found = 0;
        for (size_t i = 1; i < plan.scene_count; i++)
            if (fabs(plan.scenes[i].start - song_starts[s]) <= MV_PLAN_SNAP_TOLERANCE + 1e-9)
                found = 1;
        if (!found)
            fail_msg("no cut near the section change at %.2f s", song_starts[s]);
    }
    mv_plan_free(&plan);
    test_song_free(&a);
}

/* Scenes that become video-model clips (about 5 s each): more, shorter scenes, on beats. */
static void test_clip_length_scenes(void **state)
{
    (void)state;
    mv_analysis a;
    make_song(&a);
    mv_plan_input in;
    memset(&in, 0, sizeof in);
    in.analysis = &a;
    in.title = "Test Song";
    in.style_id = "cinematic";
    in.motion = "ken_burns";
    in.transition = "fade";
    in.transition_duration = 1.0;
    in.seed = 7;
    in.max_scene_seconds = 121.0 / 24.0;
    mv_plan plan;
    mv_error err;
    assert_int_equal(mv_plan_build(&in, &plan, NULL, &err), MAIVID_OK);
    assert_tiles(&plan, a.duration);
    assert_true(plan.scene_count >= 36);
    int longer = 0;
    for (size_t i = 0; i < plan.scene_count; i++) {
        longer += plan.scenes[i].end - plan.scenes[i].start > 6.0;
        if (i > 0 && !test_song_on_grid(a.beats, a.beat_count, plan.scenes[i].start))
            fail_msg("cut %zu at %.3f is not on a beat", i, plan.scenes[i].start);
    }
    assert_true(longer <= (int)plan.scene_count / 10);
    mv_plan_free(&plan);
    test_song_free(&a);
}

/* Many songs: tempos, beat offsets, lengths and section layouts (a fixed LCG). */
static void test_many_songs(void **state)
{
    (void)state;
    const double bpms[] = {90, 120, 128, 151};
    const double lengths[] = {47.0, 133.3, 241.7};
    uint32_t rng = 12345;
    size_t cuts = 0, on_beat = 0;
    for (size_t b = 0; b < 4; b++) {
        for (size_t d = 0; d < 3; d++) {
            double starts[12] = {0};
            size_t n = 1;
            while (n < 12) {
                rng = rng * 1664525u + 1013904223u;
                double next = starts[n - 1] + 3.0 + (double)(rng >> 8) / (1u << 24) * 30.0;
                if (next >= lengths[d] - 1.0)
                    break;
                starts[n++] = next;
            }
            mv_analysis a;
            test_song_make(&a, lengths[d], bpms[b], 0.37 * (double)b, starts, NULL, n);
            for (int count = 0; count <= 40; count += 8) {
                mv_plan plan;
                plan_ok(&a, NULL, count, &plan);
                assert_tiles(&plan, a.duration);
                if (count)
                    assert_int_equal(plan.scene_count, (size_t)count);
                for (size_t i = 0; i < plan.scene_count; i++) {
                    double len = plan.scenes[i].end - plan.scenes[i].start;
                    if (count == 0 && a.duration >= 4.0 && (len < 4.0 - 1e-6 || len > 15.0 + 1e-6))
                        fail_msg("%.0f bpm, %.1f s: auto scene %zu is %.2f s", bpms[b],
                                 a.duration, i, len);
                    if (i > 0) {
                        cuts++;
                        on_beat += test_song_on_grid(a.beats, a.beat_count, plan.scenes[i].start);
                    }
                }
                mv_plan_free(&plan);
            }
            test_song_free(&a);
        }
    }
    print_message("%zu of %zu cuts on a beat\n", on_beat, cuts);
    assert_true(on_beat * 100 >= cuts * 98);
}

static void test_exact_counts(void **state)
{
    (void)state;
    mv_analysis a;
    make_song(&a);
    const int counts[] = {1, 2, 3, 5, 7, 13, 20, 45, 60, 120};
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        mv_plan plan;
        plan_ok(&a, NULL, counts[c], &plan);
        assert_int_equal(plan.scene_count, (size_t)counts[c]);
        assert_tiles(&plan, a.duration);
        for (size_t i = 1; counts[c] <= 60 && i < plan.scene_count; i++)
            if (!test_song_on_grid(a.beats, a.beat_count, plan.scenes[i].start))
                fail_msg("count %d: cut %zu at %.3f is not on a beat", counts[c], i,
                         plan.scenes[i].start);
        mv_plan_free(&plan);
    }
    test_song_free(&a);
}

static void test_timed_lyrics_lead_the_cuts(void **state)
{
    (void)state;
    mv_analysis a;
    make_song(&a);
    mv_lyrics l;
    mv_error err;
    assert_int_equal(mv_lyrics_parse("[00:12.30][Verse 1]\n[00:12.30]first verse line\n"
                                     "[00:20.00]second verse line\n"
                                     "[00:40.30][Chorus]\n[00:40.30]chorus line one\n"
                                     "[00:48.00]chorus line two\n"
                                     "[01:10.15][Verse 2]\n[01:10.15]third verse line\n"
                                     "[01:40.00][Chorus]\n[01:40.00]chorus line one\n",
                                     &l, &err),
                     MAIVID_OK);
    mv_plan plan;
    plan_ok(&a, &l, 0, &plan);
    assert_tiles(&plan, a.duration);
    /* 12.3 -> downbeat 12.1, 40.3 -> 40.1, 70.15 -> 70.1, 100.0 -> 100.1 */
    const double expected[] = {12.1, 40.1, 70.1, 100.1};
    for (size_t e = 0; e < 4; e++) {
        int found = 0;
        for (size_t i = 1; i < plan.scene_count; i++)
            if (fabs(plan.scenes[i].start - expected[e]) < 1e-6)
                found = 1;
        if (!found)
            fail_msg("no cut at the downbeat %.2f s", expected[e]);
    }
    /* each line sits in the scene that contains its time */
    for (size_t i = 0; i < l.line_count; i++) {
        size_t hits = 0;
        for (size_t j = 0; j < plan.scene_count; j++) {
            if (strstr(plan.scenes[j].lyrics, l.lines[i].text)) {
                if (l.lines[i].time >= plan.scenes[j].start &&
                    l.lines[i].time < plan.scenes[j].end)
                    hits++;
            }
        }
        if (hits != 1)
            fail_msg("line \"%s\" is not in exactly the scene of its time", l.lines[i].text);
    }
    /* the scene at 40.1 s is a chorus, the first scene the intro */
    for (size_t j = 0; j < plan.scene_count; j++)
        if (fabs(plan.scenes[j].start - 40.1) < 1e-6)
            assert_string_equal(plan.scenes[j].section, "chorus");
    assert_string_equal(plan.scenes[0].section, "intro");
    mv_plan_free(&plan);
    mv_lyrics_free(&l);
    test_song_free(&a);
}

static void test_untimed_lyrics_spread_in_order(void **state)
{
    (void)state;
    mv_analysis a;
    make_song(&a);
    mv_lyrics l;
    mv_error err;
    assert_int_equal(mv_lyrics_parse("[Verse 1]\nl1\nl2\nl3\nl4\n[Chorus]\nl5\nl6\n[Verse 2]\n"
                                     "l7\nl8\nl9\nl10\n[Chorus]\nl11\nl12\n[Outro]\nl13\n",
                                     &l, &err),
                     MAIVID_OK);
    mv_plan plan;
    plan_ok(&a, &l, 6, &plan);
    char joined[256] = "";
    for (size_t j = 0; j < plan.scene_count; j++) {
        if (*plan.scenes[j].lyrics) {
            if (*joined)
                strcat(joined, "\n");
            strcat(joined, plan.scenes[j].lyrics);
        }
    }
    assert_string_equal(joined, "l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\nl11\nl12\nl13");
    /* spread over the song: neither all in the first scene nor all in the last */
    assert_true(strlen(plan.scenes[0].lyrics) < 20);
    assert_true(*plan.scenes[plan.scene_count - 1].lyrics);
    mv_plan_free(&plan);
    mv_lyrics_free(&l);
    test_song_free(&a);
}

static void test_scenes_hold_their_transitions(void **state)
{
    (void)state;
    mv_analysis a;
    test_song_make(&a, 30.0, 100.0, 0.0, song_starts, NULL, 1);
    mv_plan plan;
    plan_ok(&a, NULL, 60, &plan); /* 0.5 s scenes with 1 s transitions asked for */
    assert_int_equal(plan.scene_count, 60);
    assert_tiles(&plan, a.duration);
    for (size_t i = 0; i < plan.scene_count; i++) {
        double len = plan.scenes[i].end - plan.scenes[i].start;
        double in = i > 0 ? plan.scenes[i - 1].transition_duration : 0;
        double out = plan.scenes[i].transition_duration;
        assert_true(out <= 1.0 + 1e-9);
        if (in + out > len + 1e-9)
            fail_msg("scene %zu (%.3f s) cannot hold transitions of %.3f + %.3f s", i, len,
                     in, out);
    }
    assert_string_equal(plan.scenes[plan.scene_count - 1].transition, "none");
    mv_plan_free(&plan);
    /* long scenes keep the asked duration */
    plan_ok(&a, NULL, 3, &plan);
    assert_true(fabs(plan.scenes[0].transition_duration - 1.0) < 1e-9);
    assert_string_equal(plan.scenes[0].transition, "fade");
    mv_plan_free(&plan);
    test_song_free(&a);
}

static void test_short_and_beatless_songs(void **state)
{
    (void)state;
    mv_analysis a;
    test_song_make(&a, 3.0, 0.0, 0.0, song_starts, NULL, 1);
    mv_plan plan;
    plan_ok(&a, NULL, 0, &plan);
    assert_int_equal(plan.scene_count, 1);
    assert_tiles(&plan, 3.0);
    mv_plan_free(&plan);
    plan_ok(&a, NULL, 4, &plan);
    assert_int_equal(plan.scene_count, 4);
    assert_tiles(&plan, 3.0);
    mv_plan_free(&plan);
    test_song_free(&a);

    test_song_make(&a, 95.0, 0.0, 0.0, song_starts, NULL, 4); /* no beats at all */
    plan_ok(&a, NULL, 0, &plan);
    assert_tiles(&plan, 95.0);
    for (size_t i = 0; i < plan.scene_count; i++)
        assert_true(plan.scenes[i].end - plan.scenes[i].start <= 15.0 + 1e-9);
    mv_plan_free(&plan);
    test_song_free(&a);
}

static void test_invalid_input(void **state)
{
    (void)state;
    mv_analysis a;
    make_song(&a);
    mv_plan_input in;
    memset(&in, 0, sizeof in);
    in.analysis = &a;
    in.style_id = "cinematic";
    in.scene_count = 121;
    mv_plan plan;
    mv_error err;
    assert_int_equal(mv_plan_build(&in, &plan, NULL, &err), MAIVID_E_INVALID);
    assert_non_null(strstr(err.message, "1 to 120"));
    in.scene_count = 0;
    in.style_id = "nope";
    assert_int_equal(mv_plan_build(&in, &plan, NULL, &err), MAIVID_E_INVALID);
    assert_non_null(strstr(err.message, "nope"));
    assert_non_null(strstr(err.message, "cinematic"));
    assert_non_null(strstr(err.message, "noir"));
    in.style_id = "cinematic";
    a.duration = 0;
    assert_int_not_equal(mv_plan_build(&in, &plan, NULL, &err), MAIVID_OK);
    a.duration = 180.0;
    atomic_int cancel = 1;
    mv_task task = {NULL, NULL, &cancel, NULL};
    assert_int_equal(mv_plan_build(&in, &plan, &task, &err), MAIVID_E_CANCELLED);
    test_song_free(&a);
}

static void test_snap(void **state)
{
    (void)state;
    mv_analysis a;
    make_song(&a);
    assert_true(fabs(mv_plan_snap(&a, 40.3, 0.6) - 40.1) < 1e-9);  /* downbeat */
    assert_true(fabs(mv_plan_snap(&a, 15.3, 0.6) - 15.1) < 1e-9);  /* beat */
    assert_true(fabs(mv_plan_snap(&a, 15.3, 0.1) - 15.3) < 1e-9);  /* none near */
    test_song_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auto_count_tiles_on_beats),
        cmocka_unit_test(test_clip_length_scenes),
        cmocka_unit_test(test_exact_counts),
        cmocka_unit_test(test_many_songs),
        cmocka_unit_test(test_timed_lyrics_lead_the_cuts),
        cmocka_unit_test(test_untimed_lyrics_spread_in_order),
        cmocka_unit_test(test_scenes_hold_their_transitions),
        cmocka_unit_test(test_short_and_beatless_songs),
        cmocka_unit_test(test_invalid_input),
        cmocka_unit_test(test_snap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
