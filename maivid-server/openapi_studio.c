/*
 * openapi_studio.c - the OpenAPI description of the endpoints MaiVid Studio uses beyond the
 * spec's: the status as Server-Sent Events, the audio upload and the scene images; merged
 * into the document by openapi.c. The upload's form fields are the create request's, so its
 * schema refers to CreateRequest (built from the parameter table).
 */
#include <cjson/cJSON.h>

#include "server.h"

static const char MV_OPENAPI_STUDIO_JSON[] =
    "{\"/api/convo_pilot/video/{job_id}/events\":{\"get\":{\"summary\":\"The job status as "
    "Server-Sent Events\",\"description\":\"text/event-stream: `retry:` first, then one event "
    "`status` per change of the status, whose data is the status endpoint's JSON and whose id "
    "names that status; comment lines (`: heartbeat`) at least every 15 s. The stream ends "
    "after the terminal status (completed, failed, cancelled), after max_seconds, or when the "
    "server stops; reconnect with Last-Event-ID to get only a newer status. Once the job has "
    "ended and Last-Event-ID is its last status the answer is 204, which stops EventSource. "
    "An event `gone` says the job was deleted. At most half the HTTP workers stream at once "
    "(503 with Retry-After above that: poll the status instead).\",\"operationId\":\"stream"
    "VideoStatus\",\"security\":[{\"ApiKey\":[]},{\"Bearer\":[]},{}],\"parameters\":[{\"name\""
    ":\"job_id\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\",\"pattern\":"
    "\"^job_[0-9]{8}_[0-9]{6}_[0-9a-f]{8}$\"}},{\"name\":\"Last-Event-ID\",\"in\":\"header\","
    "\"required\":false,\"schema\":{\"type\":\"string\"}},{\"name\":\"max_seconds\",\"in\":"
    "\"query\",\"required\":false,\"schema\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":"
    "300,\"default\":300},\"description\":\"end the stream after this long (the client "
    "reconnects)\"}],\"responses\":{\"200\":{\"description\":\"The event stream\",\"content\":"
    "{\"text/event-stream\":{\"schema\":{\"type\":\"string\"}}}},\"204\":{\"description\":\"The"
    " job has ended and the client has its last status\"},\"400\":{\"$ref\":\"#/components/res"
    "ponses/Error\"},\"401\":{\"$ref\":\"#/components/responses/Error\"},\"404\":{\"$ref\":\"#/"
    "components/responses/Error\"},\"503\":{\"$ref\":\"#/components/responses/Error\"}}}},"
    "\"/api/convo_pilot/upload\":{\"post\":{\"summary\":\"Start a video job from an uploaded "
    "audio file\",\"description\":\"multipart/form-data: the audio as the part `file`, and the "
    "create request's fields (except url) as text parts. The file is checked as a downloaded "
    "song is (the same size cap, audio by its first bytes, then decoded), kept in the job's "
    "source/ folder, and the job runs as one made from a link.\",\"operationId\":\"uploadVideo"
    "\",\"security\":[{\"ApiKey\":[]},{\"Bearer\":[]},{}],\"requestBody\":{\"required\":true,"
    "\"content\":{\"multipart/form-data\":{\"schema\":{\"allOf\":[{\"$ref\":\"#/components/"
    "schemas/CreateRequest\"},{\"type\":\"object\",\"required\":[\"file\"],\"properties\":{"
    "\"file\":{\"type\":\"string\",\"format\":\"binary\"}}}]}}}},\"responses\":{\"202\":{"
    "\"description\":\"Job queued (job_info.filename is the uploaded file's name)\",\"content"
    "\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/CreateReply\"}}}},"
    "\"400\":{\"$ref\":\"#/components/responses/Error\"},\"401\":{\"$ref\":\"#/components/res"
    "ponses/Error\"},\"413\":{\"$ref\":\"#/components/responses/Error\"},\"415\":{\"$ref\":\"#/"
    "components/responses/Error\"},\"429\":{\"$ref\":\"#/components/responses/Error\"}}}},"
    "\"/api/convo_pilot/video/{job_id}/scenes\":{\"get\":{\"summary\":\"A scene's image, once "
    "made (during scene_generation; see job_status.scenes[].state)\",\"operationId\":\"getScene"
    "Image\",\"security\":[{\"ApiKey\":[]},{\"Bearer\":[]},{}],\"parameters\":[{\"name\":\"job_"
    "id\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\",\"pattern\":\"^job_"
    "[0-9]{8}_[0-9]{6}_[0-9a-f]{8}$\"}},{\"name\":\"n\",\"in\":\"query\",\"required\":true,\"sc"
    "hema\":{\"type\":\"integer\",\"minimum\":1},\"description\":\"the scene's number, from 1\""
    "}],\"responses\":{\"200\":{\"description\":\"The image\",\"content\":{\"image/png\":{\"sch"
    "ema\":{\"type\":\"string\",\"format\":\"binary\"}}}},\"400\":{\"$ref\":\"#/components/resp"
    "onses/Error\"},\"401\":{\"$ref\":\"#/components/responses/Error\"},\"404\":{\"$ref\":\"#/c"
    "omponents/responses/Error\"}}}}}";

void mv_openapi_add_studio(cJSON *doc)
{
    cJSON *paths = cJSON_GetObjectItemCaseSensitive(doc, "paths");
    cJSON *studio = cJSON_Parse(MV_OPENAPI_STUDIO_JSON);
    cJSON *path = studio != NULL ? studio->child : NULL;
    while (paths != NULL && path != NULL) {
        cJSON *next = path->next;
        cJSON_AddItemToObject(paths, path->string,
                              cJSON_DetachItemViaPointer(studio, path));
        path = next;
    }
    cJSON_Delete(studio);
}
