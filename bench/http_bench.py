"""Hot paths over HTTP, as a share of a bare Django view served the same way (issue 10).

    .venv/bin/python bench/http_bench.py [--seconds 8] [--warmup 2] [--connections 16]
        [--only questionnaire,home,...] [--no-large] [--json results.json]

One run, on this machine, in this order:

1. The clinical core: ``assess()`` per second on one core (``bench/assess_core.py``).
2. ``rehabit serve`` (gunicorn, 2 sync workers, no background worker, SQLite in a fresh
   temporary data folder with the demo therapists: the embedded default) and the bare
   Django project of ``bench/bare_app.py`` (a ``JsonResponse`` behind Django's stock
   middleware), started side by side with the same gunicorn settings. Each endpoint is
   loaded in turn with ``wrk -t2 -c16`` (after a warm-up); the bare view is loaded first
   and last and its mean is the yardstick. Without wrk, a small Python load generator
   (threads over ``http.client``) takes its place and says so; its figures are lower.
3. The booking search page with 200 therapists and 5,000 appointments (built by
   ``bench/slots.py``) on a second ``rehabit serve``: the latency one person sees (one
   request at a time, p50/p95) and its throughput under wrk.

Prints each endpoint's req/s, p99 and share of bare Django, with the issue's targets.
Benchmarks run on demand, never in the test run. wrk: ``apt-get install wrk``.

(Not named ``http.py``: run from ``bench/``, a module of that name would hide the
standard library's ``http`` package from every script here, Django included.)
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))


def _source() -> Path | None:
    """``--source DIR``: serve (and assess) the code of another checkout's ``DIR/src``,
    e.g. ``git archive <commit> src | tar -x -C DIR`` for a before-and-after comparison."""
    if "--source" in sys.argv:
        return Path(sys.argv[sys.argv.index("--source") + 1]).resolve()
    return None


SOURCE = _source()
if SOURCE is not None:
    sys.path.insert(0, str(SOURCE / "src"))

import assess_core  # noqa: E402


@dataclass
class Endpoint:
    name: str
    label: str
    method: str
    path: str
    target: float | None = None  # share of bare Django req/s
    p99_target_ms: float | None = None
    bodies: list[bytes] = field(default_factory=list)
    status: int = 200


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    tool: str


# --- Servers ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(
    url: str, process: subprocess.Popen[bytes], log: Any, seconds: float = 120
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            tail = log.read().decode(errors="replace")[-3000:]
            raise SystemExit(f"the server for {url} exited with {process.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not come up at {url}")


@contextmanager
def server(command: list[str], env: dict[str, str], probe: str) -> Iterator[None]:
    log = tempfile.TemporaryFile()  # noqa: SIM115 - the server's errors, shown if it fails
    process = subprocess.Popen(  # noqa: S603
        command, env=env, stdout=subprocess.DEVNULL, stderr=log
    )
    try:
        wait_until_up(probe, process, log)
        yield
    finally:
        log.close()
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def rehabit_env(data_dir: str) -> dict[str, str]:
    env = {**os.environ, "REHABIT_DATA_DIR": data_dir, "REHABIT_ENV": "development"}
    # wrk sends every assessment from one address: the limit of new assessments per network
    # is counted (its cost measured) but set too high to be reached.
    env.setdefault("REHABIT_ASSESSMENTS_PER_NETWORK", str(10**9))
    env.pop("DATABASE_URL", None)
    env.pop("REHABIT_DEBUG", None)
    if SOURCE is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(SOURCE / "src"), env.get("PYTHONPATH", "")])
    return env


def rehabit_serve(data_dir: str, port: int) -> Any:
    command = [
        str(ROOT / ".venv" / "bin" / "python"),
        "-m",
        "rehabit.cli",
        "serve",
        "--port",
        str(port),
        "--workers",
        "2",
        "--no-worker",
    ]
    return server(command, rehabit_env(data_dir), f"http://127.0.0.1:{port}/")


def bare_serve(port: int) -> Any:
    # The same gunicorn settings as ``rehabit serve`` (rehabit.server.RehabitServer).
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "--chdir",
        str(BENCH),
        "--workers",
        "2",
        "--worker-class",
        "sync",
        "--timeout",
        "30",
        "--access-logfile",
        "-",
        "--bind",
        f"127.0.0.1:{port}",
        "bare_app:application",
    ]
    return server(command, dict(os.environ), f"http://127.0.0.1:{port}/json")


# --- Load ------------------------------------------------------------------------------


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    if not match:
        raise ValueError(f"unexpected wrk latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def _lua(endpoint: Endpoint, folder: Path) -> Path | None:
    if endpoint.method == "GET":
        return None
    bodies = ",\n".join(f"[==[{b.decode()}]==]" for b in endpoint.bodies)
    script = folder / f"{endpoint.name}.lua"
    script.write_text(
        f"local bodies = {{\n{bodies}\n}}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #bodies + 1\n"
        f'  return wrk.format("{endpoint.method}", "{endpoint.path}", '
        '{["Content-Type"] = "application/json"}, bodies[i])\n'
        "end\n",
        encoding="utf-8",
    )
    return script


def wrk(base: str, endpoint: Endpoint, seconds: float, args: argparse.Namespace) -> Load:
    with tempfile.TemporaryDirectory() as folder:
        script = _lua(endpoint, Path(folder))
        command = [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{max(1, round(seconds))}s",
            "--latency",
            "--timeout",
            "10s",
        ]
        if script is not None:
            command += ["-s", str(script)]
        command.append(base + endpoint.path)
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _wrk_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _wrk_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    failed = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    if failed:
        errors += sum(int(g) for g in failed.groups())
    return Load(rate, p50, p99, errors, "wrk")


def python_load(base: str, endpoint: Endpoint, seconds: float, args: argparse.Namespace) -> Load:
    """Fallback when wrk is missing: N threads, one request at a time each, no keep-alive
    (gunicorn's sync workers close the connection after every answer anyway)."""
    host, port = base.removeprefix("http://").split(":")
    deadline = time.perf_counter() + seconds
    timings: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client(offset: int) -> None:
        local: list[float] = []
        bad = 0
        i = offset
        while time.perf_counter() < deadline:
            body = endpoint.bodies[i % len(endpoint.bodies)] if endpoint.bodies else None
            i += 1
            started = time.perf_counter()
            conn = http.client.HTTPConnection(host, int(port), timeout=10)
            try:
                headers = {"Content-Type": "application/json"} if body else {}
                conn.request(endpoint.method, endpoint.path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                bad += response.status >= 400
            except OSError:
                bad += 1
            finally:
                conn.close()
            local.append((time.perf_counter() - started) * 1000)
        with lock:
            timings.extend(local)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return Load(
        len(timings) / elapsed,
        statistics.median(timings),
        percentile(timings, 99),
        errors[0],
        "python",
    )


def load(base: str, endpoint: Endpoint, args: argparse.Namespace, *, warm_up: bool = True) -> Load:
    run = wrk if shutil.which("wrk") and not args.python_load else python_load
    if warm_up:
        check_once(base, endpoint)
        run(base, endpoint, args.warmup, args)
    return run(base, endpoint, args.seconds, args)


def median_load(loads: list[Load]) -> dict[str, Any]:
    return {
        "requests_per_second": statistics.median(lo.requests_per_second for lo in loads),
        "p50_ms": statistics.median(lo.p50_ms for lo in loads),
        "p99_ms": statistics.median(lo.p99_ms for lo in loads),
        "errors": sum(lo.errors for lo in loads),
        "tool": loads[0].tool,
        "rounds": [asdict(lo) for lo in loads],
    }


def check_once(base: str, endpoint: Endpoint) -> None:
    body = endpoint.bodies[0] if endpoint.bodies else None
    request = urllib.request.Request(  # noqa: S310
        base + endpoint.path,
        data=body,
        headers={"Content-Type": "application/json"} if body else {},
        method=endpoint.method,
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        response.read()
        if response.status != endpoint.status:
            raise SystemExit(f"{endpoint.path}: {response.status}, not {endpoint.status}")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def one_at_a_time(url: str, requests: int, *, fresh: bool = False) -> dict[str, float]:
    """Latency as one person sees it: one request at a time, after two to warm up.
    ``fresh``: every request asks a question not asked before (a different ``tz`` each
    time, from the valid zones), so the page is never one kept in the cache."""
    from zoneinfo import available_timezones

    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
    timings = []
    for i in range(requests + 2):
        asked = f"{url}?tz={zones[i % len(zones)]}" if fresh else url
        started = time.perf_counter()
        with urllib.request.urlopen(asked, timeout=30) as response:  # noqa: S310
            response.read()
        if i >= 2:
            timings.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "max_ms": round(max(timings), 1),
    }


# --- The endpoints ---------------------------------------------------------------------


def assessment_bodies() -> list[bytes]:
    return [json.dumps({"answers": a}).encode() for a in assess_core.answer_sets()]


def first_therapist(base: str) -> int:
    with urllib.request.urlopen(base + "/api/v1/therapists", timeout=30) as response:  # noqa: S310
        therapists = json.loads(response.read())
    if not therapists:
        raise SystemExit("no listed therapist in the demo data")
    return int(therapists[0]["id"])


def endpoints(base: str) -> list[Endpoint]:
    today = datetime.now(UTC).date()
    therapist = first_therapist(base)
    slots = (
        f"/api/v1/therapists/{therapist}/slots?start={today.isoformat()}"
        f"&end={(today + timedelta(days=13)).isoformat()}&tz=Europe/London"
    )
    return [
        Endpoint(
            "questionnaire",
            "GET /api/v1/assessment/questionnaire",
            "GET",
            "/api/v1/assessment/questionnaire",
            0.8,
        ),
        Endpoint(
            "assessment",
            "POST /api/v1/assessments",
            "POST",
            "/api/v1/assessments",
            0.5,
            p99_target_ms=30,
            bodies=assessment_bodies(),
            status=201,
        ),
        Endpoint("home", "GET / (home page)", "GET", "/", 0.5),
        Endpoint("slots", "GET .../slots, one therapist, 14 days", "GET", slots, 0.25),
        Endpoint("search", "GET /booking/ (search, demo therapists)", "GET", "/booking/", 0.25),
        Endpoint("conditions", "GET /api/v1/conditions (small JSON)", "GET", "/api/v1/conditions"),
    ]


BARE = Endpoint("bare", "bare Django JsonResponse", "GET", "/json")


# --- Run and report --------------------------------------------------------------------


def build_large(data_dir: str) -> dict[str, Any]:
    env = {
        **rehabit_env(data_dir),
        "DATABASE_URL": f"sqlite:///{Path(data_dir) / 'rehabit.sqlite3'}",
        "REHABIT_LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join(
            [str((SOURCE or ROOT) / "src"), str(ROOT), str(ROOT / "src")]
        ),
    }
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(BENCH / "slots.py"), "--child", "--build-only"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr[-4000:])
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {"started": datetime.now(UTC).isoformat(timespec="seconds")}
    results["core"] = assess_core.run(args.core_seconds)
    results["load_average_before"] = round(os.getloadavg()[0], 2)
    rows: dict[str, Any] = {}
    with ExitStack() as stack:
        data_dir = stack.enter_context(tempfile.TemporaryDirectory())
        port, bare_port = free_port(), free_port()
        stack.enter_context(rehabit_serve(data_dir, port))
        stack.enter_context(bare_serve(bare_port))
        base, bare_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{bare_port}"
        chosen = [e for e in endpoints(base) if not args.only or e.name in args.only]
        # Rounds of (bare view, endpoint), back to back: each round's ratio compares the
        # two under the same minute's load (a shared machine's load drifts), and the median
        # over the rounds is the share reported.
        load(bare_base, BARE, args)  # warm-up
        bare_runs: list[Load] = []
        for endpoint in chosen:
            check_once(base, endpoint)
            load(base, endpoint, args)  # warm-up
            loads, ratios = [], []
            for _ in range(args.rounds):
                bare = load(bare_base, BARE, args, warm_up=False)
                measured = load(base, endpoint, args, warm_up=False)
                bare_runs.append(bare)
                loads.append(measured)
                ratios.append(measured.requests_per_second / bare.requests_per_second)
            rows[endpoint.name] = {
                "endpoint": asdict(endpoint),
                "load": median_load(loads),
                "share": round(statistics.median(ratios), 3),
                "shares": [round(r, 3) for r in ratios],
            }
            print(f"  measured {endpoint.label}", file=sys.stderr)
    bare_rate = statistics.median(b.requests_per_second for b in bare_runs)
    results["bare"] = {
        "runs": [asdict(b) for b in bare_runs],
        "requests_per_second": round(bare_rate, 1),
    }
    for row in rows.values():
        row["endpoint"].pop("bodies")
    results["endpoints"] = rows
    if not args.no_large:
        with ExitStack() as stack:
            data_dir = stack.enter_context(tempfile.TemporaryDirectory())
            built = build_large(data_dir)
            port = free_port()
            stack.enter_context(rehabit_serve(data_dir, port))
            base = f"http://127.0.0.1:{port}"
            page = Endpoint("search_200", "GET /booking/ (200 therapists)", "GET", "/booking/")
            results["search_200"] = {
                **built,
                "one_at_a_time": one_at_a_time(base + page.path, args.latency_requests),
                "made_afresh": one_at_a_time(base + page.path, args.latency_requests, fresh=True),
                "load": asdict(load(base, page, args)),
            }
            results["search_200"]["share"] = round(
                results["search_200"]["load"]["requests_per_second"] / bare_rate, 3
            )
    results["load_average_after"] = round(os.getloadavg()[0], 2)
    return results


def verdict(ok: bool | None) -> str:
    return "" if ok is None else ("met" if ok else "NOT MET")


def report(results: dict[str, Any], args: argparse.Namespace) -> None:
    core = results["core"]
    bare = results["bare"]
    tool = bare["runs"][0]["tool"]
    print(
        f"\nbench/http_bench.py, {results['started']}, {os.cpu_count()} CPUs, load average "
        f"{results['load_average_before']} -> {results['load_average_after']}; "
        f"load: {tool} -t{args.threads} -c{args.connections}, {args.seconds:g} s per endpoint "
        f"after a {args.warmup:g} s warm-up, medians of {args.rounds} rounds; gunicorn 2 sync "
        "workers, SQLite"
    )
    rates = [b["requests_per_second"] for b in bare["runs"]]
    print(
        f"bare Django (JsonResponse, stock middleware): median {bare['requests_per_second']:,.0f}"
        f" req/s over {len(rates)} runs ({min(rates):,.0f} to {max(rates):,.0f}); each share is "
        f"the median over {args.rounds} rounds of (bare, endpoint) back to back\n"
    )
    header = f"{'endpoint':<44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'share':>6}  target"
    print(header)
    print("-" * len(header))
    for row in results["endpoints"].values():
        e, lo = row["endpoint"], row["load"]
        target = ""
        if e["target"] is not None:
            ok = row["share"] >= e["target"]
            target = f">= {e['target']}"
            if e["p99_target_ms"] is not None:
                ok = ok and lo["p99_ms"] <= e["p99_target_ms"]
                target += f", p99 <= {e['p99_target_ms']:g} ms"
            target += f": {verdict(ok)}"
        errors = f" ({lo['errors']} errors)" if lo["errors"] else ""
        print(
            f"{e['label']:<44} {lo['requests_per_second']:>8,.0f} {lo['p50_ms']:>8.1f} "
            f"{lo['p99_ms']:>8.1f} {row['share']:>6.2f}  {target}{errors}"
        )
    large = results.get("search_200")
    if large:
        one, lo = large["one_at_a_time"], large["load"]
        ok = one["p95_ms"] <= 100
        print(
            f"{'GET /booking/, 200 therapists (under load)':<44} "
            f"{lo['requests_per_second']:>8,.0f} {lo['p50_ms']:>8.1f} {lo['p99_ms']:>8.1f} "
            f"{large['share']:>6.2f}"
        )
        fresh = large["made_afresh"]
        print(
            f"\nbooking search page, 200 therapists, {large['appointments']:,} appointments, one "
            f"request at a time: p50 {one['p50_ms']} ms, p95 {one['p95_ms']} ms, max "
            f"{one['max_ms']} ms; made afresh every time (a new question each request, never "
            f"kept): p50 {fresh['p50_ms']} ms, p95 {fresh['p95_ms']} ms, max {fresh['max_ms']} ms "
            f"(target p95 <= 100 ms: {verdict(fresh['p95_ms'] <= 100)} made afresh, "
            f"{verdict(ok)} as served)"
        )
    print(
        f"clinical core: {core['per_second']:,} assessments/s sustained on one core (best batch "
        f"{core['per_second_best_batch']:,}/s; target >= 5,000/s: {verdict(core['meets_target'])})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5, help="per run")
    parser.add_argument("--rounds", type=int, default=3, help="(bare, endpoint) pairs")
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--core-seconds", type=float, default=3)
    parser.add_argument("--latency-requests", type=int, default=60)
    parser.add_argument("--only", type=lambda s: set(s.split(",")), default=set())
    parser.add_argument("--no-large", action="store_true", help="skip the 200-therapist search")
    parser.add_argument("--python-load", action="store_true", help="use the Python load generator")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--source", help="serve DIR/src instead of this checkout's code")
    args = parser.parse_args()
    results = run(args)
    report(results, args)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
