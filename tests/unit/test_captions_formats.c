/*
 * test_captions_formats.c - the timed lyric formats: LRC (with sections, offsets, repeated
 * tags and enhanced word tags), SRT and WebVTT (with karaoke timestamp tags) are read into
 * line and word times; every bad file is refused naming its line; each sidecar writer's
 * output (SRT, VTT, LRC, ASS) read back with our own parsers gives the same times to the
 * video frame; the ASS script holds its style and karaoke tags.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "captions/mv_captions.h"
#include "mv_test_util.h"

static void assert_near(double a, double b)
{
    if (fabs(a - b) > 1e-6)
        fail_msg("%.6f != %.6f", a, b);
}

static void test_lrc_lines_and_sections(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF[ti:Song]\n[offset:+500]\n[00:08.50][Verse 1]\n"
                       "[00:08.50]Blue lights on the water\n"
                       "[00:12.00]Silver rain [whispered]\n[00:15.00]\n"
                       "[Chorus]\n[00:20.00][00:40.00]We are fire\n[guitar solo]\n";
    mv_timed_lyrics l;
    mv_error err = {0};
    assert_int_equal(mv_lyrics_detect_format(text), MV_LYRICS_LRC);
    assert_int_equal(mv_user_timed_parse(text, 0, &l, &err), MAIVID_OK);
    assert_int_equal(l.line_count, 4);
    assert_int_equal(l.source, MV_TIMING_USER);
    assert_string_equal(l.lines[0].text, "Blue lights on the water");
    assert_string_equal(l.lines[0].section, "verse");
    assert_near(l.lines[0].start, 8.0); /* offset +500 ms: earlier */
    assert_near(l.lines[0].end, 11.5);  /* until the next line */
    assert_string_equal(l.lines[1].text, "Silver rain");
    assert_near(l.lines[1].end, 14.5);  /* the empty timed line ends it */
    assert_string_equal(l.lines[2].section, "chorus");
    assert_near(l.lines[2].start, 19.5);
    assert_near(l.lines[2].end, 26.5);  /* capped: no caption through the gap */
    assert_near(l.lines[3].start, 39.5);
    assert_false(l.has_word_times);
    mv_timed_lyrics_free(&l);
}

static void test_lrc_timed_marker_ends_line(void **state)
{
    (void)state;
    /* a timed section marker starts a part without words: the line before ends there */
    const char *text = "[00:01.00]First line\n[00:04.00][Instrumental]\n[00:09.00]Back again\n";
    mv_timed_lyrics l;
    mv_error err = {0};
    assert_int_equal(mv_user_timed_parse(text, 0, &l, &err), MAIVID_OK);
    assert_int_equal(l.line_count, 2);
    assert_near(l.lines[0].end, 4.0);
    assert_string_equal(l.lines[1].text, "Back again");
    assert_near(l.lines[1].start, 9.0);
    mv_timed_lyrics_free(&l);
}

static void test_enhanced_lrc_words(void **state)
{
    (void)state;
    const char *text = "[00:12.00]<00:12.00>Streetlights <00:12.90>hum <00:13.40>in a "
                       "<00:14.00>minor <00:15.02>\n[00:16.00]<00:16.00>Neon rain <00:18.00>\n";
    mv_timed_lyrics l;
    mv_error err = {0};
    assert_int_equal(mv_user_timed_parse(text, 0, &l, &err), MAIVID_OK);
    assert_int_equal(l.line_count, 2);
    assert_true(l.has_word_times);
    assert_string_equal(l.lines[0].text, "Streetlights hum in a minor");
    assert_near(l.lines[0].end, 15.02);
    assert_int_equal(l.lines[0].word_count, 5);
    assert_near(l.lines[0].words[1].start, 12.9);
    assert_near(l.lines[0].words[1].end, 13.4);
    assert_near(l.lines[0].words[2].end, 13.7); /* "in a" share 13.4-14.0 */
    assert_near(l.lines[0].words[3].start, 13.7);
    assert_near(l.lines[1].words[1].start, 17.0);
    assert_int_equal(mv_timed_lyrics_check(&l, 0, &err), MAIVID_OK);
    mv_timed_lyrics_free(&l);
}

static void test_srt(void **state)
{
    (void)state;
    const char *text = "1\r\n00:00:01,500 --> 00:00:04,000 X1:10\r\n<i>Harbor</i> lights\r\n"
                       "glow &amp; fade\r\n\r\n2\r\n00:01:02,250 --> 00:01:05,000\r\n"
                       "{\\an8}Second\r\n\r\n\r\n";
    mv_timed_lyrics l;
    mv_error err = {0};
    assert_int_equal(mv_lyrics_detect_format(text), MV_LYRICS_SRT);
    assert_int_equal(mv_user_timed_parse(text, 0, &l, &err), MAIVID_OK);
    assert_int_equal(l.line_count, 2);
    assert_string_equal(l.lines[0].text, "Harbor lights glow & fade");
    assert_near(l.lines[0].start, 1.5);
    assert_near(l.lines[0].end, 4.0);
    assert_string_equal(l.lines[1].text, "Second");
    assert_near(l.lines[1].start, 62.25);
    mv_timed_lyrics_free(&l);
    /* clipped to the song */
    assert_int_equal(mv_user_timed_parse(text, 3.0, &l, &err), MAIVID_OK);
    assert_int_equal(l.line_count, 1);
    assert_near(l.lines[0].end, 3.0);
    mv_timed_lyrics_free(&l);
}

static void test_vtt(void **state)
{
    (void)state;
    const char *text = "WEBVTT - lyrics\nKind: captions\n\nNOTE a comment\nspanning lines\n\n"
                       "STYLE\n::cue { color: red }\n\nintro\n00:01.000 --> 00:03.000 "
                       "align:center\n<v Singer>Harbor <00:01.800>lights</v>\n\n"
                       "01:00:02.000 --> 01:00:04.500\nLate line\n";
    mv_timed_lyrics l;
    mv_error err = {0};
    assert_int_equal(mv_lyrics_detect_format(text), MV_LYRICS_VTT);
    assert_int_equal(mv_user_timed_parse(text, 0, &l, &err), MAIVID_OK);
    assert_int_equal(l.line_count, 2);
    assert_string_equal(l.lines[0].text, "Harbor lights");
    assert_int_equal(l.lines[0].word_count, 2);
    assert_near(l.lines[0].words[0].end, 1.8);
    assert_near(l.lines[0].words[1].start, 1.8);
    assert_near(l.lines[0].words[1].end, 3.0);
    assert_int_equal(l.lines[1].word_count, 0);
    assert_near(l.lines[1].start, 3602.0);
    mv_timed_lyrics_free(&l);
}

static void expect_error(const char *text, const char *needle)
{
    mv_timed_lyrics l;
    mv_error err = {0};
    assert_int_equal(mv_user_lyrics_check(text, &err), MAIVID_E_INVALID);
    if (!strstr(err.message, needle))
        fail_msg("error '%s' does not say '%s'", err.message, needle);
    assert_int_equal(mv_user_timed_parse(text, 0, &l, &err), MAIVID_E_INVALID);
    assert_int_equal(l.line_count, 0);
}

static void test_bad_files_name_the_line(void **state)
{
    (void)state;
    expect_error("[00:01.00]ok\n[01:75.00]bad seconds\n", "lyrics line 2: '[01:75.00]'");
    expect_error("[00:01.00]ok <00:0x.00>word\n", "lyrics line 1");
    expect_error("[00:01.00]ok\nuntimed words\n", "lyrics line 2 has no time tag");
    expect_error("1\n00:00:01,000 --> 00:00:0x,000\nText\n", "lyrics line 2: '00:00:0x,000'");
    expect_error("1\n00:00:05,000 --> 00:00:01,000\nText\n", "lyrics line 2: the cue ends");
    expect_error("1\n00:00:01,000 --> 00:00:02,000\nA\n\n2\nno times\nB\n", "lyrics line 6");
    expect_error("WEBVTT\n\n00:01,000 --> 00:02.000\nA\n", "not a WebVTT time");
    expect_error("WEBVTT\n\nid\nno arrow\n", "lyrics line 4");
    /* plain text is fine */
    mv_error err = {0};
    assert_int_equal(mv_user_lyrics_check("[Verse]\nplain words\n", &err), MAIVID_OK);
    mv_timed_lyrics l;
    assert_int_equal(mv_user_timed_parse("plain", 0, &l, &err), MAIVID_E_NOT_FOUND);
}

/* A record with every time on a 30 fps frame, some words, sections and a gap. */
static void frame_sample(mv_timed_lyrics *l)
{
    memset(l, 0, sizeof *l);
    const double fps = 30.0;
    const char *texts[] = {"Harbor lights & glow", "Silver rain falls", "Neon \\ night"};
    const char *sections[] = {"verse", "verse", "pre-chorus"};
    double starts[] = {31, 97, 301}, ends[] = {90, 150, 400};
    for (size_t i = 0; i < 3; i++) {
        long idx = mv_timed_add_line(l, texts[i], starts[i] / fps, ends[i] / fps, sections[i]);
        assert_true(idx >= 0);
        if (i == 1) {
            assert_int_equal(mv_timed_add_word(l, 1, "Silver", 97 / fps, 110 / fps), 0);
            assert_int_equal(mv_timed_add_word(l, 1, "rain", 110 / fps, 131 / fps), 0);
            assert_int_equal(mv_timed_add_word(l, 1, "falls", 131 / fps, 150 / fps), 0);
        }
    }
    l->source = MV_TIMING_USER;
    l->confidence = 1;
}

static long frame_of(double t)
{
    return lround(t * 30.0);
}

static void assert_same_frames(const mv_timed_lyrics *a, const mv_timed_lyrics *b, int words)
{
    assert_int_equal(a->line_count, b->line_count);
    for (size_t i = 0; i < a->line_count; i++) {
        assert_int_equal(frame_of(a->lines[i].start), frame_of(b->lines[i].start));
        assert_int_equal(frame_of(a->lines[i].end), frame_of(b->lines[i].end));
        if (words && a->lines[i].word_count) {
            assert_int_equal(a->lines[i].word_count, b->lines[i].word_count);
            for (size_t w = 0; w < a->lines[i].word_count; w++) {
                assert_int_equal(frame_of(a->lines[i].words[w].start),
                                 frame_of(b->lines[i].words[w].start));
                assert_int_equal(frame_of(a->lines[i].words[w].end),
                                 frame_of(b->lines[i].words[w].end));
                assert_string_equal(a->lines[i].words[w].text, b->lines[i].words[w].text);
            }
        }
    }
}

static void test_sidecars_read_back_to_the_frame(void **state)
{
    (void)state;
    mv_timed_lyrics in;
    frame_sample(&in);
    mv_error err = {0};
    int (*writers[3])(const mv_timed_lyrics *, mv_buf *) = {mv_captions_srt, mv_captions_vtt,
                                                            mv_captions_lrc};
    mv_lyrics_format formats[3] = {MV_LYRICS_SRT, MV_LYRICS_VTT, MV_LYRICS_LRC};
    for (size_t f = 0; f < 3; f++) {
        mv_buf b = {0};
        assert_int_equal(writers[f](&in, &b), 0);
        assert_int_equal(mv_lyrics_detect_format(b.data), formats[f]);
        mv_timed_lyrics out;
        if (mv_user_timed_parse(b.data, 0, &out, &err) != MAIVID_OK)
            fail_msg("%s did not parse back: %s\n%s", mv_lyrics_format_name(formats[f]),
                     err.message, b.data);
        assert_same_frames(&in, &out, f != 0);
        for (size_t i = 0; i < in.line_count; i++)
            assert_string_equal(in.lines[i].text, out.lines[i].text);
        if (f == 2) {
            assert_string_equal(out.lines[2].section, "pre-chorus");
            assert_non_null(strstr(b.data, "[Pre-Chorus]"));
        }
        mv_timed_lyrics_free(&out);
        mv_buf_free(&b);
    }
    mv_timed_lyrics_free(&in);
}

static void test_ass_script(void **state)
{
    (void)state;
    mv_timed_lyrics in;
    frame_sample(&in);
    mv_ass_style st;
    mv_ass_style_default(&st);
    st.play_res_x = 1080;
    st.play_res_y = 1920;
    st.karaoke = 1;
    st.font = "Noto Sans";
    st.primary = 0xFF8000FFu;
    st.fade_in = 0.2;
    free(in.lines[2].text);
    in.lines[2].text = strdup("Neon \\ {night}"); /* markup characters are neutralised */
    mv_buf b = {0};
    assert_int_equal(mv_captions_write_ass(&in, &st, &b), 0);
    assert_non_null(strstr(b.data, "PlayResX: 1080\nPlayResY: 1920\n"));
    assert_non_null(strstr(b.data, "Style: Lyrics,Noto Sans,107,&H000080FF,"));
    /* 31/30 s = 1.0333 -> 0:00:01.03; 90/30 = 3.00 */
    assert_non_null(strstr(b.data, "Dialogue: 0,0:00:01.03,0:00:03.00,Lyrics,,0,0,0,,"
                                   "{\\fad(200,0)}Harbor lights & glow\n"));
    assert_non_null(strstr(b.data, "{\\k44}Silver {\\k70}rain {\\k63}falls\n"));
    assert_non_null(strstr(b.data, "Neon / (night)\n"));
    /* the events parse back to the frame */
    const char *p = b.data;
    for (size_t i = 0; i < in.line_count; i++) {
        p = strstr(p, "Dialogue: 0,");
        assert_non_null(p);
        int h1, m1, s1, c1, h2, m2, s2, c2;
        assert_int_equal(sscanf(p, "Dialogue: 0,%d:%d:%d.%d,%d:%d:%d.%d", &h1, &m1, &s1, &c1,
                                &h2, &m2, &s2, &c2), 8);
        assert_int_equal(frame_of(h1 * 3600 + m1 * 60 + s1 + c1 / 100.0),
                         frame_of(in.lines[i].start));
        assert_int_equal(frame_of(h2 * 3600 + m2 * 60 + s2 + c2 / 100.0),
                         frame_of(in.lines[i].end));
        p++;
    }
    mv_buf_free(&b);
    mv_timed_lyrics_free(&in);
}

static void test_sidecar_files(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("sidecars");
    mv_timed_lyrics in;
    frame_sample(&in);
    mv_error err = {0};
    assert_int_equal(mv_captions_write_sidecars(&in, dir, &err), MAIVID_OK);
    for (size_t f = 0; f < MV_SIDECAR_COUNT; f++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/captions.%s", dir, mv_sidecar_extensions[f]);
        assert_true(mv_file_exists(path));
    }
    mv_timed_lyrics_free(&in);
    /* an instrumental: no captions files */
    assert_int_equal(mv_captions_write_sidecars(&in, dir, &err), MAIVID_OK);
    char path[4096];
    snprintf(path, sizeof path, "%s/captions.srt", dir);
    assert_false(mv_file_exists(path));
    free(dir);
}

static void test_syllables(void **state)
{
    (void)state;
    assert_int_equal(mv_syllable_count("We are fire in the midnight sky"), 8);
    assert_int_equal(mv_syllable_count("Streetlights hum"), 3);
    assert_int_equal(mv_syllable_count(""), 0);
    assert_int_equal(mv_syllable_count("--- !!"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lrc_lines_and_sections),
        cmocka_unit_test(test_lrc_timed_marker_ends_line),
        cmocka_unit_test(test_enhanced_lrc_words),
        cmocka_unit_test(test_srt),
        cmocka_unit_test(test_vtt),
        cmocka_unit_test(test_bad_files_name_the_line),
        cmocka_unit_test(test_sidecars_read_back_to_the_frame),
        cmocka_unit_test(test_ass_script),
        cmocka_unit_test(test_sidecar_files),
        cmocka_unit_test(test_syllables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
