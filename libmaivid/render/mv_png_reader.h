/*
 * mv_png_reader.h - reads a PNG with libpng a few rows at a time into the caller's buffers:
 * neither the file's bytes nor the whole picture are ever in memory (the render reads a
 * scene's stacked depth layers this way, one layer band at a time). Rows come as they are
 * stored (no conversion); interlaced files cannot be read row by row and are refused.
 */
#ifndef MV_PNG_READER_H
#define MV_PNG_READER_H

#include <stddef.h>
#include <stdint.h>

#include "util/mv_common.h"

typedef struct mv_png_reader mv_png_reader;

/* What the file's header says. */
typedef struct mv_png_header {
    int width, height;
    int bit_depth;  /* bits per sample */
    int channels;   /* samples per pixel: 1 grey or palette, 2 grey + alpha, 3 RGB, 4 RGBA */
    int interlaced; /* Adam7: not readable row by row */
    size_t row_bytes;
} mv_png_header;

/* Opens path and reads its header. On failure err's message is only the reason (no path,
 * e.g. "not a PNG file" or libpng's own words), for the caller to put in its own message:
 * MAIVID_E_NOT_FOUND when the file cannot be opened, MAIVID_E_MEDIA when it is no PNG or
 * its header is damaged, MAIVID_E_NOMEM. */
maivid_code mv_png_reader_open(mv_png_reader **out, const char *path, mv_error *err);
const mv_png_header *mv_png_reader_header(const mv_png_reader *r);
/* Reads the next `count` rows, top to bottom, each row_bytes long, `stride` bytes apart
 * (NULL rows: read and dropped). MAIVID_E_MEDIA with the reason (e.g. "the file ends
 * early", a damaged compressed stream) when they cannot be read; the reader is then spent. */
maivid_code mv_png_reader_rows(mv_png_reader *r, uint8_t *rows, size_t stride, int count,
                               mv_error *err);
/* Closes the file and frees r (NULL is fine). */
void mv_png_reader_close(mv_png_reader *r);

#endif /* MV_PNG_READER_H */
