/*
 * handlers_scenes.c - GET /api/convo_pilot/video/{id}/scenes?n=N: the image of scene N
 * (1-based, as the storyboard counts them) once the scene_generation stage has made it, so a
 * client can show the storyboard filling in; 404 JSON before that. Read-only.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "server.h"

int mv_handle_scene_image(mv_request *req)
{
    char text[16];
    char *end = NULL;
    long n = mv_request_query(req, "n", text, sizeof(text)) ? strtol(text, &end, 10) : 0;
    if (end == NULL || end == text || *end != '\0' || n < 1 || n > 1000) {
        return mv_reply_error(req, 400, "n",
                              "n must be the scene's number, from 1 (e.g. ?n=1)");
    }
    maivid_status *status = NULL;
    int rc = mv_job_lookup(req, &status);
    if (rc != 0) {
        return rc;
    }
    char path[4200];
    snprintf(path, sizeof(path), "%s/scenes/scene_%03ld.png", maivid_status_job_dir(status), n);
    int total = maivid_status_total_scenes(status);
    maivid_status_free(status);
    struct stat info;
    if (stat(path, &info) != 0) {
        return mv_reply_error(req, 404, NULL,
                              "scene %ld of job %s has no image yet (%d scenes planned): images "
                              "appear during scene_generation; watch processed_scenes",
                              n, req->job_id, total);
    }
    return mv_send_file(req, path, "image/png", "scene image");
}
