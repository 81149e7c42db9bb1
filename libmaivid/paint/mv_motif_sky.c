/*
 * mv_motif_sky.c - things in the sky: a flock of birds (gulls are white and bent-winged in
 * daylight), fireworks bursting in the palette's colours, and a bunch of balloons or a hot
 * air balloon.
 */
#include "paint/mv_motif_draw.h"

void mv_motif_birds(const mv_motif_frame *f)
{
    int gulls = f->variant & 1;
    int count = 5 + (int)(mv_m_rand(f, 0) * 8.0f);
    mv_rgb col = gulls && f->s->night < 0.5f ? mv_m_lit(f, 0xf8f8f4) : mv_m_dark(f);
    if (!gulls && f->s->night > 0.8f)
        col = mv_rgb_scale(f->s->sky_horizon, 0.3f);
    for (int i = 0; i < count; i++) {
        float bu = (mv_m_rand(f, 10 + i) - 0.5f) * 2.2f, bv = (mv_m_rand(f, 40 + i) - 0.5f) * 0.8f;
        float span = 0.07f + 0.06f * mv_m_rand(f, 70 + i);
        if (i == 0) {
            bu = 0.0f;
            bv = 0.0f;
            span *= 1.5f;
        }
        float flap = 0.2f + 0.5f * mv_m_rand(f, 100 + i);
        for (int side = -1; side <= 1; side += 2) {
            float sgn = (float)side;
            float mu = bu + sgn * span * 0.45f, mv = bv + span * flap;
            mv_m_line(f, bu, bv, mu, mv, span * 0.14f, col);
            mv_m_line(f, mu, mv, bu + sgn * span, bv + span * flap * (gulls ? -0.2f : 0.4f),
                      span * 0.1f, col);
        }
        if (gulls)
            mv_m_disc(f, bu, bv - span * 0.03f, span * 0.1f, col);
    }
}

void mv_motif_fireworks(const mv_motif_frame *f)
{
    const mv_scene *s = f->s;
    int bursts = 2 + (int)(mv_m_rand(f, 0) * 3.0f);
    for (int b = 0; b < bursts; b++) {
        float bu = b == 0 ? 0.0f : (mv_m_rand(f, 10 + b) - 0.5f) * 2.4f;
        float bv = b == 0 ? 0.0f : (mv_m_rand(f, 20 + b) - 0.5f) * 0.6f;
        float r = (b == 0 ? 0.45f : 0.22f + 0.2f * mv_m_rand(f, 30 + b));
        mv_rgb col = s->palette[2 + (b + f->variant) % 3];
        col = mv_rgb_mix(col, mv_rgb_make(1.0f, 0.9f, 0.6f), 0.3f);
        if (s->has_accent && b == 0)
            col = s->accent;
        mv_m_glow(f, bu, bv, r * 1.6f, col, 0.35f);
        int rays = 22 + (int)(mv_m_rand(f, 40 + b) * 14.0f);
        for (int i = 0; i < rays; i++) {
            float a = 6.2831853f * ((float)i + 0.5f * mv_m_rand(f, 100 + i)) / (float)rays;
            float len = r * (0.7f + 0.3f * mv_m_rand(f, 200 + i + b * 50));
            float cu = cosf(a), sv = sinf(a);
            mv_m_line(f, bu + cu * len * 0.25f, bv + sv * len * 0.25f, bu + cu * len,
                      bv + sv * len - 0.05f * len, 0.012f, mv_rgb_scale(col, 1.3f));
            mv_m_disc(f, bu + cu * len, bv + sv * len - 0.05f * len, 0.014f,
                      mv_rgb_make(1.0f, 0.95f, 0.8f));
        }
    }
}

void mv_motif_balloons(const mv_motif_frame *f)
{
    static const uint32_t colours[] = {0xe83a3a, 0xf0c030, 0x3a8ae8, 0xe860b0, 0x40c060,
                                       0xf08a30};
    if (f->variant & 1) { /* a hot air balloon */
        mv_rgb a = mv_m_lit(f, colours[f->variant % 6]), b = mv_m_lit(f, 0xf4ecd8);
        mv_m_disc(f, 0.0f, 0.62f, 0.36f, a);
        mv_m_tri(f, -0.33f, 0.5f, 0.33f, 0.5f, 0.0f, 0.16f, a);
        for (int i = -1; i <= 1; i += 2)
            mv_m_quad(f, (float)i * 0.1f, 0.97f, (float)i * 0.2f, 0.94f, (float)i * 0.14f, 0.3f,
                      (float)i * 0.06f, 0.26f, b);
        mv_rgb dark = mv_m_dark(f);
        mv_m_line(f, -0.08f, 0.2f, -0.06f, 0.08f, 0.01f, dark);
        mv_m_line(f, 0.08f, 0.2f, 0.06f, 0.08f, 0.01f, dark);
        mv_m_rect(f, -0.07f, 0.0f, 0.07f, 0.08f, mv_m_lit(f, 0x8a5a30));
        return;
    }
    int count = 5 + (int)(mv_m_rand(f, 0) * 5.0f);
    mv_rgb string = mv_rgb_scale(mv_m_lit(f, 0xe0e0e0), 0.8f);
    for (int i = 0; i < count; i++) {
        float u = (mv_m_rand(f, 10 + i) - 0.5f) * 0.7f, v = 0.55f + 0.4f * mv_m_rand(f, 20 + i);
        mv_m_line(f, u, v - 0.1f, 0.0f, 0.0f, 0.006f, string);
        mv_rgb col = mv_m_lit(f, colours[(i + f->variant) % 6]);
        mv_m_disc(f, u, v, 0.1f, col);
        mv_m_disc(f, u, v - 0.04f, 0.085f, col);
        mv_m_disc(f, u - 0.03f, v + 0.03f, 0.025f, mv_rgb_add(col, mv_rgb_make(0.3f, 0.3f, 0.3f)));
    }
}
