/*
 * json_nul.c - finds a NUL character in a JSON text (a raw 0 byte or a \u0000 escape).
 * cJSON keeps strings NUL-terminated, so such a string would silently end early ("https://a
 * \u0000.evil" becomes "https://a"); the server refuses it and names the field.
 */
#include <string.h>
#include <strings.h>

#include "server.h"

/* The key of the member being read when the NUL was found is copied into `field` ("" when
 * unknown or not a plain name of letters, digits and underscores). Returns 1 when the text holds a NUL, else 0. */
int mv_json_text_has_nul(const char *text, size_t length, char *field, size_t field_size)
{
    field[0] = '\0';
    const char *last_string = NULL;
    size_t last_length = 0;
    for (size_t i = 0; i < length; i++) {
        if (text[i] == '\0')
            return 1;
        if (text[i] == ':' && last_string) { /* the string just read was a key */
            size_t n = last_length < field_size - 1 ? last_length : field_size - 1;
            memcpy(field, last_string, n);
            field[n] = '\0';
            if (strspn(field, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != n)
                field[0] = '\0'; /* not a plain field name: not echoed back */
            last_string = NULL;
            continue;
        }
        if (text[i] != '"')
            continue;
        size_t start = ++i;
        for (; i < length && text[i] != '"'; i++) {
            if (text[i] == '\0')
                return 1;
            if (text[i] != '\\' || i + 1 >= length)
                continue;
            i++;
            if (text[i] == 'u' && i + 4 < length && strncasecmp(text + i + 1, "0000", 4) == 0)
                return 1;
        }
        last_string = text + start;
        last_length = i - start;
    }
    return 0;
}
