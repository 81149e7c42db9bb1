/*
 * test_analysis_speed.c - a 3-minute song (44.1 kHz stereo WAV, the usual case) analyses in
 * a small fraction of its length, and the result still holds on the long song: the tempo,
 * and the chorus boundaries.
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

#define SONG_SECONDS 180.0
/* generous for a shared, loaded test machine; a free core needs about 1 % of the length */
#define MAX_SHARE 0.10

static void test_three_minute_song(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("analysis-speed");
    assert_non_null(dir);
    char path[4096];
    snprintf(path, sizeof path, "%s/song.wav", dir);
    mv_test_song song = {.seconds = SONG_SECONDS, .bpm = 124, .loud_start = 61.5,
                         .loud_end = 120.5, .sample_rate = 44100, .channels = 2};
    assert_int_equal(mv_test_write_song_wav(path, &song), 0);

    mv_analysis a;
    mv_error err = {0};
    double t0 = mv_monotonic();
    assert_int_equal(mv_analyse_audio(path, &a, NULL, &err), MAIVID_OK);
    double took = mv_monotonic() - t0;
    print_message("analysed a %.0f s song in %.2f s (%.2f %% of its length): %.2f bpm, "
                  "%zu beats, %zu onsets, %zu sections\n",
                  SONG_SECONDS, took, 100 * took / SONG_SECONDS, a.bpm, a.beat_count,
                  a.onset_count, a.section_count);
    assert_true(took < MAX_SHARE * SONG_SECONDS);
    assert_true(fabs(a.bpm - 124) / 124 < 0.02);
    assert_int_equal(a.section_count, 3);
    assert_true(fabs(a.sections[1].start - 61.5) < 1.0);
    assert_true(fabs(a.sections[2].start - 120.5) < 1.0);
    mv_analysis_free(&a);
    mv_remove_tree(dir, NULL);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_minute_song),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
