/*
 * mv_yuv.h - the picture the render engine works on: 8-bit YUV 4:2:0 planes (BT.709, limited
 * range), sized with even dimensions, rows padded so inner loops can run a little past the
 * edge safely.
 */
#ifndef MV_YUV_H
#define MV_YUV_H

#include <stdint.h>

typedef struct mv_yuv {
    int width, height;      /* luma size, both even */
    uint8_t *plane[3];      /* Y, U, V */
    int stride[3];          /* bytes per row */
    int plane_w[3], plane_h[3];
} mv_yuv;

/* Allocates the planes (one aligned block). Returns 0, or -1 when out of memory. */
int mv_yuv_alloc(mv_yuv *img, int width, int height);
/* The same with only the first `planes` planes (1..3; the others stay NULL), for pictures
 * that use fewer, such as a depth layer's coverage (luma and chroma resolution). */
int mv_yuv_alloc_planes(mv_yuv *img, int width, int height, int planes);
void mv_yuv_free(mv_yuv *img);
/* Fills with one colour given as Y, U, V. */
void mv_yuv_fill(mv_yuv *img, uint8_t y, uint8_t u, uint8_t v);
/* Copies src into dst (same size). */
void mv_yuv_copy(mv_yuv *dst, const mv_yuv *src);

#endif /* MV_YUV_H */
