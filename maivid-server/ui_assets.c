/*
 * ui_assets.c - serves MaiVid Studio: GET / is the page (ui/index.html), GET /ui/<file> its
 * scripts and styles, all from the binary (no files on disk, no CDN). --no-ui turns it off
 * (404 like any unknown path). The page is public; its API calls carry the key.
 */
#include <string.h>

#include "server.h"
#include "ui_assets.h"

static const mv_ui_asset *mv_ui_find(const char *path)
{
    for (size_t i = 0; i < MV_UI_ASSET_COUNT; i++) {
        if (strcmp(MV_UI_ASSETS[i].path, path) == 0) {
            return &MV_UI_ASSETS[i];
        }
    }
    return NULL;
}

int mv_ui_dispatch(mv_request *req)
{
    if (req->server->opts->no_ui) {
        return 0;
    }
    const char *path = req->path;
    if (strcmp(path, "/") == 0 || strcmp(path, "/index.html") == 0 ||
        strcmp(path, "/ui") == 0) {
        path = "/ui/index.html";
    } else if (strncmp(path, "/ui/", 4) != 0) {
        return 0;
    }
    const mv_ui_asset *asset = mv_ui_find(path);
    if (asset == NULL) {
        return 0;
    }
    if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
        return mv_reply_error(req, 405, NULL, "%s is not allowed on %s: use GET", req->method,
                              req->path);
    }
    int must_close = mv_request_discard_body(req);
    mg_printf(req->conn,
              "HTTP/1.1 200 OK\r\n"
              "Content-Type: %s\r\n"
              "Content-Length: %zu\r\n"
              "Cache-Control: no-cache\r\n"
              "X-Content-Type-Options: nosniff\r\n"
              "Content-Security-Policy: default-src 'self'; img-src 'self' data: blob:; "
              "media-src 'self' blob:; style-src 'self'; script-src 'self'; "
              "connect-src 'self'; frame-ancestors 'none'\r\n"
              "Referrer-Policy: no-referrer\r\n"
              "%s\r\n",
              asset->content_type, asset->size, must_close ? "Connection: close\r\n" : "");
    if (strcmp(req->method, "HEAD") != 0) {
        mg_write(req->conn, asset->data, asset->size);
    }
    return 200;
}
