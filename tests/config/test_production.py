"""Production settings: refuse to start without explicit secrets, pass check --deploy."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REHABIT = [sys.executable, "-m", "rehabit.cli"]


def run(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("REHABIT_", "DATABASE_URL"))}
    base.pop("DJANGO_SETTINGS_MODULE", None)
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by conftest for Playwright only
    full = {**base, "REHABIT_DATA_DIR": str(tmp_path), **env}
    return subprocess.run(
        REHABIT + args, env=full, capture_output=True, text=True, timeout=120, check=False
    )


def production_env(**extra: str) -> dict[str, str]:
    env = {
        "REHABIT_ENV": "production",
        "REHABIT_SECRET_KEY": secrets.token_urlsafe(50),
        "REHABIT_ALLOWED_HOSTS": "rehabit.example",
        "REHABIT_EMAIL_HOST": "smtp.rehabit.example",
        # Video rooms on the clinic's own Jitsi with token authentication.
        "REHABIT_JITSI_BASE_URL": "https://video.rehabit.example",
        "REHABIT_JITSI_JWT_SECRET": secrets.token_urlsafe(32),
    }
    env.update(extra)
    return {k: v for k, v in env.items() if v}


@pytest.mark.parametrize("missing", ["REHABIT_SECRET_KEY", "REHABIT_ALLOWED_HOSTS"])
def test_production_refuses_to_start_and_names_the_missing_variable(
    missing: str, tmp_path: Path
) -> None:
    result = run(["serve", "--port", "0"], production_env(**{missing: ""}), tmp_path)
    assert result.returncode == 2
    assert f"{missing} must be set" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_is_clean_in_production(tmp_path: Path) -> None:
    result = run(
        ["manage", "check", "--deploy", "--fail-level", "WARNING"], production_env(), tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("k" * 20 + "ey-only-short", "33 characters"),  # too short
        ("abcd" * 20, "4 different"),  # long, but only 4 distinct characters
        ("django-insecure-" + secrets.token_urlsafe(50), "django-insecure-"),
    ],
)
def test_production_refuses_a_weak_secret_key(key: str, why: str, tmp_path: Path) -> None:
    result = run(["manage", "check"], production_env(REHABIT_SECRET_KEY=key), tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "REHABIT_SECRET_KEY is too weak" in result.stderr
    assert "at least 50 characters with at least 5 different ones" in result.stderr
    assert why in result.stderr
    assert key not in result.stderr  # the message never repeats the secret
    assert "Traceback" not in result.stderr


def test_help_lists_the_sub_commands(tmp_path: Path) -> None:
    result = run(["--help"], {}, tmp_path)
    assert result.returncode == 0
    for command in ("serve", "assess", "manage"):
        assert command in result.stdout


def test_production_never_seeds_demo_therapists_unless_asked(tmp_path: Path) -> None:
    show = [
        "manage",
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.REHABIT_DEMO_SEEDERS)",
    ]
    assert run(show, production_env(), tmp_path).stdout.strip().splitlines()[-1] == "[]"
    asked = run(show, production_env(REHABIT_SEED_DEMO="true"), tmp_path).stdout
    assert "seed_demo_therapists" in asked
