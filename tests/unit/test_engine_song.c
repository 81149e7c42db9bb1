/*
 * test_engine_song.c - whose song it is, and a log callback that calls back into the engine.
 * Real jobs through the built-in pipeline (painter, 480p, 12 fps, one scene): a tagged MP3
 * file and a Suno song from the fake Suno give the status JSON a `song` object (title,
 * artist, tags, duration, bpm, cover, source kind, Suno id) that job.json keeps across an
 * engine reopen. The tagged-file job runs with a log callback that calls maivid_job_status()
 * and maivid_job_list() on every message; a job.json that cannot be written (a message
 * logged with the engine lock held in the old code) does the same: neither may deadlock
 * (alarm() bounds the test).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest_audio.h"
#include "maivid/maivid.h"
#include "mv_test_util.h"
#include "suno_fixture.h"
#include "util/mv_common.h"

/* The log callback's view of the engine: set once maivid_engine_open() has returned. */
typedef struct reentrant_log {
    _Atomic(maivid_engine *) engine;
    atomic_int messages, reentered;
} reentrant_log;

static void reentrant_log_fn(void *user_data, maivid_log_level level, const char *job_id,
                             const char *message)
{
    (void)level;
    (void)message;
    reentrant_log *log = user_data;
    atomic_fetch_add(&log->messages, 1);
    maivid_engine *e = atomic_load(&log->engine);
    if (!e)
        return;
    char **ids = NULL;
    size_t count = 0;
    if (maivid_job_list(e, &ids, &count) == MAIVID_OK)
        maivid_free(ids);
    maivid_status *st = NULL;
    if (job_id && maivid_job_status(e, job_id, &st) == MAIVID_OK)
        maivid_status_free(st);
    atomic_fetch_add(&log->reentered, 1);
}

static void on_alarm(int signo)
{
    (void)signo;
    static const char msg[] = "deadlock: the log callback called back into the engine and "
                              "never returned\n";
    if (write(2, msg, sizeof msg - 1) < 0) {
    }
    _exit(1);
}

static maivid_engine *open_engine(const char *data_dir, reentrant_log *log, const char *web,
                                  const char *api, const char *cdn, int resume)
{
    maivid_config c;
    maivid_config_init(&c);
    c.data_dir = data_dir;
    c.allow_local_files = 1;
    c.allow_private_urls = 1;
    c.resume_jobs = resume;
    c.connect_timeout = 2;
    c.io_timeout = 5;
    if (web) {
        c.suno_web_base = web;
        c.suno_api_base = api;
        c.suno_cdn_base = cdn;
    }
    if (log) {
        c.log = reentrant_log_fn;
        c.log_user_data = log;
    }
    maivid_engine *e = NULL;
    char err[1024] = "";
    if (maivid_engine_open(&c, &e, err, sizeof err) != MAIVID_OK)
        fail_msg("engine open: %s", err);
    if (log)
        atomic_store(&log->engine, e);
    return e;
}

/* Runs one small job to its end and returns its status JSON (caller deletes). */
static cJSON *run_job(maivid_engine *e, const char *url, const char *path, char *id)
{
    maivid_job_params p;
    maivid_job_params_init(&p);
    p.url = url;
    p.local_path = path;
    p.model = "procedural";
    p.resolution = "480p";
    p.fps = 12;
    p.scene_count = 1;
    p.transition_duration = 0;
    char err[1024] = "";
    if (maivid_job_create(e, &p, id, err, sizeof err) != MAIVID_OK)
        fail_msg("create: %s", err);
    assert_int_equal(maivid_job_wait(e, id, 200000), MAIVID_OK);
    maivid_status *st = NULL;
    assert_int_equal(maivid_job_status(e, id, &st), MAIVID_OK);
    if (maivid_status_state(st) != MAIVID_JOB_COMPLETED)
        fail_msg("job ended %s: %s", maivid_job_state_name(maivid_status_state(st)),
                 maivid_status_error(st) ? maivid_status_error(st) : "");
    char *text = maivid_status_to_json(st, 0);
    maivid_status_free(st);
    cJSON *o = cJSON_Parse(text);
    maivid_free(text);
    assert_non_null(o);
    return o;
}

static const char *song_text(const cJSON *status, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(status, "song"), key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double song_number(const cJSON *status, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(status, "song"), key);
    return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static void test_tagged_file_song_with_a_reentrant_log(void **state)
{
    (void)state;
    signal(SIGALRM, on_alarm);
    alarm(400);
    char *dir = mv_test_tmpdir("engine-song-file");
    char *song = mv_strdup_printf("%s/lighthouse.mp3", dir);
    char *data = mv_strdup_printf("%s/data", dir);
    ingest_audio_tags tags = {.title = "Lighthouse by the Sea", .artist = "Mara",
                              .genre = "Folk"};
    assert_int_equal(ingest_make_audio(song, "mp3", 3.0, &tags), 0);
    reentrant_log log = {0};
    maivid_engine *e = open_engine(data, &log, NULL, NULL, NULL, 1);
    char id[MAIVID_JOB_ID_SIZE];
    cJSON *o = run_job(e, NULL, song, id);
    assert_string_equal(song_text(o, "title"), "Lighthouse by the Sea");
    assert_string_equal(song_text(o, "artist"), "Mara");
    assert_string_equal(song_text(o, "tags"), "Folk");
    assert_string_equal(song_text(o, "source_kind"), "file");
    assert_null(song_text(o, "suno_id"));
    assert_null(song_text(o, "cover_url"));
    double duration = song_number(o, "duration");
    assert_true(duration > 2.5 && duration < 3.5);
    /* no BPM tag: the analysed tempo, as the job's own bpm field (null for a plain tone) */
    const cJSON *bpm = cJSON_GetObjectItemCaseSensitive(o, "bpm");
    assert_true(song_number(o, "bpm") == (cJSON_IsNumber(bpm) ? bpm->valuedouble : -1));
    cJSON_Delete(o);
    maivid_status *st = NULL;
    assert_int_equal(maivid_job_status(e, id, &st), MAIVID_OK);
    assert_string_equal(maivid_status_song_artist(st), "Mara");
    assert_true(maivid_status_song_bpm(st) >= 0);
    maivid_status_free(st);
    atomic_store(&log.engine, NULL);
    maivid_engine_close(e);
    assert_true(atomic_load(&log.reentered) >= 5); /* queued, stages, completed */

    /* job.json keeps the song */
    e = open_engine(data, NULL, NULL, NULL, NULL, 1);
    assert_int_equal(maivid_job_status(e, id, &st), MAIVID_OK);
    assert_string_equal(maivid_status_song_title(st), "Lighthouse by the Sea");
    assert_string_equal(maivid_status_song_source_kind(st), "file");
    assert_true(maivid_status_song_duration(st) > 2.5);
    maivid_status_free(st);
    maivid_engine_close(e);
    alarm(0);
    mv_remove_tree(dir, NULL);
    free(dir);
    free(song);
    free(data);
}

static void test_suno_song_has_its_id_and_cover(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("engine-song-suno");
    char *mp3 = mv_strdup_printf("%s/tone.mp3", dir);
    char *data = mv_strdup_printf("%s/data", dir);
    assert_int_equal(ingest_make_audio(mp3, "mp3", 3.0, NULL), 0);
    size_t mp3_len = 0;
    uint8_t *bytes = ingest_read_all(mp3, &mp3_len);
    suno_fixture fx;
    memset(&fx, 0, sizeof fx);
    assert_int_equal(suno_fixture_start(&fx), 0);
    fx.era = 'C';
    fx.share_mode = 307;
    fx.mp3 = bytes;
    fx.mp3_len = mp3_len;
    maivid_engine *e = open_engine(data, NULL, fx.web, fx.api, fx.cdn, 1);
    char *url = mv_strdup_printf("%s/song/%s", fx.web, SUNO_FIX_ID);
    char id[MAIVID_JOB_ID_SIZE];
    cJSON *o = run_job(e, url, NULL, id);
    assert_string_equal(song_text(o, "title"), "Neon Rain");
    assert_string_equal(song_text(o, "artist"), "Lan");
    assert_non_null(strstr(song_text(o, "tags"), "synthwave"));
    assert_string_equal(song_text(o, "source_kind"), "suno");
    assert_string_equal(song_text(o, "suno_id"), SUNO_FIX_ID);
    const char *cover = song_text(o, "cover_path");
    assert_non_null(cover);
    assert_non_null(strstr(cover, "/source/cover.jpg"));
    assert_true(mv_file_exists(cover));
    assert_true(song_number(o, "duration") > 2.5);
    cJSON_Delete(o);
    maivid_engine_close(e);
    suno_fixture_stop(&fx);
    mv_remove_tree(dir, NULL);
    free(url);
    free(bytes);
    free(dir);
    free(mp3);
    free(data);
}

/* A queued (or interrupted) job of a closed engine, taken over by one opened with
 * resume_jobs = 0, whose job.json cannot be replaced: cancelling it logs the write error
 * while the engine holds its lock. The callback calls back into the engine: it must get in. */
static void test_log_under_the_lock_reaches_a_reentrant_callback(void **state)
{
    (void)state;
    signal(SIGALRM, on_alarm);
    alarm(120);
    char *dir = mv_test_tmpdir("engine-log-lock");
    char *data = mv_strdup_printf("%s/data", dir);
    maivid_config c;
    maivid_config_init(&c);
    c.data_dir = data;
    c.allow_private_urls = 1;
    c.workers = 1;
    maivid_engine *e = NULL;
    assert_int_equal(maivid_engine_open(&c, &e, NULL, 0), MAIVID_OK);
    /* A server that never answers: whether the worker starts the job before the close or
     * not, it cannot end it (a refused connection ended it now and then, and a failed job
     * is not taken over) */
    int silent = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t addr_len = sizeof addr;
    assert_true(silent >= 0);
    assert_int_equal(bind(silent, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(listen(silent, 4), 0);
    assert_int_equal(getsockname(silent, (struct sockaddr *)&addr, &addr_len), 0);
    char *url = mv_strdup_printf("http://127.0.0.1:%d/song.wav", ntohs(addr.sin_port));
    maivid_job_params p;
    maivid_job_params_init(&p);
    p.url = url;
    p.model = "procedural";
    char id[MAIVID_JOB_ID_SIZE];
    assert_int_equal(maivid_job_create(e, &p, id, NULL, 0), MAIVID_OK);
    maivid_engine_close(e);
    close(silent);
    free(url);

    reentrant_log log = {0};
    e = open_engine(data, &log, NULL, NULL, NULL, 0);
    char *record = mv_strdup_printf("%s/jobs/%s/job.json", data, id);
    char *inner = mv_strdup_printf("%s/keep", record);
    assert_int_equal(unlink(record), 0);
    assert_int_equal(mkdir(record, 0700), 0); /* rename() over it fails, even for root */
    assert_int_equal(mkdir(inner, 0700), 0);
    int before = atomic_load(&log.reentered);
    char err[512] = "";
    assert_int_equal(maivid_job_cancel_ex(e, id, err, sizeof err), MAIVID_OK);
    assert_true(atomic_load(&log.reentered) > before);
    atomic_store(&log.engine, NULL);
    maivid_engine_close(e);
    alarm(0);
    mv_remove_tree(dir, NULL);
    free(record);
    free(inner);
    free(data);
    free(dir);
}

/* cancel, resume and delete say why they fail. */
static void test_cancel_resume_delete_give_their_reason(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("engine-job-errors");
    maivid_engine *e = open_engine(dir, NULL, NULL, NULL, NULL, 1);
    char err[512] = "";
    assert_int_equal(maivid_job_cancel_ex(e, "nonsense", err, sizeof err), MAIVID_E_INVALID);
    assert_non_null(strstr(err, "not a job id"));
    err[0] = '\0';
    const char *ghost = "job_20250516_123456_abcdef12";
    assert_int_equal(maivid_job_resume_ex(e, ghost, err, sizeof err), MAIVID_E_NOT_FOUND);
    assert_non_null(strstr(err, ghost));
    err[0] = '\0';
    assert_int_equal(maivid_job_delete_ex(e, ghost, err, sizeof err), MAIVID_E_NOT_FOUND);
    assert_non_null(strstr(err, "no job"));
    assert_int_equal(maivid_job_delete(e, ghost), MAIVID_E_NOT_FOUND); /* the old call */

    maivid_job_params p;
    maivid_job_params_init(&p);
    p.url = "http://127.0.0.1:9/song.wav";
    p.model = "procedural";
    char id[MAIVID_JOB_ID_SIZE];
    assert_int_equal(maivid_job_create(e, &p, id, NULL, 0), MAIVID_OK);
    maivid_code rc = maivid_job_delete_ex(e, id, err, sizeof err);
    if (rc == MAIVID_E_BUSY) { /* still queued or running (the fetch fails quickly) */
        assert_non_null(strstr(err, "cancel it"));
        maivid_job_wait(e, id, 60000);
        assert_int_equal(maivid_job_delete_ex(e, id, err, sizeof err), MAIVID_OK);
    }
    maivid_engine_close(e);
    mv_remove_tree(dir, NULL);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cancel_resume_delete_give_their_reason),
        cmocka_unit_test(test_log_under_the_lock_reaches_a_reentrant_callback),
        cmocka_unit_test(test_tagged_file_song_with_a_reentrant_log),
        cmocka_unit_test(test_suno_song_has_its_id_and_cover),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
