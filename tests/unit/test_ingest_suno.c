/*
 * test_ingest_suno.c - Suno links end to end against the fake Suno of suno_fixture: each
 * era (A/B og:audio pages, C public mp3, D withheld audio with and without a public video),
 * share links (307 relative redirect, 200 page, share-code API), clip API down so the
 * chunked, split Next.js page is parsed, the decoy audio_url, CDN 403 MissingKey, a private
 * song, hooks, look-alike hosts, HTML served as mp3, resuming with mv_song_load and lyrics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/mv_ingest_internal.h"
#include "ingest_audio.h"
#include "mv_test_util.h"
#include "suno_fixture.h"

typedef struct env {
    suno_fixture fx;
    mv_fetch_config cfg;
    uint8_t *mp3, *mp4;
    size_t mp3_len, mp4_len;
    char *dir;
} env;

static int setup(void **state)
{
    env *e = calloc(1, sizeof *e);
    e->dir = mv_test_tmpdir("ingest_suno");
    char *mp3 = mv_strdup_printf("%s/tone.mp3", e->dir), *mp4 = mv_strdup_printf("%s/v.mp4", e->dir);
    if (ingest_make_audio(mp3, "mp3", 2.0, NULL) != 0 ||
        ingest_make_audio(mp4, "mp4video", 2.0, NULL) != 0)
        return -1;
    e->mp3 = ingest_read_all(mp3, &e->mp3_len);
    e->mp4 = ingest_read_all(mp4, &e->mp4_len);
    free(mp3);
    free(mp4);
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    env *e = *state;
    mv_remove_tree(e->dir, NULL);
    free(e->dir);
    free(e->mp3);
    free(e->mp4);
    free(e);
    return 0;
}

/* A fresh fixture with the scenario set by the caller afterwards. */
static void start(env *e, char era)
{
    memset(&e->fx, 0, sizeof e->fx);
    assert_int_equal(suno_fixture_start(&e->fx), 0);
    e->fx.era = era;
    e->fx.mp3 = e->mp3;
    e->fx.mp3_len = e->mp3_len;
    e->fx.mp4 = e->mp4;
    e->fx.mp4_len = e->mp4_len;
    e->fx.share_mode = 307;
    e->cfg = (mv_fetch_config){.suno_web_base = e->fx.web, .suno_api_base = e->fx.api,
                               .suno_cdn_base = e->fx.cdn, .allow_private_urls = 1,
                               .connect_timeout = 2, .io_timeout = 2, .max_bytes = 50u << 20};
}

static maivid_code fetch(env *e, const char *path, mv_song *song, mv_error *err, char **dir_out)
{
    static const char *const none = NULL;
    (void)none;
    char *url = mv_strdup_printf("%s%s", e->fx.web, path);
    char *dir = mv_strdup_printf("%s/job%d/source", e->dir, rand());
    maivid_code rc = mv_fetch_song(&e->cfg, url, dir, song, NULL, err);
    free(url);
    if (dir_out)
        *dir_out = dir;
    else
        free(dir);
    return rc;
}

static void test_classify(void **state)
{
    env *e = *state;
    start(e, 'C');
    char v[64];
    assert_int_equal(mv_suno_classify(&e->cfg, "https://suno.com/song/080B4F6B-0064-4d2e-936a-5f1dec5caba8?sh=x", v), MV_SUNO_SONG);
    assert_string_equal(v, SUNO_FIX_ID);
    assert_int_equal(mv_suno_classify(&e->cfg, "https://www.suno.com/embed/" SUNO_FIX_ID "/", v), MV_SUNO_SONG);
    assert_int_equal(mv_suno_classify(&e->cfg, "https://app.suno.ai/song/" SUNO_FIX_ID, v), MV_SUNO_SONG);
    assert_int_equal(mv_suno_classify(&e->cfg, "https://suno.com/s/H6JQeAvqf4SgiFoF", v), MV_SUNO_SHARE);
    assert_string_equal(v, "H6JQeAvqf4SgiFoF");
    assert_int_equal(mv_suno_classify(&e->cfg, "https://suno.com/hook/" SUNO_FIX_ID, v), MV_SUNO_HOOK);
    assert_int_equal(mv_suno_classify(&e->cfg, "https://suno.com/playlist/" SUNO_FIX_ID, v), MV_SUNO_OTHER);
    assert_int_equal(mv_suno_classify(&e->cfg, "https://suno.com.evil.example/song/" SUNO_FIX_ID, v), MV_SUNO_NOT_SUNO);
    assert_int_equal(mv_suno_classify(&e->cfg, "https://notsuno.com/song/" SUNO_FIX_ID, v), MV_SUNO_NOT_SUNO);
    assert_int_equal(mv_suno_classify(&e->cfg, "https://cdn1.suno.ai/" SUNO_FIX_ID ".mp3", v), MV_SUNO_NOT_SUNO);
    char url[256];
    snprintf(url, sizeof url, "%s/s/%s", e->fx.web, SUNO_FIX_CODE);
    assert_int_equal(mv_suno_classify(&e->cfg, url, v), MV_SUNO_SHARE);
    snprintf(url, sizeof url, "%sx/song/%s", e->fx.web, SUNO_FIX_ID); /* base + "x": not it */
    assert_int_equal(mv_suno_classify(&e->cfg, url, v), MV_SUNO_NOT_SUNO);
    suno_fixture_stop(&e->fx);
}

static void test_page_parsing(void **state)
{
    env *e = *state;
    start(e, 'D');
    e->fx.split_rows = 1;
    char *html = suno_fixture_page(&e->fx);
    size_t n;
    char *flight = mv_next_flight_text(html, &n);
    assert_non_null(strstr(flight, "3d:T"));
    free(flight);
    mv_suno_clip clip;
    assert_int_equal(mv_suno_parse_page(html, SUNO_FIX_ID, &clip), 1);
    assert_string_equal(clip.title, "Neon Rain");
    assert_string_equal(clip.artist, "Lan"); /* not the similar clip's artist */
    assert_string_equal(clip.lyrics, SUNO_FIX_LYRICS);
    assert_string_equal(clip.tags, "synthwave, dreamy female vocals, slow");
    assert_true(clip.encrypted_media);
    assert_int_equal(clip.media_url_count, 0);
    assert_non_null(strstr(clip.audio_url, "/api/forbidden"));
    assert_true(clip.duration > 187 && clip.duration < 188);
    mv_suno_clip_free(&clip);
    /* without an id: the "clip" object */
    assert_int_equal(mv_suno_parse_page(html, NULL, &clip), 1);
    assert_string_equal(clip.id, SUNO_FIX_ID);
    mv_suno_clip_free(&clip);
    /* the similar clip can be picked by id too */
    assert_int_equal(mv_suno_parse_page(html, SUNO_FIX_OTHER_ID, &clip), 1);
    assert_string_equal(clip.artist, "Stei Camel");
    mv_suno_clip_free(&clip);
    free(html);
    suno_fixture_stop(&e->fx);
}

static void test_era_c_api(void **state)
{
    env *e = *state;
    start(e, 'C');
    mv_song song;
    mv_error err;
    char *dir;
    assert_int_equal(fetch(e, "/song/" SUNO_FIX_ID, &song, &err, &dir), MAIVID_OK);
    assert_string_equal(song.title, "Neon Rain");
    assert_string_equal(song.artist, "Lan");
    assert_string_equal(song.song_id, SUNO_FIX_ID);
    assert_string_equal(song.lyrics, SUNO_FIX_LYRICS);
    assert_non_null(strstr(song.audio_path, "/audio.mp3"));
    assert_non_null(song.cover_path);
    assert_non_null(strstr(song.cover_path, "cover.jpg"));
    assert_true(song.duration > 1.9 && song.duration < 2.2); /* decoded, not the JSON's 187 */
    assert_int_equal(ingest_http_hits(e->fx.server, "/web/song/"), 0); /* API was enough */
    /* resumed job: everything reloads without a request */
    int before = ingest_http_hits(e->fx.server, "/");
    mv_song again;
    assert_int_equal(mv_song_load(dir, &again, &err), MAIVID_OK);
    assert_string_equal(again.title, "Neon Rain");
    assert_string_equal(again.audio_path, song.audio_path);
    assert_string_equal(again.lyrics, SUNO_FIX_LYRICS);
    assert_string_equal(again.cover_path, song.cover_path);
    assert_true(again.duration > 1.9 && again.duration < 2.2);
    assert_int_equal(ingest_http_hits(e->fx.server, "/"), before);
    /* lyrics stage: the job's own text wins, else the clip's */
    assert_int_equal(mv_resolve_lyrics(&e->cfg, NULL, "x", dir, &again, NULL, &err), MAIVID_OK);
    char *path = mv_strdup_printf("%s/lyrics.txt", dir), *text = NULL;
    size_t len;
    assert_int_equal(mv_read_file(path, &text, &len, NULL), MAIVID_OK);
    assert_string_equal(text, SUNO_FIX_LYRICS);
    free(text);
    assert_int_equal(mv_resolve_lyrics(&e->cfg, "[Chorus]\nmine", "x", dir, &again, NULL, &err), MAIVID_OK);
    assert_int_equal(mv_read_file(path, &text, &len, NULL), MAIVID_OK);
    assert_string_equal(text, "[Chorus]\nmine");
    free(text);
    free(path);
    mv_song_free(&again);
    mv_song_free(&song);
    free(dir);
    suno_fixture_stop(&e->fx);
}

static void test_share_307_api_down_page_parsed(void **state)
{
    env *e = *state;
    start(e, 'C');
    e->fx.api_down = 1;
    e->fx.chunked = 1;
    e->fx.split_rows = 1;
    mv_song song;
    mv_error err;
    maivid_code rc = fetch(e, "/s/" SUNO_FIX_CODE, &song, &err, NULL);
    if (rc != MAIVID_OK)
        fail_msg("%s", err.message);
    assert_string_equal(song.title, "Neon Rain");
    assert_string_equal(song.lyrics, SUNO_FIX_LYRICS); /* from the T row */
    assert_int_equal(ingest_http_hits(e->fx.server, "/web/s/"), 1);
    assert_int_equal(ingest_http_hits(e->fx.server, "/api/api/clip/"), 3); /* 503 retried */
    assert_int_equal(ingest_http_hits(e->fx.server, "/web/song/"), 1);
    mv_song_free(&song);
    suno_fixture_stop(&e->fx);
}

static void test_share_200_and_share_api(void **state)
{
    env *e = *state;
    start(e, 'C');
    e->fx.share_mode = 200;
    mv_song song;
    mv_error err;
    assert_int_equal(fetch(e, "/s/" SUNO_FIX_CODE, &song, &err, NULL), MAIVID_OK);
    assert_string_equal(song.song_id, SUNO_FIX_ID);
    mv_song_free(&song);
    suno_fixture_stop(&e->fx);

    start(e, 'C');
    e->fx.share_mode = 404;
    e->fx.share_api_ok = 1;
    assert_int_equal(fetch(e, "/s/" SUNO_FIX_CODE, &song, &err, NULL), MAIVID_OK);
    assert_string_equal(song.song_id, SUNO_FIX_ID);
    assert_int_equal(ingest_http_hits(e->fx.server, "/api/api/share/code/"), 1);
    mv_song_free(&song);
    e->fx.share_api_ok = 0;
    assert_int_equal(fetch(e, "/s/" SUNO_FIX_CODE, &song, &err, NULL), MAIVID_E_FETCH);
    assert_non_null(strstr(err.message, "share link"));
    suno_fixture_stop(&e->fx);
}

static void test_era_d_video(void **state)
{
    env *e = *state;
    start(e, 'D');
    e->fx.video_available = 1;
    mv_song song;
    mv_error err;
    maivid_code rc = fetch(e, "/song/" SUNO_FIX_ID, &song, &err, NULL);
    if (rc != MAIVID_OK)
        fail_msg("%s", err.message);
    assert_non_null(strstr(song.audio_path, "/audio.m4a")); /* the AAC track, copied */
    assert_int_equal(mv_sniff_file(song.audio_path), MV_SNIFF_M4A);
    mv_probe_info info;
    assert_int_equal(mv_probe_audio(song.audio_path, &info, &err), MAIVID_OK);
    assert_int_equal(info.has_video, 0);
    assert_string_equal(info.codec, "aac");
    mv_probe_info_free(&info);
    /* the decoy was never fetched; the mp3 was tried and refused */
    assert_int_equal(ingest_http_hits(e->fx.server, "/api/api/forbidden"), 0);
    assert_int_equal(ingest_http_hits(e->fx.server, "/cdn1/" SUNO_FIX_ID ".mp3"), 1);
    assert_int_equal(ingest_http_hits(e->fx.server, "/cf/"), 0); /* encrypted: skipped */
    mv_song_free(&song);
    suno_fixture_stop(&e->fx);
}

static void test_era_d_withheld(void **state)
{
    env *e = *state;
    start(e, 'D');
    mv_song song;
    mv_error err;
    char *dir;
    assert_int_equal(fetch(e, "/song/" SUNO_FIX_ID, &song, &err, &dir), MAIVID_E_FETCH);
    assert_non_null(strstr(err.message, "withholds"));
    assert_non_null(strstr(err.message, "MissingKey"));
    assert_non_null(strstr(err.message, "forbidden"));
    assert_non_null(strstr(err.message, "no public video"));
    assert_non_null(strstr(err.message, "pass the audio file"));
    /* nothing left looking complete */
    char *meta = mv_strdup_printf("%s/metadata.json", dir);
    char *mp3 = mv_strdup_printf("%s/audio.mp3", dir);
    assert_false(mv_file_exists(meta));
    assert_false(mv_file_exists(mp3));
    mv_song loaded;
    assert_int_not_equal(mv_song_load(dir, &loaded, &err), MAIVID_OK);
    free(meta);
    free(mp3);
    free(dir);
    suno_fixture_stop(&e->fx);
}

static void test_eras_a_b(void **state)
{
    env *e = *state;
    start(e, 'A');
    mv_song song;
    mv_error err;
    assert_int_equal(fetch(e, "/song/" SUNO_FIX_ID, &song, &err, NULL), MAIVID_OK);
    assert_string_equal(song.title, "Neon Rain");
    assert_string_equal(song.tags, "synthwave, dreamy");
    assert_non_null(strstr(song.audio_path, "audio.mp3"));
    mv_song_free(&song);
    suno_fixture_stop(&e->fx);
    start(e, 'B');
    assert_int_equal(fetch(e, "/embed/" SUNO_FIX_ID, &song, &err, NULL), MAIVID_OK);
    assert_string_equal(song.title, "Neon Rain");
    assert_string_equal(song.artist, "hoanglan");
    mv_song_free(&song);
    suno_fixture_stop(&e->fx);
}

static void test_private_hook_html(void **state)
{
    env *e = *state;
    start(e, 'C');
    e->fx.private_song = 1;
    mv_song song;
    mv_error err;
    assert_int_equal(fetch(e, "/song/" SUNO_FIX_ID, &song, &err, NULL), MAIVID_E_FETCH);
    assert_non_null(strstr(err.message, "private"));
    e->fx.private_song = 0;
    assert_int_equal(fetch(e, "/hook/" SUNO_FIX_ID, &song, &err, NULL), MAIVID_E_FETCH);
    assert_non_null(strstr(err.message, "hook"));
    /* the "mp3" is an HTML page: sniffed, refused, and the ladder goes on to the video */
    e->fx.mp3_is_html = 1;
    assert_int_equal(fetch(e, "/song/" SUNO_FIX_ID, &song, &err, NULL), MAIVID_OK);
    assert_non_null(strstr(song.audio_path, "audio.m4a"));
    mv_song_free(&song);
    e->fx.mp4 = NULL; /* and with no video either: the HTML is named in the error */
    assert_int_equal(fetch(e, "/song/" SUNO_FIX_ID, &song, &err, NULL), MAIVID_E_FETCH);
    assert_non_null(strstr(err.message, "HTML page"));
    suno_fixture_stop(&e->fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_page_parsing),
        cmocka_unit_test(test_era_c_api),
        cmocka_unit_test(test_share_307_api_down_page_parsed),
        cmocka_unit_test(test_share_200_and_share_api),
        cmocka_unit_test(test_era_d_video),
        cmocka_unit_test(test_era_d_withheld),
        cmocka_unit_test(test_eras_a_b),
        cmocka_unit_test(test_private_hook_html),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
