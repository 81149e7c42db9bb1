/*
 * paint_preview.c - paints prompts with the built-in painter into one contact sheet PNG (four
 * pictures a row), to look at the painter's work:
 *
 *   paint_preview SHEET.png STYLE SEED WIDTH HEIGHT "prompt one" ["prompt two" ...]
 *
 * the i-th prompt is painted with seed SEED + i at WIDTH x HEIGHT; with SEED "-" each prompt
 * is written "SEED|prompt" (a storyboard's scenes); STYLE may be a comma-separated list, the
 * i-th prompt taking the i-th style (cycling).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paint/mv_paint_internal.h"

int main(int argc, char **argv)
{
    if (argc < 7) {
        fprintf(stderr, "usage: paint_preview SHEET.png STYLE SEED WIDTH HEIGHT PROMPT...\n");
        return 2;
    }
    long long seed = atoll(argv[3]);
    int w = atoi(argv[4]), h = atoi(argv[5]), n = argc - 6, cols = n < 4 ? n : 4;
    int rows = (n + cols - 1) / cols, sw = cols * (w + 4), sh = rows * (h + 4);
    uint8_t *sheet = calloc((size_t)sw * (size_t)sh * 3, 1);
    if (!sheet)
        return 1;
    for (int i = 0; i < n; i++) {
        const char *prompt = argv[6 + i];
        long long scene_seed = seed + i;
        if (strcmp(argv[3], "-") == 0) {
            scene_seed = atoll(prompt);
            prompt = strchr(prompt, '|') ? strchr(prompt, '|') + 1 : prompt;
        }
        char style[64];
        const char *list = argv[2];
        int styles = 1;
        for (const char *p = list; *p; p++)
            styles += *p == ',';
        for (int k = i % styles; k > 0; k--)
            list = strchr(list, ',') + 1;
        size_t len = strcspn(list, ",");
        snprintf(style, sizeof style, "%.*s", (int)len, list);
        mv_paint_request req = {prompt, style, (uint64_t)scene_seed, w, h};
        mv_error err;
        uint8_t *rgb = NULL;
        if (mv_paint_rgb(&req, &rgb, &err) != MAIVID_OK) {
            fprintf(stderr, "paint_preview: %s\n", err.message);
            free(sheet);
            return 1;
        }
        int ox = (i % cols) * (w + 4) + 2, oy = (i / cols) * (h + 4) + 2;
        for (int y = 0; y < h; y++)
            memcpy(sheet + ((size_t)(oy + y) * (size_t)sw + (size_t)ox) * 3,
                   rgb + (size_t)y * (size_t)w * 3, (size_t)w * 3);
        free(rgb);
    }
    mv_error err;
    int rc = mv_paint_png_write(sheet, sw, sh, argv[1], &err) == MAIVID_OK ? 0 : 1;
    if (rc)
        fprintf(stderr, "paint_preview: %s\n", err.message);
    free(sheet);
    return rc;
}
