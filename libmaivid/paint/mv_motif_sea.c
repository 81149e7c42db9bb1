/*
 * mv_motif_sea.c - things on the water: a striped lighthouse on its rock with a lit lantern
 * room (and beams after dark), a rowing or fishing boat, a sailboat, and a ship with lit
 * portholes.
 */
#include "paint/mv_motif_draw.h"

void mv_motif_lighthouse(const mv_motif_frame *f)
{
    static const uint32_t bands[][2] = {{0xf2efe8, 0xc8282a}, {0xf2efe8, 0xf2efe8},
                                        {0xf2efe8, 0x1c1c22}, {0xe8e0c8, 0x2a5a9a}};
    const uint32_t *b = bands[f->variant & 3];
    mv_rgb rock = mv_m_lit(f, 0x4a4640);
    mv_m_tri(f, -0.34f, 0.0f, 0.3f, 0.0f, -0.02f, 0.16f, rock);
    mv_m_quad(f, -0.2f, 0.0f, 0.2f, 0.0f, 0.12f, 0.13f, -0.16f, 0.12f, rock);
    const int n = 5;
    for (int i = 0; i < n; i++) { /* tapering tower in bands */
        float v0 = 0.12f + 0.66f * (float)i / n, v1 = 0.12f + 0.66f * (float)(i + 1) / n;
        float h0 = 0.095f - 0.035f * (v0 - 0.12f) / 0.66f, h1 = 0.095f - 0.035f * (v1 - 0.12f) / 0.66f;
        mv_m_quad(f, -h0, v0, h0, v0, h1, v1, -h1, v1, mv_m_lit(f, b[i & 1]));
    }
    /* shade on the side away from the light */
    mv_rgb shade = mv_rgb_scale(mv_m_dark(f), 1.0f);
    mv_motif_frame g = *f;
    g.alpha *= 0.35f;
    mv_m_quad(&g, 0.02f, 0.12f, 0.095f, 0.12f, 0.06f, 0.78f, 0.015f, 0.78f, shade);
    mv_rgb dark = mv_m_dark(f);
    mv_m_rect(f, -0.1f, 0.78f, 0.1f, 0.80f, dark);          /* gallery */
    mv_m_line(f, -0.1f, 0.80f, 0.1f, 0.80f, 0.008f, dark);
    mv_rgb lamp = mv_m_emit(f, 0xfff0b0);
    mv_m_rect(f, -0.055f, 0.80f, 0.055f, 0.89f, lamp);      /* lantern room */
    mv_m_line(f, 0.0f, 0.80f, 0.0f, 0.89f, 0.01f, dark);
    mv_m_tri(f, -0.075f, 0.89f, 0.075f, 0.89f, 0.0f, 0.97f, dark); /* cap */
    mv_m_line(f, 0.0f, 0.97f, 0.0f, 1.0f, 0.008f, dark);
    float night = f->s->night;
    mv_m_glow(f, 0.0f, 0.845f, 0.35f + 0.4f * night, lamp, 0.5f + 0.7f * night);
    if (night > 0.3f && f->flip > 0) { /* beams sweep out over the sea */
        mv_motif_frame beam = *f;
        beam.alpha = 0.22f * night;
        float spread = 0.9f + 0.8f * mv_m_rand(f, 1);
        mv_m_tri(&beam, 0.0f, 0.845f, 2.6f * spread, 0.98f, 2.6f * spread, 0.72f, lamp);
        beam.facing = -f->facing;
        beam.alpha = 0.12f * night;
        mv_m_tri(&beam, 0.0f, 0.845f, 1.6f, 0.92f, 1.6f, 0.8f, lamp);
    }
}

static void mv_hull(const mv_motif_frame *f, float len, float depth, uint32_t hex)
{
    mv_rgb hull = mv_m_lit(f, hex);
    mv_m_quad(f, -len * 0.5f, depth, len * 0.55f, depth * 1.25f, len * 0.38f, 0.0f,
              -len * 0.4f, 0.0f, hull);
    mv_m_line(f, -len * 0.5f, depth, len * 0.55f, depth * 1.25f, 0.02f,
              mv_rgb_scale(hull, 1.4f));
}

void mv_motif_boat(const mv_motif_frame *f)
{
    static const uint32_t hulls[] = {0x8a3a22, 0x2a4a7a, 0xd8d0c0, 0x3a6a3a};
    mv_hull(f, 1.0f, 0.16f, hulls[f->variant & 3]);
    mv_rgb dark = mv_m_dark(f);
    if (f->variant & 1) { /* a fishing boat: wheelhouse, mast and a lamp */
        mv_rgb cabin = mv_m_lit(f, 0xe6e0d0);
        mv_m_rect(f, -0.05f, 0.16f, 0.22f, 0.36f, cabin);
        mv_m_rect(f, 0.0f, 0.25f, 0.08f, 0.32f, mv_m_emit(f, 0xffd080));
        mv_m_line(f, -0.22f, 0.16f, -0.22f, 0.85f, 0.018f, dark);
        mv_m_line(f, -0.22f, 0.8f, 0.45f, 0.18f, 0.008f, dark);
        mv_m_line(f, -0.22f, 0.8f, -0.48f, 0.2f, 0.008f, dark);
        mv_m_glow(f, -0.22f, 0.86f, 0.25f, mv_m_emit(f, 0xffd890), 0.3f + 0.6f * f->s->night);
    } else { /* a rowing boat with its oars */
        mv_m_line(f, -0.3f, 0.2f, -0.62f, -0.05f, 0.02f, dark);
        mv_m_line(f, 0.3f, 0.2f, 0.62f, -0.05f, 0.02f, dark);
        mv_m_disc(f, 0.0f, 0.3f, 0.07f, dark);
        mv_m_line(f, 0.0f, 0.16f, 0.0f, 0.3f, 0.1f, dark);
    }
}

void mv_motif_sailboat(const mv_motif_frame *f)
{
    static const uint32_t sails[] = {0xf4f0e6, 0xe8c890, 0xd84830, 0xf0f0f0};
    mv_hull(f, 0.7f, 0.09f, 0xf0ece4);
    mv_rgb dark = mv_m_dark(f);
    mv_m_line(f, 0.0f, 0.09f, 0.0f, 1.0f, 0.014f, dark);
    mv_rgb sail = mv_m_lit(f, sails[f->variant & 3]);
    mv_m_tri(f, 0.01f, 0.98f, 0.01f, 0.14f, 0.34f, 0.14f, sail);
    mv_m_tri(f, -0.01f, 0.86f, -0.01f, 0.14f, -0.3f, 0.14f, mv_rgb_scale(sail, 0.85f));
}

void mv_motif_ship(const mv_motif_frame *f)
{
    static const uint32_t hulls[] = {0x1e2228, 0x7a1e1a, 0x1e3a5a, 0x2a2a2a};
    mv_rgb hull = mv_m_lit(f, hulls[f->variant & 3]);
    mv_m_quad(f, -1.1f, 0.3f, 1.25f, 0.36f, 1.05f, 0.0f, -1.0f, 0.0f, hull);
    mv_rgb deck = mv_m_lit(f, 0xe0dcd2);
    mv_m_rect(f, -0.55f, 0.3f, 0.45f, 0.52f, deck);
    mv_m_rect(f, -0.35f, 0.52f, 0.25f, 0.68f, deck);
    mv_rgb funnel = mv_m_lit(f, (f->variant & 1) ? 0xd83a2a : 0xd8a030);
    mv_m_quad(f, -0.05f, 0.68f, 0.12f, 0.68f, 0.1f, 0.95f, -0.03f, 0.95f, funnel);
    mv_m_rect(f, -0.04f, 0.9f, 0.105f, 0.95f, mv_m_dark(f));
    mv_rgb lit = mv_m_emit(f, 0xffe0a0);
    float on = 0.35f + 0.65f * f->s->night;
    for (int i = 0; i < 9; i++) { /* portholes and deck windows */
        float u = -0.85f + 0.2f * (float)i;
        mv_m_disc(f, u, 0.18f, 0.025f, mv_rgb_mix(hull, lit, on));
        if (i > 1 && i < 7)
            mv_m_rect(f, u - 0.05f, 0.38f, u + 0.03f, 0.45f, mv_rgb_mix(deck, lit, on));
    }
}
