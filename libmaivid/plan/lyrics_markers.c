/*
 * lyrics_markers.c - recognises lyric section markers ("[Verse 1]", "[CHORUS 2]",
 * "[Pre-Chorus: soft]", "(Chorus)", "Bridge:") and maps their many spellings to the
 * canonical kinds the planner uses.
 */
#include "plan/mv_plan_parts.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct mv_marker_alias {
    const char *phrase; /* normalised: lower case, single spaces, no '-' or '_' */
    const char *kind;
    int prefix_only;    /* only recognised at the start of the marker */
} mv_marker_alias;

/* Longer phrases first so "pre chorus" wins over "chorus". */
static const mv_marker_alias mv_marker_aliases[] = {
    {"pre chorus", "pre-chorus", 0},   {"prechorus", "pre-chorus", 0},
    {"build up", "pre-chorus", 0},     {"buildup", "pre-chorus", 0},
    {"build", "pre-chorus", 1},        {"post chorus", "chorus", 0},
    {"postchorus", "chorus", 0},       {"chorus", "chorus", 0},
    {"refrain", "chorus", 0},          {"verse", "verse", 0},
    {"intro", "intro", 0},             {"outro", "outro", 0},
    {"ending", "outro", 1},            {"end", "outro", 1},
    {"fade out", "outro", 1},          {"coda", "outro", 1},
    {"bridge", "bridge", 0},           {"middle 8", "bridge", 1},
    {"hook", "hook", 0},               {"instrumental", "instrumental", 0},
    {"interlude", "instrumental", 0},  {"breakdown", "instrumental", 0},
    {"break", "instrumental", 0},      {"solo", "instrumental", 0},
    {"drop", "instrumental", 0},
};

/* Lower case, '-', '_' and runs of blanks become one space, trimmed. */
static void mv_marker_normalise(const char *s, size_t len, char *out, size_t out_size)
{
    size_t o = 0;
    int space = 1;
    for (size_t i = 0; i < len && o + 1 < out_size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '-' || c == '_' || isspace(c)) {
            if (!space)
                out[o++] = ' ';
            space = 1;
            continue;
        }
        out[o++] = (char)tolower(c);
        space = 0;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
}

static int mv_marker_word_start(const char *text, const char *at)
{
    return at == text || !isalnum((unsigned char)at[-1]);
}

static int mv_marker_word_end(const char *after)
{
    return !isalpha((unsigned char)*after);
}

/* Skips " 2", "#2"; returns the number or 0. Advances *p. */
static int mv_marker_number(const char **p)
{
    const char *s = *p;
    while (*s == ' ' || *s == '#')
        s++;
    if (!isdigit((unsigned char)*s))
        return 0;
    int n = 0;
    while (isdigit((unsigned char)*s) && n < 1000)
        n = n * 10 + (*s++ - '0');
    *p = s;
    return n;
}

/* Strict tail: nothing, or a repeat count "x2" / "2x" / "(x2)", or a final ':'. */
static int mv_marker_strict_tail(const char *s)
{
    while (*s == ' ' || *s == ':' || *s == '(' || *s == ')' || *s == '*')
        s++;
    if (*s == '\0')
        return 1;
    if (*s == 'x' && isdigit((unsigned char)s[1])) {
        s++;
        while (isdigit((unsigned char)*s))
            s++;
    } else if (isdigit((unsigned char)*s)) {
        while (isdigit((unsigned char)*s))
            s++;
        if (*s != 'x')
            return 0;
        s++;
    } else {
        return 0;
    }
    while (*s == ' ' || *s == ')' || *s == ':')
        s++;
    return *s == '\0';
}

int mv_lyrics_marker_kind(const char *s, size_t len, int strict, const char **kind,
                          int *number)
{
    char text[256];
    mv_marker_normalise(s, len, text, sizeof text);
    const char *body = text;
    if (strncmp(body, "repeat ", 7) == 0)
        body += 7;
    size_t n_alias = sizeof mv_marker_aliases / sizeof mv_marker_aliases[0];
    /* At the start: "verse 2", "chorus: loud", "pre chorus (x2)". */
    for (size_t k = 0; k < n_alias; k++) {
        size_t plen = strlen(mv_marker_aliases[k].phrase);
        if (strncmp(body, mv_marker_aliases[k].phrase, plen) != 0 ||
            !mv_marker_word_end(body + plen))
            continue;
        const char *rest = body + plen;
        int num = mv_marker_number(&rest);
        if (strict && !mv_marker_strict_tail(rest))
            return 0;
        if (!strict && mv_marker_aliases[k].prefix_only && *rest && *rest != ':' &&
            *rest != ' ')
            continue;
        *kind = mv_marker_aliases[k].kind;
        *number = num;
        return 1;
    }
    if (strict)
        return 0;
    /* Anywhere, as a word: "sad piano intro", "guitar solo", "final chorus 2". */
    const char *best = NULL;
    size_t best_k = 0;
    for (size_t k = 0; k < n_alias; k++) {
        if (mv_marker_aliases[k].prefix_only)
            continue;
        const char *phrase = mv_marker_aliases[k].phrase;
        size_t plen = strlen(phrase);
        for (const char *at = strstr(text, phrase); at; at = strstr(at + 1, phrase)) {
            if (mv_marker_word_start(text, at) && mv_marker_word_end(at + plen)) {
                if (!best || at < best) {
                    best = at;
                    best_k = k;
                }
                break;
            }
        }
    }
    if (!best)
        return 0;
    const char *rest = best + strlen(mv_marker_aliases[best_k].phrase);
    *kind = mv_marker_aliases[best_k].kind;
    *number = mv_marker_number(&rest);
    return 1;
}
