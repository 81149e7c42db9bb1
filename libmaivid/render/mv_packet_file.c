/*
 * mv_packet_file.c - checkpoint files of encoded packets (see mv_packet_file.h). Layout, host
 * byte order (the files never leave the machine): magic, header, extradata, then records
 * {pts, dts, duration, flags, size, bytes}, closed by a record with size -1.
 */
#include "render/mv_packet_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char mv_packet_magic[8] = {'M', 'V', 'P', 'K', 'T', '0', '1', '\n'};

typedef struct mv_packet_header {
    int32_t time_base_num, time_base_den, sample_rate, channels, frame_size, initial_padding;
    int32_t extradata_size, reserved;
    int64_t first_frame, frame_count;
} mv_packet_header;

typedef struct mv_packet_record {
    int64_t pts, dts, duration;
    int32_t flags, size;
} mv_packet_record;

maivid_code mv_packet_writer_open(mv_packet_writer *w, const char *path,
                                  const mv_packet_file_info *info, mv_error *err)
{
    memset(w, 0, sizeof *w);
    w->final_path = mv_strdup(path);
    w->temp_path = mv_strdup_printf("%s.partial", path);
    if (!w->final_path || !w->temp_path) {
        mv_packet_writer_abandon(w);
        return mv_fail(err, MAIVID_E_NOMEM, "out of memory for a render checkpoint name");
    }
    w->file = fopen(w->temp_path, "w+b");
    if (!w->file) {
        int e = errno;
        mv_packet_writer_abandon(w);
        return mv_fail(err, MAIVID_E_IO, "cannot create the render checkpoint %s.partial (%s): "
                       "check that the work folder is writable and the disk has room", path,
                       strerror(e));
    }
    w->frame_count = info->frame_count;
    w->initial_padding = info->initial_padding;
    mv_packet_header h = {info->time_base_num, info->time_base_den, info->sample_rate,
                          info->channels, info->frame_size, info->initial_padding,
                          info->extradata_size, 0, info->first_frame, info->frame_count};
    if (fwrite(mv_packet_magic, 1, 8, w->file) != 8 || fwrite(&h, sizeof h, 1, w->file) != 1 ||
        (h.extradata_size > 0 &&
         fwrite(info->extradata, 1, (size_t)h.extradata_size, w->file) != (size_t)h.extradata_size)) {
        mv_packet_writer_abandon(w);
        return mv_fail(err, MAIVID_E_IO, "cannot write the render checkpoint %s: check the "
                       "free disk space", path);
    }
    return MAIVID_OK;
}

maivid_code mv_packet_writer_add(mv_packet_writer *w, const AVPacket *pkt, mv_error *err)
{
    mv_packet_record rec = {pkt->pts, pkt->dts, pkt->duration, pkt->flags, pkt->size};
    if (fwrite(&rec, sizeof rec, 1, w->file) != 1 ||
        (pkt->size > 0 && fwrite(pkt->data, 1, (size_t)pkt->size, w->file) != (size_t)pkt->size))
        return mv_fail(err, MAIVID_E_IO, "cannot write the render checkpoint %s: check the "
                       "free disk space", w->final_path);
    return MAIVID_OK;
}

maivid_code mv_packet_writer_finish(mv_packet_writer *w, mv_error *err)
{
    mv_packet_record end = {0, 0, 0, 0, -1};
    mv_packet_header h;
    int ok = fwrite(&end, sizeof end, 1, w->file) == 1 && fseeko(w->file, 8, SEEK_SET) == 0 &&
             fread(&h, sizeof h, 1, w->file) == 1;
    h.frame_count = w->frame_count;
    h.initial_padding = w->initial_padding;
    ok = ok && fseeko(w->file, 8, SEEK_SET) == 0 && fwrite(&h, sizeof h, 1, w->file) == 1 &&
         fflush(w->file) == 0 && fsync(fileno(w->file)) == 0;
    ok = (fclose(w->file) == 0) && ok;
    w->file = NULL;
    if (!ok || rename(w->temp_path, w->final_path) != 0) {
        mv_fail(err, MAIVID_E_IO, "cannot complete the render checkpoint %s: check the free "
                "disk space", w->final_path);
        mv_packet_writer_abandon(w);
        return MAIVID_E_IO;
    }
    free(w->final_path);
    free(w->temp_path);
    memset(w, 0, sizeof *w);
    return MAIVID_OK;
}

void mv_packet_writer_abandon(mv_packet_writer *w)
{
    if (w->file)
        fclose(w->file);
    if (w->temp_path)
        unlink(w->temp_path);
    free(w->final_path);
    free(w->temp_path);
    memset(w, 0, sizeof *w);
}

static int mv_read_header(FILE *f, mv_packet_file_info *info)
{
    char magic[8];
    mv_packet_header h;
    memset(info, 0, sizeof *info);
    if (fread(magic, 1, 8, f) != 8 || memcmp(magic, mv_packet_magic, 8) != 0 ||
        fread(&h, sizeof h, 1, f) != 1 || h.extradata_size < 0 ||
        h.extradata_size > (1 << 20) || h.time_base_num <= 0 || h.time_base_den <= 0)
        return -1;
    info->time_base_num = h.time_base_num;
    info->time_base_den = h.time_base_den;
    info->sample_rate = h.sample_rate;
    info->channels = h.channels;
    info->frame_size = h.frame_size;
    info->initial_padding = h.initial_padding;
    info->first_frame = h.first_frame;
    info->frame_count = h.frame_count;
    info->extradata_size = h.extradata_size;
    if (h.extradata_size > 0) {
        info->extradata = calloc(1, (size_t)h.extradata_size + AV_INPUT_BUFFER_PADDING_SIZE);
        if (!info->extradata ||
            fread(info->extradata, 1, (size_t)h.extradata_size, f) != (size_t)h.extradata_size) {
            free(info->extradata);
            info->extradata = NULL;
            return -1;
        }
    }
    return 0;
}

maivid_code mv_packet_reader_open(mv_packet_reader *r, const char *path, mv_error *err)
{
    memset(r, 0, sizeof *r);
    r->file = fopen(path, "rb");
    if (!r->file || mv_read_header(r->file, &r->info) != 0) {
        mv_packet_reader_close(r);
        return mv_fail(err, MAIVID_E_CORRUPT, "the render checkpoint %s is unreadable: delete "
                       "the job's work folder to render from the start", path);
    }
    return MAIVID_OK;
}

int mv_packet_reader_next(mv_packet_reader *r, AVPacket *pkt, mv_error *err)
{
    mv_packet_record rec;
    if (fread(&rec, sizeof rec, 1, r->file) != 1 || rec.size < -1 || rec.size > (256 << 20)) {
        mv_fail(err, MAIVID_E_CORRUPT, "a render checkpoint ends early: delete the job's work "
                "folder to render from the start");
        return -1;
    }
    if (rec.size == -1)
        return 0;
    av_packet_unref(pkt);
    if (av_new_packet(pkt, rec.size) < 0) {
        mv_fail(err, MAIVID_E_NOMEM, "out of memory while joining the video");
        return -1;
    }
    if (rec.size > 0 && fread(pkt->data, 1, (size_t)rec.size, r->file) != (size_t)rec.size) {
        mv_fail(err, MAIVID_E_CORRUPT, "a render checkpoint ends early: delete the job's work "
                "folder to render from the start");
        return -1;
    }
    pkt->pts = rec.pts;
    pkt->dts = rec.dts;
    pkt->duration = rec.duration;
    pkt->flags = rec.flags;
    return 1;
}

void mv_packet_reader_close(mv_packet_reader *r)
{
    if (r->file)
        fclose(r->file);
    free(r->info.extradata);
    memset(r, 0, sizeof *r);
}

int mv_packet_file_complete(const char *path, mv_packet_file_info *info)
{
    mv_packet_file_info local;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    int complete = 0;
    if (mv_read_header(f, &local) == 0) {
        mv_packet_record rec;
        while (fread(&rec, sizeof rec, 1, f) == 1) {
            if (rec.size == -1) {
                complete = 1;
                break;
            }
            if (rec.size < 0 || fseeko(f, rec.size, SEEK_CUR) != 0)
                break;
        }
        if (complete && info)
            *info = local;
        else
            free(local.extradata);
    }
    fclose(f);
    return complete;
}
