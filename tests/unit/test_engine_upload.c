/*
 * test_engine_upload.c - maivid_job_create_upload(): a song a server received becomes a job
 * on an engine that reads no local files (as maivid-server's): the file is moved into the
 * job's source/ folder under a safe name and the job completes from it (painter, 480p, 12
 * fps, one scene); refused before any job exists, the file left where it was: a url as
 * well, a missing or empty file, a file that is not audio, one over max_download_bytes, a
 * bad parameter. The path stays out of the public status. A plain job naming a local file is
 * still refused on that engine.
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

#include "ingest_audio.h"
#include "maivid/maivid.h"
#include "mv_test_util.h"
#include "util/mv_common.h"

typedef struct upload_env {
    char *dir;
    maivid_engine *engine;
} upload_env;

static int setup(void **state)
{
    upload_env *env = calloc(1, sizeof *env);
    env->dir = mv_test_tmpdir("engine-upload");
    maivid_config c;
    maivid_config_init(&c);
    char *data = mv_strdup_printf("%s/data", env->dir);
    c.data_dir = data;
    c.allow_local_files = 0; /* as maivid-server */
    c.max_download_bytes = 400 * 1024;
    int rc = maivid_engine_open(&c, &env->engine, NULL, 0);
    free(data);
    *state = env;
    return rc == MAIVID_OK ? 0 : -1;
}

static int teardown(void **state)
{
    upload_env *env = *state;
    maivid_engine_close(env->engine);
    free(env->dir);
    free(env);
    return 0;
}

static void short_job(maivid_job_params *p)
{
    maivid_job_params_init(p);
    p->model = "procedural";
    p->resolution = "480p";
    p->fps = 12;
    p->scene_count = 1;
}

static void test_upload_runs_as_a_job(void **state)
{
    upload_env *env = *state;
    char *wav = mv_strdup_printf("%s/incoming.tmp", env->dir);
    assert_int_equal(ingest_make_audio(wav, "mp3", 2.0, NULL), 0);
    maivid_job_params p;
    short_job(&p);
    char id[MAIVID_JOB_ID_SIZE];
    char err[512] = "";
    assert_int_equal(maivid_job_create_upload(env->engine, &p, wav, "../My Song*(live).mp3", id,
                                              err, sizeof err), MAIVID_OK);
    assert_false(mv_file_exists(wav)); /* moved, not copied */
    assert_int_equal(maivid_job_wait(env->engine, id, 120000), MAIVID_OK);
    maivid_status *st = NULL;
    assert_int_equal(maivid_job_status(env->engine, id, &st), MAIVID_OK);
    assert_int_equal(maivid_status_state(st), MAIVID_JOB_COMPLETED);
    assert_string_equal(maivid_status_song_source_kind(st), "file");
    char *kept = mv_strdup_printf("%s/source/upload/My Song_(live).mp3", maivid_status_job_dir(st));
    assert_true(mv_file_exists(kept));
    char *json = maivid_status_to_json(st, 0);
    assert_null(strstr(json, "source/upload")); /* the path is private */
    assert_string_equal(maivid_status_song_title(st), "My Song (live)");
    maivid_free(json);
    free(kept);
    maivid_status_free(st);
    free(wav);
}

static void test_refusals_leave_the_file(void **state)
{
    upload_env *env = *state;
    maivid_job_params p;
    short_job(&p);
    char id[MAIVID_JOB_ID_SIZE];
    char err[512] = "";
    char *missing = mv_strdup_printf("%s/none.mp3", env->dir);
    assert_int_equal(maivid_job_create_upload(env->engine, &p, missing, "a.mp3", id, err, sizeof err),
                     MAIVID_E_INVALID);
    assert_non_null(strstr(err, "missing"));

    char *text = mv_strdup_printf("%s/notes.txt", env->dir);
    FILE *f = fopen(text, "w");
    fputs("not a song\n", f);
    fclose(f);
    assert_int_equal(maivid_job_create_upload(env->engine, &p, text, "notes.txt", id, err, sizeof err),
                     MAIVID_E_MEDIA);
    assert_non_null(strstr(err, "not audio"));
    assert_true(mv_file_exists(text));

    char *empty = mv_strdup_printf("%s/empty.mp3", env->dir);
    fclose(fopen(empty, "w"));
    assert_int_equal(maivid_job_create_upload(env->engine, &p, empty, "e.mp3", id, err, sizeof err),
                     MAIVID_E_MEDIA);

    char *big = mv_strdup_printf("%s/big.wav", env->dir);
    assert_int_equal(ingest_make_audio(big, "wav", 10.0, NULL), 0); /* > 400 KiB */
    assert_int_equal(maivid_job_create_upload(env->engine, &p, big, "big.wav", id, err, sizeof err),
                     MAIVID_E_INVALID);
    assert_non_null(strstr(err, "more than"));
    assert_true(mv_file_exists(big));

    char *song = mv_strdup_printf("%s/ok.mp3", env->dir);
    assert_int_equal(ingest_make_audio(song, "mp3", 1.0, NULL), 0);
    maivid_job_params with_url = p;
    with_url.url = "https://example.com/a.mp3";
    assert_int_equal(maivid_job_create_upload(env->engine, &with_url, song, "a.mp3", id, err, sizeof err),
                     MAIVID_E_INVALID);
    maivid_job_params bad_style = p;
    bad_style.style = "no_such_style";
    assert_int_equal(maivid_job_create_upload(env->engine, &bad_style, song, "a.mp3", id, err, sizeof err),
                     MAIVID_E_INVALID);
    assert_non_null(strstr(err, "style"));
    assert_true(mv_file_exists(song));

    /* the engine still reads no local file named by a plain job */
    maivid_job_params local = p;
    local.local_path = song;
    assert_int_equal(maivid_job_create(env->engine, &local, id, err, sizeof err), MAIVID_E_POLICY);

    char **ids = NULL;
    size_t count = 0;
    assert_int_equal(maivid_job_list(env->engine, &ids, &count), MAIVID_OK);
    maivid_free(ids);
    assert_int_equal(count, 0); /* no job was made by a refusal */
    free(missing);
    free(text);
    free(empty);
    free(big);
    free(song);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_refusals_leave_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_upload_runs_as_a_job, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
