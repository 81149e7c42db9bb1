/*
 * mcp_schema.c - JSON Schema for the MCP tools, derived from the OpenAPI document so that one
 * description (openapi.c, whose create request comes from the parameter table) serves both:
 * references are inlined and OpenAPI 3.0's "nullable" becomes a type list with "null".
 */
#include <string.h>

#include <cjson/cJSON.h>

#include "mcp.h"

#define MV_SCHEMA_MAX_DEPTH 24      /* the document nests far less; a cycle stops here */
#define MV_SCHEMA_MAX_NODES 50000   /* and references that fan out stop here */

typedef struct mv_schema_walk {
    const cJSON *doc;
    long nodes_left;
} mv_schema_walk;

static cJSON *mv_schema_convert(mv_schema_walk *walk, const cJSON *schema, int depth);

/* The schema "#/components/schemas/NAME" points at, converted. */
static cJSON *mv_schema_resolve(mv_schema_walk *walk, const char *ref, int depth)
{
    static const char PREFIX[] = "#/components/schemas/";
    if (strncmp(ref, PREFIX, sizeof(PREFIX) - 1) != 0) {
        return NULL;
    }
    const cJSON *schemas = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(walk->doc, "components"), "schemas");
    const cJSON *target = cJSON_GetObjectItemCaseSensitive(schemas, ref + sizeof(PREFIX) - 1);
    return target != NULL ? mv_schema_convert(walk, target, depth + 1) : NULL;
}

/* "type": T with "nullable": true -> "type": [T, "null"]; null joins an enum. */
static void mv_schema_make_nullable(cJSON *schema)
{
    cJSON *type = cJSON_GetObjectItemCaseSensitive(schema, "type");
    if (cJSON_IsString(type)) {
        cJSON *types = cJSON_CreateArray();
        cJSON_AddItemToArray(types, cJSON_CreateString(type->valuestring));
        cJSON_AddItemToArray(types, cJSON_CreateString("null"));
        cJSON_ReplaceItemInObjectCaseSensitive(schema, "type", types);
    }
    cJSON *choices = cJSON_GetObjectItemCaseSensitive(schema, "enum");
    if (cJSON_IsArray(choices)) {
        const cJSON *choice;
        cJSON_ArrayForEach(choice, choices) {
            if (cJSON_IsNull(choice)) {
                return;
            }
        }
        cJSON_AddItemToArray(choices, cJSON_CreateNull());
    }
}

static cJSON *mv_schema_convert(mv_schema_walk *walk, const cJSON *schema, int depth)
{
    if (depth > MV_SCHEMA_MAX_DEPTH || --walk->nodes_left < 0) {
        return NULL;
    }
    if (cJSON_IsArray(schema)) { /* allOf, items lists, ... */
        cJSON *list = cJSON_CreateArray();
        const cJSON *entry;
        cJSON_ArrayForEach(entry, schema) {
            cJSON *converted = mv_schema_convert(walk, entry, depth + 1);
            if (converted == NULL) {
                cJSON_Delete(list);
                return NULL;
            }
            cJSON_AddItemToArray(list, converted);
        }
        return list;
    }
    if (!cJSON_IsObject(schema)) {
        return cJSON_Duplicate(schema, 1);
    }
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(schema, "$ref");
    if (cJSON_IsString(ref)) {
        return mv_schema_resolve(walk, ref->valuestring, depth);
    }
    cJSON *out = cJSON_CreateObject();
    int nullable = 0;
    const cJSON *member;
    cJSON_ArrayForEach(member, schema) {
        const char *key = member->string;
        if (strncmp(key, "x-", 2) == 0) {
            continue;
        }
        if (strcmp(key, "nullable") == 0) {
            nullable = cJSON_IsTrue(member);
            continue;
        }
        if (strcmp(key, "example") == 0) {
            cJSON *examples = cJSON_AddArrayToObject(out, "examples");
            cJSON_AddItemToArray(examples, cJSON_Duplicate(member, 1));
            continue;
        }
        cJSON *converted;
        if (strcmp(key, "properties") == 0) { /* names, not schemas, at this level */
            converted = cJSON_CreateObject();
            const cJSON *property;
            cJSON_ArrayForEach(property, member) {
                cJSON *one = mv_schema_convert(walk, property, depth + 1);
                if (one == NULL) {
                    cJSON_Delete(converted);
                    converted = NULL;
                    break;
                }
                cJSON_AddItemToObject(converted, property->string, one);
            }
        } else if (strcmp(key, "enum") == 0 || strcmp(key, "required") == 0 ||
                   strcmp(key, "default") == 0 || strcmp(key, "const") == 0) {
            converted = cJSON_Duplicate(member, 1); /* values, not schemas */
        } else {
            converted = mv_schema_convert(walk, member, depth + 1);
        }
        if (converted == NULL) {
            cJSON_Delete(out);
            return NULL;
        }
        cJSON_AddItemToObject(out, key, converted);
    }
    if (nullable) {
        mv_schema_make_nullable(out);
    }
    return out;
}

cJSON *mv_mcp_schema_from_openapi(const cJSON *doc, const cJSON *schema)
{
    mv_schema_walk walk = {doc, MV_SCHEMA_MAX_NODES};
    return mv_schema_convert(&walk, schema, 0);
}
