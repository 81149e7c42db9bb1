/*
 * bench_workload.c - synthetic benchmark pictures (colour gradients, rings and fine noise,
 * different per scene) and a synthetic song (chords with a beat).
 */
#include "bench_workload.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int bench_write_pictures(const char *dir, int count, int width, int height)
{
    unsigned char *row = malloc((size_t)width * 3);
    if (!row)
        return -1;
    for (int s = 0; s < count; s++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/scene-%d.ppm", dir, s);
        FILE *f = fopen(path, "wb");
        if (!f) {
            free(row);
            return -1;
        }
        fprintf(f, "P6\n%d %d\n255\n", width, height);
        uint32_t noise = 0x9e3779b9u * (uint32_t)(s + 1);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                noise ^= noise << 13;
                noise ^= noise >> 17;
                noise ^= noise << 5;
                double u = (double)x / width, v = (double)y / height;
                double ring = 0.5 + 0.5 * sin(hypot(u - 0.3 - 0.08 * s, v - 0.6) * (40 + 7 * s));
                double grain = (double)(noise & 31) - 16;
                double r = 255 * (0.2 + 0.6 * u * ring) + grain;
                double g = 255 * (0.15 + 0.5 * v + 0.2 * sin(6.28 * (u + 0.1 * s))) + grain;
                double b = 255 * (0.3 + 0.5 * (1 - u) * (1 - ring * 0.5)) + grain;
                row[3 * x] = (unsigned char)fmin(255, fmax(0, r));
                row[3 * x + 1] = (unsigned char)fmin(255, fmax(0, g));
                row[3 * x + 2] = (unsigned char)fmin(255, fmax(0, b));
            }
            fwrite(row, 1, (size_t)width * 3, f);
        }
        if (fclose(f) != 0) {
            free(row);
            return -1;
        }
    }
    free(row);
    return 0;
}

static void bench_le(FILE *f, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        fputc((int)((v >> (8 * i)) & 0xff), f);
}

int bench_write_song(const char *path, double seconds)
{
    const int rate = 44100;
    uint32_t frames = (uint32_t)(seconds * rate);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fwrite("RIFF", 1, 4, f);
    bench_le(f, 36 + frames * 4, 4);
    fwrite("WAVEfmt ", 1, 8, f);
    bench_le(f, 16, 4);
    bench_le(f, 1, 2);
    bench_le(f, 2, 2);
    bench_le(f, rate, 4);
    bench_le(f, rate * 4, 4);
    bench_le(f, 4, 2);
    bench_le(f, 16, 2);
    fwrite("data", 1, 4, f);
    bench_le(f, frames * 4, 4);
    for (uint32_t i = 0; i < frames; i++) {
        double t = (double)i / rate;
        double beat = fmod(t, 0.5);
        double v = 0.2 * sin(2 * M_PI * 220 * t) + 0.15 * sin(2 * M_PI * 277.2 * t) +
                   0.1 * sin(2 * M_PI * 329.6 * t) + 0.4 * exp(-beat * 30) * sin(2 * M_PI * 60 * beat);
        int16_t sample = (int16_t)lrint(fmax(-1, fmin(1, v)) * 30000);
        bench_le(f, (uint16_t)sample, 2);
        bench_le(f, (uint16_t)sample, 2);
    }
    return fclose(f) == 0 ? 0 : -1;
}
