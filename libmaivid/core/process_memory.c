/*
 * process_memory.c - maivid_tune_process_memory(): glibc's malloc raises its mmap threshold
 * each time a large block is freed (up to 32 MiB), after which frames, pictures and encoder
 * buffers come from the arenas, where they fragment: a job's peak memory then grew with the
 * song's length (issue 15: +17 MB from a 12 s to a 120 s song at 480p). A fixed threshold
 * (128 KiB, glibc's initial one) gives every large block back to the system when freed.
 * Process-wide, so the program decides (maivid-cli and maivid-server do).
 */
#include "maivid/maivid.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

MAIVID_API void maivid_tune_process_memory(void)
{
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}
