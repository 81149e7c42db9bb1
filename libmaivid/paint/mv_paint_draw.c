/*
 * mv_paint_draw.c - the painter's drawing primitives on the float canvas: anti-aliased discs,
 * additive glows, thick lines and rectangles, each touching only its bounding box.
 */
#include "paint/mv_paint_internal.h"

typedef struct mv_box {
    int x0, y0, x1, y1; /* inclusive-exclusive */
} mv_box;

static int mv_clip(const mv_canvas *c, float x0, float y0, float x1, float y1, mv_box *b)
{
    b->x0 = (int)floorf(x0);
    b->y0 = (int)floorf(y0);
    b->x1 = (int)ceilf(x1) + 1;
    b->y1 = (int)ceilf(y1) + 1;
    if (b->x0 < 0)
        b->x0 = 0;
    if (b->y0 < 0)
        b->y0 = 0;
    if (b->x1 > c->w)
        b->x1 = c->w;
    if (b->y1 > c->h)
        b->y1 = c->h;
    return b->x0 < b->x1 && b->y0 < b->y1;
}

void mv_draw_disc(const mv_canvas *c, float cx, float cy, float r, mv_rgb col, float alpha)
{
    mv_box b;
    if (r <= 0 || !mv_clip(c, cx - r - 1, cy - r - 1, cx + r + 1, cy + r + 1, &b))
        return;
    for (int y = b.y0; y < b.y1; y++) {
        float dy = (float)y + 0.5f - cy;
        for (int x = b.x0; x < b.x1; x++) {
            float dx = (float)x + 0.5f - cx;
            float d = sqrtf(dx * dx + dy * dy);
            float a = mv_clampf(r - d + 0.5f, 0.0f, 1.0f);
            if (a > 0)
                mv_canvas_blend(c, x, y, col, a * alpha);
        }
    }
}

void mv_draw_glow(const mv_canvas *c, float cx, float cy, float r, mv_rgb col, float strength,
                  float power)
{
    mv_box b;
    if (r <= 0 || !mv_clip(c, cx - r, cy - r, cx + r, cy + r, &b))
        return;
    float inv_r2 = 1.0f / (r * r);
    for (int y = b.y0; y < b.y1; y++) {
        float dy = (float)y + 0.5f - cy;
        for (int x = b.x0; x < b.x1; x++) {
            float dx = (float)x + 0.5f - cx;
            float d2 = (dx * dx + dy * dy) * inv_r2;
            if (d2 >= 1.0f)
                continue;
            float t = 1.0f - sqrtf(d2);
            float a = power == 2.0f ? t * t : (power == 3.0f ? t * t * t : powf(t, power));
            mv_canvas_add(c, x, y, col, a * strength);
        }
    }
}

void mv_draw_line(const mv_canvas *c, float x0, float y0, float x1, float y1, float width,
                  mv_rgb col, float alpha)
{
    float hw = width * 0.5f;
    mv_box b;
    if (!mv_clip(c, fminf(x0, x1) - hw - 1, fminf(y0, y1) - hw - 1, fmaxf(x0, x1) + hw + 1,
                 fmaxf(y0, y1) + hw + 1, &b))
        return;
    float vx = x1 - x0, vy = y1 - y0;
    float len2 = vx * vx + vy * vy;
    float inv = len2 > 0 ? 1.0f / len2 : 0.0f;
    for (int y = b.y0; y < b.y1; y++) {
        float py = (float)y + 0.5f - y0;
        for (int x = b.x0; x < b.x1; x++) {
            float px = (float)x + 0.5f - x0;
            float t = mv_clampf((px * vx + py * vy) * inv, 0.0f, 1.0f);
            float dx = px - vx * t, dy = py - vy * t;
            float d = sqrtf(dx * dx + dy * dy);
            float a = mv_clampf(hw - d + 0.5f, 0.0f, 1.0f);
            if (a > 0)
                mv_canvas_blend(c, x, y, col, a * alpha);
        }
    }
}

void mv_draw_rect(const mv_canvas *c, float x0, float y0, float x1, float y1, mv_rgb col,
                  float alpha)
{
    mv_box b;
    if (x1 <= x0 || y1 <= y0 || !mv_clip(c, x0, y0, x1, y1, &b))
        return;
    for (int y = b.y0; y < b.y1; y++) {
        float fy = (float)y;
        float cy = mv_clampf(fminf(fy + 1.0f, y1) - fmaxf(fy, y0), 0.0f, 1.0f);
        if (cy <= 0)
            continue;
        for (int x = b.x0; x < b.x1; x++) {
            float fx = (float)x;
            float cx = mv_clampf(fminf(fx + 1.0f, x1) - fmaxf(fx, x0), 0.0f, 1.0f);
            if (cx > 0)
                mv_canvas_blend(c, x, y, col, cx * cy * alpha);
        }
    }
}
