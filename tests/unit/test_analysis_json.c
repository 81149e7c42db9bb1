/*
 * test_analysis_json.c - analysis.json: a real analysis saved and loaded back gives the
 * same record (to the rounding the file keeps), and damaged or missing files are refused
 * with MAIVID_E_CORRUPT / MAIVID_E_NOT_FOUND instead of being half-read; the writer never
 * writes a file the reader refuses, and a song ending just after a beat keeps its beats
 * inside the song.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/mv_analysis_internal.h"
#include "mv_test_songgen.h"
#include "mv_test_util.h"

typedef struct fixture {
    char *dir;
    mv_analysis analysis;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->dir = mv_test_tmpdir("analysis-json");
    if (!f->dir)
        return -1;
    char song_path[4096];
    snprintf(song_path, sizeof song_path, "%s/song.wav", f->dir);
    mv_test_song song = {.seconds = 30, .bpm = 128, .loud_start = 10, .loud_end = 20,
                         .sample_rate = 22050, .channels = 1};
    if (mv_test_write_song_wav(song_path, &song) != 0)
        return -1;
    mv_error err = {0};
    if (mv_analyse_audio(song_path, &f->analysis, NULL, &err) != MAIVID_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    mv_analysis_free(&f->analysis);
    mv_remove_tree(f->dir, NULL);
    free(f->dir);
    free(f);
    return 0;
}

static void assert_times_equal(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        assert_true(fabs(a[i] - b[i]) < 0.0002);
}

static void test_round_trip(void **state)
{
    fixture *f = *state;
    const mv_analysis *a = &f->analysis;
    assert_true(a->beat_count > 0 && a->onset_count > 0 && a->section_count > 1);
    char path[4096];
    snprintf(path, sizeof path, "%s/analysis.json", f->dir);
    mv_error err = {0};
    assert_int_equal(mv_analysis_save(a, path, &err), MAIVID_OK);
    print_message("analysis.json for a 30 s song: %lld bytes\n", (long long)mv_file_size(path));

    mv_analysis b;
    assert_int_equal(mv_analysis_load(path, &b, &err), MAIVID_OK);
    assert_true(fabs(a->duration - b.duration) < 0.0002);
    assert_true(fabs(a->bpm - b.bpm) < 0.001);
    assert_int_equal(a->beat_count, b.beat_count);
    assert_int_equal(a->downbeat_count, b.downbeat_count);
    assert_int_equal(a->onset_count, b.onset_count);
    assert_int_equal(a->energy_count, b.energy_count);
    assert_int_equal(a->section_count, b.section_count);
    assert_times_equal(a->beats, b.beats, a->beat_count);
    assert_times_equal(a->downbeats, b.downbeats, a->downbeat_count);
    assert_times_equal(a->onsets, b.onsets, a->onset_count);
    assert_true(fabs(a->energy_rate - b.energy_rate) < 1e-9);
    for (size_t i = 0; i < a->energy_count; i++)
        assert_true(fabs(a->energy[i] - b.energy[i]) < 0.001);
    for (size_t i = 0; i < a->section_count; i++) {
        assert_true(fabs(a->sections[i].start - b.sections[i].start) < 0.0002);
        assert_true(fabs(a->sections[i].end - b.sections[i].end) < 0.0002);
        assert_true(fabs(a->sections[i].energy - b.sections[i].energy) < 0.001);
    }
    assert_true(fabs(mv_analysis_energy_between(a, 10, 20) -
                     mv_analysis_energy_between(&b, 10, 20)) < 0.001);
    mv_analysis_free(&b);
}

static void test_no_beats_round_trip(void **state)
{
    fixture *f = *state;
    mv_section whole = {0, 5, 1};
    float energy[3] = {0, 0.5f, 1};
    mv_analysis a = {.duration = 5, .energy = energy, .energy_count = 3, .energy_rate = 0.6,
                     .sections = &whole, .section_count = 1};
    char path[4096];
    snprintf(path, sizeof path, "%s/quiet.json", f->dir);
    mv_error err = {0};
    assert_int_equal(mv_analysis_save(&a, path, &err), MAIVID_OK);
    mv_analysis b;
    assert_int_equal(mv_analysis_load(path, &b, &err), MAIVID_OK);
    assert_true(b.bpm == 0);
    assert_int_equal(b.beat_count, 0);
    assert_null(b.beats);
    assert_int_equal(b.section_count, 1);
    mv_analysis_free(&b);
}

/* Found on a real song (neverball track 1): the beat grid, walked forward from its last
 * steady beat, put a beat after the song's end, and the reader then refused the file. This
 * 8.67 s song at 60 bpm ends 9 ms after its last click, inside the analyser's last hop. */
static void test_last_beat_in_last_hop(void **state)
{
    fixture *f = *state;
    mv_gen_song song = {.kind = MV_GEN_LAST_HOP, .seed = 59, .rate = 22050, .channels = 1,
                        .frames = 191197, .bpm = 60.164193, .first_click = 0.683690,
                        .pad = 0.079496};
    char wav[4096], path[4096];
    snprintf(wav, sizeof wav, "%s/last-hop.wav", f->dir);
    snprintf(path, sizeof path, "%s/last-hop.json", f->dir);
    assert_int_equal(mv_gen_song_write(wav, &song), 0);
    assert_true((double)song.frames / song.rate - mv_gen_song_last_click(&song) < 0.0116);
    mv_analysis a, b;
    mv_error err = {0};
    assert_int_equal(mv_analyse_audio(wav, &a, NULL, &err), MAIVID_OK);
    assert_true(a.beat_count > 4);
    print_message("song of %.4f s: last beat %.4f s\n", a.duration, a.beats[a.beat_count - 1]);
    assert_true(a.beats[a.beat_count - 1] <= a.duration);
    assert_int_equal(mv_analysis_save(&a, path, &err), MAIVID_OK);
    if (mv_analysis_load(path, &b, &err) != MAIVID_OK)
        fail_msg("%s", err.message);
    assert_int_equal(b.beat_count, a.beat_count);
    mv_analysis_free(&a);
    mv_analysis_free(&b);
}

/* The writer runs the reader's checks: an analysis with a beat after the song's end is a
 * bug, reported as one, and no file is left behind. */
static void test_writer_refuses_what_the_reader_refuses(void **state)
{
    fixture *f = *state;
    mv_section whole = {0, 5, 1};
    double beats[2] = {4.5, 5.1};
    mv_analysis a = {.duration = 5, .bpm = 120, .beats = beats, .beat_count = 2,
                     .energy_rate = 1, .sections = &whole, .section_count = 1};
    char path[4096];
    snprintf(path, sizeof path, "%s/refused.json", f->dir);
    mv_error err = {0};
    assert_int_equal(mv_analysis_save(&a, path, &err), MAIVID_E_INTERNAL);
    print_message("%s\n", err.message);
    assert_non_null(strstr(err.message, "after the song's end"));
    assert_non_null(strstr(err.message, "bug"));
    assert_false(mv_file_exists(path));
    beats[1] = 5.0; /* on the last sample is still inside */
    assert_int_equal(mv_analysis_save(&a, path, &err), MAIVID_OK);
}

/* A file an older maivid wrote with a beat after the end (the neverball track): refused with
 * what is wrong and an honest way out, not called damaged. */
static void test_old_file_with_a_beat_after_the_end(void **state)
{
    fixture *f = *state;
    char path[4096];
    snprintf(path, sizeof path, "%s/old.json", f->dir);
    const char *text = "{\"format\":1,\"duration\":79.98,\"bpm\":120,\"energy_rate\":1,"
                       "\"beats\":[79.5,80.02],\"downbeats\":[],\"onsets\":[],\"energy\":[],"
                       "\"sections\":[{\"start\":0,\"end\":79.98,\"energy\":1}]}";
    mv_error err = {0};
    assert_int_equal(mv_write_file_atomic(path, text, strlen(text), &err), MAIVID_OK);
    mv_analysis b;
    assert_int_equal(mv_analysis_load(path, &b, &err), MAIVID_E_CORRUPT);
    print_message("%s\n", err.message);
    assert_non_null(strstr(err.message, "\"beats\" item 1 is at 80.0200 s, after the song's "
                                        "end at 79.9800 s"));
    assert_non_null(strstr(err.message, "older maivid"));
    assert_null(strstr(err.message, "damaged"));
}

static void expect_corrupt(const char *dir, const char *text)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/broken.json", dir);
    mv_error err = {0};
    assert_int_equal(mv_write_file_atomic(path, text, strlen(text), &err), MAIVID_OK);
    mv_analysis b;
    maivid_code rc = mv_analysis_load(path, &b, &err);
    if (rc != MAIVID_E_CORRUPT)
        print_message("accepted: %s\n", text);
    assert_int_equal(rc, MAIVID_E_CORRUPT);
    assert_non_null(strstr(err.message, path));
    assert_null(b.beats);
    assert_null(b.sections);
}

#define GOOD_HEAD "{\"format\":1,\"duration\":10,\"bpm\":120,\"energy_rate\":1,"
#define GOOD_LISTS "\"beats\":[0.5,1],\"downbeats\":[0.5],\"onsets\":[],\"energy\":[0.5],"

static void test_damaged_files(void **state)
{
    fixture *f = *state;
    /* a good one first, so the cases below fail for their own reason */
    char path[4096];
    snprintf(path, sizeof path, "%s/good.json", f->dir);
    const char *good = GOOD_HEAD GOOD_LISTS "\"sections\":[{\"start\":0,\"end\":4,\"energy\":0.3},"
                                            "{\"start\":4,\"end\":10,\"energy\":1}]}";
    mv_error err = {0};
    assert_int_equal(mv_write_file_atomic(path, good, strlen(good), &err), MAIVID_OK);
    mv_analysis b;
    assert_int_equal(mv_analysis_load(path, &b, &err), MAIVID_OK);
    mv_analysis_free(&b);

    expect_corrupt(f->dir, "{\"format\":1,");
    expect_corrupt(f->dir, "[1,2,3]");
    expect_corrupt(f->dir, "{\"format\":2,\"duration\":10}");
    expect_corrupt(f->dir, GOOD_HEAD "\"beats\":[1,0.5],\"downbeats\":[],\"onsets\":[],"
                           "\"energy\":[],\"sections\":[{\"start\":0,\"end\":10,\"energy\":1}]}");
    expect_corrupt(f->dir, GOOD_HEAD "\"beats\":[\"x\"],\"downbeats\":[],\"onsets\":[],"
                           "\"energy\":[],\"sections\":[{\"start\":0,\"end\":10,\"energy\":1}]}");
    expect_corrupt(f->dir, GOOD_HEAD "\"beats\":[11],\"downbeats\":[],\"onsets\":[],"
                           "\"energy\":[],\"sections\":[{\"start\":0,\"end\":10,\"energy\":1}]}");
    expect_corrupt(f->dir, GOOD_HEAD GOOD_LISTS "\"sections\":[]}");
    expect_corrupt(f->dir, GOOD_HEAD GOOD_LISTS
                   "\"sections\":[{\"start\":0,\"end\":4,\"energy\":1},"
                   "{\"start\":5,\"end\":10,\"energy\":1}]}"); /* a gap */
    expect_corrupt(f->dir, GOOD_HEAD GOOD_LISTS
                   "\"sections\":[{\"start\":0,\"end\":8,\"energy\":1}]}"); /* ends early */
    expect_corrupt(f->dir, GOOD_HEAD "\"beats\":[],\"downbeats\":[],\"onsets\":[],"
                           "\"energy\":[1.5],\"sections\":[{\"start\":0,\"end\":10,\"energy\":1}]}");
    expect_corrupt(f->dir, "{\"format\":1,\"duration\":10,\"energy_rate\":1,\"beats\":[],"
                           "\"downbeats\":[],\"onsets\":[],\"energy\":[],"
                           "\"sections\":[{\"start\":0,\"end\":10,\"energy\":1}]}"); /* no bpm */
}

static void test_missing_file(void **state)
{
    fixture *f = *state;
    char path[4096];
    snprintf(path, sizeof path, "%s/nothing-here.json", f->dir);
    mv_analysis b;
    mv_error err = {0};
    assert_int_equal(mv_analysis_load(path, &b, &err), MAIVID_E_NOT_FOUND);
    /* and a save into a folder that does not exist fails cleanly */
    snprintf(path, sizeof path, "%s/no/such/folder/analysis.json", f->dir);
    assert_int_equal(mv_analysis_save(&f->analysis, path, &err), MAIVID_E_IO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_no_beats_round_trip),
        cmocka_unit_test(test_last_beat_in_last_hop),
        cmocka_unit_test(test_writer_refuses_what_the_reader_refuses),
        cmocka_unit_test(test_old_file_with_a_beat_after_the_end),
        cmocka_unit_test(test_damaged_files),
        cmocka_unit_test(test_missing_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
