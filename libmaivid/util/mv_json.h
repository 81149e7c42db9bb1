/*
 * mv_json.h - the few cJSON chores every record repeats: parsing outside text with bounded
 * nesting, writing a tree to a file atomically, and reading optional string and number fields.
 */
#ifndef MV_JSON_H
#define MV_JSON_H

#include <cjson/cJSON.h>

#include "util/mv_common.h"

/* Parses `length` bytes of `text` (as cJSON_ParseWithLengthOpts) after checking that it
 * nests no deeper than MAIVID_JSON_MAX_DEPTH (maivid_json_depth): NULL when it is deeper or
 * not JSON. Every parse of text from outside the process or from a file goes through here. */
cJSON *mv_json_parse_opts(const char *text, size_t length, const char **end, int require_null);
/* The same for a whole NUL-terminated text (NULL gives NULL). */
cJSON *mv_json_parse(const char *text);
/* Reads the file at `path` and parses it as mv_json_parse_opts does. A file that cannot be
 * read gives its error; a file that is not JSON (or nests too deeply) gives MAIVID_OK with
 * *root NULL, so the caller names what the file should have been. */
maivid_code mv_json_read_file(const char *path, cJSON **root, mv_error *err);
/* Prints `root` (indented when `pretty`) and writes it to `path` atomically. */
maivid_code mv_json_write_file(const cJSON *root, int pretty, const char *path, mv_error *err);
/* A malloc'd copy of the string at o[key], or NULL when absent or not a string. */
char *mv_json_dup_string(const cJSON *o, const char *key);
/* The number at o[key], or `fallback` when absent or not a number. */
double mv_json_number_or(const cJSON *o, const char *key, double fallback);

/* A JSON array of strings from a comma-separated list ("a,b" -> ["a","b"]; NULL or "": []). */
cJSON *mv_json_word_array(const char *list);
/* The comma-separated list of the strings in array o[key] (malloc'd; "" when absent). */
char *mv_json_word_list(const cJSON *o, const char *key);

#endif /* MV_JSON_H */
