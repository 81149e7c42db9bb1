/*
 * mv_transition.h - the transitions between two scenes, computed per plane on YUV 4:2:0
 * frames: crossfades, fades through a colour, masked reveals (wipes, circles, radial,
 * dissolve) driven by a per-pixel threshold map built once per transition kind, slides, the
 * zoom-in crossfade and the pixelize mosaic.
 */
#ifndef MV_TRANSITION_H
#define MV_TRANSITION_H

#include <stdint.h>

#include "render/mv_yuv.h"

typedef enum mv_transition_kind {
    MV_TRANSITION_NONE,
    MV_TRANSITION_FADE,
    MV_TRANSITION_FADEBLACK,
    MV_TRANSITION_FADEWHITE,
    MV_TRANSITION_DISSOLVE,
    MV_TRANSITION_WIPELEFT,
    MV_TRANSITION_WIPERIGHT,
    MV_TRANSITION_WIPEUP,
    MV_TRANSITION_WIPEDOWN,
    MV_TRANSITION_SLIDELEFT,
    MV_TRANSITION_SLIDERIGHT,
    MV_TRANSITION_SLIDEUP,
    MV_TRANSITION_SLIDEDOWN,
    MV_TRANSITION_CIRCLEOPEN,
    MV_TRANSITION_CIRCLECLOSE,
    MV_TRANSITION_ZOOMIN,
    MV_TRANSITION_PIXELIZE,
    MV_TRANSITION_RADIAL
} mv_transition_kind;

/* The kind for a transitions-catalog id ("wipe" is wiperight); -1 if unknown. */
int mv_transition_kind_from_id(const char *id);

/* Threshold maps of the masked transitions, cached for the last kind and frame size. */
typedef struct mv_transition_maps {
    int kind, width, height;
    uint16_t *map[3];
} mv_transition_maps;

void mv_transition_maps_free(mv_transition_maps *maps);

/* How much the outgoing scene's window shrinks (1 = not at all) at progress p, for zoomin. */
double mv_transition_outgoing_zoom(mv_transition_kind kind, double p);

/* out = the transition from a to b at progress p in [0,1] (0: all a, 1: all b). a, b and out
 * have the same size; out may not alias a or b. Returns 0, or -1 when out of memory. */
int mv_transition_blend(mv_transition_kind kind, double p, const mv_yuv *a, const mv_yuv *b,
                        mv_yuv *out, mv_transition_maps *maps);

#endif /* MV_TRANSITION_H */
