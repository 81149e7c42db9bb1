/*
 * test_pipeline_e2e.c - the whole built-in pipeline through the public API: a synthesized
 * song with lyrics, the built-in painter, and a real MP4 checked with libavformat (H.264 in
 * yuv420p, AAC-LC, size from the aspect ratio, duration equal to the song's within a frame,
 * index at the front), plus the storyboard, thumbnail and status that come with it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "maivid/maivid.h"
#include "mv_test_media.h"
#include "mv_test_util.h"
#include "util/mv_common.h"

static void test_local_song_to_mp4_with_the_painter(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("pipeline-e2e");
    char song[4096];
    snprintf(song, sizeof song, "%s/song.wav", dir);
    mv_test_song spec = {.seconds = 6.0, .bpm = 120, .loud_start = 3.0, .loud_end = 6.0};
    assert_int_equal(mv_test_write_song_wav(song, &spec), 0);

    maivid_config c;
    maivid_config_init(&c);
    char data_dir[4200];
    snprintf(data_dir, sizeof data_dir, "%s/data", dir);
    c.data_dir = data_dir;
    c.allow_local_files = 1;
    maivid_engine *e = NULL;
    char err[1024] = "";
    assert_int_equal(maivid_engine_open(&c, &e, err, sizeof err), MAIVID_OK);

    maivid_job_params p;
    maivid_job_params_init(&p);
    p.local_path = song;
    p.model = "procedural";
    p.style = "cyberpunk";
    p.resolution = "480p";
    p.aspect_ratio = "9:16";
    p.fps = 12;
    p.scene_count = 2;
    p.transition_duration = 0.5;
    p.lyrics = "[Verse]\nNeon rain on the city street\n[Chorus]\nWe are fire in the midnight sky\n";
    char id[MAIVID_JOB_ID_SIZE];
    assert_int_equal(maivid_job_create(e, &p, id, err, sizeof err), MAIVID_OK);
    assert_int_equal(maivid_job_wait(e, id, 300000), MAIVID_OK);
    maivid_status *st = NULL;
    assert_int_equal(maivid_job_status(e, id, &st), MAIVID_OK);
    if (maivid_status_state(st) != MAIVID_JOB_COMPLETED)
        fail_msg("job ended %s: %s", maivid_job_state_name(maivid_status_state(st)),
                 maivid_status_error(st) ? maivid_status_error(st) : "");
    assert_true(maivid_status_overall_progress(st) == 100.0);
    assert_int_equal(maivid_status_total_scenes(st), 2);
    assert_int_equal(maivid_status_processed_scenes(st), 2);

    mv_test_media_info info;
    assert_int_equal(mv_test_probe_media(maivid_status_video_path(st), &info), 0);
    assert_string_equal(info.video_codec, "h264");
    assert_string_equal(info.pixel_format, "yuv420p");
    assert_string_equal(info.audio_codec, "aac");
    assert_string_equal(info.audio_profile, "LC");
    assert_int_equal(info.height, 854); /* 9:16 at 480p: short side 480 */
    assert_int_equal(info.width, 480);
    assert_true(fabs(info.video_duration - 6.0) <= 1.0 / 12 + 1e-6);
    assert_true(fabs(info.video_duration - info.audio_duration) <= 1.0 / 12 + 0.03);
    assert_true(labs(info.video_frames - 72) <= 1);
    assert_true(info.moov_before_mdat);
    assert_non_null(maivid_status_thumbnail_path(st));
    assert_true(mv_file_size(maivid_status_thumbnail_path(st)) > 0);

    char *json = maivid_status_to_json(st, 0);
    cJSON *o = cJSON_Parse(json);
    cJSON *scenes = cJSON_GetObjectItem(o, "scenes");
    assert_int_equal(cJSON_GetArraySize(scenes), 2);
    const char *prompt0 = cJSON_GetObjectItem(cJSON_GetArrayItem(scenes, 0), "prompt")->valuestring;
    assert_null(strstr(prompt0, "[Verse]"));
    assert_true(cJSON_GetObjectItem(cJSON_GetArrayItem(scenes, 1), "end")->valuedouble > 5.9);
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(o, "bpm")));
    /* the sync report: in the status and in sync.json; untimed lyrics give no captions yet */
    const cJSON *sync = cJSON_GetObjectItem(o, "sync");
    assert_true(cJSON_IsObject(sync));
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(sync, "cuts_on_beat_share")));
    assert_true(fabs(cJSON_GetObjectItem(sync, "av_difference_seconds")->valuedouble) <= 1.0 / 12);
    assert_true(cJSON_GetObjectItem(sync, "max_flashes_per_second")->valuedouble <= 3);
    assert_true(cJSON_GetObjectItem(sync, "reactivity")->valuedouble == 0.5);
    assert_non_null(maivid_status_sync(st));
    cJSON_Delete(o);
    maivid_free(json);

    char path[4400];
    snprintf(path, sizeof path, "%s/storyboard.json", maivid_status_job_dir(st));
    assert_true(mv_file_exists(path));
    snprintf(path, sizeof path, "%s/analysis.json", maivid_status_job_dir(st));
    assert_true(mv_file_exists(path));
    snprintf(path, sizeof path, "%s/sync.json", maivid_status_job_dir(st));
    assert_true(mv_file_exists(path));
    maivid_status_free(st);
    maivid_engine_close(e);
    mv_remove_tree(dir, NULL);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_local_song_to_mp4_with_the_painter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
