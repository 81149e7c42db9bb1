/*
 * test_engine_retention.c - retention of ended jobs: jobs that ended more than keep_days ago
 * are removed (a sweep with a clock moved days ahead stands in for waiting), never a queued,
 * running or dormant one; with max_data_bytes the jobs that ended first go until the rest
 * fits; the sweep runs when the engine opens and after a job ends.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine/mv_engine.h"
#include "engine_stages.h"
#include "mv_test_util.h"

typedef struct fixture {
    char *dir;
    engine_test_stages stages;
} fixture;

static maivid_engine *open_engine(fixture *f, double keep_days, uint64_t max_bytes, int resume)
{
    maivid_config c;
    maivid_config_init(&c);
    c.data_dir = f->dir;
    c.stages = &f->stages.stages;
    c.allow_private_urls = 1;
    c.keep_days = keep_days;
    c.max_data_bytes = max_bytes;
    c.resume_jobs = resume;
    maivid_engine *e = NULL;
    char err[512] = "";
    if (maivid_engine_open(&c, &e, err, sizeof err) != MAIVID_OK)
        fail_msg("open failed: %s", err);
    return e;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = mv_test_tmpdir("engine-retention");
    engine_test_stages_init(&f->stages);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
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
    if (maivid_job_create(e, &p, id, err, sizeof err) != MAIVID_OK)
        fail_msg("create failed: %s", err);
}

static void run_job(maivid_engine *e, char id[MAIVID_JOB_ID_SIZE])
{
    create_job(e, id);
    assert_int_equal(maivid_job_wait(e, id, 10000), MAIVID_OK);
}

static int job_known(maivid_engine *e, const char *id)
{
    maivid_status *st = NULL;
    maivid_code rc = maivid_job_status(e, id, &st);
    maivid_status_free(st);
    return rc == MAIVID_OK;
}

static int job_dir_exists(fixture *f, const char *id)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/jobs/%s", f->dir, id);
    return mv_file_exists(path);
}

/* Disk use of a job's folder as du counts it (what the engine compares with the cap). */
static uint64_t dir_bytes(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return 0;
    uint64_t total = (uint64_t)st.st_blocks * 512u;
    if (!S_ISDIR(st.st_mode))
        return total;
    DIR *d = opendir(path);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char child[4096];
        snprintf(child, sizeof child, "%s/%s", path, de->d_name);
        total += dir_bytes(child);
    }
    if (d)
        closedir(d);
    return total;
}

static uint64_t job_bytes(fixture *f, const char *id)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/jobs/%s", f->dir, id);
    return dir_bytes(path);
}

static void test_old_ended_jobs_go_running_ones_stay(void **state)
{
    fixture *f = *state;
    maivid_engine *e = open_engine(f, 1.0, 0, 1);
    char done[MAIVID_JOB_ID_SIZE], cancelled[MAIVID_JOB_ID_SIZE], running[MAIVID_JOB_ID_SIZE],
        queued[MAIVID_JOB_ID_SIZE];
    run_job(e, done);
    f->stages.gate_open = 0;
    create_job(e, running);
    assert_true(engine_test_wait_fetching(&f->stages, 1));
    create_job(e, queued);
    create_job(e, cancelled);
    assert_int_equal(maivid_job_cancel(e, cancelled), MAIVID_OK);

    /* Half a day later nothing has aged out. */
    assert_int_equal(mv_retention_sweep(e, mv_now() + 0.5 * 86400), 0);
    assert_true(job_known(e, done));
    /* Three days later the ended jobs go, the running and the queued one stay. */
    assert_int_equal(mv_retention_sweep(e, mv_now() + 3 * 86400), 2);
    assert_false(job_known(e, done));
    assert_false(job_dir_exists(f, done));
    assert_false(job_known(e, cancelled));
    assert_false(job_dir_exists(f, cancelled));
    assert_true(job_known(e, running));
    assert_true(job_known(e, queued));
    assert_true(job_dir_exists(f, running));

    /* Left running on disk by the close: a dormant job (resume_jobs 0) is never removed
     * either, nor a job queued again on open. */
    maivid_engine_close(e);
    e = open_engine(f, 1.0, 1, 0);
    assert_int_equal(mv_retention_sweep(e, mv_now() + 30 * 86400), 0);
    assert_true(job_known(e, running));
    assert_true(job_known(e, queued));
    maivid_engine_close(e);
    f->stages.gate_open = 1;
    e = open_engine(f, 1.0, 0, 1);
    assert_int_equal(maivid_job_wait(e, running, 10000), MAIVID_OK);
    assert_int_equal(maivid_job_wait(e, queued, 10000), MAIVID_OK);
    maivid_engine_close(e);
}

static void test_size_cap_removes_oldest_first_on_open(void **state)
{
    fixture *f = *state;
    maivid_engine *e = open_engine(f, 0, 0, 1);
    char ids[3][MAIVID_JOB_ID_SIZE];
    for (int i = 0; i < 3; i++)
        run_job(e, ids[i]);
    maivid_engine_close(e);
    uint64_t b[3];
    for (int i = 0; i < 3; i++) {
        b[i] = job_bytes(f, ids[i]);
        assert_true(b[i] > 0);
    }

    /* The two newest fit exactly: only the oldest goes, at open. */
    e = open_engine(f, 0, b[1] + b[2], 1);
    assert_false(job_known(e, ids[0]));
    assert_false(job_dir_exists(f, ids[0]));
    assert_true(job_known(e, ids[1]));
    assert_true(job_known(e, ids[2]));
    maivid_engine_close(e);

    /* One byte less: the next oldest goes too; the newest stays. */
    e = open_engine(f, 0, b[1] + b[2] - 1, 1);
    assert_false(job_known(e, ids[1]));
    assert_true(job_known(e, ids[2]));
    maivid_engine_close(e);
}

static void test_sweep_after_a_job_ends(void **state)
{
    fixture *f = *state;
    /* keep one second: the first job has aged out when the second one ends. */
    maivid_engine *e = open_engine(f, 1.0 / 86400.0, 0, 1);
    char first[MAIVID_JOB_ID_SIZE], second[MAIVID_JOB_ID_SIZE];
    run_job(e, first);
    struct timespec pause = {1, 500000000L};
    nanosleep(&pause, NULL);
    run_job(e, second);
    /* The worker sweeps right after letting go of the job. */
    for (int i = 0; i < 100 && (job_known(e, first) || job_dir_exists(f, first)); i++) {
        struct timespec tick = {0, 50000000L};
        nanosleep(&tick, NULL);
    }
    assert_false(job_known(e, first));
    assert_false(job_dir_exists(f, first));
    assert_true(job_known(e, second));
    maivid_engine_close(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_old_ended_jobs_go_running_ones_stay, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_size_cap_removes_oldest_first_on_open, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sweep_after_a_job_ends, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
