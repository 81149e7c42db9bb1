/*
 * output_file.h - where the finished MP4 goes and how it gets there: into a temporary file
 * beside the destination, then renamed, so no half-written video is ever presented as done.
 * A default name (the song's title) never replaces an existing file; an explicit -o does.
 */
#ifndef MV_OUTPUT_FILE_H
#define MV_OUTPUT_FILE_H

#include <stddef.h>

typedef struct mv_cli_output {
    char dir[4096];     /* the destination directory */
    char path[4096];    /* the explicit destination file, "" for a title-based name */
    char temp[4096];    /* the temporary file being written, "" when none */
    int signo;          /* a SIGINT/SIGTERM that interrupted a copy, else 0 */
} mv_cli_output;

/* Resolves -o (NULL: the current directory, a title-based name). Checks the directory is
 * writable. Returns an exit code after printing the problem. */
int mv_cli_output_prepare(mv_cli_output *out, const char *option);
/* Creates the temporary file; returns its descriptor or -1 (errno set). */
int mv_cli_output_open_temp(mv_cli_output *out);
/* Puts `source` into the temporary file: renamed when move is 1 and the file system allows,
 * else copied (watching for Ctrl-C). Returns 0, or -1 with a message in err. */
int mv_cli_output_take(mv_cli_output *out, const char *source, int move, char *err, size_t err_size);
/* fsyncs the temporary file and gives it its final name (the title-based one gets " (2)",
 * " (3)"... instead of replacing a file). Writes the final path. Returns 0 or -1 with err. */
int mv_cli_output_publish(mv_cli_output *out, const char *title, char *final_path,
                          size_t final_size, char *err, size_t err_size);
/* Copies the job's captions.srt and captions.lrc beside the video as NAME.srt and NAME.lrc
 * (NAME: video_path without ".mp4"), each through a temporary file. A job without captions
 * (an instrumental) gets none. Returns 0, or -1 with a message in err. */
int mv_cli_output_sidecars(const char *video_path, const char *job_dir, char *err,
                           size_t err_size);
/* Removes the temporary file, if any. */
void mv_cli_output_discard(mv_cli_output *out);

/* A file name from a song title: no slashes, control or shell-troublesome characters, at
 * most ~100 bytes (whole UTF-8 characters), "maivid-video" when nothing is left. */
void mv_cli_sanitize_title(const char *title, char *buf, size_t size);

#endif /* MV_OUTPUT_FILE_H */
