/*
 * mv_ingest.h - stages download and lyrics: from a song link (Suno share/song links, direct
 * audio URLs, web pages naming their audio) or a local file, put the audio and what is known
 * about the song into <job_dir>/source/: audio.<ext>, metadata.json, cover.<ext>, lyrics.txt.
 */
#ifndef MV_INGEST_H
#define MV_INGEST_H

#include <stdint.h>

#include "util/mv_common.h"

typedef struct mv_fetch_config {
    const char *suno_web_base;   /* "https://suno.com" */
    const char *suno_api_base;   /* "https://studio-api.prod.suno.com" */
    const char *suno_cdn_base;   /* "https://cdn1.suno.ai" */
    int allow_private_urls;
    int allow_local_files;
    double connect_timeout, io_timeout;
    uint64_t max_bytes;
    /* Optional speech-to-text for songs with no lyrics: an OpenAI-compatible server's base
     * address (".../v1/audio/transcriptions" is appended); NULL (the default): off. */
    const char *stt_url;
    const char *stt_model;   /* NULL: "whisper-1" */
    const char *stt_api_key; /* NULL: no Authorization header */
} mv_fetch_config;

typedef struct mv_song {
    char *audio_path;   /* <source_dir>/audio.<ext>, sniffed, complete */
    char *title, *artist, *tags, *lyrics, *cover_path; /* may be NULL */
    char *source_kind;  /* "suno", "direct", "page" or "file" (older jobs: "local") */
    char *song_id;      /* Suno clip id, if any */
    double duration;    /* seconds, decode-based when the header lies */
    double bpm;         /* if the source says, else 0 */
} mv_song;

/* Fetches `source` (URL, or a local path when allowed) into source_dir and fills `song`;
 * writes source_dir/metadata.json. MAIVID_E_FETCH / _POLICY / _MEDIA with a message naming
 * the cause and the fix; nothing partial is left looking complete. */
maivid_code mv_fetch_song(const mv_fetch_config *cfg, const char *source, const char *source_dir,
                          mv_song *song, const mv_task *task, mv_error *err);
/* Reloads what mv_fetch_song stored (for resumed jobs). */
maivid_code mv_song_load(const char *source_dir, mv_song *song, mv_error *err);
/* What metadata.json says about the song (title, artist, tags, duration, bpm, cover, source
 * kind, Suno id), without needing the audio (a plugged fetch stage may name none). */
maivid_code mv_song_describe(const char *source_dir, mv_song *song, mv_error *err);
void mv_song_free(mv_song *song);

/* source/lyrics_origin: "user" (the job's, the source's, the file's or an .lrc),
 * "speech_to_text" (transcribed in the lyrics stage) or "none". */
#define MV_LYRICS_ORIGIN_FILE "lyrics_origin"

/* Picks the lyrics (the job's own text, the source's, tags in the file, an .lrc beside a
 * local file, optional transcription) and writes source_dir/lyrics.txt (may be empty for an
 * instrumental). `own_lyrics` may be NULL. */
maivid_code mv_resolve_lyrics(const mv_fetch_config *cfg, const char *own_lyrics,
                              const char *source, const char *source_dir, const mv_song *song,
                              const mv_task *task, mv_error *err);

#endif /* MV_INGEST_H */
