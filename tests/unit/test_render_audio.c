/*
 * test_render_audio.c - the render's audio: the length measured before encoding equals the
 * encoded one exactly (rates AAC takes and one it does not, mono and stereo), the encode on
 * its own thread gives the same file as on the caller's, an abandoned encode stops at once
 * and leaves no complete file, and a render that fails while the audio is being encoded
 * beside it joins that thread.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mv_test_util.h"
#include "render/mv_packet_file.h"
#include "render/mv_render.h"
#include "render/mv_render_audio.h"

static char *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)n + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return data;
}

static void test_measured_length_is_the_encoded_one(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("audio-measure");
    assert_non_null(dir);
    /* 44.1 kHz stereo, 22.05 kHz mono, and 37 kHz (not an AAC rate: resampled to 48 kHz) */
    const mv_test_song songs[] = {
        {2.37, 120, 0, 0, 44100, 2}, {1.5, 0, 0, 0, 22050, 1}, {1.01, 90, 0, 0, 37000, 2}};
    for (size_t i = 0; i < sizeof songs / sizeof songs[0]; i++) {
        char song[1024], out[1024];
        snprintf(song, sizeof song, "%s/song%zu.wav", dir, i);
        snprintf(out, sizeof out, "%s/audio%zu.pkt", dir, i);
        assert_int_equal(mv_test_write_song_wav(song, &songs[i]), 0);
        double measured = -1, encoded = -2;
        mv_error err = {0};
        assert_int_equal(mv_render_audio_measure(song, NULL, &measured, &err), MAIVID_OK);
        assert_int_equal(mv_render_audio_encode(song, out, NULL, NULL, &encoded, &err),
                         MAIVID_OK);
        printf("song %zu: measured %.6f s, encoded %.6f s\n", i, measured, encoded);
        assert_true(measured == encoded);
        assert_true(measured > songs[i].seconds - 0.05 && measured < songs[i].seconds + 0.05);
    }
    mv_error err = {0};
    double seconds = 0;
    char picture[1024];
    snprintf(picture, sizeof picture, "%s/not-a-song.txt", dir);
    FILE *f = fopen(picture, "w");
    assert_non_null(f);
    fputs("no audio here\n", f);
    fclose(f);
    assert_int_equal(mv_render_audio_measure(picture, NULL, &seconds, &err), MAIVID_E_MEDIA);
    assert_non_null(strstr(err.message, "not-a-song.txt"));
    mv_remove_tree(dir, NULL);
    free(dir);
}

static void test_thread_encode_matches_and_abandon_stops(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("audio-thread");
    assert_non_null(dir);
    char song[1024], direct[1024], threaded[1024], long_song[1024], abandoned[1024];
    snprintf(song, sizeof song, "%s/song.wav", dir);
    snprintf(direct, sizeof direct, "%s/direct.pkt", dir);
    snprintf(threaded, sizeof threaded, "%s/threaded.pkt", dir);
    snprintf(long_song, sizeof long_song, "%s/long.wav", dir);
    snprintf(abandoned, sizeof abandoned, "%s/abandoned.pkt", dir);
    mv_test_song s = {3.0, 120, 1, 2, 44100, 2};
    assert_int_equal(mv_test_write_song_wav(song, &s), 0);
    int threads_before = mv_test_thread_count();
    mv_error err = {0};
    double a = 0, b = 0;
    assert_int_equal(mv_render_audio_encode(song, direct, NULL, NULL, &a, &err), MAIVID_OK);
    mv_audio_thread t;
    assert_int_equal(mv_audio_thread_start(&t, song, threaded, NULL, &err), MAIVID_OK);
    assert_int_equal(mv_audio_thread_join(&t, 0, &b, &err), MAIVID_OK);
    assert_true(a == b);
    size_t na = 0, nb = 0;
    char *da = read_all(direct, &na), *db = read_all(threaded, &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(da, db, na);
    free(da);
    free(db);
    /* a two-minute song, abandoned at once: stops at its next check (every 256 packets) */
    mv_test_song l = {120.0, 0, 0, 0, 44100, 2};
    assert_int_equal(mv_test_write_song_wav(long_song, &l), 0);
    assert_int_equal(mv_audio_thread_start(&t, long_song, abandoned, NULL, &err), MAIVID_OK);
    assert_int_equal(mv_audio_thread_join(&t, 1, NULL, &err), MAIVID_E_CANCELLED);
    mv_packet_file_info info;
    assert_false(mv_packet_file_complete(abandoned, &info));
    assert_int_equal(mv_test_thread_count(), threads_before);
    assert_int_equal(mv_audio_thread_join(&t, 0, &b, &err), MAIVID_OK); /* not running */
    mv_remove_tree(dir, NULL);
    free(dir);
}

static void test_failed_render_joins_the_audio_thread(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("audio-render-fail");
    assert_non_null(dir);
    char song[1024], out[1024], missing[1024];
    snprintf(song, sizeof song, "%s/song.wav", dir);
    snprintf(out, sizeof out, "%s/video.mp4", dir);
    snprintf(missing, sizeof missing, "%s/missing.png", dir);
    mv_test_song s = {20.0, 120, 0, 0, 44100, 2};
    assert_int_equal(mv_test_write_song_wav(song, &s), 0);
    mv_render_scene scene = {missing, 0, 20.0, "zoom_in", "fade", 1.0, 1, NULL};
    mv_render_plan plan = {&scene, 1, song, 160, 90, 12, out, NULL,
                           NULL, NULL, 0, NULL, NULL, 0, NULL, 0, NULL};
    int threads_before = mv_test_thread_count();
    mv_error err = {0};
    assert_int_equal(mv_render_video(&plan, NULL, &err), MAIVID_E_MEDIA);
    assert_non_null(strstr(err.message, "missing.png"));
    assert_int_equal(mv_test_thread_count(), threads_before);
    assert_false(mv_file_exists(out));
    mv_remove_tree(dir, NULL);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_measured_length_is_the_encoded_one),
        cmocka_unit_test(test_thread_encode_matches_and_abandon_stops),
        cmocka_unit_test(test_failed_render_joins_the_audio_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
