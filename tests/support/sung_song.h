/*
 * sung_song.h - songs whose every line start is known, for the lyric timing tests: a
 * synthetic band (kick, snare, hi-hat, bass, a chord pad and a plucked arpeggio, changing
 * chords every bar) with a formant-synthesised voice singing each lyric line, syllable by
 * syllable, from a given time. Mono float samples at 22050 Hz, or a WAV file.
 */
#ifndef SUNG_SONG_H
#define SUNG_SONG_H

#include <stddef.h>

#define SUNG_RATE 22050

typedef struct sung_line {
    const char *text;
    double start;       /* seconds: when the voice starts the line */
} sung_line;

typedef struct sung_song {
    double seconds;
    double bpm;         /* the band's tempo */
    double voice_db;    /* voice RMS relative to the band's RMS, e.g. 0 or -6 */
    double syllable;    /* seconds per syllable (about 0.3) */
    unsigned seed;
    const sung_line *lines;
    size_t line_count;
} sung_song;

/* Renders the song (malloc'd samples). Returns 0 on success. */
int sung_song_render(const sung_song *song, float **samples, size_t *count);
/* Renders it into a 16-bit stereo WAV at 44100 Hz. Returns 0 on success. */
int sung_song_write_wav(const sung_song *song, const char *path);

#endif
