"""Rehabit's deployment checks: video rooms only the two participants can join."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import checks

from tests.config.test_production import production_env, run


def deploy_check_ids() -> set[str]:
    return {m.id for m in checks.run_checks(include_deployment_checks=True) if m.id}


@pytest.mark.parametrize(
    "base_url",
    ["https://meet.jit.si", "https://MEET.JIT.SI/", "https://8x8.vc", "http://x.example"],
)
def test_public_or_plain_http_video_servers_are_deploy_errors(base_url: str, settings: Any) -> None:
    settings.REHABIT_JITSI_BASE_URL = base_url
    settings.REHABIT_JITSI_JWT_SECRET = "a shared secret the public server would ignore"
    found = deploy_check_ids()
    assert found & {"rehabit.E101", "rehabit.E102"}


def test_a_self_hosted_server_with_tokens_passes(settings: Any) -> None:
    settings.REHABIT_JITSI_BASE_URL = "https://video.clinic.example"
    settings.REHABIT_JITSI_JWT_SECRET = "s3cret"
    assert not {i for i in deploy_check_ids() if i.startswith("rehabit.")}


def test_a_self_hosted_server_without_tokens_is_a_warning(settings: Any) -> None:
    settings.REHABIT_JITSI_BASE_URL = "https://video.clinic.example"
    settings.REHABIT_JITSI_JWT_SECRET = ""
    assert "rehabit.W103" in deploy_check_ids()


def test_the_checks_only_run_with_deploy(settings: Any) -> None:
    settings.REHABIT_JITSI_BASE_URL = "https://meet.jit.si"
    assert not any(m.id.startswith("rehabit.") for m in checks.run_checks())


def test_production_with_the_default_public_server_fails_check_deploy(tmp_path: Any) -> None:
    env = production_env(REHABIT_JITSI_BASE_URL="", REHABIT_JITSI_JWT_SECRET="")
    result = run(["manage", "check", "--deploy"], env, tmp_path)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "rehabit.E102" in output and "meet.jit.si" in output
    assert "REHABIT_JITSI_BASE_URL" in output and "REHABIT_JITSI_JWT_SECRET" in output
