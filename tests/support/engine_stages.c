/*
 * engine_stages.c - plugged stages for engine tests (see engine_stages.h). Each writes the
 * file its stage must leave, in the documented formats, so the engine's own checks run.
 */
#include "engine_stages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "mv_test_util.h"

static void count_call(engine_test_stages *t, maivid_stage s)
{
    pthread_mutex_lock(&t->lock);
    t->calls[s]++;
    pthread_mutex_unlock(&t->lock);
}

static maivid_code write_text(maivid_stage_context *ctx, const char *name, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", maivid_ctx_job_dir(ctx), name);
    FILE *f = fopen(path, "w");
    if (!f)
        return maivid_ctx_fail(ctx, MAIVID_E_IO, "cannot write %s", path);
    fputs(text, f);
    if (fclose(f) != 0)
        return maivid_ctx_fail(ctx, MAIVID_E_IO, "cannot write %s", path);
    return MAIVID_OK;
}

static void timed_wait(engine_test_stages *t, int ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += ms * 1000000L;
    while (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&t->cond, &t->lock, &ts);
}

static maivid_code stage_fetch(void *ud, maivid_stage_context *ctx)
{
    engine_test_stages *t = ud;
    count_call(t, MAIVID_STAGE_DOWNLOAD);
    pthread_mutex_lock(&t->lock);
    if (t->order_count < 16)
        snprintf(t->order[t->order_count++], MAIVID_JOB_ID_SIZE, "%s", maivid_ctx_job_id(ctx));
    t->fetch_waiting++;
    pthread_cond_broadcast(&t->cond);
    while (!t->gate_open && !maivid_ctx_cancelled(ctx))
        timed_wait(t, 20);
    t->fetch_waiting--;
    pthread_mutex_unlock(&t->lock);
    if (maivid_ctx_cancelled(ctx))
        return MAIVID_E_CANCELLED;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/source", maivid_ctx_job_dir(ctx));
    mkdir(dir, 0755);
    char audio[4200];
    snprintf(audio, sizeof audio, "%s/audio.wav", dir);
    mv_test_song song = {.seconds = 1.0, .bpm = 120};
    if (mv_test_write_song_wav(audio, &song) != 0)
        return maivid_ctx_fail(ctx, MAIVID_E_IO, "cannot write %s", audio);
    maivid_ctx_progress(ctx, 1.0, "fetched");
    return write_text(ctx, "source/metadata.json", "{\"title\":\"Engine Test Song\"}");
}

static maivid_code stage_lyrics(void *ud, maivid_stage_context *ctx)
{
    count_call(ud, MAIVID_STAGE_LYRICS);
    return write_text(ctx, "source/lyrics.txt", "[Verse]\nblue sky over the sea\n");
}

static maivid_code stage_analysis(void *ud, maivid_stage_context *ctx)
{
    count_call(ud, MAIVID_STAGE_ANALYSIS);
    return write_text(ctx, "analysis.json", "{\"duration\":1.0,\"bpm\":120}");
}

static maivid_code stage_plan(void *ud, maivid_stage_context *ctx)
{
    engine_test_stages *t = ud;
    count_call(t, MAIVID_STAGE_SCENE_PLANNING);
    char text[8192] = "{\"subject\":\"test\",\"scenes\":[";
    int n = t->scenes > 0 ? t->scenes : 2;
    for (int i = 0; i < n; i++) {
        char scene[512];
        snprintf(scene, sizeof scene,
                 "%s{\"index\":%d,\"start\":%g,\"end\":%g,\"section\":\"verse\",\"lyrics\":\"line %d\","
                 "\"prompt\":\"prompt %d\",\"negative_prompt\":\"\",\"seed\":%d,"
                 "\"motion\":\"static\",\"transition\":\"fade\",\"transition_duration\":0.2}",
                 i ? "," : "", i, (double)i / n, (double)(i + 1) / n, i, i, 100 + i);
        strncat(text, scene, sizeof text - strlen(text) - 1);
    }
    strncat(text, "]}", sizeof text - strlen(text) - 1);
    return write_text(ctx, "storyboard.json", text);
}

static maivid_code stage_image(void *ud, maivid_stage_context *ctx,
                               const maivid_scene_request *scene)
{
    engine_test_stages *t = ud;
    count_call(t, MAIVID_STAGE_SCENE_GENERATION);
    if (scene->index == t->fail_image_index)
        return maivid_ctx_fail(ctx, MAIVID_E_BACKEND, "test backend refused scene %d",
                               scene->index + 1);
    FILE *f = fopen(scene->output_path, "wb");
    if (!f)
        return maivid_ctx_fail(ctx, MAIVID_E_IO, "cannot write %s", scene->output_path);
    fprintf(f, "P6\n2 2\n255\n");
    for (int i = 0; i < 12; i++)
        fputc(scene->index * 40, f);
    fclose(f);
    return MAIVID_OK;
}

static maivid_code stage_render(void *ud, maivid_stage_context *ctx)
{
    count_call(ud, MAIVID_STAGE_VIDEO_CREATION);
    FILE *f = fopen(maivid_ctx_video_path(ctx), "wb");
    if (!f)
        return maivid_ctx_fail(ctx, MAIVID_E_IO, "cannot write the video");
    fputs("not really an mp4", f);
    fclose(f);
    return MAIVID_OK;
}

static void on_event(void *ud, const maivid_event *ev)
{
    engine_test_stages *t = ud;
    (void)ev;
    pthread_mutex_lock(&t->lock);
    t->events++;
    pthread_mutex_unlock(&t->lock);
}

void engine_test_stages_init(engine_test_stages *t)
{
    memset(t, 0, sizeof *t);
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->cond, NULL);
    t->gate_open = 1;
    t->fail_image_index = -1;
    t->scenes = 2;
    t->stages.version = MAIVID_STAGES_VERSION;
    t->stages.user_data = t;
    t->stages.fetch = stage_fetch;
    t->stages.lyrics = stage_lyrics;
    t->stages.analysis = stage_analysis;
    t->stages.plan = stage_plan;
    t->stages.image = stage_image;
    t->stages.render = stage_render;
    t->stages.on_event = on_event;
}

void engine_test_stages_destroy(engine_test_stages *t)
{
    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->cond);
}

void engine_test_open_gate(engine_test_stages *t)
{
    pthread_mutex_lock(&t->lock);
    t->gate_open = 1;
    pthread_cond_broadcast(&t->cond);
    pthread_mutex_unlock(&t->lock);
}

int engine_test_wait_fetching(engine_test_stages *t, int count)
{
    int ok = 0;
    pthread_mutex_lock(&t->lock);
    for (int i = 0; i < 250 && !(ok = t->fetch_waiting >= count); i++)
        timed_wait(t, 20);
    pthread_mutex_unlock(&t->lock);
    return ok;
}

int engine_test_calls(engine_test_stages *t, maivid_stage stage)
{
    pthread_mutex_lock(&t->lock);
    int n = t->calls[stage];
    pthread_mutex_unlock(&t->lock);
    return n;
}
