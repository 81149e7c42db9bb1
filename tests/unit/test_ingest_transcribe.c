/*
 * test_ingest_transcribe.c - optional lyrics by speech-to-text, against a CivetWeb server on
 * 127.0.0.1 that plays an OpenAI-compatible /v1/audio/transcriptions endpoint: verbose_json
 * segments become LRC (non-lyric segments dropped), the multipart request carries the song's
 * bytes, model and key, a plain "text" answer, and every failure (500, bad JSON, slow server,
 * unreachable, refused by the URL policy) leaves an instrumental song plus a warning; cancel
 * stops at once; no request is made when lyrics exist or nothing is configured. Asked for
 * word timestamps (the lyric timing), both answer shapes give words, aligned to the known
 * text through misheard, dropped, invented and repeated words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <civetweb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "captions/mv_align.h"
#include "ingest/mv_ingest_internal.h"
#include "mv_test_util.h"

/* ------------------------------------------------------------------ the fixture server */

typedef enum stt_mode { STT_GOOD, STT_PLAIN, STT_500, STT_SLOW, STT_BAD_JSON, STT_WORDS,
                        STT_SEGMENT_WORDS } stt_mode;

typedef struct stt_server {
    struct mg_context *ctx;
    int port;
    stt_mode mode;
    atomic_int hits, stopping;
    pthread_mutex_t lock;
    char *body; /* the last request's body */
    size_t body_len;
    char content_type[256], auth[256];
} stt_server;

static const char good_answer[] =
    "{\"task\":\"transcribe\",\"language\":\"english\",\"duration\":80.0,"
    "\"text\":\"Hello world Second line\",\"segments\":["
    "{\"id\":0,\"start\":0.0,\"end\":2.5,\"text\":\" Hello world \"},"
    "{\"id\":1,\"start\":2.5,\"end\":3.0,\"text\":\" [Music]\"},"
    "{\"id\":2,\"start\":3.0,\"end\":4.0,\"text\":\" \\u266a \\u266a\"},"
    "{\"id\":3,\"start\":65.37,\"end\":70.0,\"text\":\" \\u266a Second line\\n\"},"
    "{\"id\":4,\"start\":71.0,\"end\":72.0,\"text\":\" (upbeat music)\"},"
    "{\"id\":5,\"start\":72.004,\"end\":73.0,\"text\":\"(ooh, yeah)\"},"
    "{\"id\":6,\"start\":74.0,\"end\":75.0,\"text\":\" ...\"}]}";
/* Word times as OpenAI answers them (top-level "words"), for known lyrics "Blue lights on
 * the harbor water / Silver rain across the city street": "harbor" misheard as "harbour",
 * "the" (line 2) dropped, "yeah" invented, "city" repeated. */
static const char words_answer[] =
    "{\"text\":\"...\",\"words\":["
    "{\"word\":\"Blue\",\"start\":8.0,\"end\":8.4},"
    "{\"word\":\"lights\",\"start\":8.5,\"end\":8.9},"
    "{\"word\":\"on\",\"start\":9.0,\"end\":9.2},"
    "{\"word\":\"the\",\"start\":9.3,\"end\":9.4},"
    "{\"word\":\"harbour\",\"start\":9.5,\"end\":10.0},"
    "{\"word\":\"water.\",\"start\":10.1,\"end\":10.8},"
    "{\"word\":\"yeah\",\"start\":11.0,\"end\":11.3},"
    "{\"word\":\"Silver\",\"start\":12.4,\"end\":12.9},"
    "{\"word\":\"rain\",\"start\":13.0,\"end\":13.4},"
    "{\"word\":\"across\",\"start\":13.5,\"end\":14.0},"
    "{\"word\":\"city\",\"start\":14.4,\"end\":14.8},"
    "{\"word\":\"city\",\"start\":14.8,\"end\":15.0},"
    "{\"word\":\"street\",\"start\":15.1,\"end\":15.8}]}";
/* whisper.cpp / faster-whisper: words inside segments, with a probability */
static const char segment_words_answer[] =
    "{\"segments\":[{\"start\":8.0,\"end\":10.8,\"text\":\" Blue lights\",\"words\":["
    "{\"word\":\" Blue\",\"start\":8.0,\"end\":8.4,\"probability\":0.8},"
    "{\"word\":\" \\u266a\",\"start\":8.4,\"end\":8.45,\"probability\":0.2},"
    "{\"word\":\" lights\",\"start\":8.5,\"end\":8.9,\"probability\":0.6}]}]}";
static const char good_lrc[] =
    "[00:00.00]Hello world\n[01:05.37]Second line\n[01:12.00](ooh, yeah)\n";

static void reply(struct mg_connection *c, int status, const char *body)
{
    mg_printf(c,
              "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
              "Connection: close\r\n\r\n",
              status, strlen(body));
    mg_write(c, body, strlen(body));
}

static int on_transcriptions(struct mg_connection *c, void *user)
{
    stt_server *s = user;
    atomic_fetch_add(&s->hits, 1);
    size_t cap = 1 << 16, len = 0;
    char *body = malloc(cap);
    for (;;) {
        if (len + 4096 > cap)
            body = realloc(body, cap *= 2);
        int n = mg_read(c, body + len, cap - len);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    const char *ct = mg_get_header(c, "Content-Type");
    const char *auth = mg_get_header(c, "Authorization");
    pthread_mutex_lock(&s->lock);
    free(s->body);
    s->body = body;
    s->body_len = len;
    snprintf(s->content_type, sizeof s->content_type, "%s", ct ? ct : "");
    snprintf(s->auth, sizeof s->auth, "%s", auth ? auth : "");
    pthread_mutex_unlock(&s->lock);

    switch (s->mode) {
    case STT_GOOD:
        reply(c, 200, good_answer);
        break;
    case STT_PLAIN:
        reply(c, 200, "{\"text\":\" First line\\n [Music]\\nSecond line \"}");
        break;
    case STT_500:
        reply(c, 500, "{\"error\":{\"message\":\"model crashed\"}}");
        break;
    case STT_BAD_JSON:
        reply(c, 200, "<html>not json</html>");
        break;
    case STT_WORDS:
        reply(c, 200, words_answer);
        break;
    case STT_SEGMENT_WORDS:
        reply(c, 200, segment_words_answer);
        break;
    case STT_SLOW:
        for (int i = 0; i < 160 && !atomic_load(&s->stopping); i++) {
            struct timespec ts = {0, 50 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
        reply(c, 200, good_answer);
        break;
    }
    return 200;
}

static int on_anything(struct mg_connection *c, void *user)
{
    stt_server *s = user;
    atomic_fetch_add(&s->hits, 1);
    reply(c, 404, "{\"detail\":\"Not Found\"}");
    return 404;
}

static stt_server *server_start(stt_mode mode)
{
    stt_server *s = calloc(1, sizeof *s);
    pthread_mutex_init(&s->lock, NULL);
    s->mode = mode;
    const char *options[] = {"listening_ports", "127.0.0.1:0", "num_threads", "4", NULL};
    s->ctx = mg_start(NULL, NULL, options);
    assert_non_null(s->ctx);
    mg_set_request_handler(s->ctx, "/v1/audio/transcriptions", on_transcriptions, s);
    mg_set_request_handler(s->ctx, "/", on_anything, s);
    struct mg_server_port ports[2];
    assert_true(mg_get_server_ports(s->ctx, 2, ports) >= 1);
    s->port = ports[0].port;
    return s;
}

static void server_stop(stt_server *s)
{
    atomic_store(&s->stopping, 1);
    mg_stop(s->ctx);
    pthread_mutex_destroy(&s->lock);
    free(s->body);
    free(s);
}

/* ------------------------------------------------------------------ the job side */

typedef struct job {
    char *dir, *audio, *stt_url;
    mv_fetch_config cfg;
    mv_song song;
    atomic_int cancel;
    int cancel_when_transcribing;
    int warnings;
    char warning[1024], last_progress[128];
    mv_task task;
    mv_error err;
} job;

static void on_warn(void *user, const char *text)
{
    job *j = user;
    j->warnings++;
    snprintf(j->warning, sizeof j->warning, "%s", text);
}

static void on_progress(void *user, double f, const char *text)
{
    job *j = user;
    (void)f;
    if (text) {
        snprintf(j->last_progress, sizeof j->last_progress, "%s", text);
        if (j->cancel_when_transcribing && strstr(text, "Transcribing"))
            atomic_store(&j->cancel, 1);
    }
}

static job *job_new(const stt_server *s)
{
    job *j = calloc(1, sizeof *j);
    j->dir = mv_test_tmpdir("stt");
    j->audio = mv_strdup_printf("%s/audio.wav", j->dir);
    mv_test_song song = {.seconds = 1.0, .bpm = 120, .sample_rate = 16000, .channels = 1};
    assert_int_equal(mv_test_write_song_wav(j->audio, &song), 0);
    if (s)
        j->stt_url = mv_strdup_printf("http://127.0.0.1:%d/", s->port);
    j->cfg.allow_private_urls = 1;
    j->cfg.connect_timeout = 2;
    j->cfg.io_timeout = 5;
    j->cfg.stt_url = j->stt_url;
    j->song.audio_path = j->audio;
    j->song.duration = 1.0;
    atomic_init(&j->cancel, 0);
    j->task.warn = on_warn;
    j->task.progress = on_progress;
    j->task.user_data = j;
    j->task.cancel = &j->cancel;
    return j;
}

static maivid_code job_resolve(job *j, const char *own)
{
    return mv_resolve_lyrics(&j->cfg, own, j->audio, j->dir, &j->song, &j->task, &j->err);
}

/* lyrics.txt's content; "(missing)" when the file does not exist. Caller frees. */
static char *job_lyrics(const job *j)
{
    char *path = mv_strdup_printf("%s/lyrics.txt", j->dir);
    char *text = NULL;
    size_t len = 0;
    if (mv_read_file(path, &text, &len, NULL) != MAIVID_OK)
        text = mv_strdup("(missing)");
    free(path);
    return text;
}

static void job_free(job *j)
{
    mv_remove_tree(j->dir, NULL);
    free(j->dir);
    free(j->audio);
    free(j->stt_url);
    free(j);
}

static void assert_lyrics(const job *j, const char *want)
{
    char *got = job_lyrics(j);
    assert_string_equal(got, want);
    free(got);
}

/* ------------------------------------------------------------------ tests */

static void test_segments_become_lrc_and_request_is_complete(void **state)
{
    (void)state;
    stt_server *s = server_start(STT_GOOD);
    job *j = job_new(s);
    j->cfg.stt_model = "large-v3";
    j->cfg.stt_api_key = "sk-test-123";
    assert_int_equal(job_resolve(j, NULL), MAIVID_OK);
    assert_lyrics(j, good_lrc);
    assert_int_equal(j->warnings, 0);
    assert_string_equal(j->last_progress, "Lyrics from speech-to-text transcription");
    assert_int_equal(atomic_load(&s->hits), 1);

    assert_string_equal(s->auth, "Bearer sk-test-123");
    assert_non_null(strstr(s->content_type, "multipart/form-data; boundary="));
    char *wav = NULL;
    size_t wav_len = 0;
    assert_int_equal(mv_read_file(j->audio, &wav, &wav_len, NULL), MAIVID_OK);
    assert_true(wav_len > 20000);
    assert_non_null(memmem(s->body, s->body_len, wav, wav_len));
    free(wav);
    const char *fields[] = {
        "name=\"file\"; filename=\"audio.wav\"\r\nContent-Type: audio/wav\r\n\r\nRIFF",
        "name=\"model\"\r\n\r\nlarge-v3\r\n",
        "name=\"response_format\"\r\n\r\nverbose_json\r\n",
        "name=\"timestamp_granularities[]\"\r\n\r\nsegment\r\n"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (!memmem(s->body, s->body_len, fields[i], strlen(fields[i])))
            fail_msg("the request lacks %s", fields[i]);
    job_free(j);
    server_stop(s);
}

static void test_plain_text_answer_default_model_no_key(void **state)
{
    (void)state;
    stt_server *s = server_start(STT_PLAIN);
    job *j = job_new(s);
    assert_int_equal(job_resolve(j, NULL), MAIVID_OK);
    assert_lyrics(j, "First line\nSecond line\n");
    assert_int_equal(j->warnings, 0);
    assert_string_equal(s->auth, "");
    const char *model = "name=\"model\"\r\n\r\nwhisper-1\r\n";
    assert_non_null(memmem(s->body, s->body_len, model, strlen(model)));
    job_free(j);
    server_stop(s);
}

static void expect_instrumental_with_warning(stt_mode mode, const char *cause)
{
    stt_server *s = server_start(mode);
    job *j = job_new(s);
    assert_int_equal(job_resolve(j, NULL), MAIVID_OK);
    assert_lyrics(j, "");
    assert_int_equal(j->warnings, 1);
    if (!strstr(j->warning, cause))
        fail_msg("warning \"%s\" does not name \"%s\"", j->warning, cause);
    assert_non_null(strstr(j->warning, "instrumental"));
    assert_int_equal(atomic_load(&s->hits), 1); /* no retry storm on a failing server */
    job_free(j);
    server_stop(s);
}

static void test_server_error_gives_instrumental_and_warning(void **state)
{
    (void)state;
    expect_instrumental_with_warning(STT_500, "answered 500 (model crashed)");
}

static void test_bad_json_gives_instrumental_and_warning(void **state)
{
    (void)state;
    expect_instrumental_with_warning(STT_BAD_JSON, "OpenAI-compatible");
}

static void test_slow_server_times_out(void **state)
{
    (void)state;
    stt_server *s = server_start(STT_SLOW);
    job *j = job_new(s);
    j->cfg.io_timeout = 1.0; /* the song lasts 1 s too: the answer may take 1 s */
    double t0 = mv_monotonic();
    assert_int_equal(job_resolve(j, NULL), MAIVID_OK);
    double took = mv_monotonic() - t0;
    assert_true(took >= 0.9);
    if (took > 3.5)
        fail_msg("the timeout took %.1f s for a 1 s limit", took);
    assert_lyrics(j, "");
    assert_int_equal(j->warnings, 1);
    assert_non_null(strstr(j->warning, "did not answer in time"));
    assert_non_null(strstr(j->warning, "io_timeout"));
    job_free(j);
    server_stop(s);
}

static void test_long_song_gets_its_duration_to_transcribe(void **state)
{
    (void)state;
    stt_server *s = server_start(STT_SLOW); /* answers after 8 s */
    job *j = job_new(s);
    j->cfg.io_timeout = 1.0;
    j->song.duration = 2.5; /* a server may take as long as the song to transcribe it */
    double t0 = mv_monotonic();
    assert_int_equal(job_resolve(j, NULL), MAIVID_OK);
    double took = mv_monotonic() - t0;
    if (took < 2.4 || took > 5.0)
        fail_msg("gave up after %.1f s, wanted about 2.5 s", took);
    assert_int_equal(j->warnings, 1);
    job_free(j);
    server_stop(s);
}

static void test_cancel_while_transcribing(void **state)
{
    (void)state;
    stt_server *s = server_start(STT_SLOW);
    job *j = job_new(s);
    j->cfg.io_timeout = 30;
    j->cancel_when_transcribing = 1;
    double t0 = mv_monotonic();
    assert_int_equal(job_resolve(j, NULL), MAIVID_E_CANCELLED);
    double took = mv_monotonic() - t0;
    if (took > 2.0)
        fail_msg("cancel took %.1f s", took);
    assert_lyrics(j, "(missing)"); /* a cancelled stage leaves nothing looking done */
    assert_int_equal(j->warnings, 0);
    job_free(j);
    server_stop(s);
}

static void test_unreachable_server(void **state)
{
    (void)state;
    stt_server *s = server_start(STT_GOOD);
    int port = s->port;
    server_stop(s); /* nothing listens there any more */
    job *j = job_new(NULL);
    j->stt_url = mv_strdup_printf("http://127.0.0.1:%d", port);
    j->cfg.stt_url = j->stt_url;
    assert_int_equal(job_resolve(j, NULL), MAIVID_OK);
    assert_lyrics(j, "");
    assert_int_equal(j->warnings, 1);
    assert_non_null(strstr(j->warning, "could not connect"));
    assert_non_null(strstr(j->warning, "stt_url"));
    job_free(j);
}

static void test_url_policy_applies(void **state)
{
    (void)state;
    stt_server *s = server_start(STT_GOOD);
    job *j = job_new(s);
    j->cfg.allow_private_urls = 0;
    assert_int_equal(job_resolve(j, NULL), MAIVID_OK);
    assert_lyrics(j, "");
    assert_int_equal(atomic_load(&s->hits), 0);
    assert_int_equal(j->warnings, 1);
    assert_non_null(strstr(j->warning, "allow_private_urls"));
    job_free(j);
    server_stop(s);
}

static void test_no_request_when_lyrics_exist_or_not_configured(void **state)
{
    (void)state;
    stt_server *s = server_start(STT_GOOD);
    job *j = job_new(s);
    assert_int_equal(job_resolve(j, "[Verse 1]\nMy own words\n"), MAIVID_OK);
    assert_lyrics(j, "[Verse 1]\nMy own words\n");
    j->song.lyrics = "Words from Suno";
    assert_int_equal(job_resolve(j, NULL), MAIVID_OK);
    assert_lyrics(j, "Words from Suno");
    j->song.lyrics = NULL;
    j->cfg.stt_url = NULL; /* off */
    assert_int_equal(job_resolve(j, NULL), MAIVID_OK);
    assert_lyrics(j, "");
    assert_int_equal(atomic_load(&s->hits), 0);
    assert_int_equal(j->warnings, 0);
    job_free(j);
    server_stop(s);
}

static void test_endpoint_spellings(void **state)
{
    (void)state;
    const char *cases[][2] = {
        {"http://h:8080", "http://h:8080/v1/audio/transcriptions"},
        {"http://h:8080/", "http://h:8080/v1/audio/transcriptions"},
        {"https://api.example/v1", "https://api.example/v1/audio/transcriptions"},
        {"https://api.example/v1/", "https://api.example/v1/audio/transcriptions"},
        {"http://h/v1/audio/transcriptions", "http://h/v1/audio/transcriptions"},
        {"http://h/proxy", "http://h/proxy/v1/audio/transcriptions"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = mv_stt_endpoint(cases[i][0]);
        assert_string_equal(got, cases[i][1]);
        free(got);
    }
}

static void test_answer_parsing_edges(void **state)
{
    (void)state;
    struct {
        const char *json, *want;
    } cases[] = {
        {"{\"text\":\"\",\"segments\":[{\"start\":1,\"text\":\"[Music]\"},"
         "{\"start\":2,\"text\":\"*instrumental*\"},{\"start\":3,\"text\":\"\\u266b\"}]}", ""},
        {"{\"text\":\"la la\",\"segments\":[]}", "la la\n"},
        {"{\"segments\":[{\"start\":3599.999,\"text\":\"late\"},{\"text\":\"no start\"}]}",
         "[60:00.00]late\n[00:00.00]no start\n"},
        {"{\"segments\":[{\"start\":5.5,\"text\":\"\\u00e9t\\u00e9 \\ud83c\\udfb5\"}]}",
         "[00:05.50]\xc3\xa9t\xc3\xa9\n"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = NULL;
        assert_int_equal(mv_stt_answer_to_lyrics(cases[i].json, strlen(cases[i].json), &got,
                                                 NULL), MAIVID_OK);
        assert_string_equal(got, cases[i].want);
        free(got);
    }
    char *got = NULL;
    mv_error err;
    assert_int_equal(mv_stt_answer_to_lyrics("{\"ok\":1}", 8, &got, &err), MAIVID_E_FETCH);
    assert_null(got);
    assert_int_equal(mv_stt_answer_to_lyrics("[1,2", 4, &got, &err), MAIVID_E_FETCH);
    assert_null(got);
}

/* Word timestamps for the lyric timing: asked for, read from either answer shape, and the
 * known text timed by them despite misheard, dropped, invented and repeated words. */
static void test_word_times_align_to_the_known_text(void **state)
{
    (void)state;
    stt_server *s = server_start(STT_WORDS);
    job *j = job_new(s);
    mv_heard_words heard;
    assert_int_equal(mv_stt_words(&j->cfg, j->audio, 1.0, &j->task, &heard, &j->err),
                     MAIVID_OK);
    const char *field = "name=\"timestamp_granularities[]\"\r\n\r\nword\r\n";
    assert_non_null(memmem(s->body, s->body_len, field, strlen(field)));
    assert_int_equal(heard.n, 13);
    mv_lyrics known;
    assert_int_equal(mv_lyrics_parse("[Verse]\nBlue lights on the harbor water\n"
                                     "Silver rain across the city street\n", &known, &j->err),
                     MAIVID_OK);
    mv_timed_lyrics timed;
    assert_int_equal(mv_align_known_text(&known, &heard, 60.0, MV_TIMING_STT, &timed, &j->err),
                     MAIVID_OK);
    assert_int_equal(timed.line_count, 2);
    assert_int_equal(timed.source, MV_TIMING_STT);
    assert_true(timed.has_word_times);
    assert_string_equal(timed.lines[0].text, "Blue lights on the harbor water"); /* known wins */
    assert_string_equal(timed.lines[0].section, "verse");
    assert_true(timed.lines[0].start == 8.0 && timed.lines[0].end == 10.8);
    assert_string_equal(timed.lines[0].words[4].text, "harbor");
    assert_true(timed.lines[0].words[4].start == 9.5); /* the misheard word's time */
    assert_true(timed.lines[1].start == 12.4 && timed.lines[1].end == 15.8);
    assert_int_equal(timed.lines[1].word_count, 6);
    /* "the" was not heard: placed between "across" (ends 14.0) and "city" */
    assert_true(timed.lines[1].words[3].start >= 14.0 && timed.lines[1].words[3].end <= 14.8);
    assert_true(timed.lines[1].words[5].start == 15.1);
    assert_true(timed.confidence > 0.8 && timed.confidence <= 1.0);
    mv_timed_lyrics_free(&timed);
    /* too little heard: refused */
    mv_heard_words few = {0};
    assert_int_equal(mv_heard_add(&few, "street", 1, 2, 1), 0);
    assert_int_equal(mv_align_known_text(&known, &few, 60.0, MV_TIMING_STT, &timed, &j->err),
                     MAIVID_E_NOT_FOUND);
    mv_heard_free(&few);
    mv_lyrics_free(&known);
    mv_heard_free(&heard);
    job_free(j);
    server_stop(s);

    s = server_start(STT_SEGMENT_WORDS);
    j = job_new(s);
    assert_int_equal(mv_stt_words(&j->cfg, j->audio, 1.0, &j->task, &heard, &j->err),
                     MAIVID_OK);
    assert_int_equal(heard.n, 2); /* the note is no word */
    assert_string_equal(heard.v[1].text, "lights");
    assert_true(heard.v[1].p == 0.6);
    mv_heard_free(&heard);
    job_free(j);
    server_stop(s);

    /* an answer without word times is an error the timing step turns into a warning */
    s = server_start(STT_PLAIN);
    j = job_new(s);
    assert_int_equal(mv_stt_words(&j->cfg, j->audio, 1.0, &j->task, &heard, &j->err),
                     MAIVID_E_FETCH);
    assert_non_null(strstr(j->err.message, "timestamp_granularities[]=word"));
    job_free(j);
    server_stop(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_endpoint_spellings),
        cmocka_unit_test(test_word_times_align_to_the_known_text),
        cmocka_unit_test(test_answer_parsing_edges),
        cmocka_unit_test(test_segments_become_lrc_and_request_is_complete),
        cmocka_unit_test(test_plain_text_answer_default_model_no_key),
        cmocka_unit_test(test_server_error_gives_instrumental_and_warning),
        cmocka_unit_test(test_bad_json_gives_instrumental_and_warning),
        cmocka_unit_test(test_slow_server_times_out),
        cmocka_unit_test(test_long_song_gets_its_duration_to_transcribe),
        cmocka_unit_test(test_cancel_while_transcribing),
        cmocka_unit_test(test_unreachable_server),
        cmocka_unit_test(test_url_policy_applies),
        cmocka_unit_test(test_no_request_when_lyrics_exist_or_not_configured),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
