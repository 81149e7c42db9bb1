/*
 * mv_motif_draw.h - drawing in a motif's own frame (units of its size, v up from its base,
 * mirrored for reflections) and its colours lit by the scene's light. Private to
 * libmaivid/paint/.
 */
#ifndef MV_MOTIF_DRAW_H
#define MV_MOTIF_DRAW_H

#include "paint/mv_paint_internal.h"
#include "paint/mv_paint_motifs.h"

/* A surface colour under the scene's light (darker at night), tinted for reflections. */
mv_rgb mv_m_lit(const mv_motif_frame *f, uint32_t hex);
/* The silhouette colour of the scene (what stands against the light). */
mv_rgb mv_m_dark(const mv_motif_frame *f);
/* A colour that gives light: not darkened by the night. */
mv_rgb mv_m_emit(const mv_motif_frame *f, uint32_t hex);
static inline float mv_m_px(const mv_motif_frame *f, float u)
{
    return f->x + u * f->size * f->facing;
}
static inline float mv_m_py(const mv_motif_frame *f, float v)
{
    return f->base - v * f->size * f->flip;
}
void mv_m_line(const mv_motif_frame *f, float u0, float v0, float u1, float v1, float width,
               mv_rgb col);
void mv_m_rect(const mv_motif_frame *f, float u0, float v0, float u1, float v1, mv_rgb col);
void mv_m_disc(const mv_motif_frame *f, float u, float v, float r, mv_rgb col);
void mv_m_glow(const mv_motif_frame *f, float u, float v, float r, mv_rgb col, float strength);
void mv_m_tri(const mv_motif_frame *f, float u0, float v0, float u1, float v1, float u2,
              float v2, mv_rgb col);
/* Quad a-b-c-d (two triangles). */
void mv_m_quad(const mv_motif_frame *f, float u0, float v0, float u1, float v1, float u2,
               float v2, float u3, float v3, mv_rgb col);
/* 0..1 from the frame's seed and k. */
static inline float mv_m_rand(const mv_motif_frame *f, int k)
{
    return mv_hashf(k, (int)f->variant, f->seed);
}

/* Anti-aliased filled triangle in pixels (mv_motif_draw.c). */
void mv_draw_tri(const mv_canvas *c, float x0, float y0, float x1, float y1, float x2, float y2,
                 mv_rgb col, float alpha);

#endif /* MV_MOTIF_DRAW_H */
