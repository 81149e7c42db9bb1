/*
 * mv_test_media.c - probing real output files for tests (see mv_test_media.h).
 */
#include "mv_test_media.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>
#include <stdio.h>
#include <string.h>

/* Walks the top-level MP4 boxes and reports whether moov precedes mdat. */
static int moov_first(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    unsigned char h[16];
    long offset = 0;
    int result = 0;
    while (fread(h, 1, 8, f) == 8) {
        unsigned long long size = ((unsigned long long)h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3];
        if (memcmp(h + 4, "moov", 4) == 0) {
            result = 1;
            break;
        }
        if (memcmp(h + 4, "mdat", 4) == 0)
            break;
        if (size == 1) {
            if (fread(h + 8, 1, 8, f) != 8)
                break;
            size = 0;
            for (int i = 8; i < 16; i++)
                size = (size << 8) | h[i];
        }
        if (size < 8)
            break;
        offset += (long)size;
        if (fseek(f, offset, SEEK_SET) != 0)
            break;
    }
    fclose(f);
    return result;
}

int mv_test_probe_media(const char *path, mv_test_media_info *info)
{
    memset(info, 0, sizeof *info);
    AVFormatContext *fmt = NULL;
    if (avformat_open_input(&fmt, path, NULL, NULL) < 0)
        return -1;
    if (avformat_find_stream_info(fmt, NULL) < 0) {
        avformat_close_input(&fmt);
        return -1;
    }
    int vi = -1, ai = -1;
    for (unsigned i = 0; i < fmt->nb_streams; i++) {
        AVCodecParameters *p = fmt->streams[i]->codecpar;
        double dur = fmt->streams[i]->duration > 0
                         ? fmt->streams[i]->duration * av_q2d(fmt->streams[i]->time_base)
                         : 0;
        if (p->codec_type == AVMEDIA_TYPE_VIDEO && vi < 0) {
            vi = (int)i;
            info->has_video = 1;
            snprintf(info->video_codec, sizeof info->video_codec, "%s", avcodec_get_name(p->codec_id));
            const char *pf = av_get_pix_fmt_name((enum AVPixelFormat)p->format);
            snprintf(info->pixel_format, sizeof info->pixel_format, "%s", pf ? pf : "?");
            info->width = p->width;
            info->height = p->height;
            info->video_duration = dur;
        } else if (p->codec_type == AVMEDIA_TYPE_AUDIO && ai < 0) {
            ai = (int)i;
            info->has_audio = 1;
            snprintf(info->audio_codec, sizeof info->audio_codec, "%s", avcodec_get_name(p->codec_id));
            const char *profile = avcodec_profile_name(p->codec_id, p->profile);
            snprintf(info->audio_profile, sizeof info->audio_profile, "%s", profile ? profile : "?");
            info->audio_duration = dur;
        }
    }
    info->format_duration = fmt->duration > 0 ? fmt->duration / (double)AV_TIME_BASE : 0;
    AVPacket *pkt = av_packet_alloc();
    while (pkt && av_read_frame(fmt, pkt) >= 0) {
        if (pkt->stream_index == vi)
            info->video_frames++;
        av_packet_unref(pkt);
    }
    av_packet_free(&pkt);
    avformat_close_input(&fmt);
    info->moov_before_mdat = moov_first(path);
    return 0;
}
