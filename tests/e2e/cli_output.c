/*
 * cli_output.c - tests maivid-cli's output naming and atomic save in-process: titles become
 * safe file names, a default name never replaces a file (" (2)" instead), an explicit -o
 * does, a missing directory is a usage error, and nothing temporary is left behind.
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

#include "cli.h"
#include "cli_harness.h"
#include "mv_test_util.h"
#include "output_file.h"

static void mv_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *mv_slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = calloc(1, 4096);
    size_t n = fread(buf, 1, 4095, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_sanitize_title(void **state)
{
    (void)state;
    char buf[128];
    mv_cli_sanitize_title("My Song: Live/2", buf, sizeof buf);
    assert_string_equal(buf, "My Song Live 2");
    mv_cli_sanitize_title("  ../../etc/passwd  ", buf, sizeof buf);
    assert_null(strchr(buf, '/'));
    assert_true(buf[0] != '.');
    mv_cli_sanitize_title("", buf, sizeof buf);
    assert_string_equal(buf, "maivid-video");
    mv_cli_sanitize_title(NULL, buf, sizeof buf);
    assert_string_equal(buf, "maivid-video");
    mv_cli_sanitize_title("a\tb\nc$`d", buf, sizeof buf);
    assert_string_equal(buf, "a b c d");
    mv_cli_sanitize_title("Caf\xc3\xa9 \xe2\x99\xaa", buf, sizeof buf);
    assert_string_equal(buf, "Caf\xc3\xa9 \xe2\x99\xaa");
    char long_title[400];
    for (int i = 0; i < 133; i++)
        memcpy(long_title + 3 * i, "\xe2\x99\xaa", 3); /* 3-byte characters */
    long_title[399] = '\0';
    mv_cli_sanitize_title(long_title, buf, sizeof buf);
    assert_in_range(strlen(buf), 97, 100);
    assert_int_equal(strlen(buf) % 3, 0); /* never half a character */
}

static void test_default_name_never_overwrites(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("cli-output");
    assert_non_null(dir);
    char src[4200], existing[4200], final_path[4096], err[1200];
    snprintf(existing, sizeof existing, "%s/Song.mp4", dir);
    mv_write(existing, "old");
    mv_cli_output out;
    assert_int_equal(mv_cli_output_prepare(&out, dir), MV_CLI_EXIT_OK);
    snprintf(src, sizeof src, "%s/video-src.mp4", dir);
    mv_write(src, "new video");
    assert_int_equal(mv_cli_output_take(&out, src, 0, err, sizeof err), 0);
    assert_int_equal(mv_cli_output_publish(&out, "Song", final_path, sizeof final_path, err, sizeof err), 0);
    char expected[4200];
    snprintf(expected, sizeof expected, "%s/Song (2).mp4", dir);
    assert_string_equal(final_path, expected);
    char *old = mv_slurp(existing), *fresh = mv_slurp(final_path);
    assert_string_equal(old, "old");
    assert_string_equal(fresh, "new video");
    free(old);
    free(fresh);
    assert_true(access(src, F_OK) == 0); /* copied, not moved */
    /* move: the source is renamed away */
    assert_int_equal(mv_cli_output_prepare(&out, dir), MV_CLI_EXIT_OK);
    assert_int_equal(mv_cli_output_take(&out, src, 1, err, sizeof err), 0);
    assert_int_equal(mv_cli_output_publish(&out, "Song", final_path, sizeof final_path, err, sizeof err), 0);
    snprintf(expected, sizeof expected, "%s/Song (3).mp4", dir);
    assert_string_equal(final_path, expected);
    assert_true(access(src, F_OK) != 0);
    assert_int_equal(mv_cli_count_entries(dir), 3); /* Song, (2), (3): no temporary files */
    free(dir);
}

static void test_explicit_output_replaces(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("cli-output");
    char target[4200], src[4200], final_path[4096], err[1200];
    snprintf(target, sizeof target, "%s/out.mp4", dir);
    snprintf(src, sizeof src, "%s/src.mp4", dir);
    mv_write(target, "old");
    mv_write(src, "new");
    mv_cli_output out;
    assert_int_equal(mv_cli_output_prepare(&out, target), MV_CLI_EXIT_OK);
    assert_int_equal(mv_cli_output_take(&out, src, 0, err, sizeof err), 0);
    assert_int_equal(mv_cli_output_publish(&out, "ignored", final_path, sizeof final_path, err, sizeof err), 0);
    assert_string_equal(final_path, target);
    char *text = mv_slurp(target);
    assert_string_equal(text, "new");
    free(text);
    assert_int_equal(mv_cli_count_entries(dir), 2);
    /* a missing directory is refused before any work */
    char missing[4200];
    snprintf(missing, sizeof missing, "%s/no/such/dir/out.mp4", dir);
    assert_int_equal(mv_cli_output_prepare(&out, missing), MV_CLI_EXIT_USAGE);
    /* an unreadable source leaves nothing behind */
    assert_int_equal(mv_cli_output_prepare(&out, dir), MV_CLI_EXIT_OK);
    assert_int_equal(mv_cli_output_take(&out, "/no/such/video.mp4", 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "/no/such/video.mp4"));
    assert_int_equal(mv_cli_count_entries(dir), 2);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sanitize_title),
        cmocka_unit_test(test_default_name_never_overwrites),
        cmocka_unit_test(test_explicit_output_replaces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
