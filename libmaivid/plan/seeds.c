/*
 * seeds.c - deterministic seeds: a base from the job's seed or, when it is -1, from the
 * song's title; each scene's seed is base + family * stride + occurrence, so a chorus that
 * returns draws from the same small family of seeds.
 */
#include "plan/mv_plan_parts.h"

uint64_t mv_plan_hash(const char *s)
{
    uint64_t h = UINT64_C(1469598103934665603); /* FNV-1a 64 */
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        h ^= *p;
        h *= UINT64_C(1099511628211);
    }
    return h;
}

int64_t mv_plan_base_seed(int64_t seed, const char *title)
{
    if (seed >= 0)
        return seed & MV_PLAN_SEED_MASK;
    /* keep room below the mask for the families so seeds stay in order */
    return (int64_t)(mv_plan_hash(title && *title ? title : "maivid") % UINT64_C(2147483647));
}
