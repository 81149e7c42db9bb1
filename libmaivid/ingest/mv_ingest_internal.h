/*
 * mv_ingest_internal.h - the pieces the ingest stage is built from, shared between its files
 * and its unit tests: the URL policy, the HTTP client, content sniffing, HTML page scraping,
 * the Suno resolver, the libavformat probe and metadata.json.
 */
#ifndef MV_INGEST_INTERNAL_H
#define MV_INGEST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "ingest/mv_ingest.h"
#include "util/mv_common.h"
#include "util/mv_utf8.h"

/* ------------------------------------------------------------------ url_policy.c */

/* 1 when the address is loopback, private, link-local, multicast, unspecified, CGNAT,
 * reserved or an IPv4-mapped/compatible/NAT64 form of one; else 0. */
int mv_addr_is_restricted(const struct sockaddr *addr);
/* Same for a host spelled as an IP literal, including decimal ("2130706433"), octal
 * ("0177.0.0.1"), hex ("0x7f.1") and bracketed IPv6. Returns -1 when the host is a name. */
int mv_host_literal_restricted(const char *host);
/* Checks a URL before any request: only http/https, and (unless allow_private) a host that
 * is not a restricted IP literal or "localhost". MAIVID_E_POLICY with the reason. */
maivid_code mv_url_policy_check(const char *url, int allow_private, mv_error *err);

/* The policy on the address actually connected (DNS tricks included): install on a libcurl
 * handle, and a restricted address is refused at connect time unless allow_private. */
typedef struct mv_connect_guard {
    int allow_private;
    int refused;                     /* set when a connection was refused */
    char refused_ip[INET6_ADDRSTRLEN]; /* the address refused */
} mv_connect_guard;
void mv_connect_guard_install(CURL *curl, mv_connect_guard *guard);

/* ------------------------------------------------------------------ http.c */

typedef struct mv_dl_request {
    const char *url;
    const mv_fetch_config *cfg; /* timeouts, size cap, allow_private_urls */
    const char *dest_path;      /* NULL: body into memory; else written to this file */
    uint64_t max_bytes;         /* 0: cfg->max_bytes (or 200 MB); memory bodies use this too */
    int max_retries;            /* on timeouts, dropped connections, 429 and 5xx; -1: 2 */
    double retry_delay;         /* first backoff in seconds, doubled each time; 0: 1.0 */
    const char *accept;         /* Accept header, NULL: a browser-like one */
    const char *referer;        /* optional */
    int no_follow;              /* 1: return 3xx answers (resp->location) instead of following */
    const mv_task *task;        /* progress and cancel */
    double progress_from, progress_to; /* stage fraction range this transfer fills */
} mv_dl_request;

typedef struct mv_dl_response {
    long status;          /* final HTTP status */
    char *content_type;   /* may be NULL */
    char *final_url;      /* the URL that answered (after redirects) */
    char *location;       /* no_follow only: the redirect target, resolved to absolute */
    char *body;           /* memory bodies only, NUL-terminated */
    size_t body_len;
    uint64_t bytes;       /* bytes received of the final body */
    uint8_t head[64];     /* the body's first bytes (both modes), for sniffing */
    size_t head_len;
} mv_dl_response;

/* GETs a URL, following at most 5 redirects by hand so the policy sees every hop and the
 * address actually connected. Returns MAIVID_OK whenever an HTTP answer arrived (any
 * status: check resp->status); transport failures give MAIVID_E_FETCH / _POLICY /
 * _CANCELLED with a message naming cause and fix. A file body is complete on MAIVID_OK with
 * a 2xx status, otherwise the file is removed. */
maivid_code mv_dl_get(const mv_dl_request *req, mv_dl_response *resp, mv_error *err);
void mv_dl_response_free(mv_dl_response *resp);
/* Describes a non-2xx answer as an error ("the server answered 403 (MissingKey) for <url>")
 * followed by `fix`. Returns MAIVID_E_FETCH. */
maivid_code mv_dl_status_error(const char *url, const mv_dl_response *resp, const char *fix,
                                 mv_error *err);
/* The browser-like User-Agent sent with every request. */
extern const char mv_dl_user_agent[];

/* ------------------------------------------------------------------ sniff.c */

typedef enum mv_sniff_kind {
    MV_SNIFF_UNKNOWN = 0,
    MV_SNIFF_MP3,
    MV_SNIFF_ADTS,
    MV_SNIFF_M4A,  /* ftyp with an audio brand */
    MV_SNIFF_MP4,  /* ftyp, may hold video */
    MV_SNIFF_WAV,
    MV_SNIFF_FLAC,
    MV_SNIFF_OGG,
    MV_SNIFF_WEBM, /* EBML with DocType webm */
    MV_SNIFF_MKV,  /* other Matroska */
    MV_SNIFF_HTML,
    MV_SNIFF_XML,
    MV_SNIFF_JSON,
    MV_SNIFF_JPEG,
    MV_SNIFF_PNG,
    MV_SNIFF_WEBP,
    MV_SNIFF_GIF
} mv_sniff_kind;

mv_sniff_kind mv_sniff(const uint8_t *data, size_t len);
/* 1 for the audio/video container kinds. */
int mv_sniff_is_media(mv_sniff_kind kind);
int mv_sniff_is_image(mv_sniff_kind kind);
/* File extension without the dot ("mp3", "m4a", "jpg", ...), "bin" when unknown. */
const char *mv_sniff_ext(mv_sniff_kind kind);
/* A short name for messages ("an HTML page", "an MP3 file", ...). */
const char *mv_sniff_describe(mv_sniff_kind kind);
/* Sniffs the first bytes of a file. */
mv_sniff_kind mv_sniff_file(const char *path);

/* ------------------------------------------------------------------ page.c */

/* The content of <meta property|name="name" content="..."> (entity-decoded), or NULL. */
char *mv_html_meta(const char *html, const char *name);
/* The <title> text (entity-decoded), or NULL. */
char *mv_html_title(const char *html);
/* The first src of an <audio> or <source> element (entity-decoded), or NULL. */
char *mv_html_audio_src(const char *html);
/* Decodes &amp; &lt; &gt; &quot; &#39; &#x27; &#NNN; in place (returns s). */
char *mv_html_unescape(char *s);
/* Resolves a possibly relative URL against base. malloc'd, NULL on error. */
char *mv_url_resolve(const char *base, const char *ref);
/* Candidate media URLs named by a page, best first (og:audio, twitter:player:stream,
 * <audio>/<source>, og:video...). Returns how many were stored in out (each malloc'd). */
size_t mv_page_media_urls(const char *html, const char *page_url, char **out, size_t max);

/* ------------------------------------------------------------------ suno.c */

typedef enum mv_suno_link_kind {
    MV_SUNO_NOT_SUNO = 0,
    MV_SUNO_SONG,  /* /song/<uuid> or /embed/<uuid> */
    MV_SUNO_SHARE, /* /s/<code> */
    MV_SUNO_HOOK,  /* /hook/<uuid>: refused */
    MV_SUNO_OTHER  /* a Suno page that is no song (playlist, profile, ...) */
} mv_suno_link_kind;

/* Classifies a link; `value` (size 64) receives the lower-case uuid or the share code. */
mv_suno_link_kind mv_suno_classify(const mv_fetch_config *cfg, const char *url, char value[64]);

/* What the Suno resolver found about a clip. */
typedef struct mv_suno_clip {
    char id[40];
    char *title, *artist, *handle, *tags, *lyrics, *status;
    char *audio_url, *video_url, *image_url;
    char **media_urls; size_t media_url_count; /* unencrypted entries only */
    int encrypted_media;                        /* media_urls had encrypted entries */
    double duration;
    int from_page;                              /* metadata came from the page RSC */
} mv_suno_clip;
void mv_suno_clip_free(mv_suno_clip *clip);

/* Fills clip from a clip JSON object (API answer or RSC). `refs` resolves "$<hex>" strings
 * (may be NULL). Returns 0 when the object is no clip. */
struct cJSON;
typedef const char *(*mv_rsc_ref_fn)(void *user, const char *ref_id);
int mv_suno_clip_from_json(const struct cJSON *obj, mv_rsc_ref_fn refs, void *refs_user,
                           mv_suno_clip *clip);
/* Parses a song page's Next.js flight data for the clip `id` (NULL: the first clip found).
 * Returns 1 when found. */
int mv_suno_parse_page(const char *html, const char *id, mv_suno_clip *clip);
/* Concatenates the page's self.__next_f.push([1,"..."]) chunks (decoded). malloc'd. */
char *mv_next_flight_text(const char *html, size_t *len);

/* Resolves a Suno link to a clip and downloads its audio into source_dir (audio.<ext>, plus
 * cover.<ext> when served). Fills song. */
maivid_code mv_suno_fetch(const mv_fetch_config *cfg, const char *url, const char *source_dir,
                          mv_song *song, const mv_task *task, mv_error *err);

/* ------------------------------------------------------------------ fetch_media.c */

/* Moves a complete, sniffed media file at tmp into place as dir/audio.<ext>; a video keeps
 * only its audio track. Removes tmp in every case. */
maivid_code mv_install_media(const char *tmp, mv_sniff_kind kind, const char *dir,
                             char **audio_path, mv_error *err);

/* Downloads url to a temp file in source_dir, sniffs it, and when it is media moves it to
 * source_dir/audio.<ext> (mp4 video: audio track remuxed to audio.m4a). *kind_out gets the
 * sniffed kind even on failure (may be NULL). Non-2xx and non-media give MAIVID_E_FETCH /
 * MAIVID_E_MEDIA, no file left. */
maivid_code mv_fetch_media(const mv_fetch_config *cfg, const char *url, const char *source_dir,
                           char **audio_path, mv_dl_response *resp_out, const mv_task *task,
                           double p0, double p1, mv_error *err);
/* Downloads an image to source_dir/cover.<ext>; returns NULL (and warns) on failure. */
char *mv_fetch_cover(const mv_fetch_config *cfg, const char *url, const char *source_dir,
                     const mv_task *task);

/* ------------------------------------------------------------------ probe.c */

typedef struct mv_probe_info {
    double duration;        /* decode-based seconds */
    double header_duration; /* what the container claims, or 0 */
    char *title, *artist, *genre, *lyrics; /* tags; may be NULL */
    double bpm;
    int has_cover;          /* embedded picture */
    int has_video;          /* a real (not attached-picture) video stream */
    char codec[32];
} mv_probe_info;

/* Opens an audio file with libavformat, decodes its audio stream for the real duration and
 * reads its tags. MAIVID_E_MEDIA when it holds no decodable audio. */
maivid_code mv_probe_audio(const char *path, mv_probe_info *info, mv_error *err);
void mv_probe_info_free(mv_probe_info *info);
/* Writes the file's embedded cover picture to <dir>/cover.<ext>; returns the path or NULL. */
char *mv_probe_extract_cover(const char *path, const char *dir);
/* Copies the audio stream of src (mp4/webm video) into dst without re-encoding. */
maivid_code mv_remux_audio(const char *src, const char *dst, mv_error *err);

/* ------------------------------------------------------------------ lyrics.c */

/* Lyrics stored in the file's tags: ID3 SYLT (returned as LRC), else ID3 USLT or Vorbis
 * LYRICS/UNSYNCEDLYRICS. malloc'd or NULL. */
char *mv_lyrics_from_file_tags(const char *path);
/* The ID3v2 SYLT frame of an MP3 as LRC text ("[mm:ss.xx]line" per line), or NULL. */
char *mv_id3_sylt_to_lrc(const char *path);

/* ------------------------------------------------------------------ transcribe.c */

/* The transcription endpoint for a configured stt_url: the base address plus
 * "/v1/audio/transcriptions" (kept as is when already there, "/audio/transcriptions" after a
 * trailing "/v1"). malloc'd. */
char *mv_stt_endpoint(const char *stt_url);
/* Turns a transcription answer (OpenAI verbose_json: "segments": [{start, end, text}], or
 * only "text") into lyrics: LRC lines "[mm:ss.xx]text" from segments, else the plain text.
 * Whitespace is trimmed and non-lyric segments ("[Music]", "(applause)", only punctuation
 * or notes) are dropped. *lyrics gets a malloc'd string, "" when nothing was sung.
 * MAIVID_E_FETCH when the answer is no such JSON. */
maivid_code mv_stt_answer_to_lyrics(const char *json, size_t len, char **lyrics, mv_error *err);
/* POSTs audio_path as multipart/form-data to cfg->stt_url's transcription endpoint (model
 * cfg->stt_model or "whisper-1", response_format verbose_json, segment timestamps, bearer
 * cfg->stt_api_key) under the URL policy, cfg's connect timeout, and cancel. The answer may
 * take io_timeout or the song's duration (whichever is longer) after the upload; any other
 * stall is limited by io_timeout. MAIVID_OK with *lyrics as above; MAIVID_E_CANCELLED;
 * other codes with a message naming the cause and the fix. */
maivid_code mv_stt_transcribe(const mv_fetch_config *cfg, const char *audio_path,
                              double duration, const mv_task *task, char **lyrics,
                              mv_error *err);

/* ------------------------------------------------------------------ metadata_json.c */

/* Repairs the song's texts (title, artist, tags, lyrics, ids) to valid UTF-8, bad bytes
 * becoming U+FFFD. 0, or -1 when out of memory. */
int mv_song_repair_text(mv_song *song);
maivid_code mv_song_write_metadata(const char *source_dir, const char *source,
                                   const mv_song *song, mv_error *err);

#endif /* MV_INGEST_INTERNAL_H */
