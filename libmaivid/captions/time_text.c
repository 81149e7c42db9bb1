/*
 * time_text.c - times as subtitle files write them: "HH:MM:SS,mmm" (SRT), "HH:MM:SS.mmm"
 * (WebVTT, where the hours may be left out) and "mm:ss.xx" (LRC). Rounded to the unit the
 * format holds, never truncated, so a time read back lands on the same video frame.
 */
#include "captions/mv_captions.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>

void mv_time_hms_ms(double t, char sep, char *out, size_t n)
{
    long long ms = t > 0 && isfinite(t) ? llround(t * 1000.0) : 0;
    snprintf(out, n, "%02lld:%02lld:%02lld%c%03lld", ms / 3600000, (ms / 60000) % 60,
             (ms / 1000) % 60, sep, ms % 1000);
}

void mv_time_lrc(double t, char *out, size_t n)
{
    long long cs = t > 0 && isfinite(t) ? llround(t * 100.0) : 0;
    snprintf(out, n, "%02lld:%02lld.%02lld", cs / 6000, (cs / 100) % 60, cs % 100);
}

/* Reads 1+ digits (at most `max`); returns the count. */
static size_t digits(const char *s, size_t len, size_t max, long *v)
{
    size_t i = 0;
    *v = 0;
    while (i < len && i < max && isdigit((unsigned char)s[i])) {
        *v = *v * 10 + (s[i] - '0');
        i++;
    }
    return i;
}

int mv_time_parse_hms(const char *s, size_t len, double *seconds)
{
    long part[3];
    size_t parts = 0, i = 0;
    for (;;) {
        size_t n = digits(s + i, len - i, 4, &part[parts]);
        if (n == 0)
            return 0;
        i += n;
        parts++;
        if (parts < 3 && i < len && s[i] == ':') {
            i++;
            continue;
        }
        break;
    }
    if (parts < 2 || i >= len || (s[i] != '.' && s[i] != ','))
        return 0;
    i++;
    long ms;
    size_t n = digits(s + i, len - i, 3, &ms);
    if (n != 3 || i + n != len)
        return 0;
    long h = parts == 3 ? part[0] : 0, m = part[parts - 2], sec = part[parts - 1];
    if (m > 59 || sec > 59 || (parts == 3 && part[1] > 59))
        return 0;
    *seconds = (double)h * 3600.0 + (double)m * 60.0 + (double)sec + (double)ms / 1000.0;
    return 1;
}
