/*
 * test_paint_plan.c - a long song through the planner and the built-in painter: the song
 * whose chorus names "the window of the cabin by the pines" (the 96-second, 16-scene
 * case) no longer turns every scene into that window; the verses' sailboat, bridge, gulls,
 * lighthouse, railway, snow, fireworks, crowd, guitar, car and balloons are each drawn in some
 * scene and listed in its `drawn`; the storyboard keeps `drawn` and `unmatched` through a
 * save and load; scenes that are not planned repeats never look alike (the correlation of
 * their 32x18 grey thumbnails stays below 0.9); styles look different on the same plan
 * (colour statistics); and the same plan paints the same pixels.
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

#include "paint/mv_paint.h"
#include "plan/mv_plan.h"
#include "mv_test_util.h"
#include "test_plan_song.h"

#define TW 32
#define TH 18

static const char *const song_lyric =
    "[Verse 1]\n"
    "A sailboat leaves the harbor at dawn\n"
    "Gulls are crying over the old stone bridge\n"
    "[Chorus]\n"
    "Meet me at the window of the cabin by the pines\n"
    "Where I wait for you\n"
    "[Verse 2]\n"
    "The lighthouse turns its light across the bay\n"
    "A railway runs along the snow\n"
    "[Chorus]\n"
    "Meet me at the window of the cabin by the pines\n"
    "Where I wait for you\n"
    "[Bridge]\n"
    "Fireworks above the crowd\n"
    "A guitar plays in the summer night\n"
    "[Verse 3]\n"
    "Your car is waiting on the empty road\n"
    "Red balloons drift over the fair\n"
    "[Chorus]\n"
    "Meet me at the window of the cabin by the pines\n"
    "Where I wait for you\n";

static const double starts[] = {0.0, 12.0, 24.0, 36.0, 48.0, 60.0, 72.0, 84.0};
static const double energy[] = {0.3, 0.9, 0.35, 0.9, 0.6, 0.4, 0.95, 0.2};

typedef struct fixture {
    mv_analysis a;
    mv_lyrics l;
    mv_plan plan;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    test_song_make(&f->a, 96.0, 120.0, 0.0, starts, energy, 8);
    mv_error err;
    if (mv_lyrics_parse(song_lyric, &f->l, &err) != MAIVID_OK)
        return -1;
    mv_plan_input in;
    memset(&in, 0, sizeof in);
    in.analysis = &f->a;
    in.lyrics = &f->l;
    in.title = "The Cabin by the Pines";
    in.tags = "indie folk";
    in.style_id = "cinematic";
    in.scene_count = 16;
    in.motion = "auto";
    in.transition = "auto";
    in.transition_duration = 1.0;
    in.seed = 1234;
    if (mv_plan_build(&in, &f->plan, NULL, &err) != MAIVID_OK) {
        fprintf(stderr, "plan: %s\n", err.message);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    mv_plan_free(&f->plan);
    mv_lyrics_free(&f->l);
    test_song_free(&f->a);
    free(f);
    return 0;
}

static int listed(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (len == n && strncmp(p, word, n) == 0)
            return 1;
        p += len + (comma ? 1 : 0);
    }
    return 0;
}

static void test_verses_drawn_not_swallowed(void **state)
{
    fixture *f = *state;
    assert_int_equal(f->plan.scene_count, 16);
    for (size_t i = 0; i < f->plan.scene_count; i++) {
        const mv_plan_scene *s = &f->plan.scenes[i];
        assert_non_null(s->drawn);
        assert_non_null(s->unmatched);
        assert_true(*s->drawn != '\0');
        /* only the chorus, which names it, returns to the window */
        if (listed(s->drawn, "room") && strcmp(s->section, "chorus") != 0)
            fail_msg("scene %zu (%s: %s) is the chorus's window", i, s->section, s->lyrics);
    }
    static const char *const named[] = {"sailboat", "bridge",   "birds", "lighthouse",
                                        "train",    "snow",     "fireworks", "crowd",
                                        "guitar",   "car",      "balloons", "cabin"};
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++) {
        int found = 0;
        for (size_t i = 0; i < f->plan.scene_count; i++)
            found |= listed(f->plan.scenes[i].drawn, named[k]);
        if (!found)
            fail_msg("no scene draws the %s its lyric names", named[k]);
    }
}

static void test_storyboard_keeps_lists(void **state)
{
    fixture *f = *state;
    char *dir = mv_test_tmpdir("paint_plan");
    char *path = mv_strdup_printf("%s/storyboard.json", dir);
    mv_error err;
    assert_int_equal(mv_plan_save(&f->plan, path, &err), MAIVID_OK);
    mv_plan back;
    assert_int_equal(mv_plan_load(path, &back, &err), MAIVID_OK);
    assert_int_equal(back.scene_count, f->plan.scene_count);
    for (size_t i = 0; i < back.scene_count; i++) {
        assert_string_equal(back.scenes[i].drawn, f->plan.scenes[i].drawn);
        assert_string_equal(back.scenes[i].unmatched, f->plan.scenes[i].unmatched);
    }
    mv_plan_free(&back);
    free(path);
    free(dir);
}

/* A scene painted small, its 32x18 grey thumbnail, and its mean colour and spread. */
typedef struct shot {
    double grey[TW * TH];
    double mean[3], spread[3];
} shot;

static void paint_shot(const mv_plan_scene *s, const char *style, shot *out)
{
    const int w = TW * 6, h = TH * 6;
    mv_paint_request req = {s->prompt, style, (uint64_t)s->seed, w, h};
    uint8_t *rgb = NULL;
    mv_error err;
    if (mv_paint_rgb(&req, &rgb, &err) != MAIVID_OK)
        fail_msg("painting failed: %s", err.message);
    memset(out, 0, sizeof *out);
    double sq[3] = {0, 0, 0};
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            const uint8_t *p = rgb + ((size_t)y * w + x) * 3;
            out->grey[(y / 6) * TW + x / 6] += (0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2]) / 36.0;
            for (int c = 0; c < 3; c++) {
                out->mean[c] += p[c];
                sq[c] += (double)p[c] * p[c];
            }
        }
    for (int c = 0; c < 3; c++) {
        out->mean[c] /= (double)(w * h);
        out->spread[c] = sqrt(fmax(0.0, sq[c] / (double)(w * h) - out->mean[c] * out->mean[c]));
    }
    free(rgb);
}

static double correlation(const double *a, const double *b, int n)
{
    double ma = 0, mb = 0;
    for (int i = 0; i < n; i++) {
        ma += a[i];
        mb += b[i];
    }
    ma /= n;
    mb /= n;
    double sab = 0, saa = 0, sbb = 0;
    for (int i = 0; i < n; i++) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : 1.0;
}

/* The "recurring motif of ..." phrase of a prompt, up to its comma ("" when none). */
static void motif_phrase(const char *prompt, char *out, size_t size)
{
    const char *m = strstr(prompt, "recurring motif of ");
    size_t n = m ? strcspn(m, ",") : 0;
    if (n >= size)
        n = size - 1;
    memcpy(out, m ? m : "", n);
    out[n] = '\0';
}

/* Planned repeats: scenes of the same lyric, or of a section returning with its motif (a
 * chorus coming back on purpose). */
static int planned_repeat(const mv_plan_scene *a, const mv_plan_scene *b)
{
    char ma[128], mb[128];
    motif_phrase(a->prompt, ma, sizeof ma);
    motif_phrase(b->prompt, mb, sizeof mb);
    return (*a->lyrics && strcmp(a->lyrics, b->lyrics) == 0) || (*ma && strcmp(ma, mb) == 0);
}

static void test_never_the_same_picture(void **state)
{
    fixture *f = *state;
    size_t n = f->plan.scene_count;
    shot *shots = calloc(n, sizeof *shots);
    for (size_t i = 0; i < n; i++)
        paint_shot(&f->plan.scenes[i], "cinematic", &shots[i]);
    double worst = 0;
    size_t wi = 0, wj = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            if (planned_repeat(&f->plan.scenes[i], &f->plan.scenes[j]))
                continue;
            double r = correlation(shots[i].grey, shots[j].grey, TW * TH);
            if (r > worst) {
                worst = r;
                wi = i;
                wj = j;
            }
        }
    print_message("worst thumbnail correlation of unplanned pairs: %.3f (scenes %zu and %zu)\n",
                  worst, wi, wj);
    if (worst >= 0.9)
        fail_msg("scenes %zu and %zu look alike (thumbnail correlation %.3f):\n%s\n%s", wi, wj,
                 worst, f->plan.scenes[wi].prompt, f->plan.scenes[wj].prompt);
    /* the same plan paints the same pixels */
    shot again;
    paint_shot(&f->plan.scenes[3], "cinematic", &again);
    assert_memory_equal(again.grey, shots[3].grey, sizeof again.grey);
    free(shots);
}

static void test_styles_look_different(void **state)
{
    fixture *f = *state;
    static const char *const styles[] = {"cinematic", "anime",     "noir",    "cyberpunk",
                                         "watercolor", "oil_painting", "pixel_art", "vaporwave",
                                         "comic",     "retro_film"};
    enum { NS = sizeof styles / sizeof styles[0], NSC = 4 };
    double stats[NS][6];
    for (int k = 0; k < NS; k++) {
        memset(stats[k], 0, sizeof stats[k]);
        for (int i = 0; i < NSC; i++) {
            shot s;
            paint_shot(&f->plan.scenes[i * 4], styles[k], &s);
            for (int c = 0; c < 3; c++) {
                stats[k][c] += s.mean[c] / NSC;
                stats[k][3 + c] += s.spread[c] / NSC;
            }
        }
    }
    /* every pair of styles differs in its colour statistics by a visible amount */
    for (int a = 0; a < NS; a++)
        for (int b = a + 1; b < NS; b++) {
            double d = 0;
            for (int c = 0; c < 6; c++)
                d += fabs(stats[a][c] - stats[b][c]);
            if (d < 12.0)
                fail_msg("%s and %s have nearly the same colours (difference %.1f)", styles[a],
                         styles[b], d);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verses_drawn_not_swallowed),
        cmocka_unit_test(test_storyboard_keeps_lists),
        cmocka_unit_test(test_never_the_same_picture),
        cmocka_unit_test(test_styles_look_different),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
