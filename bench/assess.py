"""Assessment benchmark: the clinical core's throughput and the API's latency.

    .venv/bin/python bench/assess.py [--requests 2000] [--clients 4] [--seconds 3]

1. Core: ``assess()`` calls per second in one process on one core (target >= 5,000/s).
2. API: p50/p95/p99 latency of ``POST /api/v1/assessments`` against ``rehabit serve``
   (gunicorn, 2 sync workers, SQLite in a fresh temporary data folder: the embedded
   default) with N concurrent clients on loopback (target p95 <= 30 ms).
Prints the figures; it is never part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import assess_core  # noqa: E402


def vignette_answers() -> list[dict[str, object]]:
    with (ROOT / "tests" / "clinical" / "vignettes.yaml").open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    defaults = data.get("defaults", {})
    yes_no = {True: "yes", False: "no"}
    return [
        {
            k: yes_no[v] if isinstance(v, bool) else v
            for k, v in {**defaults, **c["answers"]}.items()
        }
        for c in data["vignettes"]
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not come up at {url}")


def api_latency(base: str, bodies: list[bytes], requests: int, clients: int) -> list[float]:
    timings: list[float] = []
    lock = threading.Lock()
    counter = iter(range(requests))

    def client() -> None:
        local: list[float] = []
        for i in counter:
            request = urllib.request.Request(  # noqa: S310
                f"{base}/api/v1/assessments",
                data=bodies[i % len(bodies)],
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                response.read()
                assert response.status == 201
            local.append((time.perf_counter() - started) * 1000)
        with lock:
            timings.extend(local)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()

    core = assess_core.run(args.seconds)
    print(
        f"core: {core['per_second']:,} assessments/s sustained on one core "
        f"(median batch {core['per_second_median_batch']:,}/s, best "
        f"{core['per_second_best_batch']:,}/s; with to_dict() "
        f"{core['per_second_with_to_dict']:,}/s; load average {core['load_average_1min']}; "
        "target >= 5,000/s)"
    )

    from rehabit.clinical import AnswerErrors, assess

    def valid(answers: dict[str, object]) -> bool:
        try:
            assess(answers)
        except AnswerErrors:  # a default answer that skip logic hides for this person
            return False
        return True

    bodies = [json.dumps({"answers": a}).encode() for a in vignette_answers() if valid(a)]
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "REHABIT_DATA_DIR": data_dir, "REHABIT_ENV": "development"}
        # One address posts every assessment: the per-network limit is counted, never met.
        env.setdefault("REHABIT_ASSESSMENTS_PER_NETWORK", str(10**9))
        env.pop("DATABASE_URL", None)
        server = subprocess.Popen(  # noqa: S603
            [str(ROOT / ".venv" / "bin" / "rehabit"), "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(f"{base}/healthz")
            api_latency(base, bodies, 100, args.clients)  # warm-up
            started = time.perf_counter()
            timings = api_latency(base, bodies, args.requests, args.clients)
            elapsed = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(
        f"api: POST /api/v1/assessments, {args.requests} requests, {args.clients} clients, "
        f"gunicorn 2 workers, SQLite: {args.requests / elapsed:,.0f} req/s; "
        f"p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 95):.1f} ms, "
        f"p99 {percentile(timings, 99):.1f} ms (target p95 <= 30 ms)"
    )


if __name__ == "__main__":
    main()
