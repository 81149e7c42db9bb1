/*
 * test_lyrics_timing.c - the lyric timing step inside real jobs (built-in lyrics and
 * analysis stages on a sung test song with known line starts; the later stages plugged):
 * each source in turn - the user's LRC, Suno's aligned lyrics with the operator's session
 * token (fixture), a refused token degrading to the audio estimate with a warning,
 * speech-to-text word times aligned to the known text (CivetWeb fixture), the
 * estimate itself from the decoded file - gives lyrics_timed.json, the four caption
 * sidecars and lyrics_timing in the status; the token never reaches job.json, the status,
 * the warnings or the log; a failed job resumed does not time the lyrics again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <civetweb.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "captions/mv_captions.h"
#include "engine_stages.h"
#include "ingest/mv_ingest_internal.h"
#include "maivid/maivid.h"
#include "maivid/maivid_stages.h"
#include "mv_test_util.h"
#include "plan/mv_lyrics.h"
#include "sung_song.h"
#include "suno_fixture.h"

#define TOKEN "s3cr3t-sess10n-t0ken"

static const char *const lyric_text =
    "[Verse 1]\nBlue lights on the harbor water\nSilver rain across the city street\n"
    "I walk beneath the sleeping towers\n\n[Chorus]\nWe are fire in the midnight sky\n"
    "Golden stars that never die\n";
static const double starts[] = {6.0, 10.3, 14.1, 21.0, 24.6};

typedef struct fixture {
    engine_test_stages stages; /* first: the plugged stages' user data is the fixture too */
    maivid_stages plugged;
    char *dir;
    maivid_engine *engine;
    const char *song_id;     /* written into metadata.json when set */
    pthread_mutex_t log_lock;
    char log[16384];
} fixture;

static maivid_code fetch_sung_song(void *ud, maivid_stage_context *ctx)
{
    fixture *f = ud; /* &f->stages, the fixture's first member */
    char path[4096];
    snprintf(path, sizeof path, "%s/source", maivid_ctx_job_dir(ctx));
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/source/audio.wav", maivid_ctx_job_dir(ctx));
    mv_lyrics known;
    mv_error err = {0};
    if (mv_lyrics_parse(lyric_text, &known, &err) != MAIVID_OK)
        return maivid_ctx_fail(ctx, MAIVID_E_INTERNAL, "%s", err.message);
    sung_line lines[8];
    for (size_t i = 0; i < known.line_count; i++)
        lines[i] = (sung_line){known.lines[i].text, starts[i]};
    sung_song song = {.seconds = 32, .bpm = 112, .voice_db = -3, .syllable = 0.3, .seed = 5,
                      .lines = lines, .line_count = known.line_count};
    int bad = sung_song_write_wav(&song, path) != 0;
    mv_lyrics_free(&known);
    if (bad)
        return maivid_ctx_fail(ctx, MAIVID_E_IO, "cannot write %s", path);
    char meta[512];
    snprintf(meta, sizeof meta, "{\"title\":\"Sung\",\"audio\":\"audio.wav\",\"duration\":32%s%s%s}",
             f->song_id ? ",\"song_id\":\"" : "", f->song_id ? f->song_id : "",
             f->song_id ? "\"" : "");
    snprintf(path, sizeof path, "%s/source/metadata.json", maivid_ctx_job_dir(ctx));
    return mv_write_file_atomic(path, meta, strlen(meta), NULL);
}

static void on_log(void *user, maivid_log_level level, const char *job_id, const char *msg)
{
    fixture *f = user;
    (void)level;
    (void)job_id;
    pthread_mutex_lock(&f->log_lock);
    strncat(f->log, msg, sizeof f->log - strlen(f->log) - 2);
    strcat(f->log, "\n");
    pthread_mutex_unlock(&f->log_lock);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = mv_test_tmpdir("lyrics-timing");
    engine_test_stages_init(&f->stages);
    engine_test_open_gate(&f->stages);
    f->stages.stages.user_data = &f->stages;
    pthread_mutex_init(&f->log_lock, NULL);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    if (f->engine)
        maivid_engine_close(f->engine);
    engine_test_stages_destroy(&f->stages);
    pthread_mutex_destroy(&f->log_lock);
    mv_remove_tree(f->dir, NULL);
    free(f->dir);
    free(f);
    return 0;
}

/* Our own stages: fetch the sung song; lyrics and analysis built in; the rest plugged. */
static void open_engine(fixture *f, const char *api_base, const char *token)
{
    maivid_config c;
    maivid_config_init(&c);
    c.data_dir = f->dir;
    c.allow_private_urls = 1;
    c.allow_local_files = 1;
    c.log = on_log;
    c.log_user_data = f;
    f->plugged = f->stages.stages;
    f->plugged.fetch = fetch_sung_song;
    f->plugged.lyrics = NULL;
    f->plugged.analysis = NULL;
    c.stages = &f->plugged;
    if (api_base)
        c.suno_api_base = api_base;
    c.suno_token = token;
    char err[512] = "";
    assert_int_equal(maivid_engine_open(&c, &f->engine, err, sizeof err), MAIVID_OK);
}

static void run_job(fixture *f, const char *lyrics, char id[MAIVID_JOB_ID_SIZE])
{
    maivid_job_params p;
    maivid_job_params_init(&p);
    p.url = "http://127.0.0.1:9/song.wav";
    p.model = "procedural";
    p.lyrics = lyrics;
    char err[512] = "";
    if (maivid_job_create(f->engine, &p, id, err, sizeof err) != MAIVID_OK)
        fail_msg("create failed: %s", err);
    assert_int_equal(maivid_job_wait(f->engine, id, 120000), MAIVID_OK);
}

/* The status JSON (caller frees) and its lyrics_timing object. */
static cJSON *status_json(fixture *f, const char *id, char **text)
{
    maivid_status *st = NULL;
    assert_int_equal(maivid_job_status(f->engine, id, &st), MAIVID_OK);
    if (maivid_status_state(st) != MAIVID_JOB_COMPLETED)
        fail_msg("job ended as %d: %s", maivid_status_state(st), maivid_status_error(st));
    *text = maivid_status_to_json(st, 0);
    maivid_status_free(st);
    return cJSON_Parse(*text);
}

static void load_timed(fixture *f, const char *id, mv_timed_lyrics *l)
{
    char path[4096];
    mv_error err = {0};
    snprintf(path, sizeof path, "%s/jobs/%s/%s", f->dir, id, MV_TIMED_LYRICS_FILE);
    if (mv_timed_lyrics_load(path, l, &err) != MAIVID_OK)
        fail_msg("%s", err.message);
    for (size_t e = 0; e < MV_SIDECAR_COUNT; e++) {
        snprintf(path, sizeof path, "%s/jobs/%s/captions.%s", f->dir, id,
                 mv_sidecar_extensions[e]);
        assert_true(mv_file_exists(path));
    }
}

static void expect_timing(cJSON *status, const char *source, int lines)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(status, "lyrics_timing");
    assert_true(cJSON_IsObject(t));
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(t, "source")->valuestring, source);
    assert_int_equal(cJSON_GetObjectItemCaseSensitive(t, "lines")->valueint, lines);
}

static void test_user_lrc_times_are_kept(void **state)
{
    fixture *f = *state;
    open_engine(f, NULL, NULL);
    char id[MAIVID_JOB_ID_SIZE], *text;
    run_job(f, "[00:06.00][Verse]\n[00:06.00]Blue lights\n[00:10.30]Silver rain\n[00:12.00]\n",
            id);
    cJSON *o = status_json(f, id, &text);
    expect_timing(o, "user", 2);
    mv_timed_lyrics l;
    load_timed(f, id, &l);
    assert_true(l.lines[0].start == 6.0 && l.lines[0].end == 10.3);
    assert_true(l.lines[1].end == 12.0);
    assert_true(l.confidence == 1.0);
    mv_timed_lyrics_free(&l);
    cJSON_Delete(o);
    free(text);
}

static double worst_start_error(const mv_timed_lyrics *l)
{
    double worst = 0;
    for (size_t i = 0; i < l->line_count; i++)
        worst = fmax(worst, fabs(l->lines[i].start - starts[i]));
    return worst;
}

static void test_estimate_from_the_audio_file(void **state)
{
    fixture *f = *state;
    open_engine(f, NULL, NULL);
    char id[MAIVID_JOB_ID_SIZE], *text;
    f->stages.fail_image_index = 0; /* fails after the timing, to be resumed below */
    run_job(f, lyric_text, id);
    maivid_status *st = NULL;
    assert_int_equal(maivid_job_status(f->engine, id, &st), MAIVID_OK);
    assert_int_equal(maivid_status_state(st), MAIVID_JOB_FAILED);
    maivid_status_free(st);
    char path[4096];
    snprintf(path, sizeof path, "%s/jobs/%s/%s", f->dir, id, MV_TIMED_LYRICS_FILE);
    struct stat before, after;
    assert_int_equal(stat(path, &before), 0);
    f->stages.fail_image_index = -1;
    assert_int_equal(maivid_job_resume(f->engine, id), MAIVID_OK);
    assert_int_equal(maivid_job_wait(f->engine, id, 60000), MAIVID_OK);
    assert_int_equal(stat(path, &after), 0);
    assert_true(before.st_mtim.tv_sec == after.st_mtim.tv_sec &&
                before.st_mtim.tv_nsec == after.st_mtim.tv_nsec);
    cJSON *o = status_json(f, id, &text);
    expect_timing(o, "estimated", 5);
    mv_timed_lyrics l;
    load_timed(f, id, &l);
    printf("estimated from the decoded WAV: worst line-start error %.3f s\n",
           worst_start_error(&l));
    assert_true(worst_start_error(&l) <= 1.5);
    assert_string_equal(l.lines[3].section, "chorus");
    mv_timed_lyrics_free(&l);
    cJSON_Delete(o);
    free(text);

}

static void assert_no_token(fixture *f, const char *id, const char *status_text)
{
    assert_null(strstr(status_text, TOKEN));
    char path[4096], *record = NULL;
    snprintf(path, sizeof path, "%s/jobs/%s/job.json", f->dir, id);
    assert_int_equal(mv_read_file(path, &record, NULL, NULL), MAIVID_OK);
    assert_null(strstr(record, TOKEN));
    free(record);
    pthread_mutex_lock(&f->log_lock);
    assert_null(strstr(f->log, TOKEN));
    pthread_mutex_unlock(&f->log_lock);
}

static void test_suno_aligned_lyrics_with_a_token(void **state)
{
    fixture *f = *state;
    suno_fixture sf;
    memset(&sf, 0, sizeof sf);
    assert_int_equal(suno_fixture_start(&sf), 0);
    sf.session_token = TOKEN;
    f->song_id = SUNO_FIX_ID;
    open_engine(f, sf.api, TOKEN);
    char id[MAIVID_JOB_ID_SIZE], *text;
    run_job(f, SUNO_FIX_LYRICS, id);
    cJSON *o = status_json(f, id, &text);
    expect_timing(o, "suno", 5);
    assert_true(sf.aligned_hits == 1);
    mv_timed_lyrics l;
    load_timed(f, id, &l);
    assert_true(l.has_word_times);
    for (size_t i = 0; i < l.line_count; i++)
        assert_true(fabs(l.lines[i].start - suno_fixture_line_start(i)) < 1e-6);
    assert_string_equal(l.lines[2].section, "chorus");
    assert_true(fabs(l.confidence - 0.9) < 1e-6);
    mv_timed_lyrics_free(&l);
    assert_no_token(f, id, text);
    cJSON_Delete(o);
    free(text);
    maivid_engine_close(f->engine);
    f->engine = NULL;

    /* a refused token: a warning, then the estimate; still no token anywhere */
    open_engine(f, sf.api, "not-the-token");
    sf.session_token = "another";
    run_job(f, SUNO_FIX_LYRICS, id);
    o = status_json(f, id, &text);
    expect_timing(o, "estimated", 5);
    assert_non_null(strstr(text, "Suno refused the session token (HTTP 403)"));
    assert_null(strstr(text, "not-the-token"));
    cJSON_Delete(o);
    free(text);
    suno_fixture_stop(&sf);
}

/* A bad timed lyrics file is refused when the job is created, naming the line and the fix. */
static void test_bad_lyrics_refused_at_create(void **state)
{
    fixture *f = *state;
    open_engine(f, NULL, NULL);
    maivid_job_params p;
    maivid_job_params_init(&p);
    p.url = "http://127.0.0.1:9/song.wav";
    p.model = "procedural";
    p.lyrics = "1\n00:00:01,000 --> 00:00:02,000\nFirst\n\n2\n00:00:03,000 -> 00:00:04,000\n"
               "Second\n";
    char id[MAIVID_JOB_ID_SIZE], err[512] = "";
    assert_int_equal(maivid_job_create(f->engine, &p, id, err, sizeof err), MAIVID_E_INVALID);
    assert_non_null(strstr(err, "'lyrics' (SRT): lyrics line 6: expected the cue's times"));
}

/* The aligned-lyrics client on its own: a missing song (404), no token, and the shape that
 * has only lines (older answers); a token file read, trimmed and never echoed. */
static void test_suno_client_and_token_file(void **state)
{
    fixture *f = *state;
    suno_fixture sf;
    memset(&sf, 0, sizeof sf);
    assert_int_equal(suno_fixture_start(&sf), 0);
    mv_fetch_config cfg = {.suno_api_base = sf.api, .allow_private_urls = 1,
                           .connect_timeout = 2, .io_timeout = 5};
    mv_heard_words heard;
    mv_error err = {0};
    sf.aligned_missing = 1;
    assert_int_equal(mv_suno_aligned_words(&cfg, SUNO_FIX_ID, "test-session-token", NULL,
                                           &heard, &err), MAIVID_E_FETCH);
    assert_non_null(strstr(err.message, "no aligned lyrics"));
    assert_int_equal(mv_suno_aligned_words(&cfg, SUNO_FIX_ID, "", NULL, &heard, &err),
                     MAIVID_E_INVALID);
    assert_int_equal(mv_suno_aligned_words(&cfg, "../etc", "t", NULL, &heard, &err),
                     MAIVID_E_INVALID);
    suno_fixture_stop(&sf);
    const char *lines_only = "{\"aligned_lyrics\":[{\"text\":\"[Verse]\",\"start_s\":1,"
                             "\"end_s\":1.5},{\"text\":\"Neon rain\",\"start_s\":2,"
                             "\"end_s\":3}]}";
    assert_int_equal(mv_suno_aligned_parse(lines_only, strlen(lines_only), &heard, &err),
                     MAIVID_OK);
    assert_int_equal(heard.n, 2);
    assert_string_equal(heard.v[1].text, "rain");
    assert_true(heard.v[1].start == 2.5 && heard.v[1].end == 3.0);
    mv_heard_free(&heard);
    assert_int_equal(mv_suno_aligned_parse("{}", 2, &heard, &err), MAIVID_E_FETCH);

    char path[4096], errbuf[512], *secret = NULL;
    snprintf(path, sizeof path, "%s/token", f->dir);
    assert_int_equal(mv_write_file_atomic(path, "  " TOKEN "  \n", strlen(TOKEN) + 5, NULL),
                     MAIVID_OK);
    assert_int_equal(maivid_secret_read_file(path, &secret, errbuf, sizeof errbuf), MAIVID_OK);
    assert_string_equal(secret, TOKEN);
    maivid_secret_free(secret);
    assert_int_equal(mv_write_file_atomic(path, "\n \n", 3, NULL), MAIVID_OK);
    assert_int_equal(maivid_secret_read_file(path, &secret, errbuf, sizeof errbuf),
                     MAIVID_E_INVALID);
    assert_non_null(strstr(errbuf, "is empty"));
    snprintf(path, sizeof path, "%s/missing", f->dir);
    assert_int_equal(maivid_secret_read_file(path, &secret, errbuf, sizeof errbuf), MAIVID_E_IO);
    assert_non_null(strstr(errbuf, "cannot read the secret file"));
}

/* ---- speech-to-text: a CivetWeb server answering word times for the sung song */

static int on_transcriptions(struct mg_connection *c, void *user)
{
    (void)user;
    char buf[4096]; /* CivetWeb's worker stacks are small: nothing big on them */
    while (mg_read(c, buf, sizeof buf) > 0)
        ; /* the whole upload */
    /* the known lines' words at the song's line starts, one misheard ("harbour"), one
     * missing ("the" in line 2) */
    static const char *const words[] = {"Blue", "lights", "on", "the", "harbour", "water", "|",
                                        "Silver", "rain", "across", "city", "street", "|",
                                        "I", "walk", "beneath", "the", "sleeping", "towers", "|",
                                        "We", "are", "fire", "in", "the", "midnight", "sky", "|",
                                        "Golden", "stars", "that", "never", "die", NULL};
    char *body = calloc(1, 8192);
    strcpy(body, "{\"text\":\"\",\"words\":[");
    size_t line = 0;
    double t = starts[0];
    for (size_t i = 0; words[i]; i++) {
        if (strcmp(words[i], "|") == 0) {
            t = starts[++line];
            continue;
        }
        char w[128];
        snprintf(w, sizeof w, "%s{\"word\":\"%s\",\"start\":%.2f,\"end\":%.2f}",
                 strlen(body) > 25 ? "," : "", words[i], t, t + 0.3);
        strncat(body, w, 8192 - strlen(body) - 1);
        t += 0.35;
    }
    strncat(body, "]}", 8192 - strlen(body) - 1);
    mg_printf(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                 "Connection: close\r\n\r\n", strlen(body));
    mg_write(c, body, strlen(body));
    free(body);
    return 200;
}

static void test_speech_to_text_word_times(void **state)
{
    fixture *f = *state;
    const char *options[] = {"listening_ports", "127.0.0.1:0", "num_threads", "2", NULL};
    struct mg_context *stt = mg_start(NULL, NULL, options);
    assert_non_null(stt);
    mg_set_request_handler(stt, "/v1/audio/transcriptions", on_transcriptions, NULL);
    struct mg_server_port ports[2];
    assert_true(mg_get_server_ports(stt, 2, ports) >= 1);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", ports[0].port);
    maivid_config c;
    maivid_config_init(&c);
    c.data_dir = f->dir;
    c.allow_private_urls = 1;
    c.stt_url = url;
    f->plugged = f->stages.stages;
    f->plugged.fetch = fetch_sung_song;
    f->plugged.lyrics = NULL;
    f->plugged.analysis = NULL;
    c.stages = &f->plugged;
    char err[512] = "";
    assert_int_equal(maivid_engine_open(&c, &f->engine, err, sizeof err), MAIVID_OK);
    char id[MAIVID_JOB_ID_SIZE], *text;
    run_job(f, lyric_text, id);
    cJSON *o = status_json(f, id, &text);
    expect_timing(o, "speech_to_text", 5);
    mv_timed_lyrics l;
    load_timed(f, id, &l);
    assert_true(l.has_word_times);
    for (size_t i = 0; i < l.line_count; i++)
        assert_true(fabs(l.lines[i].start - starts[i]) < 1e-6);
    assert_string_equal(l.lines[0].words[4].text, "harbor"); /* the known text wins */
    mv_timed_lyrics_free(&l);
    cJSON_Delete(o);
    free(text);
    maivid_engine_close(f->engine);
    f->engine = NULL;
    mg_stop(stt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bad_lyrics_refused_at_create, setup, teardown),
        cmocka_unit_test_setup_teardown(test_suno_client_and_token_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_lrc_times_are_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_estimate_from_the_audio_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_suno_aligned_lyrics_with_a_token, setup, teardown),
        cmocka_unit_test_setup_teardown(test_speech_to_text_word_times, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
