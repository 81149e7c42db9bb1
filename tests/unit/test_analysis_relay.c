/*
 * test_analysis_relay.c - the block relay that runs part of the analysers on a second
 * thread: every block reaches the callback once, in order, with its samples, also when the
 * producer outruns the consumer by far more than the ring holds; a failing callback stops
 * the relay, push and finish return its error and message, and the thread is joined; a
 * relay finished at once (the decoding failed before any block) is clean; the analysis of
 * a song gives the same beats, onsets and sections twice over.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/mv_analysis_internal.h"
#include "mv_test_util.h"

typedef struct consumer {
    size_t seen;
    size_t fail_at; /* 0: never */
    int out_of_order;
    int slow;
} consumer;

static maivid_code consume(void *ctx, const float *block, mv_error *err)
{
    consumer *c = ctx;
    for (int i = 0; i < MV_AN_HOP; i++)
        if (block[i] != (float)(c->seen * MV_AN_HOP + (size_t)i))
            c->out_of_order = 1;
    c->seen++;
    if (c->slow && c->seen % 16 == 0) {
        struct timespec pause = {0, 200000};
        nanosleep(&pause, NULL);
    }
    if (c->fail_at && c->seen == c->fail_at)
        return mv_fail(err, MAIVID_E_NOMEM, "block %zu could not be kept", c->seen);
    return MAIVID_OK;
}

static void fill(float *block, size_t n)
{
    for (int i = 0; i < MV_AN_HOP; i++)
        block[i] = (float)(n * MV_AN_HOP + (size_t)i);
}

static void test_every_block_in_order(void **state)
{
    (void)state;
    for (int slow = 0; slow < 2; slow++) {
        consumer c = {.slow = slow};
        mv_block_relay r;
        mv_error err = {0};
        assert_int_equal(mv_block_relay_start(&r, consume, &c, &err), MAIVID_OK);
        float block[MV_AN_HOP];
        size_t blocks = MV_RELAY_BLOCKS * 20 + 7;
        for (size_t n = 0; n < blocks; n++) {
            fill(block, n);
            assert_int_equal(mv_block_relay_push(&r, block, &err), MAIVID_OK);
        }
        assert_int_equal(mv_block_relay_finish(&r, &err), MAIVID_OK);
        assert_int_equal(c.seen, blocks);
        assert_false(c.out_of_order);
    }
}

static void test_failure_stops_the_relay(void **state)
{
    (void)state;
    consumer c = {.fail_at = 100};
    mv_block_relay r;
    mv_error err = {0};
    assert_int_equal(mv_block_relay_start(&r, consume, &c, &err), MAIVID_OK);
    float block[MV_AN_HOP];
    maivid_code rc = MAIVID_OK;
    size_t n = 0;
    for (; n < 10000 && rc == MAIVID_OK; n++) {
        fill(block, n);
        rc = mv_block_relay_push(&r, block, &err);
    }
    assert_int_equal(rc, MAIVID_E_NOMEM); /* push learns of it, within a ring's worth */
    assert_true(n <= 100 + MV_RELAY_BLOCKS + 1);
    assert_non_null(strstr(err.message, "block 100 could not be kept"));
    mv_error end = {0};
    assert_int_equal(mv_block_relay_finish(&r, &end), MAIVID_E_NOMEM);
    assert_non_null(strstr(end.message, "block 100"));
    assert_int_equal(c.seen, 100); /* nothing after the failure */
}

static void test_finish_without_blocks(void **state)
{
    (void)state;
    consumer c = {0};
    mv_block_relay r;
    assert_int_equal(mv_block_relay_start(&r, consume, &c, NULL), MAIVID_OK);
    assert_int_equal(mv_block_relay_finish(&r, NULL), MAIVID_OK);
    assert_int_equal(c.seen, 0);
}

static void test_analysis_is_the_same_twice(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("analysis-relay");
    assert_non_null(dir);
    char song_path[4096];
    snprintf(song_path, sizeof song_path, "%s/song.wav", dir);
    mv_test_song song = {.seconds = 20, .bpm = 120, .loud_start = 8, .loud_end = 14,
                         .sample_rate = 44100, .channels = 2};
    assert_int_equal(mv_test_write_song_wav(song_path, &song), 0);
    mv_analysis a, b;
    mv_error err = {0};
    assert_int_equal(mv_analyse_audio(song_path, &a, NULL, &err), MAIVID_OK);
    assert_int_equal(mv_analyse_audio(song_path, &b, NULL, &err), MAIVID_OK);
    assert_true(a.bpm > 110 && a.bpm < 130);
    assert_int_equal(a.beat_count, b.beat_count);
    assert_memory_equal(a.beats, b.beats, a.beat_count * sizeof *a.beats);
    assert_int_equal(a.onset_count, b.onset_count);
    assert_memory_equal(a.onsets, b.onsets, a.onset_count * sizeof *a.onsets);
    assert_int_equal(a.section_count, b.section_count);
    assert_memory_equal(a.sections, b.sections, a.section_count * sizeof *a.sections);
    mv_analysis_free(&a);
    mv_analysis_free(&b);
    mv_remove_tree(dir, NULL);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_block_in_order),
        cmocka_unit_test(test_failure_stops_the_relay),
        cmocka_unit_test(test_finish_without_blocks),
        cmocka_unit_test(test_analysis_is_the_same_twice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
