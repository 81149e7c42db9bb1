/*
 * test_engine_jobs.c - the job engine with plugged stages: a job runs through all six stages
 * to "completed" with honest progress; the queue is FIFO with positions and a limit; cancel
 * stops a running job fast and removes partial outputs; a closed engine's running job is
 * resumed by the next one without redoing finished stages; failures carry the stage's error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine_stages.h"
#include "mv_test_util.h"
#include "util/mv_common.h"

typedef struct fixture {
    char *dir;
    engine_test_stages stages;
    maivid_engine *engine;
} fixture;

static maivid_engine *open_engine(fixture *f, unsigned queue_limit)
{
    maivid_config c;
    maivid_config_init(&c);
    c.data_dir = f->dir;
    c.stages = &f->stages.stages;
    c.allow_private_urls = 1;
    if (queue_limit)
        c.queue_limit = queue_limit;
    maivid_engine *e = NULL;
    char err[512] = "";
    assert_int_equal(maivid_engine_open(&c, &e, err, sizeof err), MAIVID_OK);
    return e;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = mv_test_tmpdir("engine-jobs");
    engine_test_stages_init(&f->stages);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (f->engine)
        maivid_engine_close(f->engine);
    engine_test_stages_destroy(&f->stages);
    mv_remove_tree(f->dir, NULL);
    free(f->dir);
    free(f);
    return 0;
}

static void create_job(maivid_engine *e, char id[MAIVID_JOB_ID_SIZE])
{
    maivid_job_params p;
    maivid_job_params_init(&p);
    p.url = "http://127.0.0.1:9/song.wav";
    p.model = "procedural";
    char err[512] = "";
    maivid_code rc = maivid_job_create(e, &p, id, err, sizeof err);
    if (rc != MAIVID_OK)
        fail_msg("create failed: %s", err);
}

static void test_a_job_runs_to_completion(void **state)
{
    fixture *f = *state;
    f->engine = open_engine(f, 0);
    char id[MAIVID_JOB_ID_SIZE];
    create_job(f->engine, id);
    assert_true(maivid_job_id_valid(id));
    assert_int_equal(maivid_job_wait(f->engine, id, 10000), MAIVID_OK);
    maivid_status *st = NULL;
    assert_int_equal(maivid_job_status(f->engine, id, &st), MAIVID_OK);
    assert_int_equal(maivid_status_state(st), MAIVID_JOB_COMPLETED);
    assert_true(maivid_status_overall_progress(st) == 100.0);
    assert_int_equal(maivid_status_total_scenes(st), 2);
    assert_int_equal(maivid_status_processed_scenes(st), 2);
    assert_string_equal(maivid_status_title(st), "Engine Test Song");
    assert_non_null(maivid_status_video_path(st));
    assert_null(maivid_status_error(st));
    char *json = maivid_status_to_json(st, 0);
    cJSON *o = cJSON_Parse(json);
    assert_non_null(o);
    const char *fields[] = {"job_id", "video_title", "total_scenes", "processed_scenes",
                            "current_stage", "stage_name", "stage_progress", "overall_progress",
                            "status", "started_at", "updated_at", "completed_at", "error",
                            "queue_position", "eta_seconds", "settings", "video_path",
                            "warnings", "scenes", "scene_descriptions"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (!cJSON_HasObjectItem(o, fields[i]))
            fail_msg("status JSON lacks '%s'", fields[i]);
    assert_string_equal(cJSON_GetObjectItem(o, "status")->valuestring, "completed");
    assert_string_equal(cJSON_GetObjectItem(o, "stage_name")->valuestring, "video_creation");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "error")));
    cJSON *scenes = cJSON_GetObjectItem(o, "scenes");
    assert_int_equal(cJSON_GetArraySize(scenes), 2);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(scenes, 1), "state")->valuestring,
                        "done");
    cJSON *settings = cJSON_GetObjectItem(o, "settings");
    assert_string_equal(cJSON_GetObjectItem(settings, "model_type")->valuestring, "procedural");
    cJSON_Delete(o);
    maivid_free(json);
    maivid_status_free(st);
    for (int s = 0; s < MAIVID_STAGE_COUNT; s++)
        assert_int_equal(engine_test_calls(&f->stages, (maivid_stage)s), s == 4 ? 2 : 1);
    assert_true(f->stages.events > 6);
    /* job.json on disk says the same */
    char path[4096];
    snprintf(path, sizeof path, "%s/jobs/%s/job.json", f->dir, id);
    char *text = NULL;
    assert_int_equal(mv_read_file(path, &text, NULL, NULL), MAIVID_OK);
    assert_non_null(strstr(text, "\"completed\""));
    free(text);
}

static void test_queue_is_fifo_with_positions_and_a_limit(void **state)
{
    fixture *f = *state;
    f->stages.gate_open = 0;
    f->engine = open_engine(f, 2);
    char a[MAIVID_JOB_ID_SIZE], b[MAIVID_JOB_ID_SIZE], c[MAIVID_JOB_ID_SIZE];
    create_job(f->engine, a);
    assert_true(engine_test_wait_fetching(&f->stages, 1));
    create_job(f->engine, b);
    create_job(f->engine, c);
    maivid_status *st;
    assert_int_equal(maivid_job_status(f->engine, b, &st), MAIVID_OK);
    assert_int_equal(maivid_status_state(st), MAIVID_JOB_QUEUED);
    assert_int_equal(maivid_status_queue_position(st), 1);
    maivid_status_free(st);
    assert_int_equal(maivid_job_status(f->engine, c, &st), MAIVID_OK);
    assert_int_equal(maivid_status_queue_position(st), 2);
    maivid_status_free(st);
    /* the queue holds two: a third waiting job is refused */
    maivid_job_params p;
    maivid_job_params_init(&p);
    p.url = "http://127.0.0.1:9/x.wav";
    p.model = "procedural";
    char d[MAIVID_JOB_ID_SIZE], err[256];
    assert_int_equal(maivid_job_create(f->engine, &p, d, err, sizeof err), MAIVID_E_QUEUE_FULL);
    assert_non_null(strstr(err, "queue is full"));
    engine_test_open_gate(&f->stages);
    assert_int_equal(maivid_job_wait(f->engine, c, 10000), MAIVID_OK);
    assert_int_equal(f->stages.order_count, 3);
    assert_string_equal(f->stages.order[0], a);
    assert_string_equal(f->stages.order[1], b);
    assert_string_equal(f->stages.order[2], c);
    char **ids;
    size_t n;
    assert_int_equal(maivid_job_list(f->engine, &ids, &n), MAIVID_OK);
    assert_int_equal(n, 3);
    assert_string_equal(ids[0], c); /* newest first */
    assert_string_equal(ids[2], a);
    maivid_free(ids);
}

static void test_cancel_running_and_queued(void **state)
{
    fixture *f = *state;
    f->stages.gate_open = 0;
    f->engine = open_engine(f, 0);
    char a[MAIVID_JOB_ID_SIZE], b[MAIVID_JOB_ID_SIZE];
    create_job(f->engine, a);
    create_job(f->engine, b);
    assert_true(engine_test_wait_fetching(&f->stages, 1));
    assert_int_equal(maivid_job_cancel(f->engine, b), MAIVID_OK); /* queued */
    double t0 = mv_monotonic();
    assert_int_equal(maivid_job_cancel(f->engine, a), MAIVID_OK); /* running */
    assert_int_equal(maivid_job_wait(f->engine, a, 5000), MAIVID_OK);
    assert_true(mv_monotonic() - t0 < 1.0);
    maivid_status *st;
    assert_int_equal(maivid_job_status(f->engine, a, &st), MAIVID_OK);
    assert_int_equal(maivid_status_state(st), MAIVID_JOB_CANCELLED);
    char source[4096];
    snprintf(source, sizeof source, "%s/source", maivid_status_job_dir(st));
    assert_false(mv_file_exists(source)); /* partial download removed */
    maivid_status_free(st);
    assert_int_equal(maivid_job_status(f->engine, b, &st), MAIVID_OK);
    assert_int_equal(maivid_status_state(st), MAIVID_JOB_CANCELLED);
    maivid_status_free(st);
    assert_int_equal(engine_test_calls(&f->stages, MAIVID_STAGE_LYRICS), 0);
    /* cancelling an ended job changes nothing; unknown and malformed ids are refused */
    assert_int_equal(maivid_job_cancel(f->engine, a), MAIVID_OK);
    assert_int_equal(maivid_job_cancel(f->engine, "job_20000101_000000_00000000"),
                     MAIVID_E_NOT_FOUND);
    assert_int_equal(maivid_job_cancel(f->engine, "../../etc"), MAIVID_E_INVALID);
    /* a cancelled job can be resumed and then completes */
    engine_test_open_gate(&f->stages);
    assert_int_equal(maivid_job_resume(f->engine, a), MAIVID_OK);
    assert_int_equal(maivid_job_wait(f->engine, a, 10000), MAIVID_OK);
    assert_int_equal(maivid_job_status(f->engine, a, &st), MAIVID_OK);
    assert_int_equal(maivid_status_state(st), MAIVID_JOB_COMPLETED);
    maivid_status_free(st);
    /* delete removes the files */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/jobs/%s", f->dir, a);
    assert_true(mv_file_exists(dir));
    assert_int_equal(maivid_job_delete(f->engine, a), MAIVID_OK);
    assert_false(mv_file_exists(dir));
    assert_int_equal(maivid_job_status(f->engine, a, &st), MAIVID_E_NOT_FOUND);
}

static void test_close_then_reopen_resumes_without_redoing_stages(void **state)
{
    fixture *f = *state;
    f->engine = open_engine(f, 0);
    /* First job completes fully; second is interrupted in its download stage. */
    char done[MAIVID_JOB_ID_SIZE], interrupted[MAIVID_JOB_ID_SIZE];
    create_job(f->engine, done);
    assert_int_equal(maivid_job_wait(f->engine, done, 10000), MAIVID_OK);
    f->stages.gate_open = 0;
    create_job(f->engine, interrupted);
    assert_true(engine_test_wait_fetching(&f->stages, 1));
    double t0 = mv_monotonic();
    maivid_engine_close(f->engine);
    f->engine = NULL;
    assert_true(mv_monotonic() - t0 < 2.0);
    char path[4096];
    snprintf(path, sizeof path, "%s/jobs/%s/job.json", f->dir, interrupted);
    char *text = NULL;
    assert_int_equal(mv_read_file(path, &text, NULL, NULL), MAIVID_OK);
    assert_non_null(strstr(text, "\"running\"")); /* checkpointed as running */
    free(text);

    int fetches_before = engine_test_calls(&f->stages, MAIVID_STAGE_DOWNLOAD);
    int renders_before = engine_test_calls(&f->stages, MAIVID_STAGE_VIDEO_CREATION);
    engine_test_open_gate(&f->stages);
    f->engine = open_engine(f, 0);
    assert_int_equal(maivid_job_wait(f->engine, interrupted, 10000), MAIVID_OK);
    maivid_status *st;
    assert_int_equal(maivid_job_status(f->engine, interrupted, &st), MAIVID_OK);
    assert_int_equal(maivid_status_state(st), MAIVID_JOB_COMPLETED);
    maivid_status_free(st);
    assert_int_equal(maivid_job_status(f->engine, done, &st), MAIVID_OK);
    assert_int_equal(maivid_status_state(st), MAIVID_JOB_COMPLETED);
    maivid_status_free(st);
    /* the interrupted fetch ran again (it had not finished), the completed job did not */
    assert_int_equal(engine_test_calls(&f->stages, MAIVID_STAGE_DOWNLOAD), fetches_before + 1);
    assert_int_equal(engine_test_calls(&f->stages, MAIVID_STAGE_VIDEO_CREATION), renders_before + 1);
}

static void test_dormant_jobs_are_taken_over_by_resume_or_cancel(void **state)
{
    fixture *f = *state;
    f->stages.gate_open = 0;
    f->engine = open_engine(f, 0);
    char a[MAIVID_JOB_ID_SIZE], b[MAIVID_JOB_ID_SIZE];
    create_job(f->engine, a);
    assert_true(engine_test_wait_fetching(&f->stages, 1));
    create_job(f->engine, b);
    maivid_engine_close(f->engine); /* a running, b queued: both left on disk */
    engine_test_open_gate(&f->stages);
    maivid_config c;
    maivid_config_init(&c);
    c.data_dir = f->dir;
    c.stages = &f->stages.stages;
    c.resume_jobs = 0;
    assert_int_equal(maivid_engine_open(&c, &f->engine, NULL, 0), MAIVID_OK);
    maivid_status *st;
    assert_int_equal(maivid_job_status(f->engine, a, &st), MAIVID_OK);
    assert_int_equal(maivid_status_state(st), MAIVID_JOB_RUNNING); /* as left, not running here */
    maivid_status_free(st);
    assert_int_equal(maivid_job_wait(f->engine, a, 100), MAIVID_E_TIMEOUT);
    assert_int_equal(maivid_job_resume(f->engine, a), MAIVID_OK);
    assert_int_equal(maivid_job_cancel(f->engine, b), MAIVID_OK);
    assert_int_equal(maivid_job_wait(f->engine, a, 10000), MAIVID_OK);
    assert_int_equal(maivid_job_wait(f->engine, b, 1000), MAIVID_OK);
    assert_int_equal(maivid_job_status(f->engine, a, &st), MAIVID_OK);
    assert_int_equal(maivid_status_state(st), MAIVID_JOB_COMPLETED);
    maivid_status_free(st);
    assert_int_equal(maivid_job_status(f->engine, b, &st), MAIVID_OK);
    assert_int_equal(maivid_status_state(st), MAIVID_JOB_CANCELLED);
    maivid_status_free(st);
}

static void test_resume_skips_finished_stages(void **state)
{
    fixture *f = *state;
    f->stages.fail_image_index = 1;
    f->engine = open_engine(f, 0);
    char id[MAIVID_JOB_ID_SIZE];
    create_job(f->engine, id);
    assert_int_equal(maivid_job_wait(f->engine, id, 10000), MAIVID_OK);
    maivid_status *st;
    assert_int_equal(maivid_job_status(f->engine, id, &st), MAIVID_OK);
    assert_int_equal(maivid_status_state(st), MAIVID_JOB_FAILED);
    assert_int_equal(maivid_status_error_code(st), MAIVID_E_BACKEND);
    assert_non_null(strstr(maivid_status_error(st), "Scene image generation failed"));
    assert_non_null(strstr(maivid_status_error(st), "test backend refused scene 2"));
    assert_true(maivid_status_overall_progress(st) < 100.0);
    assert_int_equal(maivid_status_processed_scenes(st), 1);
    maivid_status_free(st);
    /* fix the backend and resume: only the failed scene is made again */
    f->stages.fail_image_index = -1;
    int images_before = engine_test_calls(&f->stages, MAIVID_STAGE_SCENE_GENERATION);
    assert_int_equal(maivid_job_resume(f->engine, id), MAIVID_OK);
    assert_int_equal(maivid_job_wait(f->engine, id, 10000), MAIVID_OK);
    assert_int_equal(maivid_job_status(f->engine, id, &st), MAIVID_OK);
    assert_int_equal(maivid_status_state(st), MAIVID_JOB_COMPLETED);
    maivid_status_free(st);
    assert_int_equal(engine_test_calls(&f->stages, MAIVID_STAGE_SCENE_GENERATION), images_before + 1);
    assert_int_equal(engine_test_calls(&f->stages, MAIVID_STAGE_DOWNLOAD), 1);
    assert_int_equal(engine_test_calls(&f->stages, MAIVID_STAGE_SCENE_PLANNING), 1);
}

static void test_failure_tolerance_lets_a_neighbour_stand_in(void **state)
{
    fixture *f = *state;
    f->stages.fail_image_index = 0;
    f->stages.scenes = 3;
    f->engine = open_engine(f, 0);
    maivid_job_params p;
    maivid_job_params_init(&p);
    p.url = "http://127.0.0.1:9/song.wav";
    p.model = "procedural";
    p.image_failure_tolerance = 1;
    char id[MAIVID_JOB_ID_SIZE], err[256];
    assert_int_equal(maivid_job_create(f->engine, &p, id, err, sizeof err), MAIVID_OK);
    assert_int_equal(maivid_job_wait(f->engine, id, 10000), MAIVID_OK);
    maivid_status *st;
    assert_int_equal(maivid_job_status(f->engine, id, &st), MAIVID_OK);
    assert_int_equal(maivid_status_state(st), MAIVID_JOB_COMPLETED);
    char *json = maivid_status_to_json(st, 0);
    assert_non_null(strstr(json, "scene 2's image stands in"));
    maivid_free(json);
    maivid_status_free(st);
}

static void test_wait_times_out_and_unknown_ids(void **state)
{
    fixture *f = *state;
    f->stages.gate_open = 0;
    f->engine = open_engine(f, 0);
    char id[MAIVID_JOB_ID_SIZE];
    create_job(f->engine, id);
    double t0 = mv_monotonic();
    assert_int_equal(maivid_job_wait(f->engine, id, 150), MAIVID_E_TIMEOUT);
    double waited = mv_monotonic() - t0;
    assert_true(waited >= 0.14 && waited < 2.0);
    assert_int_equal(maivid_job_delete(f->engine, id), MAIVID_E_BUSY);
    assert_int_equal(maivid_job_wait(f->engine, "job_20000101_000000_00000000", 10),
                     MAIVID_E_NOT_FOUND);
    maivid_status *st = NULL;
    assert_int_equal(maivid_job_status(f->engine, "nope", &st), MAIVID_E_INVALID);
    engine_test_open_gate(&f->stages);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_job_runs_to_completion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queue_is_fifo_with_positions_and_a_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancel_running_and_queued, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_then_reopen_resumes_without_redoing_stages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dormant_jobs_are_taken_over_by_resume_or_cancel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resume_skips_finished_stages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_tolerance_lets_a_neighbour_stand_in, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wait_times_out_and_unknown_ids, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
