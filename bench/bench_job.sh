#!/bin/sh
# bench_job.sh - the whole offline job against the encoder alone (issue 15): makes a video of
# the bundled example song with maivid-cli (analysis, the built-in painter, the render) under
# /usr/bin/time -v, then encodes that video's own frames with the same encoder settings
# (bench_render --reference: in-process and with the ffmpeg CLI) and prints whole-job /
# encoder, the peak memory (max RSS) of the CLI process and the keyframe pulsing.
# Usage: bench/bench_job.sh [BUILD_DIR] [RESOLUTION] (defaults: build 1080p)
set -eu
build=${1:-build}
res=${2:-1080p}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-job-XXXXXX")
trap 'rm -rf "$work"' EXIT
/usr/bin/time -v -o "$work/time.txt" "$build/bin/maivid-cli" generate \
    "$here/examples/song/neon-harbor.m4a" --resolution "$res" --quiet -o "$work/video.mp4" \
    --data-dir "$work/data" >/dev/null
job=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt" |
      awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }')
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$work/time.txt")
echo "whole job ($res, the example song, the built-in painter): $job s, $cpu CPU-s, peak RSS $rss KiB (target <= 250 MB)"
"$build/bin/bench_render" --reference "$work/video.mp4" | tee "$work/ref.txt"
ref=$(awk '/^reference median/ {print $4}' "$work/ref.txt")
cli=$(awk '/^reference median/ {print $9}' "$work/ref.txt")
refcpu=$(awk '/^encoder alone, in-process/ {for (i = 1; i < NF; i++) if ($(i + 1) == "CPU-s,") print $i}' "$work/ref.txt" | head -1)
echo "whole job / encoder in-process: $(echo "$job / $ref" | bc -l | cut -c1-5) wall, $(echo "$cpu / $refcpu" | bc -l | cut -c1-5) CPU (target <= 1.3)"
if [ -n "$cli" ]; then echo "whole job / ffmpeg CLI: $(echo "$job / $cli" | bc -l | cut -c1-5) wall"; fi
echo "load: $(uptime)"
