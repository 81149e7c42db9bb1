#!/bin/sh
# install-deps.sh - installs, from Debian 12 packages, everything MaiVid needs to build, run
# and test. Run as root (or with sudo). Safe to run again.
set -eu
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
    build-essential cmake pkg-config ca-certificates \
    libcjson-dev libcurl4-openssl-dev \
    libavformat-dev libavcodec-dev libavfilter-dev libswscale-dev libswresample-dev libavutil-dev \
    libcivetweb-dev libaubio-dev libcmocka-dev libssl-dev openssl \
    libass-dev fontconfig fonts-dejavu-core fonts-noto-core fonts-noto-cjk \
    libhiredis-dev libpng-dev redis-server valgrind wrk ffmpeg clang-14 libclang-rt-14-dev \
    time bc >/dev/null
# The browser and MCP tests: Debian's chromium, Node.js and npm (a Node.js that already brings
# its own npm is kept), then their npm packages, pinned by package-lock.json, into
# tests/{browser,mcp}/node_modules (not committed; never fetched at test time).
$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
if ! command -v npm >/dev/null 2>&1; then
    $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
for dir in browser mcp; do
    (cd "$(dirname "$0")/../tests/$dir" && npm ci --no-audit --no-fund --loglevel=error)
done
echo "MaiVid dependencies installed."
