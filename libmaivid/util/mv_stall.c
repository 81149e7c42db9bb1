/*
 * mv_stall.c - the stall watch of mv_stall.h.
 */
#include "util/mv_stall.h"

#include "util/mv_common.h"

void mv_stall_watch_start(mv_stall_watch *w, double limit)
{
    w->limit = limit;
    w->since = mv_monotonic();
    w->bytes = 0;
    w->stalled = 0;
}

int mv_stall_watch_check(mv_stall_watch *w, uint64_t bytes)
{
    double now = mv_monotonic();
    if (bytes != w->bytes) {
        w->bytes = bytes;
        w->since = now;
        return 0;
    }
    if (w->limit > 0 && now - w->since >= w->limit)
        w->stalled = 1;
    return w->stalled;
}
