/*
 * upload.c - maivid_job_create_upload(): a job whose song is a file a server received. The
 * file is checked as a downloaded song is (the download size cap, audio sniffing), moved into
 * the new job's source/upload/ folder before the job is queued, and named by local_path; the
 * download stage then reads it like a fetched song (probe, tags, cover, title).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/mv_abi.h"
#include "engine/mv_engine.h"
#include "ingest/mv_ingest_internal.h"

#define MV_UPLOAD_DIR "source/upload" /* in the job: the file under its (safe) name */

/* The client's file name reduced to [A-Za-z0-9 ._()-] (at most 80 bytes), never hidden. */
static void mv_upload_safe_name(const char *name, char *out, size_t size)
{
    const char *slash = name ? strrchr(name, '/') : NULL;
    const char *base = slash ? slash + 1 : name ? name : "";
    size_t n = 0;
    for (const char *p = base; *p && n + 1 < size && n < 80; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '-' || c == '_' || c == ' ' || c == '(' || c == ')';
        out[n++] = ok ? c : '_';
    }
    out[n] = '\0';
    while (out[0] == '.')
        memmove(out, out + 1, strlen(out));
    if (!out[0])
        snprintf(out, size, "song");
}

static maivid_code mv_upload_copy(const char *from, const char *to, mv_error *err)
{
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    maivid_code rc = MAIVID_OK;
    if (!in || !out) {
        rc = mv_fail(err, MAIVID_E_IO, "cannot store the upload in the job: %s", strerror(errno));
    } else {
        char buf[65536];
        size_t n;
        while (rc == MAIVID_OK && (n = fread(buf, 1, sizeof buf, in)) > 0)
            if (fwrite(buf, 1, n, out) != n)
                rc = mv_fail(err, MAIVID_E_IO, "cannot store the upload: %s", strerror(errno));
    }
    if (in)
        fclose(in);
    if (out && fclose(out) != 0 && rc == MAIVID_OK)
        rc = mv_fail(err, MAIVID_E_IO, "cannot store the upload: %s", strerror(errno));
    if (rc != MAIVID_OK)
        unlink(to);
    return rc;
}

/* mv_job_upload.take: moves the file into <job>/source/upload/<name> (the download stage
 * names the song after it when its tags do not). */
static maivid_code mv_upload_take(const mv_job_upload *upload, mv_job *job, mv_error *err)
{
    char name[96];
    mv_upload_safe_name(upload->filename, name, sizeof name);
    char *source = mv_strdup_printf("%s/" MV_UPLOAD_DIR, job->dir);
    char *dest = mv_strdup_printf("%s/" MV_UPLOAD_DIR "/%s", job->dir, name);
    maivid_code rc = source && dest ? mv_mkdir_p(source, err)
                                    : mv_fail(err, MAIVID_E_NOMEM, "out of memory");
    if (rc == MAIVID_OK && rename(upload->path, dest) != 0) {
        rc = mv_upload_copy(upload->path, dest, err); /* another file system */
        if (rc == MAIVID_OK)
            unlink(upload->path);
    }
    if (rc == MAIVID_OK) {
        free((char *)job->settings.local_path);
        job->settings.local_path = dest;
        dest = NULL;
    }
    free(source);
    free(dest);
    return rc;
}

int mv_job_is_upload(const mv_job *job)
{
    const char *path = job->settings.local_path;
    size_t dir_len = strlen(job->dir);
    static const char tail[] = "/" MV_UPLOAD_DIR "/";
    return !job->settings.url && path && strncmp(path, job->dir, dir_len) == 0 &&
           strncmp(path + dir_len, tail, sizeof tail - 1) == 0 && !strstr(path, "/..");
}

MAIVID_API maivid_code maivid_job_create_upload(maivid_engine *e, const maivid_job_params *params,
                                                const char *audio_path, const char *filename,
                                                char job_id[MAIVID_JOB_ID_SIZE], char *errbuf,
                                                size_t errbuf_size)
{
    mv_error err;
    mv_error_clear(&err);
    struct stat info;
    maivid_code rc = MAIVID_OK;
    if (!e || !params || !audio_path || !job_id)
        rc = mv_fail(&err, MAIVID_E_INVALID, "engine, params, audio_path and job_id are required");
    else if ((params->url && *params->url) || (params->local_path && *params->local_path))
        rc = mv_fail(&err, MAIVID_E_INVALID,
                     "an uploaded song needs no 'url': send either the file or the link");
    else if (stat(audio_path, &info) != 0 || !S_ISREG(info.st_mode))
        rc = mv_fail(&err, MAIVID_E_INVALID, "the uploaded file is missing: send it again");
    else if (info.st_size == 0)
        rc = mv_fail(&err, MAIVID_E_MEDIA, "the uploaded file is empty: choose an audio file");
    else if ((uint64_t)info.st_size > e->fetch.max_bytes)
        rc = mv_fail(&err, MAIVID_E_INVALID,
                     "the uploaded file is %lld bytes, more than the %llu a song may have",
                     (long long)info.st_size, (unsigned long long)e->fetch.max_bytes);
    else {
        mv_sniff_kind kind = mv_sniff_file(audio_path);
        if (!mv_sniff_is_media(kind))
            rc = mv_fail(&err, MAIVID_E_MEDIA,
                         "the uploaded file is %s, not audio: send an mp3, m4a, wav, flac or "
                         "ogg file", mv_sniff_describe(kind));
    }
    if (rc != MAIVID_OK) {
        if (errbuf && errbuf_size)
            mv_strlcpy(errbuf, err.message, errbuf_size);
        return rc;
    }
    maivid_job_params with_file; /* an older caller's struct: defaults past its size */
    maivid_job_params_init(&with_file);
    mv_abi_copy_in(&with_file, sizeof with_file, params, params->struct_size);
    with_file.struct_size = sizeof with_file;
    with_file.url = NULL;
    with_file.local_path = audio_path;
    mv_job_upload upload = {mv_upload_take, audio_path, filename};
    return mv_job_create_with(e, &with_file, &upload, job_id, errbuf, errbuf_size);
}
