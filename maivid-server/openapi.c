/*
 * openapi.c - GET /api/openapi.json: the API described as OpenAPI 3. The document is a
 * constant except the library version and the create request's schema, which is built from
 * the parameter table (maivid_param_at()) so it lists exactly the fields the server takes.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "server.h"

static const char MV_OPENAPI_JSON[] =
    "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"MaiVid Convo Pilot API\",\"version\":\"@VERSION"
    "@\",\"description\":\"Music videos from a song link. Every error is JSON {success:false, err"
    "or, status}. When the server runs with --api-key, the /api/convo_pilot endpoints need X-API-"
    "Key or Authorization: Bearer.\"},\"paths\":{"
    "\"/api/convo_pilot/video/{job_id}/captions.{format}\":{\"get\":{\"summary\":\"A caption si"
    "decar of the timed lyrics (SubRip, WebVTT, LRC or ASS), written before the video\",\"opera"
    "tionId\":\"getCaptions\",\"security\":[{\"ApiKey\":[]},{\"Bearer\":[]},{}],\"parameters\":"
    "[{\"name\":\"job_id\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\",\""
    "pattern\":\"^job_[0-9]{8}_[0-9]{6}_[0-9a-f]{8}$\"}},{\"name\":\"format\",\"in\":\"path\",\""
    "required\":true,\"schema\":{\"type\":\"string\",\"enum\":[\"srt\",\"vtt\",\"lrc\",\"ass\"]"
    "}}],\"responses\":{\"200\":{\"description\":\"The captions file\",\"content\":{\"applicati"
    "on/x-subrip\":{\"schema\":{\"type\":\"string\"}},\"text/vtt\":{\"schema\":{\"type\":\"stri"
    "ng\"}},\"text/plain\":{\"schema\":{\"type\":\"string\"}},\"text/x-ssa\":{\"schema\":{\"typ"
    "e\":\"string\"}}}},\"401\":{\"$ref\":\"#/components/responses/Error\"},\"404\":{\"$ref\":\""
    "#/components/responses/Error\"}}}},"
    "\"/api/convo_pilot/video\":{\"post\":{\"summary"
    "\":\"Start a video job\",\"operationId\":\"createVideo\",\"security\":[{\"ApiKey\":[]},{\"Be"
    "arer\":[]},{}],\"parameters\":[{\"name\":\"Idempotency-Key\",\"in\":\"header\",\"required\":"
    "false,\"schema\":{\"type\":\"string\",\"maxLength\":255},\"description\":\"Retries with the "
    "same key return the first job (kept 24 h).\"}],\"requestBody\":{\"required\":true,\"content"
    "\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/CreateRequest\"}}}},\""
    "responses\":{\"202\":{\"description\":\"Job queued\",\"content\":{\"application/json\":{\"sc"
    "hema\":{\"$ref\":\"#/components/schemas/CreateReply\"}}}},\"400\":{\"$ref\":\"#/components/r"
    "esponses/Error\"},\"401\":{\"$ref\":\"#/components/responses/Error\"},\"413\":{\"$ref\":\"#/"
    "components/responses/Error\"},\"415\":{\"$ref\":\"#/components/responses/Error\"},\"429\":{"
    "\"$ref\":\"#/components/responses/Error\"}}}},\"/api/convo_pilot/video/{job_id}\":{\"get\":{"
    "\"summary\":\"Job status\",\"operationId\":\"getVideoStatus\",\"security\":[{\"ApiKey\":[]},"
    "{\"Bearer\":[]},{}],\"parameters\":[{\"name\":\"job_id\",\"in\":\"path\",\"required\":true,"
    "\"schema\":{\"type\":\"string\",\"pattern\":\"^job_[0-9]{8}_[0-9]{6}_[0-9a-f]{8}$\"},\"examp"
    "le\":\"job_20250516_123456_abcdef12\"}],\"responses\":{\"200\":{\"description\":\"Status; vi"
    "deo_url and thumbnail_url once completed\",\"content\":{\"application/json\":{\"schema\":{\""
    "$ref\":\"#/components/schemas/StatusReply\"}}}},\"401\":{\"$ref\":\"#/components/responses/E"
    "rror\"},\"404\":{\"$ref\":\"#/components/responses/Error\"}}},\"delete\":{\"summary\":\"Canc"
    "el the job (with purge=true also delete it and its files)\",\"operationId\":\"cancelVideo\","
    "\"security\":[{\"ApiKey\":[]},{\"Bearer\":[]},{}],\"parameters\":[{\"name\":\"job_id\",\"in"
    "\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\",\"pattern\":\"^job_[0-9]{8}_[0"
    "-9]{6}_[0-9a-f]{8}$\"},\"example\":\"job_20250516_123456_abcdef12\"},{\"name\":\"purge\",\"i"
    "n\":\"query\",\"required\":false,\"schema\":{\"type\":\"boolean\"}}],\"responses\":{\"200\":"
    "{\"description\":\"Cancelled or deleted\",\"content\":{\"application/json\":{\"schema\":{\"$"
    "ref\":\"#/components/schemas/CancelReply\"}}}},\"401\":{\"$ref\":\"#/components/responses/Er"
    "ror\"},\"404\":{\"$ref\":\"#/components/responses/Error\"}}}},\"/api/convo_pilot/video/{job_"
    "id}/cancel\":{\"post\":{\"summary\":\"Cancel the job\",\"operationId\":\"cancelVideoPost\","
    "\"security\":[{\"ApiKey\":[]},{\"Bearer\":[]},{}],\"parameters\":[{\"name\":\"job_id\",\"in"
    "\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\",\"pattern\":\"^job_[0-9]{8}_[0"
    "-9]{6}_[0-9a-f]{8}$\"},\"example\":\"job_20250516_123456_abcdef12\"}],\"responses\":{\"200\""
    ":{\"description\":\"Cancelled\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/"
    "components/schemas/CancelReply\"}}}},\"401\":{\"$ref\":\"#/components/responses/Error\"},\"4"
    "04\":{\"$ref\":\"#/components/responses/Error\"}}}},\"/api/convo_pilot/video/progress/{job_i"
    "d}\":{\"get\":{\"summary\":\"Reduced progress\",\"operationId\":\"getVideoProgress\",\"secur"
    "ity\":[{\"ApiKey\":[]},{\"Bearer\":[]},{}],\"parameters\":[{\"name\":\"job_id\",\"in\":\"pat"
    "h\",\"required\":true,\"schema\":{\"type\":\"string\",\"pattern\":\"^job_[0-9]{8}_[0-9]{6}_["
    "0-9a-f]{8}$\"},\"example\":\"job_20250516_123456_abcdef12\"}],\"responses\":{\"200\":{\"desc"
    "ription\":\"Progress\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/component"
    "s/schemas/ProgressReply\"}}}},\"401\":{\"$ref\":\"#/components/responses/Error\"},\"404\":{"
    "\"$ref\":\"#/components/responses/Error\"}}}},\"/api/convo_pilot/video/{job_id}/file\":{\"ge"
    "t\":{\"summary\":\"The finished MP4 (Range requests supported)\",\"operationId\":\"getVideoF"
    "ile\",\"security\":[{\"ApiKey\":[]},{\"Bearer\":[]},{}],\"parameters\":[{\"name\":\"job_id\""
    ",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\",\"pattern\":\"^job_[0-9]{"
    "8}_[0-9]{6}_[0-9a-f]{8}$\"},\"example\":\"job_20250516_123456_abcdef12\"},{\"name\":\"Range"
    "\",\"in\":\"header\",\"required\":false,\"schema\":{\"type\":\"string\"},\"example\":\"bytes"
    "=0-1023\"}],\"responses\":{\"200\":{\"description\":\"The video\",\"content\":{\"video/mp4\""
    ":{\"schema\":{\"type\":\"string\",\"format\":\"binary\"}}}},\"206\":{\"description\":\"Part "
    "of the video\",\"content\":{\"video/mp4\":{\"schema\":{\"type\":\"string\",\"format\":\"bina"
    "ry\"}}}},\"401\":{\"$ref\":\"#/components/responses/Error\"},\"404\":{\"$ref\":\"#/component"
    "s/responses/Error\"},\"409\":{\"$ref\":\"#/components/responses/Error\"}}}},\"/api/convo_pil"
    "ot/video/{job_id}/thumbnail\":{\"get\":{\"summary\":\"The thumbnail JPEG\",\"operationId\":"
    "\"getVideoThumbnail\",\"security\":[{\"ApiKey\":[]},{\"Bearer\":[]},{}],\"parameters\":[{\"n"
    "ame\":\"job_id\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\",\"pattern"
    "\":\"^job_[0-9]{8}_[0-9]{6}_[0-9a-f]{8}$\"},\"example\":\"job_20250516_123456_abcdef12\"}],"
    "\"responses\":{\"200\":{\"description\":\"The thumbnail\",\"content\":{\"image/jpeg\":{\"sch"
    "ema\":{\"type\":\"string\",\"format\":\"binary\"}}}},\"401\":{\"$ref\":\"#/components/respon"
    "ses/Error\"},\"404\":{\"$ref\":\"#/components/responses/Error\"},\"409\":{\"$ref\":\"#/compo"
    "nents/responses/Error\"}}}},\"/api/convo_pilot/video/{job_id}/storyboard\":{\"get\":{\"summa"
    "ry\":\"The scene plan (once scene_planning ended)\",\"operationId\":\"getStoryboard\",\"secu"
    "rity\":[{\"ApiKey\":[]},{\"Bearer\":[]},{}],\"parameters\":[{\"name\":\"job_id\",\"in\":\"pa"
    "th\",\"required\":true,\"schema\":{\"type\":\"string\",\"pattern\":\"^job_[0-9]{8}_[0-9]{6}_"
    "[0-9a-f]{8}$\"},\"example\":\"job_20250516_123456_abcdef12\"}],\"responses\":{\"200\":{\"des"
    "cription\":\"Storyboard\",\"content\":{\"application/json\":{\"schema\":{\"type\":\"object\""
    ",\"properties\":{\"success\":{\"type\":\"boolean\"},\"job_id\":{\"type\":\"string\"},\"story"
    "board\":{\"type\":\"object\"}}}}}},\"401\":{\"$ref\":\"#/components/responses/Error\"},\"404"
    "\":{\"$ref\":\"#/components/responses/Error\"}}}},\"/api/convo_pilot/videos\":{\"get\":{\"su"
    "mmary\":\"List jobs, newest first\",\"operationId\":\"listVideos\",\"security\":[{\"ApiKey\""
    ":[]},{\"Bearer\":[]},{}],\"parameters\":[{\"name\":\"limit\",\"in\":\"query\",\"schema\":{\""
    "type\":\"integer\",\"minimum\":1,\"maximum\":100,\"default\":20}},{\"name\":\"offset\",\"in"
    "\":\"query\",\"schema\":{\"type\":\"integer\",\"minimum\":0,\"default\":0}}],\"responses\":{"
    "\"200\":{\"description\":\"A page of jobs\",\"content\":{\"application/json\":{\"schema\":{"
    "\"$ref\":\"#/components/schemas/ListReply\"}}}},\"400\":{\"$ref\":\"#/components/responses/E"
    "rror\"},\"401\":{\"$ref\":\"#/components/responses/Error\"}}}},\"/api/convo_pilot/models\":{"
    "\"get\":{\"summary\":\"The models catalog\",\"operationId\":\"list_models\",\"security\":[{"
    "\"ApiKey\":[]},{\"Bearer\":[]},{}],\"responses\":{\"200\":{\"description\":\"Catalog\",\"con"
    "tent\":{\"application/json\":{\"schema\":{\"type\":\"object\",\"properties\":{\"success\":{"
    "\"type\":\"boolean\"},\"models\":{\"$ref\":\"#/components/schemas/ModelCatalog\"}}}}}},\"401\":{"
    "\"$ref\":\"#/components/responses/Error\"}}}},\"/api/convo_pilot/styles\":{\"get\":{\"summar"
    "y\":\"The styles catalog\",\"operationId\":\"list_styles\",\"security\":[{\"ApiKey\":[]},{\""
    "Bearer\":[]},{}],\"responses\":{\"200\":{\"description\":\"Catalog\",\"content\":{\"applicat"
    "ion/json\":{\"schema\":{\"type\":\"object\",\"properties\":{\"success\":{\"type\":\"boolean"
    "\"},\"styles\":{\"$ref\":\"#/components/schemas/Catalog\"}}}}}},\"401\":{\"$ref\":\"#/compon"
    "ents/responses/Error\"}}}},\"/api/convo_pilot/transitions\":{\"get\":{\"summary\":\"The tran"
    "sitions catalog\",\"operationId\":\"list_transitions\",\"security\":[{\"ApiKey\":[]},{\"Bear"
    "er\":[]},{}],\"responses\":{\"200\":{\"description\":\"Catalog\",\"content\":{\"application/"
    "json\":{\"schema\":{\"type\":\"object\",\"properties\":{\"success\":{\"type\":\"boolean\"},"
    "\"transitions\":{\"$ref\":\"#/components/schemas/Catalog\"}}}}}},\"401\":{\"$ref\":\"#/compo"
    "nents/responses/Error\"}}}},\"/api/convo_pilot/motions\":{\"get\":{\"summary\":\"The motions"
    " catalog\",\"operationId\":\"list_motions\",\"security\":[{\"ApiKey\":[]},{\"Bearer\":[]},{}"
    "],\"responses\":{\"200\":{\"description\":\"Catalog\",\"content\":{\"application/json\":{\"s"
    "chema\":{\"type\":\"object\",\"properties\":{\"success\":{\"type\":\"boolean\"},\"motions\":"
    "{\"$ref\":\"#/components/schemas/Catalog\"}}}}}},\"401\":{\"$ref\":\"#/components/responses/"
    "Error\"}}}},\"/api/convo_pilot/aspect_ratios\":{\"get\":{\"summary\":\"The aspect ratios cat"
    "alog\",\"operationId\":\"list_aspect_ratios\",\"security\":[{\"ApiKey\":[]},{\"Bearer\":[]},"
    "{}],\"responses\":{\"200\":{\"description\":\"Catalog\",\"content\":{\"application/json\":{"
    "\"schema\":{\"type\":\"object\",\"properties\":{\"success\":{\"type\":\"boolean\"},\"aspect_"
    "ratios\":{\"$ref\":\"#/components/schemas/Catalog\"}}}}}},\"401\":{\"$ref\":\"#/components/r"
    "esponses/Error\"}}}},\"/api/convo_pilot/encoders\":{\"get\":{\"summary\":\"The video encoders"
    " catalog: each encoder a job may ask for (field encoder), whether this machine can open it "
    "and why not; probed once, on the first request, and kept for the server's lifetime\",\"op"
    "erationId\":\"list_encoders\",\"security\":[{\"ApiKey\":[]},{\"Bearer\":[]},{}],\"re"
    "sponses\":{\"200\":{\"description\":\"Catalog\",\"content\":{\"application/json\":{"
    "\"schema\":{\"type\":\"object\",\"properties\":{\"success\":{\"type\":\"boolean\"},"
    "\"encoders\":{\"$ref\":\"#/components/schemas/EncoderCatalog\"}}}}}},\"401\":{\"$ref\""
    ":\"#/components/responses/Error\"}}}},\"/api/health\":{\"get\":{\"summary\":\"Health: version, workers busy, "
    "queue length, ComfyUI reachability, free disk\",\"operationId\":\"health\",\"responses\":{\""
    "200\":{\"description\":\"Health\",\"content\":{\"application/json\":{\"schema\":{\"type\":\""
    "object\",\"properties\":{\"success\":{\"type\":\"boolean\"},\"status\":{\"type\":\"string\"}"
    ",\"version\":{\"type\":\"string\"},\"workers\":{\"type\":\"integer\"},\"workers_busy\":{\"ty"
    "pe\":\"integer\"},\"queue_length\":{\"type\":\"integer\"},\"jobs_total\":{\"type\":\"integer"
    "\"},\"queue\":{\"type\":\"object\",\"nullable\":true,\"description\":\"The job queue: "
    "backend (embedded or redis), queued, running, workers; on a shared Redis queue also cons"
    "umer, consumers [{name, pending, idle_seconds}] and oldest_pending_seconds. With Redis unr"
    "eachable the reply is 503, status unavailable, queue null and error says why.\"},\"error"
    "\":{\"type\":\"string\"},\"comfyui\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"url\":{"
    "\"type\":\"string\"},\"reachable\":{\"type\":\"boolean\"}}}},\"disk_free_bytes\":{\"type\":"
    "\"number\",\"nullable\":true}}}}}}}}},\"/api/openapi.json\":{\"get\":{\"summary\":\"This doc"
    "ument\",\"operationId\":\"openapi\",\"responses\":{\"200\":{\"description\":\"OpenAPI 3 docu"
    "ment\",\"content\":{\"application/json\":{\"schema\":{\"type\":\"object\"}}}}}}}},\"componen"
    "ts\":{\"securitySchemes\":{\"ApiKey\":{\"type\":\"apiKey\",\"in\":\"header\",\"name\":\"X-AP"
    "I-Key\"},\"Bearer\":{\"type\":\"http\",\"scheme\":\"bearer\"}},\"responses\":{\"Error\":{\"d"
    "escription\":\"Error\",\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/component"
    "s/schemas/Error\"}}}}},\"schemas\":{\"Error\":{\"type\":\"object\",\"required\":[\"success\""
    ",\"error\"],\"properties\":{\"success\":{\"type\":\"boolean\",\"enum\":[false]},\"error\":{"
    "\"type\":\"string\"},\"field\":{\"type\":\"string\"},\"status\":{\"type\":\"integer\"}}},\"C"
    "reateRequest\":{\"type\":\"object\",\"description\":\"filled from the parameter table\"},\"C"
    "reateReply\":{\"type\":\"object\",\"properties\":{\"success\":{\"type\":\"boolean\"},\"job_i"
    "d\":{\"type\":\"string\"},\"message\":{\"type\":\"string\"},\"job_info\":{\"type\":\"object"
    "\",\"properties\":{\"job_id\":{\"type\":\"string\"},\"status\":{\"type\":\"string\",\"enum\""
    ":[\"started\"]},\"url\":{\"type\":\"string\"},\"creation_time\":{\"type\":\"string\",\"examp"
    "le\":\"20250516_123456\"},\"settings\":{\"type\":\"object\"}}}}},\"JobStatus\":{\"type\":\"o"
    "bject\",\"properties\":{\"job_id\":{\"type\":\"string\"},\"sync\":{\"type\":\"object\",\"d"
    "escription\":\"once rendered (also sync.json in the job directory): cuts, cuts_on_beat, "
    "cuts_on_beat_share, av_difference_seconds, caption_mode, caption_source, "
    "caption_confidence, lines_total, lines_shown, lines_shown_share, max_flashes_per_second, "
    "reactivity, reactivity_measured (picture change on beat frames over that between beats)"
    "\"},\"video_title\":{\"type\":\"string"
    "\"},\"total_scenes\":{\"type\":\"integer\"},\"processed_scenes\":{\"type\":\"integer\"},\"cu"
    "rrent_stage\":{\"type\":\"string\"},\"stage_name\":{\"type\":\"string\"},\"stage_progress\":"
    "{\"type\":\"number\"},\"overall_progress\":{\"type\":\"number\"},\"status\":{\"type\":\"stri"
    "ng\",\"enum\":[\"queued\",\"running\",\"completed\",\"failed\",\"cancelled\"]},\"started_at"
    "\":{\"type\":\"number\",\"nullable\":true},\"updated_at\":{\"type\":\"number\",\"nullable\":"
    "true},\"completed_at\":{\"type\":\"number\",\"nullable\":true},\"error\":{\"type\":\"string"
    "\",\"nullable\":true},\"queue_position\":{\"type\":\"integer\"},\"eta_seconds\":{\"type\":\""
    "number\",\"nullable\":true,\"description\":\"null while unknown\"},\"video_url\":{\"type\":\"string\"},\"thumbnail_url\":{\"type\":\"string\"}}},\"St"
    "atusReply\":{\"type\":\"object\",\"properties\":{\"success\":{\"type\":\"boolean\"},\"job_st"
    "atus\":{\"$ref\":\"#/components/schemas/JobStatus\"}}},\"Progress\":{\"type\":\"object\",\"p"
    "roperties\":{\"job_id\":{\"type\":\"string\"},\"overall_progress\":{\"type\":\"number\"},\"s"
    "tatus\":{\"type\":\"string\"},\"current_stage\":{\"type\":\"string\"}}},\"ProgressReply\":{"
    "\"type\":\"object\",\"properties\":{\"success\":{\"type\":\"boolean\"},\"progress\":{\"$ref"
    "\":\"#/components/schemas/Progress\"}}},\"CancelReply\":{\"type\":\"object\",\"properties\":"
    "{\"success\":{\"type\":\"boolean\"},\"job_id\":{\"type\":\"string\"},\"status\":{\"type\":\""
    "string\"},\"deleted\":{\"type\":\"boolean\"},\"message\":{\"type\":\"string\"}}},\"ListReply"
    "\":{\"type\":\"object\",\"properties\":{\"success\":{\"type\":\"boolean\"},\"total\":{\"type"
    "\":\"integer\"},\"offset\":{\"type\":\"integer\"},\"limit\":{\"type\":\"integer\"},\"jobs\":"
    "{\"type\":\"array\",\"items\":{\"$ref\":\"#/components/schemas/Progress\"}}}},"
    "\"ModelCatalog\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},"
    "\"name\":{\"type\":\"string\"},\"description\":{\"type\":\"string\"},\"speed\":{\"type\":\"string\"},"
    "\"quality\":{\"type\":\"string\"},\"kind\":{\"type\":\"string\",\"enum\":[\"builtin\",\"comfyui\",\"video\"],"
    "\"description\":\"video: an image-to-video model, for the animate field\"},"
    "\"backend\":{\"type\":\"string\"},"
    "\"usable\":{\"type\":\"boolean\",\"description\":\"the model can run now\"},\"unusable_reason\":{\"ty"
    "pe\":\"string\",\"description\":\"when not usable: why (the server that does not answer, the mod"
    "el file it does not list) and the fix (e.g. --checkpoint MODEL=FILE)\"},\"size_16_9\":{\"type\":\"s"
    "tring\"},\"checkpoint\":{\"type\":\"string\",\"description\":\"the checkpoint file set with --checkp"
    "oint or MODEL.checkpoint\"}}}},"
    "\"EncoderCatalog\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
    "\"id\":{\"type\":\"string\",\"description\":\"the FFmpeg encoder name, the value of the "
    "job field encoder\"},\"name\":{\"type\":\"string\"},\"description\":{\"type\":\"string"
    "\"},\"usable\":{\"type\":\"boolean\",\"description\":\"this machine opened the encoder "
    "(a job asking for one that is not falls back to libx264 with a warning)\"},\"unusable_reas"
    "on\":{\"type\":\"string\",\"description\":\"when not usable: why (not built into this "
    "FFmpeg, no GPU or driver, no VAAPI device)\"}}}},"
    "\"Catalog\":{"
    "\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string"
    "\"},\"name\":{\"type\":\"string\"},\"description\":{\"type\":\"string\"}}}}}}}";

/* The song object of a job status and its cover endpoint, merged into the document. */
static const char MV_OPENAPI_SONG_JSON[] =
    "{\"path\":{\"get\":{\"summary\":\"The song's cover image, kept from its source (any stage "
    "once the song is fetched)\",\"operationId\":\"getSongCover\",\"security\":[{\"ApiKey\":[]},"
    "{\"Bearer\":[]},{}],\"parameters\":[{\"name\":\"job_id\",\"in\":\"path\",\"required\":true,"
    "\"schema\":{\"type\":\"string\",\"pattern\":\"^job_[0-9]{8}_[0-9]{6}_[0-9a-f]{8}$\"}}],"
    "\"responses\":{\"200\":{\"description\":\"The cover, as the source gave it\",\"content\":{"
    "\"image/jpeg\":{\"schema\":{\"type\":\"string\",\"format\":\"binary\"}},\"image/png\":{"
    "\"schema\":{\"type\":\"string\",\"format\":\"binary\"}},\"image/webp\":{\"schema\":{\"type\":"
    "\"string\",\"format\":\"binary\"}},\"image/gif\":{\"schema\":{\"type\":\"string\",\"format\":"
    "\"binary\"}}}},\"401\":{\"$ref\":\"#/components/responses/Error\"},\"404\":{\"$ref\":"
    "\"#/components/responses/Error\"}}}},\"schema\":{\"type\":\"object\",\"description\":\"Whose"
    " song it is; every field is null until the download stage has ended or when unknown\","
    "\"properties\":{\"title\":{\"type\":\"string\",\"nullable\":true},\"artist\":{\"type\":\"str"
    "ing\",\"nullable\":true},\"tags\":{\"type\":\"string\",\"nullable\":true},\"duration\":{\"ty"
    "pe\":\"number\",\"nullable\":true,\"description\":\"seconds\"},\"bpm\":{\"type\":\"number\","
    "\"nullable\":true},\"cover_url\":{\"type\":\"string\",\"nullable\":true},\"cover_path\":{\"t"
    "ype\":\"string\",\"nullable\":true},\"source_kind\":{\"type\":\"string\",\"nullable\":true,"
    "\"enum\":[\"suno\",\"direct\",\"page\",\"file\",null]},\"suno_id\":{\"type\":\"string\",\"nul"
    "lable\":true}}}}";

/* Adds GET .../video/{job_id}/cover, the Song schema and JobStatus.song to `doc`. */
static void mv_openapi_add_song(cJSON *doc, cJSON *schemas)
{
    cJSON *song = cJSON_Parse(MV_OPENAPI_SONG_JSON);
    cJSON *paths = cJSON_GetObjectItemCaseSensitive(doc, "paths");
    cJSON *status = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(schemas, "JobStatus"), "properties");
    if (song == NULL || paths == NULL || status == NULL) {
        cJSON_Delete(song);
        return;
    }
    cJSON_AddItemToObject(paths, "/api/convo_pilot/video/{job_id}/cover",
                          cJSON_DetachItemFromObjectCaseSensitive(song, "path"));
    cJSON_AddItemToObject(schemas, "Song", cJSON_DetachItemFromObjectCaseSensitive(song, "schema"));
    cJSON *ref = cJSON_AddObjectToObject(status, "song");
    cJSON_AddStringToObject(ref, "$ref", "#/components/schemas/Song");
    cJSON_Delete(song);
}

/* One request field's schema, from its parameter table entry. */
static cJSON *mv_openapi_property(const maivid_param_info *info)
{
    cJSON *property = cJSON_CreateObject();
    static const char *const types[] = {"string", "integer", "integer", "number"};
    cJSON_AddStringToObject(property, "type", types[info->type]);
    cJSON_AddStringToObject(property, "description", info->help);
    if (info->type == MAIVID_PARAM_STRING) {
        cJSON_AddNumberToObject(property, "maxLength", info->max);
        if (info->default_text != NULL) {
            cJSON_AddStringToObject(property, "default", info->default_text);
        }
        if (info->flags & MAIVID_PARAM_URL) {
            cJSON_AddStringToObject(property, "format", "uri");
        }
        if (info->catalog == MAIVID_CATALOG_MODELS) {
            cJSON_AddStringToObject(property, "x-catalog", "/api/convo_pilot/models");
        } else if (info->catalog != MAIVID_PARAM_NO_CATALOG) {
            char *ids = maivid_catalog_json(NULL, (maivid_catalog)info->catalog, 0);
            cJSON *entries = ids != NULL ? cJSON_Parse(ids) : NULL;
            maivid_free(ids);
            cJSON *choices = cJSON_AddArrayToObject(property, "enum");
            const cJSON *entry;
            cJSON_ArrayForEach(entry, entries) {
                const cJSON *id = cJSON_GetObjectItemCaseSensitive(entry, "id");
                if (cJSON_IsString(id)) {
                    cJSON_AddItemToArray(choices, cJSON_CreateString(id->valuestring));
                }
            }
            if (info->flags & MAIVID_PARAM_AUTO) {
                cJSON_AddItemToArray(choices, cJSON_CreateString("auto"));
            }
            cJSON_Delete(entries);
        }
        return property;
    }
    double def = info->default_text != NULL ? strtod(info->default_text, NULL) : info->min;
    cJSON_AddNumberToObject(property, "minimum", def < info->min ? def : info->min);
    cJSON_AddNumberToObject(property, "maximum", def > info->max ? def : info->max);
    cJSON_AddNumberToObject(property, "default", def);
    cJSON_AddBoolToObject(property, "nullable", 1); /* null: the default */
    return property;
}

/* The create request's schema: every field the parameter table marks as part of the API. */
static cJSON *mv_openapi_create_request(void)
{
    cJSON *schema = cJSON_CreateObject();
    cJSON_AddStringToObject(schema, "type", "object");
    cJSON *required = cJSON_AddArrayToObject(schema, "required");
    cJSON_AddItemToArray(required, cJSON_CreateString("url"));
    cJSON *properties = cJSON_AddObjectToObject(schema, "properties");
    for (size_t i = 0; i < maivid_param_count(); i++) {
        const maivid_param_info *info = maivid_param_at(i);
        if (info->flags & MAIVID_PARAM_API) {
            cJSON_AddItemToObject(properties, info->name, mv_openapi_property(info));
        }
    }
    return schema;
}

/* The /mcp endpoint: one path entry pointing at the protocol (the tools list themselves). */
static const char MV_OPENAPI_MCP_JSON[] =
    "{\"post\":{\"summary\":\"Model Context Protocol (Streamable HTTP, revisions 2025-06-18 and "
    "2025-03-26): one JSON-RPC 2.0 message per POST; tools create_video_from_url, "
    "get_video_status, cancel_video, list_models, list_styles (see tools/list for their "
    "schemas)\",\"operationId\":\"mcp\",\"security\":[{\"ApiKey\":[]},{\"Bearer\":[]},{}],"
    "\"parameters\":[{\"name\":\"Mcp-Session-Id\",\"in\":\"header\",\"required\":false,"
    "\"description\":\"issued in the initialize reply; required on every later request\","
    "\"schema\":{\"type\":\"string\"}},{\"name\":\"MCP-Protocol-Version\",\"in\":\"header\","
    "\"required\":false,\"schema\":{\"type\":\"string\",\"enum\":[\"2025-06-18\","
    "\"2025-03-26\"]}}],\"requestBody\":{\"required\":true,\"content\":{\"application/json\""
    ":{\"schema\":{\"type\":\"object\",\"description\":\"a JSON-RPC 2.0 request, notification"
    " or response\"}}}},\"responses\":{\"200\":{\"description\":\"the JSON-RPC response, as "
    "application/json or (a tool call reporting progress) text/event-stream\",\"content\":{"
    "\"application/json\":{\"schema\":{\"type\":\"object\"}},\"text/event-stream\":{"
    "\"schema\":{\"type\":\"string\"}}}},\"202\":{\"description\":\"a notification or "
    "response accepted\"},\"400\":{\"description\":\"not JSON-RPC, no session id, an unknown "
    "protocol revision\"},\"401\":{\"$ref\":\"#/components/responses/Error\"},\"403\":{"
    "\"description\":\"an Origin that is not allowed (DNS rebinding guard)\"},\"404\":{"
    "\"description\":\"the session is unknown or ended: initialize again\"}}},\"delete\":{"
    "\"summary\":\"End the MCP session named by Mcp-Session-Id\",\"operationId\":\"mcpEnd"
    "Session\",\"security\":[{\"ApiKey\":[]},{\"Bearer\":[]},{}],\"responses\":{\"204\":{"
    "\"description\":\"ended\"},\"404\":{\"description\":\"no such session\"}}}}";

cJSON *mv_openapi_document(void)
{
    cJSON *doc = cJSON_Parse(MV_OPENAPI_JSON);
    cJSON *info = cJSON_GetObjectItemCaseSensitive(doc, "info");
    cJSON *paths = cJSON_GetObjectItemCaseSensitive(doc, "paths");
    cJSON *schemas = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(doc, "components"), "schemas");
    if (info == NULL || paths == NULL || schemas == NULL) {
        cJSON_Delete(doc);
        return NULL;
    }
    cJSON_ReplaceItemInObjectCaseSensitive(info, "version",
                                           cJSON_CreateString(maivid_version_string()));
    cJSON_ReplaceItemInObjectCaseSensitive(schemas, "CreateRequest", mv_openapi_create_request());
    mv_openapi_add_song(doc, schemas);
    cJSON_AddItemToObject(paths, "/mcp", cJSON_Parse(MV_OPENAPI_MCP_JSON));
    mv_openapi_add_studio(doc);
    return doc;
}

int mv_handle_openapi(mv_request *req)
{
    cJSON *doc = mv_openapi_document();
    if (doc == NULL) {
        return mv_reply_error(req, 500, NULL, "the OpenAPI document could not be built");
    }
    return mv_reply_cjson(req, 200, doc);
}
