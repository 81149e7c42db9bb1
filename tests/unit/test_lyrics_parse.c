/*
 * test_lyrics_parse.c - the lyrics parser: section markers in their many spellings never
 * become text, numbering and case are free, LRC line and word times, metadata tags,
 * offsets, compressed LRC, empty (instrumental) lyrics, stanzas of unmarked text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "plan/mv_lyrics.h"
#include "plan/mv_plan_parts.h"

static void parse_ok(const char *text, mv_lyrics *l)
{
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_lyrics_parse(text, l, &err), MAIVID_OK);
}

static void assert_no_brackets(const mv_lyrics *l)
{
    for (size_t i = 0; i < l->line_count; i++) {
        assert_null(strchr(l->lines[i].text, '['));
        assert_null(strchr(l->lines[i].text, ']'));
        assert_null(strchr(l->lines[i].text, '<'));
        assert_null(strchr(l->lines[i].text, '\n'));
    }
}

static void test_markers_numbering_and_case(void **state)
{
    (void)state;
    mv_lyrics l;
    parse_ok("[Intro]\n"
             "[Verse 1]\nWalking down the empty street\nNeon bleeding at my feet\n\n"
             "[pre-chorus]\nHold on\n"
             "[CHORUS 2]\nWe are the fire in the rain\n"
             "[verse]\nSecond verse here\n"
             "[Pre Chorus]\nAgain\n"
             "[Bridge]\nBridge line\n"
             "[Hook]\nHook line\n"
             "[Instrumental]\n"
             "[Outro]\nGoodbye\n",
             &l);
    assert_int_equal(l.timed, 0);
    assert_int_equal(l.line_count, 9);
    assert_no_brackets(&l);
    const char *kinds[] = {"intro", "verse", "pre-chorus", "chorus", "verse", "pre-chorus",
                           "bridge", "hook", "instrumental", "outro"};
    const int numbers[] = {0, 1, 0, 2, 0, 0, 0, 0, 0, 0};
    assert_int_equal(l.section_count, 10);
    for (size_t s = 0; s < 10; s++) {
        assert_string_equal(l.sections[s].kind, kinds[s]);
        assert_int_equal(l.sections[s].number, numbers[s]);
        assert_true(l.sections[s].start < 0);
    }
    assert_int_equal(l.sections[0].line_count, 0);
    assert_int_equal(l.sections[1].line_count, 2);
    assert_int_equal(l.sections[8].line_count, 0);
    assert_string_equal(l.lines[0].text, "Walking down the empty street");
    assert_string_equal(l.lines[1].text, "Neon bleeding at my feet");
    assert_int_equal(l.lines[0].section, 1);
    assert_string_equal(l.lines[3].text, "We are the fire in the rain");
    assert_int_equal(l.lines[3].section, 3);
    assert_true(l.lines[0].time < 0);
    mv_lyrics_free(&l);
}

static void test_other_marker_spellings(void **state)
{
    (void)state;
    mv_lyrics l;
    parse_ok("(Chorus)\nla la light\n(oh oh oh)\n"
             "Verse 2:\nline two\n"
             "[Verse 3: Rapper Name]\nline three\n"
             "[Guitar Solo]\n"
             "[Chorus x2]\nagain\n"
             "[Soft piano, whispered]\nstill text\n"
             "[Refrain]\nsing the refrain\n"
             "I walk [whispered] alone\n",
             &l);
    assert_no_brackets(&l);
    assert_string_equal(l.sections[0].kind, "chorus");
    assert_string_equal(l.lines[0].text, "la la light");
    /* sung parentheses are lyrics, not markers */
    assert_string_equal(l.lines[1].text, "(oh oh oh)");
    assert_string_equal(l.sections[1].kind, "verse");
    assert_int_equal(l.sections[1].number, 2);
    assert_string_equal(l.sections[2].kind, "verse");
    assert_int_equal(l.sections[2].number, 3);
    assert_string_equal(l.sections[3].kind, "instrumental");
    assert_int_equal(l.sections[3].line_count, 0);
    assert_string_equal(l.sections[4].kind, "chorus");
    /* a performance note is neither a section nor text */
    assert_int_equal(l.sections[4].line_count, 2);
    assert_string_equal(l.lines[5].text, "still text");
    assert_string_equal(l.sections[5].kind, "chorus");
    assert_string_equal(l.lines[7].text, "I walk alone");
    assert_int_equal(l.line_count, 8);
    mv_lyrics_free(&l);
}

static void test_lrc_times_and_metadata(void **state)
{
    (void)state;
    mv_lyrics l;
    parse_ok("[ar: Some Artist]\n[ti:Title]\n[al:Album]\n[length: 03:10]\n[by:me]\n"
             "[00:00.00]\n"
             "[00:12.50][Verse 1]\n"
             "[00:12.50]Walking in the rain\n"
             "[00:15.75]Under a silver moon\n"
             "[Chorus]\n"
             "[00:30.00]Fire in the sky\n"
             "[01:02.5]Fire in the sky again\n"
             "[00:45:50]hundredths form\n",
             &l);
    assert_int_equal(l.timed, 1);
    assert_int_equal(l.line_count, 5);
    assert_no_brackets(&l);
    assert_string_equal(l.lines[0].text, "Walking in the rain");
    assert_true(fabs(l.lines[0].time - 12.5) < 1e-9);
    assert_true(fabs(l.lines[1].time - 15.75) < 1e-9);
    assert_true(fabs(l.lines[3].time - 62.5) < 1e-9);
    assert_true(fabs(l.lines[4].time - 45.5) < 1e-9);
    assert_int_equal(l.section_count, 2);
    assert_string_equal(l.sections[0].kind, "verse");
    assert_true(fabs(l.sections[0].start - 12.5) < 1e-9);
    assert_string_equal(l.sections[1].kind, "chorus");
    assert_true(fabs(l.sections[1].start - 30.0) < 1e-9);
    for (size_t i = 0; i < l.line_count; i++) {
        assert_null(strstr(l.lines[i].text, "Artist"));
        assert_null(strstr(l.lines[i].text, "Album"));
    }
    mv_lyrics_free(&l);
}

static void test_enhanced_lrc(void **state)
{
    (void)state;
    mv_lyrics l;
    parse_ok("[00:10.00]<00:10.00>Golden <00:10.40>light <00:11.00>falls\n"
             "<00:20.25>Only <00:20.80>word <00:21.00>times\n",
             &l);
    assert_int_equal(l.line_count, 2);
    assert_int_equal(l.timed, 1);
    assert_string_equal(l.lines[0].text, "Golden light falls");
    assert_true(fabs(l.lines[0].time - 10.0) < 1e-9);
    /* a line with only word times takes the first as its time */
    assert_string_equal(l.lines[1].text, "Only word times");
    assert_true(fabs(l.lines[1].time - 20.25) < 1e-9);
    mv_lyrics_free(&l);
}

static void test_offset_and_compressed_lrc(void **state)
{
    (void)state;
    mv_lyrics l;
    parse_ok("[offset:+500]\n[00:10.00][00:40.00]Chorus line\n[00:20.00]Verse line\n", &l);
    assert_int_equal(l.line_count, 3);
    assert_string_equal(l.lines[0].text, "Chorus line");
    assert_true(fabs(l.lines[0].time - 9.5) < 1e-9);
    assert_string_equal(l.lines[1].text, "Verse line");
    assert_true(fabs(l.lines[1].time - 19.5) < 1e-9);
    assert_string_equal(l.lines[2].text, "Chorus line");
    assert_true(fabs(l.lines[2].time - 39.5) < 1e-9);
    for (size_t i = 1; i < l.line_count; i++)
        assert_true(l.lines[i].time >= l.lines[i - 1].time);
    mv_lyrics_free(&l);
}

static void test_empty_is_instrumental(void **state)
{
    (void)state;
    mv_lyrics l;
    parse_ok("", &l);
    assert_int_equal(l.line_count, 0);
    assert_int_equal(l.timed, 0);
    mv_lyrics_free(&l);
    parse_ok("  \n\t\r\n \n", &l);
    assert_int_equal(l.line_count, 0);
    mv_lyrics_free(&l);
    parse_ok("[Instrumental]\n", &l);
    assert_int_equal(l.line_count, 0);
    assert_int_equal(l.section_count, 1);
    assert_string_equal(l.sections[0].kind, "instrumental");
    mv_lyrics_free(&l);
    parse_ok(NULL, &l);
    assert_int_equal(l.line_count, 0);
    mv_lyrics_free(&l);
}

static void test_plain_stanzas_crlf_bom(void **state)
{
    (void)state;
    mv_lyrics l;
    parse_ok("\xEF\xBB\xBFOne line\r\ntwo line\r\n\r\nthree line\rfour line\n", &l);
    assert_int_equal(l.line_count, 4);
    assert_string_equal(l.lines[0].text, "One line");
    assert_string_equal(l.lines[3].text, "four line");
    /* unmarked text: each stanza is a "verse" section */
    assert_int_equal(l.section_count, 2);
    assert_string_equal(l.sections[0].kind, "verse");
    assert_int_equal(l.sections[0].line_count, 2);
    assert_int_equal(l.sections[1].line_count, 2);
    mv_lyrics_free(&l);
}

static void test_bare_words_that_are_lyrics(void **state)
{
    (void)state;
    mv_lyrics l;
    /* "Break" or "Drop" alone may be sung; "Chorus" alone is a marker */
    parse_ok("Break\nDrop\nChorus\nsung\n", &l);
    assert_int_equal(l.line_count, 3);
    assert_string_equal(l.lines[0].text, "Break");
    assert_string_equal(l.lines[1].text, "Drop");
    assert_string_equal(l.sections[l.section_count - 1].kind, "chorus");
    assert_string_equal(l.lines[2].text, "sung");
    mv_lyrics_free(&l);
}

static void test_lrc_time_tokens(void **state)
{
    (void)state;
    double t;
    assert_true(mv_lrc_parse_time("01:02.345", 9, &t));
    assert_true(fabs(t - 62.345) < 1e-9);
    assert_true(mv_lrc_parse_time("1:02", 4, &t));
    assert_true(fabs(t - 62.0) < 1e-9);
    assert_false(mv_lrc_parse_time("Verse 1", 7, &t));
    assert_false(mv_lrc_parse_time("01:75.00", 8, &t));
    assert_false(mv_lrc_parse_time("ar:x", 4, &t));
    assert_false(mv_lrc_parse_time("", 0, &t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_markers_numbering_and_case),
        cmocka_unit_test(test_other_marker_spellings),
        cmocka_unit_test(test_lrc_times_and_metadata),
        cmocka_unit_test(test_enhanced_lrc),
        cmocka_unit_test(test_offset_and_compressed_lrc),
        cmocka_unit_test(test_empty_is_instrumental),
        cmocka_unit_test(test_plain_stanzas_crlf_bom),
        cmocka_unit_test(test_bare_words_that_are_lyrics),
        cmocka_unit_test(test_lrc_time_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
