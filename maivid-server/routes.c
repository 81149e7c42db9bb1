/*
 * routes.c - maps method + path to a handler: one CivetWeb handler sees every request, finds
 * the route (404 unknown path, 405 wrong method with Allow), checks the API key (401),
 * answers CORS preflights, and calls the handler with the {id} path segment captured.
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "server.h"

typedef int (*mv_handler)(mv_request *req);

typedef struct mv_route {
    const char *method;
    const char *pattern; /* "{id}" matches one path segment */
    mv_handler handler;
    int needs_key;       /* 1: the API key (if set) is required */
} mv_route;

static const mv_route MV_ROUTES[] = {
    {"POST", "/api/convo_pilot/video", mv_handle_create, 1},
    {"GET", "/api/convo_pilot/video/progress/{id}", mv_handle_progress, 1},
    {"GET", "/api/convo_pilot/video/{id}", mv_handle_status, 1},
    {"DELETE", "/api/convo_pilot/video/{id}", mv_handle_delete, 1},
    {"POST", "/api/convo_pilot/video/{id}/cancel", mv_handle_cancel, 1},
    {"GET", "/api/convo_pilot/video/{id}/file", mv_handle_video_file, 1},
    {"GET", "/api/convo_pilot/video/{id}/thumbnail", mv_handle_thumbnail, 1},
    {"GET", "/api/convo_pilot/video/{id}/cover", mv_handle_cover, 1},
    {"GET", "/api/convo_pilot/video/{id}/storyboard", mv_handle_storyboard, 1},
    {"GET", "/api/convo_pilot/video/{id}/captions.srt", mv_handle_captions, 1},
    {"GET", "/api/convo_pilot/video/{id}/captions.vtt", mv_handle_captions, 1},
    {"GET", "/api/convo_pilot/video/{id}/captions.lrc", mv_handle_captions, 1},
    {"GET", "/api/convo_pilot/video/{id}/captions.ass", mv_handle_captions, 1},
    {"GET", "/api/convo_pilot/videos", mv_handle_list, 1},
    {"GET", "/api/convo_pilot/video/{id}/events", mv_handle_events, 1},
    {"GET", "/api/convo_pilot/video/{id}/scenes", mv_handle_scene_image, 1},
    {"POST", "/api/convo_pilot/upload", mv_handle_upload, 1},
    {"GET", "/api/convo_pilot/models", mv_handle_models, 1},
    {"GET", "/api/convo_pilot/styles", mv_handle_styles, 1},
    {"GET", "/api/convo_pilot/transitions", mv_handle_transitions, 1},
    {"GET", "/api/convo_pilot/motions", mv_handle_motions, 1},
    {"GET", "/api/convo_pilot/aspect_ratios", mv_handle_aspect_ratios, 1},
    {"GET", "/api/convo_pilot/encoders", mv_handle_encoders, 1},
    {"GET", "/api/health", mv_handle_health, 0},
    {"GET", "/api/openapi.json", mv_handle_openapi, 0},
    {"POST", "/mcp", mv_handle_mcp, 1},
    {"DELETE", "/mcp", mv_handle_mcp_delete, 1},
};
#define MV_ROUTE_COUNT (sizeof(MV_ROUTES) / sizeof(MV_ROUTES[0]))

/* Matches `path` against `pattern`; on a match copies the {id} segment into id. */
static int mv_route_matches(const char *pattern, const char *path, char *id, size_t id_size)
{
    id[0] = '\0';
    while (*pattern != '\0' && *path != '\0') {
        if (strncmp(pattern, "{id}", 4) == 0) {
            size_t length = strcspn(path, "/");
            if (length == 0 || length >= id_size) {
                return 0;
            }
            memcpy(id, path, length);
            id[length] = '\0';
            pattern += 4;
            path += length;
            continue;
        }
        if (*pattern != *path) {
            return 0;
        }
        pattern++;
        path++;
    }
    return *pattern == '\0' && *path == '\0';
}

static int mv_reply_method_not_allowed(mv_request *req, const char *allowed)
{
    char header[160];
    snprintf(header, sizeof(header), "Allow: %s\r\n", allowed);
    char message[256];
    snprintf(message, sizeof(message), "%s is not allowed on %s: use %s", req->method,
             req->path, allowed);
    cJSON *body = cJSON_CreateObject();
    cJSON_AddFalseToObject(body, "success");
    cJSON_AddStringToObject(body, "error", message);
    cJSON_AddNumberToObject(body, "status", 405);
    char *text = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    if (text == NULL) {
        return mv_reply_error(req, 500, NULL, "out of memory");
    }
    int rc = mv_reply_json(req, 405, text, strlen(text), header);
    cJSON_free(text);
    return rc;
}

static int mv_reply_preflight(mv_request *req, const char *allowed)
{
    char header[160];
    snprintf(header, sizeof(header), "Allow: %s\r\nAccess-Control-Max-Age: 600\r\n", allowed);
    return mv_reply_json(req, 204, "", 0, header);
}

int mv_routes_dispatch(struct mg_connection *conn, void *server)
{
    mv_request req;
    memset(&req, 0, sizeof(req));
    req.conn = conn;
    req.info = mg_get_request_info(conn);
    req.server = server;
    req.method = req.info->request_method;
    char path[1024];
    snprintf(path, sizeof(path), "%s", req.info->local_uri != NULL ? req.info->local_uri : "/");
    size_t length = strlen(path);
    if (length > 1 && path[length - 1] == '/') {
        path[length - 1] = '\0';
    }
    req.path = path;
    int is_head = strcmp(req.method, "HEAD") == 0;

    char allowed[96] = "";
    const mv_route *found = NULL;
    for (size_t i = 0; i < MV_ROUTE_COUNT; i++) {
        char id[sizeof(req.job_id)];
        if (!mv_route_matches(MV_ROUTES[i].pattern, path, id, sizeof(id))) {
            continue;
        }
        if (strstr(allowed, MV_ROUTES[i].method) == NULL) {
            size_t used = strlen(allowed);
            snprintf(allowed + used, sizeof(allowed) - used, "%s%s", used > 0 ? ", " : "",
                     MV_ROUTES[i].method);
        }
        if (found == NULL && (strcmp(MV_ROUTES[i].method, req.method) == 0 ||
                              (is_head && strcmp(MV_ROUTES[i].method, "GET") == 0))) {
            found = &MV_ROUTES[i];
            memcpy(req.job_id, id, sizeof(id));
        }
    }
    if (allowed[0] == '\0') {
        int ui = mv_ui_dispatch(&req); /* the studio page, unless --no-ui */
        if (ui != 0) {
            return ui;
        }
        return mv_reply_error(&req, 404, NULL,
                              "no such endpoint: %s %s (see GET /api/openapi.json)", req.method,
                              path);
    }
    if (strcmp(req.method, "OPTIONS") == 0) {
        return mv_reply_preflight(&req, allowed);
    }
    if (found == NULL) {
        return mv_reply_method_not_allowed(&req, allowed);
    }
    if (found->needs_key && !mv_auth_check(&req)) {
        static const char UNAUTHORIZED[] =
            "{\"success\":false,\"error\":\"a valid API key is required: send it as "
            "X-API-Key: <key> or Authorization: Bearer <key>\",\"status\":401}";
        return mv_reply_json(&req, 401, UNAUTHORIZED, sizeof(UNAUTHORIZED) - 1,
                             "WWW-Authenticate: Bearer\r\n");
    }
    return found->handler(&req);
}
