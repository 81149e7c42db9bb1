/*
 * test_fuzz_regressions.c - one unit test for each problem the fuzzers of tests/fuzz found,
 * with the input they found (also kept in tests/fuzz/corpus/ so the fuzzers replay it):
 * - a workflow template whose nodes link back to themselves made the search for the text
 *   encoders walk every path (2^24 of them): the image job hung in mv_workflow_apply;
 * - a template with a latent image of 66666666666666666666666512 pixels' height overflowed the
 *   conversion of its pixel count to long (undefined behaviour, a negative size);
 * - an LRC line with a '<' that opens no word time ("I <3 you", "<00:0:06.10]") made the
 *   enhanced-LRC word reader loop for ever: the lyrics timing step hung;
 * - a speech-to-text transcript holding "-->" gave lyrics that the lyrics parser then took
 *   for SRT/WebVTT cues and refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "captions/mv_captions.h"
#include "comfy/mv_comfy.h"
#include "ingest/mv_ingest_internal.h"
#include "plan/mv_lyrics.h"
#include "mv_test_util.h"

static char *read_corpus(const char *relative)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/fuzz/corpus/%s", MAIVID_TEST_SOURCE_DIR, relative);
    char *text = NULL;
    mv_error err;
    mv_error_clear(&err);
    if (mv_read_file(path, &text, NULL, &err) != MAIVID_OK)
        fail_msg("%s", err.message);
    return text;
}

/* Applies the parameters to a template; returns the seconds it took. */
static double apply_workflow(const char *text)
{
    cJSON *graph = NULL;
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_workflow_parse(text, "test", &graph, NULL, NULL, &err), MAIVID_OK);
    mv_workflow_params p = {.prompt = "neon rain", .seed = 1, .width = 512, .height = 512};
    mv_workflow_report report;
    double t0 = mv_monotonic();
    (void)mv_workflow_apply(graph, &p, &report, &err);
    double took = mv_monotonic() - t0;
    cJSON_Delete(graph);
    return took;
}

static void test_workflow_with_links_back_to_itself(void **state)
{
    (void)state;
    char *text = read_corpus("workflow/regress-self-links-timeout.json");
    double took = apply_workflow(text);
    free(text);
    print_message("found by fuzz_workflow: applied in %.4f s\n", took);
    assert_true(took < 1.0); /* the old walk needed tens of seconds; the fixed one microseconds */
}

/* Many nodes, each fed twice by the one before: a fan-in chain, 2^30 paths, one walk. */
static void test_workflow_fan_in_chain(void **state)
{
    (void)state;
    char text[16384];
    size_t used = (size_t)snprintf(text, sizeof text,
                                   "{\"1\":{\"class_type\":\"CLIPTextEncode\",\"inputs\":"
                                   "{\"text\":\"x\"}},"
                                   "\"100\":{\"class_type\":\"KSampler\",\"inputs\":"
                                   "{\"positive\":[\"31\",0],\"negative\":[\"1\",0]}}");
    for (int i = 2; i <= 31; i++)
        used += (size_t)snprintf(text + used, sizeof text - used,
                                 ",\"%d\":{\"class_type\":\"ConditioningCombine\",\"inputs\":"
                                 "{\"conditioning_1\":[\"%d\",0],\"conditioning_2\":[\"%d\",0]}}",
                                 i, i - 1, i - 1);
    snprintf(text + used, sizeof text - used, "}");
    double took = apply_workflow(text);
    print_message("a fan-in chain of 30 nodes: applied in %.4f s\n", took);
    assert_true(took < 1.0);
}

static void test_workflow_with_a_huge_latent_size(void **state)
{
    (void)state;
    char *text = read_corpus("workflow/regress-huge-latent-size.json");
    cJSON *graph = NULL;
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_workflow_parse(text, "test", &graph, NULL, NULL, &err), MAIVID_OK);
    free(text);
    assert_int_equal(mv_workflow_native_pixels(graph), 0); /* no usable native size */
    cJSON_Delete(graph);
    const char *real = "{\"5\":{\"class_type\":\"EmptyLatentImage\",\"inputs\":"
                       "{\"width\":16384,\"height\":16384,\"batch_size\":1}}}";
    assert_int_equal(mv_workflow_parse(real, "test", &graph, NULL, NULL, &err), MAIVID_OK);
    assert_int_equal(mv_workflow_native_pixels(graph), 16384L * 16384L);
    cJSON_Delete(graph);
}

static void test_lrc_stray_angle_bracket(void **state)
{
    (void)state;
    char *text = read_corpus("subtitles/regress-stray-angle-bracket-hang.lrc");
    mv_timed_lyrics l;
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_lrc_parse_timed(text, &l, &err), MAIVID_OK);
    assert_true(l.line_count > 0);
    mv_timed_lyrics_free(&l);
    free(text);
    /* the same in plain words, with and without word times on the line */
    assert_int_equal(mv_lrc_parse_timed("[00:01.00]I <3 you\n[00:04.00]<00:04.00>a <b>c <>d <\n",
                                        &l, &err), MAIVID_OK);
    assert_int_equal(l.line_count, 2);
    assert_non_null(strstr(l.lines[0].text, "3 you"));
    assert_true(l.lines[1].word_count > 0);
    mv_timed_lyrics_free(&l);
}

/* The transcript's lyrics must parse whatever its text holds. */
static void assert_transcript_parses(const char *answer, size_t len, const char *what)
{
    char *lyrics = NULL;
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_stt_answer_to_lyrics(answer, len, &lyrics, &err), MAIVID_OK);
    assert_non_null(lyrics);
    mv_lyrics parsed;
    if (mv_lyrics_parse(lyrics, &parsed, &err) != MAIVID_OK)
        fail_msg("%s: the transcript's lyrics were refused: %s", what, err.message);
    assert_true(parsed.line_count >= 1);
    mv_lyrics_free(&parsed);
    free(lyrics);
}

static void test_stt_transcript_with_an_arrow(void **state)
{
    (void)state;
    const char *files[] = {"stt_reply/regress-arrow-in-transcript.json",
                           "stt_reply/regress-timing-line-in-transcript.json"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char *answer = read_corpus(files[i]);
        assert_transcript_parses(answer, strlen(answer), files[i]);
        free(answer);
    }
    /* lines that read as timing markup are dropped, the sung lines kept */
    const char *texts[] = {
        "{\"text\":\"00:01,000 --> 00:02,000\\nwe sing along\"}",
        "{\"text\":\"WEBVTT\\nwe sing along\"}",
        "{\"text\":\"[12:xx broken tag\\nwe sing along\"}",
        "{\"text\":\"24:7 all night --> home\\nwe sing along\"}",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        assert_transcript_parses(texts[i], strlen(texts[i]), texts[i]);
}

int main(void)
{
    alarm(60); /* a hang (the bugs here were hangs) fails in a minute, not at ctest's limit */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workflow_with_links_back_to_itself),
        cmocka_unit_test(test_workflow_fan_in_chain),
        cmocka_unit_test(test_workflow_with_a_huge_latent_size),
        cmocka_unit_test(test_lrc_stray_angle_bracket),
        cmocka_unit_test(test_stt_transcript_with_an_arrow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
