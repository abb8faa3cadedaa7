"""What one anonymous ``POST /api/v1/assessments`` costs in process, through the WSGI
application gunicorn serves (issue 10): wall time, or machine instructions under callgrind.

    .venv/bin/python bench/post_cost.py [--requests 300] [--warmup 100]   (wall and CPU time)
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/post.%p \\
        .venv/bin/python bench/post_cost.py --callgrind [--requests 300]

The data folder is migrated and seeded as ``rehabit serve`` does (``REHABIT_ENV=
development``, SQLite), metrics are kept in a multiprocess folder as under ``rehabit
serve`` and the JSON access log is written (to stderr). The request is what wrk sends in
``bench/http_bench.py`` (the same bodies, in turn, with only Host, Content-Type and
Content-Length), given to ``rehabit.config.wsgi.application`` as gunicorn gives it; each
answer must be 201 (the rate limit of new assessments per network is counted, but set too
high to be reached).

With ``--callgrind`` (run under callgrind with ``--instr-atstart=no``) the script turns
instrumentation on after the warm-up, with ``callgrind_control``, and prints the
instructions per request of the measured requests alone. Instruction counts do not depend
on the machine's load, so two versions of the code can be compared on a busy machine
(wall time cannot); they are not time (a cache miss or a system call counts as little).
To measure another version, put its code first: ``git archive <commit> src | tar -x -C
DIR`` and ``PYTHONPATH=DIR/src``. Left out: gunicorn's own work (reading the socket,
parsing the request, writing the answer), which a served request adds.

On 2026-12-05 (Python 3.11, Django 5.2): about 4.68 million instructions a request, of
which the clinical core with its ``to_dict()`` 1.84 million, Django's handler, the
middleware and reading the body 1.0 million, the stored form and the model 0.6 million,
the INSERT 0.63 million (SQLite itself 0.15 million) and the JSON answer 0.54 million; a
bare Django view (``bench/bare_app.py``) takes 0.80 million the same way.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))


def prepare(data_dir: str) -> None:
    os.environ["REHABIT_DATA_DIR"] = data_dir
    os.environ["REHABIT_ENV"] = "development"
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REHABIT_DEBUG", None)
    # Every request is counted against the limit of new assessments per network (all come
    # from 127.0.0.1), which is set too high to be reached: its cost is measured.
    os.environ.setdefault("REHABIT_ASSESSMENTS_PER_NETWORK", str(10**9))
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="post-metrics-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehabit.config.settings")
    import django

    django.setup()
    from rehabit.cli import prepare_database

    prepare_database(verbosity=0)
    from django.db import connections

    connections.close_all()


def environ(body: bytes) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "",
        "PATH_INFO": "/api/v1/assessments",
        "QUERY_STRING": "",
        "RAW_URI": "/api/v1/assessments",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": "50000",
        "HTTP_HOST": "127.0.0.1:8000",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--callgrind", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        prepare(data_dir)
        import assess_core
        from rehabit.config.wsgi import application

        bodies = [json.dumps({"answers": a}).encode() for a in assess_core.answer_sets()]
        statuses: list[str] = []

        def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
            statuses.append(status)
            return lambda data: None

        def one(i: int) -> None:
            result = application(environ(bodies[i % len(bodies)]), start_response)
            try:
                for _chunk in result:
                    pass
            finally:
                result.close()
            if statuses.pop() != "201 Created":
                raise SystemExit(f"request {i} was not answered 201")

        for i in range(args.warmup):
            one(i)
        if args.callgrind:
            pid = str(os.getpid())
            subprocess.run(["callgrind_control", "-i", "on", pid], check=True, capture_output=True)  # noqa: S603, S607
        started, cpu = time.perf_counter(), time.process_time()
        for i in range(args.requests):
            one(args.warmup + i)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        if args.callgrind:
            done = subprocess.run(  # noqa: S603
                ["callgrind_control", "-d", "measured", pid],  # noqa: S607
                check=True,
                capture_output=True,
                text=True,
            )
            subprocess.run(["callgrind_control", "-i", "off", pid], check=True, capture_output=True)  # noqa: S603, S607
            print(done.stdout.strip(), file=sys.stderr)
            print(f"{args.requests} requests measured under callgrind (see its dump)")
        else:
            wall, used = (x / args.requests * 1e6 for x in (seconds, cpu))
            print(f"{wall:.0f} us per request, {used:.0f} us of CPU ({args.requests} requests)")


if __name__ == "__main__":
    main()
