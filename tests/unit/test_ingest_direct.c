/*
 * test_ingest_direct.c - non-Suno sources: direct audio URLs in every format (real files
 * encoded with libavcodec), the audio track of an mp4 video, web pages naming their audio
 * (og:audio, <source>), a page without audio, HTML served as .mp3, a truncated mp4, local
 * files (refused unless allowed; .lrc beside them), tags and lyrics tags (Vorbis LYRICS,
 * ID3 SYLT), the title fallback to the file name, and sniffing.
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
#include "ingest_http_fixture.h"
#include "mv_test_util.h"

static const char *const kinds[] = {"mp3", "adts", "m4a", "flac", "wav", "ogg", "mp4video"};
static const char *const exts[] = {"mp3", "aac", "m4a", "flac", "wav", "ogg", "m4a"};
static const mv_sniff_kind sniffed[] = {MV_SNIFF_MP3, MV_SNIFF_ADTS, MV_SNIFF_M4A, MV_SNIFF_FLAC,
                                        MV_SNIFF_WAV, MV_SNIFF_OGG, MV_SNIFF_MP4};
#define NKINDS 7

typedef struct env {
    char *dir;
    uint8_t *data[NKINDS];
    size_t len[NKINDS];
    uint8_t *tagged;
    size_t tagged_len;
    ingest_http_server *srv;
    mv_fetch_config cfg;
    char base[64];
} env;

static const char page_og[] =
    "<!doctype html><html><head><title>Ignored</title>"
    "<meta content=\"My &amp; Song\" property=\"og:title\">"
    "<meta property='og:audio' content='/files/song.mp3'>"
    "<meta property=\"og:image\" content=\"/img.png\"></head><body></body></html>";
static const char page_source[] =
    "<html><body><h1>x</h1><audio controls><source type=\"audio/ogg\" "
    "src=\"../files/song.ogg\"></audio></body></html>";
static const char page_none[] = "<html><head><title>Nothing here</title></head></html>";
static const uint8_t png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0};

static void handler(void *user, const ingest_http_req *q, ingest_http_reply *r)
{
    env *e = user;
    const char *p = q->path;
    for (int i = 0; i < NKINDS; i++) {
        char want[64];
        snprintf(want, sizeof want, "/files/%s", kinds[i]);
        if (!strcmp(p, want)) {
            r->status = 200;
            r->content_type = "application/octet-stream"; /* never trusted */
            r->body = e->data[i];
            r->body_len = e->len[i];
            return;
        }
    }
    r->status = 200;
    if (!strcmp(p, "/files/song.mp3")) {
        r->body = e->data[0];
        r->body_len = e->len[0];
    } else if (!strcmp(p, "/files/song.ogg")) {
        r->body = e->data[5];
        r->body_len = e->len[5];
    } else if (!strcmp(p, "/files/tagged.flac")) {
        r->body = e->tagged;
        r->body_len = e->tagged_len;
    } else if (!strcmp(p, "/files/truncated.mp4")) {
        r->body = e->data[6];
        r->body_len = e->len[6] / 3; /* moov is last: unusable */
    } else if (!strcmp(p, "/page-og")) {
        r->content_type = "text/html";
        r->body = page_og;
        r->body_len = strlen(page_og);
    } else if (!strcmp(p, "/sub/page-source")) {
        r->content_type = "text/html";
        r->body = page_source;
        r->body_len = strlen(page_source);
    } else if (!strcmp(p, "/page-none") || !strcmp(p, "/fake.mp3")) {
        r->content_type = !strcmp(p, "/fake.mp3") ? "audio/mpeg" : "text/html";
        r->body = page_none;
        r->body_len = strlen(page_none);
    } else if (!strcmp(p, "/img.png")) {
        r->content_type = "image/png";
        r->body = png;
        r->body_len = sizeof png;
    } else {
        r->status = 404;
    }
}

static int setup(void **state)
{
    env *e = calloc(1, sizeof *e);
    e->dir = mv_test_tmpdir("ingest_direct");
    for (int i = 0; i < NKINDS; i++) {
        char *path = mv_strdup_printf("%s/src.%s", e->dir, kinds[i]);
        if (ingest_make_audio(path, kinds[i], 1.5, NULL) != 0)
            return -1;
        e->data[i] = ingest_read_all(path, &e->len[i]);
        free(path);
    }
    char *path = mv_strdup_printf("%s/tagged.flac", e->dir);
    ingest_audio_tags tags = {"Tagged Title", "Tag Artist", "Ambient", "[Verse]\nfrom the tag"};
    if (ingest_make_audio(path, "flac", 1.0, &tags) != 0)
        return -1;
    e->tagged = ingest_read_all(path, &e->tagged_len);
    free(path);
    e->srv = ingest_http_start(handler, e);
    snprintf(e->base, sizeof e->base, "http://127.0.0.1:%d", ingest_http_port(e->srv));
    e->cfg = (mv_fetch_config){.allow_private_urls = 1, .connect_timeout = 2, .io_timeout = 2,
                               .suno_web_base = "https://suno.com"};
    *state = e;
    return 0;
}

static int teardown(void **state)
{
    env *e = *state;
    ingest_http_stop(e->srv);
    mv_remove_tree(e->dir, NULL);
    free(e->dir);
    for (int i = 0; i < NKINDS; i++)
        free(e->data[i]);
    free(e->tagged);
    free(e);
    return 0;
}

static maivid_code fetch(env *e, const char *path, mv_song *song, mv_error *err, char **dir)
{
    char *url = mv_strdup_printf("%s%s", e->base, path);
    char *d = mv_strdup_printf("%s/job%d/source", e->dir, rand());
    maivid_code rc = mv_fetch_song(&e->cfg, url, d, song, NULL, err);
    free(url);
    if (dir)
        *dir = d;
    else
        free(d);
    return rc;
}

static void test_sniff(void **state)
{
    env *e = *state;
    for (int i = 0; i < NKINDS; i++)
        if (mv_sniff(e->data[i], e->len[i] < 64 ? e->len[i] : 64) != sniffed[i])
            fail_msg("%s sniffed as %s", kinds[i], mv_sniff_ext(mv_sniff(e->data[i], 64)));
    assert_int_equal(mv_sniff((const uint8_t *)"  <!DOCTYPE html><html>", 23), MV_SNIFF_HTML);
    assert_int_equal(mv_sniff((const uint8_t *)"<?xml version=\"1.0\"?><Error>", 28), MV_SNIFF_XML);
    assert_int_equal(mv_sniff((const uint8_t *)"{\"detail\":1}", 12), MV_SNIFF_JSON);
    const uint8_t enc[] = {0x41, 0x5f, 0xac, 0xa9, 0x2f, 0x62, 0x29, 0x59, 1, 2, 3, 4};
    assert_int_equal(mv_sniff(enc, sizeof enc), MV_SNIFF_UNKNOWN);
    const uint8_t webm[] = {0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82,
                            0x84, 'w', 'e', 'b', 'm'};
    assert_int_equal(mv_sniff(webm, sizeof webm), MV_SNIFF_WEBM);
    assert_int_equal(mv_sniff(png, sizeof png), MV_SNIFF_PNG);
}

static void test_direct_formats(void **state)
{
    env *e = *state;
    for (int i = 0; i < NKINDS; i++) {
        char path[64];
        snprintf(path, sizeof path, "/files/%s", kinds[i]);
        mv_song song;
        mv_error err;
        maivid_code rc = fetch(e, path, &song, &err, NULL);
        if (rc != MAIVID_OK)
            fail_msg("%s: %s", kinds[i], err.message);
        char want[32];
        snprintf(want, sizeof want, "/audio.%s", exts[i]);
        if (!strstr(song.audio_path, want))
            fail_msg("%s stored as %s", kinds[i], song.audio_path);
        assert_true(song.duration > 1.4 && song.duration < 1.7);
        assert_string_equal(song.title, kinds[i]); /* the file name */
        assert_string_equal(song.source_kind, "direct");
        mv_song_free(&song);
    }
}

static void test_pages(void **state)
{
    env *e = *state;
    mv_song song;
    mv_error err;
    if (fetch(e, "/page-og", &song, &err, NULL) != MAIVID_OK)
        fail_msg("%s", err.message);
    assert_string_equal(song.title, "My & Song");
    assert_string_equal(song.source_kind, "page");
    assert_non_null(strstr(song.audio_path, "audio.mp3"));
    assert_non_null(song.cover_path);
    assert_non_null(strstr(song.cover_path, "cover.png"));
    mv_song_free(&song);
    assert_int_equal(fetch(e, "/sub/page-source", &song, &err, NULL), MAIVID_OK);
    assert_non_null(strstr(song.audio_path, "audio.ogg"));
    mv_song_free(&song);
    assert_int_equal(fetch(e, "/page-none", &song, &err, NULL), MAIVID_E_FETCH);
    assert_non_null(strstr(err.message, "names no audio"));
    /* HTML served as .mp3 with an audio Content-Type: sniffed */
    char *dir;
    assert_int_equal(fetch(e, "/fake.mp3", &song, &err, &dir), MAIVID_E_FETCH);
    assert_non_null(strstr(err.message, "HTML page"));
    char *mp3 = mv_strdup_printf("%s/audio.mp3", dir);
    assert_false(mv_file_exists(mp3));
    free(mp3);
    free(dir);
    assert_int_equal(fetch(e, "/files/truncated.mp4", &song, &err, &dir), MAIVID_E_MEDIA);
    assert_non_null(strstr(err.message, "truncated"));
    char *meta = mv_strdup_printf("%s/metadata.json", dir);
    assert_false(mv_file_exists(meta));
    free(meta);
    free(dir);
    assert_int_equal(fetch(e, "/nothing-here.mp3", &song, &err, NULL), MAIVID_E_FETCH);
    assert_non_null(strstr(err.message, "404"));
}

static void test_tags_and_lyrics(void **state)
{
    env *e = *state;
    mv_song song;
    mv_error err;
    char *dir;
    assert_int_equal(fetch(e, "/files/tagged.flac", &song, &err, &dir), MAIVID_OK);
    assert_string_equal(song.title, "Tagged Title");
    assert_string_equal(song.artist, "Tag Artist");
    assert_string_equal(song.tags, "Ambient");
    assert_string_equal(song.lyrics, "[Verse]\nfrom the tag");
    song.lyrics[0] = '\0'; /* lyrics stage reads the tag itself when the song has none */
    assert_int_equal(mv_resolve_lyrics(&e->cfg, "  \n", NULL, dir, &song, NULL, &err), MAIVID_OK);
    char *path = mv_strdup_printf("%s/lyrics.txt", dir), *text;
    size_t len;
    assert_int_equal(mv_read_file(path, &text, &len, NULL), MAIVID_OK);
    assert_string_equal(text, "[Verse]\nfrom the tag");
    free(text);
    free(path);
    mv_song_free(&song);
    free(dir);
}

/* An ID3v2.3 tag with a SYLT frame, in front of a real MP3. */
static void test_sylt_and_local_files(void **state)
{
    env *e = *state;
    uint8_t frame[200];
    size_t n = 0;
    frame[n++] = 3; /* UTF-8 */
    memcpy(frame + n, "eng", 3);
    n += 3;
    frame[n++] = 2; /* milliseconds */
    frame[n++] = 1; /* lyrics */
    frame[n++] = 0; /* empty descriptor */
    const char *lines[] = {"First line", "Second line"};
    const uint32_t ms[] = {1500, 62250};
    for (int i = 0; i < 2; i++) {
        size_t l = strlen(lines[i]) + 1;
        memcpy(frame + n, lines[i], l);
        n += l;
        frame[n++] = (uint8_t)(ms[i] >> 24);
        frame[n++] = (uint8_t)(ms[i] >> 16);
        frame[n++] = (uint8_t)(ms[i] >> 8);
        frame[n++] = (uint8_t)ms[i];
    }
    size_t tag_size = 10 + n;
    char *mp3 = mv_strdup_printf("%s/My_Song.mp3", e->dir);
    FILE *f = fopen(mp3, "wb");
    uint8_t h[10] = {'I', 'D', '3', 3, 0, 0, 0, 0, (uint8_t)(tag_size >> 7), (uint8_t)(tag_size & 0x7f)};
    fwrite(h, 1, 10, f);
    uint8_t fh[10] = {'S', 'Y', 'L', 'T', 0, 0, 0, (uint8_t)n, 0, 0};
    fwrite(fh, 1, 10, f);
    fwrite(frame, 1, n, f);
    fwrite(e->data[0], 1, e->len[0], f);
    fclose(f);
    char *lrc = mv_id3_sylt_to_lrc(mp3);
    assert_non_null(lrc);
    assert_string_equal(lrc, "[00:01.50]First line\n[01:02.25]Second line\n");
    free(lrc);

    mv_song song;
    mv_error err;
    char *dir = mv_strdup_printf("%s/local/source", e->dir);
    /* the server's policy: no local files, no file: URLs */
    e->cfg.allow_local_files = 0;
    assert_int_equal(mv_fetch_song(&e->cfg, mp3, dir, &song, NULL, &err), MAIVID_E_POLICY);
    char *file_url = mv_strdup_printf("file://%s", mp3);
    assert_int_equal(mv_fetch_song(&e->cfg, file_url, dir, &song, NULL, &err), MAIVID_E_POLICY);
    free(file_url);
    e->cfg.allow_local_files = 1;
    assert_int_equal(mv_fetch_song(&e->cfg, mp3, dir, &song, NULL, &err), MAIVID_OK);
    assert_string_equal(song.title, "My Song");
    assert_string_equal(song.source_kind, "file");
    assert_non_null(strstr(song.lyrics, "[00:01.50]First line"));
    mv_song_free(&song);

    /* an .lrc beside a local file without lyrics tags */
    char *wav = mv_strdup_printf("%s/plain.wav", e->dir);
    char *wav_lrc = mv_strdup_printf("%s/plain.lrc", e->dir);
    f = fopen(wav, "wb");
    fwrite(e->data[4], 1, e->len[4], f);
    fclose(f);
    const char lrc_text[] = "[00:05.00][Chorus]\n[00:06.00]la la\n";
    assert_int_equal(mv_write_file_atomic(wav_lrc, lrc_text, strlen(lrc_text), NULL), MAIVID_OK);
    char *dir2 = mv_strdup_printf("%s/local2/source", e->dir);
    assert_int_equal(mv_fetch_song(&e->cfg, wav, dir2, &song, NULL, &err), MAIVID_OK);
    assert_null(song.lyrics);
    assert_int_equal(mv_resolve_lyrics(&e->cfg, NULL, wav, dir2, &song, NULL, &err), MAIVID_OK);
    char *path = mv_strdup_printf("%s/lyrics.txt", dir2), *text;
    size_t len;
    assert_int_equal(mv_read_file(path, &text, &len, NULL), MAIVID_OK);
    assert_string_equal(text, lrc_text);
    free(text);
    /* the server never reads the .lrc: instrumental, empty lyrics.txt */
    e->cfg.allow_local_files = 0;
    assert_int_equal(mv_resolve_lyrics(&e->cfg, NULL, wav, dir2, &song, NULL, &err), MAIVID_OK);
    assert_int_equal(mv_read_file(path, &text, &len, NULL), MAIVID_OK);
    assert_int_equal(len, 0);
    free(text);
    free(path);
    mv_song_free(&song);
    free(dir2);
    free(wav);
    free(wav_lrc);
    free(dir);
    free(mp3);
}

static void test_page_helpers(void **state)
{
    (void)state;
    char *v = mv_html_meta("<META NAME=\"twitter:player:stream\" CONTENT=\"a&#x27;b&#39;c\">",
                           "twitter:player:stream");
    assert_string_equal(v, "a'b'c");
    free(v);
    v = mv_html_title("<html><title>\n  Neon Rain by Lan | Suno </title>");
    assert_string_equal(v, "Neon Rain by Lan | Suno");
    free(v);
    v = mv_url_resolve("http://h/a/b/page", "../x.mp3");
    assert_string_equal(v, "http://h/a/x.mp3");
    free(v);
    char *urls[8];
    size_t n = mv_page_media_urls("<audio src=\"https://cdn1.suno.ai/sil-100.mp3\"></audio>"
                                  "<meta property=og:video content=/v.mp4>", "http://h/p", urls, 8);
    assert_int_equal(n, 1);
    assert_string_equal(urls[0], "http://h/v.mp4");
    free(urls[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_direct_formats),
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_tags_and_lyrics),
        cmocka_unit_test(test_sylt_and_local_files),
        cmocka_unit_test(test_page_helpers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
