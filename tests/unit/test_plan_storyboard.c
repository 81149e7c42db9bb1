/*
 * test_plan_storyboard.c - storyboard.json: a planned storyboard survives save and load
 * field for field (with the subject), the file uses the documented field names, a file
 * from a replaced plan stage with only the essentials loads with defaults, and damaged
 * files are refused with a message that names the file and the fix.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/mv_plan.h"
#include "mv_test_util.h"
#include "test_plan_song.h"

static char *path_in(const char *dir, const char *name)
{
    return mv_strdup_printf("%s/%s", dir, name);
}

static void test_round_trip(void **state)
{
    (void)state;
    static const double starts[] = {0.0, 20.0, 40.0};
    mv_analysis a;
    test_song_make(&a, 60.0, 120.0, 0.0, starts, NULL, 3);
    mv_lyrics l;
    mv_error err;
    assert_int_equal(mv_lyrics_parse("[Verse]\n\"Quoted\" line\\ with escapes\nline two\n"
                                     "[Chorus]\nchorus ünïcode ✓\n", &l, &err), MAIVID_OK);
    mv_plan_input in;
    memset(&in, 0, sizeof in);
    in.analysis = &a;
    in.lyrics = &l;
    in.title = "Round Trip";
    in.style_id = "noir";
    in.motion = "auto";
    in.transition = "auto";
    in.transition_duration = 0.8;
    in.seed = 123456789;
    mv_plan plan, back;
    assert_int_equal(mv_plan_build(&in, &plan, NULL, &err), MAIVID_OK);
    char *dir = mv_test_tmpdir("storyboard");
    char *path = path_in(dir, "storyboard.json");
    assert_int_equal(mv_plan_save(&plan, path, &err), MAIVID_OK);
    assert_int_equal(mv_plan_load(path, &back, &err), MAIVID_OK);
    assert_int_equal(back.scene_count, plan.scene_count);
    assert_string_equal(back.subject, plan.subject);
    for (size_t i = 0; i < plan.scene_count; i++) {
        mv_plan_scene *x = &plan.scenes[i], *y = &back.scenes[i];
        assert_int_equal(x->index, y->index);
        assert_true(x->start == y->start && x->end == y->end);
        assert_string_equal(x->section, y->section);
        assert_string_equal(x->lyrics, y->lyrics);
        assert_string_equal(x->prompt, y->prompt);
        assert_string_equal(x->negative_prompt, y->negative_prompt);
        assert_int_equal(x->seed, y->seed);
        assert_string_equal(x->motion, y->motion);
        assert_string_equal(x->transition, y->transition);
        assert_true(x->transition_duration == y->transition_duration);
    }
    /* the documented names are in the file */
    char *text;
    size_t len;
    assert_int_equal(mv_read_file(path, &text, &len, &err), MAIVID_OK);
    const char *names[] = {"\"subject\"", "\"scenes\"", "\"index\"", "\"start\"", "\"end\"",
                           "\"section\"", "\"lyrics\"", "\"prompt\"", "\"negative_prompt\"",
                           "\"seed\"", "\"motion\"", "\"transition\"",
                           "\"transition_duration\""};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_non_null(strstr(text, names[i]));
    free(text);
    mv_plan_free(&plan);
    mv_plan_free(&back);
    mv_lyrics_free(&l);
    test_song_free(&a);
    mv_remove_tree(dir, &err);
    free(path);
    free(dir);
}

static void test_minimal_file_gets_defaults(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("storyboard");
    char *path = path_in(dir, "storyboard.json");
    const char *minimal = "{\"scenes\":[{\"start\":0,\"end\":5,\"prompt\":\"a\"},"
                          "{\"start\":5,\"end\":9.5,\"prompt\":\"b\"}]}";
    mv_error err;
    assert_int_equal(mv_write_file_atomic(path, minimal, strlen(minimal), &err), MAIVID_OK);
    mv_plan plan;
    assert_int_equal(mv_plan_load(path, &plan, &err), MAIVID_OK);
    assert_int_equal(plan.scene_count, 2);
    assert_int_equal(plan.scenes[1].index, 1);
    assert_string_equal(plan.scenes[1].prompt, "b");
    assert_string_equal(plan.scenes[1].lyrics, "");
    assert_string_equal(plan.scenes[1].motion, "ken_burns");
    assert_string_equal(plan.scenes[1].transition, "fade");
    assert_string_equal(plan.subject, "");
    mv_plan_free(&plan);
    mv_remove_tree(dir, &err);
    free(path);
    free(dir);
}

static void test_damaged_files(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("storyboard");
    char *path = path_in(dir, "storyboard.json");
    const char *bad[] = {
        "not json",
        "{\"scenes\": []}",
        "{\"scenes\": [{\"start\": 0, \"end\": 5}]}",
        "{\"scenes\": [{\"start\": 0, \"end\": 5, \"prompt\": 3}]}",
        "{\"scenes\": [{\"start\": 5, \"end\": 2, \"prompt\": \"x\"}]}",
        "{\"scenes\": [{\"start\": 0, \"end\": 5, \"prompt\": \"x\"},"
        " {\"start\": 3, \"end\": 8, \"prompt\": \"y\"}]}",
    };
    mv_error err;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(mv_write_file_atomic(path, bad[i], strlen(bad[i]), &err), MAIVID_OK);
        mv_plan plan;
        mv_error_clear(&err);
        if (mv_plan_load(path, &plan, &err) != MAIVID_E_CORRUPT)
            fail_msg("case %zu was accepted", i);
        assert_non_null(strstr(err.message, path));
        assert_non_null(strstr(err.message, "delete it to plan again"));
        assert_null(plan.scenes);
    }
    mv_plan plan;
    char *missing = path_in(dir, "missing.json");
    assert_int_not_equal(mv_plan_load(missing, &plan, &err), MAIVID_OK);
    mv_remove_tree(dir, &err);
    free(missing);
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_minimal_file_gets_defaults),
        cmocka_unit_test(test_damaged_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
