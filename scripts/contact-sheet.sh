#!/bin/sh
# contact-sheet.sh - one PNG of frames from a video, evenly spread over it, in a grid: what a
# job's video shows at a glance (the README's contact sheet of the main job is made with it).
#
#   scripts/contact-sheet.sh VIDEO.mp4 SHEET.png [COLUMNS [ROWS [WIDTH]]]
#
# COLUMNS x ROWS frames (default 4 x 4), each WIDTH pixels wide (default 240), sampled in the
# middle of equal slices of the video, in a 256-colour PNG to keep it small. Needs ffmpeg.
set -eu
if [ $# -lt 2 ]; then
    echo "usage: $0 VIDEO.mp4 SHEET.png [COLUMNS [ROWS [WIDTH]]]" >&2
    exit 2
fi
video=$1 sheet=$2 cols=${3:-4} rows=${4:-4} width=${5:-240}
for tool in ffmpeg ffprobe; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "$0: $tool is not installed; install it with scripts/install-deps.sh" >&2
        exit 1
    }
done
[ -f "$video" ] || { echo "$0: no video at $video; make one first (scripts/demo.sh)" >&2; exit 1; }
duration=$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$video")
case $duration in
'' | N/A) echo "$0: cannot read the length of $video; is it a video?" >&2; exit 1 ;;
esac
frames=$((cols * rows))
# one frame in the middle of each of `frames` equal slices (spaced a slice less over the
# whole, so the last one lands before the end)
rate=$(awk -v n="$frames" -v d="$duration" 'BEGIN { printf "%.6f", n / (d - d / n) }')
start=$(awk -v n="$frames" -v d="$duration" 'BEGIN { printf "%.3f", d / n / 2 }')
tmp="$sheet.tmp.$$.png"
trap 'rm -f "$tmp"' EXIT
ffmpeg -v error -y -ss "$start" -i "$video" -frames:v 1 -filter_complex \
    "fps=$rate,scale=$width:-2,tile=${cols}x${rows}:padding=4:margin=4:color=black,split[a][b];[a]palettegen=max_colors=256[p];[b][p]paletteuse=dither=bayer:bayer_scale=3" \
    "$tmp"
mv "$tmp" "$sheet"
trap - EXIT
echo "$sheet: $cols x $rows frames of $video"
