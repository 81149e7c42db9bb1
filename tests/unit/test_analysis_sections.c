/*
 * test_analysis_sections.c - song structure on synthesized songs: the section changes at the
 * loud chorus's start and end are found (within 1 s), the sections tile the whole song with
 * no gap or overlap, the chorus is the loudest, the energy envelope and
 * mv_analysis_energy_between follow the loudness, and downbeats fall every 4 beats with the
 * chorus starting on one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis/mv_analysis_internal.h"
#include "mv_test_util.h"

static void analyse_song(const mv_test_song *song, mv_analysis *a)
{
    char *dir = mv_test_tmpdir("analysis-sections");
    assert_non_null(dir);
    char path[4096];
    snprintf(path, sizeof path, "%s/song.wav", dir);
    assert_int_equal(mv_test_write_song_wav(path, song), 0);
    mv_error err = {0};
    maivid_code rc = mv_analyse_audio(path, a, NULL, &err);
    if (rc != MAIVID_OK)
        print_message("analysis failed: %s\n", err.message);
    assert_int_equal(rc, MAIVID_OK);
    mv_remove_tree(dir, NULL);
    free(dir);
}

static void assert_tiles(const mv_analysis *a)
{
    assert_true(a->section_count >= 1);
    assert_true(a->sections[0].start == 0.0);
    for (size_t i = 0; i < a->section_count; i++) {
        assert_true(a->sections[i].end > a->sections[i].start);
        assert_true(a->sections[i].energy >= 0 && a->sections[i].energy <= 1);
        if (i > 0)
            assert_true(a->sections[i].start == a->sections[i - 1].end);
    }
    assert_true(a->sections[a->section_count - 1].end == a->duration);
}

static void test_chorus_found(void **state)
{
    (void)state;
    mv_test_song song = {.seconds = 60, .bpm = 120, .loud_start = 21.5, .loud_end = 45.5,
                         .sample_rate = 22050, .channels = 1};
    mv_analysis a;
    analyse_song(&song, &a);
    for (size_t i = 0; i < a.section_count; i++)
        print_message("section %zu: %.2f .. %.2f s, energy %.2f\n", i, a.sections[i].start,
                      a.sections[i].end, a.sections[i].energy);
    assert_tiles(&a);
    assert_int_equal(a.section_count, 3);
    assert_true(fabs(a.sections[1].start - 21.5) < 1.0);
    assert_true(fabs(a.sections[1].end - 45.5) < 1.0);
    assert_true(a.sections[1].energy == 1.0); /* the chorus is the loudest */
    assert_true(a.sections[0].energy < 0.5);
    assert_true(a.sections[2].energy < 0.5);

    /* the envelope: 0..1, louder in the chorus */
    assert_true(a.energy_rate > 10);
    assert_true(fabs((double)a.energy_count / a.energy_rate - 60) < 0.1);
    for (size_t i = 0; i < a.energy_count; i++)
        assert_true(a.energy[i] >= 0 && a.energy[i] <= 1);
    double verse = mv_analysis_energy_between(&a, 2, 20);
    double chorus = mv_analysis_energy_between(&a, 23, 44);
    print_message("energy: verse %.3f, chorus %.3f\n", verse, chorus);
    assert_true(chorus > 2 * verse);
    assert_true(chorus > 0.3 && chorus <= 1);
    /* reversed, tiny and out-of-song spans stay sane */
    assert_true(fabs(mv_analysis_energy_between(&a, 44, 23) - chorus) < 1e-9);
    double tiny = mv_analysis_energy_between(&a, 30.0, 30.0);
    assert_true(tiny >= 0 && tiny <= 1);
    double beyond = mv_analysis_energy_between(&a, 100, 120);
    assert_true(beyond >= 0 && beyond <= 1);
    assert_true(mv_analysis_energy_between(NULL, 0, 1) == 0);

    /* downbeats: every 4th beat, and the chorus (beat 43, not a multiple of 4 from the song's
     * start) starts a bar */
    assert_true(a.downbeat_count >= a.beat_count / 4);
    assert_true(a.downbeat_count <= a.beat_count / 4 + 1);
    size_t first = 0;
    while (first < a.beat_count && a.beats[first] != a.downbeats[0])
        first++;
    assert_true(first < 4);
    for (size_t k = 0; k < a.downbeat_count; k++)
        assert_true(a.downbeats[k] == a.beats[first + 4 * k]);
    double nearest = 1e9;
    for (size_t k = 0; k < a.downbeat_count; k++)
        nearest = fmin(nearest, fabs(a.downbeats[k] - 21.5));
    print_message("downbeat nearest to the chorus start: %.1f ms away\n", 1000 * nearest);
    assert_true(nearest < 0.03);
    mv_analysis_free(&a);
}

static void test_steady_song_is_one_section(void **state)
{
    (void)state;
    mv_test_song song = {.seconds = 40, .bpm = 100, .sample_rate = 22050, .channels = 1};
    mv_analysis a;
    analyse_song(&song, &a);
    assert_tiles(&a);
    assert_int_equal(a.section_count, 1);
    assert_true(a.sections[0].energy == 1.0);
    mv_analysis_free(&a);
}

static void test_no_beats_no_tempo(void **state)
{
    (void)state;
    /* a soft pad with a loud part and no clicks: no steady tempo, but still sections */
    mv_test_song song = {.seconds = 30, .bpm = 0, .loud_start = 10, .loud_end = 20,
                         .sample_rate = 22050, .channels = 1};
    mv_analysis a;
    analyse_song(&song, &a);
    print_message("no clicks: bpm %.2f, %zu beats, %zu sections\n", a.bpm, a.beat_count,
                  a.section_count);
    assert_true(a.bpm == 0);
    assert_int_equal(a.beat_count, 0);
    assert_int_equal(a.downbeat_count, 0);
    assert_tiles(&a);
    assert_int_equal(a.section_count, 3);
    assert_true(fabs(a.sections[1].start - 10) < 1.0);
    assert_true(fabs(a.sections[2].start - 20) < 1.0);
    mv_analysis_free(&a);
}

static void test_short_song(void **state)
{
    (void)state;
    mv_test_song song = {.seconds = 1.5, .bpm = 120, .sample_rate = 22050, .channels = 1};
    mv_analysis a;
    analyse_song(&song, &a);
    assert_true(fabs(a.duration - 1.5) < 0.01);
    assert_tiles(&a);
    assert_int_equal(a.section_count, 1);
    mv_analysis_free(&a);
}

static void test_downbeats_follow_section_starts(void **state)
{
    (void)state;
    double beats[16];
    for (int i = 0; i < 16; i++)
        beats[i] = 0.5 * i;
    mv_section sections[2] = {{0, 3.0, 0.2}, {3.0, 8.0, 1.0}}; /* change on beat 6 */
    double *down = NULL;
    size_t n = 0;
    assert_int_equal(mv_downbeats_find(beats, 16, NULL, 0, sections, 2, &down, &n), 0);
    assert_int_equal(n, 4);
    assert_true(down[0] == 1.0 && down[1] == 3.0);
    free(down);
    assert_int_equal(mv_downbeats_find(beats, 3, NULL, 0, sections, 2, &down, &n), 0);
    assert_int_equal(n, 0);
    assert_null(down);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chorus_found),
        cmocka_unit_test(test_steady_song_is_one_section),
        cmocka_unit_test(test_no_beats_no_tempo),
        cmocka_unit_test(test_short_song),
        cmocka_unit_test(test_downbeats_follow_section_starts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
