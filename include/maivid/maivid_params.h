/*
 * maivid_params.h - the one definition of every job parameter (included by maivid.h).
 *
 * MAIVID_JOB_PARAMS below is the single list of what a job can be asked for. It generates
 * the members of maivid_job_params (in this order: the order is the ABI, so rows are only
 * ever appended) and the library's parameter table, which drives validation, defaults, the
 * job's settings JSON, the server's request fields, its OpenAPI schema, the CLI's options and
 * its --help. Programs read the table through maivid_param_count() / maivid_param_at().
 *
 * To add a parameter: append one row at the END of the list (name it as the Convo Pilot
 * spec does if the spec has it), then use the new member in the pipeline. Nothing else:
 * the server accepts it, OpenAPI shows it, the CLI gets --CLI-NAME and a help line, job.json
 * and the status keep it, and tests/unit/test_param_table.c checks it everywhere. Add its
 * option to the man page maivid-cli/maivid-cli.1 (a test checks that every CLI option is
 * there).
 *
 * Columns: X(TYPE, member, "json name", "default", min, max, catalog, flags,
 *            "cli-long-option", 'c' short option or 0, "METAVAR", "help")
 *   TYPE     STRING (const char *), INT (int), INT64 (int64_t) or NUMBER (double)
 *   default  as text, or NULL for none; the default is always valid, even outside min..max
 *            (so 0 can mean "automatic" for a range of 1..120)
 *   min/max  numbers: the valid range (at most 15 digits: cJSON writes numbers exactly only
 *            up to there); strings: max is the length limit in bytes
 *   catalog  the maivid_catalog whose ids are the valid values, or MAIVID_PARAM_NO_CATALOG
 *   flags    MAIVID_PARAM_* below
 */
#ifndef MAIVID_PARAMS_H
#define MAIVID_PARAMS_H

/* Flags of a parameter. */
#define MAIVID_PARAM_API 0x01u      /* a field of the server's create request */
#define MAIVID_PARAM_PRIVATE 0x02u  /* kept out of the public status (paths, lyrics) */
#define MAIVID_PARAM_URL 0x04u      /* an absolute http(s) URL, checked with libcurl's URL API */
#define MAIVID_PARAM_FILE 0x08u     /* a local file that must exist */
#define MAIVID_PARAM_AUTO 0x10u     /* "auto" is valid besides the catalog's ids */
#define MAIVID_PARAM_CLI_FILE 0x20u /* the CLI option names a file holding the value */

#define MAIVID_PARAM_NO_CATALOG (-1)

#define MAIVID_JOB_PARAMS(X)                                                                    \
    X(STRING, url, "url", NULL, 0, 4096, MAIVID_PARAM_NO_CATALOG,                               \
      MAIVID_PARAM_API | MAIVID_PARAM_URL, NULL, 0, NULL,                                       \
      "the song: a Suno share or song link, an audio file URL or a page that plays it")         \
    X(STRING, local_path, "local_path", NULL, 0, 4096, MAIVID_PARAM_NO_CATALOG,                 \
      MAIVID_PARAM_PRIVATE | MAIVID_PARAM_FILE, NULL, 0, NULL,                                  \
      "or a local audio file (needs allow_local_files)")                                        \
    X(STRING, model, "model_type", "sdxl_turbo", 0, 128, MAIVID_CATALOG_MODELS,                 \
      MAIVID_PARAM_API, "model", 'm', "ID", "image model")                                      \
    X(STRING, aspect_ratio, "aspect_ratio", "16:9", 0, 16, MAIVID_CATALOG_ASPECTS,              \
      MAIVID_PARAM_API, "aspect", 'a', "RATIO", "the frame's aspect ratio")                     \
    X(STRING, style, "style", "cinematic", 0, 128, MAIVID_CATALOG_STYLES, MAIVID_PARAM_API,     \
      "style", 's', "ID", "visual style")                                                       \
    X(INT, scene_count, "scene_count", "0", 1, 120, MAIVID_PARAM_NO_CATALOG, MAIVID_PARAM_API,  \
      "scenes", 'n', "N", "number of scenes (0: chosen from the song)")                         \
    X(STRING, transition, "transition_type", "fade", 0, 128, MAIVID_CATALOG_TRANSITIONS,        \
      MAIVID_PARAM_API | MAIVID_PARAM_AUTO, "transition", 't', "ID",                            \
      "transition between scenes")                                                              \
    X(NUMBER, transition_duration, "transition_duration", "1", 0, 5, MAIVID_PARAM_NO_CATALOG,   \
      MAIVID_PARAM_API, "transition-duration", 'd', "SECONDS", "length of each transition")     \
    X(STRING, motion, "motion", NULL, 0, 128, MAIVID_CATALOG_MOTIONS,                           \
      MAIVID_PARAM_API | MAIVID_PARAM_AUTO, "motion", 0, "ID",                                  \
      "camera motion in each scene (default: parallax with the built-in painter, procedural; "  \
      "ken_burns with other models)")                                                           \
    X(STRING, resolution, "resolution", "1080p", 0, 16, MAIVID_CATALOG_RESOLUTIONS,             \
      MAIVID_PARAM_API, "resolution", 0, "RES", "video size (its short side)")                  \
    X(INT, fps, "fps", "30", 12, 60, MAIVID_PARAM_NO_CATALOG, MAIVID_PARAM_API, "fps", 0, "N",  \
      "frames per second")                                                                      \
    X(STRING, lyrics, "lyrics", NULL, 0, 65536, MAIVID_PARAM_NO_CATALOG,                        \
      MAIVID_PARAM_API | MAIVID_PARAM_PRIVATE | MAIVID_PARAM_CLI_FILE, "lyrics", 0, "FILE",     \
      "lyrics as plain text, LRC (<mm:ss.xx> word times too), SRT or WebVTT (override the "     \
      "song's)")                                                                                \
    X(INT64, seed, "seed", "-1", 0, 999999999999999.0, MAIVID_PARAM_NO_CATALOG,                 \
      MAIVID_PARAM_API, "seed", 0, "N", "fixed seed for repeatable images (-1: from the song)") \
    X(STRING, workflow_path, "workflow_path", NULL, 0, 4096, MAIVID_PARAM_NO_CATALOG,           \
      MAIVID_PARAM_PRIVATE | MAIVID_PARAM_FILE, "workflow", 0, "FILE",                          \
      "a ComfyUI API-format workflow for this video (local only)")                              \
    X(STRING, title, "title", NULL, 0, 1024, MAIVID_PARAM_NO_CATALOG, MAIVID_PARAM_API,         \
      "title", 0, "TEXT", "the video's title (overrides the song's)")                           \
    X(INT, image_failure_tolerance, "image_failure_tolerance", "0", 0, 120,                     \
      MAIVID_PARAM_NO_CATALOG, MAIVID_PARAM_API, "image-failure-tolerance", 0, "N",             \
      "scenes whose image may fail (a neighbour's image is reused)")                            \
    X(STRING, callback_url, "callback_url", NULL, 0, 4096, MAIVID_PARAM_NO_CATALOG,             \
      MAIVID_PARAM_API | MAIVID_PARAM_URL, NULL, 0, NULL,                                       \
      "receives a JSON POST {event, job_id, video_url, job_status} when the job ends")         \
    X(STRING, captions, "captions", "lines", 0, 16, MAIVID_CATALOG_CAPTIONS, MAIVID_PARAM_API,  \
      "captions", 0, "MODE",                                                                    \
      "the lyrics burned into the video: lines, karaoke (the sung word highlighted; needs "     \
      "word times, else lines) or off")                                                         \
    X(NUMBER, reactivity, "reactivity", "0.5", 0, 1, MAIVID_PARAM_NO_CATALOG, MAIVID_PARAM_API, \
      "reactivity", 0, "R",                                                                     \
      "motion on the beat: zoom pushes on beats, light on strong downbeats (at most 3 "         \
      "flashes a second), drift speed following the loudness; 0: plain drift")                  \
    X(INT, subtitle_track, "subtitle_track", "0", 0, 1, MAIVID_PARAM_NO_CATALOG,                \
      MAIVID_PARAM_API, "subtitle-track", 0, "0|1",                                             \
      "1: the lyrics also as a soft (mov_text) subtitle track players can switch on")         \
    X(STRING, animate, "animate", NULL, 0, 128, MAIVID_CATALOG_MODELS, MAIVID_PARAM_API,        \
      "animate", 0, "MODEL",                                                                    \
      "image-to-video model (a models catalog entry of kind video, e.g. wan22_ti2v_5b): "       \
      "each scene's still becomes a moving clip on ComfyUI")                                    \
    X(STRING, animate_workflow, "animate_workflow", NULL, 0, 4096, MAIVID_PARAM_NO_CATALOG,     \
      MAIVID_PARAM_PRIVATE | MAIVID_PARAM_FILE, "animate-workflow", 0, "FILE",                  \
      "an image-to-video ComfyUI API-format workflow ({{image}} takes each scene's still) "     \
      "for this video (local only)")                                                           \
    X(STRING, encoder, "encoder", "libx264", 0, 32, MAIVID_CATALOG_ENCODERS, MAIVID_PARAM_API,  \
      "encoder", 0, "ID",                                                                       \
      "video encoder: libx264, libx265, h264_nvenc, hevc_nvenc, h264_vaapi or libsvtav1 (one "  \
      "this machine cannot open falls back to libx264 with a warning)")                        \
    X(NUMBER, clip_seconds, "clip_seconds", "0", 1, 10, MAIVID_PARAM_NO_CATALOG,               \
      MAIVID_PARAM_API, "clip-seconds", 0, "SECONDS",                                           \
      "with animate: the longest clip asked of the video model (0: the model's own longest, "  \
      "about 5 s); a longer scene gets a chain of clips, each continuing from the last frame "  \
      "of the one before")

/* The C type of each TYPE column value. */
#define MAIVID_PARAM_CTYPE_STRING const char *
#define MAIVID_PARAM_CTYPE_INT int
#define MAIVID_PARAM_CTYPE_INT64 int64_t
#define MAIVID_PARAM_CTYPE_NUMBER double

#endif /* MAIVID_PARAMS_H */
