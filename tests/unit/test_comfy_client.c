/*
 * test_comfy_client.c - one scene image through ComfyUI against the fixture server: the
 * WebSocket path and the polling path, the 400 "not installed" reply, execution_error, a
 * server restart mid-prompt, cancel (our prompt only), timeout, the image cache, the fixture's
 * captured shapes (403 on a foreign Origin, 500 on bad JSON, {} history) and the catalog's
 * usable flags.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "comfy/mv_comfy.h"
#include "comfy_fixture.h"
#include "mv_test_util.h"

typedef struct progress_log {
    int calls, mid_calls;
    double last;
} progress_log;

static void on_progress(void *user, double fraction, const char *text)
{
    (void)text;
    progress_log *p = user;
    p->calls++;
    if (fraction > 0.1 && fraction < 0.95)
        p->mid_calls++;
    p->last = fraction;
}

static const mv_comfy_timing fast_timing = {
    .connect_timeout = 2.0,
    .request_timeout = 5.0,
    .image_timeout = 20.0,
    .poll_interval = 0.05,
    .backoff_initial = 0.1,
    .backoff_max = 0.4,
    .restart_budget = 5.0,
};

static mv_image_backends *open_backends(const char *const *urls, size_t n, const char *cache)
{
    mv_image_config cfg = {.comfyui_urls = urls, .comfyui_url_count = n, .cache_dir = cache};
    mv_image_backends *b = NULL;
    mv_error err;
    assert_int_equal(mv_images_open(&cfg, &b, &err), MAIVID_OK);
    mv_images_set_timing(b, &fast_timing);
    return b;
}

static char *read_all(const char *path, size_t *len)
{
    char *data = NULL;
    mv_error err;
    if (mv_read_file(path, &data, len, &err) != MAIVID_OK)
        return NULL;
    return data;
}

static int file_has(const char *path, const char *needle)
{
    size_t len = 0;
    char *data = read_all(path, &len);
    int found = data && memmem(data, len, needle, strlen(needle)) != NULL;
    free(data);
    return found;
}

static mv_image_job sdxl_job(const char *out)
{
    mv_image_job job = {
        .model = "sdxl_turbo",
        .prompt = "neon-lit city street at night, rain",
        .negative_prompt = "blurry",
        .seed = 42,
        .width = 1920,
        .height = 1080,
        .output_path = out,
    };
    return job;
}

static void test_good_over_websocket(void **state)
{
    (void)state;
    mv_comfy_fixture *fx = mv_comfy_fixture_start(NULL);
    assert_non_null(fx);
    const char *urls[] = {mv_comfy_fixture_url(fx)};
    mv_image_backends *b = open_backends(urls, 1, NULL);
    char *dir = mv_test_tmpdir("comfy-good");
    char out[4096];
    snprintf(out, sizeof out, "%s/scene1.png", dir);
    mv_image_job job = sdxl_job(out);
    progress_log log = {0};
    mv_task task = {.progress = on_progress, .user_data = &log};
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_images_make(b, &job, &task, &err), MAIVID_OK);
    /* The fixture wrote size, seed and prompt of the graph it ran into the PNG. */
    assert_true(file_has(out, "\x89PNG"));
    assert_true(file_has(out, "704x384 seed=42 prompt=neon-lit city street at night, rain"));
    mv_comfy_fixture_stats st;
    mv_comfy_fixture_get_stats(fx, &st);
    assert_int_equal(st.accepted, 1);
    assert_true(st.ws_connections >= 1);
    assert_int_equal(st.views, 1);
    char *cid = mv_comfy_fixture_last_client_id(fx);
    assert_non_null(cid);
    assert_memory_equal(cid, "maivid-", 7);
    free(cid);
    char *graph = mv_comfy_fixture_last_graph(fx);
    assert_null(strstr(graph, "{{"));
    assert_non_null(strstr(graph, "\"filename_prefix\":\"maivid/"));
    free(graph);
    assert_true(log.mid_calls >= 1); /* progress events of the sampler */
    assert_true(log.last == 1.0);
    mv_images_close(b);
    mv_comfy_fixture_stop(fx);
    mv_remove_tree(dir, &err);
    free(dir);
}

static void test_polling_without_websocket(void **state)
{
    (void)state;
    mv_comfy_fixture_opts o = {.mode = MV_FIXTURE_NO_WS, .step_seconds = 0.05};
    mv_comfy_fixture *fx = mv_comfy_fixture_start(&o);
    const char *urls[] = {mv_comfy_fixture_url(fx)};
    mv_image_backends *b = open_backends(urls, 1, NULL);
    char *dir = mv_test_tmpdir("comfy-poll");
    char out[4096];
    snprintf(out, sizeof out, "%s/scene.png", dir);
    mv_image_job job = sdxl_job(out);
    job.model = "sd3";
    mv_error err;
    assert_int_equal(mv_images_make(b, &job, NULL, &err), MAIVID_OK);
    assert_true(file_has(out, "1360x768 seed=42"));
    mv_comfy_fixture_stats st;
    mv_comfy_fixture_get_stats(fx, &st);
    assert_int_equal(st.ws_connections, 0);
    assert_int_equal(st.completed, 1);
    mv_images_close(b);
    mv_comfy_fixture_stop(fx);
    mv_remove_tree(dir, &err);
    free(dir);
}

static void test_checkpoint_not_installed(void **state)
{
    (void)state;
    const char *installed[] = {"other_model.safetensors"};
    mv_comfy_fixture_opts o = {.checkpoints = installed, .checkpoint_count = 1};
    mv_comfy_fixture *fx = mv_comfy_fixture_start(&o);
    const char *urls[] = {mv_comfy_fixture_url(fx)};
    mv_image_backends *b = open_backends(urls, 1, NULL);
    char *dir = mv_test_tmpdir("comfy-400");
    char out[4096];
    snprintf(out, sizeof out, "%s/scene.png", dir);
    mv_image_job job = sdxl_job(out);
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_images_make(b, &job, NULL, &err), MAIVID_E_BACKEND);
    assert_non_null(strstr(err.message, "'sd_xl_turbo_1.0_fp16.safetensors' is not installed"));
    assert_non_null(strstr(err.message, "installed: 'other_model.safetensors'"));
    assert_non_null(strstr(err.message, "CheckpointLoaderSimple"));
    assert_false(mv_file_exists(out));
    mv_images_close(b);
    mv_comfy_fixture_stop(fx);
    mv_remove_tree(dir, &err);
    free(dir);
}

static void test_execution_error(void **state)
{
    (void)state;
    mv_comfy_fixture_opts o = {.mode = MV_FIXTURE_FAILING};
    mv_comfy_fixture *fx = mv_comfy_fixture_start(&o);
    const char *urls[] = {mv_comfy_fixture_url(fx)};
    mv_image_backends *b = open_backends(urls, 1, NULL);
    char *dir = mv_test_tmpdir("comfy-exec");
    char out[4096];
    snprintf(out, sizeof out, "%s/scene.png", dir);
    mv_image_job job = sdxl_job(out);
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_images_make(b, &job, NULL, &err), MAIVID_E_BACKEND);
    assert_non_null(strstr(err.message, "node 1 (CheckpointLoaderSimple)"));
    assert_non_null(strstr(err.message, "HeaderTooLarge"));
    assert_non_null(strstr(err.message, "model files"));
    assert_false(mv_file_exists(out));
    mv_images_close(b);
    mv_comfy_fixture_stop(fx);
    mv_remove_tree(dir, &err);
    free(dir);
}

static void test_server_restart_mid_prompt(void **state)
{
    (void)state;
    mv_comfy_fixture_opts o = {.mode = MV_FIXTURE_RESTARTING, .restart_seconds = 0.6};
    mv_comfy_fixture *fx = mv_comfy_fixture_start(&o);
    const char *urls[] = {mv_comfy_fixture_url(fx)};
    mv_image_backends *b = open_backends(urls, 1, NULL);
    char *dir = mv_test_tmpdir("comfy-restart");
    char out[4096];
    snprintf(out, sizeof out, "%s/scene.png", dir);
    mv_image_job job = sdxl_job(out);
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_images_make(b, &job, NULL, &err), MAIVID_OK);
    assert_true(file_has(out, "seed=42"));
    mv_comfy_fixture_stats st;
    mv_comfy_fixture_get_stats(fx, &st);
    assert_int_equal(st.restarts, 1);
    assert_int_equal(st.accepted, 2); /* lost by the restart, submitted again */
    assert_int_equal(st.completed, 1);
    mv_images_close(b);
    mv_comfy_fixture_stop(fx);
    mv_remove_tree(dir, &err);
    free(dir);
}

typedef struct make_call {
    mv_image_backends *b;
    mv_image_job job;
    mv_task task;
    maivid_code rc;
    mv_error err;
} make_call;

static void *make_thread(void *arg)
{
    make_call *c = arg;
    c->rc = mv_images_make(c->b, &c->job, &c->task, &c->err);
    return NULL;
}

static void nap(double s)
{
    struct timespec ts = {.tv_sec = (time_t)s, .tv_nsec = (long)((s - (time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

static void test_cancel_interrupts_only_our_prompt(void **state)
{
    (void)state;
    mv_comfy_fixture_opts o = {.mode = MV_FIXTURE_SLOW, .steps = 60, .step_seconds = 0.1};
    mv_comfy_fixture *fx = mv_comfy_fixture_start(&o);
    const char *urls[] = {mv_comfy_fixture_url(fx)};
    mv_image_backends *b = open_backends(urls, 1, NULL);
    char *dir = mv_test_tmpdir("comfy-cancel");
    char out[4096];
    snprintf(out, sizeof out, "%s/scene.png", dir);
    atomic_int cancel = 0;
    make_call call = {.b = b, .job = sdxl_job(out), .task = {.cancel = &cancel}};
    pthread_t t;
    pthread_create(&t, NULL, make_thread, &call);
    mv_comfy_fixture_stats st = {0};
    for (int i = 0; i < 100 && st.accepted == 0; i++) {
        nap(0.05);
        mv_comfy_fixture_get_stats(fx, &st);
    }
    nap(0.3);
    double t0 = mv_monotonic();
    atomic_store(&cancel, 1);
    pthread_join(t, NULL);
    assert_true(mv_monotonic() - t0 < 2.0);
    assert_int_equal(call.rc, MAIVID_E_CANCELLED);
    nap(0.3);
    mv_comfy_fixture_get_stats(fx, &st);
    assert_int_equal(st.interrupts_by_id, 1); /* by prompt id ... */
    assert_int_equal(st.interrupts_all, 0);   /* ... never everyone's */
    assert_int_equal(st.interrupted, 1);
    assert_int_equal(st.completed, 0);
    assert_false(mv_file_exists(out));
    mv_images_close(b);
    mv_comfy_fixture_stop(fx);
    mv_error err;
    mv_remove_tree(dir, &err);
    free(dir);
}

static void test_timeout(void **state)
{
    (void)state;
    mv_comfy_fixture_opts o = {.mode = MV_FIXTURE_SLOW, .steps = 50, .step_seconds = 0.1};
    mv_comfy_fixture *fx = mv_comfy_fixture_start(&o);
    const char *urls[] = {mv_comfy_fixture_url(fx)};
    mv_image_backends *b = open_backends(urls, 1, NULL);
    mv_comfy_timing t = {.image_timeout = 0.8};
    mv_images_set_timing(b, &t);
    char *dir = mv_test_tmpdir("comfy-timeout");
    char out[4096];
    snprintf(out, sizeof out, "%s/scene.png", dir);
    mv_image_job job = sdxl_job(out);
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_images_make(b, &job, NULL, &err), MAIVID_E_TIMEOUT);
    assert_non_null(strstr(err.message, "timeout"));
    mv_comfy_fixture_stats st;
    mv_comfy_fixture_get_stats(fx, &st);
    assert_int_equal(st.interrupts_by_id, 1); /* the server is not left working for nothing */
    mv_images_close(b);
    mv_comfy_fixture_stop(fx);
    mv_remove_tree(dir, &err);
    free(dir);
}

static void test_cache_and_fresh_files(void **state)
{
    (void)state;
    mv_comfy_fixture *fx = mv_comfy_fixture_start(NULL);
    const char *urls[] = {mv_comfy_fixture_url(fx)};
    char *dir = mv_test_tmpdir("comfy-cache");
    char cache[4096], a[4096], c[4096], d[4096];
    snprintf(cache, sizeof cache, "%s/cache", dir);
    snprintf(a, sizeof a, "%s/a.png", dir);
    snprintf(c, sizeof c, "%s/c.png", dir);
    snprintf(d, sizeof d, "%s/d.png", dir);
    mv_image_backends *b = open_backends(urls, 1, cache);
    mv_image_job job = sdxl_job(a);
    mv_error err;
    assert_int_equal(mv_images_make(b, &job, NULL, &err), MAIVID_OK);
    job.output_path = c;
    assert_int_equal(mv_images_make(b, &job, NULL, &err), MAIVID_OK);
    mv_comfy_fixture_stats st;
    mv_comfy_fixture_get_stats(fx, &st);
    assert_int_equal(st.accepted, 1); /* the second one came from the cache */
    size_t la = 0, lc = 0;
    char *da = read_all(a, &la), *dc = read_all(c, &lc);
    assert_int_equal(la, lc);
    assert_memory_equal(da, dc, la);
    free(da);
    free(dc);
    mv_images_close(b);

    /* Without the cache the same job runs again and the server writes a new file instead of
     * answering from its node cache. */
    b = open_backends(urls, 1, NULL);
    job.output_path = d;
    assert_int_equal(mv_images_make(b, &job, NULL, &err), MAIVID_OK);
    mv_comfy_fixture_get_stats(fx, &st);
    assert_int_equal(st.accepted, 2);
    assert_int_equal(st.cached, 0);
    assert_int_equal(st.completed, 2);
    /* Another seed is another cache key. */
    mv_images_close(b);
    b = open_backends(urls, 1, cache);
    job.seed = 43;
    assert_int_equal(mv_images_make(b, &job, NULL, &err), MAIVID_OK);
    mv_comfy_fixture_get_stats(fx, &st);
    assert_int_equal(st.accepted, 3);
    assert_true(file_has(d, "seed=43"));
    mv_images_close(b);
    mv_comfy_fixture_stop(fx);
    mv_remove_tree(dir, &err);
    free(dir);
}

typedef struct curl_body {
    char buf[4096];
    size_t len;
} curl_body;

static size_t collect(char *p, size_t s, size_t n, void *u)
{
    curl_body *b = u;
    size_t k = s * n;
    if (b->len + k < sizeof b->buf) {
        memcpy(b->buf + b->len, p, k);
        b->len += k;
        b->buf[b->len] = '\0';
    }
    return k;
}

static long raw_request(const char *url, const char *body, const char *extra_header,
                        curl_body *out, char *content_type, size_t ct_size)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    if (extra_header)
        h = curl_slist_append(h, extra_header);
    memset(out, 0, sizeof *out);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    if (body)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    char *ct = NULL;
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
    if (content_type)
        mv_strlcpy(content_type, ct ? ct : "", ct_size);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return status;
}

static void test_fixture_replays_captured_shapes(void **state)
{
    (void)state;
    mv_comfy_fixture *fx = mv_comfy_fixture_start(NULL);
    char url[256], ct[128];
    curl_body body;
    snprintf(url, sizeof url, "%s/prompt", mv_comfy_fixture_url(fx));
    /* A foreign Origin: 403 with an empty body. */
    assert_int_equal(raw_request(url, "{}", "Origin: http://evil.example", &body, ct, sizeof ct),
                     403);
    assert_int_equal(body.len, 0);
    /* Bad JSON: 500 in plain text, not the JSON error object. */
    assert_int_equal(raw_request(url, "{oops", NULL, &body, ct, sizeof ct), 500);
    assert_non_null(strstr(ct, "text/plain"));
    /* No prompt: the captured 400 body. */
    assert_int_equal(raw_request(url, "{\"client_id\": \"x\"}", NULL, &body, ct, sizeof ct), 400);
    assert_non_null(strstr(body.buf, "\"no_prompt\""));
    /* History of an unknown id: {} with 200. */
    snprintf(url, sizeof url, "%s/history/nope", mv_comfy_fixture_url(fx));
    assert_int_equal(raw_request(url, NULL, NULL, &body, ct, sizeof ct), 200);
    assert_string_equal(body.buf, "{}");
    /* /view without a filename: 404. */
    snprintf(url, sizeof url, "%s/view?type=output", mv_comfy_fixture_url(fx));
    assert_int_equal(raw_request(url, NULL, NULL, &body, ct, sizeof ct), 404);
    /* The client's own 500 handling: a template the server cannot read is reported. */
    mv_comfy_fixture_stop(fx);
}

static void test_catalog_usable_flags(void **state)
{
    (void)state;
    mv_comfy_fixture *good = mv_comfy_fixture_start(NULL);
    const char *only_other[] = {"other_model.safetensors"};
    mv_comfy_fixture_opts o = {.checkpoints = only_other, .checkpoint_count = 1};
    mv_comfy_fixture *partial = mv_comfy_fixture_start(&o);
    mv_comfy_fixture *gone = mv_comfy_fixture_start(NULL);
    char gone_url[64];
    mv_strlcpy(gone_url, mv_comfy_fixture_url(gone), sizeof gone_url);
    mv_comfy_fixture_stop(gone);

    struct {
        const char *urls[2];
        size_t n;
        int sdxl, flux;
        const char *why;
    } cases[] = {
        {{mv_comfy_fixture_url(good)}, 1, 1, 1, NULL},
        {{mv_comfy_fixture_url(partial)}, 1, 0, 1, "is not installed"},
        {{gone_url}, 1, 0, 0, "not reachable"},
        {{gone_url, mv_comfy_fixture_url(good)}, 2, 1, 1, NULL},
        {{NULL}, 0, 0, 0, "no ComfyUI server"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mv_image_backends *b = open_backends(cases[i].urls, cases[i].n, NULL);
        double t0 = mv_monotonic();
        cJSON *cat = mv_images_catalog(b);
        assert_true(mv_monotonic() - t0 < 5.0);
        int seen = 0;
        for (cJSON *m = cat->child; m; m = m->next) {
            const char *id = cJSON_GetObjectItemCaseSensitive(m, "id")->valuestring;
            const char *kind = cJSON_GetObjectItemCaseSensitive(m, "kind")->valuestring;
            int usable = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "usable"));
            const cJSON *why = cJSON_GetObjectItemCaseSensitive(m, "unusable_reason");
            if (strcmp(id, "procedural") == 0) {
                assert_string_equal(kind, "builtin");
                assert_true(usable);
                seen++;
            } else if (strcmp(id, "sdxl_turbo") == 0) {
                assert_string_equal(kind, "comfyui");
                assert_int_equal(usable, cases[i].sdxl);
                if (!usable)
                    assert_non_null(strstr(why->valuestring, cases[i].why));
                seen++;
            } else if (strcmp(id, "flux") == 0) {
                assert_int_equal(usable, cases[i].flux);
                seen++;
            }
        }
        assert_int_equal(seen, 3);
        /* Cached briefly: a second listing does not ask again and answers the same. */
        cJSON *again = mv_images_catalog(b);
        assert_true(cJSON_Compare(cat, again, 1));
        cJSON_Delete(again);
        cJSON_Delete(cat);
        mv_images_close(b);
    }
    mv_comfy_fixture_stop(good);
    mv_comfy_fixture_stop(partial);
}

static void test_unknown_model_and_no_server(void **state)
{
    (void)state;
    mv_image_backends *b = open_backends(NULL, 0, NULL);
    mv_image_job job = sdxl_job("/tmp/never-written.png");
    job.model = "dalle";
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(mv_images_make(b, &job, NULL, &err), MAIVID_E_INVALID);
    assert_non_null(strstr(err.message, "procedural, sdxl_turbo, sd3, flux"));
    assert_false(mv_images_model_known(b, "dalle"));
    assert_true(mv_images_model_known(b, "flux"));
    job.model = "flux";
    assert_int_equal(mv_images_make(b, &job, NULL, &err), MAIVID_E_BACKEND);
    assert_non_null(strstr(err.message, "--comfyui"));
    mv_images_close(b);
}

/* --workflow FILE: a per-job API-format workflow, found by wiring (no placeholders). */
static void test_per_job_workflow_file(void **state)
{
    (void)state;
    mv_comfy_fixture *fx = mv_comfy_fixture_start(NULL);
    const char *urls[] = {mv_comfy_fixture_url(fx)};
    mv_image_backends *b = open_backends(urls, 1, NULL);
    char *dir = mv_test_tmpdir("comfy-workflow-file");
    char wf[4096], out[4096];
    snprintf(wf, sizeof wf, "%s/mine.json", dir);
    snprintf(out, sizeof out, "%s/scene.png", dir);
    const char *graph =
        "{\"x1\": {\"class_type\": \"CheckpointLoaderSimple\", \"inputs\": {\"ckpt_name\": "
        "\"custom_model.safetensors\"}},"
        " \"x2\": {\"class_type\": \"CLIPTextEncode\", \"inputs\": {\"text\": \"old\", "
        "\"clip\": [\"x1\", 1]}},"
        " \"x3\": {\"class_type\": \"CLIPTextEncode\", \"inputs\": {\"text\": \"\", "
        "\"clip\": [\"x1\", 1]}},"
        " \"x4\": {\"class_type\": \"EmptyLatentImage\", \"inputs\": {\"width\": 768, "
        "\"height\": 768, \"batch_size\": 1}},"
        " \"x5\": {\"class_type\": \"KSampler\", \"inputs\": {\"model\": [\"x1\", 0], "
        "\"seed\": 1, \"steps\": 4, \"cfg\": 1.0, \"sampler_name\": \"euler\", "
        "\"scheduler\": \"normal\", \"denoise\": 1.0, \"positive\": [\"x2\", 0], "
        "\"negative\": [\"x3\", 0], \"latent_image\": [\"x4\", 0]}},"
        " \"x6\": {\"class_type\": \"VAEDecode\", \"inputs\": {\"samples\": [\"x5\", 0], "
        "\"vae\": [\"x1\", 2]}},"
        " \"x7\": {\"class_type\": \"SaveImage\", \"inputs\": {\"images\": [\"x6\", 0], "
        "\"filename_prefix\": \"mine\"}}}";
    mv_error err;
    assert_int_equal(mv_write_file_atomic(wf, graph, strlen(graph), &err), MAIVID_OK);
    mv_image_job job = sdxl_job(out);
    job.model = "custom";
    job.workflow_path = wf;
    job.width = 1280;
    job.height = 720;
    assert_int_equal(mv_images_make(b, &job, NULL, &err), MAIVID_OK);
    /* 768x768 native pixel count at 16:9, prompt and seed placed by wiring. */
    assert_true(file_has(out, "1024x576 seed=42 prompt=neon-lit city street at night, rain"));
    mv_images_close(b);
    mv_comfy_fixture_stop(fx);
    mv_remove_tree(dir, &err);
    free(dir);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_over_websocket),
        cmocka_unit_test(test_polling_without_websocket),
        cmocka_unit_test(test_checkpoint_not_installed),
        cmocka_unit_test(test_execution_error),
        cmocka_unit_test(test_server_restart_mid_prompt),
        cmocka_unit_test(test_cancel_interrupts_only_our_prompt),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_cache_and_fresh_files),
        cmocka_unit_test(test_fixture_replays_captured_shapes),
        cmocka_unit_test(test_catalog_usable_flags),
        cmocka_unit_test(test_unknown_model_and_no_server),
        cmocka_unit_test(test_per_job_workflow_file),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
