/*
 * imagery.c - picks the words of a lyric that paint a picture: figures, places, times of
 * day and seasons, weather, colours and concrete things, then other content words; stop
 * words (and the filler of sung lyrics: oh, yeah, la) never count.
 */
#include "plan/mv_plan_parts.h"

#include <ctype.h>
#include <string.h>

typedef struct mv_imagery_table {
    mv_imagery_class cls;
    const char *const *words;
} mv_imagery_table;

static const char *const mv_figures[] = {
    "girl", "boy", "woman", "man", "lover", "lovers", "stranger", "child", "children",
    "king", "queen", "angel", "ghost", "dancer", "dancers", "mother", "father", "friend",
    "friends", "soldier", "sailor", "rider", "hero", "witch", "prince", "princess",
    "crowd", "couple", "wolf", "bird", "birds", "horse", "cowboy", "robot", "stranger",
    "kid", "kids", "singer", "band", "family", "devil", "saint", "warrior", "queen", NULL};
static const char *const mv_places[] = {
    "city", "town", "street", "streets", "road", "highway", "bridge", "river", "ocean",
    "sea", "shore", "beach", "island", "mountain", "mountains", "hill", "hills", "valley",
    "forest", "woods", "desert", "field", "fields", "garden", "park", "room", "house",
    "home", "kitchen", "bedroom", "window", "door", "station", "train", "car", "bar",
    "club", "church", "castle", "tower", "rooftop", "roof", "alley", "harbor", "harbour",
    "lake", "meadow", "jungle", "stage", "dancefloor", "subway", "motel", "hotel", "school",
    "prison", "coast", "paradise", "village", "farm", "cave", "cliff",
    "waterfall", "wave", "waves", "tunnel", "skyline", NULL};
static const char *const mv_times[] = {
    "midnight", "night", "nights", "tonight", "dawn", "dusk", "sunrise", "sunset", "morning",
    "evening", "twilight", "noon", "afternoon", "daylight", "summer", "winter", "autumn",
    "fall", "spring", "yesterday", "forever", NULL};
static const char *const mv_weather[] = {
    "rain", "raining", "rainy", "storm", "storms", "thunder", "lightning", "snow", "snowing",
    "fog", "mist", "haze", "wind", "winds", "clouds", "cloud", "cloudy", "sunshine", "sun",
    "hurricane", "hail", "frost", "ice", "rainbow", "smoke", "dust", "heat", "cold", NULL};
static const char *const mv_colours[] = {
    "red", "blue", "green", "yellow", "gold", "golden", "silver", "black", "white", "grey",
    "gray", "purple", "violet", "pink", "orange", "crimson", "scarlet", "azure", "amber",
    "emerald", "indigo", "teal", "cyan", "magenta", "ivory", "pale", "dark", "bright",
    "neon", NULL};
static const char *const mv_things[] = {
    "sky", "skies", "heaven", "space", "galaxy", "universe", "moon", "stars", "star", "fire",
    "flame", "flames", "light", "lights", "shadow",
    "shadows", "heart", "eyes", "hands", "rose", "roses", "flower", "flowers", "tree",
    "trees", "leaves", "water", "tears", "blood", "glass", "mirror", "candle", "diamond",
    "diamonds", "gun", "knife", "crown", "wings", "feather", "ring", "guitar", "piano",
    "radio", "phone", "letter", "photograph", "picture", "map", "boat", "ship", "plane",
    "bike", "wheel", "wheels", "chains", "chain", "key", "keys", "dress", "shoes", "coat",
    "bottle", "wine", "whiskey", "cigarette", "money", "gold", "bones", "skin", "lips",
    "hair", "smile", "kiss", "dream", "dreams", "memory", "memories", "ashes", "embers",
    "sparks", "fireworks", "lantern", "horizon", "planet", "planets", "comet", "ocean",
    "butterfly", "butterflies", "snake", "dragon", "sword", "storm", "thunder", NULL};

static const mv_imagery_table mv_imagery_tables[] = {
    {MV_IMAGERY_FIGURE, mv_figures},   {MV_IMAGERY_PLACE, mv_places},
    {MV_IMAGERY_TIME, mv_times},       {MV_IMAGERY_WEATHER, mv_weather},
    {MV_IMAGERY_COLOUR, mv_colours},   {MV_IMAGERY_THING, mv_things},
};

static const char *const mv_stop_words[] = {
    "a", "about", "above", "after", "again", "against", "ain't", "all", "almost", "alone",
    "along", "already", "also", "always", "am", "an", "and", "another", "any", "anymore",
    "are", "around", "as", "at", "away", "back", "be", "because", "been", "before", "being",
    "below", "between", "both", "but", "by", "can", "can't", "cannot", "come", "comes",
    "coming", "could", "couldn't", "did", "didn't", "do", "does", "doesn't", "doing",
    "don't", "done", "down", "during", "each", "even", "ever", "every", "everything", "few",
    "for", "from", "further", "get", "gets", "getting", "give", "go", "goes", "going",
    "gonna", "gone", "got", "gotta", "had", "has", "have", "having", "he", "her", "here",
    "hers", "herself", "hey", "him", "himself", "his", "how", "i", "i'd", "i'll", "i'm",
    "i've", "if", "in", "into", "is", "isn't", "it", "it's", "its", "itself", "just",
    "know", "la", "let", "let's", "like", "little", "make", "me", "more", "most", "much",
    "my", "myself", "na", "need", "never", "no", "nor", "not", "nothing", "now", "of", "off",
    "oh", "ooh", "on", "once", "one", "only", "or", "other", "our", "ours", "ourselves",
    "out", "over", "own", "really", "same", "say", "see", "she", "should", "so", "some",
    "something", "still", "such", "take", "tell", "than", "that", "that's", "the", "their",
    "theirs", "them", "themselves", "then", "there", "these", "they", "thing", "things",
    "think", "this", "those", "through", "till", "to", "too", "under", "until", "up", "us",
    "very", "wanna", "want", "was", "way", "we", "we're", "were", "what", "when", "where",
    "which", "while", "who", "whoa", "why", "will", "with", "won't", "would", "yeah", "yes",
    "yet", "you", "you're", "your", "yours", "yourself", "ah", "uh", "mm", "hmm", "da",
    "baby", "gimme", "tryna", "cause", "'cause", "cuz", "'til", "ya", "yo", "feel", "feels",
    "felt", "keep", "made", "mean", "said", "tonight", "time", "times", "day", "days",
    "right", "left", "long", "last", "new", "old", "good", "bad", "way", "ways", "love",
    "heart", "life", "world", "again", "inside", "without", "within", "maybe", "another",
    "we'll", "they're", "you'll", "you've", "she's", "he's", "there's", "what's", "it'll",
    "wouldn't", "shouldn't", "wasn't", "weren't", "haven't", "hasn't", "away", "really",
    "come", "cannot", "must", "shall", "may", "might", NULL};

static int mv_word_in(const char *word, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(word, list[i]) == 0)
            return 1;
    return 0;
}

int mv_imagery_is_stop_word(const char *word)
{
    return mv_word_in(word, mv_stop_words);
}

/* The class of a word, trying its singular too ("stars" -> "star"). */
static int mv_imagery_classify(const char *word, mv_imagery_class *cls)
{
    for (size_t t = 0; t < sizeof mv_imagery_tables / sizeof mv_imagery_tables[0]; t++) {
        if (mv_word_in(word, mv_imagery_tables[t].words)) {
            *cls = mv_imagery_tables[t].cls;
            return 1;
        }
    }
    size_t n = strlen(word);
    if (n > 3 && word[n - 1] == 's') {
        char singular[32];
        mv_strlcpy(singular, word, n < sizeof singular ? n : sizeof singular);
        for (size_t t = 0; t < sizeof mv_imagery_tables / sizeof mv_imagery_tables[0]; t++) {
            if (mv_word_in(singular, mv_imagery_tables[t].words)) {
                *cls = mv_imagery_tables[t].cls;
                return 1;
            }
        }
    }
    return 0;
}

/* Content words that are probably not verbs or adverbs (no POS tagger offline). */
static int mv_imagery_plausible_noun(const char *word)
{
    size_t n = strlen(word);
    if (n < 4 || strchr(word, '\''))
        return 0;
    static const char *const endings[] = {"ing", "in'", "ed", "ly", "n't", "est"};
    for (size_t i = 0; i < sizeof endings / sizeof endings[0]; i++) {
        size_t e = strlen(endings[i]);
        if (n > e + 2 && strcmp(word + n - e, endings[i]) == 0)
            return 0;
    }
    return 1;
}

typedef struct mv_imagery_candidate {
    mv_imagery_word w;
    size_t first;
} mv_imagery_candidate;

#define MV_IMAGERY_CANDIDATES 96

static void mv_imagery_count(mv_imagery_candidate *cand, size_t *count, const char *word,
                             size_t position)
{
    for (size_t i = 0; i < *count; i++) {
        if (strcmp(cand[i].w.word, word) == 0) {
            cand[i].w.count++;
            return;
        }
    }
    mv_imagery_class cls;
    if (!mv_imagery_classify(word, &cls)) {
        if (mv_imagery_is_stop_word(word) || !mv_imagery_plausible_noun(word))
            return;
        cls = MV_IMAGERY_OTHER;
    }
    if (*count >= MV_IMAGERY_CANDIDATES)
        return;
    mv_imagery_candidate *c = &cand[(*count)++];
    mv_strlcpy(c->w.word, word, sizeof c->w.word);
    c->w.cls = cls;
    c->w.count = 1;
    c->first = position;
}

static int mv_imagery_better(const mv_imagery_candidate *a, const mv_imagery_candidate *b)
{
    if (a->w.count != b->w.count)
        return a->w.count > b->w.count;
    return a->first < b->first;
}

/* The best unused candidate of a class, or `count` when none. */
static size_t mv_imagery_best_of(const mv_imagery_candidate *cand, size_t count,
                                 const int *used, mv_imagery_class cls)
{
    size_t best = count;
    for (size_t i = 0; i < count; i++)
        if (!used[i] && cand[i].w.cls == cls &&
            (best == count || mv_imagery_better(&cand[i], &cand[best])))
            best = i;
    return best;
}

void mv_imagery_extract(const char *text, size_t max, mv_imagery *out)
{
    memset(out, 0, sizeof *out);
    if (max > MV_IMAGERY_MAX)
        max = MV_IMAGERY_MAX;
    if (!text || max == 0)
        return;
    mv_imagery_candidate cand[MV_IMAGERY_CANDIDATES];
    size_t count = 0, position = 0;
    const char *p = text;
    while (*p) {
        while (*p && !isalpha((unsigned char)*p))
            p++;
        char word[32];
        size_t n = 0;
        while (*p && (isalpha((unsigned char)*p) || *p == '\'')) {
            if (n + 1 < sizeof word)
                word[n++] = (char)tolower((unsigned char)*p);
            p++;
        }
        while (n > 0 && word[n - 1] == '\'' && !(n > 2 && word[n - 2] == 'n'))
            n--;
        word[n] = '\0';
        if (n >= 3)
            mv_imagery_count(cand, &count, word, position++);
    }
    /* Round robin over the known classes (a figure, a place, a time, the weather, a
     * colour, a thing, then the second of each ...), then other content words. */
    int used[MV_IMAGERY_CANDIDATES] = {0};
    int picked = 1;
    while (out->count < max && picked) {
        picked = 0;
        for (int cls = 0; cls < MV_IMAGERY_OTHER && out->count < max; cls++) {
            size_t best = mv_imagery_best_of(cand, count, used, (mv_imagery_class)cls);
            if (best < count) {
                used[best] = 1;
                out->words[out->count++] = cand[best].w;
                picked = 1;
            }
        }
    }
    while (out->count < max) {
        size_t best = mv_imagery_best_of(cand, count, used, MV_IMAGERY_OTHER);
        if (best == count)
            break;
        used[best] = 1;
        out->words[out->count++] = cand[best].w;
    }
}
