/*
 * mv_motif_plants.c - trees and flowers: a pine, a round leafy tree (oak, maple), a palm, a
 * weeping willow, and a patch of flowers in the palette's or the named colour.
 */
#include "paint/mv_motif_draw.h"

static mv_rgb mv_leaves(const mv_motif_frame *f, uint32_t hex)
{
    mv_rgb c = mv_m_lit(f, hex);
    if (f->s->words.snow)
        c = mv_rgb_mix(c, mv_m_lit(f, 0xeef2f8), 0.35f);
    return c;
}

void mv_motif_pine(const mv_motif_frame *f)
{
    mv_rgb green = mv_leaves(f, 0x1e4a2a), trunk = mv_m_lit(f, 0x4a3020);
    mv_m_rect(f, -0.03f, 0.0f, 0.03f, 0.2f, trunk);
    int tiers = 4 + (f->variant & 1);
    for (int i = 0; i < tiers; i++) {
        float v0 = 0.12f + 0.8f * (float)i / (float)tiers;
        float half = 0.28f * (1.0f - (float)i / (float)(tiers + 1));
        mv_m_tri(f, -half, v0, half, v0, 0.0f, v0 + 0.34f, i & 1 ? green : mv_rgb_scale(green, 0.85f));
    }
}

void mv_motif_tree(const mv_motif_frame *f)
{
    static const uint32_t greens[] = {0x3a6a2a, 0x5a7a2a, 0xc8642a, 0x2a5a3a};
    mv_rgb leaf = mv_leaves(f, greens[f->variant & 3]), trunk = mv_m_lit(f, 0x4a3020);
    mv_m_quad(f, -0.05f, 0.0f, 0.05f, 0.0f, 0.03f, 0.5f, -0.03f, 0.5f, trunk);
    mv_m_line(f, 0.0f, 0.4f, 0.18f, 0.58f, 0.03f, trunk);
    mv_m_line(f, 0.0f, 0.45f, -0.15f, 0.62f, 0.03f, trunk);
    for (int i = 0; i < 9; i++) {
        float u = (mv_m_rand(f, i) - 0.5f) * 0.55f, v = 0.6f + (mv_m_rand(f, 20 + i) - 0.4f) * 0.4f;
        float r = 0.14f + 0.08f * mv_m_rand(f, 40 + i);
        mv_m_disc(f, u, v, r, i < 5 ? mv_rgb_scale(leaf, 0.8f) : leaf);
    }
    mv_m_disc(f, -0.08f, 0.78f, 0.12f, mv_rgb_scale(leaf, 1.15f)); /* the lit side */
}

void mv_motif_palm(const mv_motif_frame *f)
{
    mv_rgb trunk = mv_m_lit(f, 0x7a5a3a), leaf = mv_leaves(f, 0x2a6a2a);
    float bend = 0.25f;
    for (int i = 0; i < 10; i++) {
        float t0 = (float)i / 10.0f, t1 = (float)(i + 1) / 10.0f;
        mv_m_line(f, bend * t0 * t0, 0.85f * t0, bend * t1 * t1, 0.85f * t1, 0.05f - 0.02f * t0,
                  trunk);
    }
    for (int k = 0; k < 7; k++) {
        float a = -0.3f + 3.74f * (float)k / 6.0f;
        float du = cosf(a), dv = sinf(a);
        float u0 = bend, v0 = 0.85f;
        for (int s = 0; s < 6; s++) {
            float t0 = (float)s / 6.0f, t1 = (float)(s + 1) / 6.0f;
            mv_m_line(f, u0 + du * 0.45f * t0, v0 + dv * 0.3f * t0 - 0.25f * t0 * t0,
                      u0 + du * 0.45f * t1, v0 + dv * 0.3f * t1 - 0.25f * t1 * t1,
                      0.06f * (1.0f - t0 * 0.7f), leaf);
        }
    }
}

void mv_motif_willow(const mv_motif_frame *f)
{
    mv_rgb trunk = mv_m_lit(f, 0x4a3a2a), leaf = mv_leaves(f, 0x6a8a3a);
    mv_m_quad(f, -0.06f, 0.0f, 0.06f, 0.0f, 0.03f, 0.6f, -0.03f, 0.6f, trunk);
    mv_m_disc(f, 0.0f, 0.72f, 0.3f, mv_rgb_scale(leaf, 0.85f));
    for (int i = 0; i < 26; i++) { /* hanging fronds */
        float u = -0.5f + (float)i / 25.0f;
        float v0 = 0.72f + 0.25f * sqrtf(fmaxf(0.0f, 0.25f - u * u * 0.8f));
        float v1 = 0.12f + 0.3f * mv_m_rand(f, i) + 0.3f * fabsf(u);
        mv_m_line(f, u * 0.6f, v0, u * 1.05f, v1, 0.02f, i & 1 ? leaf : mv_rgb_scale(leaf, 0.8f));
    }
}

void mv_motif_flowers(const mv_motif_frame *f)
{
    static const uint32_t petals[] = {0xe83a5a, 0xf4d040, 0xf0f0f0, 0xb060e0, 0xf08a30};
    mv_rgb stem = mv_leaves(f, 0x3a7a2a);
    int count = 14 + (int)(mv_m_rand(f, 0) * 10.0f);
    for (int i = 0; i < count; i++) {
        float u = (mv_m_rand(f, 10 + i) - 0.5f) * 2.0f, v = 0.35f + 0.6f * mv_m_rand(f, 40 + i);
        mv_m_line(f, u, 0.0f, u + 0.04f, v, 0.015f, stem);
        mv_rgb p = f->s->has_accent && i % 2 == 0 ? f->s->accent
                                                  : mv_m_lit(f, petals[(i + f->variant) % 5]);
        float r = 0.06f + 0.03f * mv_m_rand(f, 70 + i);
        for (int k = 0; k < 5; k++) {
            float a = 1.2566f * (float)k;
            mv_m_disc(f, u + 0.04f + cosf(a) * r, v + sinf(a) * r, r * 0.7f, p);
        }
        mv_m_disc(f, u + 0.04f, v, r * 0.45f, mv_m_lit(f, 0xf0c020));
    }
}
