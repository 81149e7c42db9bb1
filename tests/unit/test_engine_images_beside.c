/*
 * test_engine_images_beside.c - with the built-in painter, scene_generation runs beside
 * video_creation (engine/images_beside.c): the render starts once the first picture is on
 * disk and waits for each later one, so some scenes are finished while the job already
 * reports video_creation, and the video still has every scene. A scene that cannot be
 * written fails the job as a scene_generation failure naming the scene (no video, no hang),
 * and a resume once the obstacle is gone finishes it;
 * a job cancelled while the pictures are still being painted ends cancelled.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/mv_images_beside.h"
#include "maivid/maivid.h"
#include "mv_test_media.h"
#include "mv_test_util.h"
#include "util/mv_common.h"

#define SCENES 4

typedef struct watch {
    pthread_mutex_t lock;
    maivid_engine *engine;
    int scene_events_in_render;   /* scene events while the job reports video_creation */
    int scene_events_in_images;   /* ... while it reports scene_generation */
    int cancel_in_render;         /* 1: cancel the job at its first video_creation event */
    int cancelled;
} watch;

static void on_event(void *user_data, const maivid_event *ev)
{
    watch *w = user_data;
    pthread_mutex_lock(&w->lock);
    if (ev->type == MAIVID_EVENT_SCENE && ev->stage == MAIVID_STAGE_VIDEO_CREATION)
        w->scene_events_in_render++;
    if (ev->type == MAIVID_EVENT_SCENE && ev->stage == MAIVID_STAGE_SCENE_GENERATION)
        w->scene_events_in_images++;
    int cancel = w->cancel_in_render && !w->cancelled && ev->stage == MAIVID_STAGE_VIDEO_CREATION;
    if (cancel)
        w->cancelled = 1;
    pthread_mutex_unlock(&w->lock);
    if (cancel) /* observers run without the engine's lock: the API may be called */
        maivid_job_cancel(w->engine, ev->job_id);
}

typedef struct fixture {
    char *dir;
    char song[4096];
    char data_dir[4200];
    watch w;
    maivid_stages stages;
    maivid_engine *engine;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = mv_test_tmpdir("images-beside");
    snprintf(f->song, sizeof f->song, "%s/song.wav", f->dir);
    mv_test_song spec = {.seconds = 8.0, .bpm = 120, .loud_start = 4.0, .loud_end = 8.0};
    if (mv_test_write_song_wav(f->song, &spec) != 0)
        return -1;
    snprintf(f->data_dir, sizeof f->data_dir, "%s/data", f->dir);
    pthread_mutex_init(&f->w.lock, NULL);
    f->stages.version = MAIVID_STAGES_VERSION; /* only the observer: every stage built in */
    f->stages.user_data = &f->w;
    f->stages.on_event = on_event;
    maivid_config c;
    maivid_config_init(&c);
    c.data_dir = f->data_dir;
    c.allow_local_files = 1;
    c.stages = &f->stages;
    char err[1024] = "";
    if (maivid_engine_open(&c, &f->engine, err, sizeof err) != MAIVID_OK) {
        print_error("engine: %s\n", err);
        return -1;
    }
    f->w.engine = f->engine;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    maivid_engine_close(f->engine);
    pthread_mutex_destroy(&f->w.lock);
    mv_remove_tree(f->dir, NULL);
    free(f->dir);
    free(f);
    return 0;
}

/* Starts a painter job of SCENES scenes at 480p; its id in `id`. */
static void start_job(fixture *f, char *id)
{
    maivid_job_params p;
    maivid_job_params_init(&p);
    p.local_path = f->song;
    p.model = "procedural";
    p.style = "cinematic";
    p.resolution = "480p";
    p.fps = 12;
    p.scene_count = SCENES;
    p.lyrics = "[Verse]\nHarbour lights on the water\n[Chorus]\nWe sail into the night\n";
    char err[1024] = "";
    if (maivid_job_create(f->engine, &p, id, err, sizeof err) != MAIVID_OK)
        fail_msg("create: %s", err);
}

static maivid_status *ended_status(fixture *f, const char *id)
{
    assert_int_equal(maivid_job_wait(f->engine, id, 300000), MAIVID_OK);
    maivid_status *st = NULL;
    assert_int_equal(maivid_job_status(f->engine, id, &st), MAIVID_OK);
    return st;
}

static void test_the_render_starts_before_the_last_picture(void **state)
{
    fixture *f = *state;
    char id[MAIVID_JOB_ID_SIZE];
    start_job(f, id);
    maivid_status *st = ended_status(f, id);
    if (maivid_status_state(st) != MAIVID_JOB_COMPLETED)
        fail_msg("job ended %s: %s", maivid_job_state_name(maivid_status_state(st)),
                 maivid_status_error(st) ? maivid_status_error(st) : "");
    assert_int_equal(maivid_status_processed_scenes(st), SCENES);
    /* the first picture is made before the render starts, some after it started */
    assert_true(f->w.scene_events_in_images >= 1);
    assert_true(f->w.scene_events_in_render >= 1);
    for (int i = 1; i <= SCENES; i++) {
        char *path = mv_strdup_printf("%s/jobs/%s/scenes/scene_%03d.png", f->data_dir, id, i);
        assert_true(mv_file_size(path) > 0);
        free(path);
    }
    mv_test_media_info info;
    assert_int_equal(mv_test_probe_media(maivid_status_video_path(st), &info), 0);
    assert_string_equal(info.video_codec, "h264");
    assert_true(labs(info.video_frames - 96) <= 1);
    maivid_status_free(st);
}

static void test_a_scene_that_cannot_be_written_fails_the_job(void **state)
{
    fixture *f = *state;
    char id[MAIVID_JOB_ID_SIZE];
    start_job(f, id);
    /* a folder where scene 3's picture goes: its atomic rename fails (the pipeline is still
     * reading the song, far from the pictures) */
    char *blocker = mv_strdup_printf("%s/jobs/%s/scenes/scene_003.png/x", f->data_dir, id);
    mv_error err;
    assert_int_equal(mv_mkdir_p(blocker, &err), MAIVID_OK);
    free(blocker);
    maivid_status *st = ended_status(f, id);
    assert_int_equal(maivid_status_state(st), MAIVID_JOB_FAILED);
    const char *error = maivid_status_error(st);
    assert_non_null(error);
    if (!strstr(error, "Scene image generation failed") || !strstr(error, "scene 3"))
        fail_msg("the error does not name the stage and the scene: %s", error);
    /* the status names the stage that failed, not the render it stopped, and the job's
     * record no longer counts it done (it was marked so when the render began) */
    assert_int_equal(maivid_status_stage(st), MAIVID_STAGE_SCENE_GENERATION);
    char *record_path = mv_strdup_printf("%s/jobs/%s/job.json", f->data_dir, id);
    char *record = NULL;
    size_t record_len = 0;
    assert_int_equal(mv_read_file(record_path, &record, &record_len, &err), MAIVID_OK);
    const char *done = strstr(record, "\"stages_done\"");
    assert_non_null(done);
    const char *done_end = strchr(done, ']');
    const char *images_done = strstr(done, "\"scene_generation\"");
    if (!done_end || (images_done && images_done < done_end))
        fail_msg("the failed stage is recorded as done: %s", done);
    free(record);
    free(record_path);
    assert_null(maivid_status_video_path(st));
    char *video = mv_strdup_printf("%s/jobs/%s/video.mp4", f->data_dir, id);
    assert_false(mv_file_exists(video));
    free(video);
    maivid_status_free(st);
    /* with the obstacle gone, a resume paints the missing scene and makes the video */
    char *obstacle = mv_strdup_printf("%s/jobs/%s/scenes/scene_003.png", f->data_dir, id);
    assert_int_equal(mv_remove_tree(obstacle, &err), MAIVID_OK);
    free(obstacle);
    assert_int_equal(maivid_job_resume(f->engine, id), MAIVID_OK);
    st = ended_status(f, id);
    if (maivid_status_state(st) != MAIVID_JOB_COMPLETED)
        fail_msg("the resumed job ended %s: %s", maivid_job_state_name(maivid_status_state(st)),
                 maivid_status_error(st) ? maivid_status_error(st) : "");
    mv_test_media_info info;
    assert_int_equal(mv_test_probe_media(maivid_status_video_path(st), &info), 0);
    assert_true(labs(info.video_frames - 96) <= 1);
    maivid_status_free(st);
}

static void test_cancelled_while_painting_beside_the_render(void **state)
{
    fixture *f = *state;
    f->w.cancel_in_render = 1;
    char id[MAIVID_JOB_ID_SIZE];
    start_job(f, id);
    maivid_status *st = ended_status(f, id);
    assert_int_equal(f->w.cancelled, 1);
    assert_int_equal(maivid_status_state(st), MAIVID_JOB_CANCELLED);
    maivid_status_free(st);
}

/* Which jobs paint beside the render: the built-in painter's stills, up to the memory one
 * painting may add to the render's (720p yes, 1080p no), and no plugged stage in the way. */
static void test_which_jobs_paint_beside_the_render(void **state)
{
    (void)state;
    maivid_engine *engine = calloc(1, sizeof *engine); /* fits() reads its plugged stages */
    mv_job *job = calloc(1, sizeof *job);
    maivid_stage_context ctx = {.engine = engine, .job = job};
    maivid_job_params_init(&job->settings);
    job->settings.model = "procedural";
    job->settings.aspect_ratio = "16:9";
    job->settings.resolution = "720p";
    assert_true(mv_images_beside_fits(&ctx));
    job->settings.aspect_ratio = "9:16";
    assert_true(mv_images_beside_fits(&ctx));
    job->settings.resolution = "1080p";
    assert_false(mv_images_beside_fits(&ctx));
    job->settings.resolution = "480p";
    assert_true(mv_images_beside_fits(&ctx));
    job->settings.animate = "wan_i2v";
    assert_false(mv_images_beside_fits(&ctx));
    job->settings.animate = NULL;
    job->settings.model = "sdxl_turbo";
    assert_false(mv_images_beside_fits(&ctx));
    job->settings.model = "procedural";
    engine->has_stages = 1;
    engine->stages.render = (maivid_stage_fn)1; /* a plugged render cannot wait for scenes */
    assert_false(mv_images_beside_fits(&ctx));
    engine->stages.render = NULL;
    assert_true(mv_images_beside_fits(&ctx));
    free(job);
    free(engine);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_which_jobs_paint_beside_the_render),
        cmocka_unit_test_setup_teardown(test_the_render_starts_before_the_last_picture, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_scene_that_cannot_be_written_fails_the_job,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_cancelled_while_painting_beside_the_render,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
