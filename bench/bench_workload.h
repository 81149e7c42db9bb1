/*
 * bench_workload.h - the fixed render benchmark workload: synthetic scene pictures with real
 * detail (so the encoder has honest work) and a synthetic song, written to a folder.
 */
#ifndef BENCH_WORKLOAD_H
#define BENCH_WORKLOAD_H

/* Writes scene-<i>.ppm (width x height) for i < count into dir. 0 on success. */
int bench_write_pictures(const char *dir, int count, int width, int height);
/* Writes a 44.1 kHz stereo 16-bit WAV of the given length. 0 on success. */
int bench_write_song(const char *path, double seconds);

#endif /* BENCH_WORKLOAD_H */
