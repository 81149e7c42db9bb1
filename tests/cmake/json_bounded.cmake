# Every parse of JSON in libmaivid goes through mv_json_parse (util/mv_json.c), which refuses
# text nested deeper than MAIVID_JSON_MAX_DEPTH before cJSON's recursive parser sees it: this
# test fails when a direct cJSON_Parse* call appears anywhere else in the library.
add_test(NAME json_parse_is_bounded
  COMMAND sh -c "if grep -rn --include=*.c 'cJSON_Parse' libmaivid | grep -v '^libmaivid/util/mv_json.c:'; then echo 'parse JSON with mv_json_parse / mv_json_parse_opts (util/mv_json.h) instead'; exit 1; fi"
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
