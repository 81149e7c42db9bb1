/*
 * mv_paint_motifs.c - composes the named subjects into the scene: the most prominent stands
 * at the scene's hero position and largest, the next ones at the other third and the edges,
 * smaller; each by where it belongs (on the water, at the shore, on the ground, in the sky or
 * close up in front), reflected in the water where there is water, and painted in three
 * passes (sky things behind the land, stage things after the water, close-ups last).
 */
#include "paint/mv_motif_draw.h"

static const mv_motif_paint_fn mv_motif_painters[MV_M_COUNT] = {
    [MV_M_LIGHTHOUSE] = mv_motif_lighthouse, [MV_M_BOAT] = mv_motif_boat,
    [MV_M_SAILBOAT] = mv_motif_sailboat,     [MV_M_SHIP] = mv_motif_ship,
    [MV_M_BIRDS] = mv_motif_birds,           [MV_M_FIREWORKS] = mv_motif_fireworks,
    [MV_M_BALLOONS] = mv_motif_balloons,     [MV_M_LANTERN] = mv_motif_lantern,
    [MV_M_LAMP] = mv_motif_lamp,             [MV_M_CANDLE] = mv_motif_candle,
    [MV_M_FIRE] = mv_motif_fire,             [MV_M_SMOKE] = mv_motif_smoke,
    [MV_M_HOUSE] = mv_motif_house,           [MV_M_CABIN] = mv_motif_cabin,
    [MV_M_CHURCH] = mv_motif_church,         [MV_M_TOWER] = mv_motif_tower,
    [MV_M_DOOR] = mv_motif_door,             [MV_M_STAIRS] = mv_motif_stairs,
    [MV_M_WINDOW] = mv_motif_window,         [MV_M_BRIDGE] = mv_motif_bridge,
    [MV_M_ROAD] = mv_motif_road,             [MV_M_CAR] = mv_motif_car,
    [MV_M_TRAIN] = mv_motif_train,           [MV_M_PINE] = mv_motif_pine,
    [MV_M_TREE] = mv_motif_tree,             [MV_M_PALM] = mv_motif_palm,
    [MV_M_WILLOW] = mv_motif_willow,         [MV_M_FLOWERS] = mv_motif_flowers,
    [MV_M_FIGURE] = mv_motif_figure,         [MV_M_COUPLE] = mv_motif_couple,
    [MV_M_DANCER] = mv_motif_dancer,         [MV_M_CROWD] = mv_motif_crowd,
    [MV_M_HANDS] = mv_motif_hands,           [MV_M_HEART] = mv_motif_heart,
    [MV_M_GUITAR] = mv_motif_guitar,         [MV_M_PIANO] = mv_motif_piano,
    [MV_M_MICROPHONE] = mv_motif_microphone, [MV_M_CLOCK] = mv_motif_clock,
};

mv_motif_paint_fn mv_motif_painter(mv_motif_id id)
{
    return id > MV_M_NONE && id < MV_M_COUNT ? mv_motif_painters[id] : NULL;
}

/* Where the scene puts a motif: people stand inside a room when there is one. */
static mv_motif_stage mv_motif_stage_in(const mv_scene *s, mv_motif_id id)
{
    const mv_motif_info *info = mv_motif_get(id);
    if (s->words.room && (id == MV_M_FIGURE || id == MV_M_COUPLE || id == MV_M_DANCER))
        return MV_STAGE_NEAR;
    if (s->space && info->stage != MV_STAGE_NEAR && info->stage != MV_STAGE_SKY)
        return MV_STAGE_NEAR;
    return info->stage;
}

static float mv_slot_x(const mv_scene *s, int k)
{
    float hero = s->hero_x;
    switch (k) {
    case 0: return hero;
    case 1: return hero < 0.5f ? hero + 0.4f : hero - 0.4f;
    case 2: return 0.5f + (hero < 0.5f ? 0.08f : -0.08f);
    case 3: return hero < 0.5f ? 0.1f : 0.9f;
    case 4: return hero < 0.5f ? 0.92f : 0.08f;
    default: return 0.5f;
    }
}

static float mv_ground_at(const mv_scene *s, const mv_canvas *c, const float *ground_y, float x)
{
    int ix = (int)x;
    ix = ix < 0 ? 0 : (ix >= c->w ? c->w - 1 : ix);
    return ground_y ? ground_y[ix] : s->horizon * (float)c->h;
}

int mv_paint_motif_frame(const mv_scene *s, const mv_canvas *c, const float *ground_y, int k,
                          mv_motif_frame *f)
{
    const mv_motif_use *use = &s->words.motifs[k];
    const mv_motif_info *info = mv_motif_get(use->id);
    float w = (float)c->w, h = (float)c->h, horizon = s->horizon * h;
    float prominence = k == 0 ? 1.0f : (k == 1 ? 0.72f : 0.55f);
    mv_rng rng = {s->seed ^ (0xa11ceULL + (uint64_t)k * 7919ULL + (uint64_t)use->id * 131ULL)};
    f->s = s;
    f->c = c;
    f->flip = 1.0f;
    f->alpha = 1.0f;
    f->tint_amount = 0.0f;
    f->seed = s->seed + (uint32_t)use->id * 977U;
    f->variant = use->variant >= 0 ? use->variant : (int)(mv_rng_next(&rng) % 4);
    f->facing = mv_rng_float(&rng) < 0.5f ? -1.0f : 1.0f;
    f->x = (mv_slot_x(s, k) + mv_rng_range(&rng, -0.04f, 0.04f)) * w;
    f->size = info->size * h * prominence * mv_rng_range(&rng, 0.85f, 1.15f);
    if (s->words.room && info->stage != MV_STAGE_NEAR && info->stage != MV_STAGE_SKY)
        f->size *= 1.5f; /* the view through the window is what the scene is about */
    switch (mv_motif_stage_in(s, use->id)) {
    case MV_STAGE_WATER: {
        float depth = mv_rng_range(&rng, 0.1f, 0.2f) + 0.3f * prominence;
        f->base = horizon + (h - horizon) * depth;
        f->size *= 0.5f + 1.2f * depth; /* nearer is larger */
        f->facing = f->x < w * 0.5f ? 1.0f : -1.0f;
        break;
    }
    case MV_STAGE_SHORE:
        f->base = horizon + h * 0.012f;
        if (use->id == MV_M_BRIDGE) {
            f->x = w * mv_rng_range(&rng, 0.42f, 0.58f);
            f->size = h * mv_rng_range(&rng, 0.12f, 0.2f);
            f->base = horizon + h * 0.02f;
        }
        break;
    case MV_STAGE_GROUND:
        if (use->id == MV_M_ROAD) {
            f->x = w * mv_rng_range(&rng, 0.4f, 0.6f);
            f->base = h + 2.0f;
            f->size = h - horizon + 2.0f;
            f->facing = 1.0f;
            break;
        }
        f->base = mv_ground_at(s, c, ground_y, f->x);
        f->base += (h - f->base) * (0.08f + 0.3f * prominence * mv_rng_float(&rng));
        f->size *= 0.8f + 0.6f * (f->base - horizon) / fmaxf(1.0f, h - horizon);
        if (use->id == MV_M_TRAIN || use->id == MV_M_CAR || use->id == MV_M_BRIDGE)
            f->x = w * mv_rng_range(&rng, 0.4f, 0.6f);
        break;
    case MV_STAGE_SKY: {
        float top = h * 0.1f, bottom = fmaxf(top + 1.0f, horizon - h * 0.2f);
        f->base = mv_rng_range(&rng, top + f->size * 0.5f, fmaxf(top + f->size * 0.5f, bottom));
        if (use->id == MV_M_BALLOONS)
            f->base = fminf(horizon, f->base + f->size);
        if ((s->show_sun || s->show_moon) && fabsf(f->x / w - s->sun_x) < 0.18f)
            f->x = (s->sun_x < 0.5f ? s->sun_x + 0.3f : s->sun_x - 0.3f) * w;
        break;
    }
    case MV_STAGE_NEAR:
        f->base = h * mv_rng_range(&rng, 0.94f, 1.02f);
        if (k > 0) /* a second close-up keeps to a corner, smaller */
            f->x = (f->x < w * 0.5f ? 0.14f : 0.86f) * w;
        if (use->id == MV_M_CROWD) {
            f->x = w * 0.5f;
            f->base = h * 1.03f;
        }
        if (use->id == MV_M_HANDS || use->id == MV_M_HEART) {
            f->x = w * mv_rng_range(&rng, 0.42f, 0.58f);
            f->base = h * 0.9f - f->size * 0.25f;
        }
        break;
    }
    return 1;
}

static int mv_motif_reflects(const mv_scene *s, mv_motif_stage stage)
{
    return s->ground == MV_GROUND_WATER && (stage == MV_STAGE_WATER || stage == MV_STAGE_SHORE);
}

static void mv_paint_motifs_pass(const mv_scene *s, const mv_canvas *c, const float *ground_y,
                                 int near_pass, int sky_pass)
{
    /* back to front: the least prominent first, so the hero is painted over them */
    for (int k = s->words.motif_count - 1; k >= 0; k--) {
        mv_motif_id id = s->words.motifs[k].id;
        mv_motif_stage stage = mv_motif_stage_in(s, id);
        if ((stage == MV_STAGE_SKY) != sky_pass || (stage == MV_STAGE_NEAR) != near_pass)
            continue;
        mv_motif_frame f;
        mv_motif_paint_fn paint = mv_motif_painter(id);
        if (!paint || !mv_paint_motif_frame(s, c, ground_y, k, &f))
            continue;
        if (mv_motif_reflects(s, stage)) {
            mv_motif_frame r = f;
            r.flip = -0.85f;
            r.alpha = 0.4f;
            r.tint.r = s->water.r;
            r.tint.g = s->water.g;
            r.tint.b = s->water.b;
            r.tint_amount = 0.45f;
            paint(&r);
        }
        paint(&f);
    }
}

void mv_paint_motifs_sky(const mv_scene *s, const mv_canvas *c)
{
    mv_paint_motifs_pass(s, c, NULL, 0, 1);
}

void mv_paint_motifs_stage(const mv_scene *s, const mv_canvas *c, const float *ground_y)
{
    mv_paint_motifs_pass(s, c, ground_y, 0, 0);
}

void mv_paint_motifs_near(const mv_scene *s, const mv_canvas *c)
{
    mv_paint_motifs_pass(s, c, NULL, 1, 0);
}
