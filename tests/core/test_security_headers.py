from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_csp_forbids_inline_script_and_framing(client: Client) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_health_check(client: Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
