#!/bin/sh
# contact_sheet_test.sh - scripts/contact-sheet.sh end to end: a test video (ffmpeg's moving
# test pattern) becomes one PNG of 4 x 4 frames of the expected size, under 400 KB, whose
# frames differ (they come from different moments); a missing video is a clear error.
set -eu
root=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ffmpeg -v error -y -f lavfi -i testsrc=duration=8:size=640x360:rate=25 -pix_fmt yuv420p \
    "$tmp/in.mp4"
"$root/scripts/contact-sheet.sh" "$tmp/in.mp4" "$tmp/sheet.png" >/dev/null
size=$(ffprobe -v error -show_entries stream=width,height -of csv=p=0 "$tmp/sheet.png")
[ "$size" = "980,564" ] || { echo "sheet is $size, expected 980,564" >&2; exit 1; }
bytes=$(wc -c <"$tmp/sheet.png")
[ "$bytes" -lt 409600 ] || { echo "sheet is $bytes bytes, over 400 KB" >&2; exit 1; }
# the first and the last tile differ: frames from different times
ffmpeg -v error -y -i "$tmp/sheet.png" -vf crop=240:135:4:4 -f rawvideo -pix_fmt gray "$tmp/a.raw"
ffmpeg -v error -y -i "$tmp/sheet.png" -vf crop=240:135:736:425 -f rawvideo -pix_fmt gray "$tmp/b.raw"
if cmp -s "$tmp/a.raw" "$tmp/b.raw"; then
    echo "first and last frame of the sheet are the same" >&2
    exit 1
fi
# no video: an error that names the fix, and no sheet
if "$root/scripts/contact-sheet.sh" "$tmp/none.mp4" "$tmp/none.png" 2>"$tmp/err"; then
    echo "a missing video was accepted" >&2
    exit 1
fi
grep -q "no video at" "$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
[ ! -e "$tmp/none.png" ]
echo "contact sheet ok"
