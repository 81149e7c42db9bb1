/*
 * process_logging.c - maivid_tune_process_logging(): the encoders catalog (and an explicit
 * encoder choice) opens every encoder once to see that it opens (render/mv_video_encoders.c),
 * and SVT-AV1 (libsvtav1) prints a banner of some 16 lines on each open through its own
 * logger, not FFmpeg's av_log, so the library's quiet FFmpeg log does not reach it. SVT-AV1
 * reads its level from the environment (SVT_LOG; 1: errors only). Setting the environment is
 * only safe before any thread starts, so the program decides when (maivid-cli and
 * maivid-server do it first thing), as with maivid_tune_process_memory().
 */
#include <stdlib.h>

#include "maivid/maivid.h"

MAIVID_API void maivid_tune_process_logging(void)
{
    setenv("SVT_LOG", "1", 0); /* a user's own SVT_LOG stays */
}
