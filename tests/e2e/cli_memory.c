/*
 * cli_memory.c - end to end: the peak memory of a whole offline job (maivid-cli generate:
 * analysis, the built-in painter, the render) must not grow with the song's length (issue
 * 15). A 15 s song in 3 scenes and a 75 s one in 8 (synthesized) are made into 480p
 * videos, one after the other; the largest resident set of the finished children (getrusage
 * RUSAGE_CHILDREN keeps the maximum over all of them) may grow by at most MV_GROWTH_KIB with
 * the longer song. Both have crossfades, where the render holds two scenes and loads one.
 * Holding the decoded song (75 s of 44.1 kHz stereo float: 26 MB), the encoded audio or
 * video, or a picture per scene would exceed it. (A guard: the code before it passes too, at
 * a higher level: 135 MB for both songs before the engine fixed malloc's mmap threshold, 113
 * MB after.) Labelled no-sanitizer: ASan's shadow memory and quarantine distort resident
 * sizes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "cli_harness.h"
#include "mv_test_util.h"

#define MV_SHORT_SECONDS 15.0
#define MV_SHORT_SCENES "3"
#define MV_LONG_SECONDS 75.0
#define MV_LONG_SCENES "8"
#define MV_GROWTH_KIB (10 * 1024L)

/* Makes a video of a synthesized song of `seconds` in `scenes` scenes; returns the peak RSS
 * of the children so far (the maximum over both runs after the second). */
static long mv_job_peak_kib(const char *dir, const char *name, double seconds,
                            const char *scenes)
{
    char song[4200], video[4200], data_env[4300];
    snprintf(song, sizeof song, "%s/%s.wav", dir, name);
    snprintf(video, sizeof video, "%s/%s.mp4", dir, name);
    snprintf(data_env, sizeof data_env, "MAIVID_DATA_DIR=%s/data-%s", dir, name);
    mv_test_song spec = {.seconds = seconds, .bpm = 120, .loud_start = seconds * 0.4,
                         .loud_end = seconds * 0.6};
    assert_int_equal(mv_test_write_song_wav(song, &spec), 0);
    const char *args[] = {"generate", song, "--model", "procedural", "--resolution", "480p",
                          "--fps", "12", "-n", scenes, "--quiet", "--no-sidecars", "-o", video, NULL};
    const char *env[] = {data_env, NULL};
    mv_cli_result r;
    mv_cli_run(args, env, dir, 240, &r);
    if (r.exit_code != 0)
        fprintf(stderr, "generate %s: exit %d: %s\n", name, r.exit_code, r.err);
    assert_int_equal(r.exit_code, 0);
    mv_cli_result_free(&r);
    double duration = 0;
    int width = 0, height = 0;
    assert_true(mv_cli_probe_video(video, &duration, &width, &height));
    assert_true(duration > seconds - 1 && duration < seconds + 1);
    remove(song);
    remove(video);
    struct rusage usage;
    assert_int_equal(getrusage(RUSAGE_CHILDREN, &usage), 0);
    return usage.ru_maxrss; /* KiB on Linux */
}

static void test_peak_memory_flat_in_song_length(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("cli-memory");
    assert_non_null(dir);
    long short_kib = mv_job_peak_kib(dir, "short", MV_SHORT_SECONDS, MV_SHORT_SCENES);
    long long_kib = mv_job_peak_kib(dir, "long", MV_LONG_SECONDS, MV_LONG_SCENES);
    printf("peak RSS of the job: %.0f s song %ld KiB, %.0f s song %ld KiB (growth %ld KiB, "
           "at most %ld)\n", MV_SHORT_SECONDS, short_kib, MV_LONG_SECONDS, long_kib,
           long_kib - short_kib, MV_GROWTH_KIB);
    assert_true(long_kib - short_kib <= MV_GROWTH_KIB);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_peak_memory_flat_in_song_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
