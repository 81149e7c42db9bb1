/*
 * mv_test_media.h - checks on real output files with libavformat/libavcodec: what streams an
 * MP4 holds, their codecs, size, durations and frame count, and whether the index (moov)
 * comes before the media data.
 */
#ifndef MV_TEST_MEDIA_H
#define MV_TEST_MEDIA_H

typedef struct mv_test_media_info {
    int has_video, has_audio;
    char video_codec[32], audio_codec[32], pixel_format[32], audio_profile[32];
    int width, height;
    double video_duration, audio_duration, format_duration;
    long video_frames;      /* counted by reading packets */
    int moov_before_mdat;   /* 1 when the index is at the front (faststart) */
} mv_test_media_info;

/* Fills info from the file. Returns 0 on success. */
int mv_test_probe_media(const char *path, mv_test_media_info *info);

#endif /* MV_TEST_MEDIA_H */
