/*
 * cli_signals.c - end to end: Ctrl-C (SIGINT) during a generate cancels the job cleanly: exit
 * status 130, no output file and no temporary file left, and the job removed from the data
 * directory (or kept as cancelled with --keep, and then finished by `resume`).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli_harness.h"
#include "mv_test_util.h"

typedef struct mv_fixture {
    char *dir;
    char song[4200], short_song[4200], data_env[4300], jobs_dir[4200], out_dir[4200];
} mv_fixture;

static int mv_setup(void **state)
{
    mv_fixture *f = calloc(1, sizeof *f);
    f->dir = mv_test_tmpdir("cli-signals");
    assert_non_null(f->dir);
    snprintf(f->song, sizeof f->song, "%s/song.wav", f->dir);
    snprintf(f->data_env, sizeof f->data_env, "MAIVID_DATA_DIR=%s/data", f->dir);
    snprintf(f->jobs_dir, sizeof f->jobs_dir, "%s/data/jobs", f->dir);
    snprintf(f->out_dir, sizeof f->out_dir, "%s/out", f->dir);
    assert_int_equal(mkdir(f->out_dir, 0755), 0);
    /* long enough that the render is still going when the signal arrives */
    mv_test_song song = {.seconds = 20, .bpm = 100, .loud_start = 8, .loud_end = 15};
    assert_int_equal(mv_test_write_song_wav(f->song, &song), 0);
    snprintf(f->short_song, sizeof f->short_song, "%s/short.wav", f->dir);
    mv_test_song short_song = {.seconds = 10, .bpm = 100, .loud_start = 4, .loud_end = 8};
    assert_int_equal(mv_test_write_song_wav(f->short_song, &short_song), 0);
    *state = f;
    return 0;
}

static int mv_teardown(void **state)
{
    mv_fixture *f = *state;
    free(f->dir);
    free(f);
    return 0;
}

/* Starts a generate, waits for `stage` in its plain progress lines, sends `signo`. */
static int mv_interrupt(mv_fixture *f, const char *song, const char *stage, int signo, int keep,
                        mv_cli_child *child)
{
    const char *args[] = {"generate", song, "--model", "procedural", "--resolution", "480p",
                          "--fps", "12", "-n", "6", "-o", "video.mp4", keep ? "--keep" : NULL, NULL};
    const char *env[] = {f->data_env, NULL};
    assert_int_equal(mv_cli_spawn(mv_cli_binary(), args, env, f->out_dir, child), 0);
    int seen = mv_cli_child_wait_for(child, stage, 0, 120);
    if (!seen)
        fprintf(stderr, "never saw '%s'; stderr: %s\n", stage, child->err);
    assert_true(seen);
    kill(child->pid, signo);
    return mv_cli_child_finish(child, 60);
}

static void test_ctrl_c_cancels_cleanly(void **state)
{
    mv_fixture *f = *state;
    mv_cli_child child;
    int code = mv_interrupt(f, f->song, "video_creation", SIGINT, 0, &child);
    if (code != 130)
        fprintf(stderr, "stderr: %s\n", child.err);
    assert_int_equal(code, 130);
    assert_non_null(strstr(child.err, "interrupted"));
    assert_string_equal(child.out, "");
    mv_cli_child_free(&child);
    assert_int_equal(mv_cli_count_entries(f->out_dir), 0); /* no video, no temporary file */
    assert_true(mv_cli_count_entries(f->jobs_dir) <= 0);   /* the job is gone */
}

static void test_sigterm_with_keep(void **state)
{
    mv_fixture *f = *state;
    mv_cli_child child;
    int code = mv_interrupt(f, f->short_song, "video_creation", SIGTERM, 1, &child);
    assert_int_equal(code, 128 + SIGTERM);
    mv_cli_child_free(&child);
    assert_int_equal(mv_cli_count_entries(f->out_dir), 0);
    assert_int_equal(mv_cli_count_entries(f->jobs_dir), 1); /* kept, as cancelled */
    const char *env[] = {f->data_env, NULL};
    mv_cli_result r;
    mv_cli_run((const char *[]){"list", "--json", NULL}, env, f->dir, 30, &r);
    assert_int_equal(r.exit_code, 0);
    cJSON *jobs = cJSON_Parse(r.out);
    assert_int_equal(cJSON_GetArraySize(jobs), 1);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(jobs, 0), "status")->valuestring,
                        "cancelled");
    char job_id[64];
    snprintf(job_id, sizeof job_id, "%s",
             cJSON_GetObjectItem(cJSON_GetArrayItem(jobs, 0), "job_id")->valuestring);
    cJSON_Delete(jobs);
    mv_cli_result_free(&r);

    /* resume finishes it from where it stopped, saves the video and removes the job */
    mv_cli_run((const char *[]){"resume", job_id, "-o", "resumed.mp4", NULL}, env, f->out_dir, 240, &r);
    if (r.exit_code != 0)
        fprintf(stderr, "stderr: %s\n", r.err);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.out, "resumed.mp4\n");
    mv_cli_result_free(&r);
    char path[4400];
    snprintf(path, sizeof path, "%s/resumed.mp4", f->out_dir);
    double duration = 0;
    int width = 0, height = 0;
    assert_true(mv_cli_probe_video(path, &duration, &width, &height));
    assert_true(duration > 9.5 && duration < 10.5);
    assert_true(mv_cli_count_entries(f->jobs_dir) <= 0);
    /* resuming it again: it no longer exists */
    mv_cli_run((const char *[]){"resume", job_id, NULL}, env, f->out_dir, 30, &r);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "no job"));
    mv_cli_result_free(&r);
}

/* A maivid-cli killed outright (SIGKILL: no clean-up possible) leaves its job "running" on
 * disk; resume takes it over once no other maivid-cli works in the data directory. */
static void test_killed_job_is_resumable(void **state)
{
    mv_fixture *f = *state;
    mv_cli_child child;
    int code = mv_interrupt(f, f->short_song, "video_creation", SIGKILL, 1, &child);
    assert_int_equal(code, 128 + SIGKILL);
    mv_cli_child_free(&child);
    const char *env[] = {f->data_env, NULL};
    mv_cli_result r;
    mv_cli_run((const char *[]){"list", "--json", NULL}, env, f->dir, 30, &r);
    cJSON *jobs = cJSON_Parse(r.out);
    assert_int_equal(cJSON_GetArraySize(jobs), 1);
    cJSON *job = cJSON_GetArrayItem(jobs, 0);
    assert_string_equal(cJSON_GetObjectItem(job, "status")->valuestring, "running");
    char job_id[64];
    snprintf(job_id, sizeof job_id, "%s", cJSON_GetObjectItem(job, "job_id")->valuestring);
    cJSON_Delete(jobs);
    mv_cli_result_free(&r);
    mv_cli_run((const char *[]){"resume", job_id, "-o", "taken-over.mp4", NULL}, env, f->out_dir, 240, &r);
    if (r.exit_code != 0)
        fprintf(stderr, "stderr: %s\n", r.err);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.out, "taken-over.mp4\n");
    mv_cli_result_free(&r);
    char path[4400];
    snprintf(path, sizeof path, "%s/taken-over.mp4", f->out_dir);
    double duration = 0;
    int width = 0, height = 0;
    assert_true(mv_cli_probe_video(path, &duration, &width, &height));
    assert_true(duration > 9.5 && duration < 10.5);
    assert_true(mv_cli_count_entries(f->jobs_dir) <= 0);
    assert_int_equal(unlink(path), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ctrl_c_cancels_cleanly),
        cmocka_unit_test(test_sigterm_with_keep),
        cmocka_unit_test(test_killed_job_is_resumable),
    };
    return cmocka_run_group_tests(tests, mv_setup, mv_teardown);
}
