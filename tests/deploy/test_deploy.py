"""The deployment files (deploy/) without a container engine: the compose file, the
container recipe and the systemd units are parsed and checked against the `rehabit`
command, the README's settings and the URL the health check calls; the units go through
``systemd-analyze verify`` where it exists; the example settings pass ``check --deploy``."""

from __future__ import annotations

import http.client
import re
import secrets
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from rehabit.cli import build_parser
from tests.serving import ROOT, serve, server_env

DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
# Read by the test suite only, never by a deployment.
TEST_ONLY = {
    "REHABIT_TEST_POSTGRES_URL",
    "REHABIT_TEST_REDIS_URL",
    "REHABIT_TEST_SQLITE_NAME",
    "REHABIT_TEST_CLOCK",
}
HARDENING = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "ReadWritePaths": "/var/lib/rehabit",
    "CapabilityBoundingSet": "",
    "RestrictSUIDSGID": "yes",
    "SystemCallFilter": "@system-service",
    "UMask": "0077",
}


def compose() -> dict[str, Any]:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def example_env() -> dict[str, str]:
    """The example's variables: set ones with their value, commented ones with ''."""
    found: dict[str, str] = {}
    for line in (DEPLOY / ".env.example").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(#\s*)?([A-Z][A-Z0-9_]+)=(.*)$", line)
        if match:
            found.setdefault(match[2], "" if match[1] else match[3])
    return found


def example_set() -> dict[str, str]:
    lines = (DEPLOY / ".env.example").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if re.match(r"^[A-Z][A-Z0-9_]+=", line))


def readme_settings() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"`((?:REHABIT_[A-Z0-9_]+)|DATABASE_URL)[`=]", readme)) - TEST_ONLY


def read_by_the_code(name: str) -> bool:
    return any(
        f'"{name}"' in path.read_text(encoding="utf-8")
        for path in (ROOT / "src" / "rehabit").rglob("*.py")
    )


def parses(argv: list[str]) -> Any:
    """The `rehabit` command line ``argv`` as the CLI parses it (fails on an unknown flag)."""
    try:
        return build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse's way of refusing
        raise AssertionError(f"`rehabit {' '.join(argv)}` is not a valid command") from exc


def unit(name: str) -> dict[str, list[str]]:
    """A systemd unit's keys (repeatable, so a list each), sections flattened."""
    keys: dict[str, list[str]] = {}
    for raw in (UNITS / name).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";", "[")):
            continue
        key, _, value = line.partition("=")
        keys.setdefault(key.strip(), []).append(value.strip())
    return keys


# --- compose ---------------------------------------------------------------------------


def test_compose_runs_web_worker_postgresql_and_redis_with_commands_the_cli_knows() -> None:
    services = compose()["services"]
    assert set(services) == {"web", "worker", "postgres", "redis"}
    web, worker = services["web"], services["worker"]
    serve = parses(web["command"])
    assert serve.command == "serve" and serve.no_worker and serve.host == "0.0.0.0"
    assert parses(worker["command"]).command == "worker"
    for app in (web, worker):
        assert app["build"]["dockerfile"] == "deploy/Containerfile"
        assert (DEPLOY / app["build"]["context"] / app["build"]["dockerfile"]).is_file()
        assert app["env_file"] == ".env"
        assert app["read_only"] is True and app["cap_drop"] == ["ALL"]
        assert "no-new-privileges:true" in app["security_opt"]
        env = app["environment"]
        assert re.fullmatch(
            r"postgres://rehabit:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432/rehabit",
            env["DATABASE_URL"],
        )
        assert env["REHABIT_TASKS_BACKEND"] == "redis"
        assert env["REHABIT_REDIS_URL"].startswith("redis://redis:6379/")
        assert env["REHABIT_CACHE_URL"].startswith("redis://redis:6379/")
        for name in env:
            assert read_by_the_code(name), f"compose sets {name}, which nothing reads"
    # The worker starts once the web node has migrated the database; it answers no HTTP.
    assert worker["depends_on"]["web"]["condition"] == "service_healthy"
    assert worker["healthcheck"] == {"disable": True}
    assert web["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert web["ports"] == ["127.0.0.1:8000-8003:8000"], "published on loopback, for a proxy"
    for store in ("postgres", "redis"):
        assert services[store]["healthcheck"]["test"]
        assert services[store]["volumes"], f"{store} keeps its data in a volume"
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith(
        "${POSTGRES_PASSWORD:?"
    )


def test_the_env_example_names_every_production_setting_the_readme_lists() -> None:
    example = example_env()
    missing = sorted(readme_settings() - set(example))
    assert not missing, f"README settings missing from deploy/.env.example: {missing}"
    unknown = sorted(n for n in example if n != "POSTGRES_PASSWORD" and not read_by_the_code(n))
    assert not unknown, f"deploy/.env.example names settings nothing reads: {unknown}"
    # The secrets are left empty: a copy that was not filled in refuses to start.
    assert example_set()["REHABIT_SECRET_KEY"] == ""
    assert example_set()["POSTGRES_PASSWORD"] == ""
    assert example_set()["REHABIT_ENV"] == "production"


def test_the_example_settings_pass_the_deployment_check_once_the_secrets_are_filled(
    tmp_path: Path,
) -> None:
    # A fresh install's environment (no test settings), with the example's values.
    env = server_env(tmp_path, f"sqlite:///{tmp_path / 'rehabit.sqlite3'}", **example_set())
    command = [sys.executable, "-m", "rehabit.cli", "manage", "check", "--deploy"]

    def check(extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, "--fail-level", "ERROR"],
            cwd=ROOT,
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    unfilled = check({})
    assert unfilled.returncode != 0 and "REHABIT_SECRET_KEY" in unfilled.stderr
    filled = check({"REHABIT_SECRET_KEY": secrets.token_urlsafe(50)})
    assert filled.returncode == 0, filled.stdout + filled.stderr


# --- the container recipe ------------------------------------------------------------


def containerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined."""
    text = (DEPLOY / "Containerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    steps = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, rest = line.partition(" ")
            steps.append((instruction.upper(), rest.strip()))
    return steps


def test_the_image_is_python_3_11_slim_runs_as_a_user_and_serves_by_default() -> None:
    steps = containerfile()
    args = dict(s[1].split("=", 1) for s in steps if s[0] == "ARG" and "=" in s[1])
    bases = [
        rest.split()[0].replace("${PYTHON_IMAGE}", args["PYTHON_IMAGE"])
        for i, rest in steps
        if i == "FROM"
    ]
    assert bases and all(b == "python:3.11-slim" for b in bases)
    final = steps[max(n for n, (i, _) in enumerate(steps) if i == "FROM") :]
    users = [rest for i, rest in final if i == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert any("pip install ." in rest for i, rest in steps if i == "RUN"), "installs the project"
    copied = " ".join(rest for i, rest in steps if i == "COPY")
    for needed in ("pyproject.toml", "README.md", "src"):
        assert needed in copied
    ignore = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert "*" in ignore and {"!pyproject.toml", "!README.md", "!src/"} <= set(ignore)
    installs = " ".join(rest for i, rest in final if i == "RUN")
    assert "postgresql-client" in installs, "rehabit backup needs pg_dump"
    entrypoint = yaml.safe_load(dict(final)["ENTRYPOINT"])
    command = yaml.safe_load(dict(final)["CMD"])
    assert entrypoint == ["rehabit"]
    assert parses(command).command == "serve"
    env = dict(final)["ENV"]
    assert "REHABIT_ENV=production" in env and "REHABIT_DATA_DIR=/var/lib/rehabit" in env
    health = dict(final)["HEALTHCHECK"]
    assert "http://127.0.0.1:8000/healthz" in health


def test_the_health_check_path_answers(client: Any, db: Any) -> None:
    health = dict(containerfile())["HEALTHCHECK"]
    path = re.search(r"http://127\.0\.0\.1:8000(/\w+)", health)
    assert path is not None
    response = client.get(path[1])
    assert response.status_code == 200


# --- systemd ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "command"),
    [
        ("rehabit-web.service", ["serve", "--host", "127.0.0.1", "--port", "8000", "--no-worker"]),
        ("rehabit-worker.service", ["worker"]),
        ("rehabit-backup.service", ["backup"]),
    ],
)
def test_the_units_run_the_cli_hardened_with_only_the_data_folder_writable(
    name: str, command: list[str]
) -> None:
    keys = unit(name)
    (start,) = keys["ExecStart"]
    program, *argv = shlex.split(start)
    assert program == "/opt/rehabit/bin/rehabit" and argv == command
    parses(argv)
    assert keys["User"] == ["rehabit"] and keys["Group"] == ["rehabit"]
    assert keys["EnvironmentFile"] == ["/etc/rehabit/rehabit.env"]
    assert "REHABIT_DATA_DIR=/var/lib/rehabit" in keys["Environment"][0].split()
    for key, value in HARDENING.items():
        assert value in keys.get(key, []), f"{name}: {key}={value} missing"
    if name != "rehabit-backup.service":
        assert keys["Restart"][0] in {"on-failure", "always"}
        assert keys["WantedBy"] == ["multi-user.target"]


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    """``systemd-analyze verify`` on copies whose ExecStart points at this checkout's
    `rehabit` (the units' /opt/rehabit is not installed here): no unknown key, no error."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (the parse test above still runs)")
    rehabit = Path(sys.executable).with_name("rehabit")
    assert rehabit.exists()
    for source in UNITS.iterdir():
        text = source.read_text(encoding="utf-8").replace("/opt/rehabit/bin/rehabit", str(rehabit))
        (tmp_path / source.name).write_text(text, encoding="utf-8")
    names = sorted(str(p) for p in tmp_path.iterdir())
    assert len(names) == 4
    done = subprocess.run(
        [analyze, "verify", *names], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    complaints = [
        line
        for line in done.stderr.splitlines()
        # This machine has no D-Bus or init system of its own to ask.
        if line.strip() and "Failed to connect to bus" not in line
    ]
    assert not complaints, "\n".join(complaints)


def test_the_image_health_check_passes_against_a_production_node(tmp_path: Path) -> None:
    """The HEALTHCHECK's own command, run against `rehabit serve --no-worker` with the
    example's production settings (HTTPS redirect, allowed hosts): /healthz answers over
    plain HTTP by address, while an ordinary page is not served that way."""
    health = dict(containerfile())["HEALTHCHECK"]
    snippet = yaml.safe_load(health.split("CMD", 1)[1].strip())
    assert snippet[:2] == ["python", "-c"]
    env = server_env(
        tmp_path,
        f"sqlite:///{tmp_path / 'rehabit.sqlite3'}",
        **{**example_set(), "REHABIT_SECRET_KEY": secrets.token_urlsafe(50)},
    )
    with serve(env, "--no-worker", timeout=300) as node:
        port = node.url.rsplit(":", 1)[1]
        check = subprocess.run(
            [sys.executable, "-c", snippet[2].replace(":8000/", f":{port}/")],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert check.returncode == 0, check.stderr + node.output()[-3000:]
        page = http.client.HTTPConnection("127.0.0.1", int(port), timeout=30)
        page.request("GET", "/")
        status = page.getresponse().status
        assert status in (301, 400), f"production served a page over plain HTTP: {status}"


def test_every_file_the_app_needs_is_in_the_installed_package() -> None:
    """The image installs the project (`pip install .`, not editable): a file under
    src/rehabit that no package-data pattern names would be missing there only."""
    import fnmatch
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["*"]
    left_out = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "src" / "rehabit").rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.suffix != ".py"
        and not any(fnmatch.fnmatch(path.name, p) for p in patterns)
    ]
    assert not left_out, f"not installed by `pip install .` (pyproject package-data): {left_out}"
