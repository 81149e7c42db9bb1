#!/bin/sh
# test.sh - the README's test command: install what is needed, build, and run the whole test
# suite twice: a normal build, then under AddressSanitizer + UndefinedBehaviorSanitizer; then
# every fuzzer of tests/fuzz for a short time (at most FUZZ_SECONDS each, default 120; 0: skip), which
# fails the run on any crash. The fuzz step is bounded by work, not time: a fixed seed (FUZZ_SEED, default 1)
# and at most FUZZ_RUNS inputs per harness (default 40000), so CI's run does the same work everywhere.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
jobs="$(nproc)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DMAIVID_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp" \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" -LE no-sanitizer
if [ "${FUZZ_SECONDS:-120}" -gt 0 ]; then
    FUZZ_SEED="${FUZZ_SEED:-1}" FUZZ_RUNS="${FUZZ_RUNS:-40000}" ./scripts/fuzz.sh "${FUZZ_SECONDS:-120}"
fi
