/*
 * mv_stall.h - "nothing has arrived for N seconds", checked from libcurl's progress callback.
 * CURLOPT_LOW_SPEED_TIME averages the speed over several seconds, so a peer that sends a
 * burst and then goes silent is only caught seconds late; this watch fails it on time.
 */
#ifndef MV_STALL_H
#define MV_STALL_H

#include <stdint.h>

typedef struct mv_stall_watch {
    double limit;      /* seconds without a byte; <= 0: never stalls */
    double since;      /* mv_monotonic() of the last change */
    uint64_t bytes;    /* bytes moved at that moment */
    int stalled;       /* set once the limit has passed */
} mv_stall_watch;

/* Starts (or restarts, for a new attempt) the watch. */
void mv_stall_watch_start(mv_stall_watch *w, double limit);
/* With the bytes moved so far (both directions): 1 once they have not changed for `limit`
 * seconds (and w->stalled is set), else 0. */
int mv_stall_watch_check(mv_stall_watch *w, uint64_t bytes);

#endif /* MV_STALL_H */
