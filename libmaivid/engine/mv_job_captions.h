/*
 * mv_job_captions.h - the timed lyrics a job's render burns in: <job_dir>/lyrics_timed.json,
 * which the lyrics timing step writes after the analysis stage (also for a resumed job that
 * lacks it); when that file is unusable, the times source/lyrics.txt itself carries (LRC,
 * enhanced LRC, SRT, WebVTT, read by the captions/ parsers as the timing step reads them),
 * else none.
 */
#ifndef MV_JOB_CAPTIONS_H
#define MV_JOB_CAPTIONS_H

#include "captions/mv_timed_lyrics.h"

/* Loads the job's timed lyrics into out (zeroed first; zero lines when the song has none).
 * A damaged lyrics_timed.json, or damaged times in the lyrics, are reported through task as
 * warnings; never fails the job for that. */
maivid_code mv_job_timed_lyrics(const char *job_dir, double duration, mv_timed_lyrics *out,
                                const mv_task *task, mv_error *err);

#endif /* MV_JOB_CAPTIONS_H */
