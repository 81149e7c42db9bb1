/*
 * json_depth.c - how deeply a JSON text nests, found without recursion, so that outside JSON
 * can be refused before cJSON's recursive parser could run out of stack on it.
 */
#include "maivid/maivid.h"

MAIVID_API int maivid_json_depth(const char *text, size_t length)
{
    int depth = 0;
    int deepest = 0;
    int in_string = 0;
    if (text == NULL) {
        return 0;
    }
    for (size_t i = 0; i < length && text[i] != '\0'; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') {
                i++; /* the escaped character cannot end the string */
            } else if (c == '"') {
                in_string = 0;
            }
            continue;
        }
        if (c == '"') {
            in_string = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > deepest) {
                deepest = depth;
                if (deepest > MAIVID_JSON_MAX_DEPTH) {
                    return deepest; /* deep enough to refuse: no need to read on */
                }
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            if (--depth == 0) {
                return deepest; /* the first value ends here: parsers stop here too */
            }
        }
    }
    return deepest;
}
