/*
 * mv_test_util.c - temporary directories, synthesized test songs and the check for leftover
 * temporary files (see mv_test_util.h).
 */
#include "mv_test_util.h"

#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

char *mv_test_tmpdir(const char *name)
{
    const char *base = getenv("MAIVID_TEST_TMP");
    if (!base || !*base)
        base = "/tmp";
    mkdir(base, 0755);
    char templ[4096];
    snprintf(templ, sizeof templ, "%s/%s-XXXXXX", base, name);
    char *dir = mkdtemp(templ);
    if (!dir)
        return NULL;
    return strdup(dir);
}

static void mv_put_le16(FILE *f, unsigned v)
{
    fputc((int)(v & 0xff), f);
    fputc((int)((v >> 8) & 0xff), f);
}

static void mv_put_le32(FILE *f, uint32_t v)
{
    mv_put_le16(f, v & 0xffff);
    mv_put_le16(f, v >> 16);
}

void mv_test_wav_begin(FILE *f, int rate, int channels, size_t frames)
{
    uint32_t data_bytes = (uint32_t)(frames * (size_t)channels * 2);
    fwrite("RIFF", 1, 4, f);
    mv_put_le32(f, 36 + data_bytes);
    fwrite("WAVEfmt ", 1, 8, f);
    mv_put_le32(f, 16);
    mv_put_le16(f, 1);
    mv_put_le16(f, (unsigned)channels);
    mv_put_le32(f, (uint32_t)rate);
    mv_put_le32(f, (uint32_t)(rate * channels * 2));
    mv_put_le16(f, (unsigned)(channels * 2));
    mv_put_le16(f, 16);
    fwrite("data", 1, 4, f);
    mv_put_le32(f, data_bytes);
}

void mv_test_wav_sample(FILE *f, double v, int channels)
{
    if (v > 1)
        v = 1;
    if (v < -1)
        v = -1;
    int16_t s = (int16_t)lrint(v * 32000.0);
    for (int c = 0; c < channels; c++)
        mv_put_le16(f, (uint16_t)s);
}

int mv_test_write_song_wav(const char *path, const mv_test_song *song)
{
    int rate = song->sample_rate > 0 ? song->sample_rate : 44100;
    int channels = song->channels > 0 ? song->channels : 2;
    size_t frames = (size_t)(song->seconds * rate);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    mv_test_wav_begin(f, rate, channels, frames);
    double beat_period = song->bpm > 0 ? 60.0 / song->bpm : 0;
    uint32_t noise = 12345;
    for (size_t i = 0; i < frames; i++) {
        double t = (double)i / rate;
        int loud = song->loud_end > song->loud_start && t >= song->loud_start && t < song->loud_end;
        /* a soft pad, louder and richer in the "chorus" */
        double v = 0.05 * sin(2 * M_PI * 220.0 * t);
        if (loud)
            v = 0.25 * sin(2 * M_PI * 330.0 * t) + 0.15 * sin(2 * M_PI * 495.0 * t);
        if (beat_period > 0) {
            double since = fmod(t, beat_period);
            if (since < 0.04) {
                noise = noise * 1103515245u + 12345u;
                double n = ((double)((noise >> 16) & 0x7fff) / 16384.0) - 1.0;
                double env = exp(-since * 120.0);
                v += (loud ? 0.6 : 0.45) * env * (0.6 * n + 0.4 * sin(2 * M_PI * 90.0 * since));
            }
        }
        mv_test_wav_sample(f, v, channels);
    }
    int rc = ferror(f) ? -1 : 0;
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

int mv_test_count_temp_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int count = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *n = de->d_name;
        if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
            continue;
        char child[4096];
        snprintf(child, sizeof child, "%s/%s", dir, n);
        size_t len = strlen(n);
        if (strstr(n, ".tmp") || strstr(n, ".part") || strncmp(n, ".download", 9) == 0 ||
            strncmp(n, ".remux", 6) == 0 || (len > 3 && strcmp(n + len - 3, ".pk") == 0) ||
            strcmp(n, "render") == 0) {
            printf("temporary file left: %s\n", child);
            count++;
        }
        struct stat st;
        if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
            count += mv_test_count_temp_files(child);
    }
    closedir(d);
    return count;
}

int mv_test_thread_count(void)
{
    DIR *d = opendir("/proc/self/task");
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

int mv_test_thread_count_settled(int expected, double timeout_s)
{
    const struct timespec pause = {0, 5 * 1000 * 1000};
    int n = mv_test_thread_count();
    for (int waited = 0; n != expected && waited * 0.005 < timeout_s; waited++) {
        nanosleep(&pause, NULL);
        n = mv_test_thread_count();
    }
    return n;
}
