/*
 * stages_images.c - the scene_generation stage: one image per storyboard scene, made by the
 * image stage (images/) with the model's backend, or with the plug-in backend when the
 * program plugged an image callback (image_plugin.c). Scenes whose image is already on disk
 * are not made again.
 * A failed scene fails the job unless the caller allowed some failures, in which case its
 * neighbour's image stands in and a warning says so. With animate set, the stills then
 * become clips (stages_animate.c). Run beside the render (images_beside.c), it tells the
 * render each scene whose picture is on disk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/mv_images_beside.h"
#include "engine/mv_pipeline.h"
#include "images/mv_image_backend.h"
#include "render/mv_render.h"

void mv_job_set_scenes_from_plan(maivid_engine *e, mv_job *job, const mv_plan *plan);

void mv_scene_image_size(const mv_job *job, int *w, int *h)
{
    int fw = 1920, fh = 1080;
    mv_frame_size(job->settings.aspect_ratio, job->settings.resolution, &fw, &fh, NULL);
    *w = ((int)(fw * 1.2) + 1) & ~1;
    *h = ((int)(fh * 1.2) + 1) & ~1;
}

static char *mv_scene_image_path(const mv_job *job, size_t index)
{
    return mv_strdup_printf("%s/scenes/scene_%03zu.png", job->dir, index + 1);
}

typedef struct mv_batch_state {
    maivid_stage_context *ctx;
    char **paths;
    maivid_code *results;
    char **messages;
} mv_batch_state;

static void mv_batch_done(void *user_data, size_t index, maivid_code code, const char *message)
{
    mv_batch_state *b = user_data;
    b->results[index] = code;
    if (code != MAIVID_OK && message)
        b->messages[index] = mv_strdup(message);
    mv_progress_scene(b->ctx->engine, b->ctx->job, index,
                      code == MAIVID_OK ? MV_SCENE_DONE : MV_SCENE_FAILED,
                      code == MAIVID_OK ? b->paths[index] : NULL);
    if (code == MAIVID_OK)
        mv_images_beside_mark(b->ctx->beside, index); /* a render waiting for it goes on */
}

/* The batch reports indexes into its job array; this maps them back to scenes. */
typedef struct mv_batch_map {
    mv_batch_state *state;
    const size_t *scene_of;
} mv_batch_map;

static void mv_batch_done_mapped(void *user_data, size_t k, maivid_code code, const char *message)
{
    mv_batch_map *m = user_data;
    mv_batch_done(m->state, m->scene_of[k], code, message);
}

static void mv_fill_request(maivid_stage_context *ctx, const mv_plan *plan, size_t i,
                            const char *path, maivid_scene_request *r)
{
    memset(r, 0, sizeof *r);
    r->struct_size = sizeof *r;
    r->index = (int)i;
    r->scene_count = (int)plan->scene_count;
    r->start = plan->scenes[i].start;
    r->end = plan->scenes[i].end;
    r->lyrics = plan->scenes[i].lyrics ? plan->scenes[i].lyrics : "";
    r->prompt = plan->scenes[i].prompt ? plan->scenes[i].prompt : "";
    r->negative_prompt = plan->scenes[i].negative_prompt ? plan->scenes[i].negative_prompt : "";
    r->seed = plan->scenes[i].seed;
    mv_scene_image_size(ctx->job, &r->width, &r->height);
    r->style = ctx->job->settings.style;
    r->model = ctx->job->settings.model;
    r->output_path = path;
}

/* What the built-in backends need to make a scene's image. */
static void mv_image_job_from_request(const maivid_stage_context *ctx,
                                      const maivid_scene_request *scene, mv_image_job *ij)
{
    memset(ij, 0, sizeof *ij);
    ij->model = scene->model ? scene->model : ctx->job->settings.model;
    ij->workflow_path = ctx->job->settings.workflow_path;
    ij->style_id = scene->style ? scene->style : ctx->job->settings.style;
    ij->prompt = scene->prompt;
    ij->negative_prompt = scene->negative_prompt;
    ij->seed = scene->seed;
    ij->width = scene->width;
    ij->height = scene->height;
    ij->output_path = scene->output_path;
    ij->request = scene;
    ij->beside_render = ctx->beside != NULL;
}

maivid_code mv_builtin_image(maivid_stage_context *ctx, const maivid_scene_request *scene)
{
    mv_image_job ij;
    mv_image_job_from_request(ctx, scene, &ij);
    return mv_images_make(ctx->engine->images, &ij, &ctx->task, &ctx->err);
}

/* Applies the failure tolerance: neighbours stand in for failed scenes when allowed. */
static maivid_code mv_settle_failures(maivid_stage_context *ctx, const mv_plan *plan,
                                      mv_batch_state *b)
{
    size_t n = plan->scene_count, failed = 0, first_failed = n;
    for (size_t i = 0; i < n; i++)
        if (b->results[i] != MAIVID_OK && b->results[i] != MAIVID_E_CANCELLED) {
            failed++;
            if (first_failed == n)
                first_failed = i;
        }
    if (failed == 0)
        return MAIVID_OK;
    if (failed > (size_t)ctx->job->settings.image_failure_tolerance || failed == n) {
        return maivid_ctx_fail(ctx, b->results[first_failed],
                               "%zu of %zu scene images failed; scene %zu: %s%s", failed, n,
                               first_failed + 1,
                               b->messages[first_failed] ? b->messages[first_failed]
                                                         : maivid_strerror(b->results[first_failed]),
                               ctx->job->settings.image_failure_tolerance == 0
                                   ? " (set image_failure_tolerance to let neighbours stand in)"
                                   : "");
    }
    for (size_t i = 0; i < n; i++) {
        if (b->results[i] == MAIVID_OK)
            continue;
        size_t donor = n;
        for (size_t d = 1; d < n && donor == n; d++) {
            if (i >= d && b->results[i - d] == MAIVID_OK)
                donor = i - d;
            else if (i + d < n && b->results[i + d] == MAIVID_OK)
                donor = i + d;
        }
        char *data = NULL;
        size_t len = 0;
        mv_error err;
        if (donor == n || mv_read_file(b->paths[donor], &data, &len, &err) != MAIVID_OK ||
            mv_write_file_atomic(b->paths[i], data, len, &err) != MAIVID_OK) {
            free(data);
            return maivid_ctx_fail(ctx, MAIVID_E_BACKEND, "scene %zu failed and no neighbour "
                                   "image could stand in", i + 1);
        }
        free(data);
        char warning[512];
        snprintf(warning, sizeof warning, "scene %zu image failed (%s); scene %zu's image stands in",
                 i + 1, b->messages[i] ? b->messages[i] : maivid_strerror(b->results[i]),
                 donor + 1);
        maivid_ctx_warn(ctx, warning);
        mv_progress_scene(ctx->engine, ctx->job, i, MV_SCENE_DONE, b->paths[i]);
        mv_images_beside_mark(ctx->beside, i);
    }
    return MAIVID_OK;
}

maivid_code mv_stage_images(maivid_stage_context *ctx)
{
    mv_job *job = ctx->job;
    char *storyboard = mv_job_path(job, "storyboard.json");
    char *scenes_dir = mv_job_path(job, "scenes");
    mv_plan plan;
    memset(&plan, 0, sizeof plan);
    maivid_code rc = storyboard && scenes_dir ? mv_plan_load(storyboard, &plan, &ctx->err)
                                              : maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "out of memory");
    if (rc == MAIVID_OK)
        rc = mv_mkdir_p(scenes_dir, &ctx->err);
    if (rc == MAIVID_OK && job->scene_count != plan.scene_count)
        mv_job_set_scenes_from_plan(ctx->engine, job, &plan);
    size_t n = plan.scene_count;
    mv_batch_state b = {ctx, NULL, NULL, NULL};
    mv_image_job *jobs = NULL;
    size_t *job_scene = NULL;
    if (rc == MAIVID_OK) {
        b.paths = calloc(n + 1, sizeof *b.paths);
        b.results = calloc(n + 1, sizeof *b.results);
        b.messages = calloc(n + 1, sizeof *b.messages);
        jobs = calloc(n + 1, sizeof *jobs);
        job_scene = calloc(n + 1, sizeof *job_scene);
        if (!b.paths || !b.results || !b.messages || !jobs || !job_scene)
            rc = maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "out of memory");
    }
    const maivid_stages *plug = ctx->engine->has_stages ? &ctx->engine->stages : NULL;
    size_t todo = 0;
    maivid_scene_request *requests = rc == MAIVID_OK ? calloc(n + 1, sizeof *requests) : NULL;
    if (rc == MAIVID_OK && !requests)
        rc = maivid_ctx_fail(ctx, MAIVID_E_NOMEM, "out of memory");
    for (size_t i = 0; rc == MAIVID_OK && i < n; i++) {
        b.paths[i] = mv_scene_image_path(job, i);
        mv_fill_request(ctx, &plan, i, b.paths[i], &requests[i]);
        if (mv_file_exists(b.paths[i]) && i < job->scene_count &&
            job->scenes[i].state == MV_SCENE_DONE) {
            b.results[i] = MAIVID_OK;
            mv_images_beside_mark(ctx->beside, i);
            continue;
        }
        b.results[i] = MAIVID_E_CANCELLED; /* not made yet */
        mv_image_job_from_request(ctx, &requests[i], &jobs[todo]);
        job_scene[todo++] = i;
    }
    if (rc == MAIVID_OK && todo > 0) {
        mv_plugin_state plugin_state;
        mv_image_backend plugin;
        if (plug && plug->image)
            mv_plugin_backend(ctx, plug, &plugin_state, &plugin);
        mv_batch_map map = {&b, job_scene};
        rc = mv_images_make_batch(ctx->engine->images, plug && plug->image ? &plugin : NULL,
                                  jobs, todo, mv_batch_done_mapped, &map, &ctx->task,
                                  &ctx->err);
    }
    if (rc == MAIVID_OK && maivid_ctx_cancelled(ctx))
        rc = MAIVID_E_CANCELLED;
    if (rc == MAIVID_OK)
        rc = mv_settle_failures(ctx, &plan, &b);
    if (rc == MAIVID_OK && (job->settings.animate || job->settings.animate_workflow)) {
        int fw = 1920, fh = 1080;
        mv_frame_size(job->settings.aspect_ratio, job->settings.resolution, &fw, &fh, NULL);
        rc = mv_stage_animate(ctx, &plan, b.paths, fw, fh);
    }
    for (size_t i = 0; b.paths && i < n; i++) {
        free(b.paths[i]);
        free(b.messages[i]);
    }
    free(b.paths);
    free(b.results);
    free(b.messages);
    free(jobs);
    free(job_scene);
    free(requests);
    mv_plan_free(&plan);
    free(storyboard);
    free(scenes_dir);
    return rc;
}
