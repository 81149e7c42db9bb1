/*
 * ingest_audio.h - real small audio files for the ingest tests, encoded with libavcodec
 * (MP3 via libmp3lame, AAC in ADTS/M4A, FLAC, WAV, Ogg Vorbis, and an MP4 with an MPEG-4
 * video track plus AAC, moov last as Suno serves it).
 */
#ifndef INGEST_AUDIO_H
#define INGEST_AUDIO_H

#include <stddef.h>
#include <stdint.h>

typedef struct ingest_audio_tags {
    const char *title, *artist, *genre, *lyrics;
} ingest_audio_tags;

/* kind: "mp3", "adts", "m4a", "flac", "wav", "ogg", "mp4video". Returns 0 on success. */
int ingest_make_audio(const char *path, const char *kind, double seconds,
                      const ingest_audio_tags *tags);
/* Reads a whole file (malloc'd), NULL on error. */
uint8_t *ingest_read_all(const char *path, size_t *len);

#endif
