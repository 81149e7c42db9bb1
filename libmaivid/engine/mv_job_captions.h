/*
 * mv_job_captions.h - the timed lyrics a job's render burns in: <job_dir>/lyrics_timed.json
 * when the lyrics timing step wrote it, else line times taken from LRC-timed lyrics in
 * source/lyrics.txt (each line shown from its time until the next line or section marker,
 * at most 7 s), else none.
 */
#ifndef MV_JOB_CAPTIONS_H
#define MV_JOB_CAPTIONS_H

#include "captions/mv_timed_lyrics.h"
#include "plan/mv_lyrics.h"

/* Line times from parsed LRC lyrics (zero lines when they carry no times). Lines are kept
 * inside [0, duration] and never overlap; a short gap separates consecutive lines. */
maivid_code mv_timed_lyrics_from_lrc(const mv_lyrics *lyrics, double duration,
                                     mv_timed_lyrics *out, mv_error *err);

/* Loads the job's timed lyrics into out (zeroed first; zero lines when the song has none).
 * A damaged lyrics_timed.json is reported through task as a warning and the LRC times
 * are used instead; never fails the job for that. */
maivid_code mv_job_timed_lyrics(const char *job_dir, double duration, mv_timed_lyrics *out,
                                const mv_task *task, mv_error *err);

#endif /* MV_JOB_CAPTIONS_H */
