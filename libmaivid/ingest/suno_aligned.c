/*
 * suno_aligned.c - Suno's aligned lyrics (shared/research/suno.md section 7): GET
 * <api>/api/gen/<clip id>/aligned_lyrics/v2/ with the operator's session token as a Bearer
 * token. The answer's aligned_words[] {word, start_s, end_s, success, p_align} (or, when a
 * version has only lines, aligned_lyrics[].words[] or the lines themselves) become heard
 * words for mv_align_known_text(); section markers such as "[Verse 1]" are dropped. The
 * token is a secret: it is never put into an error message.
 */
#include "ingest/mv_ingest_internal.h"
#include "util/mv_json.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#define MV_ALIGNED_CAP (8u * 1024 * 1024)

static int is_marker(const char *w)
{
    while (*w == ' ')
        w++;
    return *w == '[';
}

static int add_word(const cJSON *o, const char *text_key, mv_heard_words *out)
{
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(o, text_key);
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "start_s");
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "end_s");
    const cJSON *ok = cJSON_GetObjectItemCaseSensitive(o, "success");
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "p_align");
    if (!cJSON_IsString(w) || !cJSON_IsNumber(s) || !cJSON_IsNumber(e) || cJSON_IsFalse(ok) ||
        is_marker(w->valuestring) || !(e->valuedouble >= s->valuedouble) || s->valuedouble < 0)
        return 0;
    double conf = cJSON_IsNumber(p) && p->valuedouble >= 0 && p->valuedouble <= 1
                      ? p->valuedouble : 1.0;
    /* an entry may hold several words ("hum in "): they share its span */
    char *copy = mv_strdup(w->valuestring);
    if (!copy)
        return -1;
    size_t count = 0;
    char *save = NULL;
    for (char *t = strtok_r(copy, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save))
        count++;
    free(copy);
    copy = mv_strdup(w->valuestring);
    if (!copy)
        return -1;
    double step = count ? (e->valuedouble - s->valuedouble) / (double)count : 0;
    size_t k = 0;
    int rc = 0;
    for (char *t = strtok_r(copy, " \t\n", &save); t && rc == 0;
         t = strtok_r(NULL, " \t\n", &save), k++)
        rc = mv_heard_add(out, t, s->valuedouble + step * (double)k,
                          s->valuedouble + step * (double)(k + 1), conf);
    free(copy);
    return rc;
}

maivid_code mv_suno_aligned_parse(const char *json, size_t len, mv_heard_words *out,
                                  mv_error *err)
{
    memset(out, 0, sizeof *out);
    cJSON *root = json ? mv_json_parse_opts(json, len, NULL, 0) : NULL;
    const cJSON *words = cJSON_GetObjectItemCaseSensitive(root, "aligned_words");
    const cJSON *lines = cJSON_GetObjectItemCaseSensitive(root, "aligned_lyrics");
    int rc = 0;
    const cJSON *o;
    if (cJSON_IsArray(words) && cJSON_GetArraySize(words) > 0) {
        cJSON_ArrayForEach(o, words)
            if (rc == 0)
                rc = add_word(o, "word", out);
    } else if (cJSON_IsArray(lines)) {
        cJSON_ArrayForEach(o, lines) {
            const cJSON *lw = cJSON_GetObjectItemCaseSensitive(o, "words");
            const cJSON *x;
            if (cJSON_IsArray(lw) && cJSON_GetArraySize(lw) > 0) {
                cJSON_ArrayForEach(x, lw)
                    if (rc == 0)
                        rc = add_word(x, "word", out);
            } else if (rc == 0) {
                rc = add_word(o, "text", out);
            }
        }
    }
    cJSON_Delete(root);
    if (rc != 0) {
        mv_heard_free(out);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory while reading Suno's aligned lyrics");
    }
    if (out->n == 0)
        return mv_fail(err, MAIVID_E_FETCH, "Suno's aligned lyrics answer holds no timed words");
    return MAIVID_OK;
}

maivid_code mv_suno_aligned_words(const mv_fetch_config *cfg, const char *clip_id,
                                  const char *token, const mv_task *task, mv_heard_words *out,
                                  mv_error *err)
{
    memset(out, 0, sizeof *out);
    if (!token || !token[0] || !clip_id || !clip_id[0])
        return mv_fail(err, MAIVID_E_INVALID, "no Suno session token or clip id");
    for (const char *p = clip_id; *p; p++)
        if (!(((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || *p == '-')))
            return mv_fail(err, MAIVID_E_INVALID, "'%.60s' is not a Suno clip id", clip_id);
    const char *base = cfg && cfg->suno_api_base ? cfg->suno_api_base
                                                 : "https://studio-api.prod.suno.com";
    char *url = mv_strdup_printf("%s/api/gen/%s/aligned_lyrics/v2/", base, clip_id);
    if (!url)
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    mv_dl_request req = {.url = url, .cfg = cfg, .max_bytes = MV_ALIGNED_CAP,
                         .max_retries = 1, .retry_delay = 0.5, .accept = "application/json",
                         .task = task, .bearer_token = token};
    mv_dl_response resp;
    maivid_code rc = mv_dl_get(&req, &resp, err);
    if (rc == MAIVID_OK) {
        if (resp.status == 401 || resp.status == 403)
            rc = mv_fail(err, MAIVID_E_FETCH, "Suno refused the session token (HTTP %ld) for "
                         "the aligned lyrics of clip %s; renew suno_token (the __session "
                         "cookie of a logged-in suno.com tab)", resp.status, clip_id);
        else if (resp.status == 404)
            rc = mv_fail(err, MAIVID_E_FETCH, "Suno has no aligned lyrics for clip %s (404)",
                         clip_id);
        else if (resp.status < 200 || resp.status >= 300)
            rc = mv_dl_status_error(url, &resp, "try again later", err);
        else
            rc = mv_suno_aligned_parse(resp.body, resp.body_len, out, err);
        mv_dl_response_free(&resp);
    }
    free(url);
    return rc;
}
