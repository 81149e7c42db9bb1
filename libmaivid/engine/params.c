/*
 * params.c - defaults for the public config struct, and the validation that turns a caller's
 * maivid_job_params into settings the pipeline can trust, driven by the parameter table
 * (param_table.c). Every error names the field and lists the valid values.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "captions/mv_captions.h"
#include "render/mv_video_encoders.h"
#include "catalog/mv_styles.h"
#include "engine/mv_abi.h"
#include "render/mv_caption_burn.h"
#include "engine/mv_job.h"
#include "engine/mv_params.h"
#include "render/mv_render.h"

MAIVID_API void maivid_config_init_sized(maivid_config *c, size_t size)
{
    if (!c || size < sizeof c->struct_size)
        return;
    maivid_config d;
    memset(&d, 0, sizeof d);
    d.data_dir = "./maivid-data";
    d.workers = 1;
    d.queue_limit = 100;
    d.connect_timeout = 10.0;
    d.io_timeout = 30.0;
    d.image_timeout = 300.0;
    d.max_download_bytes = 200ull * 1024 * 1024;
    d.suno_web_base = "https://suno.com";
    d.suno_api_base = "https://studio-api.prod.suno.com";
    d.suno_cdn_base = "https://cdn1.suno.ai";
    d.resume_jobs = 1;
    memset(c, 0, size); /* the caller's whole struct, even members newer than this library */
    mv_abi_copy_in(c, sizeof d, &d, size);
    c->struct_size = size;
}

/* The symbol programs built against 0.1.0 call: their struct is the 0.1.0 layout. */
MAIVID_API void(maivid_config_init)(maivid_config *c)
{
    maivid_config_init_sized(c, MV_CONFIG_SIZE_0_1);
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
        {"MAIVID_SUNO_TOKEN", offsetof(maivid_config, suno_token)},
        {"MAIVID_QUEUE_URL", offsetof(maivid_config, queue_url)},
    };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *value = getenv(vars[i].name);
        if (value && *value && c && c->struct_size >= vars[i].offset + sizeof(const char *))
            *(const char **)((char *)c + vars[i].offset) = value;
    }
}

/* Checks a catalog-backed value; unknown ids get the list of valid ones. Models are judged
 * by the engine (model_known), the rest by the library's own catalogs. */
static maivid_code mv_check_choice(const maivid_param_info *info, const char *value,
                                   mv_model_known_fn model_known, void *model_user_data,
                                   mv_error *err)
{
    if ((info->flags & MAIVID_PARAM_AUTO) && strcmp(value, "auto") == 0)
        return MAIVID_OK;
    size_t n = 0;
    const mv_catalog_entry *entries = NULL;
    size_t stride = sizeof(mv_catalog_entry);
    switch (info->catalog) {
    case MAIVID_CATALOG_MODELS:
        if (!model_known || model_known(model_user_data, value))
            return MAIVID_OK;
        return mv_fail(err, MAIVID_E_INVALID,
                       "unknown %s '%s' (field '%s'); valid values: procedural, sdxl_turbo, "
                       "sd3, flux, or a workflow from the models directory (see the models "
                       "catalog)", info->member, value, info->name);
    case MAIVID_CATALOG_STYLES: {
        const mv_style *styles = mv_styles(&n);
        entries = &styles[0].entry;
        stride = sizeof styles[0];
        break;
    }
    case MAIVID_CATALOG_TRANSITIONS:
        if (mv_transition_known(value))
            return MAIVID_OK;
        entries = mv_transitions(&n);
        break;
    case MAIVID_CATALOG_MOTIONS:
        if (mv_motion_known(value))
            return MAIVID_OK;
        entries = mv_motions(&n);
        break;
    case MAIVID_CATALOG_ASPECTS: entries = mv_aspect_ratios(&n); break;
    case MAIVID_CATALOG_RESOLUTIONS: entries = mv_resolutions(&n); break;
    case MAIVID_CATALOG_CAPTIONS: entries = mv_caption_modes(&n); break;
    case MAIVID_CATALOG_ENCODERS: entries = mv_video_encoder_entries(&n, &stride); break;
    default: return MAIVID_OK;
    }
    const char *base = (const char *)entries;
    for (size_t i = 0; i < n; i++)
        if (strcmp(((const mv_catalog_entry *)(base + i * stride))->id, value) == 0)
            return MAIVID_OK;
    char ids[2048];
    mv_catalog_list_ids(entries, n, stride, ids, sizeof ids);
    return mv_fail(err, MAIVID_E_INVALID, "unknown %s '%s' (field '%s'); valid values: %s%s",
                   info->member, value, info->name, (info->flags & MAIVID_PARAM_AUTO) ? "auto, " : "",
                   ids);
}

/* Checks one parameter of `d` (a full-size copy with defaults filled in). */
static maivid_code mv_check_param(const maivid_param_info *info, maivid_job_params *d,
                                  mv_model_known_fn model_known, void *model_user_data,
                                  mv_error *err)
{
    maivid_code rc = mv_param_check(info, d, err);
    if (rc != MAIVID_OK || info->type != MAIVID_PARAM_STRING)
        return rc;
    const char *value = mv_param_string(info, d);
    if (!value || !*value) {
        mv_param_set_string(info, d, info->default_text); /* "" means the default */
        value = info->default_text;
    }
    if (!value)
        return MAIVID_OK;
    if ((info->flags & MAIVID_PARAM_FILE) && !mv_file_exists(value))
        return mv_fail(err, MAIVID_E_INVALID, "'%s': the file '%s' does not exist: check the path",
                       info->name, value);
    /* a custom workflow names its own model */
    if (info->catalog == MAIVID_CATALOG_MODELS && d->workflow_path && *d->workflow_path &&
        strcmp(info->member, "model") == 0)
        return MAIVID_OK;
    if (info->catalog != MAIVID_PARAM_NO_CATALOG)
        return mv_check_choice(info, value, model_known, model_user_data, err);
    return MAIVID_OK;
}

maivid_code mv_settings_from_params(const maivid_job_params *p, int allow_local_files,
                                    mv_model_known_fn model_known, void *model_user_data,
                                    mv_settings *out, mv_error *err)
{
    memset(out, 0, sizeof *out);
    if (!p || p->struct_size < MV_JOB_PARAMS_SIZE_MIN)
        return mv_fail(err, MAIVID_E_INVALID,
                       "job parameters not initialised: call maivid_job_params_init() first");
    maivid_job_params d;
    maivid_job_params_init(&d);
    /* Copy what the caller's struct has; the rest keeps the defaults. */
    mv_abi_copy_in(&d, sizeof d, p, p->struct_size);
    d.struct_size = sizeof d;

    int has_url = d.url && *d.url;
    int has_path = d.local_path && *d.local_path;
    if (has_url == has_path)
        return mv_fail(err, MAIVID_E_INVALID,
                       has_url ? "give either 'url' or a local file, not both"
                               : "missing 'url': give the song's link (a Suno share link, an "
                                 "audio file URL or a page that plays it)");
    if (has_path && !allow_local_files)
        return mv_fail(err, MAIVID_E_POLICY,
                       "local files are not allowed here: give an http(s) 'url' instead");

    size_t n;
    const maivid_param_info *params = mv_params(&n);
    for (size_t i = 0; i < n; i++) {
        maivid_code rc = mv_check_param(&params[i], &d, model_known, model_user_data, err);
        if (rc != MAIVID_OK)
            return rc;
    }
    int w, h;
    maivid_code rc = mv_frame_size(d.aspect_ratio, d.resolution, &w, &h, err);
    if (rc != MAIVID_OK)
        return rc;
    if (d.lyrics && *d.lyrics) { /* timed lyrics: their times must read */
        mv_error why = {0};
        if (mv_user_lyrics_check(d.lyrics, &why) != MAIVID_OK)
            return mv_fail(err, MAIVID_E_INVALID, "'lyrics' (%s): %s",
                           mv_lyrics_format_name(mv_lyrics_detect_format(d.lyrics)),
                           why.message);
    }
    if (!d.motion || !*d.motion) /* the default depends on the image model */
        d.motion = mv_motion_default(d.model);
    for (size_t i = 0; i < n; i++) /* "" is no value */
        if (params[i].type == MAIVID_PARAM_STRING && mv_param_string(&params[i], &d) &&
            !*mv_param_string(&params[i], &d))
            mv_param_set_string(&params[i], &d, NULL);
    if (mv_settings_copy(out, &d) != 0) {
        memset(out, 0, sizeof *out);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    }
    return MAIVID_OK;
}
