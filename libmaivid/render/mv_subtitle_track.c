/*
 * mv_subtitle_track.c - the optional soft subtitle track of the MP4: one mov_text (3GPP
 * timed text, tx3g) sample per lyric line, so players can toggle the words on and off. The
 * sample description (bottom-centred white text in the style's font) and the samples (a
 * 16-bit length and the UTF-8 text, no style boxes) are written by hand: the format is that
 * small, and no ASS parsing is involved.
 */
#include "render/mv_subtitle_track.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/mem.h>

#include "captions/mv_timed_lyrics.h"

static uint8_t *mv_put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
    return p + 2;
}

static uint8_t *mv_put32(uint8_t *p, uint32_t v)
{
    p = mv_put16(p, v >> 16);
    return mv_put16(p, v & 0xFFFF);
}

int mv_subtitle_track_setup(AVCodecParameters *par, const char *font, int width, int height)
{
    const char *name = font && *font ? font : "Sans-Serif";
    size_t len = strlen(name) > 200 ? 200 : strlen(name);
    size_t size = 30 + 13 + len;
    uint8_t *x = av_mallocz(size + AV_INPUT_BUFFER_PADDING_SIZE);
    if (!x)
        return -1;
    uint8_t *p = mv_put32(x, 0);         /* display flags */
    *p++ = 1;                            /* horizontal: centred */
    *p++ = 0xFF;                         /* vertical: bottom */
    p = mv_put32(p, 0x00000000);         /* background: transparent */
    p = mv_put16(p, 0);                  /* text box: top, left, bottom, right */
    p = mv_put16(p, 0);
    p = mv_put16(p, (unsigned)height);
    p = mv_put16(p, (unsigned)width);
    p = mv_put16(p, 0);                  /* default style: start and end character */
    p = mv_put16(p, 0);
    p = mv_put16(p, 1);                  /* font id */
    *p++ = 1;                            /* bold */
    *p++ = (uint8_t)(height / 18 > 255 ? 255 : (height / 18 < 12 ? 12 : height / 18));
    p = mv_put32(p, 0xFFFFFFFF);         /* white, opaque */
    p = mv_put32(p, (uint32_t)(13 + len)); /* ftab box: one font */
    memcpy(p, "ftab", 4);
    p += 4;
    p = mv_put16(p, 1);
    p = mv_put16(p, 1);
    *p++ = (uint8_t)len;
    memcpy(p, name, len);
    par->codec_type = AVMEDIA_TYPE_SUBTITLE;
    par->codec_id = AV_CODEC_ID_MOV_TEXT;
    par->width = width;
    par->height = height;
    par->extradata = x;
    par->extradata_size = (int)size;
    return 0;
}

int mv_subtitle_track_packet(const mv_timed_lyrics *lyrics, size_t i, AVPacket *pkt)
{
    const mv_timed_line *line = &lyrics->lines[i];
    size_t len = strlen(line->text);
    if (len > 65535)
        len = 65535;
    if (av_new_packet(pkt, (int)len + 2) < 0)
        return -1;
    mv_put16(pkt->data, (unsigned)len);
    memcpy(pkt->data + 2, line->text, len);
    pkt->pts = pkt->dts = llround(line->start * 1000);
    pkt->duration = llround(line->end * 1000) - pkt->pts;
    if (pkt->duration < 1)
        pkt->duration = 1;
    pkt->flags |= AV_PKT_FLAG_KEY;
    return 0;
}
