/*
 * mv_subtitle_track.h - the MP4's optional soft subtitle track (mov_text): its stream
 * parameters and one packet per lyric line, timed in milliseconds (time base 1/1000).
 */
#ifndef MV_SUBTITLE_TRACK_H
#define MV_SUBTITLE_TRACK_H

#include <stddef.h>

#include <libavcodec/avcodec.h>

struct mv_timed_lyrics;

/* Sets par up as a mov_text track for a width x height video with the given font (NULL: a
 * generic sans). 0, or -1 when out of memory. */
int mv_subtitle_track_setup(AVCodecParameters *par, const char *font, int width, int height);

/* The packet of line i (pts = start, duration = end - start, in ms). 0, or -1 on no memory. */
int mv_subtitle_track_packet(const struct mv_timed_lyrics *lyrics, size_t i, AVPacket *pkt);

#endif /* MV_SUBTITLE_TRACK_H */
