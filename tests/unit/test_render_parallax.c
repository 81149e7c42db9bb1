/*
 * test_render_parallax.c - the parallax motion (issue 18): its layer windows stay inside the
 * picture and move near layers further than far ones, deterministically per seed; the beat
 * pushes near layers more; and rendering a depth stack with a known far pattern (a bright
 * disc on the back layer) and a known near one (a dark disc on the front layer) moves the
 * near disc several times further than the far one, smoothly (every frame-to-frame step
 * follows the eased ideal path, no jumps, no back-and-forth), measured on the renderer's
 * frames and on the frames decoded from the MP4; the same plan renders the same frames; a
 * scene without layers still moves (one layer).
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
#include "paint/mv_paint_internal.h"
#include "render/mv_beat_motion.h"
#include "render/mv_frame_renderer.h"
#include "render/mv_layer_stack.h"
#include "render/mv_motion.h"
#include "render/mv_render.h"
#include "render_test_util.h"

#define W 320
#define H 180
#define WORK_W 384 /* the working picture: 1.2x the frame */
#define WORK_H 216
#define FPS 24
#define SECONDS 3
#define FRAMES (FPS * SECONDS)
#define FAR_X 110.0 /* the discs' centres in the working picture */
#define NEAR_X 274.0
#define DISC_R 18.0

static void test_layer_windows(void **state)
{
    (void)state;
    int left = 0, right = 0;
    for (uint32_t seed = 0; seed < 40; seed++) {
        double travel[MV_LAYER_COUNT];
        for (int l = 0; l < MV_LAYER_COUNT; l++) {
            double d = mv_layer_depth(l);
            for (int i = 0; i <= 100; i++) {
                mv_motion_window w = mv_motion_layer_at(MV_MOTION_PARALLAX, seed, i / 100.0, d);
                mv_motion_window again =
                    mv_motion_layer_at(MV_MOTION_PARALLAX, seed, i / 100.0, d);
                assert_memory_equal(&w, &again, sizeof w); /* deterministic per seed */
                assert_true(w.size > 0.7 && w.size <= 1.0 / MV_MOTION_HEADROOM + 1e-12);
                assert_true(w.cx - w.size / 2 >= -1e-9 && w.cx + w.size / 2 <= 1 + 1e-9);
                assert_true(w.cy - w.size / 2 >= -1e-9 && w.cy + w.size / 2 <= 1 + 1e-9);
            }
            travel[l] = mv_motion_layer_at(MV_MOTION_PARALLAX, seed, 1, d).cx -
                        mv_motion_layer_at(MV_MOTION_PARALLAX, seed, 0, d).cx;
        }
        for (int l = 1; l < MV_LAYER_COUNT; l++) /* nearer layers travel further */
            assert_true(fabs(travel[l]) > fabs(travel[l - 1]) * 1.4);
        assert_true(fabs(travel[MV_LAYER_COUNT - 1]) > 0.1);
        left += travel[0] < 0;
        right += travel[0] > 0;
    }
    assert_true(left >= 8 && right >= 8); /* the seed picks the direction */
    /* every other motion moves all layers alike */
    for (int kind = MV_MOTION_KEN_BURNS; kind <= MV_MOTION_STATIC; kind++) {
        mv_motion_window a = mv_motion_layer_at((mv_motion_kind)kind, 7, 0.4, 0.1);
        mv_motion_window b = mv_motion_layer_at((mv_motion_kind)kind, 7, 0.4, 1.0);
        assert_memory_equal(&a, &b, sizeof a);
    }
    assert_int_equal(mv_motion_kind_from_id("parallax"), MV_MOTION_PARALLAX);
    assert_true(mv_motion_known("parallax"));
    /* the beat pushes the nearest layer fully, far ones less, none past it */
    assert_true(fabs(mv_beat_zoom_at_depth(1.05, 1.0) - 1.05) < 1e-12);
    assert_true(mv_beat_zoom_at_depth(1.05, 0.1) > 1.0);
    assert_true(mv_beat_zoom_at_depth(1.05, 0.1) < mv_beat_zoom_at_depth(1.05, 0.65));
    assert_true(fabs(mv_beat_zoom_at_depth(1.0, 0.3) - 1.0) < 1e-12);
}

/* The depth stack of the fixture: a grey back layer with a bright disc, two empty layers and
 * a front layer holding only a dark disc, RGBA stacked as the painter writes them. */
static void write_layers(const char *image_path)
{
    uint8_t *rgba = calloc((size_t)WORK_W * WORK_H * 4 * MV_LAYER_COUNT, 1);
    assert_non_null(rgba);
    for (int l = 0; l < MV_LAYER_COUNT; l++)
        for (int y = 0; y < WORK_H; y++)
            for (int x = 0; x < WORK_W; x++) {
                uint8_t *p = rgba + (((size_t)l * WORK_H + y) * WORK_W + x) * 4;
                double far = hypot(x + 0.5 - FAR_X, y + 0.5 - WORK_H / 2.0);
                double near = hypot(x + 0.5 - NEAR_X, y + 0.5 - WORK_H / 2.0);
                double a_far = fmin(fmax(DISC_R + 0.5 - far, 0), 1);
                double a_near = fmin(fmax(DISC_R + 0.5 - near, 0), 1);
                if (l == 0) {
                    uint8_t v = (uint8_t)lrint(120 + 120 * a_far);
                    p[0] = p[1] = p[2] = v;
                    p[3] = 255;
                } else if (l == MV_LAYER_COUNT - 1) {
                    p[0] = p[1] = p[2] = 20;
                    p[3] = (uint8_t)lrint(255 * a_near);
                }
            }
    char *path = mv_layer_stack_path(image_path);
    assert_non_null(path);
    assert_int_equal(mv_paint_png_write_rgba(rgba, WORK_W, WORK_H * MV_LAYER_COUNT, path, NULL),
                     MAIVID_OK);
    free(path);
    free(rgba);
}

typedef struct fixture {
    char *dir;
    char image[1024], song[1024], out[1024];
} fixture;

static void make_fixture(fixture *fx, int layers)
{
    fx->dir = mv_test_tmpdir("render-parallax");
    assert_non_null(fx->dir);
    snprintf(fx->image, sizeof fx->image, "%s/scene_001.png", fx->dir);
    snprintf(fx->song, sizeof fx->song, "%s/song.wav", fx->dir);
    snprintf(fx->out, sizeof fx->out, "%s/out.mp4", fx->dir);
    uint8_t *rgb = malloc((size_t)WORK_W * WORK_H * 3);
    assert_non_null(rgb);
    for (int y = 0; y < WORK_H; y++) /* the flat picture: the far disc only */
        for (int x = 0; x < WORK_W; x++) {
            double far = hypot(x + 0.5 - FAR_X, y + 0.5 - WORK_H / 2.0);
            uint8_t v = (uint8_t)lrint(120 + 120 * fmin(fmax(DISC_R + 0.5 - far, 0), 1));
            memset(rgb + ((size_t)y * WORK_W + x) * 3, v, 3);
        }
    assert_int_equal(mv_paint_png_write(rgb, WORK_W, WORK_H, fx->image, NULL), MAIVID_OK);
    free(rgb);
    if (layers)
        write_layers(fx->image);
    mv_test_song song = {SECONDS, 0, 0, 0, 22050, 1};
    assert_int_equal(mv_test_write_song_wav(fx->song, &song), 0);
}

static void free_fixture(fixture *fx)
{
    mv_remove_tree(fx->dir, NULL);
    free(fx->dir);
}

/* Where a point at x in the working picture appears in the frame for layer depth d. */
static double ideal_x(double x, double d, int n)
{
    mv_motion_window w = mv_motion_layer_at(MV_MOTION_PARALLAX, 0, (double)n / FRAMES, d);
    double ww = w.size * WORK_W, x0 = w.cx * WORK_W - ww / 2;
    return (x - x0) * W / ww;
}

/* Centres (x, frame pixels) of the bright disc (back layer) and the dark one (front layer),
 * measured linearly (bilinear sampling is linear, so the measure is too): each pixel within
 * 30 px of the disc's ideal place weighs its difference from the grey background. */
typedef struct track {
    double far[FRAMES + 8], near[FRAMES + 8];
    uint64_t hash[FRAMES + 8];
    int n;
    double depth_far, depth_near;
} track;

static double centre(const uint8_t *y, int stride, double ox, int sign)
{
    double bg = y[(size_t)6 * stride + W / 2], sw = 0, sx = 0;
    for (int j = H / 2 - 30; j < H / 2 + 30; j++)
        for (int i = (int)ox - 30; i < (int)ox + 30; i++) {
            if (i < 0 || i >= W || hypot(i + 0.5 - ox, j + 0.5 - H / 2.0) >= 30)
                continue;
            double v = sign * (y[(size_t)j * stride + i] - bg);
            sw += v;
            sx += v * (i + 0.5);
        }
    return sw > 0 ? sx / sw : -1;
}

static void measure(track *t, const uint8_t *y, int stride)
{
    uint64_t h = 1469598103934665603ULL;
    for (int j = 0; j < H; j++)
        for (int i = 0; i < W; i++)
            h = (h ^ (uint64_t)y[(size_t)j * stride + i]) * 1099511628211ULL;
    if (t->n >= FRAMES + 8)
        return;
    t->far[t->n] = centre(y, stride, ideal_x(FAR_X, t->depth_far, t->n), 1);
    t->near[t->n] = t->depth_near > 0
                        ? centre(y, stride, ideal_x(NEAR_X, t->depth_near, t->n), -1)
                        : 0;
    t->hash[t->n++] = h;
}

static void render_direct(const fixture *fx, track *t)
{
    mv_render_scene scene = {fx->image, 0, SECONDS, "parallax", "fade", 0, 0, NULL};
    mv_render_plan plan = {&scene, 1, fx->song, W, H, FPS, fx->out, NULL,
                           NULL, NULL, 0, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL};
    mv_timeline tl;
    mv_frame_renderer r;
    mv_yuv frame;
    assert_int_equal(mv_timeline_build(&plan, SECONDS, &tl, NULL), MAIVID_OK);
    assert_int_equal(mv_frame_renderer_init(&r, &plan, &tl, NULL), MAIVID_OK);
    assert_int_equal(mv_yuv_alloc(&frame, W, H), 0);
    t->n = 0;
    for (int n = 0; n < FRAMES; n++) {
        assert_int_equal(mv_frame_renderer_draw(&r, (double)n / FPS, &frame, NULL), MAIVID_OK);
        measure(t, frame.plane[0], frame.stride[0]);
    }
    mv_yuv_free(&frame);
    mv_frame_renderer_free(&r);
    mv_timeline_free(&tl);
}

/* Every step follows the ideal eased step within tol pixels plus `rel` of the step, and
 * never turns back by more than slack. */
static void assert_follows(const double *v, int n, double x, double depth, double tol,
                           double rel, double slack)
{
    double total = v[n - 1] - v[0], sign = total > 0 ? 1 : -1;
    for (int i = 0; i + 1 < n; i++) {
        assert_true(v[i] >= 0 && v[i + 1] >= 0);
        double d = v[i + 1] - v[i];
        double want = ideal_x(x, depth, i + 1) - ideal_x(x, depth, i);
        if (d * sign < -slack)
            fail_msg("depth %.2f: back-and-forth step %.4f at frame %d", depth, d, i);
        if (fabs(d - want) > tol + rel * fabs(want))
            fail_msg("depth %.2f: step %.4f at frame %d, the ideal path moves %.4f", depth, d,
                     i, want);
    }
}

static void test_direct_near_moves_more_smoothly(void **state)
{
    (void)state;
    fixture fx;
    make_fixture(&fx, 1);
    track t = {.depth_far = mv_layer_depth(0), .depth_near = mv_layer_depth(MV_LAYER_COUNT - 1)};
    track again = t;
    render_direct(&fx, &t);
    double far = fabs(t.far[t.n - 1] - t.far[0]), near = fabs(t.near[t.n - 1] - t.near[0]);
    fprintf(stderr, "parallax (renderer frames): far disc moved %.2f px, near disc %.2f px\n",
            far, near);
    assert_true(far > 1.0);     /* the back layer moves a little */
    assert_true(near > 30.0);   /* the front layer travels across the frame */
    assert_true(near > 5.0 * far);
    assert_follows(t.near, t.n, NEAR_X, mv_layer_depth(MV_LAYER_COUNT - 1), 0.06, 0, 0.002);
    assert_follows(t.far, t.n, FAR_X, mv_layer_depth(0), 0.06, 0, 0.002);
    render_direct(&fx, &again); /* the same plan, the same frames */
    assert_memory_equal(t.hash, again.hash, sizeof t.hash[0] * (size_t)t.n);
    free_fixture(&fx);
}

static void measure_decoded(void *user, const rt_frame *f, int64_t index)
{
    (void)index;
    measure(user, f->y, f->width);
}

static void test_mp4_near_moves_more(void **state)
{
    (void)state;
    fixture fx;
    make_fixture(&fx, 1);
    mv_render_scene scene = {fx.image, 0, SECONDS, "parallax", "fade", 0, 0, NULL};
    mv_render_plan plan = {&scene, 1, fx.song, W, H, FPS, fx.out, NULL,
                           NULL, NULL, 0, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL};
    mv_error err = {0};
    assert_int_equal(mv_render_video(&plan, NULL, &err), MAIVID_OK);
    track t = {.depth_far = mv_layer_depth(0), .depth_near = mv_layer_depth(MV_LAYER_COUNT - 1)};
    assert_int_equal(rt_decode_frames(fx.out, measure_decoded, &t), FRAMES);
    double far = fabs(t.far[t.n - 1] - t.far[0]), near = fabs(t.near[t.n - 1] - t.near[0]);
    double far_step = 0, near_step = 0;
    for (int i = 0; i + 1 < t.n; i++) {
        far_step = fmax(far_step, fabs(t.far[i + 1] - t.far[i]));
        near_step = fmax(near_step, fabs(t.near[i + 1] - t.near[i]));
    }
    fprintf(stderr, "parallax (decoded MP4): far disc moved %.2f px (largest step %.3f), near "
                    "disc %.2f px (largest step %.3f), ratio %.1f\n",
            far, far_step, near, near_step, near / far);
    assert_true(far > 1.0);
    assert_true(near > 30.0);
    assert_true(near > 5.0 * far);
    /* compression adds noise (about +-0.06 px, more on the fast front layer); the path must
     * still be monotone and even: no jumps, no stalls */
    assert_follows(t.near, t.n, NEAR_X, mv_layer_depth(MV_LAYER_COUNT - 1), 0.06, 0.2, 0.05);
    assert_follows(t.far, t.n, FAR_X, mv_layer_depth(0), 0.06, 0.2, 0.05);
    free_fixture(&fx);
}

static void test_without_layers_one_layer_moves(void **state)
{
    (void)state;
    fixture fx;
    make_fixture(&fx, 0); /* a ComfyUI picture: no layer file */
    track t = {.depth_far = 0.5};
    render_direct(&fx, &t);
    double far = fabs(t.far[t.n - 1] - t.far[0]);
    assert_true(far > 10.0); /* the whole picture dollies at a middle depth */
    assert_follows(t.far, t.n, FAR_X, 0.5, 0.06, 0, 0.002);
    free_fixture(&fx);
}

static void test_damaged_layers_are_an_error(void **state)
{
    (void)state;
    fixture fx;
    make_fixture(&fx, 0);
    char *path = mv_layer_stack_path(fx.image);
    assert_non_null(path);
    assert_string_equal(path + strlen(path) - strlen("scene_001.layers.png"),
                        "scene_001.layers.png");
    assert_int_equal(mv_write_file_atomic(path, "not a png", 9, NULL), MAIVID_OK);
    mv_layer_stack stack;
    mv_error err = {0};
    assert_int_equal(mv_layer_stack_load(fx.image, WORK_W, WORK_H, &stack, &err),
                     MAIVID_E_MEDIA);
    assert_non_null(strstr(err.message, "layers.png"));
    /* a single picture (not a stack of four) is refused too */
    uint8_t rgba[16 * 18 * 4] = {0};
    assert_int_equal(mv_paint_png_write_rgba(rgba, 16, 18, path, NULL), MAIVID_OK);
    assert_int_equal(mv_layer_stack_load(fx.image, WORK_W, WORK_H, &stack, &err),
                     MAIVID_E_MEDIA);
    assert_non_null(strstr(err.message, "stacked"));
    free(path);
    free_fixture(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layer_windows),
        cmocka_unit_test(test_direct_near_moves_more_smoothly),
        cmocka_unit_test(test_mp4_near_moves_more),
        cmocka_unit_test(test_without_layers_one_layer_moves),
        cmocka_unit_test(test_damaged_layers_are_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
