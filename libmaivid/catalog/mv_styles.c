/*
 * mv_styles.c - the styles table. The first eight are the original's ids, names and
 * descriptions (the Convo Pilot styles endpoint returns them in this order); the rest are
 * MaiVid's own. Prompt text is written for diffusion models; palettes drive the painter;
 * the caption looks pick a font and colours that suit the style and read on any picture.
 */
#include "catalog/mv_styles.h"

#include <string.h>

static const mv_style mv_style_table[] = {
    {{"cinematic", "Cinematic", "Professional movie-like style with dramatic lighting"},
     "cinematic film still, dramatic lighting, anamorphic lens, shallow depth of field, rich color grading",
     "amateur, flat lighting, overexposed, cartoon, text, watermark",
     {0x0b1a2a, 0x1f4e5f, 0xc9a66b, 0xe8793b, 0xf4e3c1}, 0.55,
     {"Noto Sans", 0xFFFFFF, 0xF2C14E, 0x0B0B0F, 1}},
    {{"anime", "Anime", "Japanese animation style"},
     "anime illustration, cel shading, vibrant colors, detailed background art, studio quality",
     "photorealistic, 3d render, blurry, deformed, text, watermark",
     {0x1b2a6b, 0x3f7fd6, 0xf08bb5, 0xffd36e, 0xfaf4ff}, 0.65,
     {"Noto Sans", 0xFFFFFF, 0xFFD36E, 0x1B1035, 1}},
    {{"photorealistic", "Photorealistic", "Realistic photography style"},
     "photorealistic photograph, natural light, 35mm, high detail, sharp focus",
     "painting, illustration, cartoon, cgi, text, watermark",
     {0x20241f, 0x4c5a46, 0x8f8a6e, 0xc8b796, 0xeee6d8}, 0.4,
     {"Noto Sans", 0xFFFFFF, 0xF4D58D, 0x101010, 0}},
    {{"cartoon", "Cartoon", "Colorful cartoon style"},
     "colorful cartoon illustration, bold outlines, playful shapes, bright flat colors",
     "photorealistic, dark, gritty, text, watermark",
     {0x2b59c3, 0x39b54a, 0xffd23f, 0xff6b35, 0xfff8e7}, 0.75,
     {"DejaVu Sans", 0xFFFFFF, 0xFFD23F, 0x14213D, 1}},
    {{"abstract", "Abstract", "Non-representational artistic style"},
     "abstract art, flowing shapes, bold color fields, expressive texture, non-representational",
     "photograph, realistic faces, text, watermark",
     {0x14213d, 0x6a0572, 0xe63946, 0xfca311, 0xf1faee}, 0.7,
     {"Noto Sans Display", 0xFFFFFF, 0xFCA311, 0x0A0A14, 1}},
    {{"noir", "Film Noir", "Black and white with dramatic shadows"},
     "film noir, black and white, high contrast, hard shadows, venetian blind light, 1940s",
     "color, bright, cheerful, cartoon, text, watermark",
     {0x050505, 0x2a2a2a, 0x5e5e5e, 0xa8a8a8, 0xf0f0f0}, 0.3,
     {"Noto Serif", 0xC8C8C8, 0xFFFFFF, 0x000000, 0}},
    {{"cyberpunk", "Cyberpunk", "Futuristic neon-lit urban style"},
     "cyberpunk, neon-lit city at night, rain-slick streets, holograms, magenta and cyan glow",
     "daylight, rustic, pastoral, text, watermark",
     {0x0a0221, 0x3a0ca3, 0xf72585, 0x4cc9f0, 0xe0fbfc}, 0.8,
     {"Noto Sans Display", 0xE0FBFC, 0x4CC9F0, 0x0A0221, 1}},
    {{"fantasy", "Fantasy", "Magical and otherworldly style"},
     "epic fantasy art, magical atmosphere, glowing light, ethereal, intricate detail",
     "modern city, mundane, text, watermark",
     {0x1a1040, 0x40348c, 0x47a88b, 0xe8c547, 0xfdf6d8}, 0.6,
     {"Noto Serif Display", 0xFDF6D8, 0xE8C547, 0x120A2E, 1}},
    {{"watercolor", "Watercolor", "Soft washes of translucent paint on textured paper"},
     "watercolor painting, soft translucent washes, paper texture, gentle bleeding edges",
     "photograph, hard edges, 3d render, text, watermark",
     {0x2e4057, 0x66a5ad, 0xc4dfe6, 0xf3c5a8, 0xfbf7f0}, 0.35,
     {"Noto Serif", 0xFFFFFF, 0xF3C5A8, 0x1E2A38, 0}},
    {{"oil_painting", "Oil Painting", "Classical oil on canvas with visible brushwork"},
     "oil painting on canvas, visible impasto brushwork, classical composition, warm glazes",
     "photograph, flat vector, text, watermark",
     {0x2b1d0e, 0x6b4226, 0xa67c52, 0xd9b77e, 0xf2e6c9}, 0.35,
     {"Noto Serif", 0xF2E6C9, 0xD9B77E, 0x1A1108, 1}},
    {{"pixel_art", "Pixel Art", "Retro video-game pixel graphics"},
     "pixel art, 16-bit retro game scene, limited palette, crisp pixels",
     "blurry, photorealistic, smooth gradients, text, watermark",
     {0x1a1c2c, 0x5d275d, 0xb13e53, 0xef7d57, 0xffcd75}, 0.6,
     {"DejaVu Sans Mono", 0xFFFFFF, 0xFFCD75, 0x1A1C2C, 1}},
    {{"vaporwave", "Vaporwave", "Pastel retro-digital dreamscape"},
     "vaporwave aesthetic, pastel pink and teal, retro grid, sunset gradient, greek statues, 80s",
     "muted, gritty, realistic, text, watermark",
     {0x2d0b59, 0x7b2cbf, 0xff71ce, 0x01cdfe, 0xfffb96}, 0.6,
     {"Noto Sans Display", 0xFFFFFF, 0x01CDFE, 0x2D0B59, 1}},
    {{"comic", "Comic Book", "Inked panels with halftone shading"},
     "comic book art, bold ink lines, halftone shading, dynamic composition, vivid colors",
     "photograph, blurry, muted, text, watermark",
     {0x101820, 0x1d3c78, 0xd7263d, 0xf4d35e, 0xfaf0ca}, 0.75,
     {"DejaVu Sans", 0xFFFFFF, 0xF4D35E, 0x101820, 1}},
    {{"surreal", "Surreal", "Dreamlike impossible scenes"},
     "surrealist painting, dreamlike impossible scene, melting forms, uncanny perspective",
     "mundane, ordinary, text, watermark",
     {0x0d1b2a, 0x415a77, 0x9c6644, 0xe0a458, 0xf1e3d3}, 0.5,
     {"Noto Serif Display", 0xF1E3D3, 0xE0A458, 0x0D1B2A, 1}},
    {{"retro_film", "Retro Film", "Grainy 1970s film photography"},
     "1970s film photograph, kodachrome colors, film grain, light leaks, vintage",
     "digital, clean, modern, text, watermark",
     {0x2f1e1a, 0x7f4f24, 0xc68b59, 0xe9c46a, 0xf6ecd2}, 0.45,
     {"DejaVu Serif", 0xF6ECD2, 0xE9C46A, 0x1C120F, 1}},
    {{"3d_render", "3D Render", "Clean stylised 3D rendering"},
     "3d render, octane, soft global illumination, stylised, clean materials",
     "2d, flat, sketch, noisy, text, watermark",
     {0x16213e, 0x0f3460, 0x533483, 0xe94560, 0xf5f5f5}, 0.55,
     {"Noto Sans Display", 0xFFFFFF, 0x4CC9F0, 0x10142A, 1}},
};

const mv_style *mv_styles(size_t *count)
{
    *count = sizeof mv_style_table / sizeof mv_style_table[0];
    return mv_style_table;
}

const mv_style *mv_style_find(const char *id)
{
    if (!id)
        return NULL;
    size_t n;
    const mv_style *all = mv_styles(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(all[i].entry.id, id) == 0)
            return &all[i];
    return NULL;
}
