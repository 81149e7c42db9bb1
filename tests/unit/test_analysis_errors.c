/*
 * test_analysis_errors.c - the analysis refuses what is not a song and stops when asked:
 * garbage, text, empty and sample-less files give MAIVID_E_MEDIA naming the file and the fix;
 * a missing file or a folder gives MAIVID_E_IO; a cancel request gives MAIVID_E_CANCELLED
 * with nothing left allocated; progress climbs to 1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/mv_analysis_internal.h"
#include "mv_test_util.h"

typedef struct fixture {
    char *dir;
    char song[4096];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->dir = mv_test_tmpdir("analysis-errors");
    if (!f->dir)
        return -1;
    snprintf(f->song, sizeof f->song, "%s/song.wav", f->dir);
    mv_test_song song = {.seconds = 20, .bpm = 120, .loud_start = 8, .loud_end = 14,
                         .sample_rate = 22050, .channels = 1};
    if (mv_test_write_song_wav(f->song, &song) != 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    mv_remove_tree(f->dir, NULL);
    free(f->dir);
    free(f);
    return 0;
}

static void write_bytes(const char *path, const void *data, size_t len)
{
    FILE *out = fopen(path, "wb");
    assert_non_null(out);
    assert_int_equal(fwrite(data, 1, len, out), len);
    assert_int_equal(fclose(out), 0);
}

/* Analyses `path`, expects `code`, a message naming the file, and an empty record. */
static void expect_failure(const char *path, maivid_code code)
{
    mv_analysis a;
    memset(&a, 0x5a, sizeof a);
    mv_error err = {0};
    maivid_code rc = mv_analyse_audio(path, &a, NULL, &err);
    print_message("%s -> %d: %s\n", path, rc, err.message);
    assert_int_equal(rc, code);
    assert_int_equal(err.code, code);
    assert_non_null(strstr(err.message, path));
    assert_null(a.beats);
    assert_null(a.energy);
    assert_null(a.sections);
    assert_int_equal(a.section_count, 0);
    mv_analysis_free(&a); /* safe on a failed record */
}

static void test_garbage_is_not_audio(void **state)
{
    fixture *f = *state;
    char path[4096];
    snprintf(path, sizeof path, "%s/garbage.mp3", f->dir);
    static uint8_t noise[65536];
    uint32_t x = 987654321u;
    for (size_t i = 0; i < sizeof noise; i++) {
        x = x * 1664525u + 1013904223u;
        noise[i] = (uint8_t)(x >> 24);
    }
    write_bytes(path, noise, sizeof noise);
    expect_failure(path, MAIVID_E_MEDIA);
}

static void test_text_is_not_audio(void **state)
{
    fixture *f = *state;
    char path[4096];
    snprintf(path, sizeof path, "%s/lyrics.txt", f->dir);
    const char text[] = "[Verse 1]\nThe rain falls on the city lights\nand nobody sings\n";
    write_bytes(path, text, sizeof text - 1);
    expect_failure(path, MAIVID_E_MEDIA);
}

static void test_empty_file(void **state)
{
    fixture *f = *state;
    char path[4096];
    snprintf(path, sizeof path, "%s/empty.wav", f->dir);
    write_bytes(path, "", 0);
    expect_failure(path, MAIVID_E_MEDIA);
}

static void test_wav_without_samples(void **state)
{
    fixture *f = *state;
    char path[4096];
    snprintf(path, sizeof path, "%s/silent.wav", f->dir);
    mv_test_song nothing = {.seconds = 0, .sample_rate = 22050, .channels = 1};
    assert_int_equal(mv_test_write_song_wav(path, &nothing), 0);
    expect_failure(path, MAIVID_E_MEDIA);
}

static void test_missing_file_and_folder(void **state)
{
    fixture *f = *state;
    char path[4096];
    snprintf(path, sizeof path, "%s/no-such-song.mp3", f->dir);
    expect_failure(path, MAIVID_E_IO);
    expect_failure(f->dir, MAIVID_E_IO);
    mv_analysis a;
    mv_error err = {0};
    assert_int_equal(mv_analyse_audio(NULL, &a, NULL, &err), MAIVID_E_INVALID);
    assert_int_equal(mv_analyse_audio("", &a, NULL, &err), MAIVID_E_INVALID);
}

typedef struct progress_log {
    double fractions[256];
    size_t count;
    atomic_int cancel;
    double cancel_at; /* > 0: request a cancel once progress passes this */
} progress_log;

static void on_progress(void *user_data, double fraction, const char *text)
{
    progress_log *log = user_data;
    assert_non_null(text);
    if (log->count < 256)
        log->fractions[log->count++] = fraction;
    if (log->cancel_at > 0 && fraction >= log->cancel_at)
        atomic_store(&log->cancel, 1);
}

static void test_progress_reaches_one(void **state)
{
    fixture *f = *state;
    progress_log log = {0};
    mv_task task = {.progress = on_progress, .user_data = &log, .cancel = &log.cancel};
    mv_analysis a;
    mv_error err = {0};
    assert_int_equal(mv_analyse_audio(f->song, &a, &task, &err), MAIVID_OK);
    assert_true(log.count >= 5);
    assert_true(log.fractions[0] == 0.0);
    assert_true(log.fractions[log.count - 1] == 1.0);
    for (size_t i = 1; i < log.count; i++)
        assert_true(log.fractions[i] >= log.fractions[i - 1]);
    mv_analysis_free(&a);
}

static void test_cancel_midway(void **state)
{
    fixture *f = *state;
    progress_log log = {.cancel_at = 0.3};
    mv_task task = {.progress = on_progress, .user_data = &log, .cancel = &log.cancel};
    mv_analysis a;
    mv_error err = {0};
    assert_int_equal(mv_analyse_audio(f->song, &a, &task, &err), MAIVID_E_CANCELLED);
    assert_int_equal(err.code, MAIVID_E_CANCELLED);
    assert_null(a.beats);
    assert_null(a.sections);
    /* it stopped soon after the request, well before the end */
    assert_true(log.fractions[log.count - 1] < 0.5);
}

static void test_cancel_before_start(void **state)
{
    fixture *f = *state;
    progress_log log = {0};
    atomic_store(&log.cancel, 1);
    mv_task task = {.cancel = &log.cancel};
    mv_analysis a;
    mv_error err = {0};
    assert_int_equal(mv_analyse_audio(f->song, &a, &task, &err), MAIVID_E_CANCELLED);
    assert_null(a.energy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_garbage_is_not_audio),
        cmocka_unit_test(test_text_is_not_audio),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_wav_without_samples),
        cmocka_unit_test(test_missing_file_and_folder),
        cmocka_unit_test(test_progress_reaches_one),
        cmocka_unit_test(test_cancel_midway),
        cmocka_unit_test(test_cancel_before_start),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
