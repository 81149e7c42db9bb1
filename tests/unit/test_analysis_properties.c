/*
 * test_analysis_properties.c - property tests of the analysis stage over many generated
 * songs (random tempos 60-200 bpm, a tempo change, silences, pure silence, noise, songs of a
 * few milliseconds, songs whose last beat falls in the analyser's last hop): every analysis
 * the analyser produces keeps all its times inside the song, is saved, loaded back by the
 * reader unchanged, and planned into scenes by mv_plan_build. Seeds are fixed, so a failure
 * names a song that can be replayed (MV_PROPERTY_SEED=<seed> MV_PROPERTY_KIND=<kind>).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/mv_analysis_internal.h"
#include "plan/mv_plan.h"
#include "mv_test_songgen.h"
#include "mv_test_util.h"

#define SONGS_PER_KIND 5 /* 45 songs, about 3 minutes of audio in all */

typedef struct fixture {
    char *dir;
    char wav[4096], json[4096];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->dir = mv_test_tmpdir("analysis-properties");
    if (!f->dir)
        return -1;
    snprintf(f->wav, sizeof f->wav, "%s/song.wav", f->dir);
    snprintf(f->json, sizeof f->json, "%s/analysis.json", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    mv_remove_tree(f->dir, NULL);
    free(f->dir);
    free(f);
    return 0;
}

/* A sorted list of times, each within [0, duration]. */
static void check_times(const char *what, const double *v, size_t n, double duration,
                        const mv_gen_song *song)
{
    for (size_t i = 0; i < n; i++)
        if (!(v[i] >= 0 && v[i] <= duration && (i == 0 || v[i] > v[i - 1])))
            fail_msg("%s: %s item %zu of %zu is %.6f s (previous %.6f s) in a song of %.6f s",
                     song->description, what, i, n, v[i], i ? v[i - 1] : -1.0, duration);
}

/* Everything the planner and the file format rely on. */
static void check_analysis(const mv_analysis *a, const mv_gen_song *song)
{
    double expected = (double)song->frames / song->rate;
    if (!(fabs(a->duration - expected) < 0.001))
        fail_msg("%s: duration %.6f s", song->description, a->duration);
    if (!(isfinite(a->bpm) && a->bpm >= 0 && (a->bpm == 0 || (a->bpm >= 60 && a->bpm <= 200))))
        fail_msg("%s: bpm %f", song->description, a->bpm);
    check_times("beats", a->beats, a->beat_count, a->duration, song);
    check_times("downbeats", a->downbeats, a->downbeat_count, a->duration, song);
    check_times("onsets", a->onsets, a->onset_count, a->duration, song);
    for (size_t i = 0; i < a->downbeat_count; i++) {
        size_t k = 0;
        while (k < a->beat_count && a->beats[k] != a->downbeats[i])
            k++;
        if (k == a->beat_count)
            fail_msg("%s: downbeat %.4f s is not a beat", song->description, a->downbeats[i]);
    }
    for (size_t i = 0; i < a->energy_count; i++)
        if (!(a->energy[i] >= 0 && a->energy[i] <= 1))
            fail_msg("%s: energy %zu is %f", song->description, i, (double)a->energy[i]);
    if (a->section_count == 0 || a->sections[0].start != 0 ||
        a->sections[a->section_count - 1].end != a->duration)
        fail_msg("%s: the sections do not span the song", song->description);
    for (size_t i = 0; i < a->section_count; i++) {
        const mv_section *s = &a->sections[i];
        if (!(s->end > s->start) || (i > 0 && s->start != a->sections[i - 1].end) ||
            !(s->energy >= 0 && s->energy <= 1))
            fail_msg("%s: section %zu [%.4f, %.4f] energy %f", song->description, i, s->start,
                     s->end, s->energy);
    }
}

static void check_same(const mv_analysis *a, const mv_analysis *b, const mv_gen_song *song)
{
    if (a->beat_count != b->beat_count || a->downbeat_count != b->downbeat_count ||
        a->onset_count != b->onset_count || a->energy_count != b->energy_count ||
        a->section_count != b->section_count || fabs(a->duration - b->duration) > 0.0001 ||
        fabs(a->bpm - b->bpm) > 0.001)
        fail_msg("%s: the analysis read back differs from the one saved", song->description);
}

static void check_plan(const mv_analysis *a, const mv_gen_song *song)
{
    mv_lyrics lyrics;
    memset(&lyrics, 0, sizeof lyrics);
    mv_plan_input in;
    memset(&in, 0, sizeof in);
    in.analysis = a;
    in.lyrics = &lyrics;
    in.title = "Generated";
    in.style_id = "cinematic";
    in.motion = "auto";
    in.transition = "auto";
    in.transition_duration = 0.5;
    in.seed = (int64_t)song->seed;
    mv_plan plan;
    mv_error err;
    mv_error_clear(&err);
    if (mv_plan_build(&in, &plan, NULL, &err) != MAIVID_OK)
        fail_msg("%s: the planner refused the analysis: %s", song->description, err.message);
    int ok = plan.scene_count >= 1 && plan.scenes[0].start == 0 &&
             plan.scenes[plan.scene_count - 1].end == a->duration;
    for (size_t i = 0; ok && i < plan.scene_count; i++)
        ok = plan.scenes[i].end > plan.scenes[i].start &&
             (i == 0 || plan.scenes[i].start == plan.scenes[i - 1].end);
    size_t scenes = plan.scene_count;
    mv_plan_free(&plan);
    if (!ok)
        fail_msg("%s: the %zu scenes do not tile the song", song->description, scenes);
}

/* Generates, analyses, saves, loads and plans one song. */
static void check_song(fixture *f, mv_gen_kind kind, uint64_t seed)
{
    mv_gen_song song;
    mv_gen_song_make(&song, kind, seed);
    assert_int_equal(mv_gen_song_write(f->wav, &song), 0);
    mv_analysis a, b;
    mv_error err;
    mv_error_clear(&err);
    if (mv_analyse_audio(f->wav, &a, NULL, &err) != MAIVID_OK)
        fail_msg("%s: the analysis failed: %s", song.description, err.message);
    check_analysis(&a, &song);
    if (mv_analysis_save(&a, f->json, &err) != MAIVID_OK)
        fail_msg("%s: the analysis was not saved: %s", song.description, err.message);
    if (mv_analysis_load(f->json, &b, &err) != MAIVID_OK)
        fail_msg("%s: the saved analysis was refused: %s", song.description, err.message);
    check_same(&a, &b, &song);
    check_analysis(&b, &song);
    check_plan(&b, &song);
    mv_analysis_free(&a);
    mv_analysis_free(&b);
}

/* Runs SONGS_PER_KIND seeds of one kind, or the one seed named in the environment. */
static void run_kind(void **state, mv_gen_kind kind)
{
    fixture *f = *state;
    const char *only_seed = getenv("MV_PROPERTY_SEED"), *only_kind = getenv("MV_PROPERTY_KIND");
    if (only_seed && only_kind) {
        if (atoi(only_kind) == (int)kind)
            check_song(f, kind, strtoull(only_seed, NULL, 10));
        return;
    }
    const char *songs = getenv("MV_PROPERTY_SONGS"); /* a longer campaign */
    uint64_t count = songs ? strtoull(songs, NULL, 10) : SONGS_PER_KIND;
    for (uint64_t seed = 1; seed <= count; seed++)
        check_song(f, kind, seed);
}

static void test_last_beat_in_last_hop(void **state) { run_kind(state, MV_GEN_LAST_HOP); }
static void test_steady(void **state) { run_kind(state, MV_GEN_STEADY); }
static void test_tempo_change(void **state) { run_kind(state, MV_GEN_TEMPO_CHANGE); }
static void test_silences(void **state) { run_kind(state, MV_GEN_SILENCES); }
static void test_pure_silence(void **state) { run_kind(state, MV_GEN_SILENT); }
static void test_noise(void **state) { run_kind(state, MV_GEN_NOISE); }
static void test_very_short(void **state) { run_kind(state, MV_GEN_SHORT); }
static void test_clicks_under_noise(void **state) { run_kind(state, MV_GEN_NOISY_CLICKS); }
static void test_pickup_at_the_end(void **state) { run_kind(state, MV_GEN_PICKUP_END); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_last_beat_in_last_hop),
        cmocka_unit_test(test_steady),
        cmocka_unit_test(test_tempo_change),
        cmocka_unit_test(test_silences),
        cmocka_unit_test(test_pure_silence),
        cmocka_unit_test(test_noise),
        cmocka_unit_test(test_very_short),
        cmocka_unit_test(test_clicks_under_noise),
        cmocka_unit_test(test_pickup_at_the_end),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
