/*
 * test_render_transitions.c - renders two alternating solid-colour scenes joined by every
 * transition, decodes the MP4 and checks pixels at known times: the mid-fade frame is the mix,
 * fades through black/white reach the colour, wipe/slide edges and circles/radial halves are
 * where they belong, transitions are centred on the boundary and shortened to fit, a cut is a
 * cut, and "wipe" behaves as "wiperight". Also the transition catalog and the frame sizes.
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

#include "mv_test_util.h"
#include "render/mv_motion.h"
#include "render/mv_render.h"
#include "render_test_util.h"

#define W 160
#define H 90
#define FPS 12
#define SCENE_SECONDS 2

static const char *const transitions[] = {
    "fade", "fadeblack", "fadewhite", "wiperight", "wipeleft", "wipeup", "wipedown",
    "slideleft", "slideright", "slideup", "slidedown", "circleopen", "circleclose", "radial",
    "dissolve", "pixelize", "zoomin", "none", "wipe",
};
#define TRANSITION_COUNT (sizeof transitions / sizeof transitions[0])
#define SCENES (TRANSITION_COUNT + 1)
#define FRAMES (SCENES * SCENE_SECONDS * FPS)

typedef struct frames {
    uint8_t *y[FRAMES];
} frames;

static void keep_frame(void *user, const rt_frame *f, int64_t index)
{
    frames *fr = user;
    if (index < 0 || index >= (int64_t)FRAMES || f->width != W || f->height != H)
        return;
    fr->y[index] = malloc(W * H);
    memcpy(fr->y[index], f->y, W * H);
}

static double mean(const frames *fr, int index, int x0, int y0, int x1, int y1)
{
    assert_non_null(fr->y[index]);
    return rt_mean(fr->y[index], W, x0, y0, x1, y1);
}

/* the frame index at the boundary after scene i (transition midpoint) */
static int boundary(int i)
{
    return (i + 1) * SCENE_SECONDS * FPS;
}

/* scene i shows colour A when even, B when odd */
static int frames_group_setup(void **state)
{
    static frames fr;
    memset(&fr, 0, sizeof fr);
    char *dir = mv_test_tmpdir("render-transitions");
    char song[1024], a[1024], b[1024], out[1024];
    snprintf(song, sizeof song, "%s/song.wav", dir);
    snprintf(a, sizeof a, "%s/a.ppm", dir);
    snprintf(b, sizeof b, "%s/b.ppm", dir);
    snprintf(out, sizeof out, "%s/out.mp4", dir);
    mv_test_song s = {SCENES * SCENE_SECONDS, 0, 0, 0, 22050, 1};
    if (mv_test_write_song_wav(song, &s) != 0 || rt_write_solid_ppm(a, 64, 36, 230, 200, 60) ||
        rt_write_solid_ppm(b, 64, 36, 30, 40, 140))
        return -1;
    mv_render_scene scenes[SCENES];
    for (size_t i = 0; i < SCENES; i++) {
        mv_render_scene sc = {i % 2 ? b : a, (double)i * SCENE_SECONDS,
                              (double)(i + 1) * SCENE_SECONDS, "static",
                              i < TRANSITION_COUNT ? transitions[i] : "fade",
                              3.0 /* more than fits: shortened to 1 s */, (uint32_t)i, NULL};
        scenes[i] = sc;
    }
    mv_render_plan plan = {scenes, SCENES, song, W, H, FPS, out, NULL,
                           NULL, NULL, 0, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL};
    mv_error err = {0};
    if (mv_render_video(&plan, NULL, &err) != MAIVID_OK) {
        fprintf(stderr, "render failed: %s\n", err.message);
        return -1;
    }
    if (rt_decode_frames(out, keep_frame, &fr) != (int64_t)FRAMES)
        return -1;
    mv_remove_tree(dir, NULL);
    free(dir);
    *state = &fr;
    return 0;
}

static int frames_group_teardown(void **state)
{
    frames *fr = *state;
    for (size_t i = 0; fr && i < FRAMES; i++)
        free(fr->y[i]);
    return 0;
}

static double luma_a(const frames *fr)
{
    return mean(fr, 6, 0, 0, W, H);
}

static double luma_b(const frames *fr)
{
    return mean(fr, boundary(0) + 12, 0, 0, W, H);
}

/* index of the transition in the list = the scene it leaves; scene even: A -> B */
static int find(const char *id)
{
    for (size_t i = 0; i < TRANSITION_COUNT; i++)
        if (strcmp(transitions[i], id) == 0)
            return (int)i;
    fail();
    return -1;
}

/* colour of the outgoing scene and of the incoming one for transition `id` */
static void sides(const frames *fr, const char *id, double *out_y, double *in_y)
{
    int i = find(id);
    *out_y = i % 2 ? luma_b(fr) : luma_a(fr);
    *in_y = i % 2 ? luma_a(fr) : luma_b(fr);
}

static void assert_near(double got, double want, double tol)
{
    if (fabs(got - want) > tol)
        fail_msg("got %.2f, want %.2f (+-%.1f)", got, want, tol);
}

static void test_colours_differ(void **state)
{
    frames *fr = *state;
    assert_true(luma_a(fr) - luma_b(fr) > 100);
}

static void test_fade_midpoint_is_the_mix(void **state)
{
    frames *fr = *state;
    int mid = boundary(find("fade"));
    assert_near(mean(fr, mid, 0, 0, W, H), (luma_a(fr) + luma_b(fr)) / 2, 3);
    /* centred on the boundary, 1 s long after shortening: pure 0.5 s before and after */
    assert_near(mean(fr, mid - 7, 0, 0, W, H), luma_a(fr), 2);
    assert_near(mean(fr, mid + 7, 0, 0, W, H), luma_b(fr), 2);
    /* and a quarter of the way: three quarters A */
    assert_near(mean(fr, mid - 3, 0, 0, W, H), luma_a(fr) * 0.75 + luma_b(fr) * 0.25, 4);
    /* smooth: frame to frame the mean moves monotonically from A to B */
    for (int n = mid - 6; n < mid + 6; n++)
        assert_true(mean(fr, n + 1, 0, 0, W, H) < mean(fr, n, 0, 0, W, H) + 0.5);
}

static void test_fade_through_colours(void **state)
{
    frames *fr = *state;
    assert_near(mean(fr, boundary(find("fadeblack")), 0, 0, W, H), 16, 3);
    assert_near(mean(fr, boundary(find("fadewhite")), 0, 0, W, H), 235, 3);
}

/* at the midpoint: region 1 shows the outgoing scene, region 2 the incoming one */
static void check_halves(const frames *fr, const char *id, int ax0, int ay0, int ax1, int ay1,
                         int bx0, int by0, int bx1, int by1)
{
    double out_y, in_y;
    sides(fr, id, &out_y, &in_y);
    int mid = boundary(find(id));
    assert_near(mean(fr, mid, ax0, ay0, ax1, ay1), out_y, 4);
    assert_near(mean(fr, mid, bx0, by0, bx1, by1), in_y, 4);
}

static void test_wipes_and_slides(void **state)
{
    frames *fr = *state;
    const int m = 6; /* keep away from the edge */
    check_halves(fr, "wiperight", W / 2 + m, 0, W, H, 0, 0, W / 2 - m, H);
    check_halves(fr, "wipe", W / 2 + m, 0, W, H, 0, 0, W / 2 - m, H);
    check_halves(fr, "wipeleft", 0, 0, W / 2 - m, H, W / 2 + m, 0, W, H);
    check_halves(fr, "wipeup", 0, 0, W, H / 2 - m, 0, H / 2 + m, W, H);
    check_halves(fr, "wipedown", 0, H / 2 + m, W, H, 0, 0, W, H / 2 - m);
    check_halves(fr, "slideleft", 0, 0, W / 2 - m, H, W / 2 + m, 0, W, H);
    check_halves(fr, "slideright", W / 2 + m, 0, W, H, 0, 0, W / 2 - m, H);
    check_halves(fr, "slideup", 0, 0, W, H / 2 - m, 0, H / 2 + m, W, H);
    check_halves(fr, "slidedown", 0, H / 2 + m, W, H, 0, 0, W, H / 2 - m);
}

static void test_wipe_edge_position(void **state)
{
    frames *fr = *state;
    double out_y, in_y;
    sides(fr, "wiperight", &out_y, &in_y);
    int mid = boundary(find("wiperight"));
    /* a quarter in (3 frames before the midpoint of a 12-frame transition): edge at W/4 */
    int n = mid - 3;
    int edge = -1;
    double half = (out_y + in_y) / 2;
    for (int x = 0; x < W; x++) {
        double col = mean(fr, n, x, 10, x + 1, H - 10);
        if ((in_y > out_y) ? col < half : col > half) {
            edge = x;
            break;
        }
    }
    if (abs(edge - W / 4) > 3)
        fail_msg("wipe edge at column %d, expected about %d", edge, W / 4);
}

static void test_circles_and_radial(void **state)
{
    frames *fr = *state;
    const int c = 12; /* size of the probe squares */
    /* circleopen: the incoming scene in the middle, the outgoing one in the corners */
    check_halves(fr, "circleopen", 0, 0, c, c, W / 2 - c, H / 2 - c, W / 2 + c, H / 2 + c);
    check_halves(fr, "circleclose", W / 2 - c, H / 2 - c, W / 2 + c, H / 2 + c, 0, 0, c, c);
    /* radial: half a turn clockwise from 12 o'clock uncovers the right half */
    check_halves(fr, "radial", 4, 10, W / 2 - 8, H - 10, W / 2 + 8, 10, W - 4, H - 10);
}

static void test_dissolve_pixelize_zoomin_mix(void **state)
{
    frames *fr = *state;
    const char *ids[] = {"dissolve", "pixelize", "zoomin"};
    for (int i = 0; i < 3; i++) {
        int mid = boundary(find(ids[i]));
        assert_near(mean(fr, mid, 0, 0, W, H), (luma_a(fr) + luma_b(fr)) / 2, 8);
    }
    /* the dissolve is a pattern of both colours, not a flat mix: its pixels spread widely */
    int mid = boundary(find("dissolve"));
    int low = 0, high = 0;
    double mix = (luma_a(fr) + luma_b(fr)) / 2;
    for (int i = 0; i < W * H; i++) {
        low += fr->y[mid][i] < mix - 30;
        high += fr->y[mid][i] > mix + 30;
    }
    assert_true(low > W * H / 8 && high > W * H / 8);
}

static void test_none_is_a_cut(void **state)
{
    frames *fr = *state;
    double out_y, in_y;
    sides(fr, "none", &out_y, &in_y);
    int mid = boundary(find("none"));
    assert_near(mean(fr, mid - 1, 0, 0, W, H), out_y, 3);
    assert_near(mean(fr, mid, 0, 0, W, H), in_y, 3);
}

static void test_transition_catalog(void **state)
{
    (void)state;
    for (size_t i = 0; i < TRANSITION_COUNT; i++)
        assert_true(mv_transition_known(transitions[i]));
    assert_false(mv_transition_known("auto"));
    assert_false(mv_transition_known("sparkle"));
    assert_false(mv_transition_known(NULL));
    size_t n = 0;
    const mv_catalog_entry *t = mv_transitions(&n);
    assert_int_equal(n, TRANSITION_COUNT);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(t[i].name);
        assert_true(strlen(t[i].description) > 5);
        if (strcmp(t[i].id, "wipe") == 0)
            assert_non_null(strstr(t[i].description, "wiperight"));
    }
    const mv_catalog_entry *m = mv_motions(&n);
    assert_int_equal(n, 9); /* ken_burns .. static, parallax */
    for (size_t i = 0; i < n; i++) {
        assert_true(mv_motion_known(m[i].id));
        assert_true(mv_motion_kind_from_id(m[i].id) >= 0); /* the renderer draws each */
    }
    assert_false(mv_motion_known("auto"));
    assert_false(mv_motion_known("zoompan"));
}

static void test_frame_sizes(void **state)
{
    (void)state;
    struct { const char *aspect, *res; int w, h; } cases[] = {
        {"16:9", "1080p", 1920, 1080}, {"16:9", "480p", 854, 480}, {"16:9", "720p", 1280, 720},
        {"16:9", "2160p", 3840, 2160}, {"9:16", "1080p", 1080, 1920}, {"1:1", "1440p", 1440, 1440},
        {"4:3", "1080p", 1440, 1080}, {"21:9", "1080p", 2520, 1080}, {"21:9", "480p", 1120, 480},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int w = 0, h = 0;
        assert_int_equal(mv_frame_size(cases[i].aspect, cases[i].res, &w, &h, NULL), MAIVID_OK);
        assert_int_equal(w, cases[i].w);
        assert_int_equal(h, cases[i].h);
    }
    size_t na, nr;
    const mv_catalog_entry *a = mv_aspect_ratios(&na), *r = mv_resolutions(&nr);
    assert_int_equal(na, 5);
    assert_int_equal(nr, 5);
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nr; j++) {
            int w = 0, h = 0;
            assert_int_equal(mv_frame_size(a[i].id, r[j].id, &w, &h, NULL), MAIVID_OK);
            assert_int_equal(w % 2, 0);
            assert_int_equal(h % 2, 0);
        }
    mv_error err = {0};
    int w, h;
    assert_int_equal(mv_frame_size("3:2", "1080p", &w, &h, &err), MAIVID_E_INVALID);
    assert_non_null(strstr(err.message, "21:9"));
    assert_int_equal(mv_frame_size("16:9", "999p", &w, &h, &err), MAIVID_E_INVALID);
    assert_non_null(strstr(err.message, "1080p"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_colours_differ),
        cmocka_unit_test(test_fade_midpoint_is_the_mix),
        cmocka_unit_test(test_fade_through_colours),
        cmocka_unit_test(test_wipes_and_slides),
        cmocka_unit_test(test_wipe_edge_position),
        cmocka_unit_test(test_circles_and_radial),
        cmocka_unit_test(test_dissolve_pixelize_zoomin_mix),
        cmocka_unit_test(test_none_is_a_cut),
        cmocka_unit_test(test_transition_catalog),
        cmocka_unit_test(test_frame_sizes),
    };
    return cmocka_run_group_tests(tests, frames_group_setup, frames_group_teardown);
}
