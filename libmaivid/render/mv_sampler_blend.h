/*
 * mv_sampler_blend.h - the vertical half of the sampler's bilinear filter: two rows the
 * horizontal pass made (16-bit, exact) blended with one weight for the whole row and rounded
 * once to 8 bits, either written as they are or, for a depth layer, laid over the frame by
 * the coverage blended alike. AVX2 where the CPU has it (simd >= 2, the sampler's gather
 * level), else SSE2 on x86-64 (its baseline), the plain loops elsewhere; all give the same
 * numbers.
 */
#ifndef MV_SAMPLER_BLEND_H
#define MV_SAMPLER_BLEND_H

#include <stdint.h>

/* out[i] = (h0[i] * (256 - wy) + h1[i] * wy + 32768) >> 16 for i in [lo, hi), wy 0..256;
 * simd 2 allows AVX2 (mv_gather.simd says whether the CPU has it). */
void mv_blend_rows(const uint16_t *h0, const uint16_t *h1, int32_t wy, uint8_t *out, int lo,
                   int hi, int simd);
void mv_blend_rows_plain(const uint16_t *h0, const uint16_t *h1, int32_t wy, uint8_t *out,
                         int lo, int hi);

/* With colour v and coverage al blended from p0/p1 and c0/c1 as above:
 * out[i] = (out[i] * (255 - al) + v * al) / 255, rounded (out[i] stays where al is 0). */
void mv_blend_rows_over(const uint16_t *p0, const uint16_t *p1, const uint16_t *c0,
                        const uint16_t *c1, int32_t wy, uint8_t *out, int lo, int hi, int simd);
void mv_blend_rows_over_plain(const uint16_t *p0, const uint16_t *p1, const uint16_t *c0,
                              const uint16_t *c1, int32_t wy, uint8_t *out, int lo, int hi);

#endif /* MV_SAMPLER_BLEND_H */
