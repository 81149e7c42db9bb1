/*
 * test_analysis_example_song.c - the bundled example song "Neon Harbor" (AAC in M4A, with
 * drums, bass, pads, a lead and spoken vocals; 120 bpm, 4/4, sections intro 0-8 s, verse
 * 8-24, chorus 24-40, bridge 40-48, chorus 48-56, outro 56-64; see
 * scripts/make-example-song.py): a closer stand-in for real music than clicks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis/mv_analysis_internal.h"

static void test_neon_harbor(void **state)
{
    (void)state;
    const char *path = MAIVID_TEST_SOURCE_DIR "/examples/song/neon-harbor.m4a";
    mv_analysis a;
    mv_error err = {0};
    double t0 = mv_monotonic();
    maivid_code rc = mv_analyse_audio(path, &a, NULL, &err);
    double took = mv_monotonic() - t0;
    if (rc != MAIVID_OK)
        print_message("%s\n", err.message);
    assert_int_equal(rc, MAIVID_OK);
    assert_true(fabs(a.duration - 64) < 0.1);
    print_message("neon-harbor: %.3f bpm, %zu beats, %zu downbeats, %zu sections, %.2f s\n",
                  a.bpm, a.beat_count, a.downbeat_count, a.section_count, took);
    assert_true(fabs(a.bpm - 120) < 2.4);

    /* beats on the half-second grid; a few may lean towards a sung syllable */
    size_t close = 0;
    for (size_t i = 0; i < a.beat_count; i++)
        if (fabs(a.beats[i] - 0.5 * round(a.beats[i] / 0.5)) < 0.03)
            close++;
    print_message("beats within 30 ms of the grid: %zu of %zu\n", close, a.beat_count);
    assert_true(a.beat_count >= 120 && a.beat_count <= 130);
    assert_true(close * 100 >= a.beat_count * 95);

    /* bars start every 2 s (kick on 1 and 3, snare on 2 and 4) */
    size_t on_bar = 0;
    for (size_t i = 0; i < a.downbeat_count; i++)
        if (fabs(a.downbeats[i] - 2.0 * round(a.downbeats[i] / 2.0)) < 0.05)
            on_bar++;
    print_message("downbeats on a bar start: %zu of %zu\n", on_bar, a.downbeat_count);
    assert_true(on_bar * 100 >= a.downbeat_count * 90);

    /* every true section change is found within 1 s */
    const double changes[] = {8, 24, 40, 48, 56};
    for (size_t c = 0; c < sizeof changes / sizeof changes[0]; c++) {
        double nearest = 1e9;
        for (size_t s = 1; s < a.section_count; s++)
            nearest = fmin(nearest, fabs(a.sections[s].start - changes[c]));
        print_message("change at %.0f s: found %.2f s away\n", changes[c], nearest);
        assert_true(nearest < 1.0);
    }
    assert_true(a.section_count <= 8);
    /* the choruses are the loud parts */
    double chorus = mv_analysis_energy_between(&a, 25, 39);
    double intro = mv_analysis_energy_between(&a, 0, 7);
    assert_true(chorus > intro);
    mv_analysis_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_neon_harbor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
