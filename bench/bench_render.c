/*
 * bench_render.c - the render benchmark (issue 3). In one run: renders a fixed 60-second
 * 1080p30 video (6 scenes, fade transitions, the song's audio) with mv_render_video, then
 * encodes the same number of frames with the same encoder settings from frames already in
 * memory, and prints both times and their ratio (target <= 1.15).
 * `--long` instead compares the peak memory (RSS) of rendering a 1-minute and a 10-minute
 * song, each in a child process (target: within 10%).
 * Options: --res 1080p|720p|480p (default 1080p; --long defaults to 480p), --seconds N
 * (render length, default 60), --keep (keep the work folder), --phases (print when each
 * phase of the render started), --repeat N (alternate N render and encode-only runs and
 * print the median ratio and the ratio of the fastest runs: on a shared machine the load
 * changes between the two phases of a single run), --draw (only draw the frames, no
 * encoding: the cost of motion and transitions per frame), --extras (the cost of burned-in
 * captions and beat motion: alternates renders without and with them, lyrics every 4 s and
 * reactivity 0.5, and prints the CPU and wall-time ratios; target <= 1.05), --pulse VIDEO.mp4
 * (only the keyframe pulsing of that video, bench_pulse.c). After each render it prints the
 * keyframe pulsing of its output and the drawn frames' own ratio at the worst keyframe.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_extras.h"
#include "bench_pulse.h"
#include "bench_reference.h"
#include "bench_workload.h"
#include "render/mv_caption_burn.h"
#include "render/mv_frame_renderer.h"
#include "render/mv_render.h"
#include "render/mv_render_encoder.h"
#include "render/mv_scene_image.h"

#define BENCH_SCENES 6
#define BENCH_FPS 30
#define BENCH_MAX_REPEAT 20

typedef struct bench_setup {
    char dir[4096], song[4200], out[4200];
    char pictures[BENCH_SCENES][4200];
    mv_render_scene scenes[BENCH_SCENES];
    mv_render_plan plan;
} bench_setup;

static int bench_prepare(bench_setup *b, const char *res, double seconds, const char *pictures)
{
    int w, h;
    if (mv_frame_size("16:9", res, &w, &h, NULL) != MAIVID_OK) {
        fprintf(stderr, "unknown resolution %s: use 480p, 720p or 1080p\n", res);
        return -1;
    }
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(b->dir, sizeof b->dir, "%s/bench-render-XXXXXX", tmp);
    if (!mkdtemp(b->dir)) {
        perror("mkdtemp");
        return -1;
    }
    snprintf(b->song, sizeof b->song, "%s/song.wav", b->dir);
    snprintf(b->out, sizeof b->out, "%s/video.mp4", b->dir);
    /* pictures like a generator's: a little larger than the frame, other shape */
    if (bench_write_pictures(b->dir, BENCH_SCENES, w * 17 / 16, h * 9 / 8) != 0 ||
        bench_write_song(b->song, seconds) != 0) {
        fprintf(stderr, "cannot write the workload into %s\n", b->dir);
        return -1;
    }
    static const char *const motions[] = {"ken_burns", "zoom_in", "ken_burns",
                                          "pan_left", "ken_burns", "zoom_out"};
    /* scenes of unequal length, as a song's sections are: 14, 8, 22, 12, 26 and 18 % */
    static const double ends[] = {0.14, 0.22, 0.44, 0.56, 0.82, 1.0};
    for (int i = 0; i < BENCH_SCENES; i++) {
        if (pictures) /* a job's painted scenes instead of the synthetic pictures */
            snprintf(b->pictures[i], sizeof b->pictures[i], "%s/scene_%03d.png", pictures, i + 1);
        else
            snprintf(b->pictures[i], sizeof b->pictures[i], "%s/scene-%d.ppm", b->dir, i);
        mv_render_scene s = {b->pictures[i], i ? seconds * ends[i - 1] : 0,
                             seconds * ends[i], motions[i], "fade", 1.0,
                             (uint32_t)(i * 7 + 3), NULL};
        b->scenes[i] = s;
    }
    mv_render_plan plan = {b->scenes, BENCH_SCENES, b->song, w,    h,    BENCH_FPS, b->out,
                           NULL,      NULL,         NULL,    0, NULL, NULL, 0,         NULL, 0, NULL, NULL, NULL};
    b->plan = plan;
    return 0;
}

static double bench_render_cpu;

static int bench_compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* With --phases: when each phase of the render was first reported (seconds from start; the
 * audio is measured first, then encoded beside the frames). */
typedef struct bench_phases {
    double start, audio, frames, frames_done, mux, ready;
    char last_text[32];
} bench_phases;

static void bench_phase_progress(void *user, double fraction, const char *text)
{
    bench_phases *p = user;
    double t = mv_monotonic() - p->start;
    (void)fraction;
    if (!text)
        return;
    if (strncmp(text, "reading the audio", 17) == 0 && !p->audio)
        p->audio = t;
    else if (strncmp(text, "rendering frame", 15) == 0) {
        if (!p->frames)
            p->frames = t;
        p->frames_done = t;
    } else if (strncmp(text, "writing the MP4", 15) == 0 && !p->mux)
        p->mux = t;
    else if (strncmp(text, "video ready", 11) == 0)
        p->ready = t;
}

static int bench_render_once(bench_setup *b, double *elapsed, int show_phases)
{
    mv_error err = {0};
    bench_phases phases = {0};
    mv_task task = {bench_phase_progress, &phases, NULL, NULL};
    double t0 = mv_monotonic(), c0 = bench_cpu_seconds();
    phases.start = t0;
    maivid_code rc = mv_render_video(&b->plan, show_phases ? &task : NULL, &err);
    *elapsed = mv_monotonic() - t0;
    if (show_phases && rc == MAIVID_OK)
        printf("phases (s from start): audio %.2f, first frames %.2f, last frames %.2f, "
               "mux %.2f, ready %.2f\n", phases.audio, phases.frames, phases.frames_done,
               phases.mux, phases.ready);
    bench_render_cpu = bench_cpu_seconds() - c0;
    if (rc != MAIVID_OK) {
        fprintf(stderr, "render failed: %s\n", err.message);
        return -1;
    }
    return 0;
}

/* Draws every frame of the workload on this thread, no encoding: the drawing cost alone. */
static int bench_draw_only(bench_setup *b, int64_t frames)
{
    const mv_render_plan *p = &b->plan;
    mv_timeline tl;
    mv_frame_renderer r;
    mv_yuv out;
    if (mv_timeline_build(p, p->scenes[BENCH_SCENES - 1].end, &tl, NULL) != MAIVID_OK)
        return -1;
    if (mv_frame_renderer_init(&r, p, &tl, NULL) != MAIVID_OK || mv_yuv_alloc(&out, p->width,
                                                                             p->height) != 0) {
        mv_timeline_free(&tl);
        return -1;
    }
    double t0 = mv_monotonic(), c0 = bench_cpu_seconds();
    int rc = 0;
    for (int64_t n = 0; rc == 0 && n < frames; n++)
        rc = mv_frame_renderer_draw(&r, (double)n / p->fps, &out, NULL) == MAIVID_OK ? 0 : -1;
    double wall = mv_monotonic() - t0, cpu = bench_cpu_seconds() - c0;
    if (rc == 0)
        printf("drawing only (scene loads, motion, transitions; no encoding): %lld frames in "
               "%.2f s wall, %.2f CPU-s: %.2f ms per frame\n", (long long)frames, wall, cpu,
               1000 * cpu / frames);
    mv_yuv_free(&out);
    mv_frame_renderer_free(&r);
    mv_timeline_free(&tl);
    return rc;
}

/* Renders in a child process and returns its peak RSS in KiB (or -1). */
static long bench_child_peak_rss(const char *res, double seconds, double *elapsed)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        bench_setup b;
        double t = 0;
        int rc = bench_prepare(&b, res, seconds, NULL) == 0 ? bench_render_once(&b, &t, 0) : -1;
        if (write(fds[1], &t, sizeof t) != (ssize_t)sizeof t)
            rc = -1;
        mv_remove_tree(b.dir, NULL);
        _exit(rc == 0 ? 0 : 1);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return -1;
    }
    if (read(fds[0], elapsed, sizeof *elapsed) != (ssize_t)sizeof *elapsed)
        *elapsed = -1;
    close(fds[0]);
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    return ru.ru_maxrss;
}

static int bench_memory(const char *res)
{
    double t1 = 0, t10 = 0;
    long short_rss = bench_child_peak_rss(res, 60, &t1);
    long long_rss = bench_child_peak_rss(res, 600, &t10);
    if (short_rss < 0 || long_rss < 0) {
        fprintf(stderr, "a memory run failed\n");
        return 1;
    }
    printf("peak RSS, %s30, 1-minute song:  %ld KiB (render %.1f s)\n", res, short_rss, t1);
    printf("peak RSS, %s30, 10-minute song: %ld KiB (render %.1f s)\n", res, long_rss, t10);
    printf("10-minute / 1-minute: %.3f (target <= 1.10)\n", (double)long_rss / short_rss);
    return 0;
}

static double bench_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof v[0], bench_compare_doubles);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Which extras --extras adds: captions, beat motion or both (--extras-part). */
typedef enum { BENCH_EXTRAS_BOTH, BENCH_EXTRAS_CAPTIONS, BENCH_EXTRAS_BEAT } bench_extras_part;

/* The encoder alone (in-process) on the frames of the render just written to b->out:
 * its CPU seconds in *cpu. */
static int bench_reference_cpu(bench_setup *b, const char *name, double *cpu)
{
    bench_raw raw;
    memset(&raw, 0, sizeof raw);
    snprintf(raw.path, sizeof raw.path, "%s/%s.yuv", b->dir, name);
    bench_timing t;
    int rc = bench_decode_raw(b->out, &raw);
    if (rc == 0)
        rc = bench_encode_raw(&raw, &t);
    unlink(raw.path);
    free(raw.key);
    *cpu = rc == 0 ? t.cpu : 0;
    return rc;
}

/* Renders without and with captions + beat motion, alternating, and prints the cost: the
 * whole render's CPU ratio, and that ratio split into what the encoder alone needs more for
 * the new frames (text edges, a picture that moves on the beat: encoded by the same libx264
 * settings from the decoded frames of each render) and what our own drawing adds. */
static int bench_extras_cost(bench_setup *b, double seconds, int repeat, bench_extras_part part)
{
    bench_extras x;
    if (bench_extras_make(&x, seconds) != 0) {
        fprintf(stderr, "out of memory for the captions workload\n");
        return 1;
    }
    double cpu_ratio[BENCH_MAX_REPEAT], wall_ratio[BENCH_MAX_REPEAT];
    double enc_ratio[BENCH_MAX_REPEAT], own_cost[BENCH_MAX_REPEAT];
    mv_render_stats stats;
    int rc = 0;
    for (int r = 0; rc == 0 && r < repeat; r++) {
        double plain_s = 0, extras_s = 0, plain_cpu = 0, extras_cpu = 0, ref_plain = 0,
               ref_extras = 0;
        mv_render_plan plain = b->plan;
        rc = bench_render_once(b, &plain_s, 0);
        plain_cpu = bench_render_cpu;
        if (rc == 0)
            rc = bench_reference_cpu(b, "plain", &ref_plain);
        if (part != BENCH_EXTRAS_BEAT) {
            b->plan.lyrics = &x.lyrics;
            b->plan.caption_mode = MV_CAPTIONS_LINES;
        }
        b->plan.analysis = &x.analysis;
        b->plan.reactivity = part != BENCH_EXTRAS_CAPTIONS ? 0.5 : 0;
        memset(&stats, 0, sizeof stats);
        b->plan.stats = &stats;
        if (rc == 0)
            rc = bench_render_once(b, &extras_s, 0);
        extras_cpu = bench_render_cpu;
        b->plan = plain;
        if (rc == 0)
            rc = bench_reference_cpu(b, "extras", &ref_extras);
        if (rc != 0)
            break;
        cpu_ratio[r] = extras_cpu / plain_cpu;
        wall_ratio[r] = extras_s / plain_s;
        enc_ratio[r] = ref_extras / ref_plain;
        /* our own added work: how much render / encoder-alone grows (each render against
         * the encoder alone on its own frames) */
        own_cost[r] = (extras_cpu / ref_extras) / (plain_cpu / ref_plain) - 1;
        printf("run %d of %d: plain %.2f s (%.2f CPU-s), with extras %.2f s (%.2f CPU-s): CPU "
               "ratio %.3f, wall ratio %.3f; encoder alone on each render's frames %.2f vs "
               "%.2f CPU-s (ratio %.3f); render / encoder CPU %.3f plain, %.3f with extras: "
               "our own drawing adds %.1f %%\n", r + 1, repeat, plain_s, plain_cpu, extras_s,
               extras_cpu, cpu_ratio[r], wall_ratio[r], ref_plain, ref_extras, enc_ratio[r],
               plain_cpu / ref_plain, extras_cpu / ref_extras, 100 * own_cost[r]);
    }
    if (rc == 0) {
        static const char *const names[] = {"captions + reactivity", "captions only",
                                            "reactivity only"};
        printf("captions shown: %zu of %zu lines; beat/off-beat picture change %.2f\n",
               stats.lines_shown, stats.lines_total,
               stats.offbeat_change > 0 ? stats.beat_change / stats.offbeat_change : 0);
        printf("%s, medians of %d runs: whole render CPU ratio %.3f (wall %.3f), of which the "
               "encoder alone needs %.3f more for the new frames and our own drawing adds "
               "%.1f %% (target: our cost <= 5 %% of render time)\n", names[part], repeat,
               bench_median(cpu_ratio, repeat), bench_median(wall_ratio, repeat),
               bench_median(enc_ratio, repeat), 100 * bench_median(own_cost, repeat));
    }
    bench_extras_free(&x);
    return rc == 0 ? 0 : 1;
}

/* Prints the encoder-alone times on raw (in-process, then the ffmpeg CLI when installed);
 * in->wall / cli->wall stay 0 when that reference failed or is missing. */
static int bench_reference_times(const bench_raw *raw, bench_timing *in, bench_timing *cli)
{
    memset(cli, 0, sizeof *cli);
    if (bench_encode_raw(raw, in) != 0) {
        fprintf(stderr, "the in-process reference encode failed\n");
        return -1;
    }
    printf("encoder alone, in-process (same encoder settings, %lld frames read from the raw "
           "file): %.2f s, %.2f CPU-s, %lld bytes\n", (long long)raw->frames, in->wall, in->cpu,
           (long long)in->bytes);
    int c = bench_encode_raw_cli(raw, cli);
    if (c == 0)
        printf("encoder alone, ffmpeg CLI (same settings): %.2f s, %.2f CPU-s, %lld bytes, "
               "peak RSS %ld KiB\n", cli->wall, cli->cpu, (long long)cli->bytes, cli->peak_kib);
    else
        printf("encoder alone, ffmpeg CLI: %s\n", c > 0 ? "no ffmpeg on PATH, skipped" : "failed");
    if (c != 0)
        cli->wall = 0;
    return 0;
}

/* plan (may be NULL): the render's, to say what the drawn frames themselves do there. */
static int bench_print_pulse(const char *mp4, const mv_render_plan *plan, double seconds)
{
    bench_pulse p;
    if (bench_pulse_measure(mp4, &p) != 0)
        return -1;
    printf("keyframe pulsing: worst %.2f (frame %lld), mean %.2f over %lld keyframes "
           "(target <= 1.5); video stream %lld bytes\n", p.worst, (long long)p.worst_frame,
           p.mean, (long long)p.keyframes, (long long)p.bytes);
    if (plan && p.keyframes > 0)
        printf("the drawn frames' own ratio at frame %lld (before encoding): %.2f\n",
               (long long)p.worst_frame, bench_pulse_drawn_ratio(plan, seconds, p.worst_frame));
    return 0;
}

/* --reference FILE.mp4: the encoder alone on that video's frames (for bench/bench_job.sh). */
static int bench_reference_only(const char *mp4, int repeat)
{
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    bench_raw raw;
    memset(&raw, 0, sizeof raw);
    mv_render_quiet_ffmpeg_logs();
    snprintf(raw.path, sizeof raw.path, "%s/bench-reference-%d.yuv", tmp, (int)getpid());
    int rc = bench_decode_raw(mp4, &raw);
    double in[BENCH_MAX_REPEAT], cli[BENCH_MAX_REPEAT];
    int ncli = 0;
    for (int r = 0; rc == 0 && r < repeat; r++) {
        bench_timing ti, tc;
        rc = bench_reference_times(&raw, &ti, &tc);
        in[r] = ti.wall;
        if (tc.wall > 0)
            cli[ncli++] = tc.wall;
    }
    unlink(raw.path);
    free(raw.key);
    if (rc != 0)
        return 1;
    printf("reference median: in-process %.2f s", bench_median(in, repeat));
    if (ncli)
        printf(", ffmpeg CLI %.2f s", bench_median(cli, ncli));
    printf("\n");
    bench_print_pulse(mp4, NULL, 0);
    return 0;
}

/* The render against the encoder alone on the render's own frames, `repeat` times
 * back to back, with the medians of the ratios. */
static int bench_against_encoder(bench_setup *b, double seconds, int repeat, int show_phases)
{
    bench_raw raw;
    memset(&raw, 0, sizeof raw);
    snprintf(raw.path, sizeof raw.path, "%s/frames.yuv", b->dir);
    double r_in[BENCH_MAX_REPEAT], r_cli[BENCH_MAX_REPEAT], r_cpu[BENCH_MAX_REPEAT];
    int ncli = 0, rc = 0;
    for (int r = 0; rc == 0 && r < repeat; r++) {
        double render_s = 0;
        rc = bench_render_once(b, &render_s, show_phases);
        double render_cpu = bench_render_cpu;
        if (rc == 0 && r == 0) {
            printf("workload: %.0f s, %dx%d @ %d fps, %d scenes, fade transitions, AAC audio\n",
                   seconds, b->plan.width, b->plan.height, BENCH_FPS, BENCH_SCENES);
            bench_print_pulse(b->out, &b->plan, seconds);
            fflush(stdout);
            rc = bench_decode_raw(b->out, &raw);
        }
        bench_timing ti, tc;
        if (rc == 0)
            rc = bench_reference_times(&raw, &ti, &tc);
        if (rc != 0)
            break;
        printf("run %d of %d: render %.2f s (%.2f CPU-s): render / encoder in-process %.3f "
               "(CPU %.3f)", r + 1, repeat, render_s, render_cpu, render_s / ti.wall,
               render_cpu / ti.cpu);
        if (tc.wall > 0)
            printf(", render / ffmpeg CLI %.3f (CPU %.3f)", render_s / tc.wall,
                   render_cpu / tc.cpu);
        printf(" (target <= 1.15)\n");
        r_in[r] = render_s / ti.wall;
        r_cpu[r] = render_cpu / ti.cpu;
        if (tc.wall > 0)
            r_cli[ncli++] = render_s / tc.wall;
    }
    unlink(raw.path);
    free(raw.key);
    if (rc == 0) {
        printf("median of %d runs: render / encoder in-process %.3f (CPU %.3f)", repeat,
               bench_median(r_in, repeat), bench_median(r_cpu, repeat));
        if (ncli)
            printf(", render / ffmpeg CLI %.3f", bench_median(r_cli, ncli));
        printf(" (target <= 1.15)\n");
    }
    return rc;
}

int main(int argc, char **argv)
{
    const char *res = NULL;
    double seconds = 60;
    int long_mode = 0, keep = 0, show_phases = 0, repeat = 1, draw_only = 0, extras = 0;
    bench_extras_part extras_part = BENCH_EXTRAS_BOTH;
    const char *reference = NULL, *pictures = NULL, *pulse_only = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--long") == 0)
            long_mode = 1;
        else if (strcmp(argv[i], "--keep") == 0)
            keep = 1;
        else if (strcmp(argv[i], "--draw") == 0)
            draw_only = 1;
        else if (strcmp(argv[i], "--extras") == 0)
            extras = 1;
        else if (strcmp(argv[i], "--extras-part") == 0 && i + 1 < argc &&
                 (strcmp(argv[i + 1], "captions") == 0 || strcmp(argv[i + 1], "beat") == 0)) {
            extras = 1;
            extras_part = strcmp(argv[++i], "captions") == 0 ? BENCH_EXTRAS_CAPTIONS
                                                             : BENCH_EXTRAS_BEAT;
        }
        else if (strcmp(argv[i], "--pictures") == 0 && i + 1 < argc)
            pictures = argv[++i];
        else if (strcmp(argv[i], "--reference") == 0 && i + 1 < argc)
            reference = argv[++i];
        else if (strcmp(argv[i], "--pulse") == 0 && i + 1 < argc)
            pulse_only = argv[++i];
        else if (strcmp(argv[i], "--phases") == 0)
            show_phases = 1;
        else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc && atoi(argv[i + 1]) >= 1 &&
                 atoi(argv[i + 1]) <= BENCH_MAX_REPEAT)
            repeat = atoi(argv[++i]);
        else if (strcmp(argv[i], "--res") == 0 && i + 1 < argc)
            res = argv[++i];
        else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = atof(argv[++i]);
        else {
            fprintf(stderr, "usage: bench_render [--res 1080p|720p|480p] [--seconds N] [--keep] [--phases]\n"
                            "                    [--repeat 1..20] [--draw] [--extras] [--pictures DIR]\n"
                            "                    [--extras-part captions|beat]\n"
                            "       bench_render --reference VIDEO.mp4 [--repeat N]\n"
                            "       bench_render --pulse VIDEO.mp4\n"
                            "       bench_render --long [--res 480p]\n");
            return 2;
        }
    }
    if (long_mode)
        return bench_memory(res ? res : "480p");
    if (reference)
        return bench_reference_only(reference, repeat);
    if (pulse_only) { /* only the keyframe pulsing of that video */
        mv_render_quiet_ffmpeg_logs();
        return bench_print_pulse(pulse_only, NULL, 0) == 0 ? 0 : 1;
    }
    if (!res)
        res = "1080p";
    bench_setup b;
    if (bench_prepare(&b, res, seconds, pictures) != 0)
        return 1;
    int64_t frames = (int64_t)(seconds * BENCH_FPS + 0.5);
    bench_extras x;
    if (extras && draw_only && bench_extras_make(&x, seconds) == 0) {
        /* --draw --extras: the drawing cost with captions and beat motion */
        b.plan.lyrics = &x.lyrics;
        b.plan.caption_mode = MV_CAPTIONS_LINES;
        b.plan.analysis = &x.analysis;
        b.plan.reactivity = 0.5;
        int drc = bench_draw_only(&b, frames);
        bench_extras_free(&x);
        mv_remove_tree(b.dir, NULL);
        return drc == 0 ? 0 : 1;
    }
    if (extras) {
        int erc = bench_extras_cost(&b, seconds, repeat, extras_part);
        mv_remove_tree(b.dir, NULL);
        return erc;
    }
    if (draw_only) {
        int drc = bench_draw_only(&b, frames);
        mv_remove_tree(b.dir, NULL);
        return drc == 0 ? 0 : 1;
    }
    int rc = bench_against_encoder(&b, seconds, repeat, show_phases);
    if (!keep)
        mv_remove_tree(b.dir, NULL);
    else
        printf("kept %s\n", b.dir);
    return rc == 0 ? 0 : 1;
}
