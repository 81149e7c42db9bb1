/*
 * mv_yuv.c - allocation and trivial fills of the render engine's YUV 4:2:0 pictures.
 */
#include "render/mv_yuv.h"

#include <stdlib.h>
#include <string.h>

#include <libavutil/mem.h>

#define MV_YUV_ALIGN 64
#define MV_YUV_PAD 64 /* spare bytes after each row and after the last one */

static int mv_align_up(int v)
{
    return (v + MV_YUV_ALIGN - 1) / MV_YUV_ALIGN * MV_YUV_ALIGN;
}

int mv_yuv_alloc(mv_yuv *img, int width, int height)
{
    return mv_yuv_alloc_planes(img, width, height, 3);
}

int mv_yuv_alloc_planes(mv_yuv *img, int width, int height, int planes)
{
    memset(img, 0, sizeof *img);
    img->width = width;
    img->height = height;
    img->plane_w[0] = width;
    img->plane_h[0] = height;
    img->plane_w[1] = img->plane_w[2] = (width + 1) / 2;
    img->plane_h[1] = img->plane_h[2] = (height + 1) / 2;
    size_t total = 0;
    size_t offset[3];
    for (int p = 0; p < 3; p++) {
        img->stride[p] = mv_align_up(img->plane_w[p] + MV_YUV_PAD);
        offset[p] = total;
        if (p < planes)
            total += (size_t)img->stride[p] * (size_t)(img->plane_h[p] + 1);
    }
    uint8_t *block = av_malloc(total);
    if (!block)
        return -1;
    memset(block, 0, total);
    for (int p = 0; p < planes && p < 3; p++)
        img->plane[p] = block + offset[p];
    return 0;
}

void mv_yuv_free(mv_yuv *img)
{
    if (img->plane[0])
        av_free(img->plane[0]);
    memset(img, 0, sizeof *img);
}

void mv_yuv_fill(mv_yuv *img, uint8_t y, uint8_t u, uint8_t v)
{
    const uint8_t value[3] = {y, u, v};
    for (int p = 0; p < 3; p++)
        for (int row = 0; row < img->plane_h[p]; row++)
            memset(img->plane[p] + (size_t)row * img->stride[p], value[p], (size_t)img->plane_w[p]);
}

void mv_yuv_copy(mv_yuv *dst, const mv_yuv *src)
{
    for (int p = 0; p < 3; p++)
        for (int row = 0; row < src->plane_h[p]; row++)
            memcpy(dst->plane[p] + (size_t)row * dst->stride[p],
                   src->plane[p] + (size_t)row * src->stride[p], (size_t)src->plane_w[p]);
}
