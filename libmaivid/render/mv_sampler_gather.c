/*
 * mv_sampler_gather.c - per-column bilinear tables and the horizontal pass of the sampler
 * (see mv_sampler_gather.h). The AVX2 or SSSE3 path is chosen at run time (the library is
 * built for the plain x86-64 baseline) and gives exactly the plain loop's numbers.
 */
#include "render/mv_sampler_gather.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define MV_GATHER_X86 1
#include <immintrin.h>
#endif

#define MV_GATHER_GROUP 8

int mv_gather_init(mv_gather *g, int max_n)
{
    memset(g, 0, sizeof *g);
    g->max_n = max_n;
    size_t n = (size_t)max_n + MV_GATHER_GROUP, groups = n / MV_GATHER_GROUP + 1;
    g->col = malloc(sizeof(int32_t) * n);
    g->wa = malloc(sizeof(uint16_t) * n);
    g->wb = malloc(sizeof(uint16_t) * n);
    g->mask = malloc(16 * groups);
    g->base = malloc(sizeof(int32_t) * groups);
    if (!g->col || !g->wa || !g->wb || !g->mask || !g->base) {
        mv_gather_free(g);
        return -1;
    }
#ifdef MV_GATHER_X86
    __builtin_cpu_init();
    g->simd = __builtin_cpu_supports("avx2") ? 2 : (__builtin_cpu_supports("ssse3") ? 1 : 0);
#endif
    return 0;
}

void mv_gather_free(mv_gather *g)
{
    free(g->col);
    free(g->wa);
    free(g->wb);
    free(g->mask);
    free(g->base);
    memset(g, 0, sizeof *g);
}

void mv_gather_split(double pos, int size, int32_t *index, int32_t *weight)
{
    if (pos < 0)
        pos = 0;
    if (pos > size - 1)
        pos = size - 1;
    int i = (int)pos;
    int w = (int)lrint((pos - i) * 256.0);
    if (w == 256) {
        i++;
        w = 0;
    }
    if (i >= size - 1) {
        i = size - 2;
        w = 256;
    }
    *index = i;
    *weight = w;
}

void mv_gather_columns(mv_gather *g, double x, double w, int n, int src_n, int lo, int hi)
{
    double step = w / n;
    for (int i = lo; i < hi; i++) {
        int32_t c, cw;
        mv_gather_split(x + (i + 0.5) * step - 0.5, src_n, &c, &cw);
        g->col[i] = c;
        g->wa[i] = (uint16_t)(256 - cw);
        g->wb[i] = (uint16_t)cw;
    }
    int first = (lo + MV_GATHER_GROUP - 1) / MV_GATHER_GROUP;
    for (int k = first; (k + 1) * MV_GATHER_GROUP <= hi; k++) {
        const int32_t *c = g->col + k * MV_GATHER_GROUP;
        uint8_t *m = g->mask + 16 * k;
        g->base[k] = c[MV_GATHER_GROUP - 1] + 1 - c[0] < 16 ? c[0] : -1;
        for (int i = 0; i < MV_GATHER_GROUP && g->base[k] >= 0; i++) {
            m[i] = (uint8_t)(c[i] - c[0]);
            m[MV_GATHER_GROUP + i] = (uint8_t)(c[i] + 1 - c[0]);
        }
    }
}

static void mv_gather_plain(const mv_gather *g, const uint8_t *restrict src,
                            uint16_t *restrict h, int lo, int hi)
{
    const int32_t *restrict col = g->col;
    const uint16_t *restrict wa = g->wa, *restrict wb = g->wb;
    for (int i = lo; i < hi; i++) {
        int32_t c = col[i];
        h[i] = (uint16_t)(src[c] * wa[i] + src[c + 1] * wb[i]);
    }
}

#ifdef MV_GATHER_X86
/* Groups [k0, k1) of 8 columns: one unaligned load, one shuffle into the 8 left and 8 right
 * samples, widened and weighted in 16 bits (a*(256-w) + b*w <= 65280: exact). */
__attribute__((target("ssse3"))) static void
mv_gather_ssse3(const mv_gather *g, const uint8_t *src, uint16_t *h, int k0, int k1)
{
    const __m128i zero = _mm_setzero_si128();
    for (int k = k0; k < k1; k++) {
        int i = k * MV_GATHER_GROUP;
        if (g->base[k] < 0) {
            mv_gather_plain(g, src, h, i, i + MV_GATHER_GROUP);
            continue;
        }
        __m128i s = _mm_loadu_si128((const __m128i *)(const void *)(src + g->base[k]));
        __m128i m = _mm_loadu_si128((const __m128i *)(const void *)(g->mask + 16 * k));
        __m128i ab = _mm_shuffle_epi8(s, m);
        __m128i a = _mm_unpacklo_epi8(ab, zero), b = _mm_unpackhi_epi8(ab, zero);
        __m128i wa = _mm_loadu_si128((const __m128i *)(const void *)(g->wa + i));
        __m128i wb = _mm_loadu_si128((const __m128i *)(const void *)(g->wb + i));
        __m128i v = _mm_add_epi16(_mm_mullo_epi16(a, wa), _mm_mullo_epi16(b, wb));
        _mm_storeu_si128((__m128i *)(void *)(h + i), v);
    }
}

/* The same two groups at a time, one in each 128-bit lane (the shuffle works per lane). */
__attribute__((target("avx2"))) static void
mv_gather_avx2(const mv_gather *g, const uint8_t *src, uint16_t *h, int k0, int k1)
{
    const __m256i zero = _mm256_setzero_si256();
    int k = k0;
    for (; k + 2 <= k1; k += 2) {
        if (g->base[k] < 0 || g->base[k + 1] < 0) {
            mv_gather_ssse3(g, src, h, k, k + 2);
            continue;
        }
        int i = k * MV_GATHER_GROUP;
        __m256i s = _mm256_inserti128_si256(
            _mm256_castsi128_si256(
                _mm_loadu_si128((const __m128i *)(const void *)(src + g->base[k]))),
            _mm_loadu_si128((const __m128i *)(const void *)(src + g->base[k + 1])), 1);
        __m256i m = _mm256_loadu_si256((const __m256i *)(const void *)(g->mask + 16 * k));
        __m256i ab = _mm256_shuffle_epi8(s, m);
        __m256i a = _mm256_unpacklo_epi8(ab, zero), b = _mm256_unpackhi_epi8(ab, zero);
        __m256i wa = _mm256_loadu_si256((const __m256i *)(const void *)(g->wa + i));
        __m256i wb = _mm256_loadu_si256((const __m256i *)(const void *)(g->wb + i));
        __m256i v = _mm256_add_epi16(_mm256_mullo_epi16(a, wa), _mm256_mullo_epi16(b, wb));
        _mm256_storeu_si256((__m256i *)(void *)(h + i), v);
    }
    mv_gather_ssse3(g, src, h, k, k1);
}
#endif

void mv_gather_row(const mv_gather *g, const uint8_t *src, uint16_t *h, int lo, int hi)
{
#ifdef MV_GATHER_X86
    if (g->simd) {
        int k0 = (lo + MV_GATHER_GROUP - 1) / MV_GATHER_GROUP, k1 = hi / MV_GATHER_GROUP;
        if (k1 > k0) {
            mv_gather_plain(g, src, h, lo, k0 * MV_GATHER_GROUP);
            if (g->simd >= 2)
                mv_gather_avx2(g, src, h, k0, k1);
            else
                mv_gather_ssse3(g, src, h, k0, k1);
            mv_gather_plain(g, src, h, k1 * MV_GATHER_GROUP, hi);
            return;
        }
    }
#endif
    mv_gather_plain(g, src, h, lo, hi);
}

void mv_gather_prefetch(const mv_gather *g, const uint8_t *src, int lo, int hi)
{
    if (hi <= lo)
        return;
    const uint8_t *p = src + g->col[lo], *end = src + g->col[hi - 1] + 1;
    for (; p < end; p += 64)
        __builtin_prefetch(p);
    __builtin_prefetch(end);
}
