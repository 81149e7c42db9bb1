/*
 * bench_paint.c - how long the built-in painter takes per image: paints fifteen different
 * scenes (landscapes and named subjects, in nine styles) at 1080p plus motion headroom (2304x1296, what the engine asks for) on one thread,
 * and prints the CPU milliseconds per image (mean and worst) for painting alone and for
 * painting plus the PNG encode and atomic write. With --batch, paints the same scenes with their
 * depth layers as the image stage does (the painter backend's batch, WORKERS threads, 0: the
 * backend's own choice) and prints the wall and process CPU seconds; run it under
 * `/usr/bin/time -v` for the painting's peak memory (issue 15).
 *
 *   bench_paint [WIDTH HEIGHT]
 *   bench_paint --batch WORKERS [WIDTH HEIGHT]
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "images/mv_image_backend.h"
#include "paint/mv_paint.h"

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double process_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The bytes of the files directly in DIR (the painted pictures and their layers). */
static long long folder_bytes(const char *dir)
{
    long long total = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[512];
    struct stat st;
    while (d && (e = readdir(d))) {
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            total += st.st_size;
    }
    if (d)
        closedir(d);
    return total;
}

/* The scenes through the painter backend's batch, into a temp folder removed after. */
static int bench_batch(int workers, int w, int h, const char *const *prompts, size_t n,
                       const char *const *styles, size_t style_count)
{
    char dir[] = "/tmp/bench_paint_batch_XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    mv_image_backends *b = NULL;
    mv_image_config cfg = {0}; /* no cache: every scene is painted */
    mv_error err = {0};
    if (mv_images_open(&cfg, &b, &err) != MAIVID_OK) {
        fprintf(stderr, "bench_paint: %s\n", err.message);
        return 1;
    }
    mv_paint_backend_set_workers(mv_images_backend_state(b, &mv_paint_backend_ops), workers);
    mv_image_job *jobs = calloc(n, sizeof *jobs);
    char(*paths)[64] = calloc(n, sizeof *paths);
    if (!jobs || !paths)
        return 1;
    for (size_t i = 0; i < n; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/scene_%03zu.png", dir, i + 1);
        jobs[i] = (mv_image_job){.model = "procedural", .style_id = styles[i % style_count],
                                 .prompt = prompts[i], .seed = (int64_t)(1000 + i),
                                 .width = w, .height = h, .output_path = paths[i]};
    }
    double wall = mv_monotonic(), cpu = process_cpu_s();
    maivid_code rc = mv_images_make_batch(b, NULL, jobs, n, NULL, NULL, NULL, &err);
    wall = mv_monotonic() - wall;
    cpu = process_cpu_s() - cpu;
    mv_images_close(b);
    long long bytes = folder_bytes(dir);
    mv_remove_tree(dir, NULL);
    free(jobs);
    free(paths);
    if (rc != MAIVID_OK) {
        fprintf(stderr, "bench_paint: %s\n", err.message);
        return 1;
    }
    printf("painter batch %dx%d, %zu scenes with depth layers, %d workers%s: %.2f s wall, "
           "%.2f CPU-s, %.1f MB of PNG\n", w, h, n, workers,
           workers ? "" : " (the backend's choice)", wall, cpu, bytes / 1e6);
    return 0;
}

int main(int argc, char **argv)
{
    int batch = argc > 2 && strcmp(argv[1], "--batch") == 0;
    int workers = batch ? atoi(argv[2]) : 0;
    if (batch) {
        argc -= 2;
        argv += 2;
    }
    int w = argc > 2 ? atoi(argv[1]) : 2304, h = argc > 2 ? atoi(argv[2]) : 1296;
    static const char *const prompts[] = {
        "mountains at sunset, golden light",  "neon city street in the rain at night",
        "the sea at noon, waves on the shore", "space, a ringed planet and stars",
        "misty forest at dawn",                "desert dunes under a blue sky",
        "storm with lightning over the ocean", "lovers under a street lamp, night",
        "fire in the midnight sky, golden stars",
        "a lighthouse, gulls and fishing boats under the old moon, a lantern burns",
        "the window of the cabin by the pines, snow", "fireworks above the crowd, a guitar",
        "a train on the railway by the bridge, balloons", "lovers dancing by the church at dusk",
        "a candle, a clock and a piano in the room",
    };
    /* every style's treatment (line, texture) is part of the cost */
    const char *styles[] = {"cinematic", "cyberpunk", "watercolor", "comic",  "oil_painting",
                            "pixel_art", "anime",     "vaporwave",  "retro_film"};
    size_t n = sizeof prompts / sizeof prompts[0];
    if (batch)
        return bench_batch(workers, w, h, prompts, n, styles, sizeof styles / sizeof styles[0]);
    double paint_sum = 0, paint_worst = 0, png_sum = 0, png_worst = 0;
    size_t worst = 0;
    char path[] = "/tmp/bench_paint_XXXXXX.png";
    int fd = mkstemps(path, 4);
    if (fd < 0)
        return 1;
    close(fd);
    for (size_t i = 0; i < n; i++) {
        mv_paint_request req = {prompts[i], styles[i % (sizeof styles / sizeof styles[0])],
                                1000 + i, w, h};
        mv_error err;
        uint8_t *rgb = NULL;
        double t0 = cpu_ms();
        if (mv_paint_rgb(&req, &rgb, &err) != MAIVID_OK) {
            fprintf(stderr, "bench_paint: %s\n", err.message);
            return 1;
        }
        double t1 = cpu_ms();
        free(rgb);
        if (mv_paint_to_png(&req, path, &err) != MAIVID_OK) {
            fprintf(stderr, "bench_paint: %s\n", err.message);
            return 1;
        }
        double t2 = cpu_ms();
        paint_sum += t1 - t0;
        png_sum += t2 - t1;
        if (t1 - t0 > paint_worst) {
            paint_worst = t1 - t0;
            worst = i;
        }
        if (getenv("BENCH_PAINT_VERBOSE"))
            printf("  %6.1f ms  %-13s %s\n", t1 - t0, req.style_id, req.prompt);
        if (t2 - t1 > png_worst)
            png_worst = t2 - t1;
    }
    unlink(path);
    printf("painter %dx%d, %zu scenes, one thread (CPU time):\n", w, h, n);
    printf("  paint only       mean %6.1f ms  worst %6.1f ms (%s: %s)\n", paint_sum / n,
           paint_worst, styles[worst % (sizeof styles / sizeof styles[0])], prompts[worst]);
    printf("  paint+PNG+write  mean %6.1f ms  worst %6.1f ms\n", png_sum / n, png_worst);
    return 0;
}
