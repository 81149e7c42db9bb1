#!/bin/sh
# bench_job.sh - the whole offline job against the encoder alone (issue 15): makes a video of
# the bundled example song with maivid-cli (analysis, the built-in painter, the render) under
# /usr/bin/time -v, then encodes that video's own frames with the same encoder settings
# (bench_render --reference: in-process and with the ffmpeg CLI) and prints whole-job /
# encoder, the peak memory (max RSS) of the CLI process against the encoder alone's (the
# ffmpeg CLI encoding the same frames) and the keyframe pulsing.
# With --memory it only measures the CLI's peak memory, on the example song (64 s) and on the
# same song looped to 10 minutes with the ffmpeg CLI (target: the same peak for both).
# With --repeat N it runs N rounds (the job, then the reference on its video) and prints the
# ratios of the medians, which a busy machine moves less than one round's.
# Usage: bench/bench_job.sh [--memory] [--repeat N] [BUILD_DIR] [RESOLUTION]
# (defaults: one round, build, 1080p); BENCH_SONG=FILE measures another song than the
# example (its test, tests/e2e/bench_job_test.sh, uses a short cut of it).
set -eu
memory=0
repeat=1
while [ $# -gt 0 ]; do
    case "$1" in
    --memory) memory=1; shift ;;
    --repeat) repeat=${2:-}; shift; [ $# -gt 0 ] && shift ;;
    *) break ;;
    esac
done
case "$repeat" in
''|*[!0-9]*|0) echo "bench_job.sh: --repeat needs a whole number from 1, e.g. --repeat 3" >&2; exit 2 ;;
esac
if [ "$memory" = 1 ] && [ "$repeat" != 1 ]; then
    echo "bench_job.sh: --repeat is for the ratios; --memory runs each song once" >&2
    exit 2
fi
build=${1:-build}
res=${2:-1080p}
here=$(cd "$(dirname "$0")/.." && pwd)
song=${BENCH_SONG:-"$here/examples/song/neon-harbor.m4a"}
if [ ! -r "$song" ]; then
    echo "bench_job.sh: no song at $song: set BENCH_SONG to a readable audio file" >&2
    exit 2
fi
for tool in /usr/bin/time bc; do
    command -v "$tool" >/dev/null 2>&1 ||
        { echo "bench_job.sh: $tool is missing: install Debian's time and bc (scripts/install-deps.sh does)" >&2; exit 2; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-job-XXXXXX")
trap 'rm -rf "$work"' EXIT

# run_job SONG NAME: the CLI job under /usr/bin/time -v; sets job (wall s), cpu, rss (KiB)
run_job() {
    rm -rf "$work/data-$2" # a fresh job each time: no scene painted by an earlier round
    /usr/bin/time -v -o "$work/time-$2.txt" "$build/bin/maivid-cli" generate "$1" \
        --resolution "$res" --quiet -o "$work/video-$2.mp4" --data-dir "$work/data-$2" >/dev/null
    job=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time-$2.txt" |
          awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time-$2.txt")
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$work/time-$2.txt")
}

if [ "$memory" = 1 ]; then
    ffmpeg -v error -stream_loop -1 -i "$song" -t 600 -c copy "$work/song-10min.m4a"
    run_job "$song" 1min
    echo "example song (64 s, $res): peak RSS $rss KiB, $job s, $cpu CPU-s (target <= 250 MB)"
    short=$rss
    run_job "$work/song-10min.m4a" 10min
    echo "10-minute song ($res): peak RSS $rss KiB, $job s, $cpu CPU-s"
    echo "10 min / 64 s peak: $(echo "$rss / $short" | bc -l | cut -c1-5) (target: 1.0)"
    echo "load: $(uptime)"
    exit 0
fi

# median of the numbers on standard input
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { echo "$1 / $2" | bc -l | cut -c1-5; }

# Rounds of the job then the reference on that job's video, one after the other, so that a
# change in the machine's load lands on both; the ratios are of the medians.
: > "$work/rounds.txt"
round=1
while [ "$round" -le "$repeat" ]; do
    run_job "$song" job
    echo "whole job ($res, $(basename "$song"), the built-in painter): $job s, $cpu CPU-s, peak RSS $rss KiB (target <= 250 MB)"
    "$build/bin/bench_render" --reference "$work/video-job.mp4" | tee "$work/ref.txt"
    ref=$(awk '/^reference median/ {print $4}' "$work/ref.txt")
    cli=$(awk '/^reference median/ {print $8}' "$work/ref.txt")  # "... ffmpeg CLI 72.01 s"
    refcpu=$(awk '/^encoder alone, in-process/ {for (i = 1; i < NF; i++) if ($(i + 1) == "CPU-s,") print $i}' "$work/ref.txt" | head -1)
    clicpu=$(awk '/^encoder alone, ffmpeg CLI/ {for (i = 1; i < NF; i++) if ($(i + 1) == "CPU-s,") print $i}' "$work/ref.txt" | head -1)
    clipeak=$(awk '/^encoder alone, ffmpeg CLI/ {for (i = 1; i < NF; i++) if ($(i + 1) == "KiB") print $i}' "$work/ref.txt" | head -1)
    echo "round $round: whole job / encoder in-process: $(ratio "$job" "$ref") wall, $(ratio "$cpu" "$refcpu") CPU (target <= 1.3)"
    echo "$job $cpu $rss $ref $refcpu ${cli:-0} ${clicpu:-0} ${clipeak:-0}" >> "$work/rounds.txt"
    round=$((round + 1))
done

col() { awk -v c="$1" '{ print $c }' "$work/rounds.txt" | median; }
job=$(col 1); cpu=$(col 2); rss=$(awk '$3 > m { m = $3 } END { print m }' "$work/rounds.txt")
ref=$(col 4); refcpu=$(col 5); cli=$(col 6); clicpu=$(col 7)
clipeak=$(awk '$8 > m { m = $8 } END { print m + 0 }' "$work/rounds.txt")
if [ "$repeat" -gt 1 ]; then
    echo "medians of $repeat rounds: whole job $job s, $cpu CPU-s (highest peak RSS $rss KiB); encoder in-process $ref s, $refcpu CPU-s"
fi
echo "whole job / encoder in-process: $(ratio "$job" "$ref") wall, $(ratio "$cpu" "$refcpu") CPU (target <= 1.3)"
if [ "$cli" != 0 ] && [ "$clicpu" != 0 ]; then
    echo "whole job / ffmpeg CLI: $(ratio "$job" "$cli") wall, $(ratio "$cpu" "$clicpu") CPU"
fi
if [ "$clipeak" != 0 ]; then
    # the encoder alone's memory on the same frames: what the job's peak cannot go below
    echo "peak RSS: whole job $rss KiB, encoder alone (ffmpeg CLI) $clipeak KiB: $(ratio "$rss" "$clipeak") (target: whole job <= 250 MB)"
fi
echo "load: $(uptime)"
