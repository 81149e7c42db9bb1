/*
 * mv_paint_lexicon.c - the words that name drawable things: a table from words (synonyms
 * included) to motifs and their variants, the candidate base forms of an inflected word
 * ("gulls" -> gull, "burning" -> burn, "danced" -> dance, "cities" -> city), and the motif
 * facts (name, where it stands, size, whether it gives light).
 */
#include "paint/mv_paint_internal.h"

#include <string.h>

typedef struct mv_lexeme {
    const char *word;
    mv_motif_id motif;
    int variant; /* -1: chosen by the seed */
} mv_lexeme;

static const mv_lexeme mv_lexicon[] = {
    {"lighthouse", MV_M_LIGHTHOUSE, -1}, {"beacon", MV_M_LIGHTHOUSE, 1},
    {"boat", MV_M_BOAT, -1}, {"rowboat", MV_M_BOAT, 0}, {"canoe", MV_M_BOAT, 0},
    {"dinghy", MV_M_BOAT, 0}, {"fishing", MV_M_BOAT, 1}, {"fisherman", MV_M_BOAT, 1},
    {"fishermen", MV_M_BOAT, 1}, {"trawler", MV_M_BOAT, 3}, {"raft", MV_M_BOAT, 0},
    {"sailboat", MV_M_SAILBOAT, -1}, {"sail", MV_M_SAILBOAT, -1}, {"yacht", MV_M_SAILBOAT, 3},
    {"sailing", MV_M_SAILBOAT, -1}, {"ship", MV_M_SHIP, -1}, {"steamer", MV_M_SHIP, 1},
    {"ferry", MV_M_SHIP, 2}, {"liner", MV_M_SHIP, 0}, {"vessel", MV_M_SHIP, -1},
    {"freighter", MV_M_SHIP, 3}, {"shipwreck", MV_M_SHIP, 3},
    {"bird", MV_M_BIRDS, 0}, {"gull", MV_M_BIRDS, 1}, {"seagull", MV_M_BIRDS, 1},
    {"seabird", MV_M_BIRDS, 1}, {"albatross", MV_M_BIRDS, 1}, {"crow", MV_M_BIRDS, 0},
    {"raven", MV_M_BIRDS, 0}, {"swallow", MV_M_BIRDS, 0}, {"sparrow", MV_M_BIRDS, 0},
    {"dove", MV_M_BIRDS, 1}, {"flock", MV_M_BIRDS, 0}, {"wing", MV_M_BIRDS, 0},
    {"fly", MV_M_BIRDS, 0}, {"flying", MV_M_BIRDS, 0}, {"flew", MV_M_BIRDS, 0},
    {"firework", MV_M_FIREWORKS, -1}, {"balloon", MV_M_BALLOONS, -1},
    {"lantern", MV_M_LANTERN, -1}, {"lamp", MV_M_LAMP, -1}, {"lamplight", MV_M_LAMP, -1},
    {"streetlight", MV_M_LAMP, -1}, {"streetlamp", MV_M_LAMP, -1}, {"lamppost", MV_M_LAMP, -1},
    {"candle", MV_M_CANDLE, -1}, {"candlelight", MV_M_CANDLE, 0},
    {"fire", MV_M_FIRE, -1}, {"flame", MV_M_FIRE, -1}, {"bonfire", MV_M_FIRE, -1},
    {"campfire", MV_M_FIRE, -1}, {"blaze", MV_M_FIRE, -1}, {"ember", MV_M_FIRE, -1},
    {"fireplace", MV_M_FIRE, -1}, {"smoke", MV_M_SMOKE, -1}, {"smoky", MV_M_SMOKE, -1},
    {"chimney", MV_M_SMOKE, -1},
    {"house", MV_M_HOUSE, -1}, {"home", MV_M_HOUSE, -1}, {"village", MV_M_HOUSE, -1},
    {"cabin", MV_M_CABIN, -1}, {"hut", MV_M_CABIN, -1}, {"cottage", MV_M_CABIN, -1},
    {"shack", MV_M_CABIN, -1}, {"lodge", MV_M_CABIN, -1},
    {"church", MV_M_CHURCH, -1}, {"chapel", MV_M_CHURCH, -1}, {"cathedral", MV_M_CHURCH, -1},
    {"steeple", MV_M_CHURCH, -1}, {"tower", MV_M_TOWER, -1}, {"castle", MV_M_TOWER, 0},
    {"clocktower", MV_M_TOWER, 1}, {"belfry", MV_M_TOWER, 1},
    {"door", MV_M_DOOR, -1}, {"doorway", MV_M_DOOR, -1}, {"gate", MV_M_DOOR, -1},
    {"stair", MV_M_STAIRS, -1}, {"staircase", MV_M_STAIRS, -1}, {"stairway", MV_M_STAIRS, -1},
    {"step", MV_M_STAIRS, -1}, {"window", MV_M_WINDOW, -1}, {"windowsill", MV_M_WINDOW, -1},
    {"bridge", MV_M_BRIDGE, -1}, {"road", MV_M_ROAD, -1}, {"highway", MV_M_ROAD, -1},
    {"freeway", MV_M_ROAD, -1}, {"lane", MV_M_ROAD, -1}, {"route", MV_M_ROAD, -1},
    {"car", MV_M_CAR, -1}, {"taxi", MV_M_CAR, -1}, {"cab", MV_M_CAR, -1},
    {"truck", MV_M_CAR, 3}, {"drive", MV_M_CAR, -1}, {"driving", MV_M_CAR, -1},
    {"drove", MV_M_CAR, -1}, {"cadillac", MV_M_CAR, 0},
    {"train", MV_M_TRAIN, -1}, {"railway", MV_M_TRAIN, -1}, {"railroad", MV_M_TRAIN, -1},
    {"rail", MV_M_TRAIN, -1}, {"track", MV_M_TRAIN, -1}, {"locomotive", MV_M_TRAIN, 1},
    {"station", MV_M_TRAIN, -1}, {"subway", MV_M_TRAIN, 0},
    {"pine", MV_M_PINE, -1}, {"fir", MV_M_PINE, -1}, {"spruce", MV_M_PINE, -1},
    {"evergreen", MV_M_PINE, -1}, {"tree", MV_M_TREE, -1}, {"oak", MV_M_TREE, 0},
    {"maple", MV_M_TREE, 2}, {"elm", MV_M_TREE, 1}, {"orchard", MV_M_TREE, 1},
    {"palm", MV_M_PALM, -1}, {"willow", MV_M_WILLOW, -1},
    {"flower", MV_M_FLOWERS, -1}, {"blossom", MV_M_FLOWERS, -1}, {"bloom", MV_M_FLOWERS, -1},
    {"daisy", MV_M_FLOWERS, 2}, {"tulip", MV_M_FLOWERS, 0}, {"lily", MV_M_FLOWERS, 2},
    {"garden", MV_M_FLOWERS, -1}, {"petal", MV_M_FLOWERS, -1}, {"bouquet", MV_M_FLOWERS, -1},
    {"sunflower", MV_M_FLOWERS, 1},
    {"figure", MV_M_FIGURE, 0}, {"person", MV_M_FIGURE, 0}, {"man", MV_M_FIGURE, 0},
    {"woman", MV_M_FIGURE, 0}, {"girl", MV_M_FIGURE, 0}, {"boy", MV_M_FIGURE, 0},
    {"men", MV_M_CROWD, -1}, {"women", MV_M_CROWD, -1},
    {"child", MV_M_FIGURE, 0}, {"stranger", MV_M_FIGURE, 1}, {"wanderer", MV_M_FIGURE, 1},
    {"silhouette", MV_M_FIGURE, 0}, {"alone", MV_M_FIGURE, 0}, {"lonely", MV_M_FIGURE, 0},
    {"walk", MV_M_FIGURE, 1}, {"walking", MV_M_FIGURE, 1}, {"wander", MV_M_FIGURE, 1},
    {"standing", MV_M_FIGURE, 0}, {"waiting", MV_M_FIGURE, 0}, {"sailor", MV_M_FIGURE, 0},
    {"shout", MV_M_FIGURE, 2}, {"scream", MV_M_FIGURE, 2}, {"arm", MV_M_FIGURE, 2},
    {"couple", MV_M_COUPLE, -1}, {"lover", MV_M_COUPLE, -1}, {"together", MV_M_COUPLE, -1},
    {"kiss", MV_M_COUPLE, -1}, {"embrace", MV_M_COUPLE, -1},
    {"dancer", MV_M_DANCER, -1}, {"dance", MV_M_DANCER, -1}, {"dancing", MV_M_DANCER, -1},
    {"ballerina", MV_M_DANCER, -1}, {"ballet", MV_M_DANCER, -1},
    {"crowd", MV_M_CROWD, -1}, {"people", MV_M_CROWD, -1}, {"audience", MV_M_CROWD, -1},
    {"fan", MV_M_CROWD, -1}, {"everybody", MV_M_CROWD, -1}, {"everyone", MV_M_CROWD, -1},
    {"party", MV_M_CROWD, -1}, {"festival", MV_M_CROWD, -1},
    {"hand", MV_M_HANDS, -1}, {"finger", MV_M_HANDS, -1}, {"hold", MV_M_HANDS, -1},
    {"holding", MV_M_HANDS, -1}, {"touch", MV_M_HANDS, -1},
    {"heart", MV_M_HEART, -1}, {"heartbeat", MV_M_HEART, -1}, {"valentine", MV_M_HEART, 1},
    {"guitar", MV_M_GUITAR, -1}, {"piano", MV_M_PIANO, -1}, {"microphone", MV_M_MICROPHONE, -1},
    {"mic", MV_M_MICROPHONE, -1}, {"stage", MV_M_MICROPHONE, -1}, {"sing", MV_M_MICROPHONE, -1},
    {"singing", MV_M_MICROPHONE, -1}, {"singer", MV_M_MICROPHONE, -1},
    {"song", MV_M_MICROPHONE, -1},
    {"clock", MV_M_CLOCK, -1}, {"hour", MV_M_CLOCK, -1}, {"tick", MV_M_CLOCK, -1},
    {"ticking", MV_M_CLOCK, -1},
};

static const mv_motif_info mv_motif_table[MV_M_COUNT] = {
    [MV_M_LIGHTHOUSE] = {"lighthouse", MV_STAGE_SHORE, 0.5f, 1},
    [MV_M_BOAT] = {"boat", MV_STAGE_WATER, 0.3f, 0},
    [MV_M_SAILBOAT] = {"sailboat", MV_STAGE_WATER, 0.3f, 0},
    [MV_M_SHIP] = {"ship", MV_STAGE_WATER, 0.15f, 0},
    [MV_M_BIRDS] = {"birds", MV_STAGE_SKY, 0.4f, 0},
    [MV_M_FIREWORKS] = {"fireworks", MV_STAGE_SKY, 0.3f, 1},
    [MV_M_BALLOONS] = {"balloons", MV_STAGE_SKY, 0.4f, 0},
    [MV_M_LANTERN] = {"lantern", MV_STAGE_NEAR, 0.36f, 1},
    [MV_M_LAMP] = {"lamp", MV_STAGE_GROUND, 0.42f, 1},
    [MV_M_CANDLE] = {"candle", MV_STAGE_NEAR, 0.34f, 1},
    [MV_M_FIRE] = {"fire", MV_STAGE_GROUND, 0.2f, 1},
    [MV_M_SMOKE] = {"smoke", MV_STAGE_GROUND, 0.5f, 0},
    [MV_M_HOUSE] = {"house", MV_STAGE_GROUND, 0.2f, 0},
    [MV_M_CABIN] = {"cabin", MV_STAGE_GROUND, 0.2f, 0},
    [MV_M_CHURCH] = {"church", MV_STAGE_GROUND, 0.34f, 0},
    [MV_M_TOWER] = {"tower", MV_STAGE_GROUND, 0.45f, 0},
    [MV_M_DOOR] = {"door", MV_STAGE_NEAR, 0.55f, 1},
    [MV_M_STAIRS] = {"stairs", MV_STAGE_NEAR, 0.4f, 0},
    [MV_M_WINDOW] = {"window", MV_STAGE_NEAR, 0.3f, 1},
    [MV_M_BRIDGE] = {"bridge", MV_STAGE_SHORE, 0.16f, 0},
    [MV_M_ROAD] = {"road", MV_STAGE_GROUND, 1.0f, 0},
    [MV_M_CAR] = {"car", MV_STAGE_GROUND, 0.1f, 1},
    [MV_M_TRAIN] = {"train", MV_STAGE_GROUND, 0.15f, 1},
    [MV_M_PINE] = {"pine", MV_STAGE_GROUND, 0.45f, 0},
    [MV_M_TREE] = {"tree", MV_STAGE_GROUND, 0.4f, 0},
    [MV_M_PALM] = {"palm", MV_STAGE_GROUND, 0.45f, 0},
    [MV_M_WILLOW] = {"willow", MV_STAGE_GROUND, 0.4f, 0},
    [MV_M_FLOWERS] = {"flowers", MV_STAGE_NEAR, 0.16f, 0},
    [MV_M_FIGURE] = {"figure", MV_STAGE_GROUND, 0.34f, 0},
    [MV_M_COUPLE] = {"couple", MV_STAGE_GROUND, 0.34f, 0},
    [MV_M_DANCER] = {"dancer", MV_STAGE_GROUND, 0.36f, 0},
    [MV_M_CROWD] = {"crowd", MV_STAGE_NEAR, 0.26f, 0},
    [MV_M_HANDS] = {"hands", MV_STAGE_NEAR, 0.5f, 0},
    [MV_M_HEART] = {"heart", MV_STAGE_NEAR, 0.34f, 1},
    [MV_M_GUITAR] = {"guitar", MV_STAGE_NEAR, 0.55f, 0},
    [MV_M_PIANO] = {"piano", MV_STAGE_NEAR, 0.34f, 0},
    [MV_M_MICROPHONE] = {"microphone", MV_STAGE_NEAR, 0.6f, 0},
    [MV_M_CLOCK] = {"clock", MV_STAGE_NEAR, 0.34f, 0},
};

const mv_motif_info *mv_motif_get(mv_motif_id id)
{
    return id > MV_M_NONE && id < MV_M_COUNT ? &mv_motif_table[id] : NULL;
}

int mv_word_forms(const char *w, char forms[][32], int max)
{
    size_t n = strlen(w);
    int k = 0;
    if (n == 0 || n >= 32 || max < 1)
        return 0;
    memcpy(forms[k++], w, n + 1);
#define MV_FORM(cut, add)                                                                      \
    do {                                                                                       \
        if (k < max && n > strlen(cut) + 2 && strcmp(w + n - strlen(cut), cut) == 0) {         \
            size_t keep = n - strlen(cut);                                                     \
            memcpy(forms[k], w, keep);                                                         \
            strcpy(forms[k] + keep, add);                                                      \
            k++;                                                                               \
        }                                                                                      \
    } while (0)
    MV_FORM("ies", "y");
    MV_FORM("es", "");
    MV_FORM("s", "");
    MV_FORM("ing", "");
    MV_FORM("ing", "e");
    MV_FORM("ed", "");
    MV_FORM("ed", "e");
    MV_FORM("t", ""); /* burnt */
#undef MV_FORM
    return k;
}

static const mv_lexeme *mv_lexicon_exact(const char *w)
{
    for (size_t i = 0; i < sizeof mv_lexicon / sizeof mv_lexicon[0]; i++)
        if (strcmp(mv_lexicon[i].word, w) == 0)
            return &mv_lexicon[i];
    return NULL;
}

int mv_lexicon_find(const char *word, mv_motif_id *motif, int *variant)
{
    char forms[9][32];
    int n = mv_word_forms(word, forms, 9);
    for (int i = 0; i < n; i++) {
        const mv_lexeme *e = mv_lexicon_exact(forms[i]);
        if (e) {
            *motif = e->motif;
            *variant = e->variant;
            return 1;
        }
    }
    return 0;
}
