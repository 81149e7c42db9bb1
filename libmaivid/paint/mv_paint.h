/*
 * mv_paint.h - the built-in painter (model id "procedural"): a deterministic illustrator that
 * paints a scene from its prompt words and the style's palette, offline, in well under a
 * second per 1080p image.
 */
#ifndef MV_PAINT_H
#define MV_PAINT_H

#include <stdint.h>

#include "util/mv_common.h"

typedef struct mv_paint_request {
    const char *prompt;   /* the scene prompt (words drive sky, place, light, colours) */
    const char *style_id; /* palette and mood from mv_style_find(); NULL: cinematic */
    uint64_t seed;        /* composition varies with the seed; same input, same pixels */
    int width, height;    /* pixels to paint */
} mv_paint_request;

/* Names the painter's pictures in the image cache: change it whenever the same request paints
 * different pixels, so a cache never serves an older painter's picture. */
#define MV_PAINT_CACHE_ID "procedural-4-layers"
/* The memory one painting holds: ~31 bytes a pixel (two float canvases, a layer, the flat
 * picture), 94 MB at 2304x1296 (1080p with the camera's headroom). */
#define MV_PAINT_BYTES_PER_PIXEL 31

/* What a painting shows: the subjects drawn, most prominent first, and the lyric's content
 * words that name nothing the painter can draw. */
#define MV_PAINT_LIST_MAX 16
typedef struct mv_paint_subjects {
    char drawn[MV_PAINT_LIST_MAX][24];
    int drawn_count;
    char unmatched[MV_PAINT_LIST_MAX][24];
    int unmatched_count;
} mv_paint_subjects;

/* Says what mv_paint_rgb() paints for this request, without painting (size may be 0). */
maivid_code mv_paint_describe(const mv_paint_request *req, mv_paint_subjects *out,
                              mv_error *err);

/* Paints into a malloc'd RGB24 buffer (width*height*3 bytes, rows packed). */
maivid_code mv_paint_rgb(const mv_paint_request *req, uint8_t **rgb_out, mv_error *err);
/* Paints the flat RGB24 picture and its depth layers (mv_layer_stack.h: MV_LAYER_COUNT RGBA
 * pictures stacked top to bottom, back to front), both malloc'd. */
maivid_code mv_paint_layers_rgba(const mv_paint_request *req, uint8_t **flat_rgb,
                                 uint8_t **stack_rgba, mv_error *err);
/* Paints and writes the flat PNG at path and the layer stack PNG at layers_path (layers
 * first, both atomically, each layer's rows as soon as it is painted). */
maivid_code mv_paint_to_png_layers(const mv_paint_request *req, const char *path,
                                   const char *layers_path, mv_error *err);
/* The same with a task (may be NULL): progress after each layer, and cancel between layers
 * (MAIVID_E_CANCELLED, no file written). */
maivid_code mv_paint_to_png_layers_task(const mv_paint_request *req, const char *path,
                                        const char *layers_path, const mv_task *task,
                                        mv_error *err);
/* Paints and writes a PNG at path (atomically). */
maivid_code mv_paint_to_png(const mv_paint_request *req, const char *path, mv_error *err);

/* The painter backend's threads per batch (state: mv_images_backend_state() of
 * mv_paint_backend_ops); 0, the default, chooses from the CPUs and the memory budget. */
void mv_paint_backend_set_workers(void *state, int workers);

#endif /* MV_PAINT_H */
