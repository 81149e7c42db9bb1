#!/bin/sh
# check-nvenc.sh - the NVENC check for a machine with an NVIDIA GPU (issue 15), as one short
# run: the GPU test of the test suite, then the example song's job with each NVENC encoder
# and with libx264, each video checked (codec, length, a clean decode) and timed. CI machines
# have no GPU, so CI never runs it; it exits 77 where there is no NVIDIA device.
#
#   scripts/check-nvenc.sh [BUILD_DIR [OUT_DIR]]     (defaults: build, a temporary folder)
#
# Needs a build of this tree (scripts/test.sh or cmake) and ffmpeg/ffprobe; it prints one
# line per check and exits non-zero on the first one that fails.
set -eu
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
song="$here/examples/song/neon-harbor.m4a"
cli="$build/bin/maivid-cli"

if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L 2>/dev/null | grep -q GPU; then
    echo "check-nvenc: skipped: no NVIDIA GPU here (nvidia-smi lists none)"
    exit 77
fi
nvidia-smi -L
[ -x "$cli" ] || { echo "check-nvenc: no $cli: build the tree first (scripts/test.sh)" >&2; exit 1; }
missing=$(ldd "$cli" | awk '/not found/ {print $1}')
if [ -n "$missing" ]; then
    echo "check-nvenc: $cli cannot load: $missing; install the dependencies" \
         "(scripts/install-deps.sh) or bring those libraries" >&2
    exit 1
fi
out=${2:-$(mktemp -d "${TMPDIR:-/tmp}/check-nvenc-XXXXXX")}
mkdir -p "$out"

ctest --test-dir "$build" -R '^test_render_encoders' --output-on-failure

# job ENCODER CODEC: the example song at 720p with ENCODER; checks and times its video
job() {
    video="$out/video-$1.mp4"
    start=$(date +%s.%N)
    "$cli" generate "$song" --encoder "$1" --resolution 720p --quiet --json -o "$video" \
        --data-dir "$out/data-$1" >"$out/status-$1.json"
    end=$(date +%s.%N)
    if grep -q "is not usable here" "$out/status-$1.json"; then
        echo "check-nvenc: $1 fell back to libx264:" >&2
        grep -o '"warnings":[^]]*]' "$out/status-$1.json" >&2
        exit 1
    fi
    codec=$(ffprobe -v error -select_streams v:0 -show_entries stream=codec_name \
        -of default=nw=1:nk=1 "$video")
    length=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$video")
    [ "$codec" = "$2" ] || { echo "check-nvenc: $1 made $codec, not $2" >&2; exit 1; }
    awk -v d="$length" 'BEGIN { exit !(d > 63 && d < 65.5) }' ||
        { echo "check-nvenc: $1's video lasts $length s, not the song's 64 s" >&2; exit 1; }
    errors=$(ffmpeg -v error -i "$video" -f null - 2>&1 | head -3)
    [ -z "$errors" ] || { echo "check-nvenc: $1's video does not decode cleanly: $errors" >&2; exit 1; }
    echo "$1: $codec, $length s, $(stat -c %s "$video") bytes," \
         "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s for the whole job"
}
job h264_nvenc h264
job hevc_nvenc hevc
job libx264 h264
echo "check-nvenc: all passed; videos and statuses in $out"
