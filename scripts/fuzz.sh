#!/bin/sh
# fuzz.sh - builds the libFuzzer harnesses of tests/fuzz (clang-14, ASan + UBSan, in
# build-fuzz/) and runs each for SECONDS (default 20) on its seed corpus, JOBS at a time
# (default: the number of cores). Fails when any harness finds a crash, a leak, a timeout
# or runs out of memory; the input that did it is kept in build-fuzz/crashes/ (replay:
# build-fuzz/fuzz/<harness> <file>). New inputs found are kept in build-fuzz/corpus/.
# FUZZ_SEED fixes libFuzzer's random seed and FUZZ_RUNS caps the inputs each harness tries, so
# a run (CI's) does the same amount of work on any machine and mutates much the same way (not
# exactly: address layout and timing still steer libFuzzer a little; a red run keeps its input).
# Usage: scripts/fuzz.sh [SECONDS] [HARNESS...]   (env: JOBS, FUZZ_CC, FUZZ_SEED, FUZZ_RUNS)
set -eu
cd "$(dirname "$0")/.."
seconds="${1:-20}"
[ $# -gt 0 ] && shift
jobs="${JOBS:-$(nproc)}"
cc="${FUZZ_CC:-$(command -v clang-14 || command -v clang || true)}"
if [ -z "$cc" ]; then
    echo "fuzz.sh: clang not found: apt-get install clang-14 libclang-rt-14-dev" >&2
    exit 1
fi
CC="$cc" cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMAIVID_FUZZ=ON \
    -DMAIVID_BUILD_TESTS=OFF >/dev/null
cmake --build build-fuzz -j"$jobs" --target maivid_fuzzers
if [ $# -gt 0 ]; then
    harnesses="$*"
else
    harnesses="$(cd tests/fuzz && ls fuzz_*.c | sed 's/\.c$//')"
fi
mkdir -p build-fuzz/corpus build-fuzz/crashes build-fuzz/logs build-fuzz/tmp
export TMPDIR="$PWD/build-fuzz/tmp"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

run_one() {
    name="$1"
    seeds="tests/fuzz/corpus/${name#fuzz_}"
    mkdir -p "build-fuzz/corpus/$name" "$seeds"
    # -timeout: one input taking longer is a hang; -rss_limit_mb: a runaway allocation
    "build-fuzz/fuzz/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -reload=0 ${FUZZ_SEED:+-seed="$FUZZ_SEED"} ${FUZZ_RUNS:+-runs="$FUZZ_RUNS"} \
        -artifact_prefix="build-fuzz/crashes/$name-" \
        "build-fuzz/corpus/$name" "$seeds" \
        >"build-fuzz/logs/$name.log" 2>&1
}

failed=""
running=0
pids=""
for name in $harnesses; do
    run_one "$name" &
    pids="$pids $!:$name"
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait_pid="${pids# }"
        wait_pid="${wait_pid%% *}"
        if ! wait "${wait_pid%%:*}"; then failed="$failed ${wait_pid#*:}"; fi
        pids="${pids#* $wait_pid}"
        running=$((running - 1))
    fi
done
for entry in $pids; do
    if ! wait "${entry%%:*}"; then failed="$failed ${entry#*:}"; fi
done

printf '%-22s %12s %10s %8s\n' harness executions exec/s corpus
for name in $harnesses; do
    log="build-fuzz/logs/$name.log"
    runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
    corpus="$(ls "build-fuzz/corpus/$name" | wc -l)"
    printf '%-22s %12s %10s %8s\n' "$name" "${runs:-?}" "${speed:-?}" "$corpus"
done
if [ -n "$failed" ]; then
    for name in $failed; do
        echo "--- $name found a problem (log: build-fuzz/logs/$name.log):" >&2
        grep -E "ERROR|SUMMARY|Test unit written|runtime error" "build-fuzz/logs/$name.log" | head -20 >&2
    done
    echo "fuzz.sh: FAILED:$failed" >&2
    exit 1
fi
echo "fuzz.sh: no crash in $(echo $harnesses | wc -w) harnesses, ${seconds} s each"
