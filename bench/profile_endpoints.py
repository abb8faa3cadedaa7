"""Profile the hot endpoints one by one: where each request's time goes, and its queries.

    .venv/bin/python bench/profile_endpoints.py [--endpoint questionnaire,assessment,...]
        [--requests 200] [--sort cumulative|tottime] [--limit 30] [--large]

Tool: the standard library's deterministic profiler, **cProfile** (with ``pstats``), around
Django's test client, in this process: every request goes through the full middleware
stack, URL routing, the view and the template, against a real SQLite database in a fresh
temporary data folder, migrated and seeded with the demo therapists exactly as
``rehabit serve`` does (``REHABIT_ENV=development``). No server or network is involved, so
the profile shows Rehabit's own work; bench/http_bench.py measures the served figures.

For each endpoint: the wall time per request without the profiler, the number of database
queries per request, then the functions that took the time (cProfile's overhead inflates
the many small calls; compare the shape, not the absolute numbers). ``--large`` adds the
booking search page with 200 therapists and 5,000 appointments (bench/slots.py's data).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def setup(data_dir: str) -> None:
    os.environ["REHABIT_DATA_DIR"] = data_dir
    os.environ["REHABIT_ENV"] = "development"
    os.environ.pop("DATABASE_URL", None)
    # One address makes every request: the per-network limits are counted, never met.
    os.environ.setdefault("REHABIT_ASSESSMENTS_PER_NETWORK", str(10**9))
    os.environ.setdefault("REHABIT_REPORTS_PER_NETWORK", str(10**9))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehabit.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from rehabit.cli import prepare_database

    prepare_database(verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def requests(large: bool) -> dict[str, Callable[[Any], Any]]:
    import assess_core
    from rehabit.booking.models import Therapist

    bodies = [json.dumps({"answers": a}) for a in assess_core.answer_sets()]
    counter = iter(range(10**9))
    today = datetime.now(UTC).date()
    therapist = Therapist.objects.order_by("name", "id").first()
    assert therapist is not None, "no demo therapist"
    slots = (
        f"/api/v1/therapists/{therapist.pk}/slots?start={today.isoformat()}"
        f"&end={(today + timedelta(days=13)).isoformat()}&tz=Europe/London"
    )
    created: list[str] = []

    def post(client: Any) -> Any:
        response = client.post(
            "/api/v1/assessments",
            bodies[next(counter) % len(bodies)],
            content_type="application/json",
        )
        created.append(response.json()["id"])
        return response

    def result_page(client: Any) -> Any:
        if not created:
            post(client)
        return client.get(f"/assessment/result/{created[-1]}/")

    chosen: dict[str, Callable[[Any], Any]] = {
        "questionnaire": lambda c: c.get("/api/v1/assessment/questionnaire"),
        "assessment": post,
        "result": result_page,
        "home": lambda c: c.get("/"),
        "slots": lambda c: c.get(slots),
        "search": lambda c: c.get("/booking/"),
        "conditions": lambda c: c.get("/api/v1/conditions"),
    }
    # The search page made afresh: a question not asked before each time (another valid
    # zone), so it is never the page kept in the cache (rehabit.booking.freshness).
    from zoneinfo import available_timezones

    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
    fresh = iter(range(10**9))
    chosen["search_fresh"] = lambda c: c.get(f"/booking/?tz={zones[next(fresh) % len(zones)]}")
    if large:
        chosen["search_200"] = lambda c: c.get("/booking/")
        chosen["search_200_fresh"] = chosen["search_fresh"]
    return chosen


def measure(name: str, call: Callable[[Any], Any], args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    first = call(client)
    if first.status_code >= 400:
        raise SystemExit(f"{name}: {first.status_code} {first.content[:300]!r}")
    for _ in range(5):
        call(client)
    with CaptureQueriesContext(connection) as captured:
        call(client)
    queries = list(captured.captured_queries)  # read now: the next request clears the log
    started = time.perf_counter()
    for _ in range(args.requests):
        call(client)
    per_request = (time.perf_counter() - started) / args.requests * 1000
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.requests):
        call(client)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats(args.sort).print_stats(args.limit)
    print(f"\n===== {name}: {per_request:.2f} ms per request in process (no profiler), ", end="")
    print(f"{len(queries)} queries, {len(first.content):,} bytes =====")
    for query in queries:
        print(f"  SQL: {query['sql'][:160]}")
    print("\n".join(out.getvalue().splitlines()[4:]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", type=lambda s: s.split(","), default=[])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--sort", choices=("cumulative", "tottime"), default="cumulative")
    parser.add_argument("--limit", type=int, default=30)
    parser.add_argument("--large", action="store_true", help="200 therapists, 5,000 appointments")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        setup(data_dir)
        if args.large:
            import slots
            from rehabit.booking.models import Therapist

            Therapist.objects.update(is_listed=False)  # only the 200 are searched
            slots.build_search_data()
        for name, call in requests(args.large).items():
            if args.endpoint and name not in args.endpoint:
                continue
            if args.large and name in ("search", "search_fresh", "slots"):
                continue  # the demo therapists are hidden
            measure(name, call, args)


if __name__ == "__main__":
    main()
