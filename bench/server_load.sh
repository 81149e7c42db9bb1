#!/usr/bin/env bash
# server_load.sh - load test of maivid-server's status and progress endpoints with wrk while
# a job renders: starts the server on a free loopback port, serves a synthesized song from a
# local HTTP server, creates a job (built-in "procedural" painter), then runs wrk against
#   GET /api/convo_pilot/video/{id}            (status)
#   GET /api/convo_pilot/video/progress/{id}   (progress)
# and prints requests/s, p99 latency and errors for each. Target: >= 10,000 req/s with
# p99 < 10 ms on 2 cores, no errors.
#
# Usage: bench/server_load.sh [path/to/maivid-server]
# Environment: DURATION (default 10s), CONNECTIONS (32), THREADS (2),
#              RENDER=0 to measure without a job rendering at the same time,
#              SERVER_ARGS="--render-nice 19" (extra server flags).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SERVER_BIN="${1:-${MAIVID_SERVER_BIN:-$ROOT/build/bin/maivid-server}}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
RENDER="${RENDER:-1}"

if [ ! -x "$SERVER_BIN" ]; then
  echo "server_load: $SERVER_BIN not found: build it (cmake --build build --target maivid-server) or pass its path" >&2
  exit 2
fi
if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y wrk >/dev/null
  else
    echo "server_load: wrk is missing: install it with 'sudo apt-get install wrk'" >&2
    exit 2
  fi
fi
for tool in ffmpeg python3 curl; do
  command -v "$tool" >/dev/null 2>&1 || { echo "server_load: $tool is missing (apt-get install $tool)" >&2; exit 2; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/maivid-load-XXXXXX")"
SERVER_PID=""
SONG_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  [ -n "$SONG_PID" ] && kill "$SONG_PID" 2>/dev/null && wait "$SONG_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

wait_for_line() { # file pattern seconds
  for _ in $(seq 1 $(( $3 * 20 ))); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "server_load: timed out waiting for '$2' in $1:" >&2
  cat "$1" >&2
  return 1
}

# A 60 s song (tones with a beat) served from loopback.
mkdir -p "$WORK/www"
ffmpeg -loglevel error -f lavfi -i "sine=frequency=220:duration=60" -f lavfi \
  -i "sine=frequency=2:duration=60" -filter_complex amix=inputs=2 -ar 22050 -ac 1 \
  "$WORK/www/song.wav"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$WORK/www" >"$WORK/song.log" 2>&1 &
SONG_PID=$!
wait_for_line "$WORK/song.log" "Serving HTTP" 10
SONG_PORT="$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$WORK/song.log" | head -1)"

MAIVID_SHARE_DIR="${MAIVID_SHARE_DIR:-$ROOT/data}" "$SERVER_BIN" --listen 127.0.0.1:0 \
  --data-dir "$WORK/data" --allow-private-urls --workers 1 --http-threads 64 \
  ${SERVER_ARGS:-} 2>"$WORK/server.log" &
SERVER_PID=$!
wait_for_line "$WORK/server.log" "listening on http://" 20
BASE="$(sed -n 's/.*listening on \(http:\/\/[0-9.:]*\).*/\1/p' "$WORK/server.log" | head -1)"

if [ "$RENDER" = 1 ]; then
  BODY="{\"url\":\"http://127.0.0.1:$SONG_PORT/song.wav\",\"model_type\":\"procedural\",\"resolution\":\"720p\",\"fps\":24,\"scene_count\":8}"
else
  BODY="{\"url\":\"http://127.0.0.1:1/none.wav\",\"model_type\":\"procedural\"}"
fi
JOB="$(curl -sf -X POST -H 'Content-Type: application/json' -d "$BODY" "$BASE/api/convo_pilot/video" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')"
sleep 1
echo "server $BASE, job $JOB ($( [ "$RENDER" = 1 ] && echo rendering || echo idle)), $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION"

run() { # name path
  local out="$WORK/wrk-$1.txt"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$BASE$2" >"$out"
  local rps p99 non2xx socket
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
  p99="$(awk '$1 == "99%" {print $2}' "$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
  socket="$(sed -n 's/.*Socket errors: \(.*\)/\1/p' "$out")"
  printf '%-9s %10s req/s   p99 %-9s errors: non-2xx %s, socket %s\n' "$1" "$rps" "$p99" \
    "${non2xx:-0}" "${socket:-none}"
}
run status "/api/convo_pilot/video/$JOB"
run progress "/api/convo_pilot/video/progress/$JOB"
curl -sf "$BASE/api/convo_pilot/video/progress/$JOB"; echo
