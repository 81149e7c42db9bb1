/*
 * mv_paint_png.c - writes a painting (RGB, or RGBA for a layer stack) as PNG: libpng a row at
 * a time straight from the painted buffer (mv_png_writer.c), atomically (temp file and
 * rename) so no half-written image is ever seen at the final path.
 */
#include "paint/mv_paint_internal.h"

#include <stdlib.h>

#include "paint/mv_png_writer.h"

maivid_code mv_paint_png_write(const uint8_t *rgb, int width, int height, const char *path,
                               mv_error *err)
{
    return mv_png_write_file(rgb, width, height, 0, path, err);
}

maivid_code mv_paint_png_write_rgba(const uint8_t *rgba, int width, int height,
                                    const char *path, mv_error *err)
{
    return mv_png_write_file(rgba, width, height, 1, path, err);
}

maivid_code mv_paint_to_png(const mv_paint_request *req, const char *path, mv_error *err)
{
    if (!path || !*path)
        return mv_fail(err, MAIVID_E_INVALID, "no output path for the painted PNG; pass a file "
                                              "path");
    uint8_t *rgb = NULL;
    maivid_code rc = mv_paint_rgb(req, &rgb, err);
    if (rc != MAIVID_OK)
        return rc;
    rc = mv_paint_png_write(rgb, req->width, req->height, path, err);
    free(rgb);
    return rc;
}
