/*
 * test_render_clips.c - scenes that play clips: the retiming rule (a longer clip keeps its
 * middle at its own speed, a shorter one is slowed evenly), and on the frames decoded from
 * our MP4: a clip whose frames are a rising grey (frame index as level) comes out in order;
 * a 12 fps clip in a 30 fps video rises in even steps (frames blended, none dropped or
 * doubled); a short clip fills a long scene; a long clip is trimmed around its middle;
 * transitions from a still into a clip still blend; a chain of clips (each starting from
 * the last frame of the one before) plays in order without a frame doubled at the join, and
 * is retimed as one.
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

#include "clip_maker.h"
#include "mv_test_util.h"
#include "render/mv_clip_source.h"
#include "render/mv_render.h"
#include "render_test_util.h"

#define W 160
#define H 96

typedef struct lumas {
    double v[400];
    int n;
} lumas;

static void collect(void *user, const rt_frame *f, int64_t index)
{
    lumas *l = user;
    (void)index;
    if (l->n < 400)
        l->v[l->n++] = rt_mean(f->y, f->width, f->width / 4, f->height / 4, 3 * f->width / 4,
                               3 * f->height / 4);
}

/* RGB grey level -> limited-range luma. */
static double luma_of(double level)
{
    return 16 + level * 219.0 / 255.0;
}

/* Renders one scene playing a chain of `count` clips (after a still scene of `lead` seconds
 * when lead > 0) and decodes the MP4's centre luma per frame. */
static void render_chain(const mv_test_clip_spec *specs, size_t count, double scene_seconds,
                         int fps, double lead, lumas *out)
{
    char *dir = mv_test_tmpdir("render-clips");
    char clips[4][1024], song[1024], mp4[1024], still[1024];
    const char *chain[5] = {NULL};
    snprintf(song, sizeof song, "%s/song.wav", dir);
    snprintf(mp4, sizeof mp4, "%s/out.mp4", dir);
    snprintf(still, sizeof still, "%s/still.ppm", dir);
    for (size_t k = 0; k < count && k < 4; k++) {
        snprintf(clips[k], sizeof clips[k], "%s/clip%zu.%s", dir, k, specs[k].format);
        assert_int_equal(mv_test_make_clip(&specs[k], clips[k]), 0);
        chain[k] = clips[k];
    }
    assert_int_equal(rt_write_solid_ppm(still, 192, 116, 250, 250, 250), 0);
    double total = lead + scene_seconds;
    mv_test_song s = {total, 0, 0, 0, 22050, 1};
    assert_int_equal(mv_test_write_song_wav(song, &s), 0);
    mv_render_scene scenes[2] = {
        {still, 0, lead, "static", "fade", 0.5, 1, NULL},
        {still, lead, total, "static", "fade", 0, 2, chain},
    };
    const mv_render_scene *first = lead > 0 ? scenes : scenes + 1;
    mv_render_plan plan = {first, lead > 0 ? 2 : 1, song, W, H, fps, mp4, NULL,
                           NULL, NULL, 0, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL};
    mv_error err;
    mv_error_clear(&err);
    maivid_code rc = mv_render_video(&plan, NULL, &err);
    if (rc != MAIVID_OK)
        fail_msg("render: %s", err.message);
    out->n = 0;
    assert_true(rt_decode_frames(mp4, collect, out) > 0);
    mv_remove_tree(dir, &err);
    free(dir);
}

static void render_clip(const mv_test_clip_spec *spec, double scene_seconds, int fps,
                        double lead, lumas *out)
{
    render_chain(spec, 1, scene_seconds, fps, lead, out);
}

static void test_retiming_rule(void **state)
{
    (void)state;
    /* shorter clip (1 s long) over 3 s: slowed evenly */
    assert_true(fabs(mv_clip_time(0, 3, 1)) < 1e-12);
    assert_true(fabs(mv_clip_time(0.5, 3, 1) - 0.5) < 1e-12);
    assert_true(fabs(mv_clip_time(1, 3, 1) - 1) < 1e-12);
    /* longer clip (4 s) in 2 s: its middle 1..3 s at its own speed */
    assert_true(fabs(mv_clip_time(0, 2, 4) - 1) < 1e-12);
    assert_true(fabs(mv_clip_time(0.5, 2, 4) - 2) < 1e-12);
    assert_true(fabs(mv_clip_time(1, 2, 4) - 3) < 1e-12);
    /* out-of-range progress is clamped */
    assert_true(fabs(mv_clip_time(-1, 2, 4) - 1) < 1e-12);
    assert_true(fabs(mv_clip_time(2, 2, 4) - 3) < 1e-12);
}

static void test_frames_in_order(void **state)
{
    (void)state;
    /* 48 frames at 24 fps, level 20 + 4k, in a 2 s scene at 24 fps */
    mv_test_clip_spec spec = {"mp4", 192, 116, 48, 24, 20, 4, NULL, 0, 0};
    lumas l;
    render_clip(&spec, 2.0, 24, 0, &l);
    assert_int_equal(l.n, 48);
    for (int i = 1; i < l.n; i++)
        assert_true(l.v[i] >= l.v[i - 1] - 1.0); /* never back */
    /* each output frame is (nearly) its own source frame: level 20 + 4k */
    for (int i = 0; i < l.n; i++) /* each output frame is its own source frame */
        if (fabs(l.v[i] - luma_of(20 + 4.0 * i)) > 2.0)
            fail_msg("frame %d: luma %.1f, source frame %d has %.1f", i, l.v[i], i,
                     luma_of(20 + 4.0 * i));
    assert_true(fabs(l.v[0] - luma_of(20)) < 2.5);
    assert_true(fabs(l.v[l.n - 1] - luma_of(20 + 4 * 47)) < 2.5);
}

static void test_rate_converted_evenly(void **state)
{
    (void)state;
    /* 24 frames at 12 fps (2 s), level 20 + 8k, into a 2 s scene at 30 fps */
    mv_test_clip_spec spec = {"mp4", 192, 116, 24, 12, 20, 8, NULL, 0, 0};
    lumas l;
    render_clip(&spec, 2.0, 30, 0, &l);
    assert_int_equal(l.n, 60);
    /* the last source frame (at 23/12 s) is shown for its own 1/12 s: frames 58 and 59 */
    int ramp = 58;
    double mean_step = (l.v[ramp - 1] - l.v[0]) / (ramp - 1);
    assert_true(mean_step > 2.0);
    for (int i = 1; i < ramp; i++) {
        double step = l.v[i] - l.v[i - 1];
        /* a dropped frame would double a step, a repeated one would make it 0 */
        if (step < 0.5 * mean_step || step > 1.5 * mean_step)
            fail_msg("step %d: %.2f against a mean of %.2f", i, step, mean_step);
    }
}

static void test_short_clip_fills_scene(void **state)
{
    (void)state;
    /* 1 s clip (24 frames) in a 3 s scene: slowed, reaching its last frame at the end */
    mv_test_clip_spec spec = {"webm", 192, 116, 24, 24, 20, 8, NULL, 0, 0};
    lumas l;
    render_clip(&spec, 3.0, 24, 0, &l);
    assert_int_equal(l.n, 72);
    assert_true(fabs(l.v[0] - luma_of(20)) < 3);
    assert_true(fabs(l.v[l.n - 1] - luma_of(20 + 8 * 23)) < 4);
    assert_true(fabs(l.v[36] - luma_of(20 + 8 * 12)) < 5); /* the middle at the middle */
    for (int i = 1; i < l.n; i++) /* no jump: every step small */
        assert_true(fabs(l.v[i] - l.v[i - 1]) < 5);
}

static void test_long_clip_trimmed_around_middle(void **state)
{
    (void)state;
    /* 4 s clip (96 frames, level 10 + 2k) in a 2 s scene: source 1..3 s shown */
    mv_test_clip_spec spec = {"mp4", 192, 116, 96, 24, 10, 2, NULL, 0, 0};
    lumas l;
    render_clip(&spec, 2.0, 24, 0, &l);
    assert_int_equal(l.n, 48);
    assert_true(fabs(l.v[0] - luma_of(10 + 2 * 24)) < 3);      /* source frame 24 (1 s) */
    assert_true(fabs(l.v[l.n - 1] - luma_of(10 + 2 * 71)) < 3); /* source frame 71 */
}

static void test_chain_plays_in_order(void **state)
{
    (void)state;
    /* clip 1: 24 frames rising 20 + 4k; clip 2 starts from clip 1's last frame (112) and
     * rises on for 24 more: the chain is 48 distinct frames 20 + 4j, in a 2 s scene at 24 fps
     * each output frame is its own chain frame, with no frame shown twice at the join */
    mv_test_clip_spec specs[2] = {{"mp4", 192, 116, 24, 24, 20, 4, NULL, 0, 0},
                                  {"mp4", 192, 116, 25, 24, 112, 4, NULL, 0, 0}};
    lumas l;
    render_chain(specs, 2, 2.0, 24, 0, &l);
    assert_int_equal(l.n, 48);
    for (int i = 0; i < l.n; i++)
        if (fabs(l.v[i] - luma_of(20 + 4.0 * i)) > 2.0)
            fail_msg("frame %d: luma %.1f, chain frame %d has %.1f", i, l.v[i], i,
                     luma_of(20 + 4.0 * i));
    for (int i = 1; i < l.n; i++) /* every step one frame: none doubled at the join */
        if (l.v[i] - l.v[i - 1] < 2.0)
            fail_msg("frames %d and %d look alike (%.1f, %.1f)", i - 1, i, l.v[i - 1], l.v[i]);
}

static void test_short_chain_fills_scene(void **state)
{
    (void)state;
    /* the retiming applies to the whole chain: two 0.5 s clips in a 2 s scene are slowed
     * together, clip 2's end at the scene's end */
    mv_test_clip_spec specs[2] = {{"mp4", 192, 116, 12, 24, 20, 8, NULL, 0, 0},
                                  {"mp4", 192, 116, 13, 24, 108, 8, NULL, 0, 0}};
    lumas l;
    render_chain(specs, 2, 2.0, 24, 0, &l);
    assert_int_equal(l.n, 48);
    assert_true(fabs(l.v[0] - luma_of(20)) < 3);
    assert_true(fabs(l.v[l.n - 1] - luma_of(20 + 8 * 23)) < 4);
    for (int i = 1; i < l.n; i++) /* no jump at the join */
        assert_true(l.v[i] - l.v[i - 1] > -1.0 && l.v[i] - l.v[i - 1] < 6);
}

static void test_transition_into_clip(void **state)
{
    (void)state;
    /* a white still for 1 s, then a dark clip: the fade blends the two */
    mv_test_clip_spec spec = {"mp4", 192, 116, 48, 24, 30, 0, NULL, 0, 0};
    lumas l;
    render_clip(&spec, 2.0, 24, 1.0, &l);
    assert_int_equal(l.n, 72);
    assert_true(l.v[0] > 220);
    assert_true(l.v[l.n - 1] < luma_of(30) + 3);
    double mid = l.v[24]; /* the cut at 1 s, inside the 0.5 s fade */
    assert_true(mid < 220 && mid > luma_of(30) + 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_retiming_rule),
        cmocka_unit_test(test_frames_in_order),
        cmocka_unit_test(test_rate_converted_evenly),
        cmocka_unit_test(test_short_clip_fills_scene),
        cmocka_unit_test(test_long_clip_trimmed_around_middle),
        cmocka_unit_test(test_transition_into_clip),
        cmocka_unit_test(test_chain_plays_in_order),
        cmocka_unit_test(test_short_chain_fills_scene),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
