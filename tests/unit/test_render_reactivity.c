/*
 * test_render_reactivity.c - motion that hears the music and its safety: the beat pulse is
 * smooth (no steps in zoom or its speed) and dies out before the next beat; reactivity 0
 * draws exactly the frames of a render without beat motion; on a decoded MP4 the picture
 * change on beat frames over that between beats is >= 1.25 at the default reactivity and
 * about 1 at 0; the flash limiter holds synthetic 15 Hz flashing to <= 3 flashes in any
 * second; the sync report carries its fields.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/mv_sync_report.h"
#include "mv_test_util.h"
#include "render/mv_beat_motion.h"
#include "render/mv_flash_limiter.h"
#include "render/mv_frame_renderer.h"
#include "render/mv_render.h"
#include "render_test_util.h"

#define W 320
#define H 180
#define FPS 30
#define SECONDS 8

/* A steady 120 bpm song: beats every 0.5 s, downbeats every 2 s, onsets on the beats, a
 * flat energy of 0.7, one section change at 4.25 s. */
typedef struct song_analysis {
    mv_analysis a;
    double beats[64], downbeats[16], onsets[64];
    float energy[SECONDS * 10];
    mv_section sections[2];
} song_analysis;

static void make_analysis(song_analysis *s)
{
    memset(s, 0, sizeof *s);
    size_t nb = 0, nd = 0;
    for (double t = 0.25; t < SECONDS; t += 0.5) {
        s->beats[nb] = s->onsets[nb] = t;
        nb++;
        if (fmod(t - 0.25, 2.0) < 1e-9)
            s->downbeats[nd++] = t;
    }
    for (int i = 0; i < SECONDS * 10; i++)
        s->energy[i] = 0.7f;
    s->sections[0] = (mv_section){0, 4.25, 0.7};
    s->sections[1] = (mv_section){4.25, SECONDS, 0.7};
    s->a.duration = SECONDS;
    s->a.bpm = 120;
    s->a.beats = s->beats;
    s->a.beat_count = nb;
    s->a.downbeats = s->downbeats;
    s->a.downbeat_count = nd;
    s->a.onsets = s->onsets;
    s->a.onset_count = nb;
    s->a.energy = s->energy;
    s->a.energy_count = SECONDS * 10;
    s->a.energy_rate = 10;
    s->a.sections = s->sections;
    s->a.section_count = 2;
}

static void test_pulse_is_smooth_and_short(void **state)
{
    (void)state;
    song_analysis s;
    make_analysis(&s);
    mv_beat_motion m;
    assert_int_equal(mv_beat_motion_build(&m, &s.a, 0.5, SECONDS, NULL), MAIVID_OK);
    double dt = 0.001, prev = mv_beat_zoom(&m, 0), prev_speed = 0, peak = 0;
    for (double t = dt; t < SECONDS; t += dt) {
        double z = mv_beat_zoom(&m, t), speed = (z - prev) / dt;
        assert_true(z >= 1 && z < 1.1);
        /* no jumps in zoom, no steps in its speed (a bounded acceleration) */
        assert_true(fabs(z - prev) < 0.0015);
        if (fabs(speed - prev_speed) >= 0.15)
            fail_msg("speed step %.4f at %.3f s", speed - prev_speed, t);
        peak = fmax(peak, z - 1);
        prev = z;
        prev_speed = speed;
    }
    assert_true(peak > 0.01);
    /* each accent has died out by the next beat; nothing before the first */
    for (size_t i = 0; i + 1 < s.a.beat_count; i++)
        assert_true(mv_beat_zoom(&m, s.a.beats[i + 1] - 1e-4) - 1 < 1e-4);
    assert_true(mv_beat_zoom(&m, 0.2) == 1);
    /* downbeats push harder than other beats, the section change hardest */
    assert_true(mv_beat_zoom(&m, 2.25 + 0.075) > mv_beat_zoom(&m, 2.75 + 0.075));
    assert_true(mv_beat_zoom(&m, 4.25 + 0.075) > mv_beat_zoom(&m, 2.25 + 0.075));
    /* reactivity 0: nothing at all */
    mv_beat_motion off;
    assert_int_equal(mv_beat_motion_build(&off, &s.a, 0, SECONDS, NULL), MAIVID_OK);
    assert_true(mv_beat_zoom(&off, 2.3) == 1 && mv_beat_light(&off, 2.3) == 0);
    assert_true(mv_beat_warp(&off, 3.7) == 3.7);
    mv_beat_motion_free(&off);
    mv_beat_motion_free(&m);
}

typedef struct fixture {
    char *dir;
    char image[1024], song[1024], out[1024];
    mv_render_scene scene;
    mv_render_plan plan;
    song_analysis s;
} fixture;

static void fixture_init(fixture *fx, double reactivity)
{
    memset(fx, 0, sizeof *fx);
    fx->dir = mv_test_tmpdir("render-reactivity");
    assert_non_null(fx->dir);
    snprintf(fx->image, sizeof fx->image, "%s/disc.ppm", fx->dir);
    snprintf(fx->song, sizeof fx->song, "%s/song.wav", fx->dir);
    snprintf(fx->out, sizeof fx->out, "%s/out.mp4", fx->dir);
    assert_int_equal(rt_write_disc_ppm(fx->image, 384, 216, 40.0), 0);
    mv_test_song song = {SECONDS, 0, 0, 0, 22050, 1};
    assert_int_equal(mv_test_write_song_wav(fx->song, &song), 0);
    mv_render_scene scene = {fx->image, 0, SECONDS, "zoom_in", "fade", 0, 0, NULL};
    fx->scene = scene;
    make_analysis(&fx->s);
    fx->plan.scenes = &fx->scene;
    fx->plan.scene_count = 1;
    fx->plan.audio_path = fx->song;
    fx->plan.width = W;
    fx->plan.height = H;
    fx->plan.fps = FPS;
    fx->plan.output_path = fx->out;
    fx->plan.analysis = &fx->s.a;
    fx->plan.reactivity = reactivity;
}

static void test_zero_reactivity_is_the_plain_motion(void **state)
{
    (void)state;
    fixture fx;
    fixture_init(&fx, 0);
    mv_render_plan plain = fx.plan;
    plain.analysis = NULL;
    mv_timeline tl;
    assert_int_equal(mv_timeline_build(&fx.plan, SECONDS, &tl, NULL), MAIVID_OK);
    mv_frame_renderer a, b;
    mv_yuv fa, fb;
    assert_int_equal(mv_frame_renderer_init(&a, &fx.plan, &tl, NULL), MAIVID_OK);
    assert_int_equal(mv_frame_renderer_init(&b, &plain, &tl, NULL), MAIVID_OK);
    assert_int_equal(mv_yuv_alloc(&fa, W, H), 0);
    assert_int_equal(mv_yuv_alloc(&fb, W, H), 0);
    for (int n = 0; n < SECONDS * FPS; n += 7) {
        assert_int_equal(mv_frame_renderer_draw(&a, (double)n / FPS, &fa, NULL), MAIVID_OK);
        assert_int_equal(mv_frame_renderer_draw(&b, (double)n / FPS, &fb, NULL), MAIVID_OK);
        for (int j = 0; j < H; j++)
            assert_memory_equal(fa.plane[0] + (size_t)j * fa.stride[0],
                                fb.plane[0] + (size_t)j * fb.stride[0], W);
    }
    mv_yuv_free(&fa);
    mv_yuv_free(&fb);
    mv_frame_renderer_free(&a);
    mv_frame_renderer_free(&b);
    mv_timeline_free(&tl);
    free(fx.dir);
}

typedef struct change_measure {
    const mv_analysis *a;
    uint8_t *prev;
    double beat, offbeat;
    long beat_n, offbeat_n;
} change_measure;

static void measure_frame(void *user, const rt_frame *f, int64_t index)
{
    change_measure *m = user;
    size_t n = (size_t)f->width * f->height;
    if (m->prev) {
        double sum = 0;
        for (size_t i = 0; i < n; i++)
            sum += abs(f->y[i] - m->prev[i]);
        int cls = mv_beat_frame_class(m->a->beats, m->a->beat_count, (double)index / FPS);
        if (cls == 1) {
            m->beat += sum / n;
            m->beat_n++;
        } else if (cls == 0) {
            m->offbeat += sum / n;
            m->offbeat_n++;
        }
    } else {
        m->prev = malloc(n);
        assert_non_null(m->prev);
    }
    memcpy(m->prev, f->y, n);
}

/* Renders the MP4 and returns beat-frame change over off-beat change, decoded. */
static double rendered_ratio(double reactivity, mv_render_stats *stats)
{
    fixture fx;
    fixture_init(&fx, reactivity);
    fx.plan.stats = stats;
    assert_int_equal(mv_render_video(&fx.plan, NULL, NULL), MAIVID_OK);
    change_measure m = {&fx.s.a, NULL, 0, 0, 0, 0};
    assert_true(rt_decode_frames(fx.out, measure_frame, &m) == SECONDS * FPS);
    free(m.prev);
    free(fx.dir);
    assert_true(m.beat_n > 30 && m.offbeat_n > 30);
    return (m.beat / m.beat_n) / (m.offbeat / m.offbeat_n);
}

static void test_reactivity_on_and_off(void **state)
{
    (void)state;
    mv_render_stats on_stats, off_stats;
    memset(&on_stats, 0, sizeof on_stats);
    memset(&off_stats, 0, sizeof off_stats);
    double on = rendered_ratio(0.5, &on_stats);
    double off = rendered_ratio(0, &off_stats);
    print_message("beat/off-beat picture change: %.3f at reactivity 0.5, %.3f at 0 "
                  "(measured while rendering: %.3f, %.3f)\n",
                  on, off, on_stats.beat_change / on_stats.offbeat_change,
                  off_stats.beat_change / off_stats.offbeat_change);
    assert_true(on >= 1.25);
    assert_true(off > 0.85 && off < 1.15);
    assert_true(on_stats.beat_change / on_stats.offbeat_change >= 1.25);
    assert_true(on_stats.max_flashes <= MV_FLASH_MAX_PER_SECOND);
}

/* Independent count: opposing 10% luminance transitions (darker state < 0.8) per second. */
static int max_flashes_per_second(const double *lum, int n, int fps)
{
    int *at = calloc((size_t)n, sizeof *at);
    int count = 0, dir = 0, worst = 0;
    double ref = lum[0];
    for (int i = 1; i < n; i++) {
        double d = lum[i] - ref;
        int s = d > 0 ? 1 : -1;
        if (fabs(d) >= 0.1 && fmin(lum[i], ref) < 0.8 && s != dir) {
            at[count++] = i;
            dir = s;
            ref = lum[i];
        } else if ((dir > 0 && lum[i] > ref) || (dir < 0 && lum[i] < ref) || dir == 0) {
            ref = lum[i];
        }
        int in_window = 0;
        for (int k = 0; k < count; k++)
            in_window += at[k] > i - fps;
        if (in_window / 2 > worst)
            worst = in_window / 2;
    }
    free(at);
    return worst;
}

static void test_flash_limiter(void **state)
{
    (void)state;
    enum { N = 3 * FPS };
    double in[N], out[N];
    mv_flash_limiter f;
    mv_flash_limiter_init(&f, FPS);
    mv_yuv frame;
    assert_int_equal(mv_yuv_alloc(&frame, 64, 36), 0);
    for (int n = 0; n < N; n++) {
        uint8_t y = (n % 2) ? 235 : 16; /* black/white at 15 Hz: 15 flashes a second */
        mv_yuv_fill(&frame, y, 128, 128);
        in[n] = mv_frame_luminance(&frame);
        mv_flash_limiter_apply(&f, n, &frame);
        out[n] = mv_frame_luminance(&frame);
    }
    assert_true(max_flashes_per_second(in, N, FPS) >= 14);
    int after = max_flashes_per_second(out, N, FPS);
    assert_true(after <= MV_FLASH_MAX_PER_SECOND);
    assert_true(f.max_flashes <= MV_FLASH_MAX_PER_SECOND && f.max_flashes >= 2);
    assert_true(f.attenuated > 0);
    /* a calm picture is never touched */
    mv_flash_limiter_init(&f, FPS);
    for (int n = 0; n < N; n++) {
        mv_yuv_fill(&frame, (uint8_t)(100 + n % 3), 128, 128);
        mv_flash_limiter_apply(&f, n, &frame);
        assert_int_equal(frame.plane[0][0], 100 + n % 3);
    }
    assert_int_equal(f.attenuated, 0);
    mv_yuv_free(&frame);
}

static void test_sync_report_fields(void **state)
{
    (void)state;
    song_analysis s;
    make_analysis(&s);
    double cuts[] = {2.25, 4.25, 5.0}; /* two on the beat, one off */
    mv_timed_line lines[2] = {{(char *)"a", 1, 2, NULL, NULL, 0}, {(char *)"b", 3, 4, NULL, NULL, 0}};
    mv_timed_lyrics lyrics = {lines, 2, MV_TIMING_SUNO, 0.8, 0};
    mv_render_stats stats;
    memset(&stats, 0, sizeof stats);
    stats.lines_total = 2;
    stats.lines_shown = 1;
    stats.max_flashes = 2;
    stats.beat_change = 3;
    stats.offbeat_change = 2;
    stats.beat_frames = 10;
    stats.video_seconds = 8.0;
    stats.audio_seconds = 7.99;
    mv_sync_report r;
    mv_sync_report_fill(&r, cuts, 3, &s.a, FPS, &lyrics, "lines", 0.5, &stats);
    char *text = mv_sync_report_json(&r);
    assert_non_null(text);
    cJSON *o = cJSON_Parse(text);
    assert_non_null(o);
    struct {
        const char *key;
        double want;
    } nums[] = {{"cuts", 3}, {"cuts_on_beat", 2}, {"cuts_on_beat_share", 0.667},
                {"av_difference_seconds", 0.01}, {"caption_confidence", 0.8},
                {"lines_total", 2}, {"lines_shown", 1}, {"lines_shown_share", 0.5},
                {"max_flashes_per_second", 2}, {"reactivity", 0.5},
                {"reactivity_measured", 1.5}};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, nums[i].key);
        if (!cJSON_IsNumber(v) || fabs(v->valuedouble - nums[i].want) > 1e-3)
            fail_msg("%s: want %g in %s", nums[i].key, nums[i].want, text);
    }
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(o, "caption_source")->valuestring,
                        "suno");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(o, "caption_mode")->valuestring,
                        "lines");
    char line[512];
    mv_sync_report_summary(text, line, sizeof line);
    assert_non_null(strstr(line, "2/3 cuts on the beat"));
    assert_non_null(strstr(line, "1/2 lines shown"));
    cJSON_Delete(o);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pulse_is_smooth_and_short),
        cmocka_unit_test(test_zero_reactivity_is_the_plain_motion),
        cmocka_unit_test(test_reactivity_on_and_off),
        cmocka_unit_test(test_flash_limiter),
        cmocka_unit_test(test_sync_report_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
