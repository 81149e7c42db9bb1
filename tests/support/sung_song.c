/*
 * sung_song.c - the test songs of sung_song.h. The voice is additive: harmonics of a
 * vibrato pitch that follows a little melody, each weighted by three formant resonances
 * of the syllable's vowel, with a short noise consonant before each syllable, an attack and
 * a release. The band plays through the whole song, at the same level with or without the
 * voice, so the voice has to be found on top of it.
 */
#include "sung_song.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "captions/mv_captions.h"

static const double vowels[5][3] = {
    {730, 1090, 2440}, {530, 1840, 2480}, {270, 2290, 3010}, {570, 840, 2410},
    {300, 870, 2240}};
static const double melody[8] = {220.0, 246.9, 261.6, 293.7, 329.6, 293.7, 261.6, 246.9};
static const double roots[4] = {110.0, 87.31, 130.81, 98.0}; /* Am F C G */

static double rnd(unsigned *state)
{
    *state = *state * 1664525u + 1013904223u;
    return (double)(*state >> 8) / 16777216.0;
}

static void add_syllable(float *out, size_t n, double t0, double len, int vowel, double f0,
                         unsigned *seed)
{
    /* a consonant: 40 ms of noise just before the vowel */
    size_t c0 = t0 > 0.04 ? (size_t)((t0 - 0.04) * SUNG_RATE) : 0;
    for (size_t i = c0; i < (size_t)(t0 * SUNG_RATE) && i < n; i++)
        out[i] += (float)(0.08 * (rnd(seed) * 2 - 1));
    size_t a = (size_t)(t0 * SUNG_RATE), b = (size_t)((t0 + len) * SUNG_RATE);
    double phase = 0;
    for (size_t i = a; i < b && i < n; i++) {
        double t = (double)(i - a) / SUNG_RATE;
        double f = f0 * (1.0 + 0.015 * sin(2 * M_PI * 5.5 * t));
        phase += 2 * M_PI * f / SUNG_RATE;
        double env = fmin(1.0, t / 0.03) * fmin(1.0, (len - t) / 0.04);
        double v = 0;
        for (int h = 1; h * f < 4000.0; h++) {
            double fh = h * f, amp = 0;
            for (int k = 0; k < 3; k++) {
                double bw = 80.0 + 40.0 * k, d = (fh - vowels[vowel][k]) / bw;
                amp += (k == 0 ? 1.0 : k == 1 ? 0.6 : 0.3) / (1.0 + d * d);
            }
            v += amp / sqrt((double)h) * sin(h * phase);
        }
        out[i] += (float)(env * v);
    }
}

static void render_voice(const sung_song *s, float *voice, size_t n)
{
    unsigned seed = s->seed * 7919u + 17u;
    size_t note = 0;
    for (size_t l = 0; l < s->line_count; l++) {
        size_t syl = mv_syllable_count(s->lines[l].text);
        double t = s->lines[l].start;
        for (size_t k = 0; k < syl; k++) {
            double len = s->syllable * (0.8 + 0.4 * rnd(&seed));
            if (k + 1 == syl)
                len *= 1.6; /* the line's last note is held */
            add_syllable(voice, n, t, len, (int)(rnd(&seed) * 5) % 5, melody[note++ % 8],
                         &seed);
            t += len + 0.03 + 0.03 * rnd(&seed);
        }
    }
}

static void render_band(const sung_song *s, float *band, size_t n)
{
    unsigned seed = s->seed * 104729u + 3u;
    double beat = 60.0 / s->bpm;
    double hp = 0, lp_bass = 0, previous_noise = 0;
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / SUNG_RATE;
        double in_beat = fmod(t, beat), in_eighth = fmod(t, beat / 2), in_16 = fmod(t, beat / 4);
        long beat_no = (long)(t / beat);
        double root = roots[(beat_no / 4) % 4];
        double v = 0;
        /* kick on every beat, snare on 2 and 4, hi-hat on eighths */
        v += 0.5 * exp(-in_beat * 25) * sin(2 * M_PI * (50 + 70 * exp(-in_beat * 30)) * in_beat);
        double noise = rnd(&seed) * 2 - 1;
        hp = 0.7 * (hp + noise - previous_noise); /* high-passed: a hi-hat hiss */
        previous_noise = noise;
        if (beat_no % 2 == 1)
            v += 0.3 * exp(-in_beat * 18) * (0.7 * noise + 0.3 * sin(2 * M_PI * 180 * in_beat));
        v += 0.12 * exp(-in_eighth * 60) * hp;
        /* bass: the root in eighths, low-passed saw */
        double saw = 2 * fmod(root / 2 * t, 1.0) - 1;
        lp_bass += 0.05 * (saw - lp_bass);
        v += 0.5 * lp_bass * (0.6 + 0.4 * exp(-in_eighth * 8));
        /* the chord pad: root, third, fifth an octave up, soft saw harmonics */
        const double ratios[3] = {2.0, 2.0 * ((beat_no / 4) % 4 == 2 || (beat_no / 4) % 4 == 3
                                              ? 1.26 : 1.19), 3.0};
        for (int c = 0; c < 3; c++)
            for (int h = 1; h <= 8; h++)
                v += 0.035 / h * sin(2 * M_PI * root * ratios[c] * h * t + c);
        /* a plucked arpeggio in sixteenths, in the voice's range */
        int step = (int)(t / (beat / 4)) % 4;
        double f = root * 4 * (step == 0 ? 1 : step == 1 ? 1.19 : step == 2 ? 1.5 : 2.0);
        v += 0.06 * exp(-in_16 * 20) * (sin(2 * M_PI * f * in_16) + 0.3 * sin(4 * M_PI * f * in_16));
        band[i] = (float)v;
    }
}

static double rms(const float *x, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (double)x[i] * x[i];
    return n ? sqrt(s / (double)n) : 0;
}

int sung_song_render(const sung_song *s, float **samples, size_t *count)
{
    size_t n = (size_t)(s->seconds * SUNG_RATE);
    float *band = calloc(n, sizeof *band), *voice = calloc(n, sizeof *voice);
    if (!band || !voice) {
        free(band);
        free(voice);
        return -1;
    }
    render_band(s, band, n);
    render_voice(s, voice, n);
    /* the voice level is measured over where it sings */
    double sum = 0;
    size_t sung = 0;
    for (size_t i = 0; i < n; i++)
        if (voice[i] != 0) {
            sum += (double)voice[i] * voice[i];
            sung++;
        }
    double voice_rms = sung ? sqrt(sum / (double)sung) : 1, band_rms = rms(band, n);
    double gain = band_rms / voice_rms * pow(10.0, s->voice_db / 20.0);
    double peak = 0;
    for (size_t i = 0; i < n; i++) {
        band[i] += (float)(gain * voice[i]);
        if (fabs(band[i]) > peak)
            peak = fabs(band[i]);
    }
    for (size_t i = 0; peak > 0.95 && i < n; i++)
        band[i] = (float)(band[i] * 0.95 / peak);
    free(voice);
    *samples = band;
    *count = n;
    return 0;
}

static void put16(FILE *f, unsigned v)
{
    fputc((int)(v & 0xff), f);
    fputc((int)((v >> 8) & 0xff), f);
}

static void put32(FILE *f, uint32_t v)
{
    put16(f, v & 0xffff);
    put16(f, v >> 16);
}

int sung_song_write_wav(const sung_song *s, const char *path)
{
    float *x;
    size_t n;
    if (sung_song_render(s, &x, &n) != 0)
        return -1;
    FILE *f = fopen(path, "wb");
    if (!f) {
        free(x);
        return -1;
    }
    uint32_t frames = (uint32_t)(n * 2), bytes = frames * 4; /* 44100 Hz stereo */
    fwrite("RIFF", 1, 4, f);
    put32(f, 36 + bytes);
    fwrite("WAVEfmt ", 1, 8, f);
    put32(f, 16);
    put16(f, 1);
    put16(f, 2);
    put32(f, 44100);
    put32(f, 44100 * 4);
    put16(f, 4);
    put16(f, 16);
    fwrite("data", 1, 4, f);
    put32(f, bytes);
    for (size_t i = 0; i < n; i++)
        for (int r = 0; r < 2; r++) { /* each sample twice: 22050 -> 44100 */
            double v = r == 0 || i + 1 >= n ? x[i] : 0.5 * (x[i] + x[i + 1]);
            int16_t q = (int16_t)lrint(v * 32000.0);
            put16(f, (uint16_t)q);
            put16(f, (uint16_t)q);
        }
    free(x);
    int rc = ferror(f) ? -1 : 0;
    return fclose(f) == 0 ? rc : -1;
}
