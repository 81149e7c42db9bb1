/*
 * mcp_tools_list.c - tools/list: each MCP tool with its input and output JSON Schema, derived
 * from the OpenAPI document (whose create request comes from the parameter table), so the tools
 * take and give exactly what the API does; plus wait_seconds, the one MCP-only argument.
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mcp_tools.h"

/* The OpenAPI schema at doc.paths[path].get.responses["200"] content's JSON schema. */
static const cJSON *mv_openapi_reply_schema(const cJSON *doc, const char *path,
                                            const char *method, const char *status)
{
    const cJSON *node = cJSON_GetObjectItemCaseSensitive(doc, "paths");
    node = cJSON_GetObjectItemCaseSensitive(node, path);
    node = cJSON_GetObjectItemCaseSensitive(node, method);
    node = cJSON_GetObjectItemCaseSensitive(node, "responses");
    node = cJSON_GetObjectItemCaseSensitive(node, status);
    node = cJSON_GetObjectItemCaseSensitive(node, "content");
    node = cJSON_GetObjectItemCaseSensitive(node, "application/json");
    return cJSON_GetObjectItemCaseSensitive(node, "schema");
}

/* An output schema: the API reply's schema, plus the error members a failed call carries
 * (success false, error, field). */
static cJSON *mv_output_schema(const cJSON *doc, const cJSON *reply_schema)
{
    cJSON *schema = mv_mcp_schema_from_openapi(doc, reply_schema);
    cJSON *properties = cJSON_GetObjectItemCaseSensitive(schema, "properties");
    if (properties == NULL) {
        cJSON_Delete(schema);
        return NULL;
    }
    cJSON *error = cJSON_AddObjectToObject(properties, "error");
    cJSON_AddStringToObject(error, "type", "string");
    cJSON_AddStringToObject(error, "description", "when success is false: what went wrong "
                            "and the fix");
    cJSON *field = cJSON_AddObjectToObject(properties, "field");
    cJSON_AddStringToObject(field, "type", "string");
    cJSON_AddStringToObject(field, "description", "the argument at fault, if one is");
    cJSON_DeleteItemFromObjectCaseSensitive(schema, "required");
    cJSON *required = cJSON_AddArrayToObject(schema, "required");
    cJSON_AddItemToArray(required, cJSON_CreateString("success"));
    return schema;
}

static void mv_add_wait_property(cJSON *properties, const char *what)
{
    cJSON *wait = cJSON_AddObjectToObject(properties, "wait_seconds");
    cJSON_AddStringToObject(wait, "type", "number");
    cJSON_AddNumberToObject(wait, "minimum", 0);
    cJSON_AddNumberToObject(wait, "maximum", MV_MCP_MAX_WAIT_SECONDS);
    cJSON_AddNumberToObject(wait, "default", 0);
    char text[300];
    snprintf(text, sizeof(text),
             "MCP only: wait up to this many seconds for the job to end before answering (%s); "
             "with a progressToken the progress is sent as notifications meanwhile", what);
    cJSON_AddStringToObject(wait, "description", text);
}

/* {type: object, properties: {job_id}, required: [job_id]} with the API's job id schema. */
static cJSON *mv_job_id_input(const cJSON *doc, int with_wait)
{
    const cJSON *parameters = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(doc, "paths"), "/api/convo_pilot/video/{job_id}"),
            "get"),
        "parameters");
    const cJSON *id_schema = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(parameters, 0),
                                                              "schema");
    cJSON *schema = cJSON_CreateObject();
    cJSON_AddStringToObject(schema, "type", "object");
    cJSON *properties = cJSON_AddObjectToObject(schema, "properties");
    cJSON *job_id = mv_mcp_schema_from_openapi(doc, id_schema);
    if (job_id == NULL) {
        cJSON_Delete(schema);
        return NULL;
    }
    cJSON_AddStringToObject(job_id, "description",
                            "the job's id, as create_video_from_url returned it");
    cJSON_AddItemToObject(properties, "job_id", job_id);
    if (with_wait) {
        mv_add_wait_property(properties, "the status then is the final one");
    }
    cJSON *required = cJSON_AddArrayToObject(schema, "required");
    cJSON_AddItemToArray(required, cJSON_CreateString("job_id"));
    return schema;
}

static cJSON *mv_empty_input(void)
{
    cJSON *schema = cJSON_CreateObject();
    cJSON_AddStringToObject(schema, "type", "object");
    cJSON_AddObjectToObject(schema, "properties");
    return schema;
}

/* create_video_from_url: the create request (from the parameter table) plus wait_seconds. */
static cJSON *mv_create_input(const cJSON *doc)
{
    const cJSON *request = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "components"),
                                         "schemas"),
        "CreateRequest");
    cJSON *schema = mv_mcp_schema_from_openapi(doc, request);
    cJSON *properties = cJSON_GetObjectItemCaseSensitive(schema, "properties");
    if (properties == NULL) {
        cJSON_Delete(schema);
        return NULL;
    }
    mv_add_wait_property(properties, "the reply then also holds job_status");
    return schema;
}

/* create's output: the create reply plus job_status (present when it waited). */
static cJSON *mv_create_output(const cJSON *doc)
{
    const cJSON *reply = mv_openapi_reply_schema(doc, "/api/convo_pilot/video", "post", "202");
    cJSON *schema = mv_output_schema(doc, reply);
    cJSON *properties = cJSON_GetObjectItemCaseSensitive(schema, "properties");
    cJSON *status_reply = mv_mcp_schema_from_openapi(
        doc, mv_openapi_reply_schema(doc, "/api/convo_pilot/video/{job_id}", "get", "200"));
    cJSON *status = cJSON_DetachItemFromObjectCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(status_reply, "properties"), "job_status");
    cJSON_Delete(status_reply);
    if (properties == NULL || status == NULL) {
        cJSON_Delete(schema);
        cJSON_Delete(status);
        return NULL;
    }
    cJSON_AddItemToObject(properties, "job_status", status);
    return schema;
}

static cJSON *mv_tool(const char *name, const char *title, const char *description,
                      cJSON *input, cJSON *output, int read_only)
{
    cJSON *tool = cJSON_CreateObject();
    cJSON_AddStringToObject(tool, "name", name);
    cJSON_AddStringToObject(tool, "title", title);
    cJSON_AddStringToObject(tool, "description", description);
    cJSON_AddItemToObject(tool, "inputSchema", input);
    cJSON_AddItemToObject(tool, "outputSchema", output);
    cJSON *annotations = cJSON_AddObjectToObject(tool, "annotations");
    cJSON_AddStringToObject(annotations, "title", title);
    cJSON_AddBoolToObject(annotations, "readOnlyHint", read_only);
    cJSON_AddBoolToObject(annotations, "destructiveHint", 0);
    cJSON_AddBoolToObject(annotations, "openWorldHint", !read_only);
    if (input == NULL || output == NULL) {
        cJSON_Delete(tool);
        return NULL;
    }
    return tool;
}

cJSON *mv_mcp_tools_list(void)
{
    cJSON *doc = mv_openapi_document();
    if (doc == NULL) {
        return NULL;
    }
    cJSON *tools[] = {
        mv_tool("create_video_from_url", "Make a music video from a song link",
                "Starts a music video job for a song (a Suno share or song link, an audio "
                "file URL or a page that plays it). Only url is required; the rest default as "
                "the Convo Pilot API does. Answers with the job_id at once, or after waiting "
                "wait_seconds for the job to end.",
                mv_create_input(doc), mv_create_output(doc), 0),
        mv_tool("get_video_status", "Music video job status",
                "The job's status: stage, scene n of N, overall progress, ETA; when completed "
                "the video_url and thumbnail_url; when failed the error. wait_seconds waits "
                "for the end, sending progress notifications if asked.",
                mv_job_id_input(doc, 1),
                mv_output_schema(doc, mv_openapi_reply_schema(
                                          doc, "/api/convo_pilot/video/{job_id}", "get", "200")),
                1),
        mv_tool("cancel_video", "Cancel a music video job",
                "Cancels a queued or running job (an ended job is left as it is).",
                mv_job_id_input(doc, 0),
                mv_output_schema(doc, mv_openapi_reply_schema(
                                          doc, "/api/convo_pilot/video/{job_id}/cancel",
                                          "post", "200")),
                0),
        mv_tool("list_models", "Image models",
                "The image models (model_type values), each with usable and, when it cannot "
                "run now, unusable_reason with the fix.",
                mv_empty_input(),
                mv_output_schema(doc, mv_openapi_reply_schema(doc, "/api/convo_pilot/models",
                                                              "get", "200")),
                1),
        mv_tool("list_styles", "Visual styles", "The visual styles (style values).",
                mv_empty_input(),
                mv_output_schema(doc, mv_openapi_reply_schema(doc, "/api/convo_pilot/styles",
                                                              "get", "200")),
                1),
    };
    cJSON_Delete(doc);
    cJSON *result = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(result, "tools");
    int complete = 1;
    for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
        if (tools[i] == NULL) {
            complete = 0;
            continue;
        }
        cJSON_AddItemToArray(list, tools[i]);
    }
    if (!complete) {
        cJSON_Delete(result);
        return NULL;
    }
    return result;
}
