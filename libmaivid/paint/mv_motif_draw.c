/*
 * mv_motif_draw.c - drawing in a motif's frame: maps its local units to pixels (mirrored
 * below the base for a reflection), lights its colours with the scene's ambient light and
 * night, and adds the one primitive motifs need beyond discs and lines: a filled triangle.
 */
#include "paint/mv_motif_draw.h"

static mv_rgb mv_m_tinted(const mv_motif_frame *f, mv_rgb c)
{
    if (f->tint_amount <= 0.0f)
        return c;
    return mv_rgb_mix(c, mv_rgb_make(f->tint.r, f->tint.g, f->tint.b), f->tint_amount);
}

mv_rgb mv_m_lit(const mv_motif_frame *f, uint32_t hex)
{
    const mv_scene *s = f->s;
    mv_rgb c = mv_rgb_mul(mv_rgb_hex(hex), s->ambient);
    c = mv_paint_style_colour(s, c, 0.25f);
    /* at night surfaces sink toward the silhouette, keeping a little of their hue */
    c = mv_rgb_mix(c, mv_rgb_scale(s->sky_horizon, 0.25f), 0.55f * s->night);
    return mv_m_tinted(f, c);
}

mv_rgb mv_m_dark(const mv_motif_frame *f)
{
    const mv_scene *s = f->s;
    float l = mv_luma(s->palette[0]);
    mv_rgb dark = l > 0.05f ? mv_rgb_scale(s->palette[0], 0.05f / l) : s->palette[0];
    return mv_m_tinted(f, mv_rgb_mix(dark, mv_rgb_scale(s->land, 0.5f), 0.3f * (1 - s->night)));
}

mv_rgb mv_m_emit(const mv_motif_frame *f, uint32_t hex)
{
    mv_rgb c = mv_rgb_hex(hex);
    if (f->s->mono)
        c = mv_rgb_make(mv_luma(c), mv_luma(c), mv_luma(c));
    return mv_m_tinted(f, c);
}

void mv_m_line(const mv_motif_frame *f, float u0, float v0, float u1, float v1, float width,
               mv_rgb col)
{
    mv_draw_line(f->c, mv_m_px(f, u0), mv_m_py(f, v0), mv_m_px(f, u1), mv_m_py(f, v1),
                 fmaxf(1.0f, width * f->size), col, f->alpha);
}

void mv_m_rect(const mv_motif_frame *f, float u0, float v0, float u1, float v1, mv_rgb col)
{
    float x0 = mv_m_px(f, u0), x1 = mv_m_px(f, u1), y0 = mv_m_py(f, v0), y1 = mv_m_py(f, v1);
    mv_draw_rect(f->c, fminf(x0, x1), fminf(y0, y1), fmaxf(x0, x1), fmaxf(y0, y1), col,
                 f->alpha);
}

void mv_m_disc(const mv_motif_frame *f, float u, float v, float r, mv_rgb col)
{
    mv_draw_disc(f->c, mv_m_px(f, u), mv_m_py(f, v), fmaxf(0.6f, r * f->size), col, f->alpha);
}

void mv_m_glow(const mv_motif_frame *f, float u, float v, float r, mv_rgb col, float strength)
{
    mv_draw_glow(f->c, mv_m_px(f, u), mv_m_py(f, v), r * f->size, col, strength * f->alpha,
                 2.0f);
}

void mv_m_tri(const mv_motif_frame *f, float u0, float v0, float u1, float v1, float u2,
              float v2, mv_rgb col)
{
    mv_draw_tri(f->c, mv_m_px(f, u0), mv_m_py(f, v0), mv_m_px(f, u1), mv_m_py(f, v1),
                mv_m_px(f, u2), mv_m_py(f, v2), col, f->alpha);
}

void mv_m_quad(const mv_motif_frame *f, float u0, float v0, float u1, float v1, float u2,
               float v2, float u3, float v3, mv_rgb col)
{
    mv_m_tri(f, u0, v0, u1, v1, u2, v2, col);
    mv_m_tri(f, u0, v0, u2, v2, u3, v3, col);
}

/* Signed distance (pixels) of p from the edge a->b, positive inside a counter-clockwise
 * triangle. */
static inline float mv_edge(float ax, float ay, float bx, float by, float px, float py,
                            float inv_len)
{
    return ((bx - ax) * (py - ay) - (by - ay) * (px - ax)) * inv_len;
}

void mv_draw_tri(const mv_canvas *c, float x0, float y0, float x1, float y1, float x2, float y2,
                 mv_rgb col, float alpha)
{
    float area = (x1 - x0) * (y2 - y0) - (y1 - y0) * (x2 - x0);
    if (fabsf(area) < 1e-3f)
        return;
    if (area < 0) { /* make it counter-clockwise in this y-down frame's sense */
        float tx = x1, ty = y1;
        x1 = x2;
        y1 = y2;
        x2 = tx;
        y2 = ty;
    }
    int bx0 = (int)floorf(fminf(x0, fminf(x1, x2))) - 1, bx1 = (int)ceilf(fmaxf(x0, fmaxf(x1, x2))) + 1;
    int by0 = (int)floorf(fminf(y0, fminf(y1, y2))) - 1, by1 = (int)ceilf(fmaxf(y0, fmaxf(y1, y2))) + 1;
    if (bx0 < 0)
        bx0 = 0;
    if (by0 < 0)
        by0 = 0;
    if (bx1 > c->w)
        bx1 = c->w;
    if (by1 > c->h)
        by1 = c->h;
    float l0 = 1.0f / fmaxf(1e-6f, hypotf(x1 - x0, y1 - y0));
    float l1 = 1.0f / fmaxf(1e-6f, hypotf(x2 - x1, y2 - y1));
    float l2 = 1.0f / fmaxf(1e-6f, hypotf(x0 - x2, y0 - y2));
    for (int y = by0; y < by1; y++) {
        float py = (float)y + 0.5f;
        for (int x = bx0; x < bx1; x++) {
            float px = (float)x + 0.5f;
            float d = fminf(mv_edge(x0, y0, x1, y1, px, py, l0),
                            fminf(mv_edge(x1, y1, x2, y2, px, py, l1),
                                  mv_edge(x2, y2, x0, y0, px, py, l2)));
            float a = mv_clampf(d + 0.5f, 0.0f, 1.0f);
            if (a > 0)
                mv_canvas_blend(c, x, y, col, a * alpha);
        }
    }
}
