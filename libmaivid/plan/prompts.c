/*
 * prompts.c - the built-in prompt writer (deterministic, offline): for each scene a
 * positive prompt from its section's shot, its lyric lines (or, when instrumental, the
 * song's title and tags), the imagery words of the lyrics, the subject line shared by the
 * whole video, a motif for sections that return, the mood of the music, the song's style
 * tags and the visual style's template; and a negative prompt from the style.
 */
#include "plan/mv_plan_parts.h"
#include "catalog/mv_styles.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MV_PROMPT_MAX 1500
#define MV_PROMPT_LYRICS_MAX 180

typedef struct mv_prompt_text {
    char buf[MV_PROMPT_MAX + 1];
    size_t len;
} mv_prompt_text;

/* Appends ", part" (or just part when empty), cut to the buffer. */
static void mv_prompt_add(mv_prompt_text *t, const char *part)
{
    if (!part || !*part)
        return;
    if (t->len > 0 && t->len + 2 < sizeof t->buf) {
        memcpy(t->buf + t->len, ", ", 2);
        t->len += 2;
    }
    size_t n = strlen(part);
    if (t->len + n >= sizeof t->buf)
        n = sizeof t->buf - 1 - t->len;
    memcpy(t->buf + t->len, part, n);
    t->len += n;
    t->buf[t->len] = '\0';
}

/* Lyric text for a prompt: lines joined by " / ", without brackets or parentheses (which
 * image back ends read as weighting syntax), cut at a word near `max`. */
static void mv_prompt_clean_lyrics(const char *lyrics, char *out, size_t max)
{
    size_t o = 0;
    int space = 1;
    for (const char *p = lyrics; *p && o + 4 < max; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\n') {
            if (o > 0) {
                while (o > 0 && out[o - 1] == ' ')
                    o--;
                memcpy(out + o, " / ", 3);
                o += 3;
            }
            space = 1;
            continue;
        }
        if (strchr("[](){}<>\"", c))
            continue;
        if (isspace(c)) {
            if (!space)
                out[o++] = ' ';
            space = 1;
            continue;
        }
        out[o++] = (char)c;
        space = 0;
    }
    out[o] = '\0';
    if (o + 5 >= max) { /* cut back to a word boundary */
        char *cut = strrchr(out, ' ');
        if (cut && cut > out + max / 2)
            *cut = '\0';
    }
}

static const char *mv_prompt_shot(const char *section)
{
    static const struct { const char *kind, *shot; } shots[] = {
        {"intro", "opening establishing shot"},
        {"verse", "intimate medium shot"},
        {"pre-chorus", "rising tension, closer framing"},
        {"chorus", "sweeping wide shot, vivid and euphoric"},
        {"hook", "bold striking close-up"},
        {"bridge", "dreamlike change of perspective"},
        {"outro", "final lingering shot, fading light"},
        {"instrumental", "atmospheric scene without people in focus"},
    };
    for (size_t i = 0; i < sizeof shots / sizeof shots[0]; i++)
        if (section && strcmp(section, shots[i].kind) == 0)
            return shots[i].shot;
    return "cinematic shot";
}

static const char *mv_prompt_mood(double level)
{
    if (level < 0.35)
        return "calm mood, soft light, stillness";
    if (level > 0.65)
        return "energetic, dynamic lighting, intense colours";
    return "warm atmosphere, gentle motion";
}

/* The song's tags without the ones that do not paint (vocals, bpm), as "a, b, c". */
static void mv_prompt_tags(const char *tags, char *out, size_t size)
{
    out[0] = '\0';
    if (!tags)
        return;
    size_t o = 0;
    const char *p = tags;
    while (*p) {
        while (*p == ',' || *p == ';' || isspace((unsigned char)*p))
            p++;
        const char *start = p;
        while (*p && *p != ',' && *p != ';')
            p++;
        size_t n = (size_t)(p - start);
        while (n > 0 && isspace((unsigned char)start[n - 1]))
            n--;
        char tag[64];
        if (n == 0 || n >= sizeof tag)
            continue;
        memcpy(tag, start, n);
        tag[n] = '\0';
        if (strcasestr(tag, "vocal") || strcasestr(tag, "voice") || strcasestr(tag, "bpm") ||
            strpbrk(tag, "[](){}<>"))
            continue;
        if (o + n + 3 >= size || o > 90)
            break;
        if (o > 0) {
            memcpy(out + o, ", ", 2);
            o += 2;
        }
        memcpy(out + o, tag, n);
        o += n;
        out[o] = '\0';
    }
}

static void mv_prompt_words(const mv_imagery *im, size_t max, char *out, size_t size)
{
    out[0] = '\0';
    size_t o = 0;
    for (size_t i = 0; i < im->count && i < max; i++) {
        size_t n = strlen(im->words[i].word);
        if (o + n + 3 >= size)
            break;
        if (o > 0) {
            memcpy(out + o, ", ", 2);
            o += 2;
        }
        memcpy(out + o, im->words[i].word, n + 1);
        o += n;
    }
}

static const char *mv_prompt_first_of(const mv_imagery *im, mv_imagery_class cls)
{
    for (size_t i = 0; i < im->count; i++)
        if (im->words[i].cls == cls)
            return im->words[i].word;
    return NULL;
}

/* The song's imagery, from the whole lyric (or the title). */
static int mv_prompt_song_imagery(const mv_plan_input *in, mv_imagery *im)
{
    size_t total = 1;
    if (in->lyrics)
        for (size_t i = 0; i < in->lyrics->line_count; i++)
            total += strlen(in->lyrics->lines[i].text) + 1;
    total += (in->title ? strlen(in->title) : 0) + 2;
    char *all = malloc(total);
    if (!all)
        return -1;
    all[0] = '\0';
    if (in->title)
        strcat(all, in->title);
    strcat(all, "\n");
    if (in->lyrics)
        for (size_t i = 0; i < in->lyrics->line_count; i++) {
            strcat(all, in->lyrics->lines[i].text);
            strcat(all, "\n");
        }
    mv_imagery_extract(all, MV_IMAGERY_MAX, im);
    free(all);
    return 0;
}

/* The song's setting: its first place that is a landscape or a building, not a thing in it
 * (a chorus naming "the window" would otherwise make every scene that window). */
static const char *mv_prompt_setting(const mv_imagery *song)
{
    static const char *const things[] = {"window", "door", "car", "train", "bridge", "road",
                                         "highway", "roof", "tunnel", "wave", "waves", NULL};
    for (size_t i = 0; i < song->count; i++) {
        if (song->words[i].cls != MV_IMAGERY_PLACE)
            continue;
        int thing = 0;
        for (size_t k = 0; things[k]; k++)
            thing |= strcmp(song->words[i].word, things[k]) == 0;
        if (!thing)
            return song->words[i].word;
    }
    return NULL;
}

/* The line every prompt shares: who and where. Time of day and weather are not in it: they
 * change through a song (a midnight verse, a morning bridge), so each scene takes its own
 * and falls back to the song's (mv_prompt_atmosphere). */
static char *mv_prompt_subject(const mv_imagery *song)
{
    const char *figure = mv_prompt_first_of(song, MV_IMAGERY_FIGURE);
    const char *place = mv_prompt_setting(song);
    return mv_strdup_printf("recurring %s%s in the same %s", figure ? "character: a " : "setting",
                            figure ? figure : "", place ? place : "vast open landscape");
}

/* The song's time of day and weather for a scene whose own lines name neither; a scene that
 * names one of them describes its own atmosphere and takes nothing from the song. */
static void mv_prompt_atmosphere(const char *scene_text, const mv_imagery *song,
                                 mv_prompt_text *t)
{
    mv_imagery own;
    mv_imagery_extract(scene_text ? scene_text : "", MV_IMAGERY_MAX, &own);
    if (mv_prompt_first_of(&own, MV_IMAGERY_TIME) || mv_prompt_first_of(&own, MV_IMAGERY_WEATHER))
        return;
    mv_prompt_add(t, mv_prompt_first_of(song, MV_IMAGERY_TIME));
    mv_prompt_add(t, mv_prompt_first_of(song, MV_IMAGERY_WEATHER));
}

static void mv_prompt_negative(const mv_style *style, char *out, size_t size)
{
    static const char *const generic[] = {"text", "letters", "watermark", "signature",
                                          "lowres", "blurry", "deformed", "extra limbs"};
    mv_strlcpy(out, style ? style->negative_prompt : "", size);
    for (size_t i = 0; i < sizeof generic / sizeof generic[0]; i++) {
        if (strstr(out, generic[i]))
            continue;
        size_t o = strlen(out);
        if (o + strlen(generic[i]) + 3 >= size)
            break;
        snprintf(out + o, size - o, "%s%s", o ? ", " : "", generic[i]);
    }
}

static void mv_prompt_scene(const mv_plan_input *in, const mv_style *style, const mv_plan *plan,
                            const mv_plan_scene_info *info, size_t i, const mv_imagery *song,
                            mv_prompt_text *t)
{
    const mv_plan_scene *scene = &plan->scenes[i];
    const mv_plan_scene_info *me = &info[i];
    char lyrics[MV_PROMPT_LYRICS_MAX + 8];
    char words[160], tags[128];

    mv_prompt_add(t, mv_prompt_shot(me->section));
    const char *source = *scene->lyrics ? scene->lyrics : me->section_text;
    if (source && *source) {
        mv_prompt_clean_lyrics(source, lyrics, sizeof lyrics - 8);
        char depicting[sizeof lyrics + 16];
        snprintf(depicting, sizeof depicting, "depicting %s", lyrics);
        mv_prompt_add(t, depicting);
    } else {
        char title[sizeof lyrics + 40];
        mv_prompt_clean_lyrics(in->title && *in->title ? in->title : "music", lyrics,
                               sizeof lyrics - 8);
        snprintf(title, sizeof title, "instrumental interlude evoking %s", lyrics);
        mv_prompt_add(t, title);
        source = in->title;
    }
    mv_imagery im;
    mv_imagery_extract(source, 5, &im);
    mv_prompt_words(&im, 5, words, sizeof words);
    mv_prompt_add(t, words);
    mv_prompt_add(t, plan->subject);
    mv_prompt_atmosphere(source, song, t);
    if (me->repeated) {
        /* the motif comes from the family's first scene, so every return looks alike */
        size_t first = i;
        for (size_t k = 0; k < i; k++)
            if (info[k].family == me->family) {
                first = k;
                break;
            }
        const char *motif_source = *plan->scenes[first].lyrics ? plan->scenes[first].lyrics
                                                               : info[first].section_text;
        mv_imagery motif;
        mv_imagery_extract(motif_source, 2, &motif);
        if (motif.count > 0) {
            char phrase[96];
            snprintf(phrase, sizeof phrase, "recurring motif of %s%s%s", motif.words[0].word,
                     motif.count > 1 ? " and " : "", motif.count > 1 ? motif.words[1].word : "");
            mv_prompt_add(t, phrase);
        }
    }
    mv_prompt_add(t, mv_prompt_mood(me->energy));
    mv_prompt_tags(in->tags, tags, sizeof tags);
    mv_prompt_add(t, tags);
    mv_prompt_add(t, style ? style->prompt : NULL);
}

maivid_code mv_plan_write_builtin(const mv_plan_input *in, mv_plan *plan,
                                  const mv_plan_scene_info *info, mv_error *err)
{
    const mv_style *style = mv_style_find(in->style_id);
    mv_imagery song;
    if (mv_prompt_song_imagery(in, &song) != 0)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while writing prompts");
    free(plan->subject);
    plan->subject = mv_prompt_subject(&song);
    if (!plan->subject)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while writing prompts");
    char negative[512];
    mv_prompt_negative(style, negative, sizeof negative);
    for (size_t i = 0; i < plan->scene_count; i++) {
        mv_prompt_text t = {{0}, 0};
        mv_prompt_scene(in, style, plan, info, i, &song, &t);
        free(plan->scenes[i].prompt);
        free(plan->scenes[i].negative_prompt);
        plan->scenes[i].prompt = mv_strdup(t.buf);
        plan->scenes[i].negative_prompt = mv_strdup(negative);
        if (!plan->scenes[i].prompt || !plan->scenes[i].negative_prompt)
            return mv_fail(err, MAIVID_E_NOMEM, "out of memory while writing prompts");
    }
    return MAIVID_OK;
}
