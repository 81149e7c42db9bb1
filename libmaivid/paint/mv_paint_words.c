/*
 * mv_paint_words.c - reads a scene prompt the way the painter needs it: lower-cases it, splits
 * it into words and looks each word (or its singular) up in a table of time-of-day, weather,
 * place, celestial, silhouette, mood and colour words.
 */
#include "paint/mv_paint_internal.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

typedef enum mv_word_kind {
    MV_W_TIME,
    MV_W_RAIN,
    MV_W_STORM,
    MV_W_SNOW,
    MV_W_FOG,
    MV_W_CLOUD,
    MV_W_CLEAR,
    MV_W_WIND,
    MV_W_LIGHTNING,
    MV_W_MOUNTAIN,
    MV_W_HILL,
    MV_W_FOREST,
    MV_W_FIELD,
    MV_W_DESERT,
    MV_W_CITY,
    MV_W_NEON,
    MV_W_SEA,
    MV_W_BEACH,
    MV_W_LAKE,
    MV_W_SPACE,
    MV_W_PLANET,
    MV_W_ROOM,
    MV_W_SUN,
    MV_W_MOON,
    MV_W_STARS,
    MV_W_TREES,
    MV_W_BUILDINGS,
    MV_W_FIGURE,
    MV_W_COUPLE,
    MV_W_BIRDS,
    MV_W_FIRE,
    MV_W_GLOW,
    MV_W_DARK,
    MV_W_DREAM,
    MV_W_MONO,
    MV_W_COLOUR
} mv_word_kind;

typedef struct mv_word_entry {
    const char *word;
    mv_word_kind kind;
    uint32_t value; /* time of day or 0xRRGGBB */
} mv_word_entry;

static const mv_word_entry mv_word_table[] = {
    {"dawn", MV_W_TIME, MV_TOD_DAWN},
    {"sunrise", MV_W_TIME, MV_TOD_DAWN},
    {"daybreak", MV_W_TIME, MV_TOD_DAWN},
    {"morning", MV_W_TIME, MV_TOD_MORNING},
    {"noon", MV_W_TIME, MV_TOD_NOON},
    {"midday", MV_W_TIME, MV_TOD_NOON},
    {"day", MV_W_TIME, MV_TOD_NOON},
    {"daylight", MV_W_TIME, MV_TOD_NOON},
    {"sunny", MV_W_TIME, MV_TOD_NOON},
    {"afternoon", MV_W_TIME, MV_TOD_AFTERNOON},
    {"sunset", MV_W_TIME, MV_TOD_SUNSET},
    {"sundown", MV_W_TIME, MV_TOD_SUNSET},
    {"dusk", MV_W_TIME, MV_TOD_DUSK},
    {"evening", MV_W_TIME, MV_TOD_DUSK},
    {"twilight", MV_W_TIME, MV_TOD_TWILIGHT},
    {"night", MV_W_TIME, MV_TOD_NIGHT},
    {"nighttime", MV_W_TIME, MV_TOD_NIGHT},
    {"midnight", MV_W_TIME, MV_TOD_NIGHT},
    {"tonight", MV_W_TIME, MV_TOD_NIGHT},
    {"rain", MV_W_RAIN, 0},
    {"raining", MV_W_RAIN, 0},
    {"rainy", MV_W_RAIN, 0},
    {"drizzle", MV_W_RAIN, 0},
    {"storm", MV_W_STORM, 0},
    {"stormy", MV_W_STORM, 0},
    {"thunder", MV_W_STORM, 0},
    {"tempest", MV_W_STORM, 0},
    {"snow", MV_W_SNOW, 0},
    {"snowing", MV_W_SNOW, 0},
    {"snowy", MV_W_SNOW, 0},
    {"winter", MV_W_SNOW, 0},
    {"frost", MV_W_SNOW, 0},
    {"ice", MV_W_SNOW, 0},
    {"fog", MV_W_FOG, 0},
    {"foggy", MV_W_FOG, 0},
    {"mist", MV_W_FOG, 0},
    {"misty", MV_W_FOG, 0},
    {"haze", MV_W_FOG, 0},
    {"smoke", MV_W_FOG, 0},
    {"cloud", MV_W_CLOUD, 0},
    {"cloudy", MV_W_CLOUD, 0},
    {"overcast", MV_W_CLOUD, 0},
    {"clear", MV_W_CLEAR, 0},
    {"wind", MV_W_WIND, 0},
    {"windy", MV_W_WIND, 0},
    {"breeze", MV_W_WIND, 0},
    {"lightning", MV_W_LIGHTNING, 0},
    {"mountain", MV_W_MOUNTAIN, 0},
    {"peak", MV_W_MOUNTAIN, 0},
    {"cliff", MV_W_MOUNTAIN, 0},
    {"alps", MV_W_MOUNTAIN, 0},
    {"hill", MV_W_HILL, 0},
    {"valley", MV_W_HILL, 0},
    {"meadow", MV_W_HILL, 0},
    {"countryside", MV_W_HILL, 0},
    {"forest", MV_W_FOREST, 0},
    {"wood", MV_W_FOREST, 0},
    {"woods", MV_W_FOREST, 0},
    {"jungle", MV_W_FOREST, 0},
    {"field", MV_W_FIELD, 0},
    {"grass", MV_W_FIELD, 0},
    {"prairie", MV_W_FIELD, 0},
    {"farm", MV_W_FIELD, 0},
    {"desert", MV_W_DESERT, 0},
    {"dune", MV_W_DESERT, 0},
    {"sand", MV_W_DESERT, 0},
    {"city", MV_W_CITY, 0},
    {"street", MV_W_CITY, 0},
    {"skyline", MV_W_CITY, 0},
    {"town", MV_W_CITY, 0},
    {"downtown", MV_W_CITY, 0},
    {"rooftop", MV_W_CITY, 0},
    {"skyscraper", MV_W_CITY, 0},
    {"urban", MV_W_CITY, 0},
    {"neon", MV_W_NEON, 0},
    {"sea", MV_W_SEA, 0},
    {"ocean", MV_W_SEA, 0},
    {"wave", MV_W_SEA, 0},
    {"tide", MV_W_SEA, 0},
    {"harbor", MV_W_SEA, 0},
    {"harbour", MV_W_SEA, 0},
    {"beach", MV_W_BEACH, 0},
    {"shore", MV_W_BEACH, 0},
    {"coast", MV_W_BEACH, 0},
    {"river", MV_W_LAKE, 0},
    {"lake", MV_W_LAKE, 0},
    {"water", MV_W_LAKE, 0},
    {"pond", MV_W_LAKE, 0},
    {"space", MV_W_SPACE, 0},
    {"galaxy", MV_W_SPACE, 0},
    {"cosmos", MV_W_SPACE, 0},
    {"cosmic", MV_W_SPACE, 0},
    {"universe", MV_W_SPACE, 0},
    {"nebula", MV_W_SPACE, 0},
    {"astronaut", MV_W_SPACE, 0},
    {"orbit", MV_W_SPACE, 0},
    {"planet", MV_W_PLANET, 0},
    {"saturn", MV_W_PLANET, 0},
    {"jupiter", MV_W_PLANET, 0},
    {"mars", MV_W_PLANET, 0},
    {"room", MV_W_ROOM, 0},
    {"window", MV_W_ROOM, 0},
    {"bedroom", MV_W_ROOM, 0},
    {"indoors", MV_W_ROOM, 0},
    {"sun", MV_W_SUN, 0},
    {"sunlight", MV_W_SUN, 0},
    {"sunshine", MV_W_SUN, 0},
    {"moon", MV_W_MOON, 0},
    {"moonlight", MV_W_MOON, 0},
    {"moonlit", MV_W_MOON, 0},
    {"star", MV_W_STARS, 0},
    {"starry", MV_W_STARS, 0},
    {"starlight", MV_W_STARS, 0},
    {"tree", MV_W_TREES, 0},
    {"pine", MV_W_TREES, 0},
    {"oak", MV_W_TREES, 0},
    {"palm", MV_W_TREES, 0},
    {"building", MV_W_BUILDINGS, 0},
    {"tower", MV_W_BUILDINGS, 0},
    {"house", MV_W_BUILDINGS, 0},
    {"figure", MV_W_FIGURE, 0},
    {"person", MV_W_FIGURE, 0},
    {"man", MV_W_FIGURE, 0},
    {"woman", MV_W_FIGURE, 0},
    {"girl", MV_W_FIGURE, 0},
    {"boy", MV_W_FIGURE, 0},
    {"silhouette", MV_W_FIGURE, 0},
    {"dancer", MV_W_FIGURE, 0},
    {"stranger", MV_W_FIGURE, 0},
    {"wanderer", MV_W_FIGURE, 0},
    {"alone", MV_W_FIGURE, 0},
    {"lonely", MV_W_FIGURE, 0},
    {"walking", MV_W_FIGURE, 0},
    {"standing", MV_W_FIGURE, 0},
    {"waiting", MV_W_FIGURE, 0},
    {"lovers", MV_W_COUPLE, 0},
    {"lover", MV_W_COUPLE, 0},
    {"couple", MV_W_COUPLE, 0},
    {"together", MV_W_COUPLE, 0},
    {"bird", MV_W_BIRDS, 0},
    {"wing", MV_W_BIRDS, 0},
    {"flock", MV_W_BIRDS, 0},
    {"seagull", MV_W_BIRDS, 0},
    {"fire", MV_W_FIRE, 0},
    {"flame", MV_W_FIRE, 0},
    {"burning", MV_W_FIRE, 0},
    {"burn", MV_W_FIRE, 0},
    {"ember", MV_W_FIRE, 0},
    {"blaze", MV_W_FIRE, 0},
    {"glow", MV_W_GLOW, 0},
    {"glowing", MV_W_GLOW, 0},
    {"light", MV_W_GLOW, 0},
    {"shine", MV_W_GLOW, 0},
    {"shining", MV_W_GLOW, 0},
    {"bright", MV_W_GLOW, 0},
    {"radiant", MV_W_GLOW, 0},
    {"dark", MV_W_DARK, 0},
    {"darkness", MV_W_DARK, 0},
    {"shadow", MV_W_DARK, 0},
    {"gloom", MV_W_DARK, 0},
    {"black", MV_W_DARK, 0},
    {"dream", MV_W_DREAM, 0},
    {"dreaming", MV_W_DREAM, 0},
    {"dreamy", MV_W_DREAM, 0},
    {"ethereal", MV_W_DREAM, 0},
    {"magic", MV_W_DREAM, 0},
    {"heaven", MV_W_DREAM, 0},
    {"monochrome", MV_W_MONO, 0},
    {"grayscale", MV_W_MONO, 0},
    {"greyscale", MV_W_MONO, 0},
    {"red", MV_W_COLOUR, 0xd42a20},
    {"crimson", MV_W_COLOUR, 0xa0102a},
    {"scarlet", MV_W_COLOUR, 0xe0301e},
    {"blood", MV_W_COLOUR, 0x8a0a12},
    {"blue", MV_W_COLOUR, 0x2f5be0},
    {"azure", MV_W_COLOUR, 0x3c9cff},
    {"navy", MV_W_COLOUR, 0x1a2a6c},
    {"cyan", MV_W_COLOUR, 0x30d8f0},
    {"teal", MV_W_COLOUR, 0x1fa3a0},
    {"turquoise", MV_W_COLOUR, 0x40e0d0},
    {"gold", MV_W_COLOUR, 0xffc23e},
    {"golden", MV_W_COLOUR, 0xffb936},
    {"amber", MV_W_COLOUR, 0xffa020},
    {"yellow", MV_W_COLOUR, 0xffe040},
    {"silver", MV_W_COLOUR, 0xc8ccd8},
    {"purple", MV_W_COLOUR, 0x8a3ad0},
    {"violet", MV_W_COLOUR, 0x9b5cf0},
    {"lavender", MV_W_COLOUR, 0xb8a0f0},
    {"magenta", MV_W_COLOUR, 0xf02aa0},
    {"green", MV_W_COLOUR, 0x2fb04a},
    {"emerald", MV_W_COLOUR, 0x1fa060},
    {"pink", MV_W_COLOUR, 0xff78b8},
    {"rose", MV_W_COLOUR, 0xf0608a},
    {"orange", MV_W_COLOUR, 0xff8a1e},
    {"white", MV_W_COLOUR, 0xf4f4f4},
    {"grey", MV_W_COLOUR, 0x8a8a8a},
    {"gray", MV_W_COLOUR, 0x8a8a8a},
    {"brown", MV_W_COLOUR, 0x7a4a24},
};

static const mv_word_entry *mv_word_lookup(const char *w)
{
    for (size_t i = 0; i < sizeof mv_word_table / sizeof mv_word_table[0]; i++)
        if (strcmp(mv_word_table[i].word, w) == 0)
            return &mv_word_table[i];
    return NULL;
}

/* The entry for w, trying its singular ("stars", "beaches", "cities") when w itself is not
 * listed. */
static const mv_word_entry *mv_word_find(char *w, size_t len)
{
    const mv_word_entry *e = mv_word_lookup(w);
    if (e || len < 4)
        return e;
    char sing[64];
    memcpy(sing, w, len + 1);
    if (len > 4 && strcmp(sing + len - 3, "ies") == 0) {
        strcpy(sing + len - 3, "y");
        if ((e = mv_word_lookup(sing)))
            return e;
        memcpy(sing, w, len + 1);
    }
    if (len > 4 && strcmp(sing + len - 2, "es") == 0) {
        sing[len - 2] = '\0';
        if ((e = mv_word_lookup(sing)))
            return e;
        memcpy(sing, w, len + 1);
    }
    if (sing[len - 1] == 's') {
        sing[len - 1] = '\0';
        return mv_word_lookup(sing);
    }
    return NULL;
}

static void mv_word_apply(const mv_word_entry *e, mv_paint_words *w)
{
    switch (e->kind) {
    case MV_W_TIME: if (w->time == MV_TOD_NONE) w->time = (mv_time_of_day)e->value; break;
    case MV_W_RAIN: w->rain = 1; break;
    case MV_W_STORM: w->storm = 1; break;
    case MV_W_SNOW: w->snow = 1; break;
    case MV_W_FOG: w->fog = 1; break;
    case MV_W_CLOUD: w->cloud = 1; break;
    case MV_W_CLEAR: w->clear = 1; break;
    case MV_W_WIND: w->wind = 1; break;
    case MV_W_LIGHTNING: w->lightning = 1; break;
    case MV_W_MOUNTAIN: w->mountain = 1; break;
    case MV_W_HILL: w->hill = 1; break;
    case MV_W_FOREST: w->forest = 1; break;
    case MV_W_FIELD: w->field = 1; break;
    case MV_W_DESERT: w->desert = 1; break;
    case MV_W_CITY: w->city = 1; break;
    case MV_W_NEON: w->neon = 1; break;
    case MV_W_SEA: w->sea = 1; break;
    case MV_W_BEACH: w->beach = 1; break;
    case MV_W_LAKE: w->lake = 1; break;
    case MV_W_SPACE: w->space = 1; break;
    case MV_W_PLANET: w->planet = 1; break;
    case MV_W_ROOM: w->room = 1; break;
    case MV_W_SUN: w->sun = 1; break;
    case MV_W_MOON: w->moon = 1; break;
    case MV_W_STARS: w->stars = 1; break;
    case MV_W_TREES: w->trees = 1; break;
    case MV_W_BUILDINGS: w->buildings = 1; break;
    case MV_W_FIGURE: if (w->figures < 1) w->figures = 1; break;
    case MV_W_COUPLE: w->figures = 2; break;
    case MV_W_BIRDS: w->birds = 1; break;
    case MV_W_FIRE: w->fire = 1; break;
    case MV_W_GLOW: w->glow = 1; break;
    case MV_W_DARK: w->dark = 1; break;
    case MV_W_DREAM: w->dream = 1; break;
    case MV_W_MONO: w->mono = 1; break;
    case MV_W_COLOUR:
        if (w->colour_count < MV_PAINT_MAX_COLOURS)
            w->colours[w->colour_count++] = mv_rgb_hex(e->value);
        break;
    }
}

void mv_paint_words_parse(const char *prompt, mv_paint_words *words)
{
    memset(words, 0, sizeof *words);
    if (!prompt)
        return;
    char word[64];
    size_t len = 0;
    int prev_black = 0; /* "black and white" */
    for (const char *p = prompt;; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch && isalpha(ch)) {
            if (len < sizeof word - 1)
                word[len++] = (char)tolower(ch);
            continue;
        }
        if (len > 0) {
            word[len] = '\0';
            if (prev_black && strcmp(word, "white") == 0)
                words->mono = 1;
            if (strcmp(word, "and") != 0)
                prev_black = strcmp(word, "black") == 0;
            const mv_word_entry *e = mv_word_find(word, len);
            if (e)
                mv_word_apply(e, words);
            len = 0;
        }
        if (!ch)
            break;
    }
    if (words->storm)
        words->cloud = 1;
}
