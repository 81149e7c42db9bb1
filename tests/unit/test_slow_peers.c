/*
 * test_slow_peers.c - peers that stop answering mid-reply: a ComfyUI that sends the headers
 * of its /prompt answer and then nothing, or half of a /view image and then nothing, and a
 * Suno whose pages or audio stall the same way. Each must fail within a bounded time with an
 * error naming the peer and the timeout, never holding the worker for the full image time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comfy/mv_comfy.h"
#include "comfy_fixture.h"
#include "ingest/mv_ingest_internal.h"
#include "ingest_audio.h"
#include "mv_test_util.h"
#include "suno_fixture.h"

/* Fast timings; the image time is long on purpose: a stall must be caught well before it. */
static const mv_comfy_timing stall_timing = {
    .connect_timeout = 2.0,
    .request_timeout = 1.0,
    .image_timeout = 60.0,
    .poll_interval = 0.05,
    .backoff_initial = 0.1,
    .backoff_max = 0.2,
    .restart_budget = 1.5,
    .stall_timeout = 1.0,
};

static double comfy_stall_run(const char *path, size_t bytes, mv_error *err, char **url_out)
{
    mv_comfy_fixture *fx = mv_comfy_fixture_start(NULL);
    assert_non_null(fx);
    mv_comfy_fixture_stall(fx, path, bytes);
    const char *urls[] = {mv_comfy_fixture_url(fx)};
    mv_image_config cfg = {.comfyui_urls = urls, .comfyui_url_count = 1};
    mv_image_backends *b = NULL;
    assert_int_equal(mv_images_open(&cfg, &b, err), MAIVID_OK);
    mv_images_set_timing(b, &stall_timing);
    char *dir = mv_test_tmpdir("slow-comfy");
    char out[4096];
    snprintf(out, sizeof out, "%s/scene.png", dir);
    mv_image_job job = {.model = "sdxl_turbo", .prompt = "a quiet harbour", .seed = 7,
                        .width = 1280, .height = 720, .output_path = out};
    mv_error_clear(err);
    double start = mv_monotonic();
    maivid_code rc = mv_images_make(b, &job, NULL, err);
    double took = mv_monotonic() - start;
    assert_int_not_equal(rc, MAIVID_OK);
    assert_false(mv_file_exists(out)); /* nothing half-written presented as the image */
    *url_out = mv_strdup(mv_comfy_fixture_url(fx));
    mv_images_close(b);
    mv_comfy_fixture_stop(fx);
    mv_remove_tree(dir, NULL);
    free(dir);
    return took;
}

static void test_comfy_prompt_headers_then_silence(void **state)
{
    (void)state;
    mv_error err;
    char *url = NULL;
    double took = comfy_stall_run("/prompt", 0, &err, &url);
    printf("stalled /prompt: failed after %.1f s: %s\n", took, err.message);
    assert_true(took < 10.0);
    assert_int_equal(err.code, MAIVID_E_TIMEOUT);
    assert_non_null(strstr(err.message, url));
    assert_non_null(strstr(err.message, "POST /prompt"));
    assert_non_null(strstr(err.message, "1 s"));
    free(url);
}

static void test_comfy_view_half_body_then_silence(void **state)
{
    (void)state;
    mv_error err;
    char *url = NULL;
    double took = comfy_stall_run("/view", 2000, &err, &url);
    printf("stalled /view: failed after %.1f s: %s\n", took, err.message);
    assert_true(took < 10.0);
    assert_int_equal(err.code, MAIVID_E_TIMEOUT);
    assert_non_null(strstr(err.message, url));
    assert_non_null(strstr(err.message, "stalled"));
    assert_non_null(strstr(err.message, "GET /view"));
    free(url);
}

typedef struct suno_env {
    suno_fixture fx;
    mv_fetch_config cfg;
    uint8_t *mp3;
    size_t mp3_len;
    char *dir;
} suno_env;

static void suno_start(suno_env *e)
{
    memset(e, 0, sizeof *e);
    e->dir = mv_test_tmpdir("slow-suno");
    char *mp3 = mv_strdup_printf("%s/tone.mp3", e->dir);
    assert_int_equal(ingest_make_audio(mp3, "mp3", 2.0, NULL), 0);
    e->mp3 = ingest_read_all(mp3, &e->mp3_len);
    free(mp3);
    assert_int_equal(suno_fixture_start(&e->fx), 0);
    e->fx.era = 'C';
    e->fx.share_mode = 307;
    e->fx.mp3 = e->mp3;
    e->fx.mp3_len = e->mp3_len;
    e->cfg = (mv_fetch_config){.suno_web_base = e->fx.web, .suno_api_base = e->fx.api,
                               .suno_cdn_base = e->fx.cdn, .allow_private_urls = 1,
                               .connect_timeout = 1, .io_timeout = 1, .max_bytes = 50u << 20};
}

static double suno_fetch(suno_env *e, mv_error *err)
{
    char *url = mv_strdup_printf("%s/song/%s", e->fx.web, SUNO_FIX_ID);
    char *dir = mv_strdup_printf("%s/job/source", e->dir);
    mv_song song;
    memset(&song, 0, sizeof song);
    mv_error_clear(err);
    double start = mv_monotonic();
    maivid_code rc = mv_fetch_song(&e->cfg, url, dir, &song, NULL, err);
    double took = mv_monotonic() - start;
    assert_int_not_equal(rc, MAIVID_OK);
    free(url);
    free(dir);
    return took;
}

static void suno_stop(suno_env *e)
{
    suno_fixture_stop(&e->fx);
    mv_remove_tree(e->dir, NULL);
    free(e->dir);
    free(e->mp3);
}

static void test_suno_headers_then_silence(void **state)
{
    (void)state;
    suno_env e;
    suno_start(&e);
    e.fx.stall_path = "/";
    mv_error err;
    double took = suno_fetch(&e, &err);
    printf("stalled Suno: failed after %.1f s: %s\n", took, err.message);
    assert_true(took < 20.0);
    assert_non_null(strstr(err.message, "127.0.0.1"));
    assert_non_null(strstr(err.message, "timed out"));
    assert_non_null(strstr(err.message, "no data for 1 s"));
    suno_stop(&e);
}

static void test_suno_audio_half_body_then_silence(void **state)
{
    (void)state;
    suno_env e;
    suno_start(&e);
    e.fx.stall_path = "/cdn1/";
    e.fx.stall_bytes = e.mp3_len / 2;
    mv_error err;
    double took = suno_fetch(&e, &err);
    printf("stalled Suno audio: failed after %.1f s: %s\n", took, err.message);
    assert_true(took < 20.0);
    assert_non_null(strstr(err.message, "127.0.0.1"));
    assert_non_null(strstr(err.message, "no data for 1 s"));
    /* no partial download left beside the song */
    const char *temps[] = {".download", ".download.part"};
    for (size_t i = 0; i < 2; i++) {
        char *left = mv_strdup_printf("%s/job/source/%s", e.dir, temps[i]);
        assert_false(mv_file_exists(left));
        free(left);
    }
    suno_stop(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_comfy_prompt_headers_then_silence),
        cmocka_unit_test(test_comfy_view_half_body_then_silence),
        cmocka_unit_test(test_suno_headers_then_silence),
        cmocka_unit_test(test_suno_audio_half_body_then_silence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
