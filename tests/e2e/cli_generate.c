/*
 * cli_generate.c - end to end: the real maivid-cli makes a video from a synthesized 6 s song
 * with the built-in painter, checked with libavformat (H.264 + AAC, the song's length);
 * --json output parsed with cJSON; --keep, list and status; the job deleted without --keep;
 * the captions NAME.srt and NAME.lrc beside the video with the --lyrics LRC times (none
 * with --no-sidecars);
 * plain progress lines (no carriage returns) when stderr is not a terminal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "captions/mv_captions.h"
#include "cli_harness.h"
#include "mv_test_util.h"

#define MV_SONG_SECONDS 6.0

typedef struct mv_fixture {
    char *dir;
    char song[4200], lyrics[4200], data_dir[4200], jobs_dir[4200], out_dir[4200], data_env[4300];
} mv_fixture;

static int mv_setup(void **state)
{
    mv_fixture *f = calloc(1, sizeof *f);
    f->dir = mv_test_tmpdir("cli-generate");
    assert_non_null(f->dir);
    snprintf(f->song, sizeof f->song, "%s/song.wav", f->dir);
    snprintf(f->data_dir, sizeof f->data_dir, "%s/data", f->dir);
    snprintf(f->lyrics, sizeof f->lyrics, "%s/song.lrc", f->dir);
    const char *lrc = "[00:01.00]Harbor lights\n[00:03.00]Silver rain\n[00:05.00]\n";
    assert_int_equal(mv_write_file_atomic(f->lyrics, lrc, strlen(lrc), NULL), MAIVID_OK);
    snprintf(f->jobs_dir, sizeof f->jobs_dir, "%s/data/jobs", f->dir);
    snprintf(f->out_dir, sizeof f->out_dir, "%s/out", f->dir);
    snprintf(f->data_env, sizeof f->data_env, "MAIVID_DATA_DIR=%s", f->data_dir);
    assert_int_equal(mkdir(f->out_dir, 0755), 0);
    mv_test_song song = {.seconds = MV_SONG_SECONDS, .bpm = 120, .loud_start = 3, .loud_end = 5};
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

static void mv_assert_video(const char *path)
{
    double duration = 0;
    int width = 0, height = 0;
    assert_true(mv_cli_probe_video(path, &duration, &width, &height));
    assert_true(duration > MV_SONG_SECONDS - 0.5 && duration < MV_SONG_SECONDS + 0.5);
    assert_int_equal(height, 480);
    assert_in_range(width, 848, 856); /* 16:9 at 480p */
}

/* generate --json --keep, then list and status see the kept job. */
static void test_generate_json_keep(void **state)
{
    mv_fixture *f = *state;
    const char *args[] = {"generate", f->song, "--model", "procedural", "--resolution", "480p",
                          "--fps", "12", "-n", "2", "--title", "My Song: Live/2", "--json",
                          "--keep", "--lyrics", f->lyrics, "--no-sidecars", NULL};
    const char *env[] = {f->data_env, NULL};
    mv_cli_result r;
    mv_cli_run(args, env, f->out_dir, 240, &r);
    if (r.exit_code != 0)
        fprintf(stderr, "stderr: %s\nstdout: %s\n", r.err, r.out);
    assert_int_equal(r.exit_code, 0);
    /* progress: plain lines per stage, no live redraws when stderr is a pipe */
    assert_null(strchr(r.err, '\r'));
    assert_non_null(strstr(r.err, "scene_generation"));
    assert_non_null(strstr(r.err, "video_creation"));
    assert_non_null(strstr(r.err, "completed"));

    cJSON *json = cJSON_Parse(r.out);
    assert_non_null(json);
    assert_string_equal(cJSON_GetObjectItem(json, "status")->valuestring, "completed");
    assert_true(cJSON_GetObjectItem(json, "overall_progress")->valuedouble == 100.0);
    assert_int_equal(cJSON_GetObjectItem(json, "total_scenes")->valueint, 2);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(json, "job_kept")));
    const char *output = cJSON_GetObjectItem(json, "output_path")->valuestring;
    assert_string_equal(output, "My Song Live 2.mp4"); /* the title, made a safe file name */
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", f->out_dir, output);
    mv_assert_video(path);
    snprintf(path, sizeof path, "%s/My Song Live 2.srt", f->out_dir);
    assert_false(mv_file_exists(path)); /* --no-sidecars */
    char job_id[64];
    snprintf(job_id, sizeof job_id, "%s", cJSON_GetObjectItem(json, "job_id")->valuestring);
    cJSON_Delete(json);
    mv_cli_result_free(&r);
    assert_int_equal(mv_cli_count_entries(f->jobs_dir), 1);

    const char *list_args[] = {"list", "--json", NULL};
    mv_cli_run(list_args, env, f->out_dir, 30, &r);
    assert_int_equal(r.exit_code, 0);
    json = cJSON_Parse(r.out);
    assert_true(cJSON_IsArray(json));
    assert_int_equal(cJSON_GetArraySize(json), 1);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(json, 0), "job_id")->valuestring, job_id);
    cJSON_Delete(json);
    mv_cli_result_free(&r);

    const char *table_args[] = {"list", NULL};
    mv_cli_run(table_args, env, f->out_dir, 30, &r);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "JOB ID"));
    assert_non_null(strstr(r.out, job_id));
    assert_non_null(strstr(r.out, "completed"));
    mv_cli_result_free(&r);

    const char *status_args[] = {"status", job_id, NULL};
    mv_cli_run(status_args, env, f->out_dir, 30, &r);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "completed"));
    assert_non_null(strstr(r.out, "My Song: Live/2"));
    assert_non_null(strstr(r.out, "song:")); /* whose song, from the file */
    assert_non_null(strstr(r.out, "(file)"));
    mv_cli_result_free(&r);

    const char *status_json_args[] = {"status", job_id, "--json", NULL};
    mv_cli_run(status_json_args, env, f->out_dir, 30, &r);
    assert_int_equal(r.exit_code, 0);
    json = cJSON_Parse(r.out);
    assert_non_null(json);
    assert_string_equal(cJSON_GetObjectItem(json, "job_id")->valuestring, job_id);
    assert_string_equal(cJSON_GetObjectItem(json, "status")->valuestring, "completed");
    const cJSON *song = cJSON_GetObjectItem(json, "song");
    assert_string_equal(cJSON_GetObjectItem(song, "source_kind")->valuestring, "file");
    assert_true(cJSON_GetObjectItem(song, "duration")->valuedouble > 0);
    cJSON_Delete(json);
    mv_cli_result_free(&r);
}

/* generate --motion parallax: a valid MP4, the job kept with the painter's depth layers
 * beside each scene picture, and the motion in its settings. Without --motion the painter's
 * default is parallax too. */
static void test_generate_parallax(void **state)
{
    mv_fixture *f = *state;
    for (int explicit_motion = 1; explicit_motion >= 0; explicit_motion--) {
        const char *args[] = {"generate", f->song, "--model", "procedural", "--resolution",
                              "480p", "--fps", "12", "-n", "2", "--json", "--keep",
                              "--no-sidecars", "-o", explicit_motion ? "parallax.mp4" : "default.mp4",
                              explicit_motion ? "--motion" : NULL, "parallax", NULL};
        const char *env[] = {f->data_env, NULL};
        mv_cli_result r;
        mv_cli_run(args, env, f->out_dir, 240, &r);
        if (r.exit_code != 0)
            fprintf(stderr, "stderr: %s\nstdout: %s\n", r.err, r.out);
        assert_int_equal(r.exit_code, 0);
        cJSON *json = cJSON_Parse(r.out);
        assert_non_null(json);
        assert_string_equal(cJSON_GetObjectItem(json, "status")->valuestring, "completed");
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", f->out_dir,
                 explicit_motion ? "parallax.mp4" : "default.mp4");
        mv_assert_video(path);
        const char *job_id = cJSON_GetObjectItem(json, "job_id")->valuestring;
        for (int scene = 1; scene <= 2; scene++) {
            snprintf(path, sizeof path, "%s/%s/scenes/scene_%03d.layers.png", f->jobs_dir,
                     job_id, scene);
            assert_true(mv_file_exists(path));
        }
        snprintf(path, sizeof path, "%s/%s/job.json", f->jobs_dir, job_id);
        char *text = NULL;
        assert_int_equal(mv_read_file(path, &text, NULL, NULL), MAIVID_OK);
        cJSON *job = cJSON_Parse(text);
        const cJSON *settings = cJSON_GetObjectItem(job, "settings");
        assert_non_null(settings);
        assert_string_equal(cJSON_GetObjectItem(settings, "motion")->valuestring, "parallax");
        cJSON_Delete(job);
        free(text);
        cJSON_Delete(json);
        mv_cli_result_free(&r);
    }
}

/* generate -o FILE replaces FILE, prints its path, and deletes the job afterwards. */
static void test_generate_output_and_cleanup(void **state)
{
    mv_fixture *f = *state;
    char target[4400];
    snprintf(target, sizeof target, "%s/explicit.mp4", f->out_dir);
    FILE *old = fopen(target, "wb");
    assert_non_null(old);
    fputs("an older file", old);
    fclose(old);
    int jobs_before = mv_cli_count_entries(f->jobs_dir);
    const char *args[] = {"generate", f->song, "--model", "procedural", "--resolution", "480p",
                          "--fps", "12", "-n", "2", "-o", target, "--quiet", "--lyrics",
                          f->lyrics, NULL};
    const char *env[] = {f->data_env, NULL};
    mv_cli_result r;
    mv_cli_run(args, env, f->out_dir, 240, &r);
    if (r.exit_code != 0)
        fprintf(stderr, "stderr: %s\n", r.err);
    assert_int_equal(r.exit_code, 0);
    char expected[4500];
    snprintf(expected, sizeof expected, "%s\n", target);
    assert_string_equal(r.out, expected);
    mv_assert_video(target);
    /* the captions beside the video, with the lyrics' times */
    const char *ext[] = {"srt", "lrc"};
    for (size_t e = 0; e < 2; e++) {
        char path[4500], *text = NULL;
        snprintf(path, sizeof path, "%s/explicit.%s", f->out_dir, ext[e]);
        assert_int_equal(mv_read_file(path, &text, NULL, NULL), MAIVID_OK);
        mv_timed_lyrics timed;
        mv_error err = {0};
        assert_int_equal(mv_user_timed_parse(text, 0, &timed, &err), MAIVID_OK);
        assert_int_equal(timed.line_count, 2);
        assert_string_equal(timed.lines[0].text, "Harbor lights");
        assert_true(fabs(timed.lines[0].start - 1.0) < 1e-3);
        assert_true(fabs(timed.lines[1].end - 5.0) < 1e-3);
        mv_timed_lyrics_free(&timed);
        free(text);
    }
    assert_int_equal(mv_cli_count_entries(f->jobs_dir), jobs_before < 0 ? 0 : jobs_before);
    mv_cli_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate_json_keep),
        cmocka_unit_test(test_generate_output_and_cleanup),
        cmocka_unit_test(test_generate_parallax),
    };
    return cmocka_run_group_tests(tests, mv_setup, mv_teardown);
}
