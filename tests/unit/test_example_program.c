/*
 * test_example_program.c - runs examples/custom_image_stage (a program that replaces the
 * image stage through maivid_stages) on a short synthesized song and checks that it prints
 * the path of a real MP4 whose frames show the example's stripes, not the built-in painter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "mv_test_media.h"
#include "mv_test_util.h"
#include "util/mv_common.h"

static void test_example_makes_a_video_with_its_own_images(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("example-program");
    char song[4096], cmd[16384], out[4096] = "";
    snprintf(song, sizeof song, "%s/song.wav", dir);
    mv_test_song spec = {.seconds = 4.0, .bpm = 100};
    assert_int_equal(mv_test_write_song_wav(song, &spec), 0);
    snprintf(cmd, sizeof cmd, "'%s/examples/custom_image_stage' '%s' '%s/data' 480p 2>/dev/null",
             MAIVID_TEST_BINARY_DIR, song, dir);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    if (!fgets(out, sizeof out, p))
        out[0] = '\0';
    int status = pclose(p);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    out[strcspn(out, "\n")] = '\0';
    mv_test_media_info info;
    assert_int_equal(mv_test_probe_media(out, &info), 0);
    assert_string_equal(info.video_codec, "h264");
    assert_int_equal(info.height, 480);
    /* the example's own images were used: they are PPM files named .png by the engine */
    char *data = NULL;
    size_t len = 0;
    char scene_path[4200];
    snprintf(scene_path, sizeof scene_path, "%.*s/scenes/scene_001.png",
             (int)(strrchr(out, '/') - out), out);
    assert_int_equal(mv_read_file(scene_path, &data, &len, NULL), MAIVID_OK);
    assert_memory_equal(data, "P6\n", 3);
    free(data);
    mv_remove_tree(dir, NULL);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_makes_a_video_with_its_own_images),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
