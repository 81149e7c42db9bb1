#!/bin/sh
# bench_job.sh - the whole offline job against the encoder alone (issue 15): makes a video of
# the bundled example song with maivid-cli (analysis, the built-in painter, the render) under
# /usr/bin/time -v, then encodes that video's own frames with the same encoder settings
# (bench_render --reference: in-process and with the ffmpeg CLI) and prints whole-job /
# encoder, the peak memory (max RSS) of the CLI process and the keyframe pulsing.
# With --memory it only measures the CLI's peak memory, on the example song (64 s) and on the
# same song looped to 10 minutes with the ffmpeg CLI (target: the same peak for both).
# Usage: bench/bench_job.sh [--memory] [BUILD_DIR] [RESOLUTION] (defaults: build 1080p)
set -eu
memory=0
if [ "${1:-}" = "--memory" ]; then memory=1; shift; fi
build=${1:-build}
res=${2:-1080p}
here=$(cd "$(dirname "$0")/.." && pwd)
song="$here/examples/song/neon-harbor.m4a"
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-job-XXXXXX")
trap 'rm -rf "$work"' EXIT

# run_job SONG NAME: the CLI job under /usr/bin/time -v; sets job (wall s), cpu, rss (KiB)
run_job() {
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

run_job "$song" job
echo "whole job ($res, the example song, the built-in painter): $job s, $cpu CPU-s, peak RSS $rss KiB (target <= 250 MB)"
"$build/bin/bench_render" --reference "$work/video-job.mp4" | tee "$work/ref.txt"
ref=$(awk '/^reference median/ {print $4}' "$work/ref.txt")
cli=$(awk '/^reference median/ {print $8}' "$work/ref.txt")  # "... ffmpeg CLI 72.01 s"
refcpu=$(awk '/^encoder alone, in-process/ {for (i = 1; i < NF; i++) if ($(i + 1) == "CPU-s,") print $i}' "$work/ref.txt" | head -1)
clicpu=$(awk '/^encoder alone, ffmpeg CLI/ {for (i = 1; i < NF; i++) if ($(i + 1) == "CPU-s,") print $i}' "$work/ref.txt" | head -1)
echo "whole job / encoder in-process: $(echo "$job / $ref" | bc -l | cut -c1-5) wall, $(echo "$cpu / $refcpu" | bc -l | cut -c1-5) CPU (target <= 1.3)"
if [ -n "$cli" ] && [ -n "$clicpu" ]; then
    echo "whole job / ffmpeg CLI: $(echo "$job / $cli" | bc -l | cut -c1-5) wall, $(echo "$cpu / $clicpu" | bc -l | cut -c1-5) CPU"
fi
echo "load: $(uptime)"
