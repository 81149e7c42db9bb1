/*
 * bench_parallax.c - what the parallax motion costs the render (issue 18: at most 10%):
 * paints six scenes with the built-in painter (flat pictures and their depth layers, as a
 * job's scenes/ folder holds them), then renders the same 1080p30 job with every scene
 * ken_burns and with every scene parallax, alternating, and prints the wall and CPU time of
 * each and the ratio parallax / ken_burns (the median over the repeats). With --draw only
 * the frames are drawn (no encoding): the motion's own cost per frame.
 *
 *   bench_parallax [--res 1080p|720p|480p] [--seconds N] [--repeat N] [--draw] [--keep]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench_workload.h"
#include "paint/mv_paint.h"
#include "render/mv_frame_renderer.h"
#include "render/mv_layer_stack.h"
#include "render/mv_render.h"

#define BP_SCENES 6
#define BP_MAX_REPEAT 20

static const char *const bp_prompts[BP_SCENES] = {
    "a lighthouse on the rocks, gulls over the sea at dusk",
    "pine forest by the lake, mountains, morning mist",
    "neon city street at night, a car, rain",
    "lovers dancing by the church at dusk, trees",
    "the window of the cabin by the pines, snow",
    "fishing boats in the harbor under the old moon, lanterns",
};

static double bp_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

static int bp_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct bp_job {
    char dir[4096], song[4200], out[4200], pictures[BP_SCENES][4200];
    mv_render_scene scenes[BP_SCENES];
    mv_render_plan plan;
} bp_job;

static int bp_prepare(bp_job *j, const char *res, double seconds)
{
    int w, h;
    if (mv_frame_size("16:9", res, &w, &h, NULL) != MAIVID_OK)
        return -1;
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(j->dir, sizeof j->dir, "%s/bench-parallax-XXXXXX", tmp);
    if (!mkdtemp(j->dir))
        return -1;
    snprintf(j->song, sizeof j->song, "%s/song.wav", j->dir);
    snprintf(j->out, sizeof j->out, "%s/video.mp4", j->dir);
    if (bench_write_song(j->song, seconds) != 0)
        return -1;
    for (int i = 0; i < BP_SCENES; i++) {
        snprintf(j->pictures[i], sizeof j->pictures[i], "%s/scene_%03d.png", j->dir, i + 1);
        char *layers = mv_layer_stack_path(j->pictures[i]);
        /* the size the engine asks the painter for: the frame plus the motion headroom */
        mv_paint_request req = {bp_prompts[i], "cinematic", 7 + (uint64_t)i,
                                (int)(w * 1.2) / 2 * 2, (int)(h * 1.2) / 2 * 2};
        mv_error err;
        int rc = layers ? mv_paint_to_png_layers(&req, j->pictures[i], layers, &err) : 1;
        free(layers);
        if (rc != MAIVID_OK) {
            fprintf(stderr, "bench_parallax: painting failed: %s\n", err.message);
            return -1;
        }
        mv_render_scene s = {j->pictures[i], seconds * i / BP_SCENES,
                             seconds * (i + 1) / BP_SCENES, "ken_burns", "fade", 1.0,
                             (uint32_t)(i * 7 + 3), NULL};
        j->scenes[i] = s;
    }
    mv_render_plan plan = {j->scenes, BP_SCENES, j->song, w,    h,    30, j->out,
                           NULL,      NULL,      NULL,    0, NULL, NULL, 0,  NULL, 0, NULL, NULL, NULL};
    j->plan = plan;
    return 0;
}

/* Draws every frame without encoding. */
static int bp_draw(bp_job *j)
{
    mv_timeline tl;
    mv_frame_renderer r;
    mv_yuv frame;
    mv_error err;
    double seconds = j->scenes[BP_SCENES - 1].end;
    if (mv_timeline_build(&j->plan, seconds, &tl, &err) != MAIVID_OK)
        return -1;
    int rc = mv_frame_renderer_init(&r, &j->plan, &tl, &err) == MAIVID_OK &&
                     mv_yuv_alloc(&frame, j->plan.width, j->plan.height) == 0
                 ? 0
                 : -1;
    for (int64_t n = 0; rc == 0 && n < tl.frames; n++)
        if (mv_frame_renderer_draw(&r, (double)n / tl.fps, &frame, &err) != MAIVID_OK)
            rc = -1;
    if (rc != 0)
        fprintf(stderr, "bench_parallax: %s\n", err.message);
    mv_yuv_free(&frame);
    mv_frame_renderer_free(&r);
    mv_timeline_free(&tl);
    return rc;
}

static int bp_run(bp_job *j, const char *motion, int draw, double *wall, double *cpu)
{
    for (int i = 0; i < BP_SCENES; i++)
        j->scenes[i].motion = motion;
    mv_error err;
    double t0 = mv_monotonic(), c0 = bp_cpu();
    int rc = draw ? bp_draw(j) : (mv_render_video(&j->plan, NULL, &err) == MAIVID_OK ? 0 : -1);
    *wall = mv_monotonic() - t0;
    *cpu = bp_cpu() - c0;
    if (rc != 0 && !draw)
        fprintf(stderr, "bench_parallax: render failed: %s\n", err.message);
    return rc;
}

int main(int argc, char **argv)
{
    const char *res = "1080p";
    double seconds = 30;
    int repeat = 3, draw = 0, keep = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--res") == 0 && i + 1 < argc)
            res = argv[++i];
        else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (strcmp(argv[i], "--draw") == 0)
            draw = 1;
        else if (strcmp(argv[i], "--keep") == 0)
            keep = 1;
        else {
            fprintf(stderr, "usage: bench_parallax [--res 1080p|720p|480p] [--seconds N] "
                            "[--repeat 1..20] [--draw] [--keep]\n");
            return 2;
        }
    }
    if (repeat < 1 || repeat > BP_MAX_REPEAT || !(seconds >= 6)) {
        fprintf(stderr, "bench_parallax: --repeat is 1..20 and --seconds at least 6\n");
        return 2;
    }
    bp_job j;
    memset(&j, 0, sizeof j);
    if (bp_prepare(&j, res, seconds) != 0) {
        fprintf(stderr, "bench_parallax: cannot prepare the job (resolution %s?)\n", res);
        return 1;
    }
    printf("%s %s of %.0f s, %d painted scenes, %d repeats (%s)\n", draw ? "drawing" : "render",
           res, seconds, BP_SCENES, repeat, j.dir);
    double wall_ratio[BP_MAX_REPEAT], cpu_ratio[BP_MAX_REPEAT];
    int rc = 0;
    for (int r = 0; r < repeat && rc == 0; r++) {
        double kw, kc, pw, pc;
        rc = bp_run(&j, "ken_burns", draw, &kw, &kc);
        if (rc == 0)
            rc = bp_run(&j, "parallax", draw, &pw, &pc);
        if (rc != 0)
            break;
        wall_ratio[r] = pw / kw;
        cpu_ratio[r] = pc / kc;
        printf("  run %d: ken_burns %.2f s (CPU %.2f s), parallax %.2f s (CPU %.2f s): "
               "ratio wall %.3f, CPU %.3f\n", r + 1, kw, kc, pw, pc, wall_ratio[r],
               cpu_ratio[r]);
    }
    if (rc == 0) {
        qsort(wall_ratio, (size_t)repeat, sizeof wall_ratio[0], bp_cmp);
        qsort(cpu_ratio, (size_t)repeat, sizeof cpu_ratio[0], bp_cmp);
        printf("parallax / ken_burns (median): wall %.3f, CPU %.3f (target <= 1.10)\n",
               wall_ratio[repeat / 2], cpu_ratio[repeat / 2]);
    }
    if (!keep) {
        for (int i = 0; i < BP_SCENES; i++) {
            char *layers = mv_layer_stack_path(j.pictures[i]);
            if (layers)
                unlink(layers);
            free(layers);
            unlink(j.pictures[i]);
        }
        unlink(j.song);
        unlink(j.out);
        rmdir(j.dir);
    }
    return rc == 0 ? 0 : 1;
}
