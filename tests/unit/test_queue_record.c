/*
 * test_queue_record.c - the job record as the shared queue keeps it (job.json's text in
 * Redis): a round trip through mv_job_record_text() and mv_job_from_text() keeps the id,
 * settings, progress history and the worker of each stage; a damaged or mismatched record
 * is refused with the reason; the worker object has the status's {host, pid, stages} shape.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "engine/mv_job.h"
#include "engine/mv_job_json.h"

#define MV_ID "job_20261130_010203_0a1b2c3d"

static mv_job *mv_sample_job(void)
{
    mv_job *job = mv_job_new(MV_ID, "/shared/jobs/" MV_ID);
    maivid_job_params p;
    maivid_job_params_init(&p);
    p.url = "https://suno.com/s/abc";
    p.model = "procedural";
    p.scene_count = 3;
    mv_error err;
    assert_int_equal(mv_settings_from_params(&p, 0, NULL, NULL, &job->settings, &err), MAIVID_OK);
    job->state = MAIVID_JOB_RUNNING;
    job->stage = MAIVID_STAGE_VIDEO_CREATION;
    job->stage_done[MAIVID_STAGE_DOWNLOAD] = job->stage_done[MAIVID_STAGE_LYRICS] = 1;
    job->overall_progress = 61.5;
    job->created_at = 1795999999.25;
    job->started_at = 1796000000.5;
    mv_strlcpy(job->stage_text, "Rendering the video", sizeof job->stage_text);
    mv_strlcpy(job->stage_worker[MAIVID_STAGE_DOWNLOAD], "render-a:101", MV_WORKER_SIZE);
    mv_strlcpy(job->stage_worker[MAIVID_STAGE_LYRICS], "render-a:101", MV_WORKER_SIZE);
    mv_strlcpy(job->stage_worker[MAIVID_STAGE_VIDEO_CREATION], "render-b.lan:2202", MV_WORKER_SIZE);
    mv_strlcpy(job->worker, "render-b.lan:2202", MV_WORKER_SIZE);
    return job;
}

static void test_round_trip_keeps_history_and_workers(void **state)
{
    (void)state;
    mv_job *job = mv_sample_job();
    char *text = mv_job_record_text(job);
    assert_non_null(text);
    mv_job *back = NULL;
    mv_error err;
    assert_int_equal(mv_job_from_text(text, "/other/mount/" MV_ID, "redis", &back, &err),
                     MAIVID_OK);
    assert_string_equal(back->id, MV_ID);
    assert_string_equal(back->dir, "/other/mount/" MV_ID); /* files where this engine sees them */
    assert_int_equal(back->state, MAIVID_JOB_RUNNING);
    assert_int_equal(back->stage, MAIVID_STAGE_VIDEO_CREATION);
    assert_true(back->stage_done[MAIVID_STAGE_DOWNLOAD] && back->stage_done[MAIVID_STAGE_LYRICS]);
    assert_false(back->stage_done[MAIVID_STAGE_ANALYSIS]);
    assert_true(back->overall_progress == 61.5);
    assert_true(back->created_at == job->created_at);
    assert_true(back->started_at == job->started_at);
    assert_string_equal(back->settings.model, "procedural");
    assert_int_equal(back->settings.scene_count, 3);
    assert_string_equal(back->stage_worker[MAIVID_STAGE_DOWNLOAD], "render-a:101");
    assert_string_equal(back->stage_worker[MAIVID_STAGE_VIDEO_CREATION], "render-b.lan:2202");
    assert_string_equal(back->stage_worker[MAIVID_STAGE_ANALYSIS], "");
    assert_string_equal(back->worker, "render-b.lan:2202");
    /* the same text again: the encoding is stable */
    char *again = mv_job_record_text(back);
    assert_string_equal(again, text);
    free(again);
    free(text);
    mv_job_free(back);
    mv_job_free(job);
}

static void test_status_worker_shape(void **state)
{
    (void)state;
    mv_job *job = mv_sample_job();
    cJSON *w = mv_job_workers_to_json(job);
    assert_string_equal(cJSON_GetObjectItem(w, "host")->valuestring, "render-b.lan");
    assert_int_equal((int)cJSON_GetObjectItem(w, "pid")->valuedouble, 2202);
    const cJSON *stages = cJSON_GetObjectItem(w, "stages");
    assert_int_equal(cJSON_GetArraySize(stages), 3);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(stages, "download"), "host")->valuestring,
                        "render-a");
    assert_null(cJSON_GetObjectItem(stages, "analysis"));
    cJSON_Delete(w);
    /* no stage ran yet: null */
    mv_job *fresh = mv_job_new(MV_ID, "/x");
    w = mv_job_workers_to_json(fresh);
    assert_true(cJSON_IsNull(w));
    cJSON_Delete(w);
    mv_job_free(fresh);
    mv_job_free(job);
}

static void test_damaged_records_are_refused(void **state)
{
    (void)state;
    mv_job *job = mv_sample_job();
    char *text = mv_job_record_text(job);
    mv_job *back = NULL;
    mv_error err;
    /* another job's record under this id */
    assert_int_equal(mv_job_from_text(text, "/j/job_20261130_010203_ffffffff", "redis", &back, &err),
                     MAIVID_E_CORRUPT);
    assert_non_null(strstr(err.message, "job_id"));
    assert_null(back);
    /* cut short */
    text[strlen(text) / 2] = 0;
    assert_int_equal(mv_job_from_text(text, "/j/" MV_ID, "redis", &back, &err), MAIVID_E_CORRUPT);
    assert_non_null(strstr(err.message, "redis"));
    assert_int_equal(mv_job_from_text("{\"job_id\":\"" MV_ID "\",\"status\":\"dancing\"}",
                                      "/j/" MV_ID, "redis", &back, &err),
                     MAIVID_E_CORRUPT);
    assert_non_null(strstr(err.message, "status"));
    free(text);
    mv_job_free(job);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_keeps_history_and_workers),
        cmocka_unit_test(test_status_worker_shape),
        cmocka_unit_test(test_damaged_records_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
