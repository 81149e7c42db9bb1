/*
 * mv_json.h - the few cJSON chores every stored record repeats: writing a tree to a file
 * atomically, and reading optional string and number fields.
 */
#ifndef MV_JSON_H
#define MV_JSON_H

#include <cjson/cJSON.h>

#include "util/mv_common.h"

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
