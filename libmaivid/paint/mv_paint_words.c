/*
 * mv_paint_words.c - reads a scene prompt the way the painter needs it: finds the lyric, the
 * song's recurring setting and the ambient (shot, mood, style) parts, lower-cases and splits
 * them into words, looks each word (or a base form) up in a table of time-of-day, weather,
 * place, celestial, mood and colour words and in the motif lexicon, and keeps the lyric's
 * content words that name nothing drawable.
 */
#include "paint/mv_paint_internal.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "plan/mv_plan_parts.h"

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
    MV_W_BUILDINGS,
    MV_W_GLOW,
    MV_W_DARK,
    MV_W_DREAM,
    MV_W_MONO,
    MV_W_COLOUR,
    MV_W_RIVER,
    MV_W_PHASE, /* a moon phase word: value is the phase in hundredths */
    MV_W_BURN   /* "burning": a fire, or a light where something gives light */
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
    {"river", MV_W_RIVER, 0},
    {"stream", MV_W_RIVER, 0},
    {"creek", MV_W_RIVER, 0},
    {"canal", MV_W_RIVER, 0},
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
    {"bedroom", MV_W_ROOM, 0},
    {"indoors", MV_W_ROOM, 0},
    {"sun", MV_W_SUN, 0},
    {"sunlight", MV_W_SUN, 0},
    {"sunshine", MV_W_SUN, 0},
    {"moon", MV_W_MOON, 0},
    {"moonlight", MV_W_MOON, 0},
    {"moonlit", MV_W_MOON, 0},
    {"crescent", MV_W_PHASE, 85},
    {"burn", MV_W_BURN, 0},
    {"burnt", MV_W_BURN, 0},
    {"alight", MV_W_BURN, 0},
    {"ablaze", MV_W_BURN, 0},
    {"bay", MV_W_SEA, 0},
    {"pier", MV_W_SEA, 0},
    {"dock", MV_W_SEA, 0},
    {"port", MV_W_SEA, 0},
    {"sailor", MV_W_SEA, 0},
    {"island", MV_W_SEA, 0},
    {"village", MV_W_HILL, 0},
    {"mountains", MV_W_MOUNTAIN, 0},
    {"summit", MV_W_MOUNTAIN, 0},
    {"glacier", MV_W_MOUNTAIN, 0},
    {"metropolis", MV_W_CITY, 0},
    {"avenue", MV_W_CITY, 0},
    {"boulevard", MV_W_CITY, 0},
    {"blizzard", MV_W_SNOW, 0},
    {"snowflake", MV_W_SNOW, 0},
    {"downpour", MV_W_RAIN, 0},
    {"shower", MV_W_RAIN, 0},
    {"star", MV_W_STARS, 0},
    {"starry", MV_W_STARS, 0},
    {"starlight", MV_W_STARS, 0},
    {"building", MV_W_BUILDINGS, 0},
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

/* The entry for w or one of its base forms ("stars", "beaches", "cities", "raining"). */
static const mv_word_entry *mv_word_find(const char *w)
{
    char forms[9][32];
    int n = mv_word_forms(w, forms, 9);
    for (int i = 0; i < n; i++) {
        const mv_word_entry *e = mv_word_lookup(forms[i]);
        if (e)
            return e;
    }
    return NULL;
}

/* ambient: the word comes from the shot, mood or style text, not from the lyric */
static void mv_word_apply(const mv_word_entry *e, mv_paint_words *w, int ambient)
{
    if (ambient) { /* the song's time and weather are a fallback, decided when composing */
        switch (e->kind) {
        case MV_W_TIME:
            if (w->ambient_time == MV_TOD_NONE)
                w->ambient_time = (mv_time_of_day)e->value;
            return;
        case MV_W_RAIN: w->ambient_rain = 1; return;
        case MV_W_SNOW: w->ambient_snow = 1; return;
        case MV_W_FOG: w->ambient_fog = 1; return;
        default: break;
        }
    }
    switch (e->kind) {
    case MV_W_TIME: if (w->time == MV_TOD_NONE) w->time = (mv_time_of_day)e->value; break;
    case MV_W_RAIN: w->rain = 1; break;
    /* a storm the lyric does not name is only a cloudy sky */
    case MV_W_STORM: if (ambient) w->cloud = 1; else w->storm = 1; break;
    case MV_W_SNOW: w->snow = 1; break;
    case MV_W_FOG: w->fog = 1; break;
    case MV_W_CLOUD: w->cloud = 1; break;
    case MV_W_CLEAR: w->clear = 1; break;
    case MV_W_WIND: w->wind = 1; break;
    case MV_W_LIGHTNING: if (!ambient) w->lightning = 1; break;
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
    case MV_W_RIVER: w->river = 1; w->lake = 1; break;
    case MV_W_SPACE: w->space = 1; break;
    case MV_W_PLANET: w->planet = 1; break;
    case MV_W_ROOM: w->room = 1; break;
    case MV_W_SUN: w->sun = 1; break;
    case MV_W_MOON: w->moon = 1; break;
    case MV_W_PHASE:
        w->moon = 1;
        w->moon_phase_set = 1;
        w->moon_phase = (float)e->value / 100.0f;
        break;
    case MV_W_STARS: w->stars = 1; break;
    case MV_W_BUILDINGS: w->buildings = 1; break;
    case MV_W_GLOW: w->glow = 1; break;
    case MV_W_DARK: w->dark = 1; break;
    case MV_W_DREAM: w->dream = 1; break;
    case MV_W_MONO: w->mono = 1; break;
    case MV_W_BURN: break; /* resolved against the scene's lights (mv_words_settle) */
    case MV_W_COLOUR:
        if (w->colour_count < MV_PAINT_MAX_COLOURS)
            w->colours[w->colour_count++] = mv_rgb_hex(e->value);
        break;
    }
}

static void mv_words_add_motif(mv_paint_words *w, mv_motif_id id, int variant, int contextual)
{
    for (int i = 0; i < w->motif_count; i++)
        if (w->motifs[i].id == id) {
            if (w->motifs[i].variant < 0)
                w->motifs[i].variant = variant;
            w->motifs[i].contextual &= contextual;
            return;
        }
    if (w->motif_count >= MV_PAINT_MAX_MOTIFS)
        return;
    mv_motif_use *u = &w->motifs[w->motif_count++];
    u->id = id;
    u->variant = variant;
    u->contextual = contextual;
}

static void mv_words_add_unmatched(mv_paint_words *w, const char *word)
{
    mv_word_list_add(w->unmatched, &w->unmatched_count, MV_PAINT_MAX_UNMATCHED, word);
}

/* Words that carry no picture of their own (besides the lyric stop words). */
static int mv_words_is_filler(const char *word)
{
    static const char *const filler[] = {"depicting", "evoking", "recurring", "motif",
                                         "instrumental", "interlude", "same", "music", NULL};
    for (size_t i = 0; filler[i]; i++)
        if (strcmp(word, filler[i]) == 0)
            return 1;
    return strlen(word) < 3 || mv_imagery_is_stop_word(word);
}

typedef enum { MV_PART_LYRIC, MV_PART_SETTING, MV_PART_AMBIENT } mv_prompt_part;

typedef struct mv_words_scan {
    mv_paint_words *w;
    mv_prompt_part part;
    int prev_black;  /* "black and white" */
    float phase;     /* "full moon", "half moon": pending phase for the next "moon" */
} mv_words_scan;

static void mv_words_take(mv_words_scan *sc, const char *word)
{
    mv_paint_words *w = sc->w;
    if (sc->prev_black && strcmp(word, "white") == 0)
        w->mono = 1;
    if (strcmp(word, "and") != 0)
        sc->prev_black = strcmp(word, "black") == 0;
    static const struct { const char *word; float phase; } phases[] = {
        {"full", 0.0f}, {"half", 0.5f}, {"old", 0.75f}, {"new", 0.92f}, {"waning", 0.6f},
        {"waxing", 0.6f}, {"harvest", 0.0f}};
    float pending = sc->phase;
    sc->phase = -1.0f;
    for (size_t i = 0; i < sizeof phases / sizeof phases[0]; i++)
        if (strcmp(word, phases[i].word) == 0)
            sc->phase = phases[i].phase;
    const mv_word_entry *e = mv_word_find(word);
    if (e) {
        mv_word_apply(e, w, sc->part == MV_PART_AMBIENT);
        if (e->kind == MV_W_MOON && pending >= 0.0f) {
            w->moon_phase_set = 1;
            w->moon_phase = pending;
        }
    }
    if (sc->part == MV_PART_AMBIENT)
        return;
    mv_motif_id id;
    int variant;
    if (e && e->kind == MV_W_BURN) {
        mv_words_add_motif(w, MV_M_FIRE, -1, 1);
        return;
    }
    if (mv_lexicon_find(word, &id, &variant)) {
        mv_words_add_motif(w, id, variant, 0);
        return;
    }
    if (!e && sc->phase < 0.0f && !mv_words_is_filler(word))
        mv_words_add_unmatched(w, word);
}

/* Scans [p, end) word by word. */
static void mv_words_scan_text(mv_words_scan *sc, const char *p, const char *end)
{
    char word[32];
    size_t len = 0;
    for (;; p++) {
        unsigned char ch = p < end ? (unsigned char)*p : 0;
        if (ch && (isalpha(ch) || (ch == '\'' && len > 0))) {
            if (len < sizeof word - 1)
                word[len++] = (char)tolower(ch);
            continue;
        }
        while (len > 0 && word[len - 1] == '\'')
            len--;
        if (len > 0) {
            word[len] = '\0';
            mv_words_take(sc, word);
            len = 0;
        }
        if (!ch)
            break;
    }
}

static int mv_words_has_place(const mv_paint_words *w)
{
    return w->mountain || w->hill || w->forest || w->field || w->desert || w->city || w->sea ||
           w->beach || w->lake || w->space || w->planet || w->room || w->buildings;
}

/* After reading: "burning" becomes a light where something gives light; motifs imply their
 * places (a boat needs water); silhouettes set the older flags the composer reads. */
static void mv_words_settle(mv_paint_words *w)
{
    int lights = w->glow;
    for (int i = 0; i < w->motif_count; i++) {
        const mv_motif_info *info = mv_motif_get(w->motifs[i].id);
        if (info && info->light && w->motifs[i].id != MV_M_FIRE)
            lights = 1;
    }
    for (int i = 0; i < w->motif_count; i++) {
        if (w->motifs[i].id == MV_M_FIRE && w->motifs[i].contextual && lights) {
            memmove(&w->motifs[i], &w->motifs[i + 1],
                    (size_t)(w->motif_count - i - 1) * sizeof w->motifs[0]);
            w->motif_count--;
            w->glow = 1;
            i--;
        }
    }
    for (int i = 0; i < w->motif_count; i++) {
        switch (w->motifs[i].id) {
        case MV_M_LIGHTHOUSE: case MV_M_BOAT: case MV_M_SAILBOAT: case MV_M_SHIP:
            if (!w->sea && !w->lake && !w->beach)
                w->sea = 1;
            break;
        case MV_M_BRIDGE:
            if (!w->sea && !w->lake && !w->city)
                w->lake = w->river = 1;
            break;
        case MV_M_WINDOW: w->room = 1; break;
        case MV_M_FIGURE: case MV_M_DANCER: if (w->figures < 1) w->figures = 1; break;
        case MV_M_COUPLE: case MV_M_CROWD: w->figures = 2; break;
        case MV_M_BIRDS: w->birds = 1; break;
        case MV_M_FIRE: w->fire = 1; break;
        case MV_M_PINE: case MV_M_TREE: case MV_M_PALM: case MV_M_WILLOW: w->trees = 1; break;
        default: break;
        }
    }
    /* things that belong to the night keep the song's daytime from being painted */
    if (w->time != MV_TOD_NONE || mv_words_has_motif(w, MV_M_FIREWORKS) ||
        mv_words_has_motif(w, MV_M_LANTERN) || mv_words_has_motif(w, MV_M_CANDLE) ||
        w->stars || w->moon)
        w->ambient_time = MV_TOD_NONE;
    if (w->storm)
        w->cloud = 1;
}

void mv_paint_words_parse(const char *prompt, mv_paint_words *words)
{
    memset(words, 0, sizeof *words);
    if (!prompt)
        return;
    const char *end = prompt + strlen(prompt);
    /* the built-in prompt writer's parts (plan/prompts.c); a free-form prompt is all lyric */
    const char *lyric = strstr(prompt, "depicting ");
    if (!lyric)
        lyric = strstr(prompt, "instrumental interlude evoking ");
    const char *setting = strstr(prompt, "recurring setting");
    if (!setting)
        setting = strstr(prompt, "recurring character");
    const char *setting_end = setting ? strchr(setting, ',') : NULL;
    if (setting && !setting_end)
        setting_end = end;
    const char *motif = strstr(prompt, "recurring motif of ");
    const char *motif_end = motif ? strchr(motif, ',') : NULL;
    if (motif && !motif_end)
        motif_end = end;

    mv_words_scan sc = {words, MV_PART_AMBIENT, 0, -1.0f};
    const char *lyric_end = setting && lyric && setting > lyric ? setting : end;
    if (!lyric) { /* free-form: everything but the setting line is the scene's own */
        sc.part = MV_PART_LYRIC;
        mv_words_scan_text(&sc, prompt, setting ? setting : end);
        if (setting_end && setting_end < end)
            mv_words_scan_text(&sc, setting_end, end);
    } else {
        mv_words_scan_text(&sc, prompt, lyric);
        sc.part = MV_PART_LYRIC;
        mv_words_scan_text(&sc, lyric, lyric_end);
        if (motif)
            mv_words_scan_text(&sc, motif, motif_end);
        sc.part = MV_PART_AMBIENT;
        if (lyric_end < end) {
            const char *rest = setting_end ? setting_end : lyric_end;
            mv_words_scan_text(&sc, rest, motif ? motif : end);
            if (motif)
                mv_words_scan_text(&sc, motif_end, end);
        }
    }
    if (setting && !mv_words_has_place(words) && words->motif_count == 0) {
        /* the line names nothing drawable: the song's recurring setting */
        mv_paint_words song;
        memset(&song, 0, sizeof song);
        mv_words_scan ss = {&song, MV_PART_LYRIC, 0, -1.0f};
        mv_words_scan_text(&ss, setting, setting_end);
        words->from_setting = 1;
        int *flags[][2] = {{&words->mountain, &song.mountain}, {&words->hill, &song.hill},
                           {&words->forest, &song.forest},     {&words->field, &song.field},
                           {&words->desert, &song.desert},     {&words->city, &song.city},
                           {&words->sea, &song.sea},           {&words->beach, &song.beach},
                           {&words->lake, &song.lake},         {&words->river, &song.river},
                           {&words->space, &song.space},       {&words->room, &song.room},
                           {&words->buildings, &song.buildings}};
        for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
            *flags[i][0] |= *flags[i][1];
        for (int i = 0; i < song.motif_count; i++)
            mv_words_add_motif(words, song.motifs[i].id, song.motifs[i].variant,
                               song.motifs[i].contextual);
    }
    mv_words_settle(words);
}
