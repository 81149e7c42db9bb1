/*
 * cli_progress.c - end to end under a pseudo-terminal (forkpty): the live progress line is
 * redrawn in place with stage, scene n of N, a bar, percent and elapsed time, in colour
 * unless NO_COLOR is set; --quiet falls back to plain lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_harness.h"
#include "mv_test_util.h"

typedef struct mv_fixture {
    char *dir;
    char song[4200], data_env[4300], fail_url[128];
} mv_fixture;

static int mv_setup(void **state)
{
    mv_fixture *f = calloc(1, sizeof *f);
    f->dir = mv_test_tmpdir("cli-progress");
    assert_non_null(f->dir);
    snprintf(f->song, sizeof f->song, "%s/song.wav", f->dir);
    snprintf(f->data_env, sizeof f->data_env, "MAIVID_DATA_DIR=%s/data", f->dir);
    snprintf(f->fail_url, sizeof f->fail_url, "http://127.0.0.1:%d/song.mp3", mv_cli_closed_port());
    mv_test_song song = {.seconds = 6, .bpm = 120, .loud_start = 3, .loud_end = 5};
    assert_int_equal(mv_test_write_song_wav(f->song, &song), 0);
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

static void test_live_line_full_job(void **state)
{
    mv_fixture *f = *state;
    const char *args[] = {"generate", f->song, "--model", "procedural", "--resolution", "480p",
                          "--fps", "12", "-n", "2", "-o", "video.mp4", NULL};
    const char *env[] = {f->data_env, "NO_COLOR=1", "TERM=xterm", NULL};
    mv_cli_result r;
    mv_cli_run_pty(args, env, f->dir, 240, &r);
    if (r.exit_code != 0)
        fprintf(stderr, "terminal: %s\n", r.out);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "\r"));          /* redrawn in place */
    assert_non_null(strstr(r.out, "\033[K"));      /* and the rest of the line erased */
    assert_non_null(strstr(r.out, "scene_generation"));
    assert_non_null(strstr(r.out, "scene 2/2"));
    assert_non_null(strstr(r.out, "elapsed 0:"));
    assert_non_null(strstr(r.out, "%"));
    assert_non_null(strstr(r.out, "[#"));          /* a bar that fills */
    assert_non_null(strstr(r.out, "video.mp4"));  /* the result, after the line is cleared */
    assert_null(strstr(r.out, "\033[1m"));         /* NO_COLOR: no colours */
    assert_null(strstr(r.out, "\033[32m"));
    mv_cli_result_free(&r);
}

static void test_colour_and_quiet(void **state)
{
    mv_fixture *f = *state;
    /* a job that fails quickly still draws the line at least once, in colour */
    const char *args[] = {"generate", f->fail_url, "--model", "procedural", NULL};
    const char *env[] = {f->data_env, "NO_COLOR", "TERM=xterm", NULL};
    mv_cli_result r;
    mv_cli_run_pty(args, env, f->dir, 60, &r);
    assert_int_equal(r.exit_code, 3);
    assert_non_null(strstr(r.out, "\r"));
    assert_non_null(strstr(r.out, "\033[1m"));
    assert_non_null(strstr(r.out, "job failed"));
    mv_cli_result_free(&r);

    const char *quiet_args[] = {"generate", f->fail_url, "--model", "procedural", "--quiet", NULL};
    mv_cli_run_pty(quiet_args, env, f->dir, 60, &r);
    assert_int_equal(r.exit_code, 3);
    assert_null(strstr(r.out, "\033["));
    assert_non_null(strstr(r.out, "maivid-cli: ["));   /* plain stage lines */
    mv_cli_result_free(&r);

    const char *no_color_env[] = {f->data_env, "NO_COLOR=1", "TERM=xterm", NULL};
    mv_cli_run_pty(args, no_color_env, f->dir, 60, &r);
    assert_int_equal(r.exit_code, 3);
    assert_non_null(strstr(r.out, "\r"));
    assert_null(strstr(r.out, "\033[1m"));
    mv_cli_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_live_line_full_job),
        cmocka_unit_test(test_colour_and_quiet),
    };
    return cmocka_run_group_tests(tests, mv_setup, mv_teardown);
}
