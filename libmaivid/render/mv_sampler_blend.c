/*
 * mv_sampler_blend.c - the sampler's vertical blend and layer-over blend (see
 * mv_sampler_blend.h). The exact 32-bit sums h0 * (256 - wy) + h1 * wy come from pmaddwd on
 * the rows' samples moved into signed range (minus 32768, added back as a constant): with
 * AVX2 (chosen by the caller at run time; the library is built for the x86-64 baseline)
 * sixteen samples at a time, else with SSE2 eight; without either the plain loops run.
 */
#include "render/mv_sampler_blend.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#define MV_BLEND_SSE2 1
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#include <immintrin.h>
#define MV_BLEND_AVX2 1
#endif
#endif

static inline uint32_t mv_vmix(uint16_t a, uint16_t b, uint32_t top, uint32_t bottom)
{
    return (a * top + b * bottom + 32768U) >> 16;
}

void mv_blend_rows_plain(const uint16_t *restrict h0, const uint16_t *restrict h1, int32_t wy,
                         uint8_t *restrict out, int lo, int hi)
{
    const uint32_t top = (uint32_t)(256 - wy), bottom = (uint32_t)wy;
    for (int i = lo; i < hi; i++)
        out[i] = (uint8_t)mv_vmix(h0[i], h1[i], top, bottom);
}

void mv_blend_rows_over_plain(const uint16_t *restrict p0, const uint16_t *restrict p1,
                              const uint16_t *restrict c0, const uint16_t *restrict c1,
                              int32_t wy, uint8_t *restrict out, int lo, int hi)
{
    const uint32_t top = (uint32_t)(256 - wy), bottom = (uint32_t)wy;
    for (int i = lo; i < hi; i++) {
        uint32_t al = mv_vmix(c0[i], c1[i], top, bottom);
        uint32_t v = mv_vmix(p0[i], p1[i], top, bottom);
        uint32_t mix = out[i] * (255U - al) + v * al + 128U; /* divided by 255, rounded */
        out[i] = (uint8_t)((mix + (mix >> 8)) >> 8);
    }
}

#ifdef MV_BLEND_SSE2
/* Eight vertical blends as 16-bit lanes (0..255). */
static inline __m128i mv_vmix8(const uint16_t *a, const uint16_t *b, __m128i weights)
{
    const __m128i flip = _mm_set1_epi16((short)0x8000);
    /* (a - 32768) * top + (b - 32768) * bottom = the sum - 32768 * 256 */
    const __m128i bias = _mm_set1_epi32(32768 * 256 + 32768);
    __m128i x = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)a), flip);
    __m128i y = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)b), flip);
    __m128i lo = _mm_madd_epi16(_mm_unpacklo_epi16(x, y), weights);
    __m128i hi = _mm_madd_epi16(_mm_unpackhi_epi16(x, y), weights);
    lo = _mm_srli_epi32(_mm_add_epi32(lo, bias), 16);
    hi = _mm_srli_epi32(_mm_add_epi32(hi, bias), 16);
    return _mm_packs_epi32(lo, hi);
}

/* The two row weights 256 - wy and wy as one 32-bit lane, for pmaddwd. */
static inline int mv_weight_pair(int32_t wy)
{
    return (int)((uint32_t)(256 - wy) | ((uint32_t)wy << 16));
}

static inline __m128i mv_weights(int32_t wy)
{
    return _mm_set1_epi32(mv_weight_pair(wy));
}
#endif

#ifdef MV_BLEND_AVX2
/* Sixteen vertical blends as 16-bit lanes (0..255), in order: the unpacks and the pack work
 * within each 128-bit lane, so the pack undoes the unpacks' order. */
__attribute__((target("avx2"))) static inline __m256i mv_vmix16(const uint16_t *a,
                                                                const uint16_t *b,
                                                                __m256i weights)
{
    const __m256i flip = _mm256_set1_epi16((short)0x8000);
    const __m256i bias = _mm256_set1_epi32(32768 * 256 + 32768);
    __m256i x = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(const void *)a), flip);
    __m256i y = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(const void *)b), flip);
    __m256i lo = _mm256_madd_epi16(_mm256_unpacklo_epi16(x, y), weights);
    __m256i hi = _mm256_madd_epi16(_mm256_unpackhi_epi16(x, y), weights);
    lo = _mm256_srli_epi32(_mm256_add_epi32(lo, bias), 16);
    hi = _mm256_srli_epi32(_mm256_add_epi32(hi, bias), 16);
    return _mm256_packs_epi32(lo, hi);
}

/* Sixteen 16-bit lanes (0..255) stored as bytes. */
__attribute__((target("avx2"))) static inline void mv_store16(uint8_t *out, __m256i v)
{
    __m256i bytes = _mm256_permute4x64_epi64(_mm256_packus_epi16(v, v), 0x08);
    _mm_storeu_si128((__m128i *)(void *)out, _mm256_castsi256_si128(bytes));
}

__attribute__((target("avx2"))) static int mv_blend_rows_avx2(const uint16_t *h0,
                                                             const uint16_t *h1, int32_t wy,
                                                             uint8_t *out, int lo, int hi)
{
    const __m256i weights = _mm256_set1_epi32(mv_weight_pair(wy));
    for (; lo + 16 <= hi; lo += 16)
        mv_store16(out + lo, mv_vmix16(h0 + lo, h1 + lo, weights));
    return lo;
}

__attribute__((target("avx2"))) static int
mv_blend_rows_over_avx2(const uint16_t *p0, const uint16_t *p1, const uint16_t *c0,
                        const uint16_t *c1, int32_t wy, uint8_t *out, int lo, int hi)
{
    const __m256i weights = _mm256_set1_epi32(mv_weight_pair(wy));
    const __m256i full = _mm256_set1_epi16(255), half = _mm256_set1_epi16(128);
    for (; lo + 16 <= hi; lo += 16) {
        __m256i al = mv_vmix16(c0 + lo, c1 + lo, weights);
        __m256i v = mv_vmix16(p0 + lo, p1 + lo, weights);
        __m256i o = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(const void *)(out + lo)));
        /* at most 255 * 255 + 128: exact in unsigned 16-bit lanes */
        __m256i mix = _mm256_add_epi16(
            _mm256_add_epi16(_mm256_mullo_epi16(o, _mm256_sub_epi16(full, al)),
                             _mm256_mullo_epi16(v, al)),
            half);
        mv_store16(out + lo, _mm256_srli_epi16(_mm256_add_epi16(mix, _mm256_srli_epi16(mix, 8)), 8));
    }
    return lo;
}
#endif

void mv_blend_rows(const uint16_t *h0, const uint16_t *h1, int32_t wy, uint8_t *out, int lo,
                   int hi, int simd)
{
#ifdef MV_BLEND_AVX2
    if (simd >= 2)
        lo = mv_blend_rows_avx2(h0, h1, wy, out, lo, hi);
#else
    (void)simd;
#endif
#ifdef MV_BLEND_SSE2
    const __m128i weights = mv_weights(wy);
    for (; lo + 8 <= hi; lo += 8) {
        __m128i v = mv_vmix8(h0 + lo, h1 + lo, weights);
        _mm_storel_epi64((__m128i *)(void *)(out + lo), _mm_packus_epi16(v, v));
    }
#endif
    mv_blend_rows_plain(h0, h1, wy, out, lo, hi);
}

void mv_blend_rows_over(const uint16_t *p0, const uint16_t *p1, const uint16_t *c0,
                        const uint16_t *c1, int32_t wy, uint8_t *out, int lo, int hi, int simd)
{
#ifdef MV_BLEND_AVX2
    if (simd >= 2)
        lo = mv_blend_rows_over_avx2(p0, p1, c0, c1, wy, out, lo, hi);
#else
    (void)simd;
#endif
#ifdef MV_BLEND_SSE2
    const __m128i weights = mv_weights(wy), zero = _mm_setzero_si128();
    const __m128i full = _mm_set1_epi16(255), half = _mm_set1_epi16(128);
    for (; lo + 8 <= hi; lo += 8) {
        __m128i al = mv_vmix8(c0 + lo, c1 + lo, weights);
        __m128i v = mv_vmix8(p0 + lo, p1 + lo, weights);
        __m128i o = _mm_unpacklo_epi8(_mm_loadl_epi64((const __m128i *)(const void *)(out + lo)),
                                      zero);
        /* at most 255 * 255 + 128: exact in unsigned 16-bit lanes */
        __m128i mix = _mm_add_epi16(_mm_add_epi16(_mm_mullo_epi16(o, _mm_sub_epi16(full, al)),
                                                  _mm_mullo_epi16(v, al)),
                                    half);
        __m128i r = _mm_srli_epi16(_mm_add_epi16(mix, _mm_srli_epi16(mix, 8)), 8);
        _mm_storel_epi64((__m128i *)(void *)(out + lo), _mm_packus_epi16(r, r));
    }
#endif
    mv_blend_rows_over_plain(p0, p1, c0, c1, wy, out, lo, hi);
}
