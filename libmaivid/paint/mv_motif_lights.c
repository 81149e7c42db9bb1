/*
 * mv_motif_lights.c - things that give light or burn: a lantern, a street lamp with its cone
 * of light, a candle, a fire (logs and flames with sparks, not a strip of flame) and a plume
 * of smoke.
 */
#include "paint/mv_motif_draw.h"

void mv_motif_lantern(const mv_motif_frame *f)
{
    mv_rgb metal = mv_m_dark(f);
    mv_rgb light = mv_m_emit(f, f->variant & 1 ? 0xffb060 : 0xffd890);
    if (f->s->has_accent)
        light = mv_rgb_mix(light, f->s->accent, 0.3f);
    mv_m_glow(f, 0.0f, 0.45f, 1.4f, light, 0.45f + 0.4f * f->s->night);
    mv_m_line(f, 0.0f, 1.0f, 0.0f, 0.86f, 0.02f, metal); /* handle */
    mv_m_disc(f, 0.0f, 0.9f, 0.06f, metal);
    mv_m_disc(f, 0.0f, 0.9f, 0.035f, mv_rgb_scale(light, 0.15f));
    mv_m_quad(f, -0.2f, 0.72f, 0.2f, 0.72f, 0.1f, 0.84f, -0.1f, 0.84f, metal); /* roof */
    mv_m_rect(f, -0.16f, 0.18f, 0.16f, 0.72f, light);                         /* glass */
    mv_m_disc(f, 0.0f, 0.4f, 0.09f, mv_m_emit(f, 0xfffbe8));                    /* flame */
    for (int i = -1; i <= 1; i++)
        mv_m_line(f, (float)i * 0.16f, 0.18f, (float)i * 0.16f, 0.72f, 0.03f, metal);
    mv_m_rect(f, -0.2f, 0.1f, 0.2f, 0.18f, metal); /* base */
}

void mv_motif_lamp(const mv_motif_frame *f)
{
    mv_rgb post = mv_m_dark(f);
    mv_rgb light = mv_m_emit(f, 0xffd898);
    if (f->s->words.neon)
        light = mv_rgb_mix(light, f->s->palette[3], 0.5f);
    if (f->flip > 0) { /* the cone of light down to the ground */
        mv_motif_frame cone = *f;
        cone.alpha = 0.1f + 0.15f * f->s->night;
        mv_m_tri(&cone, 0.3f, 0.96f, -0.25f, 0.0f, 0.85f, 0.0f, light);
        mv_m_glow(f, 0.3f, 0.0f, 0.5f, light, 0.25f * (0.4f + f->s->night));
    }
    mv_m_line(f, 0.0f, 0.0f, 0.0f, 1.0f, 0.035f, post);
    mv_m_rect(f, -0.06f, 0.0f, 0.06f, 0.06f, post);
    mv_m_line(f, 0.0f, 1.0f, 0.3f, 1.0f, 0.025f, post);
    mv_m_tri(f, 0.22f, 0.99f, 0.38f, 0.99f, 0.3f, 1.03f, post);
    mv_m_glow(f, 0.3f, 0.96f, 0.5f, light, 0.6f);
    mv_m_disc(f, 0.3f, 0.965f, 0.04f, mv_rgb_scale(light, 1.5f));
}

void mv_motif_candle(const mv_motif_frame *f)
{
    mv_rgb wax = mv_m_lit(f, f->variant & 1 ? 0xc83a3a : 0xf2ead8);
    mv_rgb flame = mv_m_emit(f, 0xffc860);
    mv_m_glow(f, 0.0f, 0.8f, 1.2f, flame, 0.5f + 0.3f * f->s->night);
    /* the wax catches the flame's light */
    mv_m_rect(f, -0.09f, 0.0f, 0.09f, 0.66f, mv_rgb_mix(wax, flame, 0.25f));
    mv_m_disc(f, 0.0f, 0.66f, 0.09f, mv_rgb_mix(wax, flame, 0.45f));
    mv_m_line(f, 0.0f, 0.66f, 0.0f, 0.72f, 0.012f, mv_m_dark(f));
    mv_m_tri(f, -0.04f, 0.76f, 0.04f, 0.76f, 0.0f, 0.95f, flame);
    mv_m_disc(f, 0.0f, 0.76f, 0.04f, flame);
    mv_m_disc(f, 0.0f, 0.77f, 0.018f, mv_m_emit(f, 0xfffff0));
    mv_m_rect(f, -0.2f, -0.02f, 0.2f, 0.02f, mv_m_lit(f, 0x8a7a60)); /* holder */
}

void mv_motif_fire(const mv_motif_frame *f)
{
    mv_rgb deep = mv_m_emit(f, 0xe0401a), mid = mv_m_emit(f, 0xff9a2a);
    mv_rgb core = mv_m_emit(f, 0xfff0a0);
    mv_m_glow(f, 0.0f, 0.3f, 2.2f, mid, 0.5f + 0.4f * f->s->night);
    mv_rgb wood = mv_m_lit(f, 0x4a2a18);
    mv_m_line(f, -0.45f, 0.02f, 0.4f, 0.12f, 0.07f, wood);
    mv_m_line(f, 0.45f, 0.02f, -0.4f, 0.12f, 0.07f, wood);
    int tongues = 7;
    for (int i = 0; i < tongues; i++) {
        float u = ((float)i / (tongues - 1) - 0.5f) * 0.6f;
        float hgt = (0.55f + 0.45f * mv_m_rand(f, i)) * (1.0f - fabsf(u) * 1.2f);
        float lean = (mv_m_rand(f, 20 + i) - 0.5f) * 0.15f;
        mv_m_tri(f, u - 0.13f, 0.06f, u + 0.13f, 0.06f, u + lean, 0.06f + hgt, deep);
    }
    for (int i = 0; i < 5; i++) {
        float u = ((float)i / 4 - 0.5f) * 0.4f;
        float hgt = (0.35f + 0.3f * mv_m_rand(f, 40 + i)) * (1.0f - fabsf(u));
        mv_m_tri(f, u - 0.09f, 0.06f, u + 0.09f, 0.06f, u, 0.06f + hgt, mid);
    }
    mv_m_tri(f, -0.12f, 0.06f, 0.12f, 0.06f, 0.0f, 0.34f, core);
    for (int i = 0; i < 12; i++) /* sparks */
        mv_m_disc(f, (mv_m_rand(f, 60 + i) - 0.5f) * 0.9f, 0.5f + mv_m_rand(f, 80 + i) * 0.8f,
                  0.012f, core);
}

void mv_motif_smoke(const mv_motif_frame *f)
{
    mv_rgb grey = mv_rgb_mix(mv_m_lit(f, 0xa8a8a8), f->s->fog, 0.4f);
    mv_motif_frame g = *f;
    g.alpha = f->alpha * 0.16f;
    float drift = (f->variant & 1) ? 0.6f : -0.6f;
    for (int i = 0; i < 26; i++) {
        float t = (float)i / 25.0f;
        float u = drift * t * t + (mv_m_rand(f, i) - 0.5f) * 0.12f * (1 + t);
        mv_m_disc(&g, u, t * 1.0f, 0.05f + 0.16f * t, grey);
    }
}
