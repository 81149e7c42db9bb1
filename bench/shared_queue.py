#!/usr/bin/env python3
"""shared_queue.py - throughput of maivid-servers sharing one Redis job queue, and what the
Redis path costs a status request.

1. jobs per minute with 1, 2 and 3 servers (one worker each) on this machine: JOBS short
   painter jobs (3 s of song, 480p, 12 fps, 2 scenes) submitted to the first server, timed
   from the first submit until all have completed;
2. GET /api/convo_pilot/video/{id} of a completed job with wrk (DURATION, 32 connections,
   2 threads): an embedded-queue server (the job in its memory) against a shared-queue server
   (the record read from Redis and parsed on every request).
Uses the helpers of tests/e2e/shared_queue_test.py (redis-server, the song, the servers).
usage: bench/shared_queue.py [build/bin/maivid-server]
env: JOBS (12), DURATION (5s), SERVERS ("1 2 3": the server counts to time), STATUS (1: run 2)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
import shared_queue_test as sq  # noqa: E402

JOBS = int(os.environ.get("JOBS", "12"))
DURATION = os.environ.get("DURATION", "5s")
SERVERS = [int(n) for n in os.environ.get("SERVERS", "1 2 3").split()]
STATUS = os.environ.get("STATUS", "1") == "1"


def throughput(tmp, song_url, n_servers):
    redis = sq.Redis(os.path.join(tmp, f"r{n_servers}"))
    redis.start()
    url = f"redis://127.0.0.1:{redis.port}/0"
    data = os.path.join(tmp, f"data{n_servers}")
    servers = [sq.Server(tmp, f"n{n_servers}s{i}", data, url) for i in range(n_servers)]
    t0 = time.time()
    jobs = [servers[0].create(song_url, f"bench {i}")[1]["job_id"] for i in range(JOBS)]
    sq.wait_for("the jobs", lambda: all(sq.ended(servers[0].status(j)[1]) for j in jobs), 900,
                0.2)
    elapsed = time.time() - t0
    failed = [j for j in jobs if servers[0].status(j)[1]["status"] != "completed"]
    for s in servers:
        s.proc.terminate()
        s.proc.wait()
    redis.proc.terminate()
    redis.proc.wait()
    return elapsed, failed


def wrk(url):
    out = subprocess.run(["wrk", "-t2", "-c32", f"-d{DURATION}", "--latency", url],
                         capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
    p50 = re.search(r"50%\s+(\S+)", out).group(1)
    p99 = re.search(r"99%\s+(\S+)", out).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p50, p99, int(errors.group(1)) if errors else 0


def status_overhead(tmp, song_url):
    results = {}
    redis = sq.Redis(os.path.join(tmp, "rs"))
    redis.start()
    for name, queue in (("embedded", None), ("redis", f"redis://127.0.0.1:{redis.port}/0")):
        server = sq.Server(tmp, f"status-{name}", os.path.join(tmp, f"sdata-{name}"), queue)
        job = server.create(song_url, name)[1]["job_id"]
        sq.wait_for("the job", lambda: sq.ended(server.status(job)[1]), 120, 0.2)
        results[name] = wrk(f"{server.base}/api/convo_pilot/video/{job}")
        server.proc.terminate()
        server.proc.wait()
    redis.proc.terminate()
    redis.proc.wait()
    return results


def main():
    sq.SERVER_BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "bin",
                                                                        "maivid-server")
    if not shutil.which("wrk") or not shutil.which("redis-server"):
        sys.exit("shared_queue: needs wrk and redis-server (scripts/install-deps.sh installs them)")
    tmp = tempfile.mkdtemp(prefix="maivid-bench-shared-")
    try:
        songs = os.path.join(tmp, "songs")
        os.makedirs(songs)
        sq.write_song(os.path.join(songs, "short.wav"), 3.0)
        httpd = sq.serve_dir(songs)
        song_url = f"http://127.0.0.1:{httpd.server_address[1]}/short.wav"
        print(f"throughput: {JOBS} jobs (3 s song, 480p, 12 fps, 2 scenes), "
              f"{os.cpu_count()} CPU(s)")
        for n in SERVERS:
            elapsed, failed = throughput(tmp, song_url, n)
            print(f"  {n} server(s): {elapsed:6.1f} s  {JOBS * 60 / elapsed:6.1f} jobs/min"
                  f"{'  FAILED: ' + str(failed) if failed else ''}", flush=True)
        if not STATUS:
            return
        print(f"status of a completed job, wrk -t2 -c32 -d{DURATION}:")
        for name, (rps, p50, p99, errors) in status_overhead(tmp, song_url).items():
            print(f"  {name:8s} {rps:9.0f} req/s  p50 {p50:>8s}  p99 {p99:>8s}  "
                  f"non-2xx {errors}", flush=True)
    finally:
        for p in sq.CHILDREN:
            if p.poll() is None:
                p.kill()
            p.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
