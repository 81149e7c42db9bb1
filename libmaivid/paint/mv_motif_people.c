/*
 * mv_motif_people.c - people as silhouettes against the light: one figure (standing,
 * walking or with arms raised), a couple holding hands, a dancer, a crowd with raised arms,
 * two hands reaching for each other (sleeves, palms, four fingers and a thumb each, a glow
 * where they almost touch), and a glowing heart.
 */
#include "paint/mv_motif_draw.h"

/* A person one unit tall. pose: 0 standing, 1 walking, 2 arms raised, 3 dancing;
 * reach -1/1: that hand reaches toward a partner. */
static void mv_person(const mv_motif_frame *f, float u, float scale, int pose, int reach,
                      mv_rgb col)
{
    float k = scale;
    float shoulder = 0.81f * k, waist = 0.5f * k;
    mv_m_disc(f, u, 0.935f * k, 0.068f * k, col);
    mv_m_line(f, u, 0.86f * k, u, 0.82f * k, 0.05f * k, col);
    mv_m_quad(f, u - 0.085f * k, shoulder, u + 0.085f * k, shoulder, u + 0.06f * k, waist,
              u - 0.06f * k, waist, col);
    if (pose == 3) { /* a skirt that swings */
        mv_m_tri(f, u - 0.05f * k, waist + 0.05f * k, u + 0.05f * k, waist + 0.05f * k,
                 u + 0.28f * k, 0.28f * k, col);
        mv_m_tri(f, u - 0.05f * k, waist + 0.05f * k, u + 0.28f * k, 0.28f * k,
                 u - 0.2f * k, 0.3f * k, col);
    }
    float stride = pose == 1 ? 0.14f : (pose == 3 ? 0.2f : 0.035f);
    mv_m_line(f, u - 0.035f * k, waist, u - stride * k, 0.0f, 0.075f * k, col);
    if (pose == 3)
        mv_m_line(f, u + 0.035f * k, waist, u + 0.2f * k, 0.22f * k, 0.07f * k, col);
    else
        mv_m_line(f, u + 0.035f * k, waist, u + stride * k, 0.0f, 0.075f * k, col);
    for (int side = -1; side <= 1; side += 2) {
        float sgn = (float)side, su = u + sgn * 0.085f * k;
        if (reach == side)
            mv_m_line(f, su, shoulder - 0.02f * k, u + sgn * 0.2f * k, 0.53f * k, 0.045f * k, col);
        else if (pose == 2 || (pose == 3 && side > 0))
            mv_m_line(f, su, shoulder - 0.02f * k, su + sgn * 0.12f * k, 1.12f * k, 0.045f * k, col);
        else if (pose == 3)
            mv_m_line(f, su, shoulder - 0.02f * k, su + sgn * 0.25f * k, 0.78f * k, 0.045f * k, col);
        else if (pose == 1)
            mv_m_line(f, su, shoulder - 0.02f * k, su - sgn * 0.06f * k, 0.5f * k, 0.045f * k, col);
        else
            mv_m_line(f, su, shoulder - 0.02f * k, su + sgn * 0.02f * k, 0.48f * k, 0.045f * k, col);
    }
}

void mv_motif_figure(const mv_motif_frame *f)
{
    static const int poses[] = {0, 1, 2, 0};
    mv_person(f, 0.0f, 1.0f, poses[f->variant & 3], 0, mv_m_dark(f));
}

void mv_motif_couple(const mv_motif_frame *f)
{
    mv_rgb col = mv_m_dark(f);
    mv_person(f, -0.2f, 1.0f, 0, 1, col);
    mv_person(f, 0.2f, 0.92f, f->variant & 1 ? 1 : 0, -1, col);
}

void mv_motif_dancer(const mv_motif_frame *f)
{
    mv_rgb col = mv_m_dark(f);
    if (f->s->night > 0.4f) /* a spotlight on the dancer */
        mv_m_glow(f, 0.0f, 0.5f, 0.9f, mv_m_emit(f, 0xfff0d0), 0.25f);
    mv_person(f, 0.0f, 1.0f, 3, 0, col);
}

void mv_motif_crowd(const mv_motif_frame *f)
{
    mv_rgb col = mv_m_dark(f);
    /* stage light behind them, so the silhouettes read even at night */
    mv_rgb light = mv_rgb_mix(mv_m_emit(f, 0xffe0b0), f->s->palette[3], 0.5f);
    for (int i = -2; i <= 2; i++)
        mv_m_glow(f, 0.7f * (float)i, 0.75f, 0.9f, light, 0.22f);
    int n = 16 + (int)(mv_m_rand(f, 0) * 8.0f);
    for (int i = 0; i < n; i++) {
        float u = -1.6f + 3.2f * ((float)i + mv_m_rand(f, 10 + i) * 0.6f) / (float)n;
        float k = 0.75f + 0.25f * mv_m_rand(f, 30 + i);
        int pose = mv_m_rand(f, 50 + i) < 0.45f ? 2 : 0;
        mv_person(f, u, k, pose, 0, col);
    }
}

/* One hand reaching in from the side (-1 left, 1 right) toward the middle, seen from the
 * side with the thumb up: a sleeve, a tapering forearm, a rounded palm, four fingers of
 * different lengths with round tips (the index reaching furthest) and the thumb. */
static void mv_hand(const mv_motif_frame *f, float side, mv_rgb skin, mv_rgb sleeve)
{
    float dir = -side, wu = side * 0.46f, wv = 0.44f; /* the wrist */
    float ku = side * 0.28f, kv = 0.47f;              /* the knuckles */
    mv_m_line(f, side * 3.0f, -0.2f, side * 0.8f, 0.33f, 0.22f, sleeve); /* from off the frame */
    mv_m_line(f, side * 0.84f, 0.32f, wu, wv, 0.125f, skin);
    mv_m_quad(f, wu, wv - 0.06f, wu, wv + 0.065f, ku, kv + 0.085f, ku, kv - 0.07f, skin);
    mv_m_disc(f, (wu + ku) / 2, (wv + kv) / 2 + 0.005f, 0.07f, skin);
    static const float lift[4] = {0.07f, 0.025f, -0.02f, -0.058f};
    static const float length[4] = {0.2f, 0.15f, 0.13f, 0.1f};
    static const float bend[4] = {0.01f, -0.012f, -0.028f, -0.04f};
    for (int i = 0; i < 4; i++) {
        float u0 = ku, v0 = kv + lift[i];
        float u1 = u0 + dir * length[i], v1 = v0 + bend[i];
        float w = i == 3 ? 0.036f : 0.044f;
        mv_m_line(f, u0, v0, u1, v1, w, skin);
        mv_m_disc(f, u1, v1, w / 2, skin);
    }
    float tu = wu + dir * 0.15f, tv = wv + 0.16f; /* the thumb, up and forward */
    mv_m_line(f, wu + dir * 0.05f, wv + 0.05f, tu, tv, 0.044f, skin);
    mv_m_disc(f, tu, tv, 0.022f, skin);
}

void mv_motif_hands(const mv_motif_frame *f)
{
    int night = f->s->night > 0.5f;
    mv_rgb skin = night ? mv_m_dark(f) : mv_m_lit(f, 0xd8a080);
    mv_rgb sleeve = night ? mv_m_dark(f) : mv_m_lit(f, f->variant & 1 ? 0x3a4a6a : 0x6a3a3a);
    mv_m_glow(f, 0.0f, 0.54f, 0.55f, mv_m_emit(f, 0xfff0d0), night ? 0.45f : 0.25f);
    mv_hand(f, -1.0f, skin, sleeve);
    mv_hand(f, 1.0f, skin, sleeve);
    mv_m_glow(f, 0.0f, 0.55f, 0.12f, mv_m_emit(f, 0xfff6e0), 0.5f); /* where they almost touch */
}

void mv_motif_heart(const mv_motif_frame *f)
{
    mv_rgb red = f->s->has_accent ? f->s->accent : mv_m_emit(f, f->variant & 1 ? 0xff4a8a : 0xe8283a);
    mv_m_glow(f, 0.0f, 0.5f, 1.0f, red, 0.4f);
    mv_m_disc(f, -0.2f, 0.66f, 0.22f, red);
    mv_m_disc(f, 0.2f, 0.66f, 0.22f, red);
    mv_m_tri(f, -0.415f, 0.6f, 0.415f, 0.6f, 0.0f, 0.08f, red);
    mv_m_disc(f, -0.24f, 0.72f, 0.06f, mv_rgb_add(red, mv_rgb_make(0.3f, 0.3f, 0.3f)));
}
