/*
 * llm.c - the optional prompt writer: asks an OpenAI-compatible chat-completions server
 * (Ollama, llama.cpp's server, vLLM, OpenAI) for one image prompt per scene as JSON, and
 * accepts the answer only when it has exactly the scenes asked for, each with a usable
 * prompt. Any failure leaves the plan as it was; the planner then keeps its own prompts.
 */
#include "plan/mv_plan_parts.h"
#include "util/mv_buf.h"
#include "catalog/mv_styles.h"
#include "util/mv_json.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#define MV_LLM_MAX_ANSWER (4u * 1024u * 1024u)
#define MV_LLM_MAX_PROMPT 2000
#define MV_LLM_DEFAULT_TIMEOUT 120.0

typedef struct mv_llm_answer {
    mv_buf text;
    int too_big;
} mv_llm_answer;

typedef struct mv_llm_transfer {
    mv_llm_answer answer;
    const mv_task *task;
} mv_llm_transfer;

static size_t mv_llm_write(char *ptr, size_t size, size_t nmemb, void *user)
{
    mv_llm_transfer *t = user;
    size_t n = size * nmemb;
    if (t->answer.text.len + n > MV_LLM_MAX_ANSWER) {
        t->answer.too_big = 1;
        return 0;
    }
    return mv_buf_append(&t->answer.text, ptr, n) == 0 ? n : 0;
}

static int mv_llm_progress(void *user, curl_off_t dltotal, curl_off_t dlnow,
                           curl_off_t ultotal, curl_off_t ulnow)
{
    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    const mv_llm_transfer *t = user;
    return mv_task_cancelled(t->task) ? 1 : 0;
}

/* The chat request: the song, the style, the subject and the scenes with their lyrics and
 * the built-in draft prompt, asking for a JSON array back. */
static char *mv_llm_request(const mv_plan_input *in, const mv_plan *plan)
{
    const mv_style *style = mv_style_find(in->style_id);
    cJSON *scenes = cJSON_CreateArray();
    for (size_t i = 0; scenes && i < plan->scene_count; i++) {
        const mv_plan_scene *s = &plan->scenes[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(scenes, o);
        cJSON_AddNumberToObject(o, "index", s->index);
        cJSON_AddNumberToObject(o, "start", s->start);
        cJSON_AddNumberToObject(o, "end", s->end);
        cJSON_AddStringToObject(o, "section", s->section ? s->section : "");
        cJSON_AddStringToObject(o, "lyrics", s->lyrics ? s->lyrics : "");
        cJSON_AddStringToObject(o, "draft_prompt", s->prompt ? s->prompt : "");
    }
    char *scene_text = cJSON_PrintUnformatted(scenes);
    cJSON_Delete(scenes);
    if (!scene_text)
        return NULL;
    char *user = mv_strdup_printf(
        "Song: \"%s\" by %s. Tags: %s.\nVisual style: %s (%s).\n"
        "Subject and setting shared by every scene: %s.\n"
        "Write one text-to-image prompt for each of the %zu scenes below, in order. Keep the "
        "subject consistent, let choruses that return reuse their imagery, never include "
        "section markers such as [Chorus], and never ask for text or letters in the image.\n"
        "Answer with only a JSON array of exactly %zu objects, each "
        "{\"prompt\": string under 600 characters, \"negative_prompt\": string}.\n"
        "Scenes: %s",
        in->title ? in->title : "untitled", in->artist ? in->artist : "an unknown artist",
        in->tags ? in->tags : "none", style ? style->entry.name : "Cinematic",
        style ? style->prompt : "", plan->subject ? plan->subject : "", plan->scene_count,
        plan->scene_count, scene_text);
    free(scene_text);
    if (!user)
        return NULL;
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "model", in->llm.model ? in->llm.model : "default");
    cJSON *messages = cJSON_AddArrayToObject(req, "messages");
    cJSON *system = cJSON_CreateObject();
    cJSON_AddStringToObject(system, "role", "system");
    cJSON_AddStringToObject(system, "content",
                            "You are a music video director who writes prompts for an image "
                            "generation model. You answer with JSON only.");
    cJSON_AddItemToArray(messages, system);
    cJSON *message = cJSON_CreateObject();
    cJSON_AddStringToObject(message, "role", "user");
    cJSON_AddStringToObject(message, "content", user);
    cJSON_AddItemToArray(messages, message);
    cJSON_AddNumberToObject(req, "temperature", 0.7);
    cJSON_AddFalseToObject(req, "stream");
    free(user);
    char *body = cJSON_PrintUnformatted(req);
    cJSON_Delete(req);
    return body;
}

/* The scenes array inside the model's text: bare, in a ```json fence, or {"scenes": [...]}. */
static cJSON *mv_llm_scenes_from_content(const char *content, cJSON **root)
{
    const char *start = content;
    while (*start && *start != '[' && *start != '{')
        start++;
    *root = mv_json_parse(start);
    if (!*root)
        return NULL;
    if (cJSON_IsArray(*root))
        return *root;
    cJSON *scenes = cJSON_GetObjectItemCaseSensitive(*root, "scenes");
    return cJSON_IsArray(scenes) ? scenes : NULL;
}

/* A prompt as it may be used: bracketed notes removed, blanks squeezed; NULL when empty or
 * too long. */
static char *mv_llm_clean(const char *text)
{
    if (!text || strlen(text) > MV_LLM_MAX_PROMPT)
        return NULL;
    char *out = malloc(strlen(text) + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    int space = 1;
    for (const char *p = text; *p;) {
        if (*p == '[') {
            const char *close = strchr(p, ']');
            if (close) {
                p = close + 1;
                continue;
            }
        }
        if (isspace((unsigned char)*p)) {
            if (!space)
                out[o++] = ' ';
            space = 1;
            p++;
            continue;
        }
        out[o++] = *p++;
        space = 0;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    if (o < 3) {
        free(out);
        return NULL;
    }
    return out;
}

static maivid_code mv_llm_apply(const char *answer, mv_plan *plan, mv_error *err)
{
    cJSON *reply = mv_json_parse(answer);
    cJSON *choices = cJSON_GetObjectItemCaseSensitive(reply, "choices");
    cJSON *message = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(choices, 0), "message");
    cJSON *content = cJSON_GetObjectItemCaseSensitive(message, "content");
    if (!cJSON_IsString(content)) {
        cJSON_Delete(reply);
        return mv_fail(err, MAIVID_E_BACKEND, "its answer is not a chat completion with a "
                       "message content (check that the URL is an OpenAI-compatible server)");
    }
    cJSON *root = NULL;
    cJSON *scenes = mv_llm_scenes_from_content(content->valuestring, &root);
    maivid_code rc = MAIVID_OK;
    int count = scenes ? cJSON_GetArraySize(scenes) : -1;
    if (!scenes)
        rc = mv_fail(err, MAIVID_E_BACKEND, "the model did not answer with a JSON array of "
                     "scenes (try a larger or instruction-tuned model)");
    else if ((size_t)count != plan->scene_count)
        rc = mv_fail(err, MAIVID_E_BACKEND, "the model wrote %d scenes instead of %zu",
                     count, plan->scene_count);
    char **prompts = calloc(plan->scene_count * 2 + 1, sizeof *prompts);
    if (rc == MAIVID_OK && !prompts)
        rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory while reading the model's scenes");
    for (size_t i = 0; rc == MAIVID_OK && i < plan->scene_count; i++) {
        cJSON *item = cJSON_GetArrayItem(scenes, (int)i);
        cJSON *prompt = cJSON_GetObjectItemCaseSensitive(item, "prompt");
        cJSON *negative = cJSON_GetObjectItemCaseSensitive(item, "negative_prompt");
        prompts[2 * i] = cJSON_IsString(prompt) ? mv_llm_clean(prompt->valuestring) : NULL;
        if (!prompts[2 * i]) {
            rc = mv_fail(err, MAIVID_E_BACKEND, "scene %zu of the model's answer has no usable "
                         "prompt (missing, empty or longer than %d characters)", i + 1,
                         MV_LLM_MAX_PROMPT);
            break;
        }
        if (negative && !cJSON_IsString(negative)) {
            rc = mv_fail(err, MAIVID_E_BACKEND, "scene %zu of the model's answer has a "
                         "negative_prompt that is not text", i + 1);
            break;
        }
        if (cJSON_IsString(negative) && *negative->valuestring) {
            prompts[2 * i + 1] = mv_llm_clean(negative->valuestring);
            if (!prompts[2 * i + 1]) {
                rc = mv_fail(err, MAIVID_E_BACKEND, "scene %zu of the model's answer has an "
                             "unusable negative_prompt", i + 1);
                break;
            }
        }
    }
    if (rc == MAIVID_OK) {
        for (size_t i = 0; i < plan->scene_count; i++) {
            free(plan->scenes[i].prompt);
            plan->scenes[i].prompt = prompts[2 * i];
            prompts[2 * i] = NULL;
            if (prompts[2 * i + 1]) { /* the style's negatives stay when the model sent none */
                free(plan->scenes[i].negative_prompt);
                plan->scenes[i].negative_prompt = prompts[2 * i + 1];
                prompts[2 * i + 1] = NULL;
            }
        }
    }
    for (size_t i = 0; prompts && i < plan->scene_count * 2; i++)
        free(prompts[i]);
    free(prompts);
    cJSON_Delete(root);
    cJSON_Delete(reply);
    return rc;
}

maivid_code mv_plan_write_llm(const mv_plan_input *in, mv_plan *plan, const mv_task *task,
                              mv_error *err)
{
    const char *base = in->llm.url;
    size_t base_len = strlen(base);
    while (base_len > 0 && base[base_len - 1] == '/')
        base_len--;
    char *url = mv_strdup_printf("%.*s/v1/chat/completions", (int)base_len, base);
    char *body = mv_llm_request(in, plan);
    char *auth = in->llm.api_key && *in->llm.api_key
                     ? mv_strdup_printf("Authorization: Bearer %s", in->llm.api_key) : NULL;
    CURL *curl = curl_easy_init();
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    if (auth && headers)
        headers = curl_slist_append(headers, auth);
    maivid_code rc = MAIVID_OK;
    mv_llm_transfer transfer = {.answer = {.text = {NULL, 0, 0}, .too_big = 0}, .task = task};
    if (!url || !body || !curl || !headers || (in->llm.api_key && *in->llm.api_key && !auth)) {
        rc = mv_fail(err, MAIVID_E_NOMEM, "out of memory while asking for prompts");
        goto done;
    }
    double timeout = in->llm.timeout > 0 ? in->llm.timeout : MV_LLM_DEFAULT_TIMEOUT;
    long timeout_ms = (long)(timeout * 1000.0);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 10000 ? timeout_ms : 10000L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, mv_llm_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, mv_llm_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
    mv_task_progress(task, 0.5, "Asking the language model for scene prompts");
    CURLcode cc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (cc == CURLE_ABORTED_BY_CALLBACK && mv_task_cancelled(task))
        rc = mv_fail(err, MAIVID_E_CANCELLED, "scene planning was cancelled");
    else if (cc == CURLE_OPERATION_TIMEDOUT)
        rc = mv_fail(err, MAIVID_E_TIMEOUT, "no answer within %.1f s (raise the LLM timeout "
                     "or use a faster model)", timeout);
    else if (transfer.answer.too_big)
        rc = mv_fail(err, MAIVID_E_BACKEND, "its answer is larger than %u bytes",
                     MV_LLM_MAX_ANSWER);
    else if (cc != CURLE_OK)
        rc = mv_fail(err, MAIVID_E_BACKEND, "%s (check the LLM URL and that the server runs)",
                     curl_easy_strerror(cc));
    else if (status != 200)
        rc = mv_fail(err, MAIVID_E_BACKEND, "HTTP %ld: %.200s (check the model name and API "
                     "key)", status, transfer.answer.text.data ? transfer.answer.text.data : "");
    else if (!transfer.answer.text.data)
        rc = mv_fail(err, MAIVID_E_BACKEND, "the answer was empty");
    else
        rc = mv_llm_apply(transfer.answer.text.data, plan, err);
done:
    curl_slist_free_all(headers);
    if (curl)
        curl_easy_cleanup(curl);
    mv_buf_free(&transfer.answer.text);
    free(auth);
    free(body);
    free(url);
    return rc;
}
