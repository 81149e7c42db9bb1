#!/usr/bin/env python3
"""make-example-song.py - synthesizes the bundled example song "Neon Harbor" (our own
music, no samples): 120 BPM, intro / verse / chorus / bridge / chorus / outro, with the
lyrics of examples/song/neon-harbor.lrc spoken by espeak-ng at their timestamps.

Run once by a developer; the result (examples/song/neon-harbor.m4a) is committed.
Needs python3, espeak-ng and ffmpeg. Pure Python: takes a minute.
"""
import math, os, random, re, struct, subprocess, sys, tempfile, wave

RATE = 44100
BPM = 120.0
BEAT = 60.0 / BPM
LENGTH = 64.0
HERE = os.path.dirname(os.path.abspath(__file__))
SONG_DIR = os.path.join(HERE, "..", "examples", "song")

# (start seconds, end seconds, section, loudness)
SECTIONS = [(0, 8, "intro", 0.45), (8, 24, "verse", 0.6), (24, 40, "chorus", 1.0),
            (40, 48, "bridge", 0.55), (48, 56, "chorus", 1.0), (56, 64, "outro", 0.4)]
# chord roots per bar (2 s), as semitones above A2 (110 Hz): Am F C G
PROGRESSION = [0, -4, 3, -2]


def section_at(t):
    for s in SECTIONS:
        if s[0] <= t < s[1]:
            return s
    return SECTIONS[-1]


def note(semitones, base=110.0):
    return base * 2 ** (semitones / 12.0)


def render_music():
    n = int(LENGTH * RATE)
    out = [0.0] * n
    rnd = random.Random(7)
    for i in range(n):
        t = i / RATE
        start, end, name, loud = section_at(t)
        bar = int(t / (4 * BEAT))
        root = PROGRESSION[bar % 4]
        beat_pos = (t % BEAT)
        beat_index = int(t / BEAT)
        v = 0.0
        # pad: root, third, fifth, softly detuned
        for k, iv in enumerate((0, 3 if root in (0,) else 4, 7)):
            f = note(root + iv + 12)
            v += 0.05 * loud * math.sin(2 * math.pi * f * t + k)
        # bass on every beat
        env = math.exp(-beat_pos * 6)
        v += 0.22 * loud * env * math.sin(2 * math.pi * note(root - 12 + 12) * t)
        if name != "intro":
            # kick on beats 1 and 3, snare-ish noise on 2 and 4, hats on eighths
            if beat_index % 2 == 0:
                v += 0.5 * loud * math.exp(-beat_pos * 25) * math.sin(2 * math.pi * (60 + 80 * math.exp(-beat_pos * 40)) * beat_pos)
            else:
                v += 0.25 * loud * math.exp(-beat_pos * 30) * (rnd.random() * 2 - 1)
            eighth = t % (BEAT / 2)
            v += 0.05 * loud * math.exp(-eighth * 80) * (rnd.random() * 2 - 1)
        if name == "chorus":
            # arpeggio lead
            step = int(t / (BEAT / 2)) % 4
            f = note(root + (0, 7, 12, 16)[step] + 24)
            v += 0.08 * math.sin(2 * math.pi * f * t) * math.exp(-(t % (BEAT / 2)) * 4)
        out[i] = v
    return out


def speak_lyrics(n):
    """Returns vocal samples (speech at the LRC times), or silence if espeak-ng is absent."""
    vocal = [0.0] * n
    lrc = open(os.path.join(SONG_DIR, "neon-harbor.lrc"), encoding="utf-8").read()
    lines = []
    for raw in lrc.splitlines():
        m = re.match(r"\[(\d+):(\d+\.\d+)\](.*)", raw)
        if m and m.group(3).strip() and not m.group(3).startswith("["):
            lines.append((int(m.group(1)) * 60 + float(m.group(2)), m.group(3).strip()))
    with tempfile.TemporaryDirectory() as tmp:
        for idx, (at, text) in enumerate(lines):
            wav_path = os.path.join(tmp, "l%d.wav" % idx)
            try:
                subprocess.run(["espeak-ng", "-v", "en-us+f3", "-s", "125", "-p", "60",
                                "-w", wav_path, text], check=True)
            except (OSError, subprocess.CalledProcessError):
                print("espeak-ng not available: instrumental only", file=sys.stderr)
                return vocal
            with wave.open(wav_path) as w:
                rate = w.getframerate()
                frames = w.readframes(w.getnframes())
            samples = struct.unpack("<%dh" % (len(frames) // 2), frames)
            step = rate / RATE
            for j in range(int(len(samples) / step)):
                k = int(at * RATE) + j
                if k < n:
                    vocal[k] += 0.55 * samples[int(j * step)] / 32768.0
    return vocal


def main():
    music = render_music()
    vocal = speak_lyrics(len(music))
    mix = [max(-1.0, min(1.0, a + b)) for a, b in zip(music, vocal)]
    with tempfile.TemporaryDirectory() as tmp:
        wav_path = os.path.join(tmp, "song.wav")
        with wave.open(wav_path, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(struct.pack("<%dh" % len(mix), *[int(x * 30000) for x in mix]))
        lyrics = open(os.path.join(SONG_DIR, "neon-harbor.lrc"), encoding="utf-8").read()
        out = os.path.join(SONG_DIR, "neon-harbor.m4a")
        subprocess.run(["ffmpeg", "-y", "-loglevel", "error", "-i", wav_path, "-ac", "2",
                        "-c:a", "aac", "-b:a", "128k",
                        "-metadata", "title=Neon Harbor", "-metadata", "artist=The MaiVid Band",
                        "-metadata", "genre=synthwave, electronic, dreamy",
                        "-metadata", "lyrics=" + lyrics, out], check=True)
        print(out)


if __name__ == "__main__":
    main()
