/*
 * clip.c - scene clips (mv_clip.h): where a scene's clip is kept beside its still, which
 * ComfyUI outputs are clips, and the check with libavformat/libavcodec (every frame decoded
 * once, one at a time; the first one optionally written as the still, a PNG made with
 * libavcodec's encoder after a libswscale conversion to RGB; the last one likewise, as the
 * start of the next clip of a chain).
 */
#include "images/mv_clip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/log.h>
#include <libswscale/swscale.h>

/* The containers a clip may come in, in the order they are looked for. */
static const char *const mv_clip_exts[] = {"mp4", "webm", "mkv", "mov", "gif", "apng", "webp"};
#define MV_CLIP_EXT_COUNT (sizeof mv_clip_exts / sizeof mv_clip_exts[0])

char *mv_scene_clip_path(const char *still_path, const char *ext)
{
    const char *slash = strrchr(still_path, '/');
    const char *dot = strrchr(still_path, '.');
    size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - still_path) : strlen(still_path);
    return mv_strdup_printf("%.*s.%s", (int)stem, still_path, ext);
}

char *mv_scene_clip_find(const char *still_path)
{
    for (size_t i = 0; still_path && i < MV_CLIP_EXT_COUNT; i++) {
        char *p = mv_scene_clip_path(still_path, mv_clip_exts[i]);
        if (p && mv_file_exists(p))
            return p;
        free(p);
    }
    return NULL;
}

void mv_scene_clip_remove(const char *still_path)
{
    for (size_t i = 0; still_path && i < MV_CLIP_EXT_COUNT; i++) {
        char *p = mv_scene_clip_path(still_path, mv_clip_exts[i]);
        if (p)
            unlink(p);
        free(p);
    }
}

char *mv_scene_chain_still(const char *still_path, int k)
{
    if (k <= 1)
        return mv_strdup(still_path);
    const char *slash = strrchr(still_path, '/');
    const char *dot = strrchr(still_path, '.');
    size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - still_path) : strlen(still_path);
    return mv_strdup_printf("%.*s_c%d.png", (int)stem, still_path, k);
}

size_t mv_scene_chain_find(const char *still_path, int max, char **paths)
{
    size_t n = 0;
    for (int k = 1; k <= max; k++) {
        char *still = mv_scene_chain_still(still_path, k);
        char *clip = still ? mv_scene_clip_find(still) : NULL;
        free(still);
        if (!clip)
            break;
        paths[n++] = clip;
    }
    return n;
}

const char *mv_clip_extension(const char *filename, const char *format)
{
    if (format && *format) { /* VHS: "video/h264-mp4", "video/webm", "image/gif" */
        const char *tail = strrchr(format, '-');
        const char *slash = strrchr(format, '/');
        const char *name = tail ? tail + 1 : slash ? slash + 1 : format;
        for (size_t i = 0; i < MV_CLIP_EXT_COUNT; i++)
            if (strcmp(name, mv_clip_exts[i]) == 0)
                return mv_clip_exts[i];
    }
    const char *dot = filename ? strrchr(filename, '.') : NULL;
    if (!dot)
        return NULL;
    if (strcmp(dot, ".png") == 0)
        return "apng"; /* an animated output saved as .png */
    for (size_t i = 0; i < MV_CLIP_EXT_COUNT; i++)
        if (strcmp(dot + 1, mv_clip_exts[i]) == 0)
            return mv_clip_exts[i];
    return NULL;
}

/* Writes frame as an RGB PNG at path (atomically). */
static maivid_code mv_write_poster(const AVFrame *frame, const char *path, mv_error *err)
{
    maivid_code rc = MAIVID_E_MEDIA;
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
    AVCodecContext *enc = codec ? avcodec_alloc_context3(codec) : NULL;
    AVFrame *rgb = av_frame_alloc();
    AVPacket *pkt = av_packet_alloc();
    struct SwsContext *sws = NULL;
    if (!enc || !rgb || !pkt)
        goto done;
    enc->width = frame->width;
    enc->height = frame->height;
    enc->pix_fmt = AV_PIX_FMT_RGB24;
    enc->time_base = (AVRational){1, 25};
    rgb->format = AV_PIX_FMT_RGB24;
    rgb->width = frame->width;
    rgb->height = frame->height;
    sws = sws_getContext(frame->width, frame->height, (enum AVPixelFormat)frame->format,
                         frame->width, frame->height, AV_PIX_FMT_RGB24, SWS_BICUBIC, NULL, NULL,
                         NULL);
    if (!sws || avcodec_open2(enc, codec, NULL) < 0 || av_frame_get_buffer(rgb, 0) < 0)
        goto done;
    sws_scale(sws, (const uint8_t *const *)frame->data, frame->linesize, 0, frame->height,
              rgb->data, rgb->linesize);
    if (avcodec_send_frame(enc, rgb) < 0 || avcodec_send_frame(enc, NULL) < 0 ||
        avcodec_receive_packet(enc, pkt) < 0)
        goto done;
    rc = mv_write_file_atomic(path, (const char *)pkt->data, (size_t)pkt->size, err);
done:
    if (rc == MAIVID_E_MEDIA)
        mv_fail(err, MAIVID_E_MEDIA, "the clip's first frame could not be kept as %s", path);
    sws_freeContext(sws);
    av_packet_free(&pkt);
    av_frame_free(&rgb);
    avcodec_free_context(&enc);
    return rc;
}

/* Decodes every frame once; writes the first (poster_png) and the last (last_png) frame as
 * PNGs when asked. The last decoded frame is held by reference, never a copy of the clip. */
static maivid_code mv_clip_decode(const char *path, const char *poster_png,
                                  const char *last_png, mv_clip_info *info, mv_error *err)
{
    if (av_log_get_level() != AV_LOG_QUIET)
        av_log_set_level(AV_LOG_QUIET);
    mv_clip_info local = {0};
    AVFormatContext *fmt = NULL;
    AVCodecContext *dec = NULL;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    AVFrame *last = last_png ? av_frame_alloc() : NULL;
    maivid_code rc = MAIVID_E_MEDIA;
    int stream = -1, ret;
    int64_t first_pts = AV_NOPTS_VALUE, last_pts = AV_NOPTS_VALUE, last_dur = 0;
    if (!pkt || !frame || (last_png && !last)) {
        rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory checking a clip");
        goto done;
    }
    if ((ret = avformat_open_input(&fmt, path, NULL, NULL)) < 0 ||
        avformat_find_stream_info(fmt, NULL) < 0) {
        mv_fail(err, MAIVID_E_MEDIA, "the clip %s is not a video this build can read (%s)",
                path, ret < 0 ? av_err2str(ret) : "no stream information");
        goto done;
    }
    stream = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    const AVCodec *codec =
        stream >= 0 ? avcodec_find_decoder(fmt->streams[stream]->codecpar->codec_id) : NULL;
    dec = codec ? avcodec_alloc_context3(codec) : NULL;
    if (!dec || avcodec_parameters_to_context(dec, fmt->streams[stream]->codecpar) < 0 ||
        avcodec_open2(dec, codec, NULL) < 0) {
        mv_fail(err, MAIVID_E_MEDIA, "the clip %s has no video stream this build can decode",
                path);
        goto done;
    }
    AVRational tb = fmt->streams[stream]->time_base;
    int flushing = 0;
    for (;;) {
        ret = avcodec_receive_frame(dec, frame);
        if (ret == 0) {
            if (local.frames == 0) {
                local.width = frame->width;
                local.height = frame->height;
                if (poster_png && mv_write_poster(frame, poster_png, err) != MAIVID_OK)
                    goto done;
            }
            int64_t pts = frame->best_effort_timestamp;
            if (pts != AV_NOPTS_VALUE) {
                if (first_pts == AV_NOPTS_VALUE)
                    first_pts = pts;
                last_pts = pts;
                last_dur = frame->pkt_duration;
            }
            local.frames++;
            if (last) {
                av_frame_unref(last);
                av_frame_move_ref(last, frame);
            } else {
                av_frame_unref(frame);
            }
            continue;
        }
        if (ret == AVERROR_EOF)
            break;
        if (ret != AVERROR(EAGAIN))
            break; /* a damaged frame: what decoded so far counts */
        if (flushing)
            break;
        ret = av_read_frame(fmt, pkt);
        if (ret < 0) {
            flushing = 1;
            avcodec_send_packet(dec, NULL);
            continue;
        }
        if (pkt->stream_index == stream)
            avcodec_send_packet(dec, pkt);
        av_packet_unref(pkt);
    }
    if (local.frames < 1 || local.width < 2 || local.height < 2) {
        mv_fail(err, MAIVID_E_MEDIA, "the clip %s holds no frames that decode", path);
        goto done;
    }
    if (first_pts != AV_NOPTS_VALUE && last_pts > first_pts) {
        double span = (double)(last_pts - first_pts) * av_q2d(tb);
        double step = span / (double)(local.frames - 1);
        if (last_dur > 0)
            step = (double)last_dur * av_q2d(tb);
        local.duration = span + step;
    } else {
        AVRational fr = fmt->streams[stream]->avg_frame_rate;
        double fps = fr.num > 0 && fr.den > 0 ? av_q2d(fr) : 24.0;
        local.duration = (double)local.frames / fps;
    }
    local.fps = local.duration > 0 ? (double)local.frames / local.duration : 0;
    rc = last ? mv_write_poster(last, last_png, err) : MAIVID_OK;
done:
    if (info)
        *info = local;
    av_frame_free(&last);
    av_frame_free(&frame);
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
    return rc;
}

maivid_code mv_clip_check(const char *path, const char *poster_png, mv_clip_info *info,
                          mv_error *err)
{
    return mv_clip_decode(path, poster_png, NULL, info, err);
}

maivid_code mv_clip_last_frame(const char *path, const char *png_path, mv_error *err)
{
    return mv_clip_decode(path, NULL, png_path, NULL, err);
}
