/*
 * mv_png_reader.c - row-at-a-time PNG reading with libpng (see mv_png_reader.h). libpng
 * reports errors by longjmp: every call into it sits behind a setjmp in this file, and its
 * words come back as the reason in the caller's mv_error.
 */
#include "render/mv_png_reader.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mv_png_reader {
    FILE *file;
    png_structp png;
    png_infop info;
    mv_png_header header;
    uint8_t *scratch; /* one row, for rows read and dropped */
    int next_row;
    int spent;
    char reason[256];
};

static void mv_png_on_error(png_structp png, png_const_charp message)
{
    mv_png_reader *r = png_get_error_ptr(png);
    snprintf(r->reason, sizeof r->reason, "%s", message && *message ? message : "damaged");
    png_longjmp(png, 1);
}

static void mv_png_on_warning(png_structp png, png_const_charp message)
{
    (void)png; /* the library never prints; a warning is not a failure */
    (void)message;
}

static void mv_png_on_read(png_structp png, png_bytep data, size_t length)
{
    mv_png_reader *r = png_get_io_ptr(png);
    if (fread(data, 1, length, r->file) != length)
        png_error(png, ferror(r->file) ? "the file cannot be read" : "the file ends early");
}

void mv_png_reader_close(mv_png_reader *r)
{
    if (!r)
        return;
    if (r->png)
        png_destroy_read_struct(&r->png, r->info ? &r->info : NULL, NULL);
    if (r->file)
        fclose(r->file);
    free(r->scratch);
    free(r);
}

maivid_code mv_png_reader_open(mv_png_reader **out, const char *path, mv_error *err)
{
    *out = NULL;
    mv_png_reader *r = calloc(1, sizeof *r);
    if (!r)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    r->file = fopen(path, "rb");
    if (!r->file) {
        int e = errno;
        free(r);
        return mv_fail(err, MAIVID_E_NOT_FOUND, "%s", strerror(e));
    }
    uint8_t sig[8];
    if (fread(sig, 1, sizeof sig, r->file) != sizeof sig || png_sig_cmp(sig, 0, sizeof sig)) {
        mv_png_reader_close(r);
        return mv_fail(err, MAIVID_E_MEDIA, "not a PNG file");
    }
    r->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, r, mv_png_on_error,
                                    mv_png_on_warning);
    r->info = r->png ? png_create_info_struct(r->png) : NULL;
    if (!r->info) {
        mv_png_reader_close(r);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    }
    if (setjmp(png_jmpbuf(r->png))) {
        maivid_code rc = mv_fail(err, MAIVID_E_MEDIA, "%s", r->reason);
        mv_png_reader_close(r);
        return rc;
    }
    png_set_read_fn(r->png, r, mv_png_on_read);
    png_set_sig_bytes(r->png, (int)sizeof sig);
    png_read_info(r->png, r->info);
    png_uint_32 w = 0, h = 0;
    int depth = 0, interlace = 0;
    png_get_IHDR(r->png, r->info, &w, &h, &depth, NULL, &interlace, NULL, NULL);
    r->header.width = (int)w; /* libpng's limits keep both under a million */
    r->header.height = (int)h;
    r->header.bit_depth = depth;
    r->header.channels = png_get_channels(r->png, r->info);
    r->header.interlaced = interlace != PNG_INTERLACE_NONE;
    r->header.row_bytes = png_get_rowbytes(r->png, r->info);
    r->scratch = malloc(r->header.row_bytes ? r->header.row_bytes : 1);
    if (!r->scratch) {
        mv_png_reader_close(r);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    }
    *out = r;
    return MAIVID_OK;
}

const mv_png_header *mv_png_reader_header(const mv_png_reader *r)
{
    return &r->header;
}

maivid_code mv_png_reader_rows(mv_png_reader *r, uint8_t *rows, size_t stride, int count,
                               mv_error *err)
{
    if (r->spent)
        return mv_fail(err, MAIVID_E_MEDIA, "%s", r->reason);
    if (r->header.interlaced)
        return mv_fail(err, MAIVID_E_MEDIA, "an interlaced PNG cannot be read row by row");
    if (count < 0 || count > r->header.height - r->next_row)
        return mv_fail(err, MAIVID_E_INVALID, "rows past the end of the picture");
    if (setjmp(png_jmpbuf(r->png))) {
        r->spent = 1;
        return mv_fail(err, MAIVID_E_MEDIA, "%s", r->reason);
    }
    for (int i = 0; i < count; i++) {
        png_read_row(r->png, rows ? rows + (size_t)i * stride : r->scratch, NULL);
        r->next_row++;
    }
    return MAIVID_OK;
}
