/*
 * suno_fixture.h - a fake Suno (web, studio-api, cdn1, cloudfront, cdn2) on 127.0.0.1 that
 * replays each era's responses from shared/research/suno.md, with their failure variants.
 */
#ifndef SUNO_FIXTURE_H
#define SUNO_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "ingest_http_fixture.h"

#define SUNO_FIX_ID "080b4f6b-0064-4d2e-936a-5f1dec5caba8"
#define SUNO_FIX_OTHER_ID "e8fe6c48-e4b6-4be0-958c-b5daf8a2ab68"
#define SUNO_FIX_CODE "XceKbVQ7EZaCje85"
#define SUNO_FIX_LYRICS "[Verse 1]\nStreetlights hum in a minor key\nPuddles hold the city's " \
    "memory \xF0\x9F\x8C\xA7\n\n[Chorus]\nNeon rain, neon rain\nWash my name off the window " \
    "pane\n\n[Outro]\nNeon rain\xE2\x80\xA6"

typedef struct suno_fixture {
    ingest_http_server *server;
    char web[96], api[96], cdn[96];
    /* scenario */
    char era;            /* 'A', 'B', 'C' (mp3 public) or 'D' (withheld) */
    int share_mode;      /* 307 (default), 200 (page served), 404 (then share API) */
    int share_api_ok;    /* /api/share/code answers content_id */
    int api_down;        /* clip API 503 */
    int private_song;    /* clip API 404, page without clip data */
    int video_available; /* era D: the mp4 is public */
    int chunked;         /* pages chunked in small pieces */
    int split_rows;      /* flight rows split across pushes mid-row */
    int mp3_is_html;     /* cdn mp3 serves an HTML page with audio/mpeg */
    /* a stalling peer: replies whose path starts with stall_path send their headers and
     * stall_bytes of body, then nothing until the client gives up */
    const char *stall_path;
    size_t stall_bytes;
    /* media bytes (borrowed) */
    const uint8_t *mp3; size_t mp3_len;
    const uint8_t *mp4; size_t mp4_len;
} suno_fixture;

/* Starts the server; fills the bases. Set the scenario fields after. */
int suno_fixture_start(suno_fixture *f);
void suno_fixture_stop(suno_fixture *f);
/* The song page HTML for the current scenario (malloc'd), for parser tests. */
char *suno_fixture_page(const suno_fixture *f);
/* The clip JSON for the current scenario (malloc'd). */
char *suno_fixture_clip_json(const suno_fixture *f);

#endif
