/*
 * test_json_depth.c - bounded JSON nesting: maivid_json_depth() counts brackets outside
 * strings without recursion, and the library's parse (mv_json_parse) and the readers built
 * on it refuse text nested deeper than MAIVID_JSON_MAX_DEPTH, even on a small thread stack
 * where cJSON's recursive parser (whose own limit is 1000) would overflow it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/mv_plan.h"
#include "util/mv_json.h"
#include "mv_test_util.h"

/* `levels` opening brackets then as many closing ones (a valid, deeply nested array). */
static char *nested(size_t levels)
{
    char *text = malloc(2 * levels + 1);
    assert_non_null(text);
    memset(text, '[', levels);
    memset(text + levels, ']', levels);
    text[2 * levels] = '\0';
    return text;
}

static void test_depth_counts_brackets_outside_strings(void **state)
{
    (void)state;
    const char *flat = "{\"a\": 1}";
    assert_int_equal(maivid_json_depth(flat, strlen(flat)), 1);
    const char *two = "{\"a\": [1, {\"b\": 2}], \"c\": []}";
    assert_int_equal(maivid_json_depth(two, strlen(two)), 3);
    /* brackets and escaped quotes inside strings do not count */
    const char *quoted = "{\"a\": \"[[[[\\\"{{{{\", \"b\": \"\\\\\"}";
    assert_int_equal(maivid_json_depth(quoted, strlen(quoted)), 1);
    assert_int_equal(maivid_json_depth("42", 2), 0);
    assert_int_equal(maivid_json_depth(NULL, 10), 0);
    /* the length bounds the scan */
    assert_int_equal(maivid_json_depth("[[[[", 2), 2);
    /* the count ends with the first value, as parsers do */
    const char *two_values = "[1] [[[[[[";
    assert_int_equal(maivid_json_depth(two_values, strlen(two_values)), 1);
}

static void test_depth_stops_past_the_limit(void **state)
{
    (void)state;
    char *deep = nested(100000);
    assert_int_equal(maivid_json_depth(deep, strlen(deep)), MAIVID_JSON_MAX_DEPTH + 1);
    /* unbalanced, unterminated: still bounded */
    deep[150000] = '\0';
    assert_true(maivid_json_depth(deep, 150000) > MAIVID_JSON_MAX_DEPTH);
    free(deep);
}

static void test_parse_accepts_the_limit_and_refuses_deeper(void **state)
{
    (void)state;
    char *at_limit = nested(MAIVID_JSON_MAX_DEPTH);
    cJSON *root = mv_json_parse(at_limit);
    assert_non_null(root);
    cJSON_Delete(root);
    root = mv_json_parse_opts(at_limit, strlen(at_limit) + 1, NULL, 1); /* + 1: the NUL */
    assert_non_null(root);
    cJSON_Delete(root);
    free(at_limit);
    char *deeper = nested(MAIVID_JSON_MAX_DEPTH + 1);
    assert_null(mv_json_parse(deeper));
    const char *end = NULL;
    assert_null(mv_json_parse_opts(deeper, strlen(deeper), &end, 0));
    assert_ptr_equal(end, deeper);
    free(deeper);
    assert_null(mv_json_parse(NULL));
}

/* On a 32 KiB stack, 990 levels (under cJSON's own limit of 1000) overflow cJSON_Parse. */
typedef struct small_stack_job {
    const char *path;
    char *text;
    cJSON *parsed;
    maivid_code load_code;
} small_stack_job;

static void *parse_on_small_stack(void *arg)
{
    small_stack_job *job = arg;
    job->parsed = mv_json_parse(job->text);
    mv_plan plan;
    mv_error err;
    job->load_code = mv_plan_load(job->path, &plan, &err);
    if (job->load_code == MAIVID_OK) {
        mv_plan_free(&plan);
    }
    return NULL;
}

static void test_deep_text_on_a_small_stack(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("json_depth");
    char path[1024];
    snprintf(path, sizeof(path), "%s/storyboard.json", dir);
    small_stack_job job = {path, nested(990), NULL, MAIVID_OK};
    FILE *file = fopen(path, "w");
    assert_non_null(file);
    fputs("{\"scenes\": ", file);
    fputs(job.text, file);
    fputs("}", file);
    fclose(file);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    assert_int_equal(pthread_attr_setstacksize(&attr, 32 * 1024), 0);
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, &attr, parse_on_small_stack, &job), 0);
    pthread_join(thread, NULL);
    pthread_attr_destroy(&attr);

    assert_null(job.parsed);
    assert_int_equal(job.load_code, MAIVID_E_CORRUPT);
    free(job.text);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_depth_counts_brackets_outside_strings),
        cmocka_unit_test(test_depth_stops_past_the_limit),
        cmocka_unit_test(test_parse_accepts_the_limit_and_refuses_deeper),
        cmocka_unit_test(test_deep_text_on_a_small_stack),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
