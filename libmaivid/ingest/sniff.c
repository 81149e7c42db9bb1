/*
 * sniff.c - tells what a download really is from its first bytes (never from its name or
 * Content-Type): the audio/video containers libavformat reads, and the things servers send
 * instead of audio (HTML pages, XML error bodies, JSON, images).
 */
#include "ingest/mv_ingest_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int mp3_frame_header(const uint8_t *b)
{
    if (b[0] != 0xff || (b[1] & 0xe0) != 0xe0)
        return 0;
    int version = (b[1] >> 3) & 3, layer = (b[1] >> 1) & 3;
    int bitrate = b[2] >> 4, rate = (b[2] >> 2) & 3;
    return version != 1 && layer != 0 && bitrate != 0 && bitrate != 15 && rate != 3;
}

static int adts_header(const uint8_t *b, size_t len)
{
    if (len < 7 || b[0] != 0xff || (b[1] & 0xf6) != 0xf0)
        return 0;
    int rate_index = (b[2] >> 2) & 0xf;
    size_t frame = ((size_t)(b[3] & 3) << 11) | ((size_t)b[4] << 3) | (b[5] >> 5);
    return rate_index < 13 && frame >= 7;
}

static int starts_ci(const uint8_t *p, size_t len, const char *word)
{
    size_t n = strlen(word);
    return len >= n && strncasecmp((const char *)p, word, n) == 0;
}

static mv_sniff_kind sniff_text(const uint8_t *d, size_t len)
{
    size_t i = 0;
    if (len >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf)
        i = 3;
    while (i < len && isspace(d[i]))
        i++;
    const uint8_t *p = d + i;
    size_t n = len - i;
    if (starts_ci(p, n, "<?xml")) {
        /* XHTML still is a page */
        for (size_t k = 0; k + 5 <= n; k++)
            if (starts_ci(p + k, n - k, "<html"))
                return MV_SNIFF_HTML;
        return MV_SNIFF_XML;
    }
    const char *html_starts[] = {"<!doctype html", "<html", "<head", "<body", "<script",
                                 "<!--", "<meta", "<title", "<div", "<p>", "<a ", "<h1"};
    for (size_t k = 0; k < sizeof html_starts / sizeof html_starts[0]; k++)
        if (starts_ci(p, n, html_starts[k]))
            return MV_SNIFF_HTML;
    if (n > 0 && (p[0] == '{' || p[0] == '['))
        return MV_SNIFF_JSON;
    if (starts_ci(p, n, "<Error>") || starts_ci(p, n, "<"))
        return MV_SNIFF_XML;
    return MV_SNIFF_UNKNOWN;
}

mv_sniff_kind mv_sniff(const uint8_t *d, size_t len)
{
    if (!d || len < 4)
        return MV_SNIFF_UNKNOWN;
    if (memcmp(d, "ID3", 3) == 0 && len >= 10) {
        size_t tag = ((size_t)(d[6] & 0x7f) << 21) | ((size_t)(d[7] & 0x7f) << 14) |
                     ((size_t)(d[8] & 0x7f) << 7) | (d[9] & 0x7f);
        tag += 10 + ((d[5] & 0x10) ? 10 : 0);
        if (tag + 4 <= len) {
            mv_sniff_kind inner = mv_sniff(d + tag, len - tag);
            if (inner == MV_SNIFF_FLAC || inner == MV_SNIFF_ADTS)
                return inner;
        }
        return MV_SNIFF_MP3;
    }
    if (len >= 12 && memcmp(d + 4, "ftyp", 4) == 0) {
        const char *audio_brands[] = {"M4A ", "M4B ", "M4P ", "F4A ", "F4B "};
        for (size_t k = 0; k < sizeof audio_brands / sizeof audio_brands[0]; k++)
            if (memcmp(d + 8, audio_brands[k], 4) == 0)
                return MV_SNIFF_M4A;
        return MV_SNIFF_MP4;
    }
    if (len >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WAVE", 4) == 0)
        return MV_SNIFF_WAV;
    if (len >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
        return MV_SNIFF_WEBP;
    if (memcmp(d, "fLaC", 4) == 0)
        return MV_SNIFF_FLAC;
    if (memcmp(d, "OggS", 4) == 0)
        return MV_SNIFF_OGG;
    if (d[0] == 0x1a && d[1] == 0x45 && d[2] == 0xdf && d[3] == 0xa3) {
        for (size_t k = 4; k + 4 <= len && k < 64; k++)
            if (memcmp(d + k, "webm", 4) == 0)
                return MV_SNIFF_WEBM;
        return MV_SNIFF_MKV;
    }
    if (d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff)
        return MV_SNIFF_JPEG;
    if (len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
        return MV_SNIFF_PNG;
    if (memcmp(d, "GIF8", 4) == 0)
        return MV_SNIFF_GIF;
    if (adts_header(d, len))
        return MV_SNIFF_ADTS;
    if (mp3_frame_header(d))
        return MV_SNIFF_MP3;
    return sniff_text(d, len);
}

int mv_sniff_is_media(mv_sniff_kind k)
{
    return k >= MV_SNIFF_MP3 && k <= MV_SNIFF_MKV;
}

int mv_sniff_is_image(mv_sniff_kind k)
{
    return k == MV_SNIFF_JPEG || k == MV_SNIFF_PNG || k == MV_SNIFF_WEBP || k == MV_SNIFF_GIF;
}

const char *mv_sniff_ext(mv_sniff_kind k)
{
    switch (k) {
    case MV_SNIFF_MP3: return "mp3";
    case MV_SNIFF_ADTS: return "aac";
    case MV_SNIFF_M4A: return "m4a";
    case MV_SNIFF_MP4: return "mp4";
    case MV_SNIFF_WAV: return "wav";
    case MV_SNIFF_FLAC: return "flac";
    case MV_SNIFF_OGG: return "ogg";
    case MV_SNIFF_WEBM: return "webm";
    case MV_SNIFF_MKV: return "mkv";
    case MV_SNIFF_HTML: return "html";
    case MV_SNIFF_XML: return "xml";
    case MV_SNIFF_JSON: return "json";
    case MV_SNIFF_JPEG: return "jpg";
    case MV_SNIFF_PNG: return "png";
    case MV_SNIFF_WEBP: return "webp";
    case MV_SNIFF_GIF: return "gif";
    default: return "bin";
    }
}

const char *mv_sniff_describe(mv_sniff_kind k)
{
    switch (k) {
    case MV_SNIFF_MP3: return "an MP3 file";
    case MV_SNIFF_ADTS: return "an AAC (ADTS) file";
    case MV_SNIFF_M4A: return "an M4A file";
    case MV_SNIFF_MP4: return "an MP4 file";
    case MV_SNIFF_WAV: return "a WAV file";
    case MV_SNIFF_FLAC: return "a FLAC file";
    case MV_SNIFF_OGG: return "an Ogg file";
    case MV_SNIFF_WEBM: return "a WebM file";
    case MV_SNIFF_MKV: return "a Matroska file";
    case MV_SNIFF_HTML: return "an HTML page";
    case MV_SNIFF_XML: return "an XML document (usually an error message)";
    case MV_SNIFF_JSON: return "a JSON document";
    case MV_SNIFF_JPEG: return "a JPEG image";
    case MV_SNIFF_PNG: return "a PNG image";
    case MV_SNIFF_WEBP: return "a WebP image";
    case MV_SNIFF_GIF: return "a GIF image";
    default: return "data of an unknown kind (not audio; possibly encrypted)";
    }
}

mv_sniff_kind mv_sniff_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return MV_SNIFF_UNKNOWN;
    uint8_t buf[512];
    size_t n = fread(buf, 1, sizeof buf, f);
    mv_sniff_kind kind = mv_sniff(buf, n);
    if (kind == MV_SNIFF_MP3 && n >= 10 && memcmp(buf, "ID3", 3) == 0) {
        /* look past a large ID3 tag: FLAC and ADTS files sometimes carry one */
        long tag = ((long)(buf[6] & 0x7f) << 21) | ((long)(buf[7] & 0x7f) << 14) |
                   ((long)(buf[8] & 0x7f) << 7) | (buf[9] & 0x7f);
        tag += 10 + ((buf[5] & 0x10) ? 10 : 0);
        uint8_t after[16];
        if (fseek(f, tag, SEEK_SET) == 0) {
            size_t m = fread(after, 1, sizeof after, f);
            mv_sniff_kind inner = mv_sniff(after, m);
            if (inner == MV_SNIFF_FLAC || inner == MV_SNIFF_ADTS)
                kind = inner;
        }
    }
    fclose(f);
    return kind;
}
