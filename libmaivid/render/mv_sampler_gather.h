/*
 * mv_sampler_gather.h - the horizontal half of the sampler's bilinear filter: for a window
 * placed at a sub-pixel position and scale (no rotation), the source column and weight of
 * every destination column, computed once per plane and frame, and the pass that turns one
 * 8-bit source row into a row of horizontally blended 16-bit samples (exact: a*(256-w) +
 * b*w, no rounding yet). On x86 CPUs with SSSE3 eight columns at a time come from one
 * 16-byte load and a byte shuffle (with AVX2 two such groups at once); elsewhere (and for columns whose sources lie too far
 * apart) a plain loop gives the same numbers.
 */
#ifndef MV_SAMPLER_GATHER_H
#define MV_SAMPLER_GATHER_H

#include <stdint.h>

/* Column tables for destination rows up to max_n samples wide. */
typedef struct mv_gather {
    int max_n;
    int32_t *col;  /* per column: left source column (the right one is col + 1) */
    uint16_t *wa;  /* per column: weight of the left source column, 256 - w */
    uint16_t *wb;  /* per column: weight of the right one, w (1/256 pixel steps) */
    uint8_t *mask; /* per group of 8 columns: 16 byte offsets, the 8 left then the 8 right */
    int32_t *base; /* per group: the source column the offsets count from; -1: plain loop */
    int simd;      /* 2: AVX2, 1: SSSE3, 0: the plain loop (tests may lower it) */
} mv_gather;

/* Returns 0, or -1 when out of memory. */
int mv_gather_init(mv_gather *g, int max_n);
void mv_gather_free(mv_gather *g);

/* Sets the tables of columns [lo, hi) of an n-sample destination row showing the source
 * span [x, x + w) (plane pixels, pixel centres mapped to pixel centres) of a src_n-sample
 * source row (src_n >= 2). */
void mv_gather_columns(mv_gather *g, double x, double w, int n, int src_n, int lo, int hi);

/* One source coordinate split into the left sample and its right neighbour's weight
 * (0..256, 1/256 steps), clamped so index + 1 stays inside a size-sample axis. */
void mv_gather_split(double pos, int size, int32_t *index, int32_t *weight);

/* h[i] = src[col[i]] * wa[i] + src[col[i] + 1] * wb[i] for i in [lo, hi), a sub-range of the
 * columns last set. src must be readable 16 bytes past its last sample (mv_yuv pads rows). */
void mv_gather_row(const mv_gather *g, const uint8_t *src, uint16_t *h, int lo, int hi);

/* Asks the CPU to start loading the source bytes that mv_gather_row(g, src, ..., lo, hi) will
 * read, so a row gathered next is in cache when its turn comes (no effect on results). */
void mv_gather_prefetch(const mv_gather *g, const uint8_t *src, int lo, int hi);

#endif /* MV_SAMPLER_GATHER_H */
