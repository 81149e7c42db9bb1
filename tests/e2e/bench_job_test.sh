#!/bin/sh
# bench_job_test.sh - bench/bench_job.sh end to end on a 12 s cut of the example song at 480p:
# the job, the encoder alone in-process and with the ffmpeg CLI, and every figure the README
# takes from it (whole job / encoder for time and CPU, the peak memory of both and their
# ratio, the keyframe pulsing) come out as numbers; a bad --repeat or a missing song is a
# clear error. It checks that the benchmark works, not how fast anything is.
set -eu
root=$1
build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ffmpeg -v error -y -i "$root/examples/song/neon-harbor.m4a" -t 12 -c copy "$tmp/song.m4a"
BENCH_SONG="$tmp/song.m4a" TMPDIR="$tmp" "$root/bench/bench_job.sh" "$build" 480p \
    >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/out" "$tmp/err" >&2; exit 1; }
cat "$tmp/out"
fail() { echo "bench_job.sh: $1" >&2; cat "$tmp/out" >&2; exit 1; }
number='[0-9][0-9.]*'
grep -Eq "^whole job \(480p, song.m4a, the built-in painter\): $number s, $number CPU-s, peak RSS [1-9][0-9]* KiB" "$tmp/out" ||
    fail "no whole-job line with time, CPU and peak RSS"
grep -Eq "^encoder alone, in-process .*: $number s, $number CPU-s, [1-9][0-9]* bytes" "$tmp/out" ||
    fail "no in-process reference line"
grep -Eq "^encoder alone, ffmpeg CLI \(same settings\): $number s, $number CPU-s, [1-9][0-9]* bytes, peak RSS [1-9][0-9]* KiB" "$tmp/out" ||
    fail "no ffmpeg CLI reference line with its peak RSS"
grep -Eq "^whole job / encoder in-process: $number wall, $number CPU" "$tmp/out" ||
    fail "no whole job / encoder ratio"
grep -Eq "^whole job / ffmpeg CLI: $number wall, $number CPU" "$tmp/out" ||
    fail "no whole job / ffmpeg CLI ratio"
grep -Eq "^keyframe pulsing: worst $number \(frame [0-9]+\)" "$tmp/out" || fail "no keyframe pulsing"
# the memory ratio is the two peaks' quotient
line=$(grep "^peak RSS: whole job" "$tmp/out") || fail "no peak memory ratio"
job=$(echo "$line" | sed -n 's/^peak RSS: whole job \([0-9]*\) KiB,.*/\1/p')
enc=$(echo "$line" | sed -n 's/.*encoder alone (ffmpeg CLI) \([0-9]*\) KiB: .*/\1/p')
ratio=$(echo "$line" | sed -n 's/.* KiB: \([0-9.]*\) (target.*/\1/p')
[ -n "$job" ] && [ -n "$enc" ] && [ "$job" -gt 0 ] && [ "$enc" -gt 0 ] ||
    fail "peaks '$job' and '$enc' KiB"
expect=$(echo "$job / $enc" | bc -l | cut -c1-5)
[ "$ratio" = "$expect" ] || fail "peak ratio $ratio, expected $expect ($job / $enc)"
# bad input: a clear error that names the fix, and nothing measured
if "$root/bench/bench_job.sh" --repeat 0 "$build" 480p >/dev/null 2>"$tmp/err"; then
    fail "--repeat 0 was accepted"
fi
grep -q "needs a whole number from 1" "$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
if BENCH_SONG="$tmp/none.m4a" "$root/bench/bench_job.sh" "$build" 480p >/dev/null 2>"$tmp/err"; then
    fail "a missing song was accepted"
fi
grep -q "no song at $tmp/none.m4a: set BENCH_SONG" "$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
echo "bench_job ok"
