/*
 * server_clip_eta.c - maivid-server's ETA while clips are made: a 3 s scene in 1 s clips
 * (clip_seconds) is a chain of three, made on a ComfyUI fixture whose sampling steps come at
 * a known rate; eta_seconds while "Animating clip k/3" is shown is set once the first clip's
 * steps are timed, moves down as the clips go, and stays within a factor of three of the
 * time the job really still took.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

#include <cmocka.h>

#include "comfy_fixture.h"
#include "mv_test_util.h"
#include "server_harness.h"
#include "util/mv_common.h"

typedef struct eta_sample {
    double t, eta;
} eta_sample;

static void test_clip_eta(void **state)
{
    (void)state;
    /* each clip: 12 steps of 0.15 s, about 1.8 s */
    mv_comfy_fixture_opts o = {.mode = MV_FIXTURE_SLOW, .steps = 12, .step_seconds = 0.15};
    mv_comfy_rig rig;
    assert_int_equal(mv_comfy_rig_start(&rig, "server-clip-eta", &o), 0);
    mv_test_server *server = &rig.server;
    char body[1024];
    snprintf(body, sizeof body,
             "{\"url\":\"%s/song.wav\",\"model_type\":\"procedural\",\"animate\":\"ltxv_i2v\","
             "\"clip_seconds\":1,\"resolution\":\"480p\",\"fps\":12,\"scene_count\":1,"
             "\"captions\":\"off\"}",
             rig.songs.base_url);
    mv_http_reply reply;
    mv_http_post_json(server, "/api/convo_pilot/video", body, &reply);
    assert_int_equal(reply.status, 202);
    char job_id[64], path[256];
    snprintf(job_id, sizeof job_id, "%s", mv_json_string(reply.json, NULL, "job_id"));
    mv_http_reply_free(&reply);
    snprintf(path, sizeof path, "/api/convo_pilot/video/%s", job_id);
    eta_sample samples[600];
    int n = 0, clips_seen = 0;
    char final[32] = "timeout";
    double t0 = mv_monotonic(), end = 0;
    char last_stage[256] = "";
    while (mv_monotonic() - t0 < 100) {
        mv_http_get(server, path, &reply);
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(reply.json, "job_status");
        const char *status = mv_json_string(reply.json, "job_status", "status");
        const char *stage = mv_json_string(reply.json, "job_status", "current_stage");
        const cJSON *eta = cJSON_GetObjectItemCaseSensitive(st, "eta_seconds");
        snprintf(last_stage, sizeof last_stage, "%s", stage ? stage : "");
        if (stage && strncmp(stage, "Animating clip", 14) == 0) {
            int k = 0, of = 0;
            if (sscanf(stage, "Animating clip %d/%d", &k, &of) == 2) {
                assert_int_equal(of, 3); /* the chain of three counts as three clips */
                if (k > clips_seen)
                    clips_seen = k;
            }
            if (cJSON_IsNumber(eta) && n < 600)
                samples[n++] = (eta_sample){mv_monotonic(), eta->valuedouble};
        }
        if (status && strcmp(status, "queued") != 0 && strcmp(status, "running") != 0) {
            snprintf(final, sizeof final, "%s", status);
            end = mv_monotonic();
            mv_http_reply_free(&reply);
            break;
        }
        mv_http_reply_free(&reply);
        struct timespec ts = {0, 100000000L};
        nanosleep(&ts, NULL);
    }
    if (strcmp(final, "completed") != 0)
        fail_msg("the job did not end in 100 s (%s, at \"%s\"); %d ETA samples, clip %d seen",
                 final, last_stage, n, clips_seen);
    assert_int_equal(clips_seen, 3);
    if (n < 8)
        fail_msg("only %d ETA samples while the clips were made", n);
    for (int i = 0; i < n; i++)
        printf("eta sample %.2f s: %.2f s (left %.2f s)\n", samples[i].t - t0, samples[i].eta,
               end - samples[i].t);
    /* it moves: down from the first clip to the last, and not one value all along */
    int distinct = 0;
    for (int i = 1; i < n; i++)
        distinct += fabs(samples[i].eta - samples[i - 1].eta) > 0.05;
    assert_true(distinct >= 3);
    assert_true(samples[n - 1].eta < samples[0].eta);
    /* and it is honest: within a factor of three (plus a second) of what was left */
    int sane = 0;
    for (int i = 0; i < n; i++) {
        double left = end - samples[i].t;
        if (samples[i].eta < 0 || samples[i].eta > 60)
            fail_msg("eta %.1f s with %.1f s left", samples[i].eta, left);
        sane += samples[i].eta <= 3 * left + 1 && samples[i].eta >= left / 3 - 1;
    }
    if (sane < n * 3 / 4)
        fail_msg("only %d of %d ETA samples within a factor of three of the time left", sane,
                 n);
    mv_comfy_rig_stop(&rig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clip_eta),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
