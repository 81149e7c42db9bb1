/*
 * mv_png_writer.c - the painter's PNG writer (mv_png_writer.h): libpng, a row at a time, into
 * an atomic temp file. Fast rather than small (the pictures are intermediate files the render
 * reads once or twice): zlib level 1 and the "up" row filter (measured against "sub", the
 * filter libavcodec's encoder used before, "none" and "paeth": as fast as the fastest and
 * 5-8 % smaller files; bench/README.md, issue 15 session 5). libpng reports errors by
 * longjmp: every setjmp of the project's PNG writing is in this file, one per libpng call
 * site, and nothing else in the library sees it.
 */
#include "paint/mv_png_writer.h"

#include <errno.h>
#include <png.h>
#include <stdlib.h>
#include <string.h>

#define MV_PNG_LEVEL 1
#define MV_PNG_FILTER PNG_FILTER_UP
#define MV_PNG_IO_BUFFER (256 * 1024)

struct mv_png_writer {
    png_structp png;
    png_infop info;
    FILE *file;
    int width, height, channels, rows_done;
    char message[256]; /* libpng's last error */
    char path[4096], tmp[4200];
};

static void mv_png_on_error(png_structp png, png_const_charp message)
{
    mv_png_writer *w = png_get_error_ptr(png);
    mv_strlcpy(w->message, message ? message : "libpng error", sizeof w->message);
    png_longjmp(png, 1);
}

static void mv_png_on_warning(png_structp png, png_const_charp message)
{
    (void)png;
    (void)message; /* nothing a caller could act on */
}

/* The error for a libpng failure: the write's own reason (disk full...) when there is one. */
static maivid_code mv_png_fail(mv_png_writer *w, mv_error *err)
{
    int e = ferror(w->file) ? errno : 0;
    return mv_fail(err, MAIVID_E_IO, "cannot write the PNG '%s': %s%s%s%s", w->path,
                   w->message, e ? " (" : "", e ? strerror(e) : "",
                   e ? "; free some disk space, or choose a folder on a disk with room)" : "");
}

static void mv_png_free(mv_png_writer *w)
{
    png_destroy_write_struct(&w->png, &w->info);
    free(w);
}

/* Writes the PNG header; 0 or -1 (w->message says why). */
static int mv_png_start(mv_png_writer *w)
{
    if (setjmp(png_jmpbuf(w->png)))
        return -1;
    png_init_io(w->png, w->file);
    png_set_IHDR(w->png, w->info, (png_uint_32)w->width, (png_uint_32)w->height, 8,
                 w->channels == 4 ? PNG_COLOR_TYPE_RGBA : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(w->png, MV_PNG_LEVEL);
    png_set_filter(w->png, PNG_FILTER_TYPE_BASE, MV_PNG_FILTER);
    png_set_compression_buffer_size(w->png, MV_PNG_IO_BUFFER);
    png_write_info(w->png, w->info);
    return 0;
}

maivid_code mv_png_writer_open(mv_png_writer **out, const char *path, int width, int height,
                               int alpha, mv_error *err)
{
    *out = NULL;
    if (width <= 0 || height <= 0 || width > 65535 || height > 1000000)
        return mv_fail(err, MAIVID_E_INVALID, "cannot write a %dx%d PNG at '%s': the size is "
                       "out of range", width, height, path);
    mv_png_writer *w = calloc(1, sizeof *w);
    if (!w)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory starting the PNG '%s'", path);
    mv_strlcpy(w->path, path, sizeof w->path);
    w->width = width;
    w->height = height;
    w->channels = alpha ? 4 : 3;
    w->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, w, mv_png_on_error,
                                     mv_png_on_warning);
    w->info = w->png ? png_create_info_struct(w->png) : NULL;
    if (!w->png || !w->info) {
        mv_png_free(w);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory starting the PNG '%s'", path);
    }
    w->file = mv_atomic_open(path, w->tmp, sizeof w->tmp, err);
    if (!w->file) {
        mv_png_free(w);
        return err ? err->code : MAIVID_E_IO;
    }
    (void)setvbuf(w->file, NULL, _IOFBF, MV_PNG_IO_BUFFER);
    if (mv_png_start(w) != 0) {
        maivid_code rc = mv_png_fail(w, err);
        mv_png_writer_abort(w);
        return rc;
    }
    *out = w;
    return MAIVID_OK;
}

static int mv_png_put_rows(mv_png_writer *w, const uint8_t *rows, int count)
{
    if (setjmp(png_jmpbuf(w->png)))
        return -1;
    size_t stride = (size_t)w->width * (size_t)w->channels;
    for (int y = 0; y < count; y++)
        png_write_row(w->png, rows + (size_t)y * stride);
    return 0;
}

maivid_code mv_png_writer_rows(mv_png_writer *w, const uint8_t *rows, int count,
                               mv_error *err)
{
    if (count < 0 || count > w->height - w->rows_done)
        return mv_fail(err, MAIVID_E_INTERNAL, "%d more rows for the PNG '%s' than its %d",
                       count, w->path, w->height);
    if (mv_png_put_rows(w, rows, count) != 0)
        return mv_png_fail(w, err);
    w->rows_done += count;
    return MAIVID_OK;
}

static int mv_png_end(mv_png_writer *w)
{
    if (setjmp(png_jmpbuf(w->png)))
        return -1;
    png_write_end(w->png, NULL);
    return 0;
}

maivid_code mv_png_writer_close(mv_png_writer *w, mv_error *err)
{
    maivid_code rc;
    if (w->rows_done != w->height)
        rc = mv_fail(err, MAIVID_E_INTERNAL, "the PNG '%s' got %d of its %d rows", w->path,
                     w->rows_done, w->height);
    else if (mv_png_end(w) != 0)
        rc = mv_png_fail(w, err);
    else {
        rc = mv_atomic_commit(w->file, w->tmp, w->path, err);
        w->file = NULL; /* closed (and on failure removed) by the commit */
        mv_png_free(w);
        return rc;
    }
    mv_png_writer_abort(w);
    return rc;
}

void mv_png_writer_abort(mv_png_writer *w)
{
    if (!w)
        return;
    if (w->file)
        mv_atomic_abort(w->file, w->tmp);
    mv_png_free(w);
}

maivid_code mv_png_write_file(const uint8_t *pixels, int width, int height, int alpha,
                              const char *path, mv_error *err)
{
    mv_png_writer *w = NULL;
    maivid_code rc = mv_png_writer_open(&w, path, width, height, alpha, err);
    if (rc == MAIVID_OK)
        rc = mv_png_writer_rows(w, pixels, height, err);
    if (rc == MAIVID_OK)
        return mv_png_writer_close(w, err);
    mv_png_writer_abort(w);
    return rc;
}
