/*
 * mv_transition_internal.h - shared between the transition files: the masked-reveal kernel
 * and its threshold maps.
 */
#ifndef MV_TRANSITION_INTERNAL_H
#define MV_TRANSITION_INTERNAL_H

#include "render/mv_transition.h"

/* Builds (or keeps) the maps for kind at frame's size. 0, or -1 when out of memory. */
int mv_transition_maps_prepare(mv_transition_maps *maps, mv_transition_kind kind,
                               const mv_yuv *frame);
/* out = a with b revealed where the map is below progress p (soft edge). */
void mv_transition_masked(mv_transition_kind kind, double p, const mv_yuv *a, const mv_yuv *b,
                          mv_yuv *out, const mv_transition_maps *maps);

#endif /* MV_TRANSITION_INTERNAL_H */
