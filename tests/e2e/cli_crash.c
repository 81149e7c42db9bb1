/*
 * cli_crash.c - crash injection: maivid-server is killed with SIGKILL at random (seeded)
 * moments aimed at each stage in turn while three jobs run, and started again on the same
 * data directory each time; a maivid-cli generate is killed the same way and finished with
 * `resume`. Every job must complete exactly once with a playable MP4 (libavformat reads
 * every packet), and no temporary file (.tmp, .part, .partial, render checkpoints, download
 * and remux temporaries) may be left. MAIVID_CRASH_SEED=N repeats a run; the seed used is
 * printed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <libavformat/avformat.h>

#include "cli_harness.h"
#include "maivid/maivid.h"
#include "mv_test_util.h"
#include "server_harness.h"
#include "util/mv_common.h"

#define MV_CRASH_JOBS 3
#define MV_CRASH_KILLS 8

static unsigned mv_crash_seed(void)
{
    const char *text = getenv("MAIVID_CRASH_SEED");
    unsigned seed = text && *text ? (unsigned)strtoul(text, NULL, 10) : (unsigned)time(NULL);
    printf("crash injection seed %u (repeat with MAIVID_CRASH_SEED=%u)\n", seed, seed);
    return seed;
}

static int mv_random_ms(unsigned *seed, int max_ms)
{
    return (int)(rand_r(seed) % (unsigned)(max_ms + 1));
}

static void mv_sleep_ms(int ms)
{
    struct timespec pause = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
}

static double mv_now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Playable: H.264 + AAC, about as long as the song, and every packet reads back. */
static void mv_assert_playable(const char *path, double seconds)
{
    double duration = 0;
    int width = 0, height = 0;
    if (!mv_cli_probe_video(path, &duration, &width, &height))
        fail_msg("%s is not an H.264 + AAC video", path);
    assert_int_equal(height, 480);
    assert_true(duration > seconds - 0.5 && duration < seconds + 0.5);
    AVFormatContext *fmt = NULL;
    assert_int_equal(avformat_open_input(&fmt, path, NULL, NULL), 0);
    assert_true(avformat_find_stream_info(fmt, NULL) >= 0);
    AVPacket *pkt = av_packet_alloc();
    int video_packets = 0, rc;
    while ((rc = av_read_frame(fmt, pkt)) >= 0) {
        if (fmt->streams[pkt->stream_index]->codecpar->codec_type == AVMEDIA_TYPE_VIDEO)
            video_packets++;
        av_packet_unref(pkt);
    }
    assert_int_equal(rc, AVERROR_EOF);
    av_packet_free(&pkt);
    avformat_close_input(&fmt);
    assert_true(video_packets >= (int)(seconds * 12 * 0.9));
}

/* The job's status and stage from the server ("" when unknown). */
static void mv_job_stage(const mv_test_server *server, const char *id, char *state,
                         char *stage, size_t size)
{
    char path[256];
    snprintf(path, sizeof path, "/api/convo_pilot/video/%s", id);
    mv_http_reply reply;
    state[0] = stage[0] = '\0';
    if (mv_http_get(server, path, &reply) == 0 && reply.status == 200) {
        const char *st = mv_json_string(reply.json, "job_status", "status");
        const char *sn = mv_json_string(reply.json, "job_status", "stage_name");
        snprintf(state, size, "%s", st ? st : "");
        snprintf(stage, size, "%s", sn ? sn : "");
    }
    mv_http_reply_free(&reply);
}

/* Waits (polling) until one job is running in stage `target`, up to `seconds`. Returns 1
 * then, 0 when the time ran out, -1 when every job has ended. */
static int mv_wait_for_stage(const mv_test_server *server, char ids[][64], const char *target,
                             double seconds)
{
    double deadline = mv_now_s() + seconds;
    while (mv_now_s() < deadline) {
        int ended = 0;
        for (int i = 0; i < MV_CRASH_JOBS; i++) {
            char state[64], stage[64];
            mv_job_stage(server, ids[i], state, stage, sizeof state);
            if (strcmp(state, "running") == 0 && strcmp(stage, target) == 0)
                return 1;
            if (strcmp(state, "completed") == 0 || strcmp(state, "failed") == 0 ||
                strcmp(state, "cancelled") == 0)
                ended++;
        }
        if (ended == MV_CRASH_JOBS)
            return -1;
        mv_sleep_ms(5);
    }
    return 0;
}

/* A test's folder: a 3 s song in it and the data directory's paths. */
typedef struct mv_crash_dir {
    char *dir;
    char song[4200], data_dir[4200], jobs_dir[4300];
    mv_test_song spec;
} mv_crash_dir;

static void mv_crash_dir_make(mv_crash_dir *c, const char *name)
{
    c->dir = mv_test_tmpdir(name);
    assert_non_null(c->dir);
    snprintf(c->song, sizeof c->song, "%s/song.wav", c->dir);
    snprintf(c->data_dir, sizeof c->data_dir, "%s/data", c->dir);
    snprintf(c->jobs_dir, sizeof c->jobs_dir, "%s/jobs", c->data_dir);
    c->spec = (mv_test_song){.seconds = 3.0, .bpm = 120, .loud_start = 1.0, .loud_end = 2.0,
                             .sample_rate = 22050, .channels = 1};
    assert_int_equal(mv_test_write_song_wav(c->song, &c->spec), 0);
}

static void mv_crash_dir_remove(mv_crash_dir *c)
{
    mv_remove_tree(c->dir, NULL);
    free(c->dir);
}

static void test_server_killed_across_stages(void **state)
{
    (void)state;
    unsigned seed = mv_crash_seed();
    double started = mv_now_s();
    mv_crash_dir c;
    mv_crash_dir_make(&c, "crash-server");
    const char *song = c.song, *data_dir = c.data_dir, *jobs_dir = c.jobs_dir;
    const mv_test_song spec = c.spec;
    mv_fixture fixture;
    assert_int_equal(mv_fixture_start(&fixture, song), 0);

    /* Render at normal priority: this test is about crash consistency, and on a machine
     * busy with other work a niced render would only make it slow. */
    const char *args[] = {"--allow-private-urls", "--render-nice", "0", NULL};
    mv_test_server server;
    assert_int_equal(mv_test_server_start(&server, data_dir, args), 0);
    char ids[MV_CRASH_JOBS][64];
    for (int i = 0; i < MV_CRASH_JOBS; i++) {
        char body[1024];
        snprintf(body, sizeof body,
                 "{\"url\":\"%s/song.wav\",\"model_type\":\"procedural\",\"resolution\":"
                 "\"480p\",\"fps\":12,\"scene_count\":3,\"transition_duration\":0.5,"
                 "\"title\":\"Crash %d\"}",
                 fixture.base_url, i);
        mv_http_reply reply;
        mv_http_post_json(&server, "/api/convo_pilot/video", body, &reply);
        if (reply.status != 202)
            fail_msg("create: %ld %s", reply.status, reply.body);
        snprintf(ids[i], sizeof ids[i], "%s", mv_json_string(reply.json, NULL, "job_id"));
        mv_http_reply_free(&reply);
    }

    /* Each kill aims at the next stage in turn, at a random moment inside it. */
    int kills = 0;
    for (int k = 0; k < MV_CRASH_KILLS; k++) {
        const char *target = maivid_stage_name((maivid_stage)(k % MAIVID_STAGE_COUNT));
        int found = mv_wait_for_stage(&server, ids, target, 1.5);
        if (found < 0)
            break;
        mv_sleep_ms(mv_random_ms(&seed, found ? 150 : 400));
        kill(server.pid, SIGKILL);
        mv_test_server_free(&server); /* reaps it */
        kills++;
        printf("kill %d: SIGKILL %s (aimed at %s)\n", kills, found ? "in" : "after waiting for",
               target);
        assert_int_equal(mv_test_server_start(&server, data_dir, args), 0);
    }
    assert_true(kills >= 3);

    for (int i = 0; i < MV_CRASH_JOBS; i++) {
        char final[32];
        mv_test_wait_job(&server, ids[i], 60, final, sizeof final);
        if (strcmp(final, "completed") != 0) {
            char *log = mv_test_server_log(&server);
            fail_msg("job %s ended %s; server log:\n%s", ids[i], final, log);
        }
    }
    /* Exactly once: the list holds the three jobs, each once, each completed. */
    mv_http_reply reply;
    assert_int_equal(mv_http_get(&server, "/api/convo_pilot/videos", &reply), 0);
    const cJSON *jobs = cJSON_GetObjectItemCaseSensitive(reply.json, "jobs");
    assert_int_equal(cJSON_GetArraySize(jobs), MV_CRASH_JOBS);
    for (int i = 0; i < MV_CRASH_JOBS; i++) {
        int seen = 0;
        const cJSON *job;
        cJSON_ArrayForEach(job, jobs)
        {
            if (strcmp(mv_json_string(job, NULL, "job_id"), ids[i]) == 0) {
                seen++;
                assert_string_equal(mv_json_string(job, NULL, "status"), "completed");
            }
        }
        assert_int_equal(seen, 1);
    }
    mv_http_reply_free(&reply);
    mv_test_server_stop(&server);
    assert_int_equal(server.exit_status, 0);
    mv_test_server_free(&server);
    assert_int_equal(mv_cli_count_entries(jobs_dir), MV_CRASH_JOBS);
    for (int i = 0; i < MV_CRASH_JOBS; i++) {
        char video[4600];
        snprintf(video, sizeof video, "%s/%s/video.mp4", jobs_dir, ids[i]);
        mv_assert_playable(video, spec.seconds);
    }
    assert_int_equal(mv_test_count_temp_files(data_dir), 0);
    mv_fixture_stop(&fixture);
    printf("server: %d kills, %.1f s\n", kills, mv_now_s() - started);
    mv_crash_dir_remove(&c);
}

/* The one job in a CLI data directory, or "" when there is none. */
static void mv_only_job(const char *jobs_dir, char id[MAIVID_JOB_ID_SIZE])
{
    id[0] = '\0';
    DIR *d = opendir(jobs_dir);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL)
        if (maivid_job_id_valid(de->d_name))
            mv_strlcpy(id, de->d_name, MAIVID_JOB_ID_SIZE);
    if (d)
        closedir(d);
}

static void test_cli_killed_then_resumed(void **state)
{
    (void)state;
    unsigned seed = mv_crash_seed();
    double started = mv_now_s();
    mv_crash_dir c;
    mv_crash_dir_make(&c, "crash-cli");
    const char *song = c.song, *data_dir = c.data_dir, *jobs_dir = c.jobs_dir, *dir = c.dir;
    const mv_test_song spec = c.spec;
    char out[4400];
    for (int round = 0; round < 2; round++) {
        snprintf(out, sizeof out, "%s/video-%d.mp4", dir, round);
        const char *args[] = {"generate", song, "--data-dir", data_dir, "-m", "procedural",
                              "--resolution", "480p", "--fps", "12", "-n", "3", "-d", "0.5",
                              "-o", out, NULL};
        mv_cli_child child;
        assert_int_equal(mv_cli_spawn(mv_cli_binary(), args, NULL, dir, &child), 0);
        int delay = 200 + mv_random_ms(&seed, 2500);
        mv_sleep_ms(delay);
        int code = mv_cli_stop(child.pid, SIGKILL, 10);
        mv_cli_child_free(&child);
        char id[MAIVID_JOB_ID_SIZE];
        mv_only_job(jobs_dir, id);
        printf("cli round %d: SIGKILL after %d ms (exit %d), job %s\n", round, delay, code,
               id[0] ? id : "(none yet)");
        mv_cli_result result;
        if (id[0]) {
            const char *resume[] = {"resume", id, "--data-dir", data_dir, "-o", out, NULL};
            mv_cli_run(resume, NULL, dir, 60, &result);
        } else if (code != 0) {
            mv_cli_run(args, NULL, dir, 60, &result);
        } else {
            memset(&result, 0, sizeof result); /* it finished before the kill */
        }
        if (result.exit_code != 0)
            fail_msg("finishing the killed job: exit %d\n%s", result.exit_code, result.err);
        mv_cli_result_free(&result);
        mv_assert_playable(out, spec.seconds);
        /* Without --keep the finished job is removed; nothing else is left. */
        assert_int_equal(mv_cli_count_entries(jobs_dir), 0);
        assert_int_equal(mv_test_count_temp_files(data_dir), 0);
        assert_int_equal(mv_test_count_temp_files(dir), 0);
    }
    printf("cli: %.1f s\n", mv_now_s() - started);
    mv_crash_dir_remove(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_server_killed_across_stages),
        cmocka_unit_test(test_cli_killed_then_resumed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
