/*
 * test_render_encoders.c - the video encoder option (issue 15): the catalog says which
 * encoders open on this machine and why the others do not; a render (and a whole job) asking
 * for NVENC where there is no NVIDIA GPU finishes with libx264 and says so in a warning; on a
 * machine with an NVIDIA GPU the NVENC encoders really encode (skipped, with the reason,
 * elsewhere); libx265 and SVT-AV1 write HEVC and AV1 that the MP4 check accepts; with the
 * program's maivid_tune_process_logging(), opening SVT-AV1 prints no banner.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include <libavcodec/avcodec.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "maivid/maivid.h"
#include "mv_test_skip.h"
#include "mv_test_util.h"
#include "render/mv_render.h"
#include "render/mv_video_encoders.h"
#include "render_test_util.h"
#include "util/mv_common.h"

#define W 320
#define H 180
#define FPS 12
#define SECONDS 2.0

/* NVENC needs the NVIDIA driver's device nodes. */
static int have_nvidia(void)
{
    return access("/dev/nvidiactl", F_OK) == 0 && access("/dev/nvidia0", F_OK) == 0;
}

typedef struct render_fixture {
    char *dir;
    char song[1024], picture[1024], out[1024];
    mv_render_scene scene;
    mv_render_plan plan;
    mv_render_stats stats;
} render_fixture;

static void make_render(render_fixture *fx, const char *name, const char *encoder)
{
    memset(fx, 0, sizeof *fx);
    fx->dir = mv_test_tmpdir(name);
    assert_non_null(fx->dir);
    snprintf(fx->song, sizeof fx->song, "%s/song.wav", fx->dir);
    snprintf(fx->picture, sizeof fx->picture, "%s/disc.ppm", fx->dir);
    snprintf(fx->out, sizeof fx->out, "%s/video.mp4", fx->dir);
    mv_test_song song = {SECONDS, 120, 0, 0, 44100, 2};
    assert_int_equal(mv_test_write_song_wav(fx->song, &song), 0);
    assert_int_equal(rt_write_disc_ppm(fx->picture, 400, 240, 50), 0);
    mv_render_scene s = {fx->picture, 0, SECONDS, "zoom_in", "fade", 1.0, 1, NULL};
    fx->scene = s;
    fx->plan.scenes = &fx->scene;
    fx->plan.scene_count = 1;
    fx->plan.audio_path = fx->song;
    fx->plan.width = W;
    fx->plan.height = H;
    fx->plan.fps = FPS;
    fx->plan.output_path = fx->out;
    fx->plan.stats = &fx->stats;
    fx->plan.encoder = encoder;
}

static void free_render(render_fixture *fx)
{
    mv_remove_tree(fx->dir, NULL);
    free(fx->dir);
}

/* maivid_tune_process_logging: SVT_LOG=1 unless the environment has its own, and then no
 * SVT-AV1 banner on stderr when the encoder is opened to see that it opens (the catalog's
 * probe). Runs first, before anything in this process opens SVT-AV1. */
static void test_tuned_logging_quiets_svt_av1(void **state)
{
    (void)state;
    setenv("SVT_LOG", "3", 1);
    maivid_tune_process_logging();
    assert_string_equal(getenv("SVT_LOG"), "3"); /* the user's own level stays */
    unsetenv("SVT_LOG");
    maivid_tune_process_logging();
    assert_non_null(getenv("SVT_LOG"));
    assert_string_equal(getenv("SVT_LOG"), "1");

    char *dir = mv_test_tmpdir("logging");
    assert_non_null(dir);
    char path[1024];
    snprintf(path, sizeof path, "%s/stderr.txt", dir);
    fflush(stderr);
    int saved = dup(2);
    FILE *log = fopen(path, "w+");
    assert_non_null(log);
    assert_int_not_equal(saved, -1);
    assert_int_not_equal(dup2(fileno(log), 2), -1);
    char why[512];
    int opens = mv_video_encoder_usable("libsvtav1", why, sizeof why);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char text[4096] = "";
    rewind(log);
    size_t n = fread(text, 1, sizeof text - 1, log);
    text[n] = 0;
    fclose(log);
    mv_remove_tree(dir, NULL);
    free(dir);
    if (!opens) {
        print_message("libsvtav1 does not open here (%s): only the environment was checked\n",
                      why);
        return;
    }
    if (strstr(text, "Svt[") != NULL)
        fail_msg("opening libsvtav1 printed its banner with SVT_LOG=1:\n%s", text);
}

static void test_catalog_says_what_opens_here(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("encoder-catalog");
    char data_dir[4200], err[1024] = "";
    snprintf(data_dir, sizeof data_dir, "%s/data", dir);
    maivid_config c;
    maivid_config_init(&c);
    c.data_dir = data_dir;
    maivid_engine *engine = NULL;
    assert_int_equal(maivid_engine_open(&c, &engine, err, sizeof err), MAIVID_OK);
    char *json = maivid_catalog_json(engine, MAIVID_CATALOG_ENCODERS, 0);
    maivid_engine_close(engine);
    mv_remove_tree(dir, NULL);
    free(dir);
    assert_non_null(json);
    cJSON *arr = cJSON_Parse(json);
    maivid_free(json);
    assert_true(cJSON_IsArray(arr));
    assert_int_equal(cJSON_GetArraySize(arr), 6);
    const cJSON *e;
    int seen_x264 = 0;
    cJSON_ArrayForEach(e, arr)
    {
        const char *id = cJSON_GetObjectItem(e, "id")->valuestring;
        int usable = cJSON_IsTrue(cJSON_GetObjectItem(e, "usable"));
        const cJSON *why = cJSON_GetObjectItem(e, "unusable_reason");
        print_message("%-11s %s%s\n", id, usable ? "usable" : "not usable: ",
                      usable ? "" : why->valuestring);
        if (usable)
            assert_null(why);
        else
            assert_true(cJSON_IsString(why) && strlen(why->valuestring) > 10);
        if (strcmp(id, "libx264") == 0) {
            seen_x264 = 1;
            assert_true(usable);
        }
        if (strstr(id, "nvenc") && !have_nvidia())
            assert_false(usable);
    }
    assert_true(seen_x264);
    cJSON_Delete(arr);
}

static void test_nvenc_without_gpu_falls_back_to_libx264(void **state)
{
    (void)state;
    if (have_nvidia()) {
        MV_TEST_SKIP("this machine has an NVIDIA device (test_render_encoders_gpu covers it)");
    }
    render_fixture fx;
    make_render(&fx, "encoder-fallback", "h264_nvenc");
    mv_error err = {0};
    assert_int_equal(mv_render_video(&fx.plan, NULL, &err), MAIVID_OK);
    assert_string_equal(fx.stats.encoder, "libx264");
    print_message("warning: %s\n", fx.stats.encoder_warning);
    assert_non_null(strstr(fx.stats.encoder_warning, "h264_nvenc"));
    assert_non_null(strstr(fx.stats.encoder_warning, "libx264"));
    rt_media_info info;
    assert_int_equal(rt_probe(fx.out, &info), 0);
    assert_int_equal(info.video_codec, AV_CODEC_ID_H264);
    assert_int_equal(info.video_frames, (int64_t)(SECONDS * FPS));
    free_render(&fx);
}

static void render_with(const char *encoder, int codec)
{
    render_fixture fx;
    make_render(&fx, encoder, encoder);
    mv_error err = {0};
    assert_int_equal(mv_render_video(&fx.plan, NULL, &err), MAIVID_OK);
    assert_string_equal(fx.stats.encoder, encoder);
    assert_string_equal(fx.stats.encoder_warning, "");
    rt_media_info info;
    assert_int_equal(rt_probe(fx.out, &info), 0);
    assert_int_equal(info.video_codec, codec);
    assert_int_equal(info.video_frames, (int64_t)(SECONDS * FPS));
    free_render(&fx);
}

static void test_nvenc_on_gpu(void **state)
{
    (void)state;
    if (!have_nvidia()) {
        MV_TEST_SKIP("no NVIDIA device here (/dev/nvidiactl and /dev/nvidia0 missing): the "
                     "NVENC path needs a GPU machine; test_render_encoders tests the fallback");
    }
    char why[512];
    if (!mv_video_encoder_usable("h264_nvenc", why, sizeof why))
        fail_msg("an NVIDIA device is present but h264_nvenc does not open: %s", why);
    render_with("h264_nvenc", AV_CODEC_ID_H264);
    render_with("hevc_nvenc", AV_CODEC_ID_HEVC);
}

static void test_libx265_writes_hevc(void **state)
{
    (void)state;
    char why[512];
    if (!mv_video_encoder_usable("libx265", why, sizeof why)) {
        print_message("libx265 does not open here: %s\n", why);
        MV_TEST_SKIP("libx265 does not open here");
    }
    render_with("libx265", AV_CODEC_ID_HEVC);
}

static void test_libsvtav1_writes_av1(void **state)
{
    (void)state;
    char why[512];
    if (!mv_video_encoder_usable("libsvtav1", why, sizeof why)) {
        print_message("libsvtav1 does not open here: %s\n", why);
        MV_TEST_SKIP("libsvtav1 does not open here");
    }
    render_with("libsvtav1", AV_CODEC_ID_AV1);
}

/* A whole job: the fallback is a warning in the status, never a failed job. */
static void test_job_asking_nvenc_finishes_with_a_warning(void **state)
{
    (void)state;
    if (have_nvidia())
        MV_TEST_SKIP("this machine has an NVIDIA device (test_render_encoders_gpu covers it)");
    char *dir = mv_test_tmpdir("encoder-job");
    char song[4096], data_dir[4200];
    snprintf(song, sizeof song, "%s/song.wav", dir);
    snprintf(data_dir, sizeof data_dir, "%s/data", dir);
    mv_test_song spec = {.seconds = 3.0, .bpm = 120};
    assert_int_equal(mv_test_write_song_wav(song, &spec), 0);
    maivid_config c;
    maivid_config_init(&c);
    c.data_dir = data_dir;
    c.allow_local_files = 1;
    maivid_engine *e = NULL;
    char err[1024] = "";
    assert_int_equal(maivid_engine_open(&c, &e, err, sizeof err), MAIVID_OK);
    maivid_job_params p;
    maivid_job_params_init(&p);
    p.local_path = song;
    p.model = "procedural";
    p.resolution = "480p";
    p.fps = 12;
    p.scene_count = 1;
    p.encoder = "h264_nvenc";
    char id[MAIVID_JOB_ID_SIZE];
    assert_int_equal(maivid_job_create(e, &p, id, err, sizeof err), MAIVID_OK);
    assert_int_equal(maivid_job_wait(e, id, 300000), MAIVID_OK);
    maivid_status *st = NULL;
    assert_int_equal(maivid_job_status(e, id, &st), MAIVID_OK);
    assert_int_equal(maivid_status_state(st), MAIVID_JOB_COMPLETED);
    char *json = maivid_status_to_json(st, 0);
    assert_non_null(strstr(json, "encoder h264_nvenc is not usable here"));
    maivid_free(json);
    maivid_status_free(st);
    maivid_engine_close(e);
    mv_remove_tree(dir, NULL);
    free(dir);
}

/* No argument: everything but the GPU test; --gpu: the GPU test alone, its own ctest entry
 * (test_render_encoders_gpu) so that it shows as skipped where there is no NVIDIA device
 * while the fallback tests show as passed. */
int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--gpu") == 0)
        cmocka_set_test_filter("test_nvenc_on_gpu");
    else
        cmocka_set_skip_filter("test_nvenc_on_gpu");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tuned_logging_quiets_svt_av1),
        cmocka_unit_test(test_catalog_says_what_opens_here),
        cmocka_unit_test(test_nvenc_without_gpu_falls_back_to_libx264),
        cmocka_unit_test(test_nvenc_on_gpu),
        cmocka_unit_test(test_libx265_writes_hevc),
        cmocka_unit_test(test_libsvtav1_writes_av1),
        cmocka_unit_test(test_job_asking_nvenc_finishes_with_a_warning),
    };
    return mv_test_exit_code(cmocka_run_group_tests(tests, NULL, NULL));
}
