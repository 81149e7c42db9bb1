/*
 * mv_render_mux.c - joins the checkpoint packet files into the final MP4 in one pass (packets
 * interleaved by decode time, timestamps continue seamlessly from segment to segment because
 * every segment was encoded with absolute frame numbers), with +faststart, then verifies it.
 */
#include "render/mv_render_mux.h"

#include <math.h>
#include <string.h>

#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>

#include "captions/mv_timed_lyrics.h"
#include "render/mv_packet_file.h"
#include "render/mv_subtitle_track.h"

typedef struct mv_mux_state {
    AVFormatContext *oc;
    AVStream *vst, *ast, *sst;     /* sst: the subtitle track, or NULL */
    size_t next_line;              /* next subtitle line to write */
    mv_packet_reader video, audio;
    size_t segment;
    AVPacket *vpkt, *apkt;
    int have_v, have_a;
    int64_t last_vdts;
    const mv_mux_input *in;
} mv_mux_state;

/* The codec of the encoder's packets. */
static enum AVCodecID mv_mux_video_codec(const char *encoder)
{
    const AVCodec *c = avcodec_find_encoder_by_name(encoder ? encoder : "libx264");
    return c ? c->id : AV_CODEC_ID_H264;
}

static maivid_code mv_mux_add_streams(mv_mux_state *m, mv_error *err)
{
    const mv_packet_file_info *vi = &m->video.info, *ai = &m->audio.info;
    m->vst = avformat_new_stream(m->oc, NULL);
    m->ast = avformat_new_stream(m->oc, NULL);
    if (!m->vst || !m->ast)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the MP4 streams");
    AVCodecParameters *v = m->vst->codecpar;
    v->codec_type = AVMEDIA_TYPE_VIDEO;
    v->codec_id = mv_mux_video_codec(m->in->encoder);
    if (v->codec_id == AV_CODEC_ID_HEVC)
        v->codec_tag = MKTAG('h', 'v', 'c', '1'); /* plays in QuickTime and Safari too */
    v->width = m->in->width;
    v->height = m->in->height;
    v->format = AV_PIX_FMT_YUV420P;
    v->sample_aspect_ratio = (AVRational){1, 1};
    v->color_range = AVCOL_RANGE_MPEG;
    v->color_space = AVCOL_SPC_BT709;
    v->color_primaries = AVCOL_PRI_BT709;
    v->color_trc = AVCOL_TRC_BT709;
    m->vst->time_base = (AVRational){vi->time_base_num, vi->time_base_den};
    m->vst->avg_frame_rate = (AVRational){m->in->fps, 1};
    AVCodecParameters *a = m->ast->codecpar;
    a->codec_type = AVMEDIA_TYPE_AUDIO;
    a->codec_id = AV_CODEC_ID_AAC;
    a->profile = FF_PROFILE_AAC_LOW;
    a->sample_rate = ai->sample_rate;
    av_channel_layout_default(&a->ch_layout, ai->channels);
    a->frame_size = ai->frame_size;
    a->initial_padding = ai->initial_padding;
    a->bit_rate = ai->channels == 1 ? 128000 : 192000;
    m->ast->time_base = (AVRational){ai->time_base_num, ai->time_base_den};
    if (m->in->subtitles && m->in->subtitles->line_count > 0) {
        m->sst = avformat_new_stream(m->oc, NULL);
        if (!m->sst || mv_subtitle_track_setup(m->sst->codecpar, m->in->subtitle_font,
                                               m->in->width, m->in->height) != 0)
            return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the subtitle track");
        m->sst->time_base = (AVRational){1, 1000};
        /* FFmpeg's MP4 writer still marks the only text track enabled, so some players show
         * it at once: the reason the track is off unless asked for */
        m->sst->disposition = 0;
        av_dict_set(&m->sst->metadata, "handler_name", "Lyrics", 0);
    }
    const mv_packet_file_info *src[2] = {vi, ai};
    AVCodecParameters *dst[2] = {v, a};
    for (int i = 0; i < 2; i++) {
        if (src[i]->extradata_size <= 0)
            continue;
        dst[i]->extradata = av_mallocz((size_t)src[i]->extradata_size + AV_INPUT_BUFFER_PADDING_SIZE);
        if (!dst[i]->extradata)
            return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the MP4 streams");
        memcpy(dst[i]->extradata, src[i]->extradata, (size_t)src[i]->extradata_size);
        dst[i]->extradata_size = src[i]->extradata_size;
    }
    return MAIVID_OK;
}

/* Fetches the next video packet, moving on to the next segment at a segment's end. */
static maivid_code mv_mux_next_video(mv_mux_state *m, mv_error *err)
{
    for (;;) {
        int got = mv_packet_reader_next(&m->video, m->vpkt, err);
        if (got < 0)
            return err ? err->code : MAIVID_E_CORRUPT;
        if (got == 1) {
            m->have_v = 1;
            return MAIVID_OK;
        }
        m->have_v = 0;
        if (++m->segment >= m->in->video_count)
            return MAIVID_OK;
        mv_packet_file_info first = m->video.info;
        m->video.info.extradata = NULL; /* keep the first segment's setup bytes */
        mv_packet_reader_close(&m->video);
        maivid_code rc = mv_packet_reader_open(&m->video, m->in->video_paths[m->segment], err);
        int same = rc == MAIVID_OK && m->video.info.extradata_size == first.extradata_size &&
                   memcmp(m->video.info.extradata, first.extradata,
                          (size_t)first.extradata_size) == 0;
        free(m->video.info.extradata);
        m->video.info.extradata = first.extradata;
        m->video.info.extradata_size = first.extradata_size;
        if (rc != MAIVID_OK)
            return rc;
        if (!same)
            return mv_fail(err, MAIVID_E_RENDER, "video segment %zu was encoded with other "
                           "settings than the first: delete the job's work folder to render "
                           "from the start", m->segment + 1);
    }
}

static maivid_code mv_mux_write(mv_mux_state *m, AVPacket *pkt, AVStream *st, AVRational tb,
                                mv_error *err)
{
    pkt->stream_index = st->index;
    av_packet_rescale_ts(pkt, tb, st->time_base);
    int ret = av_interleaved_write_frame(m->oc, pkt);
    if (ret < 0)
        return mv_fail(err, MAIVID_E_IO, "writing the MP4 failed (%s): check the free disk "
                       "space", av_err2str(ret));
    return MAIVID_OK;
}

static maivid_code mv_mux_run(mv_mux_state *m, const mv_task *task, double from, double to,
                              mv_error *err)
{
    AVRational vtb = {m->video.info.time_base_num, m->video.info.time_base_den};
    AVRational atb = {m->audio.info.time_base_num, m->audio.info.time_base_den};
    maivid_code rc = mv_mux_next_video(m, err);
    int got = rc == MAIVID_OK ? mv_packet_reader_next(&m->audio, m->apkt, err) : -1;
    if (got < 0)
        return rc != MAIVID_OK ? rc : MAIVID_E_CORRUPT;
    m->have_a = got;
    int64_t written = 0;
    m->last_vdts = INT64_MIN;
    size_t lines = m->sst ? m->in->subtitles->line_count : 0;
    while (m->have_v || m->have_a) {
        if (m->next_line < lines) {
            /* a lyric line is due before the next video or audio packet */
            int64_t ms = llround(m->in->subtitles->lines[m->next_line].start * 1000);
            AVRational stb = {1, 1000};
            int due = (!m->have_v || av_compare_ts(ms, stb, m->vpkt->dts, vtb) <= 0) &&
                      (!m->have_a || av_compare_ts(ms, stb, m->apkt->dts, atb) <= 0);
            if (due) {
                AVPacket *spkt = av_packet_alloc();
                if (!spkt || mv_subtitle_track_packet(m->in->subtitles, m->next_line, spkt) != 0) {
                    av_packet_free(&spkt);
                    return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the subtitle track");
                }
                m->next_line++;
                rc = mv_mux_write(m, spkt, m->sst, stb, err);
                av_packet_free(&spkt);
                if (rc != MAIVID_OK)
                    return rc;
                continue;
            }
        }
        int take_video = m->have_v && (!m->have_a || av_compare_ts(m->vpkt->dts, vtb,
                                                                  m->apkt->dts, atb) <= 0);
        if (take_video) {
            if (m->vpkt->dts <= m->last_vdts)
                return mv_fail(err, MAIVID_E_RENDER, "video segment timestamps do not follow "
                               "on (%lld after %lld): delete the job's work folder to render "
                               "from the start", (long long)m->vpkt->dts,
                               (long long)m->last_vdts);
            m->last_vdts = m->vpkt->dts;
            int64_t frame = m->vpkt->pts;
            rc = mv_mux_write(m, m->vpkt, m->vst, vtb, err);
            if (rc == MAIVID_OK)
                rc = mv_mux_next_video(m, err);
            if (m->in->frames > 0 && (frame & 63) == 0)
                mv_task_progress(task, from + (to - from) * (double)frame / m->in->frames,
                                 "writing the MP4");
        } else {
            rc = mv_mux_write(m, m->apkt, m->ast, atb, err);
            got = rc == MAIVID_OK ? mv_packet_reader_next(&m->audio, m->apkt, err) : 0;
            if (got < 0)
                return err ? err->code : MAIVID_E_CORRUPT;
            m->have_a = got;
        }
        if (rc != MAIVID_OK)
            return rc;
        if ((++written & 255) == 0 && mv_task_cancelled(task))
            return mv_fail(err, MAIVID_E_CANCELLED, "the render was cancelled");
    }
    return MAIVID_OK;
}

maivid_code mv_render_mux(const mv_mux_input *in, const char *mp4_path, const mv_task *task,
                          double from, double to, mv_error *err)
{
    mv_mux_state m;
    memset(&m, 0, sizeof m);
    m.in = in;
    if (in->video_count == 0)
        return mv_fail(err, MAIVID_E_INTERNAL, "no video segments to join: report this");
    maivid_code rc = mv_packet_reader_open(&m.video, in->video_paths[0], err);
    if (rc == MAIVID_OK)
        rc = mv_packet_reader_open(&m.audio, in->audio_path, err);
    m.vpkt = av_packet_alloc();
    m.apkt = av_packet_alloc();
    if (rc == MAIVID_OK && (!m.vpkt || !m.apkt))
        rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory for the MP4 writer");
    if (rc == MAIVID_OK && avformat_alloc_output_context2(&m.oc, NULL, "mp4", mp4_path) < 0)
        rc = mv_fail(err, MAIVID_E_RENDER, "this FFmpeg build cannot write MP4: install a "
                     "standard libavformat");
    if (rc == MAIVID_OK)
        rc = mv_mux_add_streams(&m, err);
    if (rc == MAIVID_OK) {
        int ret = avio_open(&m.oc->pb, mp4_path, AVIO_FLAG_WRITE);
        if (ret < 0)
            rc = mv_fail(err, MAIVID_E_IO, "cannot create %s (%s): check that the output "
                         "folder exists and is writable", mp4_path, av_err2str(ret));
    }
    int header_written = 0;
    if (rc == MAIVID_OK) {
        AVDictionary *opts = NULL;
        av_dict_set(&opts, "movflags", "+faststart", 0);
        int ret = avformat_write_header(m.oc, &opts);
        av_dict_free(&opts);
        if (ret < 0)
            rc = mv_fail(err, MAIVID_E_RENDER, "the MP4 header could not be written (%s): "
                         "report this", av_err2str(ret));
        else
            header_written = 1;
    }
    if (rc == MAIVID_OK)
        rc = mv_mux_run(&m, task, from, to, err);
    if (header_written) {
        int ret = av_write_trailer(m.oc); /* also moves the index to the front */
        if (rc == MAIVID_OK && ret < 0)
            rc = mv_fail(err, MAIVID_E_IO, "finishing the MP4 failed (%s): check the free "
                         "disk space", av_err2str(ret));
    }
    if (m.oc) {
        if (m.oc->pb)
            avio_closep(&m.oc->pb);
        avformat_free_context(m.oc);
    }
    av_packet_free(&m.vpkt);
    av_packet_free(&m.apkt);
    mv_packet_reader_close(&m.video);
    mv_packet_reader_close(&m.audio);
    return rc;
}

maivid_code mv_render_verify(const char *mp4_path, const char *encoder, int fps,
                             int64_t frames, double *video_s, double *audio_s, mv_error *err)
{
    AVFormatContext *ic = NULL;
    if (avformat_open_input(&ic, mp4_path, NULL, NULL) < 0)
        return mv_fail(err, MAIVID_E_RENDER, "the finished MP4 %s cannot be read back: retry "
                       "the render", mp4_path);
    maivid_code rc = MAIVID_OK;
    int v = av_find_best_stream(ic, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    int a = av_find_best_stream(ic, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
    if (v < 0 || a < 0 || ic->streams[v]->codecpar->codec_id != mv_mux_video_codec(encoder) ||
        ic->streams[a]->codecpar->codec_id != AV_CODEC_ID_AAC) {
        rc = mv_fail(err, MAIVID_E_RENDER, "the finished MP4 lacks its video or AAC "
                     "audio track: retry the render");
    } else {
        AVStream *vs = ic->streams[v], *as = ic->streams[a];
        double vd = vs->duration * av_q2d(vs->time_base);
        double ad = as->duration * av_q2d(as->time_base);
        if (video_s)
            *video_s = vd;
        if (audio_s)
            *audio_s = ad;
        if (vs->nb_frames != frames)
            rc = mv_fail(err, MAIVID_E_RENDER, "the finished MP4 has %lld video frames instead "
                         "of %lld: retry the render", (long long)vs->nb_frames, (long long)frames);
        else if (!(fabs(vd - ad) <= 1.0 / fps + 1e-6))
            rc = mv_fail(err, MAIVID_E_RENDER, "the finished MP4's video lasts %.3f s but its "
                         "audio %.3f s (more than one frame apart): retry the render; if it "
                         "happens again, report it", vd, ad);
    }
    avformat_close_input(&ic);
    return rc;
}
