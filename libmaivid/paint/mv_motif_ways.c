/*
 * mv_motif_ways.c - ways across the land: an arched stone bridge or a suspension bridge, a
 * road running to the horizon, a car with its lights, and a train on its rails.
 */
#include "paint/mv_motif_draw.h"

void mv_motif_bridge(const mv_motif_frame *f)
{
    mv_rgb stone = mv_m_lit(f, f->variant & 1 ? 0x5a5e6a : 0x9a8a74), dark = mv_m_dark(f);
    if (f->variant & 1) { /* suspension bridge: towers, cables, deck */
        mv_m_rect(f, -2.2f, 0.28f, 2.2f, 0.34f, stone);
        for (int t = -1; t <= 1; t += 2) {
            float u = (float)t * 1.0f;
            mv_m_rect(f, u - 0.06f, 0.0f, u + 0.06f, 1.0f, stone);
            mv_m_rect(f, u - 0.06f, 0.7f, u + 0.06f, 0.74f, mv_rgb_scale(stone, 0.7f));
        }
        for (int i = 0; i <= 40; i++) { /* the main cable hangs between the towers */
            float u0 = -2.2f + 4.4f * (float)i / 40.0f, u1 = -2.2f + 4.4f * (float)(i + 1) / 40.0f;
            if (i == 40)
                break;
            float v0 = u0 < -1 || u0 > 1 ? 0.34f + (1 - fabsf(fabsf(u0) - 2.2f) / 1.2f) * 0.62f
                                         : 0.38f + 0.6f * u0 * u0;
            float v1 = u1 < -1 || u1 > 1 ? 0.34f + (1 - fabsf(fabsf(u1) - 2.2f) / 1.2f) * 0.62f
                                         : 0.38f + 0.6f * u1 * u1;
            mv_m_line(f, u0, v0, u1, v1, 0.012f, dark);
            if (i % 3 == 0)
                mv_m_line(f, u0, v0, u0, 0.34f, 0.005f, dark);
        }
        return;
    }
    mv_m_rect(f, -2.0f, 0.5f, 2.0f, 0.66f, stone);
    mv_m_line(f, -2.0f, 0.68f, 2.0f, 0.68f, 0.02f, mv_rgb_scale(stone, 1.2f));
    for (int a = 0; a < 4; a++) { /* piers between the arches */
        float u = -2.0f + 1.0f * (float)a;
        mv_m_rect(f, u, 0.0f, u + 0.14f, 0.55f, stone);
        for (int k = 0; k < 12; k++) { /* the arch's spandrel */
            float t0 = (float)k / 12.0f, t1 = (float)(k + 1) / 12.0f;
            float x0 = u + 0.14f + 0.86f * t0, x1 = u + 0.14f + 0.86f * t1;
            float y0 = 0.2f + 0.3f * (1 - sinf(3.14159f * t0)), y1 = 0.2f + 0.3f * (1 - sinf(3.14159f * t1));
            mv_m_quad(f, x0, y0 + 0.1f, x1, y1 + 0.1f, x1, 0.52f, x0, 0.52f, stone);
        }
    }
    mv_m_rect(f, 2.0f, 0.0f, 2.14f, 0.55f, stone);
}

void mv_motif_road(const mv_motif_frame *f)
{
    /* frame: x the vanishing point, base the image bottom, size the road's depth */
    mv_rgb tar = mv_m_lit(f, 0x3a3a40), line = mv_m_lit(f, 0xe8e0c0);
    mv_m_quad(f, -0.02f, 1.0f, 0.02f, 1.0f, 1.4f, 0.0f, -1.4f, 0.0f, tar);
    for (int i = 0; i < 8; i++) {
        float t0 = powf((float)i / 8.0f, 1.6f), t1 = t0 + 0.04f * (1.0f - t0);
        mv_m_quad(f, -0.04f * (1 - t0), 1 - t0 - 0.0f, 0.04f * (1 - t0), 1 - t0,
                  0.04f * (1 - t1), 1 - t1, -0.04f * (1 - t1), 1 - t1, line);
    }
}

void mv_motif_car(const mv_motif_frame *f)
{
    static const uint32_t paint[] = {0xc82a2a, 0x2a5ac8, 0xe8e8e8, 0x2a2a2a};
    mv_rgb body = mv_m_lit(f, paint[f->variant & 3]), dark = mv_m_dark(f);
    mv_rgb glass = mv_rgb_mix(mv_m_lit(f, 0x8ab0d0), f->s->sky_horizon, 0.4f);
    mv_m_quad(f, -0.9f, 0.12f, 0.95f, 0.12f, 0.95f, 0.38f, -0.92f, 0.42f, body);
    mv_m_quad(f, -0.5f, 0.4f, 0.45f, 0.38f, 0.25f, 0.68f, -0.32f, 0.68f, body);
    mv_m_quad(f, -0.43f, 0.42f, -0.05f, 0.42f, -0.05f, 0.63f, -0.28f, 0.63f, glass);
    mv_m_quad(f, 0.02f, 0.42f, 0.38f, 0.41f, 0.22f, 0.63f, 0.02f, 0.63f, glass);
    mv_m_disc(f, -0.55f, 0.14f, 0.15f, dark);
    mv_m_disc(f, 0.58f, 0.14f, 0.15f, dark);
    mv_m_disc(f, -0.55f, 0.14f, 0.06f, mv_m_lit(f, 0xb0b0b0));
    mv_m_disc(f, 0.58f, 0.14f, 0.06f, mv_m_lit(f, 0xb0b0b0));
    mv_rgb head = mv_m_emit(f, 0xfff4d0), tail = mv_m_emit(f, 0xff2a1a);
    mv_m_rect(f, 0.86f, 0.28f, 0.95f, 0.34f, head);
    mv_m_rect(f, -0.92f, 0.28f, -0.85f, 0.36f, tail);
    if (f->s->night > 0.3f && f->flip > 0) {
        mv_motif_frame beam = *f;
        beam.alpha = 0.25f * f->s->night;
        mv_m_tri(&beam, 0.92f, 0.31f, 2.6f, 0.05f, 2.6f, 0.45f, head);
        mv_m_glow(f, 0.92f, 0.31f, 0.4f, head, 0.6f);
        mv_m_glow(f, -0.9f, 0.32f, 0.25f, tail, 0.4f);
    }
}

void mv_motif_train(const mv_motif_frame *f)
{
    mv_rgb rail = mv_m_dark(f);
    mv_m_rect(f, -3.2f, -0.04f, 3.2f, 0.0f, rail);
    mv_m_rect(f, -3.2f, -0.08f, 3.2f, -0.06f, mv_rgb_scale(rail, 1.5f));
    static const uint32_t paint[] = {0x2a3a5a, 0x7a1e1a, 0x1e4a2a, 0x3a3a3a};
    mv_rgb body = mv_m_lit(f, paint[f->variant & 3]);
    mv_rgb win = mv_rgb_mix(mv_m_lit(f, 0x8ab0d0), mv_m_emit(f, 0xffd890), 0.2f + 0.8f * f->s->night);
    /* the engine leads (to the right), carriages follow */
    mv_m_rect(f, 0.7f, 0.08f, 1.45f, 0.62f, body);
    mv_m_quad(f, 1.45f, 0.08f, 1.7f, 0.08f, 1.55f, 0.5f, 1.45f, 0.62f, body);
    mv_m_rect(f, 0.85f, 0.62f, 0.95f, 0.8f, body);
    mv_m_rect(f, 1.2f, 0.36f, 1.4f, 0.52f, win);
    mv_m_disc(f, 1.62f, 0.25f, 0.05f, mv_m_emit(f, 0xfff0c0));
    if (f->s->night > 0.3f)
        mv_m_glow(f, 1.65f, 0.25f, 0.6f, mv_m_emit(f, 0xfff0c0), 0.5f);
    for (int car = 0; car < 3; car++) {
        float u0 = 0.65f - 1.0f * (float)(car + 1), u1 = u0 + 0.92f;
        mv_m_rect(f, u0, 0.08f, u1, 0.58f, body);
        mv_m_rect(f, u0, 0.56f, u1, 0.6f, mv_rgb_scale(body, 0.7f));
        for (int w = 0; w < 4; w++)
            mv_m_rect(f, u0 + 0.08f + 0.21f * (float)w, 0.3f, u0 + 0.2f + 0.21f * (float)w,
                      0.48f, win);
    }
    for (int w = 0; w < 12; w++)
        mv_m_disc(f, -2.3f + 0.32f * (float)w, 0.06f, 0.06f, rail);
    if (f->variant & 1 && f->flip > 0) {
        mv_motif_frame smoke = *f;
        smoke.x = mv_m_px(f, 0.9f);
        smoke.base = mv_m_py(f, 0.8f);
        smoke.size = f->size * 1.4f;
        smoke.variant = f->facing > 0 ? 0 : 1;
        mv_motif_smoke(&smoke);
    }
}
