/*
 * files.c - the finished video (video/mp4), its thumbnail (image/jpeg), the caption
 * sidecars (captions.srt/.vtt/.lrc/.ass) and the song's kept cover (its own image type, at
 * any stage once fetched), with single Range
 * requests (bytes=A-B, bytes=A-, bytes=-N) answered 206 with Content-Range, unsatisfiable
 * ones 416, and HEAD. Multiple ranges get the whole file (allowed by RFC 9110).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server.h"

/* 1: a valid range in *first..*last; 0: no usable Range header (send everything);
 * -1: the range cannot be satisfied (416). */
static int mv_parse_range(const char *header, int64_t size, int64_t *first, int64_t *last)
{
    if (header == NULL || strncmp(header, "bytes=", 6) != 0 || strchr(header, ',') != NULL) {
        return 0;
    }
    const char *spec = header + 6;
    char *end = NULL;
    if (*spec == '-') { /* the last N bytes */
        errno = 0;
        long long count = strtoll(spec + 1, &end, 10);
        if (errno != 0 || end == spec + 1 || *end != '\0' || count < 0) {
            return 0;
        }
        if (count == 0 || size == 0) {
            return -1;
        }
        *first = count >= size ? 0 : size - count;
        *last = size - 1;
        return 1;
    }
    errno = 0;
    long long start = strtoll(spec, &end, 10);
    if (errno != 0 || end == spec || *end != '-' || start < 0) {
        return 0;
    }
    const char *rest = end + 1;
    long long stop = size - 1;
    if (*rest != '\0') {
        stop = strtoll(rest, &end, 10);
        if (errno != 0 || end == rest || *end != '\0' || stop < start) {
            return 0;
        }
    }
    if (start >= size) {
        return -1;
    }
    *first = start;
    *last = stop >= size ? size - 1 : stop;
    return 1;
}

/* Sends bytes first..last of fd. */
static void mv_send_bytes(struct mg_connection *conn, int fd, int64_t first, int64_t last)
{
    char *chunk = malloc(64 * 1024);
    if (chunk == NULL) {
        return;
    }
    int64_t offset = first;
    while (offset <= last) {
        size_t want = (size_t)(last - offset + 1 < 64 * 1024 ? last - offset + 1 : 64 * 1024);
        ssize_t got = pread(fd, chunk, want, (off_t)offset);
        if (got <= 0 || mg_write(conn, chunk, (size_t)got) <= 0) {
            break; /* file shrank or client left: the connection ends short */
        }
        offset += got;
    }
    free(chunk);
}

int mv_send_file(mv_request *req, const char *path, const char *content_type,
                 const char *what)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat info;
    if (fd < 0 || fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        if (fd >= 0) {
            close(fd);
        }
        return mv_reply_error(req, 404, NULL,
                              "the %s of job %s is missing on disk: resume the job to render it "
                              "again", what, req->job_id);
    }
    int64_t size = (int64_t)info.st_size;
    int64_t first = 0;
    int64_t last = size - 1;
    int range = mv_parse_range(mg_get_header(req->conn, "Range"), size, &first, &last);
    char cors[512];
    mv_reply_cors_lines(req, cors, sizeof(cors));
    if (range < 0) {
        close(fd);
        char header[96];
        snprintf(header, sizeof(header), "Content-Range: bytes */%" PRId64 "\r\n", size);
        char body[256];
        int n = snprintf(body, sizeof(body),
                         "{\"success\":false,\"error\":\"the range is outside the %" PRId64
                         "-byte %s\",\"status\":416}", size, what);
        return mv_reply_json(req, 416, body, (size_t)n, header);
    }
    int status = range > 0 ? 206 : 200;
    int64_t length = size > 0 ? last - first + 1 : 0;
    char content_range[96] = "";
    if (range > 0) {
        snprintf(content_range, sizeof(content_range),
                 "Content-Range: bytes %" PRId64 "-%" PRId64 "/%" PRId64 "\r\n", first, last,
                 size);
    }
    int must_close = mv_request_discard_body(req);
    char header[1200];
    int n = snprintf(header, sizeof(header),
                     "HTTP/1.1 %d %s\r\n"
                     "Content-Type: %s\r\n"
                     "Content-Length: %" PRId64 "\r\n"
                     "Accept-Ranges: bytes\r\n"
                     "%s"
                     "Cache-Control: private, max-age=3600\r\n"
                     "X-Content-Type-Options: nosniff\r\n"
                     "%s%s\r\n",
                     status, mg_get_response_code_text(req->conn, status), content_type, length,
                     content_range, cors, must_close ? "Connection: close\r\n" : "");
    if (n < 0 || (size_t)n >= sizeof(header)) {
        close(fd);
        return mv_reply_error(req, 500, NULL, "reply header too long");
    }
    mg_write(req->conn, header, (size_t)n);
    if (strcmp(req->method, "HEAD") != 0 && length > 0) {
        mv_send_bytes(req->conn, fd, first, last);
    }
    close(fd);
    return status;
}

/* Serves the video (want_video) or the thumbnail of job req->job_id once it completed. */
static int mv_send_job_file(mv_request *req, int want_video)
{
    maivid_status *status = NULL;
    int rc = mv_job_lookup(req, &status);
    if (rc != 0) {
        return rc;
    }
    maivid_job_state state = maivid_status_state(status);
    const char *path = want_video ? maivid_status_video_path(status)
                                  : maivid_status_thumbnail_path(status);
    const char *what = want_video ? "video" : "thumbnail";
    if (state != MAIVID_JOB_COMPLETED || path == NULL) {
        rc = mv_reply_error(req, 409, NULL,
                            "job %s is %s (%.0f%%): its %s exists once it has completed; poll "
                            "GET /api/convo_pilot/video/progress/%s",
                            req->job_id, maivid_job_state_name(state),
                            maivid_status_overall_progress(status), what, req->job_id);
    } else {
        rc = mv_send_file(req, path, want_video ? "video/mp4" : "image/jpeg", what);
    }
    maivid_status_free(status);
    return rc;
}

int mv_handle_video_file(mv_request *req)
{
    return mv_send_job_file(req, 1);
}

int mv_handle_thumbnail(mv_request *req)
{
    return mv_send_job_file(req, 0);
}

/* The Content-Type of a kept cover, from the extension ingest gave it after sniffing. */
static const char *mv_cover_type(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {{".jpg", "image/jpeg"}, {".png", "image/png"}, {".webp", "image/webp"},
                 {".gif", "image/gif"}};
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot != NULL && i < sizeof(types) / sizeof(types[0]); i++) {
        if (strcmp(dot, types[i].ext) == 0) {
            return types[i].type;
        }
    }
    return "application/octet-stream";
}

int mv_handle_cover(mv_request *req)
{
    maivid_status *status = NULL;
    int rc = mv_job_lookup(req, &status);
    if (rc != 0) {
        return rc;
    }
    const char *path = maivid_status_song_cover_path(status);
    if (path == NULL) {
        rc = mv_reply_error(req, 404, NULL,
                            "job %s has no cover image: the song came without one, or it has "
                            "not been fetched yet (see song.cover_url in the job status)",
                            req->job_id);
    } else {
        rc = mv_send_file(req, path, mv_cover_type(path), "cover");
    }
    maivid_status_free(status);
    return rc;
}

/* The caption sidecars the lyric timing writes into the job directory: served as soon as
 * they exist (they come before the video), with their own media types. */
int mv_handle_captions(mv_request *req)
{
    static const struct {
        const char *ext, *type;
    } kinds[] = {{".srt", "application/x-subrip; charset=utf-8"},
                 {".vtt", "text/vtt; charset=utf-8"},
                 {".lrc", "text/plain; charset=utf-8"},
                 {".ass", "text/x-ssa; charset=utf-8"}};
    size_t len = strlen(req->path);
    size_t kind = 0;
    while (kind < sizeof kinds / sizeof kinds[0] &&
           (len < 4 || strcmp(req->path + len - 4, kinds[kind].ext) != 0))
        kind++;
    if (kind == sizeof kinds / sizeof kinds[0])
        return mv_reply_error(req, 404, NULL, "no such caption format");
    maivid_status *status = NULL;
    int rc = mv_job_lookup(req, &status);
    if (rc != 0)
        return rc;
    char path[4096];
    snprintf(path, sizeof(path), "%s/captions%s", maivid_status_job_dir(status),
             kinds[kind].ext);
    struct stat info;
    if (stat(path, &info) != 0) {
        rc = mv_reply_error(req, 404, NULL,
                            "job %s has no captions%s: they are written once its lyrics are "
                            "timed, and an instrumental song has none; poll "
                            "GET /api/convo_pilot/video/%s for lyrics_timing",
                            req->job_id, kinds[kind].ext, req->job_id);
    } else {
        rc = mv_send_file(req, path, kinds[kind].type, "captions");
    }
    maivid_status_free(status);
    return rc;
}
