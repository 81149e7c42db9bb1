/*
 * test_engine_ids.c - job ids: shape, randomness, and the validator that guards every file
 * access (path tricks must never pass).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "engine/mv_job.h"

static void test_generated_ids_are_valid_and_distinct(void **state)
{
    (void)state;
    char a[MAIVID_JOB_ID_SIZE], b[MAIVID_JOB_ID_SIZE];
    assert_int_equal(mv_job_id_generate(a, NULL), MAIVID_OK);
    assert_int_equal(mv_job_id_generate(b, NULL), MAIVID_OK);
    assert_true(maivid_job_id_valid(a));
    assert_true(maivid_job_id_valid(b));
    assert_int_equal(strlen(a), 28);
    assert_memory_equal(a, "job_", 4);
    assert_string_not_equal(a, b); /* 32 random bits each */
}

static void test_validator_rejects_everything_else(void **state)
{
    (void)state;
    assert_true(maivid_job_id_valid("job_20250516_123456_abcdef12"));
    const char *bad[] = {
        NULL, "", "job_20250516_123456_abcdef1", "job_20250516_123456_abcdef123",
        "job_20250516_123456_ABCDEF12", "job_2025051a_123456_abcdef12",
        "../20250516_123456_abcdef12", "job_20250516_123456/../../x1",
        "job-20250516-123456-abcdef12", "job_20250516_123456_abcdeg12",
        "job_20250516_123456_abc%2f12",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(maivid_job_id_valid(bad[i]));
}

static void test_vocabulary(void **state)
{
    (void)state;
    assert_string_equal(maivid_stage_name(MAIVID_STAGE_DOWNLOAD), "download");
    assert_string_equal(maivid_stage_name(MAIVID_STAGE_SCENE_GENERATION), "scene_generation");
    assert_string_equal(maivid_stage_name(MAIVID_STAGE_VIDEO_CREATION), "video_creation");
    assert_string_equal(maivid_job_state_name(MAIVID_JOB_CANCELLED), "cancelled");
    assert_string_equal(maivid_strerror(MAIVID_E_QUEUE_FULL), "job queue is full");
    assert_string_equal(maivid_strerror((maivid_code)999), "unknown error code");
    assert_int_equal(maivid_version(), MAIVID_VERSION_NUM);
    assert_string_equal(maivid_version_string(), MAIVID_VERSION_STRING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generated_ids_are_valid_and_distinct),
        cmocka_unit_test(test_validator_rejects_everything_else),
        cmocka_unit_test(test_vocabulary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
