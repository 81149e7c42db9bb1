/*
 * mv_styles.h - the visual styles catalog: for each style its prompt text, negative prompt,
 * colour palette (used by the built-in painter), motion energy (used by the planner and
 * the renderer to choose calmer or livelier motion) and the look of its burned-in captions.
 */
#ifndef MV_STYLES_H
#define MV_STYLES_H

#include <stddef.h>
#include <stdint.h>

#include "catalog/mv_catalog.h"

#define MV_STYLE_PALETTE_SIZE 5

/* How a style's captions look: a font family from the Debian font packages that
 * scripts/install-deps.sh installs (found through fontconfig; glyphs it lacks, CJK say, fall
 * back to another installed font) and 0xRRGGBB colours. `text` and `highlight` (the sung word
 * in karaoke) both keep a contrast of at least 4.5:1 against `outline`, which surrounds every
 * glyph, so the text reads on any picture. */
typedef struct mv_style_caption {
    const char *font;
    uint32_t text, highlight, outline;
    int bold;
} mv_style_caption;

typedef struct mv_style {
    mv_catalog_entry entry;       /* id, name, description (the spec's for the original 8) */
    const char *prompt;           /* appended to scene prompts, e.g. "cinematic lighting, ..." */
    const char *negative_prompt;  /* the style's negative prompt */
    uint32_t palette[MV_STYLE_PALETTE_SIZE]; /* 0xRRGGBB, dark to light */
    double motion_energy;         /* 0 (still) .. 1 (lively) */
    mv_style_caption caption;
} mv_style;

/* The whole table. */
const mv_style *mv_styles(size_t *count);
/* The style with this id, or NULL. */
const mv_style *mv_style_find(const char *id);

#endif /* MV_STYLES_H */
