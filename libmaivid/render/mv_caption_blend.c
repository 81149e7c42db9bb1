/*
 * mv_caption_blend.c - composites one libass bitmap onto a YUV 4:2:0 frame: the bitmap's
 * RGB colour converted once to BT.709 limited-range Y'CbCr, luma blended per pixel, chroma
 * per 2x2 block with the block's mean coverage (so edges stay clean after subsampling).
 */
#include "render/mv_caption_burn.h"

#include <math.h>

static int mv_clamp(int v, int lo, int hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
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
        for (int i = x0; i < x1; i++) {
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
        for (int i = cx0; i <= cx1; i++) {
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
