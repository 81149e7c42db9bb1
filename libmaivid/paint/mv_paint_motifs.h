/*
 * mv_paint_motifs.h - the drawable subjects the lyrics can name (lighthouse, boats, gulls,
 * lanterns, figures, guitars, ...): their ids and names, where each kind stands in a scene,
 * the placed frame a motif paints in (local units, lit by the scene, mirrored for its
 * reflection in water), and one painting function per motif, grouped in small files by
 * family. Private to libmaivid/paint/.
 */
#ifndef MV_PAINT_MOTIFS_H
#define MV_PAINT_MOTIFS_H

#include <stdint.h>

struct mv_scene;
struct mv_canvas;

typedef enum mv_motif_id {
    MV_M_NONE = 0,
    /* sea (mv_motif_sea.c) */
    MV_M_LIGHTHOUSE, MV_M_BOAT, MV_M_SAILBOAT, MV_M_SHIP,
    /* sky (mv_motif_sky.c) */
    MV_M_BIRDS, MV_M_FIREWORKS, MV_M_BALLOONS,
    /* lights and fire (mv_motif_lights.c) */
    MV_M_LANTERN, MV_M_LAMP, MV_M_CANDLE, MV_M_FIRE, MV_M_SMOKE,
    /* buildings (mv_motif_buildings.c) */
    MV_M_HOUSE, MV_M_CABIN, MV_M_CHURCH, MV_M_TOWER, MV_M_DOOR, MV_M_STAIRS, MV_M_WINDOW,
    /* ways (mv_motif_ways.c) */
    MV_M_BRIDGE, MV_M_ROAD, MV_M_CAR, MV_M_TRAIN,
    /* plants (mv_motif_plants.c) */
    MV_M_PINE, MV_M_TREE, MV_M_PALM, MV_M_WILLOW, MV_M_FLOWERS,
    /* people (mv_motif_people.c) */
    MV_M_FIGURE, MV_M_COUPLE, MV_M_DANCER, MV_M_CROWD, MV_M_HANDS, MV_M_HEART,
    /* things (mv_motif_things.c) */
    MV_M_GUITAR, MV_M_PIANO, MV_M_MICROPHONE, MV_M_CLOCK,
    MV_M_COUNT
} mv_motif_id;

/* Where a motif stands. */
typedef enum mv_motif_stage {
    MV_STAGE_WATER,  /* floats on the water line, reflected */
    MV_STAGE_SHORE,  /* stands at the water's edge, reflected */
    MV_STAGE_GROUND, /* stands on the ground line */
    MV_STAGE_SKY,    /* hangs in the sky */
    MV_STAGE_NEAR    /* a close-up thing in the foreground */
} mv_motif_stage;

typedef struct mv_motif_info {
    const char *name;     /* the name `drawn` lists */
    mv_motif_stage stage;
    float size;           /* height as a fraction of the image height at full prominence */
    int light;            /* gives light (lantern, lighthouse): makes "burning" a light */
} mv_motif_info;

const mv_motif_info *mv_motif_get(mv_motif_id id);

/* One placed motif: local units are `size` pixels, u to the right of x, v up from base. */
typedef struct mv_motif_frame {
    const struct mv_scene *s;
    const struct mv_canvas *c;
    float x, base, size;
    float flip;       /* 1 upright, -1 mirrored below base (the reflection) */
    float alpha;      /* 1 upright, less for the reflection */
    float facing;     /* 1 or -1: which way it faces */
    int variant;      /* 0..3 */
    uint32_t seed;
    struct { float r, g, b; } tint; /* mixed into every colour (water for reflections) */
    float tint_amount;
} mv_motif_frame;

/* The frame the k-th named motif of the scene is painted in (ground_y may be NULL: the
 * horizon); 0 when it has no place in this scene. */
int mv_paint_motif_frame(const struct mv_scene *s, const struct mv_canvas *c,
                         const float *ground_y, int k, mv_motif_frame *f);

typedef void (*mv_motif_paint_fn)(const mv_motif_frame *f);
/* The function painting a motif. */
mv_motif_paint_fn mv_motif_painter(mv_motif_id id);

/* Painting passes (mv_paint_motifs.c): sky motifs behind the land, stage motifs after the
 * water and trees, near motifs in front of everything but the weather. */
void mv_paint_motifs_sky(const struct mv_scene *s, const struct mv_canvas *c);
void mv_paint_motifs_stage(const struct mv_scene *s, const struct mv_canvas *c,
                           const float *ground_y);
void mv_paint_motifs_near(const struct mv_scene *s, const struct mv_canvas *c);

/* family painters */
void mv_motif_lighthouse(const mv_motif_frame *f);
void mv_motif_boat(const mv_motif_frame *f);
void mv_motif_sailboat(const mv_motif_frame *f);
void mv_motif_ship(const mv_motif_frame *f);
void mv_motif_birds(const mv_motif_frame *f);
void mv_motif_fireworks(const mv_motif_frame *f);
void mv_motif_balloons(const mv_motif_frame *f);
void mv_motif_lantern(const mv_motif_frame *f);
void mv_motif_lamp(const mv_motif_frame *f);
void mv_motif_candle(const mv_motif_frame *f);
void mv_motif_fire(const mv_motif_frame *f);
void mv_motif_smoke(const mv_motif_frame *f);
void mv_motif_house(const mv_motif_frame *f);
void mv_motif_cabin(const mv_motif_frame *f);
void mv_motif_church(const mv_motif_frame *f);
void mv_motif_tower(const mv_motif_frame *f);
void mv_motif_door(const mv_motif_frame *f);
void mv_motif_stairs(const mv_motif_frame *f);
void mv_motif_window(const mv_motif_frame *f);
void mv_motif_bridge(const mv_motif_frame *f);
void mv_motif_road(const mv_motif_frame *f);
void mv_motif_car(const mv_motif_frame *f);
void mv_motif_train(const mv_motif_frame *f);
void mv_motif_pine(const mv_motif_frame *f);
void mv_motif_tree(const mv_motif_frame *f);
void mv_motif_palm(const mv_motif_frame *f);
void mv_motif_willow(const mv_motif_frame *f);
void mv_motif_flowers(const mv_motif_frame *f);
void mv_motif_figure(const mv_motif_frame *f);
void mv_motif_couple(const mv_motif_frame *f);
void mv_motif_dancer(const mv_motif_frame *f);
void mv_motif_crowd(const mv_motif_frame *f);
void mv_motif_hands(const mv_motif_frame *f);
void mv_motif_heart(const mv_motif_frame *f);
void mv_motif_guitar(const mv_motif_frame *f);
void mv_motif_piano(const mv_motif_frame *f);
void mv_motif_microphone(const mv_motif_frame *f);
void mv_motif_clock(const mv_motif_frame *f);

#endif /* MV_PAINT_MOTIFS_H */
