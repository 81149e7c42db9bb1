#!/bin/sh
# demo.sh - the README's main job: install what is needed, build, and make a music video
# from the bundled example song, fully offline, with the built-in painter.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target maivid-cli
mkdir -p out
./build/bin/maivid-cli generate examples/song/neon-harbor.m4a \
    --model procedural --style cinematic --output out/neon-harbor.mp4 "$@"
