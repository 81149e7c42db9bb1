/*
 * test_render_captions.c - burned-in captions: balanced two-row breaks; every style's text
 * and highlight colours keep 4.5:1 contrast against their outline; LRC line times become
 * caption times exact to the frame; captions are in the pixels of a real MP4 (decoded with
 * libavformat) while a line is sung and absent in the instrumental gap; karaoke highlights
 * word by word; the text stays inside the title-safe area on every aspect ratio; accented
 * and CJK text renders; the optional soft subtitle track holds one mov_text sample per line.
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

#include <libavformat/avformat.h>

#include "captions/mv_captions.h"
#include "engine/mv_job_captions.h"
#include "mv_test_util.h"
#include "render/mv_caption_burn.h"
#include "render/mv_frame_renderer.h"
#include "render/mv_render.h"
#include "render_test_util.h"

#define FPS 30

static void test_break_is_balanced(void **state)
{
    (void)state;
    assert_int_equal(mv_caption_break("Short line", 42), 0);
    const char *text = "We are fire in the midnight sky and golden stars that never die";
    size_t at = mv_caption_break(text, 42);
    assert_true(at > 0 && text[at] == ' ');
    size_t n = strlen(text);
    long a = (long)at, b = (long)(n - at - 1);
    assert_true(labs(a - b) <= 8); /* rows of about equal length */
    /* a comma near the middle is where the break goes */
    const char *clause = "Over mountains and rivers, yours and mine forever and ever";
    at = mv_caption_break(clause, 40);
    assert_true(at > 0 && clause[at - 1] == ',');
}

static double lin(double c)
{
    c /= 255;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(uint32_t rgb)
{
    return 0.2126 * lin((rgb >> 16) & 255) + 0.7152 * lin((rgb >> 8) & 255) +
           0.0722 * lin(rgb & 255);
}

static double contrast(uint32_t a, uint32_t b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

static void test_style_colours_contrast(void **state)
{
    (void)state;
    size_t n;
    const mv_style *styles = mv_styles(&n);
    for (size_t i = 0; i < n; i++) {
        const mv_style_caption *c = &styles[i].caption;
        assert_non_null(c->font);
        if (contrast(c->text, c->outline) < 4.5 || contrast(c->highlight, c->outline) < 4.5)
            fail_msg("style %s: caption contrast %.2f / %.2f is under 4.5:1",
                     styles[i].entry.id, contrast(c->text, c->outline),
                     contrast(c->highlight, c->outline));
    }
}

/* A one-scene plan over a flat picture, with captions from `lyrics`. */
typedef struct fixture {
    char *dir;
    char image[1024], song[1024], out[1024];
    mv_render_scene scene;
    mv_render_plan plan;
    mv_timeline tl;
} fixture;

static void fixture_init(fixture *fx, int w, int h, double seconds, uint8_t grey)
{
    memset(fx, 0, sizeof *fx);
    fx->dir = mv_test_tmpdir("render-captions");
    assert_non_null(fx->dir);
    snprintf(fx->image, sizeof fx->image, "%s/flat.ppm", fx->dir);
    snprintf(fx->song, sizeof fx->song, "%s/song.wav", fx->dir);
    snprintf(fx->out, sizeof fx->out, "%s/out.mp4", fx->dir);
    assert_int_equal(rt_write_solid_ppm(fx->image, w, h, grey, grey, grey), 0);
    mv_test_song song = {seconds, 0, 0, 0, 22050, 1};
    assert_int_equal(mv_test_write_song_wav(fx->song, &song), 0);
    mv_render_scene scene = {fx->image, 0, seconds, "static", "fade", 0, 0, NULL};
    fx->scene = scene;
    fx->plan.scenes = &fx->scene;
    fx->plan.scene_count = 1;
    fx->plan.audio_path = fx->song;
    fx->plan.width = w;
    fx->plan.height = h;
    fx->plan.fps = FPS;
    fx->plan.output_path = fx->out;
    fx->plan.caption_mode = MV_CAPTIONS_LINES;
    assert_int_equal(mv_timeline_build(&fx->plan, seconds, &fx->tl, NULL), MAIVID_OK);
}

static void fixture_free(fixture *fx)
{
    mv_timeline_free(&fx->tl);
    free(fx->dir);
}

static void parse_lrc(const char *text, double duration, mv_timed_lyrics *out)
{
    assert_int_equal(mv_user_timed_parse(text, duration, out, NULL), MAIVID_OK);
}

/* Pixels differing from the flat background in the frame. */
static long changed_pixels(const mv_yuv *f, uint8_t bg, int *x0, int *y0, int *x1, int *y1)
{
    long n = 0;
    *x0 = f->width;
    *y0 = f->height;
    *x1 = *y1 = -1;
    for (int j = 0; j < f->height; j++)
        for (int i = 0; i < f->width; i++)
            if (abs(f->plane[0][(size_t)j * f->stride[0] + i] - bg) > 2) {
                n++;
                *x0 = i < *x0 ? i : *x0;
                *y0 = j < *y0 ? j : *y0;
                *x1 = i > *x1 ? i : *x1;
                *y1 = j > *y1 ? j : *y1;
            }
    return n;
}

static void test_lrc_timing_is_frame_exact(void **state)
{
    (void)state;
    fixture fx;
    fixture_init(&fx, 320, 180, 6, 120);
    /* times between frames on purpose: 1.23 s is frame 36.9 -> first shown frame 37 */
    mv_timed_lyrics lyrics;
    /* the empty timed line ends the first line between frames too (2.49 s: frame 74.7) */
    parse_lrc("[00:01.23]First line here\n[00:02.49]\n[00:02.57]Second line\n"
              "[00:04.00][Instrumental]\n[00:05.01]Last one\n",
              6, &lyrics);
    assert_int_equal(lyrics.line_count, 3);
    assert_true(fabs(lyrics.lines[0].end - 2.49) < 1e-9);
    assert_true(fabs(lyrics.lines[1].end - 4.0) < 1e-9); /* ends at the marker */
    assert_true(fabs(lyrics.lines[2].end - 6.0) < 1e-9); /* clipped to the song */
    fx.plan.lyrics = &lyrics;
    mv_frame_renderer r;
    mv_yuv frame;
    assert_int_equal(mv_frame_renderer_init(&r, &fx.plan, &fx.tl, NULL), MAIVID_OK);
    assert_int_equal(mv_yuv_alloc(&frame, 320, 180), 0);
    uint8_t bg = 0;
    int shown[6 * FPS];
    for (int n = 0; n < 6 * FPS; n++) {
        assert_int_equal(mv_frame_renderer_draw(&r, (double)n / FPS, &frame, NULL), MAIVID_OK);
        if (n == 0)
            bg = frame.plane[0][10];
        int x0, y0, x1, y1;
        shown[n] = changed_pixels(&frame, bg, &x0, &y0, &x1, &y1) > 0;
    }
    for (size_t i = 0; i < lyrics.line_count; i++) {
        int first = (int)ceil(lyrics.lines[i].start * FPS - 1e-9);
        int last = (int)ceil(lyrics.lines[i].end * FPS - 1e-9) - 1;
        if (shown[first - 1] || !shown[first] || !shown[last] ||
            (last + 1 < 6 * FPS && shown[last + 1]))
            fail_msg("line %zu: expected frames %d..%d exactly (shown: %d %d %d %d)", i + 1,
                     first, last, shown[first - 1], shown[first], shown[last],
                     last + 1 < 6 * FPS ? shown[last + 1] : 0);
    }
    for (int n = 0; n < 37; n++)
        assert_false(shown[n]);
    mv_render_stats stats;
    memset(&stats, 0, sizeof stats);
    mv_frame_renderer_stats(&r, &stats);
    assert_int_equal(stats.lines_total, 3);
    assert_int_equal(stats.lines_shown, 3);
    mv_yuv_free(&frame);
    mv_frame_renderer_free(&r);
    mv_timed_lyrics_free(&lyrics);
    fixture_free(&fx);
}

static void count_warning(void *user_data, const char *text)
{
    (void)text;
    (*(int *)user_data)++;
}

static void write_job_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(mv_write_file_atomic(path, text, strlen(text), NULL), MAIVID_OK);
}

/* A job whose lyrics_timed.json is damaged renders the times its lyrics carry, read as the
 * timing step reads them (LRC or SRT), with a warning; damaged times give no captions. */
static void test_job_fallback_uses_the_lyrics_times(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("job-captions");
    assert_non_null(dir);
    char source[512];
    snprintf(source, sizeof source, "%s/source", dir);
    assert_int_equal(mv_mkdir_p(source, NULL), MAIVID_OK);
    int warnings = 0;
    mv_task task = {.user_data = &warnings, .warn = count_warning};
    mv_timed_lyrics l;

    /* no lyrics_timed.json, plain lyrics: nothing to burn in, no warning */
    write_job_file(dir, "source/lyrics.txt", "[Verse]\nJust words\n");
    assert_int_equal(mv_job_timed_lyrics(dir, 10, &l, &task, NULL), MAIVID_OK);
    assert_int_equal(l.line_count, 0);
    assert_int_equal(warnings, 0);

    write_job_file(dir, MV_TIMED_LYRICS_FILE, "{not json");
    write_job_file(dir, "source/lyrics.txt",
                   "[00:01.00]<00:01.00>Hold <00:01.50>on <00:02.00>\n[00:03.00][Solo]\n"
                   "[00:08.00]Last line\n");
    assert_int_equal(mv_job_timed_lyrics(dir, 10, &l, &task, NULL), MAIVID_OK);
    assert_int_equal(warnings, 1);
    assert_int_equal(l.line_count, 2);
    assert_int_equal(l.source, MV_TIMING_USER);
    assert_true(fabs(l.lines[0].end - 2.0) < 1e-9); /* the closing word tag */
    assert_int_equal(l.lines[0].word_count, 2);
    assert_string_equal(l.lines[1].section, "instrumental");
    assert_true(fabs(l.lines[1].end - 10.0) < 1e-9); /* clipped to the song */
    mv_timed_lyrics_free(&l);

    write_job_file(dir, "source/lyrics.txt",
                   "1\n00:00:02,000 --> 00:00:04,500\nAn SRT cue\n\n");
    assert_int_equal(mv_job_timed_lyrics(dir, 10, &l, &task, NULL), MAIVID_OK);
    assert_int_equal(l.line_count, 1);
    assert_true(fabs(l.lines[0].start - 2.0) < 1e-9 && fabs(l.lines[0].end - 4.5) < 1e-9);
    mv_timed_lyrics_free(&l);

    warnings = 0;
    write_job_file(dir, "source/lyrics.txt", "[00:01.00]Fine\n[01:99.00]Broken time\n");
    assert_int_equal(mv_job_timed_lyrics(dir, 10, &l, &task, NULL), MAIVID_OK);
    assert_int_equal(l.line_count, 0);
    assert_null(l.lines);
    assert_int_equal(warnings, 2); /* the damaged record, then the damaged times */

    assert_int_equal(mv_remove_tree(dir, NULL), MAIVID_OK);
    free(dir);
}

typedef struct decoded_check {
    const mv_timed_lyrics *lyrics;
    long sung_with_text, sung_frames, gap_with_text, gap_frames;
    int dark_outline;
} decoded_check;

static void check_decoded(void *user, const rt_frame *f, int64_t index)
{
    decoded_check *c = user;
    double t = (double)index / FPS;
    int sung = 0, near_edge = 0;
    for (size_t i = 0; i < c->lyrics->line_count; i++) {
        const mv_timed_line *l = &c->lyrics->lines[i];
        if (t >= l->start + 0.2 && t < l->end - 0.2)
            sung = 1;
        if (t >= l->start - 0.1 && t < l->end + 0.1)
            near_edge = 1;
    }
    long bright = 0, dark = 0;
    for (int j = f->height / 2; j < f->height; j++)
        for (int i = 0; i < f->width; i++) {
            uint8_t y = f->y[(size_t)j * f->width + i];
            bright += y > 200;
            dark += y < 40;
        }
    if (sung) {
        c->sung_frames++;
        c->sung_with_text += bright > 50;
        c->dark_outline += dark > 50;
    } else if (!near_edge) {
        c->gap_frames++;
        c->gap_with_text += bright > 0 || dark > 0;
    }
}

/* The MP4's mov_text track: one sample per line, at the line's start, lasting the line. */
static void check_subtitle_track(const char *path, const mv_timed_lyrics *lyrics)
{
    AVFormatContext *ic = NULL;
    assert_int_equal(avformat_open_input(&ic, path, NULL, NULL), 0);
    assert_true(avformat_find_stream_info(ic, NULL) >= 0);
    int s = av_find_best_stream(ic, AVMEDIA_TYPE_SUBTITLE, -1, -1, NULL, 0);
    assert_true(s >= 0);
    assert_int_equal(ic->streams[s]->codecpar->codec_id, AV_CODEC_ID_MOV_TEXT);
    AVPacket *pkt = av_packet_alloc();
    size_t n = 0;
    while (av_read_frame(ic, pkt) >= 0) {
        if (pkt->stream_index == s && pkt->size > 2) {
            AVRational tb = ic->streams[s]->time_base;
            assert_true(n < lyrics->line_count);
            const mv_timed_line *l = &lyrics->lines[n];
            assert_true(fabs(pkt->pts * av_q2d(tb) - l->start) < 0.002);
            assert_true(fabs(pkt->duration * av_q2d(tb) - (l->end - l->start)) < 0.002);
            size_t len = (size_t)(pkt->data[0] << 8 | pkt->data[1]);
            assert_int_equal(len, strlen(l->text));
            assert_memory_equal(pkt->data + 2, l->text, len);
            n++;
        }
        av_packet_unref(pkt);
    }
    assert_int_equal(n, lyrics->line_count);
    av_packet_free(&pkt);
    avformat_close_input(&ic);
}

static void test_captions_in_decoded_mp4(void **state)
{
    (void)state;
    fixture fx;
    fixture_init(&fx, 320, 180, 8, 128);
    mv_timed_lyrics lyrics;
    /* sung 0.5-2.9 and 5.5-7.9; an instrumental stretch from 3 s to 5.5 s */
    parse_lrc("[00:00.50]Blue lights on the harbor\n[00:03.00][Instrumental]\n"
              "[00:05.50]Café déjà vu, 夜の海\n",
              8, &lyrics);
    assert_int_equal(lyrics.line_count, 2);
    fx.plan.lyrics = &lyrics;
    fx.plan.subtitle_track = 1;
    mv_render_stats stats;
    memset(&stats, 0, sizeof stats);
    fx.plan.stats = &stats;
    assert_int_equal(mv_render_video(&fx.plan, NULL, NULL), MAIVID_OK);
    check_subtitle_track(fx.out, &lyrics);
    decoded_check c = {&lyrics, 0, 0, 0, 0, 0};
    assert_true(rt_decode_frames(fx.out, check_decoded, &c) == 8 * FPS);
    assert_true(c.sung_frames > 100 && c.gap_frames > 50);
    assert_int_equal(c.sung_with_text, c.sung_frames);   /* white text where sung */
    assert_int_equal(c.dark_outline, c.sung_frames);     /* with its dark outline */
    assert_int_equal(c.gap_with_text, 0);                /* nothing in the gap */
    assert_int_equal(stats.lines_shown, 2);
    assert_true(fabs(stats.video_seconds - stats.audio_seconds) <= 1.0 / FPS);
    mv_timed_lyrics_free(&lyrics);
    fixture_free(&fx);
}

/* Pixels of the frame whose chroma is the highlight's (gold: low Cb). */
static long gold_pixels(const mv_yuv *f)
{
    long n = 0;
    for (int j = 0; j < f->plane_h[1]; j++)
        for (int i = 0; i < f->plane_w[1]; i++)
            n += f->plane[1][(size_t)j * f->stride[1] + i] < 100;
    return n;
}

static void test_karaoke_highlights_word_by_word(void **state)
{
    (void)state;
    fixture fx;
    fixture_init(&fx, 640, 360, 5, 128);
    static const char *const words[] = {"Hold", "the", "moon", "tonight"};
    mv_timed_word w[4];
    for (int i = 0; i < 4; i++) {
        w[i].text = (char *)words[i];
        w[i].start = 1.0 + 0.6 * i;
        w[i].end = 1.0 + 0.6 * i + 0.5;
    }
    mv_timed_line line = {(char *)"Hold the moon tonight", 1.0, 4.0, NULL, w, 4};
    mv_timed_lyrics lyrics = {&line, 1, MV_TIMING_USER, 1.0, 1};
    fx.plan.lyrics = &lyrics;
    fx.plan.caption_mode = MV_CAPTIONS_KARAOKE;
    fx.plan.caption_look = &mv_style_find("cinematic")->caption; /* white, gold highlight */
    mv_frame_renderer r;
    mv_yuv frame;
    assert_int_equal(mv_frame_renderer_init(&r, &fx.plan, &fx.tl, NULL), MAIVID_OK);
    assert_int_equal(mv_yuv_alloc(&frame, 640, 360), 0);
    long previous = -1;
    /* just before the first word, then at the end of each word (before the next starts) */
    const double at[] = {1.0, 1.55, 2.15, 2.75, 3.35};
    for (int k = 0; k < 5; k++) {
        assert_int_equal(mv_frame_renderer_draw(&r, at[k], &frame, NULL), MAIVID_OK);
        long gold = gold_pixels(&frame);
        if (k == 0)
            assert_int_equal(gold, 0);
        else if (gold <= previous + 20)
            fail_msg("word %d: %ld highlighted pixels, no more than the %ld before", k, gold,
                     previous);
        previous = gold;
    }
    mv_yuv_free(&frame);
    mv_frame_renderer_free(&r);
    fixture_free(&fx);
}

static void test_inside_title_safe_area(void **state)
{
    (void)state;
    static const char *const aspects[] = {"16:9", "9:16", "1:1", "4:3", "21:9"};
    for (int a = 0; a < 5; a++) {
        int w, h;
        assert_int_equal(mv_frame_size(aspects[a], "480p", &w, &h, NULL), MAIVID_OK);
        fixture fx;
        fixture_init(&fx, w, h, 2, 128);
        mv_timed_line line = {(char *)"Morning comes across the desert sand, a quiet forest "
                                      "and a waiting hand",
                              0.0, 2.0, NULL, NULL, 0};
        mv_timed_lyrics lyrics = {&line, 1, MV_TIMING_USER, 1.0, 0};
        fx.plan.lyrics = &lyrics;
        mv_frame_renderer r;
        mv_yuv frame;
        assert_int_equal(mv_frame_renderer_init(&r, &fx.plan, &fx.tl, NULL), MAIVID_OK);
        assert_int_equal(mv_yuv_alloc(&frame, w, h), 0);
        assert_int_equal(mv_frame_renderer_draw(&r, 1.0, &frame, NULL), MAIVID_OK);
        int x0, y0, x1, y1;
        uint8_t bg = frame.plane[0][(size_t)(h / 4) * frame.stride[0] + 4];
        assert_true(changed_pixels(&frame, bg, &x0, &y0, &x1, &y1) > 100);
        mv_caption_layout l = mv_caption_layout_for(w, h);
        if (x0 < l.safe_x0 || x1 >= l.safe_x1 || y0 < l.safe_y0 || y1 >= l.safe_y1)
            fail_msg("%s %dx%d: text box %d,%d-%d,%d leaves the safe area %d,%d-%d,%d",
                     aspects[a], w, h, x0, y0, x1, y1, l.safe_x0, l.safe_y0, l.safe_x1,
                     l.safe_y1);
        /* two rows at most: the box is no taller than 2 rows plus outline and shadow */
        assert_true(y1 - y0 < 2 * 1.45 * l.font_size + 2 * l.outline + l.shadow);
        assert_true(mv_caption_break(line.text, l.max_chars) > 0); /* it did break */
        mv_yuv_free(&frame);
        mv_frame_renderer_free(&r);
        fixture_free(&fx);
    }
}

/* The blend's rule written per pixel, the plain way: alpha = coverage x opacity, luma per
 * pixel, chroma per 2x2 block from the coverage of the block's pixels inside the bitmap. */
static void blend_by_the_rule(mv_yuv *f, const unsigned char *bm, int stride, int w, int h,
                              int x, int y, int cy, int cu, int cv, int k)
{
    for (int j = 0; j < f->height; j++)
        for (int i = 0; i < f->width; i++)
            if (i >= x && i < x + w && j >= y && j < y + h) {
                int a = (bm[(j - y) * stride + (i - x)] * k + 127) / 255;
                uint8_t *d = &f->plane[0][j * f->stride[0] + i];
                *d = (uint8_t)(*d + (((cy - *d) * a + 128) >> 8));
            }
    for (int j = 0; j < f->height / 2; j++)
        for (int i = 0; i < f->width / 2; i++) {
            int sum = 0, inside = 0;
            for (int d = 0; d < 4; d++) {
                int lx = 2 * i + d % 2, ly = 2 * j + d / 2;
                if (lx >= x && lx < x + w && ly >= y && ly < y + h && lx < f->width &&
                    ly < f->height) {
                    sum += bm[(ly - y) * stride + (lx - x)];
                    inside = 1;
                }
            }
            if (!inside)
                continue;
            int a = (sum * k + 510) / 1020;
            uint8_t *u = &f->plane[1][j * f->stride[1] + i], *v = &f->plane[2][j * f->stride[2] + i];
            *u = (uint8_t)(*u + (((cu - *u) * a + 128) >> 8));
            *v = (uint8_t)(*v + (((cv - *v) * a + 128) >> 8));
        }
}

/* The fast blend (lookup tables, sixteen luma pixels a step with SSE2) gives exactly the
 * rule's pixels, for bitmaps at odd and even places, clipped on every edge, at several
 * opacities; a narrow bitmap (one SIMD step at most, the rest plain) and a wide one (three
 * steps and a tail), in a frame whose background runs through every luma level. */
static void test_blend_matches_the_rule(void **state)
{
    (void)state;
    static const int places[][2] = {{5, 3}, {-7, -4}, {30, 17}, {0, 0}, {33, -1}, {-2, 20}};
    static const double opacity[] = {1.0, 0.5, 0.031};
    static const unsigned alpha_byte[] = {0x00, 0x20}; /* opaque colour, a transparent one */
    static const int widths[] = {21, 57};
    enum { STRIDE = 61, FRAME_W = 96, FRAME_H = 26 };
    unsigned seed = 7;
    unsigned char bm[STRIDE * 16];
    for (size_t n = 0; n < sizeof bm; n++) {
        seed = seed * 1103515245u + 12345u;
        bm[n] = (unsigned char)(n % 5 == 0 ? 0 : (n % 7 == 0 ? 255 : seed >> 16));
    }
    for (size_t wi = 0; wi < sizeof widths / sizeof widths[0]; wi++)
        for (size_t p = 0; p < sizeof places / sizeof places[0]; p++)
            for (size_t o = 0; o < 6; o++) {
                mv_yuv fast, rule;
                assert_int_equal(mv_yuv_alloc(&fast, FRAME_W, FRAME_H), 0);
                assert_int_equal(mv_yuv_alloc(&rule, FRAME_W, FRAME_H), 0);
                for (int q = 0; q < 3; q++)
                    for (int j = 0; j < fast.plane_h[q]; j++)
                        for (int i = 0; i < fast.plane_w[q]; i++)
                            fast.plane[q][j * fast.stride[q] + i] =
                                rule.plane[q][j * rule.stride[q] + i] =
                                    (uint8_t)((i * 7 + j * 3 * 37) % 256);
                /* colour 0xF0C080, its Y'CbCr as mv_caption_blend converts it */
                unsigned transparency = alpha_byte[o % 2], rgba = 0xF0C08000u | transparency;
                double r = 0xF0, g = 0xC0, b = 0x80, l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
                int k = (int)lrint(256.0 * opacity[o / 2] * (255 - transparency) / 255);
                int w = widths[wi], x = places[p][0] * (wi + 1), y = places[p][1];
                blend_by_the_rule(&rule, bm, STRIDE, w, 16, x, y,
                                  (int)lrint(16 + 219 * l / 255),
                                  (int)lrint(128 + 224 * (b - l) / (1.8556 * 255)),
                                  (int)lrint(128 + 224 * (r - l) / (1.5748 * 255)), k);
                mv_caption_blend(&fast, bm, STRIDE, w, 16, x, y, rgba, opacity[o / 2]);
                for (int q = 0; q < 3; q++)
                    for (int j = 0; j < fast.plane_h[q]; j++)
                        assert_memory_equal(fast.plane[q] + j * fast.stride[q],
                                            rule.plane[q] + j * rule.stride[q],
                                            (size_t)fast.plane_w[q]);
                mv_yuv_free(&fast);
                mv_yuv_free(&rule);
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_break_is_balanced),
        cmocka_unit_test(test_style_colours_contrast),
        cmocka_unit_test(test_lrc_timing_is_frame_exact),
        cmocka_unit_test(test_job_fallback_uses_the_lyrics_times),
        cmocka_unit_test(test_captions_in_decoded_mp4),
        cmocka_unit_test(test_karaoke_highlights_word_by_word),
        cmocka_unit_test(test_inside_title_safe_area),
        cmocka_unit_test(test_blend_matches_the_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
