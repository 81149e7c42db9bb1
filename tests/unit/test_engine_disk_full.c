/*
 * test_engine_disk_full.c - jobs on a small filesystem (a tmpfs mounted by the test, which
 * needs root; skipped with the reason otherwise): a job whose estimate does not fit is
 * refused before its first stage with "no space left on <dir>: N MB free, about M MB
 * needed", and a job that fills the disk mid-way (an image stage that first fills it) fails
 * cleanly with "no space left", leaving a readable job.json and no temporary files, then
 * completes when resumed after space was freed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine_stages.h"
#include "mv_test_skip.h"
#include "mv_test_util.h"
#include "util/mv_common.h"

typedef struct fixture {
    char *dir;        /* the test's own folder (not size-limited) */
    char *mount;      /* <dir>/small: the tmpfs */
    int mounted;
} fixture;

static int setup_mount(void **state, const char *size)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = mv_test_tmpdir("disk-full");
    f->mount = mv_strdup_printf("%s/small", f->dir);
    *state = f;
    if (mkdir(f->mount, 0755) != 0)
        return -1;
    char options[64];
    snprintf(options, sizeof options, "size=%s,mode=0755", size);
    if (mount("tmpfs", f->mount, "tmpfs", MS_NOSUID | MS_NODEV, options) != 0) {
        printf("skipped: cannot mount a %s tmpfs at %s (%s): the disk-full tests need root "
               "(CAP_SYS_ADMIN), as in CI\n",
               size, f->mount, strerror(errno));
        return 0;
    }
    f->mounted = 1;
    return 0;
}

static int setup_tiny(void **state) { return setup_mount(state, "16m"); }
static int setup_roomy(void **state) { return setup_mount(state, "96m"); }

static int teardown(void **state)
{
    fixture *f = *state;
    if (f->mounted)
        umount2(f->mount, MNT_DETACH);
    mv_remove_tree(f->dir, NULL);
    free(f->mount);
    free(f->dir);
    free(f);
    return 0;
}

/* job.json parses, names the job and records the state expected. */
static void assert_record_readable(const char *data_dir, const char *id, const char *expected)
{
    char *path = mv_strdup_printf("%s/jobs/%s/job.json", data_dir, id);
    char *text = NULL;
    assert_int_equal(mv_read_file(path, &text, NULL, NULL), MAIVID_OK);
    cJSON *o = cJSON_Parse(text);
    assert_non_null(o);
    assert_string_equal(cJSON_GetObjectItem(o, "job_id")->valuestring, id);
    const char *state = cJSON_GetObjectItem(o, "status")->valuestring;
    assert_string_equal(state, expected);
    cJSON_Delete(o);
    free(text);
    free(path);
}

static maivid_engine *open_engine(const char *data_dir, const maivid_stages *stages)
{
    maivid_config c;
    maivid_config_init(&c);
    c.data_dir = data_dir;
    c.stages = stages;
    c.allow_private_urls = 1;
    c.allow_local_files = 1;
    maivid_engine *e = NULL;
    char err[512] = "";
    if (maivid_engine_open(&c, &e, err, sizeof err) != MAIVID_OK)
        fail_msg("open failed: %s", err);
    return e;
}

static void test_refused_before_it_starts(void **state)
{
    fixture *f = *state;
    if (!f->mounted)
        MV_TEST_SKIP("no tmpfs could be mounted: the disk-full tests need root (CAP_SYS_ADMIN), "
                     "as in CI");
    engine_test_stages stages;
    engine_test_stages_init(&stages);
    char *data_dir = mv_strdup_printf("%s/data", f->mount);
    maivid_engine *e = open_engine(data_dir, &stages.stages);
    maivid_job_params p;
    maivid_job_params_init(&p);
    p.url = "http://127.0.0.1:9/song.wav"; /* 1080p, length unknown: hundreds of MB */
    p.model = "procedural";
    char id[MAIVID_JOB_ID_SIZE];
    char err[512] = "";
    assert_int_equal(maivid_job_create(e, &p, id, err, sizeof err), MAIVID_OK);
    assert_int_equal(maivid_job_wait(e, id, 10000), MAIVID_OK);
    maivid_status *st = NULL;
    assert_int_equal(maivid_job_status(e, id, &st), MAIVID_OK);
    assert_int_equal(maivid_status_state(st), MAIVID_JOB_FAILED);
    const char *message = maivid_status_error(st);
    printf("%s\n", message);
    char *expected = mv_strdup_printf("no space left on %s: ", data_dir);
    assert_non_null(strstr(message, expected));
    assert_non_null(strstr(message, " MB free, about "));
    assert_non_null(strstr(message, " MB needed; free space or set --data-dir"));
    free(expected);
    maivid_status_free(st);
    assert_int_equal(engine_test_calls(&stages, MAIVID_STAGE_DOWNLOAD), 0);
    maivid_engine_close(e);
    assert_record_readable(data_dir, id, "failed");
    assert_int_equal(mv_test_count_temp_files(data_dir), 0);
    engine_test_stages_destroy(&stages);
    free(data_dir);
}

/* The image stage: the first scene fills the filesystem, then the built-in painter runs. */
typedef struct filler {
    char path[4096];
    int filled;
} filler;

static maivid_code fill_then_paint(void *user_data, maivid_stage_context *ctx,
                                   const maivid_scene_request *scene)
{
    filler *fl = user_data;
    if (!fl->filled) {
        fl->filled = 1;
        int fd = open(fl->path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        assert_true(fd >= 0);
        static char block[1 << 16];
        while (write(fd, block, sizeof block) > 0) {
        }
        while (write(fd, block, 512) > 0) { /* the last partial block */
        }
        close(fd);
    }
    return maivid_ctx_run_builtin(ctx, scene);
}

static void test_fills_up_mid_job_then_resumes(void **state)
{
    fixture *f = *state;
    if (!f->mounted)
        MV_TEST_SKIP("no tmpfs could be mounted: the disk-full tests need root (CAP_SYS_ADMIN), "
                     "as in CI");
    char *song = mv_strdup_printf("%s/song.wav", f->dir);
    mv_test_song spec = {.seconds = 3.0, .bpm = 120, .loud_start = 1.0, .loud_end = 2.0,
                         .sample_rate = 22050, .channels = 1};
    assert_int_equal(mv_test_write_song_wav(song, &spec), 0);
    filler fl = {.filled = 0};
    snprintf(fl.path, sizeof fl.path, "%s/filler", f->mount);
    maivid_stages stages = {.version = MAIVID_STAGES_VERSION, .user_data = &fl,
                            .image = fill_then_paint};
    char *data_dir = mv_strdup_printf("%s/data", f->mount);
    maivid_engine *e = open_engine(data_dir, &stages);
    maivid_job_params p;
    maivid_job_params_init(&p);
    p.local_path = song;
    p.model = "procedural";
    p.resolution = "480p";
    p.fps = 12;
    p.scene_count = 2;
    p.transition_duration = 0.5;
    p.lyrics = "one\ntwo";
    char id[MAIVID_JOB_ID_SIZE];
    char err[512] = "";
    assert_int_equal(maivid_job_create(e, &p, id, err, sizeof err), MAIVID_OK);
    assert_int_equal(maivid_job_wait(e, id, 60000), MAIVID_OK);
    maivid_status *st = NULL;
    assert_int_equal(maivid_job_status(e, id, &st), MAIVID_OK);
    const char *message = maivid_status_error(st);
    printf("%s\n", message ? message : "(no error)");
    assert_int_equal(maivid_status_state(st), MAIVID_JOB_FAILED);
    assert_non_null(strstr(message, "Scene image generation failed: no space left on "));
    assert_null(maivid_status_video_path(st));
    maivid_status_free(st);
    assert_true(fl.filled);
    /* Recorded as failed even though the disk is full (the space reserve gave way). */
    assert_record_readable(data_dir, id, "failed");
    assert_int_equal(mv_test_count_temp_files(data_dir), 0);

    /* Space freed: the job resumes from its finished stages and completes. */
    assert_int_equal(unlink(fl.path), 0);
    assert_int_equal(maivid_job_resume(e, id), MAIVID_OK);
    assert_int_equal(maivid_job_wait(e, id, 60000), MAIVID_OK);
    assert_int_equal(maivid_job_status(e, id, &st), MAIVID_OK);
    if (maivid_status_state(st) != MAIVID_JOB_COMPLETED)
        fail_msg("resumed job ended %s: %s", maivid_job_state_name(maivid_status_state(st)),
                 maivid_status_error(st));
    assert_true(mv_file_size(maivid_status_video_path(st)) > 1000);
    maivid_status_free(st);
    maivid_engine_close(e);
    assert_record_readable(data_dir, id, "completed");
    assert_int_equal(mv_test_count_temp_files(data_dir), 0);
    free(data_dir);
    free(song);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_refused_before_it_starts, setup_tiny, teardown),
        cmocka_unit_test_setup_teardown(test_fills_up_mid_job_then_resumes, setup_roomy,
                                        teardown),
    };
    return mv_test_exit_code(cmocka_run_group_tests(tests, NULL, NULL));
}
