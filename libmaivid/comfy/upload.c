/*
 * upload.c - sends a scene's still to ComfyUI for an image-to-video graph: POST
 * /upload/image as multipart (field "image", type=input, overwrite=true), reads the reply
 * {name, subfolder, type} and points the graph's inputs at the file the server kept.
 */
#include "comfy/mv_comfy.h"
#include "util/mv_buf.h"
#include "util/mv_json.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t mv_upload_write(char *ptr, size_t size, size_t nmemb, void *user)
{
    mv_buf *b = user;
    size_t n = size * nmemb;
    if (b->len + n > (1u << 20))
        return 0;
    return mv_buf_append(b, ptr, n) == 0 ? n : 0;
}

static int mv_upload_progress(void *user, curl_off_t dt, curl_off_t dn, curl_off_t ut,
                              curl_off_t un)
{
    (void)dt;
    (void)dn;
    (void)ut;
    (void)un;
    return mv_task_cancelled(user);
}

/* Every string input equal to `from` becomes `to`. */
static void mv_rename_inputs(cJSON *graph, const char *from, const char *to)
{
    for (cJSON *node = graph->child; node; node = node->next) {
        cJSON *inputs = cJSON_GetObjectItemCaseSensitive(node, "inputs");
        for (cJSON *in = inputs ? inputs->child : NULL; in; in = in->next)
            if (cJSON_IsString(in) && strcmp(in->valuestring, from) == 0)
                cJSON_SetValuestring(in, to);
    }
}

maivid_code mv_comfy_upload_image(const char *base_url, const mv_comfy_upload *upload,
                                  cJSON *graph, const mv_comfy_timing *t, const mv_task *task,
                                  mv_comfy_fault *fault, mv_error *err)
{
    CURL *curl = curl_easy_init();
    char *url = mv_strdup_printf("%s/upload/image", base_url);
    mv_buf body = {0};
    char curl_err[CURL_ERROR_SIZE] = "";
    curl_mime *mime = curl ? curl_mime_init(curl) : NULL;
    if (!curl || !url || !mime) {
        curl_mime_free(mime);
        curl_easy_cleanup(curl);
        free(url);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory uploading a scene image");
    }
    curl_mimepart *part = curl_mime_addpart(mime);
    curl_mime_name(part, "image");
    curl_mime_filedata(part, upload->path);
    curl_mime_filename(part, upload->name);
    curl_mime_type(part, "image/png");
    part = curl_mime_addpart(mime);
    curl_mime_name(part, "type");
    curl_mime_data(part, "input", CURL_ZERO_TERMINATED);
    part = curl_mime_addpart(mime);
    curl_mime_name(part, "overwrite");
    curl_mime_data(part, "true", CURL_ZERO_TERMINATED);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, (long)(t->connect_timeout * 1000));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)(t->request_timeout * 1000));
    curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, mv_upload_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, mv_upload_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, (void *)task);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "maivid/" MAIVID_VERSION_STRING);
    CURLcode cc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_mime_free(mime);
    curl_easy_cleanup(curl);
    free(url);
    maivid_code rc = MAIVID_OK;
    if (cc == CURLE_ABORTED_BY_CALLBACK) {
        rc = mv_fail(err, MAIVID_E_CANCELLED, "cancelled");
    } else if (cc != CURLE_OK) {
        *fault = MV_FAULT_SERVER;
        rc = mv_fail(err, MAIVID_E_BACKEND,
                     "could not upload the scene image %s to ComfyUI at %s (%s); check that "
                     "the server runs and the file is readable",
                     upload->path, base_url, curl_err[0] ? curl_err : curl_easy_strerror(cc));
    } else {
        cJSON *root = status == 200 ? mv_json_parse(body.data ? body.data : "") : NULL;
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
        const cJSON *sub = cJSON_GetObjectItemCaseSensitive(root, "subfolder");
        if (!cJSON_IsString(name) || !*name->valuestring) {
            *fault = MV_FAULT_SERVER;
            rc = mv_fail(err, MAIVID_E_BACKEND,
                         "ComfyUI at %s answered the image upload with HTTP %ld and no file "
                         "name; is it ComfyUI (POST /upload/image)?",
                         base_url, status);
        } else {
            char *placed = cJSON_IsString(sub) && *sub->valuestring
                               ? mv_strdup_printf("%s/%s", sub->valuestring, name->valuestring)
                               : mv_strdup(name->valuestring);
            if (placed && strcmp(placed, upload->name) != 0)
                mv_rename_inputs(graph, upload->name, placed);
            free(placed);
        }
        cJSON_Delete(root);
    }
    free(body.data);
    return rc;
}
