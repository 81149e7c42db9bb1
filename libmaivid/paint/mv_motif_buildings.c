/*
 * mv_motif_buildings.c - buildings and their parts: a house and a log cabin (windows lit
 * after dark, a smoking chimney), a church with its steeple, a tower (stone or clock tower),
 * a door with light spilling out, a flight of stairs, and the window (the room around a
 * window is painted by mv_paint_room.c, so its motif adds only the glow on the sill).
 */
#include "paint/mv_motif_draw.h"

static mv_rgb mv_window_colour(const mv_motif_frame *f, mv_rgb wall)
{
    float on = 0.2f + 0.8f * f->s->night;
    return mv_rgb_mix(mv_rgb_scale(wall, 0.5f), mv_m_emit(f, 0xffc870), on);
}

void mv_motif_house(const mv_motif_frame *f)
{
    static const uint32_t walls[] = {0xe8dcc0, 0xc86a4a, 0x8aa0b8, 0xf0e8d8};
    mv_rgb wall = mv_m_lit(f, walls[f->variant & 3]);
    mv_rgb roof = mv_m_lit(f, (f->variant & 1) ? 0x5a2a22 : 0x3a3a44);
    mv_m_rect(f, 0.22f, 0.55f, 0.32f, 0.9f, mv_rgb_scale(roof, 0.9f)); /* chimney */
    mv_m_rect(f, -0.5f, 0.0f, 0.5f, 0.55f, wall);
    mv_m_tri(f, -0.6f, 0.52f, 0.6f, 0.52f, 0.0f, 0.95f, roof);
    mv_rgb win = mv_window_colour(f, wall);
    mv_m_rect(f, -0.36f, 0.22f, -0.16f, 0.42f, win);
    mv_m_rect(f, 0.16f, 0.22f, 0.36f, 0.42f, win);
    mv_m_rect(f, -0.08f, 0.0f, 0.08f, 0.32f, mv_m_lit(f, 0x5a3a22));
    if (f->s->night > 0.4f) {
        mv_m_glow(f, -0.26f, 0.32f, 0.3f, win, 0.25f);
        mv_m_glow(f, 0.26f, 0.32f, 0.3f, win, 0.25f);
    }
}

void mv_motif_cabin(const mv_motif_frame *f)
{
    mv_rgb logs = mv_m_lit(f, 0x7a4a28), roof = mv_m_lit(f, 0x3a2a22);
    mv_m_rect(f, 0.2f, 0.5f, 0.32f, 0.95f, mv_m_lit(f, 0x6a6a6a));
    mv_m_rect(f, -0.55f, 0.0f, 0.55f, 0.5f, logs);
    for (int i = 1; i < 6; i++)
        mv_m_line(f, -0.55f, 0.085f * (float)i, 0.55f, 0.085f * (float)i, 0.012f,
                  mv_rgb_scale(logs, 0.6f));
    mv_m_tri(f, -0.68f, 0.46f, 0.68f, 0.46f, 0.0f, 0.92f, roof);
    mv_rgb win = mv_window_colour(f, logs);
    mv_m_rect(f, -0.38f, 0.16f, -0.14f, 0.36f, win);
    mv_m_line(f, -0.26f, 0.16f, -0.26f, 0.36f, 0.015f, mv_rgb_scale(logs, 0.5f));
    mv_m_rect(f, 0.1f, 0.0f, 0.28f, 0.34f, mv_rgb_scale(logs, 0.55f));
    mv_m_glow(f, -0.26f, 0.26f, 0.5f, win, 0.15f + 0.3f * f->s->night);
    if (f->flip > 0) {
        mv_motif_frame smoke = *f;
        smoke.x = mv_m_px(f, 0.26f);
        smoke.base = mv_m_py(f, 0.95f);
        smoke.size = f->size * 0.9f;
        mv_motif_smoke(&smoke);
    }
}

void mv_motif_church(const mv_motif_frame *f)
{
    mv_rgb wall = mv_m_lit(f, f->variant & 1 ? 0xd8d0c0 : 0xa89a88);
    mv_rgb roof = mv_m_lit(f, 0x3a3e4a), dark = mv_m_dark(f);
    mv_m_rect(f, -0.2f, 0.0f, 0.65f, 0.38f, wall);                 /* nave */
    mv_m_tri(f, -0.24f, 0.36f, 0.69f, 0.36f, 0.22f, 0.55f, roof);
    mv_m_rect(f, -0.4f, 0.0f, -0.12f, 0.62f, wall);                /* tower */
    mv_m_tri(f, -0.44f, 0.6f, -0.08f, 0.6f, -0.26f, 0.94f, roof); /* spire */
    mv_m_line(f, -0.26f, 0.93f, -0.26f, 1.02f, 0.015f, dark);      /* cross */
    mv_m_line(f, -0.3f, 0.985f, -0.22f, 0.985f, 0.015f, dark);
    mv_rgb win = mv_window_colour(f, wall);
    mv_m_disc(f, -0.26f, 0.48f, 0.05f, win);
    for (int i = 0; i < 3; i++) {
        float u = 0.02f + 0.2f * (float)i;
        mv_m_rect(f, u, 0.12f, u + 0.07f, 0.28f, win);
        mv_m_disc(f, u + 0.035f, 0.28f, 0.035f, win);
    }
    mv_m_rect(f, -0.31f, 0.0f, -0.21f, 0.16f, mv_m_lit(f, 0x4a2a1a));
}

void mv_motif_tower(const mv_motif_frame *f)
{
    mv_rgb stone = mv_m_lit(f, 0x9a8e7e), dark = mv_m_dark(f);
    mv_m_rect(f, -0.14f, 0.0f, 0.14f, 0.84f, stone);
    mv_m_line(f, 0.1f, 0.0f, 0.1f, 0.84f, 0.05f, mv_rgb_scale(stone, 0.75f));
    if (f->variant & 1) { /* a clock tower with a pointed roof */
        mv_m_tri(f, -0.18f, 0.84f, 0.18f, 0.84f, 0.0f, 1.0f, mv_m_lit(f, 0x3a4a5a));
        mv_m_disc(f, 0.0f, 0.68f, 0.1f, mv_m_emit(f, 0xf4ecd0));
        mv_m_line(f, 0.0f, 0.68f, 0.0f, 0.75f, 0.012f, dark);
        mv_m_line(f, 0.0f, 0.68f, 0.05f, 0.68f, 0.012f, dark);
    } else { /* battlements */
        mv_m_rect(f, -0.18f, 0.8f, 0.18f, 0.86f, stone);
        for (int i = 0; i < 4; i++)
            mv_m_rect(f, -0.18f + 0.1f * (float)i, 0.86f, -0.12f + 0.1f * (float)i, 0.92f, stone);
    }
    mv_rgb win = mv_window_colour(f, stone);
    mv_m_rect(f, -0.03f, 0.3f, 0.03f, 0.42f, win);
    mv_m_rect(f, -0.04f, 0.0f, 0.04f, 0.14f, dark);
}

void mv_motif_door(const mv_motif_frame *f)
{
    mv_rgb wall = mv_m_lit(f, 0x8a7a6a), wood = mv_m_lit(f, f->variant & 1 ? 0x2a4a6a : 0x6a3a20);
    mv_rgb light = mv_m_emit(f, 0xffd080);
    mv_m_rect(f, -0.5f, 0.0f, 0.5f, 1.0f, wall);
    mv_m_rect(f, -0.28f, 0.0f, 0.28f, 0.82f, mv_rgb_scale(wall, 0.5f)); /* frame */
    mv_m_rect(f, -0.24f, 0.0f, 0.24f, 0.78f, light);                   /* open: light */
    mv_m_quad(f, -0.24f, 0.0f, -0.05f, 0.05f, -0.05f, 0.74f, -0.24f, 0.78f, wood); /* leaf */
    mv_m_disc(f, -0.09f, 0.38f, 0.015f, mv_m_emit(f, 0xd8b060));
    mv_m_glow(f, 0.0f, 0.4f, 0.9f, light, 0.35f);
    if (f->flip > 0) { /* the light thrown on the ground */
        mv_motif_frame spill = *f;
        spill.alpha = 0.35f;
        mv_m_quad(&spill, -0.24f, 0.0f, 0.24f, 0.0f, 0.45f, -0.12f, -0.45f, -0.12f, light);
    }
}

void mv_motif_stairs(const mv_motif_frame *f)
{
    mv_rgb stone = mv_m_lit(f, 0xb0a898), dark = mv_rgb_scale(stone, 0.6f);
    int steps = 8;
    for (int i = 0; i < steps; i++) {
        float u0 = -0.6f + 0.12f * (float)i, v0 = 0.1f * (float)i;
        mv_m_rect(f, u0, v0, 0.6f, v0 + 0.1f, i & 1 ? stone : mv_rgb_scale(stone, 0.9f));
        mv_m_line(f, u0, v0 + 0.1f, 0.6f, v0 + 0.1f, 0.01f, mv_rgb_scale(stone, 1.2f));
        mv_m_rect(f, u0, v0, u0 + 0.02f, v0 + 0.1f, dark);
    }
    mv_m_line(f, -0.6f, 0.3f, 0.36f, 1.1f, 0.02f, mv_m_dark(f)); /* handrail */
}

void mv_motif_window(const mv_motif_frame *f)
{
    /* the room and its window are painted by mv_paint_room.c; this adds warm light */
    mv_m_glow(f, 0.0f, 0.5f, 0.6f, mv_m_emit(f, 0xffe0b0), 0.08f);
}
