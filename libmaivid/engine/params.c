/*
 * params.c - defaults for the public config and job parameter structs, and the validation
 * that turns a caller's maivid_job_params into settings the pipeline can trust. Every error
 * names the field and lists the valid values.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog/mv_styles.h"
#include "engine/mv_job.h"
#include "render/mv_captions.h"
#include "render/mv_render.h"

#define MV_MAX_LYRICS_BYTES (64 * 1024)

MAIVID_API void maivid_config_init(maivid_config *c)
{
    memset(c, 0, sizeof *c);
    c->struct_size = sizeof *c;
    c->data_dir = "./maivid-data";
    c->workers = 1;
    c->queue_limit = 100;
    c->connect_timeout = 10.0;
    c->io_timeout = 30.0;
    c->image_timeout = 300.0;
    c->max_download_bytes = 200ull * 1024 * 1024;
    c->suno_web_base = "https://suno.com";
    c->suno_api_base = "https://studio-api.prod.suno.com";
    c->suno_cdn_base = "https://cdn1.suno.ai";
    c->resume_jobs = 1;
}

MAIVID_API void maivid_config_from_env(maivid_config *c)
{
    static const struct {
        const char *name;
        size_t offset;
    } vars[] = {
        {"MAIVID_SUNO_WEB_BASE", offsetof(maivid_config, suno_web_base)},
        {"MAIVID_SUNO_API_BASE", offsetof(maivid_config, suno_api_base)},
        {"MAIVID_SUNO_CDN_BASE", offsetof(maivid_config, suno_cdn_base)},
        {"MAIVID_LLM_URL", offsetof(maivid_config, llm_url)},
        {"MAIVID_LLM_MODEL", offsetof(maivid_config, llm_model)},
        {"MAIVID_LLM_API_KEY", offsetof(maivid_config, llm_api_key)},
        {"MAIVID_STT_URL", offsetof(maivid_config, stt_url)},
        {"MAIVID_STT_MODEL", offsetof(maivid_config, stt_model)},
        {"MAIVID_STT_API_KEY", offsetof(maivid_config, stt_api_key)},
    };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *value = getenv(vars[i].name);
        if (value && *value && c->struct_size >= vars[i].offset + sizeof(const char *))
            *(const char **)((char *)c + vars[i].offset) = value;
    }
}

MAIVID_API void maivid_job_params_init(maivid_job_params *p)
{
    memset(p, 0, sizeof *p);
    p->struct_size = sizeof *p;
    p->model = "sdxl_turbo";
    p->aspect_ratio = "16:9";
    p->style = "cinematic";
    p->scene_count = 0;
    p->transition = "fade";
    p->transition_duration = 1.0;
    p->motion = "ken_burns";
    p->resolution = "1080p";
    p->fps = 30;
    p->seed = -1;
    p->captions = "lines";
    p->reactivity = 0.5;
}

/* Reads a field only if the caller's struct is new enough to have it. */
#define MV_HAS_FIELD(p, field) \
    ((p)->struct_size >= offsetof(maivid_job_params, field) + sizeof((p)->field))


static int mv_starts_with_ci(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static maivid_code mv_check_catalog(const char *field, const char *value,
                                    const mv_catalog_entry *entries, size_t count,
                                    size_t stride, int allow_auto, mv_error *err)
{
    const char *base = (const char *)entries;
    for (size_t i = 0; i < count; i++) {
        const mv_catalog_entry *e = (const mv_catalog_entry *)(base + i * stride);
        if (strcmp(e->id, value) == 0)
            return MAIVID_OK;
    }
    if (allow_auto && strcmp(value, "auto") == 0)
        return MAIVID_OK;
    char ids[2048];
    mv_catalog_list_ids(entries, count, stride, ids, sizeof ids);
    return mv_fail(err, MAIVID_E_INVALID, "unknown %s '%s'; valid values: %s%s", field, value,
                   allow_auto ? "auto, " : "", ids);
}

maivid_code mv_settings_from_params(const maivid_job_params *p, int allow_local_files,
                                    mv_model_known_fn model_known, void *model_user_data,
                                    mv_settings *out, mv_error *err)
{
    memset(out, 0, sizeof *out);
    if (!p || p->struct_size < offsetof(maivid_job_params, callback_url))
        return mv_fail(err, MAIVID_E_INVALID,
                       "job parameters not initialised: call maivid_job_params_init() first");
    maivid_job_params d;
    maivid_job_params_init(&d);
    /* Copy what the caller's struct has; the rest keeps the defaults. */
    memcpy(&d, p, p->struct_size < sizeof d ? p->struct_size : sizeof d);
    d.struct_size = sizeof d;

    int has_url = d.url && *d.url;
    int has_path = d.local_path && *d.local_path;
    if (has_url == has_path)
        return mv_fail(err, MAIVID_E_INVALID,
                       has_url ? "give either 'url' or a local file, not both"
                               : "missing 'url': give the song's link (a Suno share link, an "
                                 "audio file URL or a page that plays it)");
    if (has_url) {
        if (strlen(d.url) > 4096)
            return mv_fail(err, MAIVID_E_INVALID, "'url' is longer than 4096 characters");
        if (!mv_starts_with_ci(d.url, "http://") && !mv_starts_with_ci(d.url, "https://"))
            return mv_fail(err, MAIVID_E_INVALID,
                           "'url' must start with http:// or https:// (got '%.80s')", d.url);
    }
    if (has_path) {
        if (!allow_local_files)
            return mv_fail(err, MAIVID_E_POLICY,
                           "local files are not allowed here: give an http(s) 'url' instead");
        if (!mv_file_exists(d.local_path))
            return mv_fail(err, MAIVID_E_INVALID,
                           "the audio file '%s' does not exist: check the path", d.local_path);
    }

    const char *model = d.model && *d.model ? d.model : "sdxl_turbo";
    if (model_known && !model_known(model_user_data, model) &&
        !(d.workflow_path && *d.workflow_path))
        return mv_fail(err, MAIVID_E_INVALID,
                       "unknown model '%s'; valid values: procedural, sdxl_turbo, sd3, flux, or "
                       "a workflow from the models directory (see the models catalog)",
                       model);
    if (d.workflow_path && *d.workflow_path && !mv_file_exists(d.workflow_path))
        return mv_fail(err, MAIVID_E_INVALID, "the workflow file '%s' does not exist",
                       d.workflow_path);

    const char *aspect = d.aspect_ratio && *d.aspect_ratio ? d.aspect_ratio : "16:9";
    const char *resolution = d.resolution && *d.resolution ? d.resolution : "1080p";
    int w, h;
    maivid_code rc = mv_frame_size(aspect, resolution, &w, &h, err);
    if (rc != MAIVID_OK)
        return rc;

    size_t n;
    const char *style = d.style && *d.style ? d.style : "cinematic";
    const mv_style *styles = mv_styles(&n);
    rc = mv_check_catalog("style", style, &styles[0].entry, n, sizeof styles[0], 0, err);
    if (rc != MAIVID_OK)
        return rc;

    const char *transition = d.transition && *d.transition ? d.transition : "fade";
    if (!(strcmp(transition, "auto") == 0 || mv_transition_known(transition))) {
        const mv_catalog_entry *t = mv_transitions(&n);
        return mv_check_catalog("transition", transition, t, n, sizeof t[0], 1, err);
    }
    const char *motion = d.motion && *d.motion ? d.motion : "ken_burns";
    if (!(strcmp(motion, "auto") == 0 || mv_motion_known(motion))) {
        const mv_catalog_entry *m = mv_motions(&n);
        return mv_check_catalog("motion", motion, m, n, sizeof m[0], 1, err);
    }

    if (d.scene_count < 0 || d.scene_count > 120)
        return mv_fail(err, MAIVID_E_INVALID,
                       "'scene_count' must be 0 (automatic) or 1 to 120 (got %d)", d.scene_count);
    if (!(d.transition_duration >= 0.0 && d.transition_duration <= 5.0) ||
        isnan(d.transition_duration))
        return mv_fail(err, MAIVID_E_INVALID,
                       "'transition_duration' must be between 0 and 5 seconds (got %g)",
                       d.transition_duration);
    if (d.fps == 0)
        d.fps = 30;
    if (d.fps < 12 || d.fps > 60)
        return mv_fail(err, MAIVID_E_INVALID, "'fps' must be between 12 and 60 (got %d)", d.fps);
    if (d.lyrics && strlen(d.lyrics) > MV_MAX_LYRICS_BYTES)
        return mv_fail(err, MAIVID_E_INVALID, "'lyrics' is longer than %d bytes",
                       MV_MAX_LYRICS_BYTES);
    if (d.image_failure_tolerance < 0 || d.image_failure_tolerance > 120)
        return mv_fail(err, MAIVID_E_INVALID,
                       "'image_failure_tolerance' must be between 0 and 120 (got %d)",
                       d.image_failure_tolerance);
    const char *captions = d.captions && *d.captions ? d.captions : "lines";
    if (mv_caption_mode_from_id(captions) < 0)
        return mv_fail(err, MAIVID_E_INVALID, "unknown captions '%s'; valid values: lines, "
                       "karaoke, off", captions);
    if (!(d.reactivity >= 0.0 && d.reactivity <= 1.0))
        return mv_fail(err, MAIVID_E_INVALID,
                       "'reactivity' must be between 0 (plain drift) and 1 (got %g)",
                       d.reactivity);
    if (d.seed < -1)
        return mv_fail(err, MAIVID_E_INVALID, "'seed' must be -1 (automatic) or >= 0");
    if (d.callback_url && *d.callback_url && !mv_starts_with_ci(d.callback_url, "http://") &&
        !mv_starts_with_ci(d.callback_url, "https://"))
        return mv_fail(err, MAIVID_E_INVALID, "'callback_url' must be an http(s) URL");

    out->url = has_url ? mv_strdup(d.url) : NULL;
    out->local_path = has_path ? mv_strdup(d.local_path) : NULL;
    out->model = mv_strdup(model);
    out->aspect_ratio = mv_strdup(aspect);
    out->style = mv_strdup(style);
    out->transition = mv_strdup(transition);
    out->motion = mv_strdup(motion);
    out->resolution = mv_strdup(resolution);
    out->lyrics = d.lyrics && *d.lyrics ? mv_strdup(d.lyrics) : NULL;
    out->workflow_path = d.workflow_path && *d.workflow_path ? mv_strdup(d.workflow_path) : NULL;
    out->title = d.title && *d.title ? mv_strdup(d.title) : NULL;
    out->callback_url = d.callback_url && *d.callback_url ? mv_strdup(d.callback_url) : NULL;
    out->scene_count = d.scene_count;
    out->fps = d.fps;
    out->transition_duration = d.transition_duration;
    out->seed = d.seed;
    out->image_failure_tolerance = d.image_failure_tolerance;
    out->captions = mv_strdup(captions);
    out->reactivity = d.reactivity;
    out->subtitle_track = d.subtitle_track != 0;
    if (!out->captions || !out->model || !out->aspect_ratio || !out->style || !out->transition ||
        !out->motion || !out->resolution) {
        mv_settings_free(out);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    }
    return MAIVID_OK;
}
