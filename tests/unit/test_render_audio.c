/*
 * test_render_audio.c - the render's audio: the length measured before encoding equals the
 * encoded one exactly (rates AAC takes and one it does not, mono and stereo), the encode on
 * its own thread gives the same file as on the caller's, an abandoned encode stops at once
 * and leaves no complete file, a render that fails while the audio is being encoded beside
 * it joins that thread, and an AAC song (the example M4A) goes into the video as it is: its
 * packets copied, the video's audio decoding to exactly the song's samples; also when the
 * song was joined from several files with a stream copy (its timeline shorter than its
 * samples).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include "mv_test_util.h"
#include "render/mv_packet_file.h"
#include "render/mv_render.h"
#include "render/mv_render_audio.h"
#include "render_test_util.h"

static char *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)n + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return data;
}

static void test_measured_length_is_the_encoded_one(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("audio-measure");
    assert_non_null(dir);
    /* 44.1 kHz stereo, 22.05 kHz mono, and 37 kHz (not an AAC rate: resampled to 48 kHz) */
    const mv_test_song songs[] = {
        {2.37, 120, 0, 0, 44100, 2}, {1.5, 0, 0, 0, 22050, 1}, {1.01, 90, 0, 0, 37000, 2}};
    for (size_t i = 0; i < sizeof songs / sizeof songs[0]; i++) {
        char song[1024], out[1024];
        snprintf(song, sizeof song, "%s/song%zu.wav", dir, i);
        snprintf(out, sizeof out, "%s/audio%zu.pkt", dir, i);
        assert_int_equal(mv_test_write_song_wav(song, &songs[i]), 0);
        double measured = -1, encoded = -2;
        mv_error err = {0};
        assert_int_equal(mv_render_audio_measure(song, NULL, &measured, &err), MAIVID_OK);
        assert_int_equal(mv_render_audio_encode(song, out, NULL, NULL, &encoded, &err),
                         MAIVID_OK);
        printf("song %zu: measured %.6f s, encoded %.6f s\n", i, measured, encoded);
        assert_true(measured == encoded);
        assert_true(measured > songs[i].seconds - 0.05 && measured < songs[i].seconds + 0.05);
    }
    mv_error err = {0};
    double seconds = 0;
    char picture[1024];
    snprintf(picture, sizeof picture, "%s/not-a-song.txt", dir);
    FILE *f = fopen(picture, "w");
    assert_non_null(f);
    fputs("no audio here\n", f);
    fclose(f);
    assert_int_equal(mv_render_audio_measure(picture, NULL, &seconds, &err), MAIVID_E_MEDIA);
    assert_non_null(strstr(err.message, "not-a-song.txt"));
    mv_remove_tree(dir, NULL);
    free(dir);
}

static void test_thread_encode_matches_and_abandon_stops(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("audio-thread");
    assert_non_null(dir);
    char song[1024], direct[1024], threaded[1024], long_song[1024], abandoned[1024];
    snprintf(song, sizeof song, "%s/song.wav", dir);
    snprintf(direct, sizeof direct, "%s/direct.pkt", dir);
    snprintf(threaded, sizeof threaded, "%s/threaded.pkt", dir);
    snprintf(long_song, sizeof long_song, "%s/long.wav", dir);
    snprintf(abandoned, sizeof abandoned, "%s/abandoned.pkt", dir);
    mv_test_song s = {3.0, 120, 1, 2, 44100, 2};
    assert_int_equal(mv_test_write_song_wav(song, &s), 0);
    int threads_before = mv_test_thread_count_settled(1, 2.0);
    mv_error err = {0};
    double a = 0, b = 0;
    assert_int_equal(mv_render_audio_encode(song, direct, NULL, NULL, &a, &err), MAIVID_OK);
    mv_audio_thread t;
    assert_int_equal(mv_audio_thread_start(&t, song, threaded, NULL, &err), MAIVID_OK);
    assert_int_equal(mv_audio_thread_join(&t, 0, &b, &err), MAIVID_OK);
    assert_true(a == b);
    size_t na = 0, nb = 0;
    char *da = read_all(direct, &na), *db = read_all(threaded, &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(da, db, na);
    free(da);
    free(db);
    /* a two-minute song, abandoned at once: stops at its next check (every 256 packets) */
    mv_test_song l = {120.0, 0, 0, 0, 44100, 2};
    assert_int_equal(mv_test_write_song_wav(long_song, &l), 0);
    assert_int_equal(mv_audio_thread_start(&t, long_song, abandoned, NULL, &err), MAIVID_OK);
    assert_int_equal(mv_audio_thread_join(&t, 1, NULL, &err), MAIVID_E_CANCELLED);
    mv_packet_file_info info;
    assert_false(mv_packet_file_complete(abandoned, &info));
    assert_int_equal(mv_test_thread_count_settled(threads_before, 2.0), threads_before);
    assert_int_equal(mv_audio_thread_join(&t, 0, &b, &err), MAIVID_OK); /* not running */
    mv_remove_tree(dir, NULL);
    free(dir);
}

static void test_failed_render_joins_the_audio_thread(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("audio-render-fail");
    assert_non_null(dir);
    char song[1024], out[1024], missing[1024];
    snprintf(song, sizeof song, "%s/song.wav", dir);
    snprintf(out, sizeof out, "%s/video.mp4", dir);
    snprintf(missing, sizeof missing, "%s/missing.png", dir);
    mv_test_song s = {20.0, 120, 0, 0, 44100, 2};
    assert_int_equal(mv_test_write_song_wav(song, &s), 0);
    mv_render_scene scene = {missing, 0, 20.0, "zoom_in", "fade", 1.0, 1, NULL};
    mv_render_plan plan = {&scene, 1, song, 160, 90, 12, out, NULL,
                           NULL, NULL, 0, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL};
    int threads_before = mv_test_thread_count_settled(1, 2.0);
    mv_error err = {0};
    assert_int_equal(mv_render_video(&plan, NULL, &err), MAIVID_E_MEDIA);
    assert_non_null(strstr(err.message, "missing.png"));
    assert_int_equal(mv_test_thread_count_settled(threads_before, 2.0), threads_before);
    assert_false(mv_file_exists(out));
    mv_remove_tree(dir, NULL);
    free(dir);
}

/* Every decoded sample of a file's audio (interleaved as the decoder gives them, plane by
 * plane), and how many bytes. */
static uint8_t *decode_audio(const char *path, size_t *bytes)
{
    AVFormatContext *fmt = NULL;
    assert_int_equal(avformat_open_input(&fmt, path, NULL, NULL), 0);
    assert_true(avformat_find_stream_info(fmt, NULL) >= 0);
    int stream = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
    assert_true(stream >= 0);
    const AVCodec *codec = avcodec_find_decoder(fmt->streams[stream]->codecpar->codec_id);
    AVCodecContext *dec = avcodec_alloc_context3(codec);
    assert_int_equal(avcodec_parameters_to_context(dec, fmt->streams[stream]->codecpar), 0);
    assert_int_equal(avcodec_open2(dec, codec, NULL), 0);
    AVPacket *pkt = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    uint8_t *out = NULL;
    size_t used = 0;
    for (int flushing = 0; flushing < 2;) {
        int ret = flushing ? avcodec_send_packet(dec, NULL) : av_read_frame(fmt, pkt);
        if (!flushing && ret < 0) {
            flushing = 1;
            continue;
        }
        if (!flushing && pkt->stream_index != stream) {
            av_packet_unref(pkt);
            continue;
        }
        if (!flushing) {
            avcodec_send_packet(dec, pkt);
            av_packet_unref(pkt);
        }
        while (avcodec_receive_frame(dec, frame) == 0) {
            int per_plane = av_get_bytes_per_sample(frame->format) * frame->nb_samples;
            int planes = av_sample_fmt_is_planar(frame->format) ? frame->ch_layout.nb_channels
                                                                : 1;
            if (!av_sample_fmt_is_planar(frame->format))
                per_plane *= frame->ch_layout.nb_channels;
            out = realloc(out, used + (size_t)per_plane * (size_t)planes);
            assert_non_null(out);
            for (int p = 0; p < planes; p++, used += (size_t)per_plane)
                memcpy(out + used, frame->extended_data[p], (size_t)per_plane);
        }
        if (flushing)
            flushing = 2;
    }
    av_frame_free(&frame);
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
    *bytes = used;
    return out;
}

/* Renders `seconds` of a grey picture over `song` into dir/video.mp4 at `fps` and checks
 * that the video's audio decodes to exactly the song's samples from the same start (a
 * re-encode is never bit-exact, so this also shows the packets were copied). */
static void render_keeps_the_song_samples(const char *song, const char *dir, double seconds,
                                          int fps)
{
    char picture[1024], out[1024];
    snprintf(picture, sizeof picture, "%s/grey.ppm", dir);
    snprintf(out, sizeof out, "%s/video.mp4", dir);
    assert_int_equal(rt_write_solid_ppm(picture, 32, 18, 128, 128, 128), 0);
    mv_render_scene scene = {picture, 0, seconds, "ken_burns", "cut", 0, 1, NULL};
    mv_render_plan plan = {&scene, 1, song, 64, 36, fps, out, NULL,
                           NULL, NULL, 0, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL};
    mv_error err = {0};
    if (mv_render_video(&plan, NULL, &err) != MAIVID_OK)
        fail_msg("render: %s", err.message);
    size_t a = 0, b = 0;
    uint8_t *from_song = decode_audio(song, &a), *from_video = decode_audio(out, &b);
    print_message("song %zu bytes of samples, video %zu\n", a, b);
    assert_true(a > 0);
    assert_int_equal(a, b);
    assert_memory_equal(from_song, from_video, a);
    free(from_song);
    free(from_video);
}

static void test_aac_song_is_copied_exactly(void **state)
{
    (void)state;
    const char *song = MAIVID_TEST_SOURCE_DIR "/examples/song/neon-harbor.m4a";
    char *dir = mv_test_tmpdir("audio-copy");
    assert_non_null(dir);
    char packets[1024];
    snprintf(packets, sizeof packets, "%s/audio.pkt", dir);
    double measured = 0, copied = 0;
    mv_error err = {0};
    assert_int_equal(mv_render_audio_measure(song, NULL, &measured, &err), MAIVID_OK);
    assert_int_equal(mv_render_audio_encode(song, packets, NULL, NULL, &copied, &err),
                     MAIVID_OK);
    assert_true(measured == copied);
    mv_packet_file_info info;
    assert_true(mv_packet_file_complete(packets, &info));
    free(info.extradata);
    assert_int_equal(info.initial_padding, 1024); /* the song's priming, from its first packet */
    assert_int_equal(info.sample_rate, 44100);
    render_keeps_the_song_samples(song, dir, copied, 6);
    mv_remove_tree(dir, NULL);
    free(dir);
}

/* The example song `copies` times over in one M4A, its packets copied as `ffmpeg -f concat
 * -c copy` writes them: each copy's first packet (timed before the previous copy's end by
 * its priming) moved to 1 sample after the last packet, which squeezes the packets at each
 * join to 1 and 255 samples. The file's timeline ends ~41 ms per join before its samples. */
static void write_joined_song(const char *song, const char *path, int copies)
{
    AVFormatContext *out = NULL;
    assert_true(avformat_alloc_output_context2(&out, NULL, "ipod", path) >= 0);
    AVStream *os = avformat_new_stream(out, NULL);
    assert_non_null(os);
    int64_t offset = 0, last_dts = INT64_MIN;
    for (int copy = 0; copy < copies; copy++) {
        AVFormatContext *in = NULL;
        assert_int_equal(avformat_open_input(&in, song, NULL, NULL), 0);
        assert_true(avformat_find_stream_info(in, NULL) >= 0);
        int stream = av_find_best_stream(in, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
        AVStream *is = in->streams[stream];
        if (copy == 0) {
            assert_true(avcodec_parameters_copy(os->codecpar, is->codecpar) >= 0);
            os->codecpar->codec_tag = 0;
            os->time_base = is->time_base;
            assert_true(avio_open(&out->pb, path, AVIO_FLAG_WRITE) >= 0);
            assert_true(avformat_write_header(out, NULL) >= 0);
        }
        AVPacket *pkt = av_packet_alloc();
        while (av_read_frame(in, pkt) >= 0) {
            if (pkt->stream_index == stream) {
                int64_t dts = av_rescale_q(pkt->dts, is->time_base, os->time_base) + offset;
                if (dts <= last_dts)
                    dts = last_dts + 1;
                pkt->pts = pkt->dts = last_dts = dts;
                pkt->stream_index = 0;
                pkt->duration = 0;
                assert_true(av_write_frame(out, pkt) >= 0);
            }
            av_packet_unref(pkt);
        }
        offset += av_rescale_q(is->duration, is->time_base, os->time_base);
        av_packet_free(&pkt);
        avformat_close_input(&in);
    }
    assert_true(av_write_trailer(out) >= 0);
    avio_closep(&out->pb);
    avformat_free_context(out);
}

/* Such a joined song goes into the video too: its copied packets are timed by their samples,
 * so the video's audio lasts what was measured (it ended ~0.12 s early and the render failed
 * its own check) and decodes to the song's samples. */
static void test_joined_aac_song_is_copied_by_its_samples(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("audio-joined");
    assert_non_null(dir);
    char song[1024];
    snprintf(song, sizeof song, "%s/joined.m4a", dir);
    write_joined_song(MAIVID_TEST_SOURCE_DIR "/examples/song/neon-harbor.m4a", song, 3);
    double measured = 0;
    mv_error err = {0};
    assert_int_equal(mv_render_audio_measure(song, NULL, &measured, &err), MAIVID_OK);
    assert_true(measured > 192.0 && measured < 192.2);
    render_keeps_the_song_samples(song, dir, measured, 30);
    mv_remove_tree(dir, NULL);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_measured_length_is_the_encoded_one),
        cmocka_unit_test(test_thread_encode_matches_and_abandon_stops),
        cmocka_unit_test(test_failed_render_joins_the_audio_thread),
        cmocka_unit_test(test_aac_song_is_copied_exactly),
        cmocka_unit_test(test_joined_aac_song_is_copied_by_its_samples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
