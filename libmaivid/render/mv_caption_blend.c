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
    for (int j = y0; j < y1; j++) {
        const unsigned char *src = bitmap + (size_t)(j - y) * stride - x;
        uint8_t *dst = frame->plane[0] + (size_t)j * frame->stride[0];
        for (int i = x0; i < x1; i++) {
            int a = (src[i] * k + 127) / 255;
            if (a)
                dst[i] = (uint8_t)(dst[i] + (((cy - dst[i]) * a + 128) >> 8));
        }
    }
    for (int j = y0 / 2; j <= (y1 - 1) / 2; j++) {
        uint8_t *pu = frame->plane[1] + (size_t)j * frame->stride[1];
        uint8_t *pv = frame->plane[2] + (size_t)j * frame->stride[2];
        for (int i = x0 / 2; i <= (x1 - 1) / 2; i++) {
            int sum = 0;
            for (int dj = 0; dj < 2; dj++)
                for (int di = 0; di < 2; di++) {
                    int lx = 2 * i + di, ly = 2 * j + dj;
                    if (lx >= x0 && lx < x1 && ly >= y0 && ly < y1)
                        sum += bitmap[(size_t)(ly - y) * stride + (lx - x)];
                }
            int a = (sum * k + 510) / 1020;
            if (a) {
                pu[i] = (uint8_t)(pu[i] + (((cu - pu[i]) * a + 128) >> 8));
                pv[i] = (uint8_t)(pv[i] + (((cv - pv[i]) * a + 128) >> 8));
            }
        }
    }
}
