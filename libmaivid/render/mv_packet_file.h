/*
 * mv_packet_file.h - the render checkpoints: a file of encoded packets (one video segment, or
 * the whole AAC audio) with the codec's setup bytes, written to a temporary name and renamed
 * when complete, so a file under its final name is always whole. Read back for the join.
 */
#ifndef MV_PACKET_FILE_H
#define MV_PACKET_FILE_H

#include <stdint.h>
#include <stdio.h>

#include <libavcodec/avcodec.h>

#include "util/mv_common.h"

/* What the join needs to rebuild the stream's codec parameters. */
typedef struct mv_packet_file_info {
    int32_t time_base_num, time_base_den;
    int32_t sample_rate, channels, frame_size, initial_padding; /* audio; 0 for video */
    int64_t first_frame, frame_count; /* video segment range; audio: 0 and total samples */
    uint8_t *extradata;               /* malloc'd by the reader */
    int32_t extradata_size;
} mv_packet_file_info;

typedef struct mv_packet_writer {
    FILE *file;
    char *final_path, *temp_path;
    int64_t frame_count; /* from info; may be changed before finish (rewritten into header) */
    int32_t initial_padding; /* the same */
} mv_packet_writer;

maivid_code mv_packet_writer_open(mv_packet_writer *w, const char *path,
                                  const mv_packet_file_info *info, mv_error *err);
maivid_code mv_packet_writer_add(mv_packet_writer *w, const AVPacket *pkt, mv_error *err);
/* Writes the end mark, syncs and renames into place. */
maivid_code mv_packet_writer_finish(mv_packet_writer *w, mv_error *err);
/* Drops an unfinished file. */
void mv_packet_writer_abandon(mv_packet_writer *w);

typedef struct mv_packet_reader {
    FILE *file;
    mv_packet_file_info info;
} mv_packet_reader;

maivid_code mv_packet_reader_open(mv_packet_reader *r, const char *path, mv_error *err);
/* 1: the next packet is in pkt; 0: the end mark was reached; -1: damaged file (err set). */
int mv_packet_reader_next(mv_packet_reader *r, AVPacket *pkt, mv_error *err);
void mv_packet_reader_close(mv_packet_reader *r);

/* 1 if the file is complete (header readable and end mark present). Cheap: reads the header
 * and walks the packet headers. `info` may be NULL; when given, it is filled (free its
 * extradata). */
int mv_packet_file_complete(const char *path, mv_packet_file_info *info);

#endif /* MV_PACKET_FILE_H */
