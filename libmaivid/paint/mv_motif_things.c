/*
 * mv_motif_things.c - close-up things: an acoustic guitar, a grand piano, a microphone on its
 * stand under a spotlight, and a clock face.
 */
#include "paint/mv_motif_draw.h"

void mv_motif_guitar(const mv_motif_frame *f)
{
    mv_rgb wood = mv_m_lit(f, f->variant & 1 ? 0x8a2a1a : 0xc8884a);
    mv_rgb dark = mv_m_dark(f), neck = mv_m_lit(f, 0x4a2a1a);
    /* tilted: the body low, the neck up to the right */
    mv_motif_frame g = *f;
    mv_m_line(&g, 0.05f, 0.45f, 0.36f, 0.96f, 0.07f, neck);
    mv_m_quad(&g, 0.33f, 0.93f, 0.42f, 0.98f, 0.38f, 1.08f, 0.3f, 1.03f, neck);
    mv_m_disc(&g, -0.04f, 0.2f, 0.22f, wood);
    mv_m_disc(&g, 0.06f, 0.4f, 0.16f, wood);
    mv_m_disc(&g, 0.02f, 0.32f, 0.06f, dark);
    mv_m_line(&g, -0.1f, 0.1f, -0.02f, 0.06f, 0.03f, dark); /* bridge */
    mv_rgb str = mv_m_lit(f, 0xe0e0d0);
    for (int i = -1; i <= 1; i++)
        mv_m_line(&g, -0.06f + 0.012f * (float)i, 0.08f, 0.36f + 0.012f * (float)i, 0.96f, 0.004f, str);
}

void mv_motif_piano(const mv_motif_frame *f)
{
    mv_rgb body = mv_m_lit(f, f->variant & 1 ? 0xf0ece4 : 0x141418);
    body = mv_rgb_add(body, mv_rgb_make(0.04f, 0.04f, 0.05f));
    mv_rgb keys = mv_m_lit(f, 0xf4f2ea), black = mv_m_lit(f, 0x101010);
    /* grand piano side view: curved case, lid up, legs */
    mv_m_quad(f, -0.9f, 0.42f, 0.9f, 0.42f, 0.9f, 0.6f, -0.9f, 0.6f, body);
    for (int k = 0; k < 10; k++) { /* the curved tail */
        float t0 = (float)k / 10.0f, t1 = (float)(k + 1) / 10.0f;
        mv_m_quad(f, 0.3f + 0.6f * t0, 0.6f, 0.3f + 0.6f * t1, 0.6f, 0.3f + 0.6f * t1,
                  0.6f + 0.05f * sinf(3.14f * t1), 0.3f + 0.6f * t0, 0.6f + 0.05f * sinf(3.14f * t0),
                  body);
    }
    mv_m_tri(f, -0.6f, 0.62f, 0.9f, 0.62f, 0.65f, 1.1f, mv_rgb_scale(body, 0.8f)); /* lid */
    mv_m_line(f, 0.3f, 0.62f, 0.45f, 0.95f, 0.015f, black);
    mv_m_rect(f, -0.9f, 0.5f, -0.5f, 0.56f, keys);
    for (int i = 0; i < 7; i++)
        mv_m_rect(f, -0.88f + 0.055f * (float)i, 0.53f, -0.86f + 0.055f * (float)i, 0.56f, black);
    mv_m_rect(f, -0.8f, 0.0f, -0.74f, 0.42f, body);
    mv_m_rect(f, 0.7f, 0.0f, 0.76f, 0.42f, body);
    mv_m_rect(f, -0.05f, 0.0f, 0.01f, 0.42f, body);
}

void mv_motif_microphone(const mv_motif_frame *f)
{
    mv_rgb metal = mv_m_lit(f, 0x9aa0a8), dark = mv_m_dark(f);
    mv_m_glow(f, 0.0f, 0.6f, 1.1f, mv_m_emit(f, 0xfff4e0), 0.3f + 0.3f * f->s->night);
    mv_m_line(f, 0.0f, 0.0f, 0.0f, 0.72f, 0.025f, dark);
    mv_m_line(f, -0.2f, 0.0f, 0.2f, 0.0f, 0.03f, dark);
    mv_m_line(f, 0.0f, 0.0f, 0.0f, 0.05f, 0.05f, dark);
    mv_m_line(f, 0.0f, 0.72f, 0.08f, 0.8f, 0.03f, dark);
    mv_m_quad(f, 0.06f, 0.78f, 0.11f, 0.81f, 0.19f, 0.93f, 0.14f, 0.96f, dark);
    mv_m_disc(f, 0.19f, 0.98f, 0.075f, metal);
    mv_m_line(f, 0.13f, 0.98f, 0.25f, 0.98f, 0.008f, mv_rgb_scale(metal, 0.6f));
    mv_m_line(f, 0.19f, 0.92f, 0.19f, 1.04f, 0.008f, mv_rgb_scale(metal, 0.6f));
}

void mv_motif_clock(const mv_motif_frame *f)
{
    mv_rgb rim = mv_m_lit(f, f->variant & 1 ? 0xb08a3a : 0x3a3a3a);
    mv_rgb face = mv_rgb_add(mv_m_lit(f, 0xf4ecd8), mv_rgb_make(0.1f, 0.1f, 0.08f));
    mv_rgb hand = mv_m_dark(f);
    mv_m_disc(f, 0.0f, 0.5f, 0.5f, rim);
    mv_m_disc(f, 0.0f, 0.5f, 0.44f, face);
    for (int i = 0; i < 12; i++) {
        float a = 0.5236f * (float)i;
        float len = i % 3 == 0 ? 0.08f : 0.04f;
        mv_m_line(f, sinf(a) * 0.4f, 0.5f + cosf(a) * 0.4f, sinf(a) * (0.4f - len),
                  0.5f + cosf(a) * (0.4f - len), 0.02f, hand);
    }
    float hour = 6.2832f * mv_m_rand(f, 1), minute = 6.2832f * mv_m_rand(f, 2);
    mv_m_line(f, 0.0f, 0.5f, sinf(hour) * 0.22f, 0.5f + cosf(hour) * 0.22f, 0.035f, hand);
    mv_m_line(f, 0.0f, 0.5f, sinf(minute) * 0.34f, 0.5f + cosf(minute) * 0.34f, 0.022f, hand);
    mv_m_disc(f, 0.0f, 0.5f, 0.03f, hand);
}
