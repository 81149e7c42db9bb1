/*
 * test_param_table.c - the job parameter table (maivid_params.h): the generated public struct
 * keeps the old layout (ABI), every entry is well formed and its default valid, values are
 * checked by maivid_job_params_set() with errors naming the field, every CLI option and
 * every request field is in the man pages, and the UTF-8 helpers validate and repair.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "maivid/maivid.h"
#include "util/mv_utf8.h"

/* maivid_job_params as written by hand before the table: the generated one must match. */
typedef struct mv_params_v1 {
    size_t struct_size;
    const char *url, *local_path, *model, *aspect_ratio, *style;
    int scene_count;
    const char *transition;
    double transition_duration;
    const char *motion, *resolution;
    int fps;
    const char *lyrics;
    int64_t seed;
    const char *workflow_path, *title;
    int image_failure_tolerance;
    const char *callback_url;
} mv_params_v1;

#define SAME_OFFSET(member) \
    assert_int_equal(offsetof(maivid_job_params, member), offsetof(mv_params_v1, member))

static void test_struct_layout_is_unchanged(void **state)
{
    (void)state;
    SAME_OFFSET(url);
    SAME_OFFSET(local_path);
    SAME_OFFSET(model);
    SAME_OFFSET(aspect_ratio);
    SAME_OFFSET(style);
    SAME_OFFSET(scene_count);
    SAME_OFFSET(transition);
    SAME_OFFSET(transition_duration);
    SAME_OFFSET(motion);
    SAME_OFFSET(resolution);
    SAME_OFFSET(fps);
    SAME_OFFSET(lyrics);
    SAME_OFFSET(seed);
    SAME_OFFSET(workflow_path);
    SAME_OFFSET(title);
    SAME_OFFSET(image_failure_tolerance);
    SAME_OFFSET(callback_url);
    assert_true(sizeof(maivid_job_params) >= sizeof(mv_params_v1));
    /* the table's offsets are the struct's */
    assert_int_equal(maivid_param_find("fps")->offset, offsetof(maivid_job_params, fps));
    assert_int_equal(maivid_param_find("model_type")->offset, offsetof(maivid_job_params, model));
}

static void test_entries_are_well_formed(void **state)
{
    (void)state;
    assert_true(maivid_param_count() >= 17);
    assert_null(maivid_param_at(maivid_param_count()));
    for (size_t i = 0; i < maivid_param_count(); i++) {
        const maivid_param_info *a = maivid_param_at(i);
        assert_non_null(a->name);
        assert_non_null(a->member);
        assert_non_null(a->help);
        assert_true(a->min <= a->max);
        assert_ptr_equal(maivid_param_find(a->name), a);
        assert_ptr_equal(maivid_param_find(a->member), a);
        if (a->cli_long)
            assert_non_null(a->cli_metavar);
        for (size_t j = 0; j < i; j++) {
            const maivid_param_info *b = maivid_param_at(j);
            assert_string_not_equal(a->name, b->name);
            assert_true(a->offset > b->offset); /* the struct's order */
            if (a->cli_long && b->cli_long)
                assert_string_not_equal(a->cli_long, b->cli_long);
            if (a->cli_short)
                assert_int_not_equal(a->cli_short, b->cli_short);
        }
    }
}

static void test_defaults_come_from_the_table(void **state)
{
    (void)state;
    maivid_job_params p;
    maivid_job_params_init(&p);
    char err[512];
    for (size_t i = 0; i < maivid_param_count(); i++) {
        const maivid_param_info *info = maivid_param_at(i);
        if (info->type == MAIVID_PARAM_STRING) {
            const char *v = maivid_job_params_string(&p, info);
            if (info->default_text)
                assert_string_equal(v, info->default_text);
            else
                assert_null(v);
        } else {
            double def = info->default_text ? strtod(info->default_text, NULL) : 0;
            assert_true(maivid_job_params_number(&p, info) == def);
        }
        /* the default is always accepted */
        assert_int_equal(maivid_job_params_set(&p, info->name, info->default_text, err,
                                               sizeof err), MAIVID_OK);
    }
    assert_string_equal(p.model, "sdxl_turbo");
    assert_int_equal(p.fps, 30);
    assert_true(p.seed == -1);
}

static void expect_refused(maivid_job_params *p, const char *name, const char *value,
                           const char *needle)
{
    char err[512] = "";
    assert_int_equal(maivid_job_params_set(p, name, value, err, sizeof err), MAIVID_E_INVALID);
    char quoted[80];
    snprintf(quoted, sizeof quoted, "'%s'", maivid_param_find(name)->name);
    if (!strstr(err, quoted) || (needle && !strstr(err, needle))) {
        fprintf(stderr, "%s=%s: '%s' lacks %s / %s\n", name, value, err, quoted,
                needle ? needle : "-");
        fail();
    }
}

static void test_set_checks_and_names_the_field(void **state)
{
    (void)state;
    maivid_job_params p;
    maivid_job_params_init(&p);
    char err[512];
    assert_int_equal(maivid_job_params_set(&p, "fps", "24", err, sizeof err), MAIVID_OK);
    assert_int_equal(p.fps, 24);
    assert_int_equal(maivid_job_params_set(&p, "scene_count", "0", err, sizeof err), MAIVID_OK);
    assert_int_equal(maivid_job_params_set(&p, "transition_duration", "0.25", err, sizeof err),
                     MAIVID_OK);
    assert_true(p.transition_duration == 0.25);
    assert_int_equal(maivid_job_params_set(&p, "title", "Ok \xC3\xA9", err, sizeof err), MAIVID_OK);
    assert_int_equal(maivid_job_params_set(&p, "no_such", "1", err, sizeof err), MAIVID_E_NOT_FOUND);
    expect_refused(&p, "fps", "61", "12 to 60");
    expect_refused(&p, "fps", "24.5", "whole number");
    expect_refused(&p, "fps", "abc", "whole number");
    expect_refused(&p, "scene_count", "121", "1 to 120");
    expect_refused(&p, "seed", "-2", NULL);
    expect_refused(&p, "transition_duration", "nan", "0 to 5");
    expect_refused(&p, "title", "caf\xE9", "UTF-8");
    expect_refused(&p, "url", "https://a.example/x y", "space");
    expect_refused(&p, "url", "https://a.example/x\r\n", "control character");
    expect_refused(&p, "url", "ftp://a.example/x", "http");
    expect_refused(&p, "callback_url", "http://", "host");
    char big[1100];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    expect_refused(&p, "title", big, "longer than 1024");
    assert_int_equal(p.fps, 24); /* refused values leave the old ones */
    assert_string_equal(p.title, "Ok \xC3\xA9");
}

/* A man page's text (static storage, overwritten by the next call). */
static const char *read_page(const char *path)
{
    static char page[256 * 1024];
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(page, 1, sizeof page - 1, f);
    fclose(f);
    page[n] = '\0';
    return page;
}

static void test_man_page_lists_every_cli_option(void **state)
{
    (void)state;
    const char *page = read_page(MAIVID_TEST_SOURCE_DIR "/maivid-cli/maivid-cli.1");
    for (size_t i = 0; i < maivid_param_count(); i++) {
        const maivid_param_info *info = maivid_param_at(i);
        if (!info->cli_long)
            continue;
        char roff[128] = "\\-\\-"; /* troff writes --fps as \-\-fps */
        size_t used = strlen(roff);
        for (const char *c = info->cli_long; *c && used < sizeof roff - 3; c++) {
            if (*c == '-')
                roff[used++] = '\\';
            roff[used++] = *c;
        }
        roff[used] = '\0';
        if (!strstr(page, roff)) {
            fprintf(stderr, "maivid-cli.1 lacks %s\n", roff);
            fail();
        }
    }
}

static void test_server_man_page_lists_every_api_field(void **state)
{
    (void)state;
    const char *page = read_page(MAIVID_TEST_SOURCE_DIR "/maivid-server/maivid-server.1");
    for (size_t i = 0; i < maivid_param_count(); i++) {
        const maivid_param_info *info = maivid_param_at(i);
        char bold[96];
        snprintf(bold, sizeof bold, "\\fB%s\\fR", info->name);
        if ((info->flags & MAIVID_PARAM_API) && !strstr(page, bold)) {
            fprintf(stderr, "maivid-server.1 lacks %s\n", bold);
            fail();
        }
    }
}

static void test_utf8_valid_and_repair(void **state)
{
    (void)state;
    assert_true(mv_utf8_valid("plain", 5));
    assert_true(mv_utf8_valid("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x8E\xB5", 9));
    assert_false(mv_utf8_valid("\xC0\xAF", 2));         /* overlong */
    assert_false(mv_utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
    assert_false(mv_utf8_valid("\xF4\x90\x80\x80", 4)); /* above U+10FFFF */
    assert_false(mv_utf8_valid("\xE2\x82", 2));         /* truncated */
    assert_false(mv_utf8_valid("\x80", 1));
    char *fixed = mv_utf8_repair("a\xFF" "b\xE2\x82", 5);
    assert_string_equal(fixed, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_true(mv_utf8_valid(fixed, strlen(fixed)));
    free(fixed);
    char *s = strdup("caf\xE9");
    assert_int_equal(mv_utf8_fix(&s), 0);
    assert_string_equal(s, "caf\xEF\xBF\xBD");
    free(s);
    char *none = NULL;
    assert_int_equal(mv_utf8_fix(&none), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_struct_layout_is_unchanged),
        cmocka_unit_test(test_entries_are_well_formed),
        cmocka_unit_test(test_defaults_come_from_the_table),
        cmocka_unit_test(test_set_checks_and_names_the_field),
        cmocka_unit_test(test_man_page_lists_every_cli_option),
        cmocka_unit_test(test_server_man_page_lists_every_api_field),
        cmocka_unit_test(test_utf8_valid_and_repair),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
