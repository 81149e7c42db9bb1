#!/usr/bin/env python3
"""shared_queue_test.py - several maivid-servers on one Redis queue, end to end.

Starts a real redis-server on a free loopback port (no persistence of its own: --save ""
--appendonly no; the outage step saves once on SHUTDOWN SAVE, as a persistent Redis would),
a loopback HTTP server for the test song, and three maivid-server processes on one shared
data directory, then checks:
  1. a dozen short painter jobs submitted to one server all complete, spread over all three,
     and every server reports the same status for every job;
  2. a job cancelled through a server that is not running it stops within seconds, and its
     webhook is delivered;
  3. kill -9 of the server running a job: another server finishes it from its checkpoint
     (the stages the dead server finished are not run again);
  4. Redis stopped for a few seconds and started again: health fails (503), new jobs get 503
     with a clear message, status still answers from disk; afterwards no job is lost and none
     ran twice.
Everything it starts is stopped at the end; the temporary directory is removed.
  Also: an Idempotency-Key retried through another server returns the first job, and the
  queue limit counts the jobs waiting on every server.
  5. maivid-cli --queue only submits and waits: a server runs its job, the CLI saves the MP4.
usage: shared_queue_test.py MAIVID_SERVER_BIN MAIVID_CLI_BIN [--keep]
"""
import http.server as httpserver
import json
import math
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import wave

SERVER_BIN = "maivid-server"  # set by main() (or by bench/shared_queue.py)
CLI_BIN = "maivid-cli"
KEEP = False
CHILDREN = []


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_song(path, seconds, bpm=120):
    """A mono 22.05 kHz WAV: a soft tone with a click on every beat."""
    rate = 22050
    beat = 60.0 / bpm
    frames = bytearray()
    for i in range(int(seconds * rate)):
        t = i / rate
        v = 0.2 * math.sin(2 * math.pi * 220 * t)
        if (t % beat) < 0.02:
            v += 0.6 * math.sin(2 * math.pi * 1000 * t)
        frames += struct.pack("<h", int(max(-1, min(1, v)) * 32000))
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(frames))


HOOKS = []  # bodies of the webhooks POSTed to the song server


class SongHandler(httpserver.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        HOOKS.append(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
        self.send_response(204)
        self.end_headers()


def serve_dir(directory):
    handler = lambda *a, **k: SongHandler(*a, directory=directory, **k)
    httpd = httpserver.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def http(method, url, body=None, timeout=10, headers=None, replies=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            if replies is not None:
                replies.append(dict(r.headers))
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw)
        except ValueError:
            return e.code, raw.decode(errors="replace")


class Redis:
    def __init__(self, tmp):
        self.port = free_port()
        self.dir = os.path.join(tmp, "redis")
        os.makedirs(self.dir, exist_ok=True)
        self.proc = None
        self.db = 0

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.dir, "--dbfilename", "dump.rdb"],
            stdout=open(os.path.join(self.dir, "redis.log"), "a"), stderr=subprocess.STDOUT)
        CHILDREN.append(self.proc)
        for _ in range(100):
            if self.cli("PING") == "PONG":
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def cli(self, *args):
        r = subprocess.run(["redis-cli", "-p", str(self.port), "-n", str(self.db)] + list(args),
                           capture_output=True, text=True, timeout=10)
        return r.stdout.strip()

    def stop_saving(self):
        """SHUTDOWN SAVE: the state survives the outage, as with a persistent Redis."""
        self.cli("SHUTDOWN", "SAVE")
        self.proc.wait(timeout=10)


class Server:
    def __init__(self, tmp, name, data_dir, queue_url):
        self.name = name
        self.log_path = os.path.join(tmp, f"{name}.log")
        queue = ["--queue", queue_url] if queue_url else []
        self.proc = subprocess.Popen(
            [SERVER_BIN, "--listen", "127.0.0.1:0", "--data-dir", data_dir, *queue,
             "--allow-private-urls", "--workers", "1", "--log-format", "json"],
            stdout=subprocess.DEVNULL, stderr=open(self.log_path, "w"))
        CHILDREN.append(self.proc)
        self.pid = self.proc.pid
        self.base = None
        for _ in range(200):
            m = re.search(r"listening on (http://[0-9.]+:\d+)", open(self.log_path).read())
            if m:
                self.base = m.group(1)
                break
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        if not self.base:
            raise RuntimeError(f"{name} did not start: {open(self.log_path).read()}")

    def status(self, job_id):
        code, reply = http("GET", f"{self.base}/api/convo_pilot/video/{job_id}")
        return code, reply.get("job_status", reply) if isinstance(reply, dict) else {}

    def create(self, song_url, seconds_hint="", headers=None, replies=None, extra=None):
        body = {"url": song_url, "model_type": "procedural", "resolution": "480p", "fps": 12,
                "scene_count": 2, "transition_duration": 0.5, "title": f"shared {seconds_hint}",
                **(extra or {})}
        return http("POST", f"{self.base}/api/convo_pilot/video", body, headers=headers,
                    replies=replies)

    def takes(self):
        """job id -> how many times this server took it (its log)."""
        counts = {}
        for line in open(self.log_path):
            if '"message":"state running' in line: # one per run of a job's pipeline
                m = re.search(r"job_\d{8}_\d{6}_[0-9a-f]{8}", line)
                if m:
                    counts[m.group(0)] = counts.get(m.group(0), 0) + 1
        return counts


def wait_for(what, predicate, timeout, step=0.25):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def ended(status):
    return status.get("status") in ("completed", "failed", "cancelled")


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def worker_pid(status):
    w = status.get("worker")
    return int(w["pid"]) if isinstance(w, dict) else None


def main():
    for tool in ("redis-server", "redis-cli"):
        if not shutil.which(tool):
            print(f"SKIPPED: {tool} is not installed (apt-get install redis-server; "
                  "scripts/install-deps.sh installs it)")
            sys.exit(77)
    tmp = tempfile.mkdtemp(prefix="maivid-shared-")
    ok = False
    try:
        run(tmp)
        ok = True
    finally:
        for p in CHILDREN:
            if p.poll() is None:
                p.kill()
            p.wait()
        if ok and not KEEP:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"kept {tmp}")


def run(tmp):
    songs = os.path.join(tmp, "songs")
    os.makedirs(songs)
    write_song(os.path.join(songs, "short.wav"), 3.0)
    write_song(os.path.join(songs, "long.wav"), 24.0)
    httpd = serve_dir(songs)
    song_base = f"http://127.0.0.1:{httpd.server_address[1]}"
    redis = Redis(tmp)
    redis.start()
    redis.db = 3
    url = f"redis://127.0.0.1:{redis.port}/{redis.db}"
    data = os.path.join(tmp, "data")
    servers = [Server(tmp, f"s{i}", data, url) for i in range(3)]
    by_pid = {s.pid: s for s in servers}
    all_jobs = []

    # 0. the queue limit is global: 100 jobs waiting anywhere (here: stand-ins put straight
    # into the queued set) and every server refuses a new one with 429
    redis.cli("ZADD", "maivid:queued", *[x for i in range(100) for x in (str(i), f"other{i}")])
    for s in servers:
        code, reply = s.create(f"{song_base}/short.wav", "full")
        check(code == 429, f"{s.name} with a full global queue: {code} {reply}")
    redis.cli("DEL", "maivid:queued")

    # 1. a dozen short jobs through one server: all complete, spread, statuses agree
    t0 = time.time()
    jobs = []
    for i in range(12):
        key = {"Idempotency-Key": "shared-key-0"} if i == 0 else None
        code, reply = servers[0].create(f"{song_base}/short.wav", f"#{i}", headers=key)
        check(code == 202 and reply.get("job_id"), f"create: {code} {reply}")
        jobs.append(reply["job_id"])
    # the Idempotency-Key is global: the retry through another server gets the first job
    replies = []
    code, reply = servers[2].create(f"{song_base}/short.wav", "#0", replies=replies,
                                    headers={"Idempotency-Key": "shared-key-0"})
    check(code == 202 and reply["job_id"] == jobs[0] and
          replies[0].get("Idempotent-Replayed") == "true", f"idempotent retry: {code} {reply}")
    all_jobs += jobs
    code, st = servers[1].status(jobs[-1])
    check(code == 200 and st["status"] in ("queued", "running"), f"status elsewhere: {st}")
    wait_for("12 jobs to complete",
             lambda: all(ended(servers[0].status(j)[1]) for j in jobs), 240, 0.5)
    log(f"12 jobs done in {time.time() - t0:.1f}s")
    ran_on = {}
    for j in jobs:
        views = [s.status(j)[1] for s in servers]
        check(all(v["status"] == "completed" for v in views), f"{j}: {views[0]}")
        keys = ("status", "overall_progress", "worker", "video_title", "completed_at",
                "video_path", "settings", "scenes")
        first = {k: views[0].get(k) for k in keys}
        for v, s in zip(views[1:], servers[1:]):
            check({k: v.get(k) for k in keys} == first, f"{j}: servers disagree: {first} vs "
                  f"{ {k: v.get(k) for k in keys} }")
            check(v["video_url"].startswith(s.base + "/"), f"video_url {v['video_url']}")
        ran_on[j] = worker_pid(views[0])
    spread = {by_pid[p].name: list(ran_on.values()).count(p) for p in ran_on.values()}
    log(f"spread: {spread}")
    check(len(spread) == 3, f"jobs ran on {spread}, not on all three servers")
    code, health = http("GET", f"{servers[2].base}/api/health")
    check(code == 200 and health["queue"]["backend"] == "redis" and
          len(health["queue"]["consumers"]) == 3, f"health: {code} {health}")
    code, listed = http("GET", f"{servers[1].base}/api/convo_pilot/videos")
    check(code == 200, f"list: {code}")

    # 5. maivid-cli --queue: submits, waits, saves the video; a server ran the job
    out = os.path.join(tmp, "cli.mp4")
    r = subprocess.run([CLI_BIN, "generate", f"{song_base}/short.wav", "--queue", url,
                        "--data-dir", data, "-m", "procedural", "--resolution", "480p",
                        "--fps", "12", "-n", "2", "-o", out, "--keep", "--json", "-q"],
                       capture_output=True, text=True, timeout=120)
    check(r.returncode == 0 and os.path.getsize(out) > 1000, f"cli: {r.returncode} {r.stderr}")
    cli_job = json.loads(r.stdout)["job_id"]
    all_jobs.append(cli_job)
    check(worker_pid(servers[0].status(cli_job)[1]) in by_pid, "the CLI ran its own job")
    log("maivid-cli --queue: submitted, a server ran it, the CLI saved the video")

    # 2. cancel through a server that is not running the job
    code, reply = servers[0].create(f"{song_base}/long.wav", "cancel",
                                    extra={"callback_url": f"{song_base}/hook"})
    check(code == 202, f"create: {reply}")
    job = reply["job_id"]
    all_jobs.append(job)
    st = wait_for("the job to run", lambda: (lambda s: s if s["status"] == "running" and
                                             worker_pid(s) else None)(servers[0].status(job)[1]),
                  60)
    runner = worker_pid(st)
    other = next(s for s in servers if s.pid != runner)
    t = time.time()
    code, reply = http("POST", f"{other.base}/api/convo_pilot/video/{job}/cancel")
    check(code in (200, 202), f"cancel: {code} {reply}")
    wait_for("the cancel to reach the runner",
             lambda: other.status(job)[1]["status"] == "cancelled", 10, 0.1)
    log(f"cancel through {other.name} stopped the job on {by_pid[runner].name} in "
        f"{time.time() - t:.2f}s")
    # its webhook comes from the server that ended it
    wait_for("the cancelled job's webhook",
             lambda: any(job in h and "job.cancelled" in h for h in HOOKS), 30)

    # 3. kill -9 the server running a job: another finishes it from its checkpoint
    code, reply = servers[1].create(f"{song_base}/long.wav", "kill")
    check(code == 202, f"create: {reply}")
    job = reply["job_id"]
    all_jobs.append(job)
    st = wait_for("the job to reach the render stage",
                  lambda: (lambda s: s if s.get("stage_name") == "video_creation" and
                           s["status"] == "running" else None)(servers[1].status(job)[1]), 90,
                  0.1)
    victim = by_pid[worker_pid(st)]
    done_before = dict(st["worker"]["stages"])
    os.kill(victim.pid, signal.SIGKILL)
    victim.proc.wait()
    log(f"killed {victim.name} (pid {victim.pid}) while it rendered {job}")
    alive = [s for s in servers if s is not victim]
    st = wait_for("another server to finish the killed server's job",
                  lambda: (lambda s: s if ended(s) else None)(alive[0].status(job)[1]), 120, 0.5)
    check(st["status"] == "completed", f"after takeover: {st}")
    check(worker_pid(st) != victim.pid, f"the dead server finished it? {st['worker']}")
    for stage in ("download", "lyrics", "analysis", "scene_planning"):
        check(st["worker"]["stages"].get(stage) == done_before.get(stage),
              f"stage {stage} ran again after the takeover: {st['worker']['stages']}")
    log(f"{by_pid[worker_pid(st)].name} finished it; stages before the kill kept")

    # 4. Redis away for a few seconds
    jobs = []
    for i in range(4):
        code, reply = alive[i % 2].create(f"{song_base}/short.wav", f"outage #{i}")
        check(code == 202, f"create: {reply}")
        jobs.append(reply["job_id"])
    all_jobs += jobs
    wait_for("a job to run", lambda: any(alive[0].status(j)[1]["status"] == "running"
                                         for j in jobs), 30, 0.1)
    redis.stop_saving()
    log("redis stopped")
    code, health = http("GET", f"{alive[0].base}/api/health")
    check(code == 503 and "shared job queue" in health.get("error", ""), f"health: {code} {health}")
    code, reply = alive[1].create(f"{song_base}/short.wav", "refused")
    check(code == 503 and "shared job queue" in json.dumps(reply), f"create without Redis: {code} {reply}")
    code, st = alive[0].status(jobs[0])
    check(code == 200 and st["job_id"] == jobs[0], f"status from disk: {code} {st}")
    time.sleep(3)
    redis.start()
    log("redis started again")
    wait_for("health to recover", lambda: http("GET", f"{alive[0].base}/api/health")[0] == 200,
             15)
    wait_for("the outage's jobs to complete",
             lambda: all(ended(alive[1].status(j)[1]) for j in jobs), 120, 0.5)
    for j in jobs:
        st = alive[0].status(j)[1]
        check(st["status"] == "completed", f"{j} after the outage: {st}")

    # no job lost, none run twice (the killed one: twice, by two servers)
    takes = {}
    for s in servers:
        for j, n in s.takes().items():
            takes[j] = takes.get(j, 0) + n
    for j in all_jobs:
        expected = 2 if j == job else 1
        check(takes.get(j, 0) == expected, f"{j} was taken {takes.get(j, 0)} times, "
              f"expected {expected}")
    code, listed = http("GET", f"{alive[0].base}/api/convo_pilot/videos")
    check(code == 200 and len(listed.get("jobs", [])) == len(all_jobs),
          f"list: {code} {str(listed)[:300]}")

    # the servers stop cleanly (under ASan: without leaks)
    for s in alive:
        s.proc.send_signal(signal.SIGTERM)
    for s in alive:
        rc = s.proc.wait(timeout=30)
        check(rc == 0, f"{s.name} exited with {rc}: {open(s.log_path).read()[-2000:]}")
    log("shared queue ok")


if __name__ == "__main__":
    SERVER_BIN, CLI_BIN = sys.argv[1], sys.argv[2]
    KEEP = "--keep" in sys.argv
    main()
