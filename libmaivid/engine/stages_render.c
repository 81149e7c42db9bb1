/*
 * stages_render.c - the built-in video_creation stage: the storyboard's timing, motions and
 * transitions plus the scene images and the song become one MP4 and its thumbnail.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/mv_pipeline.h"
#include "render/mv_render.h"

static uint32_t mv_hash32(const char *s, uint32_t h)
{
    for (; s && *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

maivid_code mv_builtin_render(maivid_stage_context *ctx)
{
    mv_job *job = ctx->job;
    if (!ctx->audio_path)
        return maivid_ctx_fail(ctx, MAIVID_E_MEDIA, "no source audio in the job directory");
    char *storyboard = mv_job_path(job, "storyboard.json");
    char *work_dir = mv_job_path(job, "render");
    mv_plan plan;
    memset(&plan, 0, sizeof plan);
    maivid_code rc = storyboard && work_dir ? mv_plan_load(storyboard, &plan, &ctx->err)
                                            : maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "out of memory");
    mv_render_scene *scenes = NULL;
    char **paths = NULL;
    if (rc == MAIVID_OK) {
        scenes = calloc(plan.scene_count + 1, sizeof *scenes);
        paths = calloc(plan.scene_count + 1, sizeof *paths);
        if (!scenes || !paths)
            rc = maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "out of memory");
    }
    for (size_t i = 0; rc == MAIVID_OK && i < plan.scene_count; i++) {
        paths[i] = mv_strdup_printf("%s/scenes/scene_%03zu.png", job->dir, i + 1);
        if (!paths[i] || !mv_file_exists(paths[i])) {
            rc = maivid_ctx_fail(ctx, MAIVID_E_MEDIA, "scene %zu has no image (%s)", i + 1,
                                 paths[i] ? paths[i] : "?");
            break;
        }
        const mv_plan_scene *p = &plan.scenes[i];
        scenes[i].image_path = paths[i];
        scenes[i].start = p->start;
        scenes[i].end = p->end;
        scenes[i].motion = p->motion && *p->motion ? p->motion : "ken_burns";
        scenes[i].transition = p->transition && *p->transition ? p->transition : "fade";
        scenes[i].transition_duration = p->transition_duration;
        scenes[i].motion_seed = mv_hash32(job->id, (uint32_t)(2166136261u + i * 7919u)) ^
                                (uint32_t)p->seed;
    }
    mv_render_plan rp;
    memset(&rp, 0, sizeof rp);
    if (rc == MAIVID_OK)
        rc = mv_frame_size(job->settings.aspect_ratio, job->settings.resolution, &rp.width,
                           &rp.height, &ctx->err);
    if (rc == MAIVID_OK)
        rc = mv_mkdir_p(work_dir, &ctx->err);
    if (rc == MAIVID_OK) {
        rp.scenes = scenes;
        rp.scene_count = plan.scene_count;
        rp.audio_path = ctx->audio_path;
        rp.fps = job->settings.fps;
        rp.output_path = ctx->video_path;
        rp.thumbnail_path = ctx->thumbnail_path;
        rp.work_dir = work_dir;
        rc = mv_render_video(&rp, &ctx->task, &ctx->err);
    }
    if (rc == MAIVID_OK)
        mv_remove_tree(work_dir, NULL); /* checkpoints are no longer needed */
    for (size_t i = 0; paths && i < plan.scene_count; i++)
        free(paths[i]);
    free(paths);
    free(scenes);
    mv_plan_free(&plan);
    free(storyboard);
    free(work_dir);
    return rc;
}
