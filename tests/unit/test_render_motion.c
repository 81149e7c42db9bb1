/*
 * test_render_motion.c - motion quality: the motion windows stay inside the picture, ease in
 * and out, ken_burns is deterministic per seed and varies between seeds; and rendering a
 * textured picture with a bright disc under a slow zoom or pan moves the disc smoothly: its
 * measured radius (or position) changes monotonically, frame to frame, with no back-and-forth
 * steps and no jumps. Checked on the renderer's frames directly (exact) and on a decoded MP4.
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
#include "render/mv_frame_renderer.h"
#include "render/mv_motion.h"
#include "render/mv_render.h"
#include "render_test_util.h"

#define W 320
#define H 180
#define FPS 24
#define SECONDS 3
#define FRAMES (FPS * SECONDS)

static void test_windows_stay_inside(void **state)
{
    (void)state;
    for (int kind = MV_MOTION_KEN_BURNS; kind <= MV_MOTION_STATIC; kind++)
        for (uint32_t seed = 0; seed < 40; seed++)
            for (int i = 0; i <= 100; i++) {
                mv_motion_window w = mv_motion_at((mv_motion_kind)kind, seed, i / 100.0);
                assert_true(w.size > 0.8 && w.size <= 1.0 + 1e-12);
                assert_true(w.cx - w.size / 2 >= -1e-9 && w.cx + w.size / 2 <= 1 + 1e-9);
                assert_true(w.cy - w.size / 2 >= -1e-9 && w.cy + w.size / 2 <= 1 + 1e-9);
            }
}

static void test_easing_and_directions(void **state)
{
    (void)state;
    assert_true(fabs(mv_ease_in_out(0)) < 1e-12);
    assert_true(fabs(mv_ease_in_out(1) - 1) < 1e-12);
    assert_true(fabs(mv_ease_in_out(0.5) - 0.5) < 1e-12);
    /* slow at the ends, fast in the middle */
    assert_true(mv_ease_in_out(0.05) < 0.05 / 2);
    assert_true(mv_ease_in_out(0.55) - mv_ease_in_out(0.45) > 0.1 * 1.4);
    mv_motion_window a = mv_motion_at(MV_MOTION_ZOOM_IN, 0, 0);
    mv_motion_window b = mv_motion_at(MV_MOTION_ZOOM_IN, 0, 1);
    assert_true(a.size > b.size); /* zooming in: the window shrinks */
    a = mv_motion_at(MV_MOTION_PAN_LEFT, 0, 0);
    b = mv_motion_at(MV_MOTION_PAN_LEFT, 0, 1);
    assert_true(a.cx > b.cx); /* the view travels left */
    a = mv_motion_at(MV_MOTION_PAN_UP, 0, 0);
    b = mv_motion_at(MV_MOTION_PAN_UP, 0, 1);
    assert_true(a.cy > b.cy);
    a = mv_motion_at(MV_MOTION_STATIC, 0, 0.3);
    assert_true(a.size == 1.0 && a.cx == 0.5 && a.cy == 0.5);
    /* ken_burns: same seed, same path; different seeds, different end points */
    int distinct = 0;
    double seen[64][2];
    for (uint32_t seed = 0; seed < 32; seed++) {
        mv_motion_window p = mv_motion_at(MV_MOTION_KEN_BURNS, seed, 0.7);
        mv_motion_window q = mv_motion_at(MV_MOTION_KEN_BURNS, seed, 0.7);
        assert_memory_equal(&p, &q, sizeof p);
        mv_motion_window e0 = mv_motion_at(MV_MOTION_KEN_BURNS, seed, 0);
        mv_motion_window e1 = mv_motion_at(MV_MOTION_KEN_BURNS, seed, 1);
        double x = e0.size < e1.size ? e0.cx : e1.cx, y = e0.size < e1.size ? e0.cy : e1.cy;
        int is_new = 1;
        for (int k = 0; k < distinct; k++)
            if (fabs(seen[k][0] - x) < 1e-6 && fabs(seen[k][1] - y) < 1e-6)
                is_new = 0;
        if (is_new) {
            seen[distinct][0] = x;
            seen[distinct][1] = y;
            distinct++;
        }
    }
    assert_true(distinct >= 6);
    assert_int_equal(mv_motion_kind_from_id("auto"), -1);
}

/* Radius (from its area) and centre x of the bright disc, measured linearly (bilinear
 * interpolation is linear, so the measure is too) inside a circle of 45 px around (ox, H/2)
 * that holds the disc and part of its flat grey ring, never the texture. */
static void disc_measure(const uint8_t *y, int stride, double ox, double *radius, double *cx)
{
    double fg = 0;
    for (int j = -2; j <= 2; j++)
        for (int i = -2; i <= 2; i++)
            fg += y[(size_t)(H / 2 + j) * stride + (int)ox + i] / 25.0;
    double bg = y[(size_t)(H / 2) * stride + (int)ox + 47];
    double area = 0, sx = 0;
    for (int j = 0; j < H; j++)
        for (int i = 0; i < W; i++) {
            if (hypot(i + 0.5 - ox, j + 0.5 - H / 2.0) >= 45)
                continue;
            double v = (y[(size_t)j * stride + i] - bg) / (fg - bg);
            area += v;
            sx += v * (i + 0.5);
        }
    *radius = sqrt(area / M_PI);
    *cx = sx / area;
}

typedef struct series {
    double v[FRAMES + 8];
    int n;
    int use_x;
} series;

/* The ideal path of the measured quantity for frame n (from the motion's float window). */
static double ideal(const char *motion, int n)
{
    double u = (double)n / FRAMES; /* the scene spans the whole video */
    mv_motion_window w = mv_motion_at((mv_motion_kind)mv_motion_kind_from_id(motion), 0, u);
    if (strcmp(motion, "zoom_in") == 0)
        return 40.0 * W / 384.0 / w.size;       /* disc radius in frame pixels */
    return W / 2.0 - (w.cx - 0.5) * 384.0;       /* disc centre x, window sampled 1:1 */
}

/* Smooth and monotone: every frame-to-frame step keeps the direction of travel (no
 * back-and-forth, within `slack`) and matches the ideal eased step within `tol` pixels, so
 * there are no jumps or stalls. Whole-pixel windows (zoompan) break this: their steps
 * alternate between 0 and 0.1-1 px around the ideal. */
static void assert_smooth(const series *s, const char *motion, double min_total, double tol,
                          double slack)
{
    double total = s->v[s->n - 1] - s->v[0];
    if (fabs(total) < min_total)
        fail_msg("moved only %.3f", total);
    double sign = total > 0 ? 1 : -1;
    for (int i = 0; i + 1 < s->n; i++) {
        double d = s->v[i + 1] - s->v[i];
        double want = ideal(motion, i + 1) - ideal(motion, i);
        if (d * sign < -slack)
            fail_msg("back-and-forth step %.4f at frame %d", d, i);
        if (fabs(d - want) > tol)
            fail_msg("step %.4f at frame %d, the ideal path moves %.4f", d, i, want);
    }
}

typedef struct scene_fixture {
    char *dir;
    char image[1024], song[1024], out[1024];
} scene_fixture;

static void make_scene_fixture(scene_fixture *fx)
{
    fx->dir = mv_test_tmpdir("render-motion");
    assert_non_null(fx->dir);
    snprintf(fx->image, sizeof fx->image, "%s/disc.ppm", fx->dir);
    snprintf(fx->song, sizeof fx->song, "%s/song.wav", fx->dir);
    snprintf(fx->out, sizeof fx->out, "%s/out.mp4", fx->dir);
    /* the working picture is 1.2x the frame: 384x216, so the disc is drawn at that size */
    assert_int_equal(rt_write_disc_ppm(fx->image, 384, 216, 40.0), 0);
    mv_test_song song = {SECONDS, 0, 0, 0, 22050, 1};
    assert_int_equal(mv_test_write_song_wav(fx->song, &song), 0);
}

static void render_direct(const scene_fixture *fx, const char *motion, series *s)
{
    mv_render_scene scene = {fx->image, 0, SECONDS, motion, "fade", 0, 0, NULL};
    mv_render_plan plan = {&scene, 1, fx->song, W, H, FPS, fx->out, NULL,
                           NULL, NULL, 0, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL};
    mv_timeline tl;
    mv_frame_renderer r;
    mv_yuv frame;
    assert_int_equal(mv_timeline_build(&plan, SECONDS, &tl, NULL), MAIVID_OK);
    assert_int_equal(mv_frame_renderer_init(&r, &plan, &tl, NULL), MAIVID_OK);
    assert_int_equal(mv_yuv_alloc(&frame, W, H), 0);
    s->n = 0;
    for (int n = 0; n < FRAMES; n++) {
        assert_int_equal(mv_frame_renderer_draw(&r, (double)n / FPS, &frame, NULL), MAIVID_OK);
        double radius, cx;
        disc_measure(frame.plane[0], frame.stride[0], s->use_x ? ideal(motion, n) : W / 2.0,
                     &radius, &cx);
        s->v[s->n++] = s->use_x ? cx : radius;
    }
    mv_yuv_free(&frame);
    mv_frame_renderer_free(&r);
    mv_timeline_free(&tl);
}

static void test_slow_zoom_is_smooth(void **state)
{
    (void)state;
    scene_fixture fx;
    make_scene_fixture(&fx);
    series s = {0};
    render_direct(&fx, "zoom_in", &s);
    /* radius grows from 40*320/384 = 33.3 to 40 pixels: 1.2x */
    assert_true(fabs(s.v[0] - 33.33) < 0.5);
    assert_true(fabs(s.v[s.n - 1] / s.v[0] - 1.2) < 0.02);
    /* average step 0.09 px, fastest 0.15 px; sub-pixel sampling follows the ideal path to
     * 0.02 px per step (what remains is the area measure's own grid bias) */
    assert_smooth(&s, "zoom_in", 6.0, 0.02, 0.002);
    s.use_x = 1;
    render_direct(&fx, "pan_right", &s);
    /* the view moves right, so the disc moves left: the 320-pixel window (1:1 sampling)
     * travels across the 384-pixel working picture, 64 pixels */
    assert_true(fabs((s.v[0] - s.v[s.n - 1]) - 64.0) < 1.0);
    assert_smooth(&s, "pan_right", 50.0, 0.05, 0.002);
    mv_remove_tree(fx.dir, NULL);
    free(fx.dir);
}

static void measure_decoded(void *user, const rt_frame *f, int64_t index)
{
    series *s = user;
    double radius, cx;
    disc_measure(f->y, f->width, W / 2.0, &radius, &cx);
    if (s->n < FRAMES + 8)
        s->v[s->n++] = radius;
    if (getenv("RENDER_MOTION_DUMP"))
        fprintf(stderr, "%lld %.4f\n", (long long)index, radius);
}

static void test_encoded_zoom_is_smooth(void **state)
{
    (void)state;
    scene_fixture fx;
    make_scene_fixture(&fx);
    mv_render_scene scene = {fx.image, 0, SECONDS, "zoom_in", "fade", 0, 0, NULL};
    mv_render_plan plan = {&scene, 1, fx.song, W, H, FPS, fx.out, NULL,
                           NULL, NULL, 0, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL};
    mv_error err = {0};
    assert_int_equal(mv_render_video(&plan, NULL, &err), MAIVID_OK);
    series s = {0};
    assert_int_equal(rt_decode_frames(fx.out, measure_decoded, &s), FRAMES);
    /* compression adds noise (about +-0.03 px, with the B-frame rhythm); the path must still
     * be monotone and even */
    assert_smooth(&s, "zoom_in", 6.0, 0.06, 0.03);
    mv_remove_tree(fx.dir, NULL);
    free(fx.dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_windows_stay_inside),
        cmocka_unit_test(test_easing_and_directions),
        cmocka_unit_test(test_slow_zoom_is_smooth),
        cmocka_unit_test(test_encoded_zoom_is_smooth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
