/*
 * mv_caption_blend.c - composites one libass bitmap onto a YUV 4:2:0 frame: the bitmap's
 * RGB colour converted once to BT.709 limited-range Y'CbCr, luma blended per pixel, chroma
 * per 2x2 block with the block's mean coverage (so edges stay clean after subsampling).
 * With SSE2 the luma takes sixteen pixels a step, with the same integer arithmetic as the
 * plain loop (the division by 255 as an exact multiply-high), so the bytes are the same.
 */
#include "render/mv_caption_burn.h"

#include <math.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static int mv_clamp(int v, int lo, int hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

/* Luma pixels [x0, x1) of one row, sixteen at a time while sixteen are left: alpha =
 * (coverage * k + 127) / 255, the division an exact multiply-high (x * 0x8081 >> 23 is
 * x / 255 for every 16-bit x); then dst + ((cy - dst) * alpha + 128) >> 8, written as
 * (dst * (256 - alpha) + cy * alpha + 128) >> 8, which is the same integer and never
 * leaves 16 bits unsigned. Returns the first pixel it did not do. */
static int mv_blend_luma_simd(const unsigned char *src, uint8_t *dst, int x0, int x1, int cy,
                              int k)
{
    int i = x0;
#if defined(__SSE2__)
    const __m128i zero = _mm_setzero_si128(), kk = _mm_set1_epi16((short)k);
    const __m128i round_a = _mm_set1_epi16(127), magic = _mm_set1_epi16((short)0x8081);
    const __m128i full = _mm_set1_epi16(256), colour = _mm_set1_epi16((short)cy);
    const __m128i round = _mm_set1_epi16(128);
    for (; i + 16 <= x1; i += 16) {
        __m128i c = _mm_loadu_si128((const __m128i *)(const void *)(src + i));
        __m128i d = _mm_loadu_si128((const __m128i *)(const void *)(dst + i));
        __m128i out[2];
        for (int half = 0; half < 2; half++) {
            __m128i c16 = half ? _mm_unpackhi_epi8(c, zero) : _mm_unpacklo_epi8(c, zero);
            __m128i d16 = half ? _mm_unpackhi_epi8(d, zero) : _mm_unpacklo_epi8(d, zero);
            __m128i x = _mm_add_epi16(_mm_mullo_epi16(c16, kk), round_a);
            __m128i a = _mm_srli_epi16(_mm_mulhi_epu16(x, magic), 7);
            __m128i v = _mm_add_epi16(_mm_mullo_epi16(d16, _mm_sub_epi16(full, a)),
                                      _mm_mullo_epi16(colour, a));
            out[half] = _mm_srli_epi16(_mm_add_epi16(v, round), 8);
        }
        _mm_storeu_si128((__m128i *)(void *)(dst + i), _mm_packus_epi16(out[0], out[1]));
    }
#else
    (void)src;
    (void)dst;
    (void)x1;
    (void)cy;
    (void)k;
#endif
    return i;
}

void mv_caption_blend(mv_yuv *frame, const unsigned char *bitmap, int stride, int w, int h,
                      int x, int y, unsigned rgba, double opacity)
{
    double r = (rgba >> 24) & 0xFF, g = (rgba >> 16) & 0xFF, b = (rgba >> 8) & 0xFF;
    double transparency = rgba & 0xFF;
    double luma = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    int cy = (int)lrint(16 + 219 * luma / 255);
    int cu = mv_clamp((int)lrint(128 + 224 * (b - luma) / (1.8556 * 255)), 16, 240);
    int cv = mv_clamp((int)lrint(128 + 224 * (r - luma) / (1.5748 * 255)), 16, 240);
    /* coverage 0..255 times k gives alpha in 1/256 units */
    int k = (int)lrint(256.0 * fmin(fmax(opacity, 0), 1) * (255 - transparency) / 255);
    if (k <= 0)
        return;
    int x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
    int x1 = x + w > frame->width ? frame->width : x + w;
    int y1 = y + h > frame->height ? frame->height : y + h;
    if (x0 >= x1 || y0 >= y1)
        return;
    /* alpha per coverage value (luma) and per 2x2 coverage sum (chroma), once per bitmap,
     * so the pixel loops hold no division and no branch (alpha 0 leaves a pixel as it is) */
    uint16_t luma_alpha[256];
    uint16_t chroma_alpha[4 * 255 + 1];
    for (int c = 0; c < 256; c++)
        luma_alpha[c] = (uint16_t)((c * k + 127) / 255);
    for (int sum = 0; sum <= 4 * 255; sum++)
        chroma_alpha[sum] = (uint16_t)((sum * k + 510) / 1020);
    for (int j = y0; j < y1; j++) {
        const unsigned char *src = bitmap + (size_t)(j - y) * stride - x;
        uint8_t *dst = frame->plane[0] + (size_t)j * frame->stride[0];
        int i = mv_blend_luma_simd(src, dst, x0, x1, cy, k);
        for (; i < x1; i++) {
            int a = luma_alpha[src[i]];
            dst[i] = (uint8_t)(dst[i] + (((cy - dst[i]) * a + 128) >> 8));
        }
    }
    /* chroma: the coverage of the luma pixels of each 2x2 block that lie inside the clipped
     * bitmap; blocks on the bitmap's odd edges count the pixels they hold */
    int cx0 = x0 / 2, cx1 = (x1 - 1) / 2;
    for (int j = y0 / 2; j <= (y1 - 1) / 2; j++) {
        const unsigned char *row[2] = {NULL, NULL};
        for (int dj = 0; dj < 2; dj++) {
            int ly = 2 * j + dj;
            if (ly >= y0 && ly < y1)
                row[dj] = bitmap + (size_t)(ly - y) * stride - x;
        }
        uint8_t *pu = frame->plane[1] + (size_t)j * frame->stride[1];
        uint8_t *pv = frame->plane[2] + (size_t)j * frame->stride[2];
        /* blocks wholly inside (both rows, both columns): no test per pixel */
        int in0 = (x0 + 1) / 2, in1 = row[0] && row[1] ? x1 / 2 : in0;
        for (int i = in0; i < in1; i++) {
            int sum = row[0][2 * i] + row[0][2 * i + 1] + row[1][2 * i] + row[1][2 * i + 1];
            int a = chroma_alpha[sum];
            pu[i] = (uint8_t)(pu[i] + (((cu - pu[i]) * a + 128) >> 8));
            pv[i] = (uint8_t)(pv[i] + (((cv - pv[i]) * a + 128) >> 8));
        }
        /* the blocks on the bitmap's edges, left and right of those (all when none are) */
        int inside = in1 > in0;
        int edge[2][2] = {{cx0, inside ? in0 : cx1 + 1}, {inside ? in1 : cx1 + 1, cx1 + 1}};
        for (int e = 0; e < 2; e++)
            for (int i = edge[e][0]; i < edge[e][1]; i++) {
                int lx = 2 * i, sum = 0;
                for (int dj = 0; dj < 2; dj++) {
                    if (!row[dj])
                        continue;
                    if (lx >= x0)
                        sum += row[dj][lx];
                    if (lx + 1 < x1)
                        sum += row[dj][lx + 1];
                }
                int a = chroma_alpha[sum];
                pu[i] = (uint8_t)(pu[i] + (((cu - pu[i]) * a + 128) >> 8));
                pv[i] = (uint8_t)(pv[i] + (((cv - pv[i]) * a + 128) >> 8));
            }
    }
}
