/*
 * lrc.c - the small tokens of the LRC lyrics format: line and word time tags
 * ("[01:02.50]", "<01:02.50>") and metadata tags ("[ar:...]", "[offset:+250]").
 */
#include "plan/mv_plan_parts.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Reads 1..3 digits; returns the count read. */
static size_t mv_lrc_digits(const char *s, size_t len, long *value)
{
    size_t i = 0;
    long v = 0;
    while (i < len && i < 3 && isdigit((unsigned char)s[i])) {
        v = v * 10 + (s[i] - '0');
        i++;
    }
    *value = v;
    return i;
}

int mv_lrc_parse_time(const char *s, size_t len, double *seconds)
{
    long part[3];
    size_t parts = 0, i = 0;
    while (parts < 3) {
        long v;
        size_t n = mv_lrc_digits(s + i, len - i, &v);
        if (n == 0)
            return 0;
        part[parts++] = v;
        i += n;
        if (i < len && s[i] == ':') {
            i++;
            continue;
        }
        break;
    }
    if (parts < 2)
        return 0;
    double fraction = 0.0;
    if (i < len && s[i] == '.') {
        i++;
        double scale = 0.1;
        size_t start = i;
        while (i < len && isdigit((unsigned char)s[i])) {
            fraction += (s[i] - '0') * scale;
            scale /= 10.0;
            i++;
        }
        if (i == start)
            return 0;
    }
    if (i != len)
        return 0;
    double t;
    if (parts == 2) {
        if (part[1] > 59)
            return 0;
        t = (double)part[0] * 60.0 + (double)part[1] + fraction;
    } else if (fraction == 0.0 && part[2] < 100 && part[1] <= 59 && part[0] < 100) {
        /* "mm:ss:xx" (hundredths) is far more common than "h:mm:ss" in lyrics files */
        t = (double)part[0] * 60.0 + (double)part[1] + (double)part[2] / 100.0;
    } else {
        if (part[1] > 59 || part[2] > 59)
            return 0;
        t = (double)part[0] * 3600.0 + (double)part[1] * 60.0 + (double)part[2] + fraction;
    }
    *seconds = t;
    return 1;
}

int mv_lrc_metadata_tag(const char *line, long *offset_ms)
{
    static const char *const keys[] = {"ar", "ti", "al", "au", "by", "length", "offset",
                                       "re", "ve", "tool", "la", "lang", "id", "kana",
                                       "lyricist", "composer", "#"};
    if (line[0] != '[')
        return 0;
    const char *colon = strchr(line, ':');
    size_t n = strlen(line);
    if (!colon || n < 3 || line[n - 1] != ']')
        return 0;
    size_t key_len = (size_t)(colon - line - 1);
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        if (strlen(keys[k]) == key_len && strncasecmp(line + 1, keys[k], key_len) == 0) {
            if (strcmp(keys[k], "offset") == 0 && offset_ms)
                *offset_ms = strtol(colon + 1, NULL, 10);
            return 1;
        }
    }
    return 0;
}

void mv_lrc_strip_word_times(char *text, double *first_time)
{
    char *out = text;
    int found = 0;
    for (char *p = text; *p;) {
        if (*p == '<') {
            char *close = strchr(p, '>');
            double t;
            if (close && mv_lrc_parse_time(p + 1, (size_t)(close - p - 1), &t)) {
                if (!found && first_time)
                    *first_time = t;
                found = 1;
                p = close + 1;
                continue;
            }
        }
        *out++ = *p++;
    }
    *out = '\0';
}
