/*
 * mv_render_video.c - the stage video_creation: the audio's exact length (which fixes the
 * video's), then the song's AAC (copied, or encoded) on a thread of its own while the video
 * is made in independently decodable H.264 segments (each a checkpoint, skipped on resume when
 * already complete; see mv_render_segments.c, frames drawn on a second thread),
 * the thumbnail, then one remux of all packets into the final MP4
 * (+faststart), verified, and renamed into place. Cancel or failure leaves no output behind.
 */
#include "render/mv_render.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog/mv_styles.h"
#include "render/mv_frame_renderer.h"
#include "render/mv_packet_file.h"
#include "render/mv_render_audio.h"
#include "render/mv_render_checkpoint.h"
#include "render/mv_render_encoder.h"
#include "render/mv_render_mux.h"
#include "render/mv_render_segments.h"
#include "render/mv_render_thumbnail.h"
#include "render/mv_scene_image.h"

/* progress shares of the phases */
#define MV_PROGRESS_AUDIO 0.03
#define MV_PROGRESS_VIDEO_END 0.95

typedef struct mv_render_run {
    const mv_render_plan *plan; /* the caller's, or own_plan when scenes arrive during it */
    mv_render_plan own_plan;    /* the caller's with its scene_ready hook wrapped */
    const mv_render_plan *caller_plan;
    const mv_task *task;
    char *work_dir;
    int own_work_dir;
    mv_timeline timeline;
    mv_frame_renderer renderer;
    mv_yuv frame; /* the thumbnail's picture, allocated after the video is encoded */
    int64_t *segment_starts, segment_count;
    char *audio_path;
    mv_audio_thread audio; /* the AAC copy or encode beside the video, when not already done */
    char **segment_paths;
    char *temp_output;
    int thumbnail_written;
    const char *encoder; /* the video encoder used: the plan's, or libx264 as the fallback */
} mv_render_run;

static void mv_report_frames(void *user, int64_t frames_done)
{
    mv_render_run *run = user;
    char text[96];
    snprintf(text, sizeof text, "rendering frame %lld of %lld", (long long)frames_done,
             (long long)run->timeline.frames);
    double f = (double)frames_done / (double)run->timeline.frames;
    mv_task_progress(run->task, MV_PROGRESS_AUDIO + (MV_PROGRESS_VIDEO_END - MV_PROGRESS_AUDIO) * f,
                     text);
}

/* A picture made beside the render is on disk: the caller's hook said so; the checkpoint
 * key records it, so a resume reuses the segments made so far. */
static maivid_code mv_render_scene_arrived(void *user, size_t scene, mv_error *err)
{
    mv_render_run *run = user;
    const mv_render_plan *caller = run->caller_plan;
    maivid_code rc = caller->scene_ready(caller->scene_ready_user, scene, err);
    if (rc == MAIVID_OK && run->work_dir)
        rc = mv_checkpoint_scene_arrived(run->plan, run->encoder, run->work_dir, err);
    return rc;
}

static void mv_render_wrap_scene_ready(mv_render_run *run, const mv_render_plan *plan)
{
    run->plan = run->caller_plan = plan;
    if (!plan->scene_ready)
        return;
    run->own_plan = *plan;
    run->own_plan.scene_ready = mv_render_scene_arrived;
    run->own_plan.scene_ready_user = run;
    run->plan = &run->own_plan;
}

static maivid_code mv_render_all_segments(mv_render_run *run, mv_error *err)
{
    mv_segment_run s = {run->plan, run->task, run->encoder, &run->renderer,
                        (char *const *)run->segment_paths,
                        run->segment_starts, run->segment_count, run->timeline.frames,
                        mv_report_frames, run, 0};
    return mv_render_segments(&s, err);
}

/* The plan's encoder when it opens here at the plan's size, else libx264 with the reason
 * in the stats (missing hardware never fails the render). */
static void mv_render_choose_encoder(mv_render_run *run)
{
    const mv_render_plan *plan = run->plan;
    const char *asked = plan->encoder && *plan->encoder ? plan->encoder : MV_RENDER_DEFAULT_ENCODER;
    run->encoder = MV_RENDER_DEFAULT_ENCODER;
    if (plan->stats)
        plan->stats->encoder_warning[0] = 0;
    if (strcmp(asked, MV_RENDER_DEFAULT_ENCODER) != 0) {
        mv_video_encoder e;
        mv_error why;
        mv_error_clear(&why);
        if (mv_video_encoder_open(&e, asked, plan->width, plan->height, plan->fps,
                                  plan->fps, &why) == MAIVID_OK) {
            run->encoder = e.id;
            mv_video_encoder_close_unused(&e);
        } else if (plan->stats) {
            snprintf(plan->stats->encoder_warning, sizeof plan->stats->encoder_warning,
                     "encoder %s is not usable here (%.300s); the video was encoded with %s "
                     "instead", asked, why.message, MV_RENDER_DEFAULT_ENCODER);
        }
    }
    if (plan->stats)
        plan->stats->encoder = run->encoder;
}

static maivid_code mv_render_prepare_paths(mv_render_run *run, mv_error *err)
{
    const mv_render_plan *plan = run->plan;
    if (plan->work_dir && *plan->work_dir) {
        run->work_dir = mv_strdup(plan->work_dir);
    } else {
        char *templ = mv_strdup_printf("%s.render-XXXXXX", plan->output_path);
        if (templ && !mkdtemp(templ)) {
            int e = errno;
            free(templ);
            return mv_fail(err, MAIVID_E_IO, "cannot create a work folder beside %s (%s): check "
                           "that the output folder exists and is writable", plan->output_path,
                           strerror(e));
        }
        run->work_dir = templ;
        run->own_work_dir = 1;
    }
    run->temp_output = mv_strdup_printf("%s.partial", plan->output_path);
    run->audio_path = run->work_dir ? mv_checkpoint_audio_path(run->work_dir) : NULL;
    if (!run->work_dir || !run->temp_output || !run->audio_path)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the render paths");
    return mv_checkpoint_prepare(plan, run->encoder, run->work_dir, err);
}

/* The audio's length; starts its encode beside the video unless a complete one is there. */
static maivid_code mv_render_audio_step(mv_render_run *run, double *seconds, mv_error *err)
{
    mv_packet_file_info info;
    if (mv_packet_file_complete(run->audio_path, &info)) {
        free(info.extradata);
        if (info.sample_rate > 0 && info.frame_count > 0) {
            *seconds = (double)info.frame_count / info.sample_rate;
            return MAIVID_OK;
        }
    }
    mv_task_progress(run->task, 0.0, "reading the audio");
    maivid_code rc = mv_render_audio_measure(run->plan->audio_path, run->task, seconds, err);
    if (rc == MAIVID_OK)
        rc = mv_audio_thread_start(&run->audio, run->plan->audio_path, run->audio_path,
                                   run->task, err);
    return rc;
}

/* Waits for the audio (stopping it when the video failed) and checks its length. */
static maivid_code mv_render_audio_finish(mv_render_run *run, maivid_code rc, double seconds,
                                          mv_error *err)
{
    if (!run->audio.running)
        return rc;
    double encoded = 0;
    mv_error audio_err = {0};
    maivid_code audio_rc = mv_audio_thread_join(&run->audio, rc != MAIVID_OK, &encoded,
                                                &audio_err);
    if (rc != MAIVID_OK)
        return rc;
    if (audio_rc != MAIVID_OK) {
        if (err)
            *err = audio_err;
        return audio_rc;
    }
    if (encoded != seconds)
        return mv_fail(err, MAIVID_E_INTERNAL, "the encoded audio lasts %.6f s where %.6f s "
                       "were measured (a bug in the render engine): please report it",
                       encoded, seconds);
    return MAIVID_OK;
}

static maivid_code mv_render_segments_setup(mv_render_run *run, mv_error *err)
{
    maivid_code rc = mv_segment_layout(&run->timeline, &run->segment_starts,
                                       &run->segment_count, err);
    if (rc != MAIVID_OK)
        return rc;
    run->segment_paths = calloc((size_t)run->segment_count, sizeof(char *));
    if (!run->segment_paths)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the render segments");
    for (int64_t k = 0; k < run->segment_count; k++)
        if (!(run->segment_paths[k] = mv_checkpoint_segment_path(run->work_dir, k)))
            return mv_fail(err, MAIVID_E_NOMEM, "out of memory for the render segments");
    return mv_frame_renderer_init(&run->renderer, run->plan, &run->timeline, err);
}

static maivid_code mv_render_thumbnail_step(mv_render_run *run, mv_error *err)
{
    if (!run->plan->thumbnail_path)
        return MAIVID_OK;
    /* allocated only now, once the video encoder's memory is gone */
    if (mv_yuv_alloc(&run->frame, run->plan->width, run->plan->height) != 0)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for a %dx%d thumbnail",
                       run->plan->width, run->plan->height);
    maivid_code rc = mv_frame_renderer_draw(&run->renderer,
                                            mv_timeline_thumbnail_time(&run->timeline),
                                            &run->frame, err);
    if (rc == MAIVID_OK)
        rc = mv_render_write_thumbnail(&run->frame, run->plan->thumbnail_path, err);
    run->thumbnail_written = rc == MAIVID_OK;
    return rc;
}

static maivid_code mv_render_join_step(mv_render_run *run, mv_error *err)
{
    const mv_render_plan *plan = run->plan;
    mv_mux_input in = {run->audio_path, (const char *const *)run->segment_paths,
                       (size_t)run->segment_count, plan->width, plan->height, plan->fps,
                       run->timeline.frames, run->encoder, NULL, NULL};
    if (plan->subtitle_track && plan->lyrics) {
        in.subtitles = plan->lyrics;
        in.subtitle_font = plan->caption_look ? plan->caption_look->font : NULL;
    }
    maivid_code rc = mv_render_mux(&in, run->temp_output, run->task, MV_PROGRESS_VIDEO_END,
                                   0.99, err);
    if (rc == MAIVID_OK)
        rc = mv_render_verify(run->temp_output, run->encoder, plan->fps, run->timeline.frames,
                              plan->stats ? &plan->stats->video_seconds : NULL,
                              plan->stats ? &plan->stats->audio_seconds : NULL, err);
    if (rc == MAIVID_OK && rename(run->temp_output, plan->output_path) != 0)
        rc = mv_fail(err, MAIVID_E_IO, "cannot move the finished video to %s (%s): check that "
                     "the folder is writable", plan->output_path, strerror(errno));
    return rc;
}

static maivid_code mv_render_check_plan(const mv_render_plan *plan, mv_error *err)
{
    if (!plan)
        return mv_fail(err, MAIVID_E_INVALID, "no render plan given");
    if (!plan->output_path || !*plan->output_path)
        return mv_fail(err, MAIVID_E_INVALID, "the render plan has no output path: set where "
                       "the MP4 goes");
    if (!plan->audio_path || !*plan->audio_path)
        return mv_fail(err, MAIVID_E_INVALID, "the render plan has no song: pass the audio "
                       "file");
    if (plan->width < 16 || plan->height < 16 || plan->width % 2 || plan->height % 2 ||
        plan->width > 8192 || plan->height > 8192)
        return mv_fail(err, MAIVID_E_INVALID, "video size %dx%d is not usable: width and "
                       "height must be even, 16 to 8192 (see mv_frame_size)", plan->width,
                       plan->height);
    return MAIVID_OK;
}

static void mv_render_cleanup(mv_render_run *run, maivid_code rc)
{
    if (run->temp_output)
        unlink(run->temp_output);
    if (rc != MAIVID_OK && run->thumbnail_written)
        unlink(run->plan->thumbnail_path);
    if (run->work_dir && (rc == MAIVID_OK || run->own_work_dir)) {
        mv_checkpoint_clear(run->work_dir);
        if (run->own_work_dir)
            rmdir(run->work_dir);
    }
    for (int64_t k = 0; run->segment_paths && k < run->segment_count; k++)
        free(run->segment_paths[k]);
    free(run->segment_paths);
    free(run->segment_starts);
    mv_frame_renderer_free(&run->renderer);
    mv_yuv_free(&run->frame);
    mv_timeline_free(&run->timeline);
    free(run->work_dir);
    free(run->audio_path);
    free(run->temp_output);
}

maivid_code mv_render_video(const mv_render_plan *plan, const mv_task *task, mv_error *err)
{
    maivid_code rc = mv_render_check_plan(plan, err);
    if (rc != MAIVID_OK)
        return rc;
    mv_render_quiet_ffmpeg_logs();
    mv_render_run run;
    memset(&run, 0, sizeof run);
    mv_render_wrap_scene_ready(&run, plan);
    run.task = task;
    double seconds = 0;
    mv_render_choose_encoder(&run);
    rc = mv_render_prepare_paths(&run, err);
    if (rc == MAIVID_OK)
        rc = mv_render_audio_step(&run, &seconds, err);
    if (rc == MAIVID_OK)
        rc = mv_timeline_build(plan, seconds, &run.timeline, err);
    if (rc == MAIVID_OK)
        rc = mv_render_segments_setup(&run, err);
    if (rc == MAIVID_OK)
        rc = mv_render_all_segments(&run, err);
    rc = mv_render_audio_finish(&run, rc, seconds, err);
    if (rc == MAIVID_OK && plan->stats)
        mv_frame_renderer_stats(&run.renderer, plan->stats);
    if (rc == MAIVID_OK)
        rc = mv_render_thumbnail_step(&run, err);
    if (rc == MAIVID_OK && mv_task_cancelled(task))
        rc = mv_fail(err, MAIVID_E_CANCELLED, "the render was cancelled");
    if (rc == MAIVID_OK)
        rc = mv_render_join_step(&run, err);
    if (rc == MAIVID_OK)
        mv_task_progress(task, 1.0, "video ready");
    mv_render_cleanup(&run, rc);
    return rc;
}
