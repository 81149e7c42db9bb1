/*
 * mv_png_writer.h - writes a PNG (RGB24 or RGBA, 8 bits) with libpng a few rows at a time,
 * straight from the caller's buffers, into a temp file that becomes the final path only
 * when the whole picture is written (mv_files.c's atomic stream): neither the picture nor
 * its encoded bytes are ever whole in memory.
 */
#ifndef MV_PNG_WRITER_H
#define MV_PNG_WRITER_H

#include <stdint.h>

#include "util/mv_common.h"

typedef struct mv_png_writer mv_png_writer;

/* Starts a width x height PNG (alpha 0: RGB24, 1: RGBA) bound for path. */
maivid_code mv_png_writer_open(mv_png_writer **out, const char *path, int width, int height,
                               int alpha, mv_error *err);
/* Appends `count` packed rows (width * 3 or 4 bytes each), top to bottom. */
maivid_code mv_png_writer_rows(mv_png_writer *w, const uint8_t *rows, int count,
                               mv_error *err);
/* After the last row: ends the PNG and moves it to its path. Frees w either way; on failure
 * nothing is left at the path nor beside it. */
maivid_code mv_png_writer_close(mv_png_writer *w, mv_error *err);
/* Gives up: removes the temp file and frees w (NULL is fine). */
void mv_png_writer_abort(mv_png_writer *w);

/* One call: a whole packed picture to path (the rows as they are, no copy). */
maivid_code mv_png_write_file(const uint8_t *pixels, int width, int height, int alpha,
                              const char *path, mv_error *err);

#endif /* MV_PNG_WRITER_H */
