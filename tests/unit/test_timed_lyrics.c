/*
 * test_timed_lyrics.c - lyrics_timed.json: a record with line and word times saved and
 * loaded back is the same record; records that break the invariants (lines out of order or
 * overlapping, words outside their line, times outside the song) are refused naming the
 * line; damaged files are refused with MAIVID_E_CORRUPT.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "captions/mv_timed_lyrics.h"
#include "mv_test_util.h"

static mv_timed_word words_a[] = {{"Harbor", 1.0, 1.5}, {"lights", 1.5, 2.5}};
static mv_timed_word words_b[] = {{"glow", 3.0, 3.4}, {"tonight", 3.4, 4.2}};

static mv_timed_lyrics sample(mv_timed_line lines[2])
{
    lines[0] = (mv_timed_line){"Harbor lights", 1.0, 2.5, "verse", words_a, 2};
    lines[1] = (mv_timed_line){"glow tonight", 3.0, 4.2, NULL, words_b, 2};
    return (mv_timed_lyrics){lines, 2, MV_TIMING_USER, 1.0, 1};
}

static void test_round_trip(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("timed-lyrics");
    assert_non_null(dir);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, MV_TIMED_LYRICS_FILE);
    mv_timed_line lines[2];
    mv_timed_lyrics in = sample(lines);
    mv_error err = {0};
    assert_int_equal(mv_timed_lyrics_save(&in, path, &err), MAIVID_OK);
    mv_timed_lyrics out;
    assert_int_equal(mv_timed_lyrics_load(path, &out, &err), MAIVID_OK);
    assert_int_equal(out.line_count, 2);
    assert_int_equal(out.source, MV_TIMING_USER);
    assert_true(out.has_word_times);
    assert_string_equal(out.lines[0].text, "Harbor lights");
    assert_string_equal(out.lines[0].section, "verse");
    assert_null(out.lines[1].section);
    assert_int_equal(out.lines[1].word_count, 2);
    assert_string_equal(out.lines[1].words[1].text, "tonight");
    assert_true(out.lines[1].words[1].start == 3.4 && out.lines[1].words[1].end == 4.2);
    mv_timed_lyrics_free(&out);
    assert_int_equal(out.line_count, 0);
    free(dir);
}

static void test_invariants(void **state)
{
    (void)state;
    mv_timed_line lines[2];
    mv_timed_lyrics l = sample(lines);
    mv_error err = {0};
    assert_int_equal(mv_timed_lyrics_check(&l, 5.0, &err), MAIVID_OK);
    assert_int_equal(mv_timed_lyrics_check(&l, 4.0, &err), MAIVID_E_INVALID);
    assert_non_null(strstr(err.message, "line 2"));
    lines[1].start = 2.0; /* overlaps line 1 */
    assert_int_equal(mv_timed_lyrics_check(&l, 0.0, &err), MAIVID_E_INVALID);
    assert_non_null(strstr(err.message, "line 2"));
    l = sample(lines);
    mv_timed_word late[] = {{"Harbor", 1.0, 1.5}, {"lights", 1.5, 2.9}};
    lines[0].words = late;
    assert_int_equal(mv_timed_lyrics_check(&l, 0.0, &err), MAIVID_E_INVALID);
    assert_non_null(strstr(err.message, "line 1"));
    l = sample(lines);
    lines[0].word_count = 0; /* claims word times but a line has none */
    assert_int_equal(mv_timed_lyrics_check(&l, 0.0, &err), MAIVID_E_INVALID);
    assert_string_equal(mv_timing_source_name(MV_TIMING_STT), "speech_to_text");
    assert_int_equal(mv_timing_source_from_name("estimated"), MV_TIMING_ESTIMATED);
    assert_int_equal(mv_timing_source_from_name("bogus"), MV_TIMING_NONE);
}

static void test_damaged_files(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("timed-lyrics-bad");
    assert_non_null(dir);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, MV_TIMED_LYRICS_FILE);
    static const char *const bad[] = {
        "{\"lines\": [{\"text\": \"a\", \"start\": 1}]",
        "{\"lines\": 3}",
        "{\"lines\": [{\"text\": \"a\", \"start\": 2, \"end\": 1}]}",
        "{\"lines\": [{\"text\": \"a\", \"start\": 1, \"end\": 2, \"words\": "
        "[{\"text\": \"a\", \"start\": 0.5, \"end\": 1.5}]}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(bad[i], f);
        fclose(f);
        mv_timed_lyrics out;
        mv_error err = {0};
        assert_int_equal(mv_timed_lyrics_load(path, &out, &err), MAIVID_E_CORRUPT);
        assert_non_null(strstr(err.message, "damaged"));
        assert_int_equal(out.line_count, 0);
        assert_null(out.lines);
    }
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_invariants),
        cmocka_unit_test(test_damaged_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
