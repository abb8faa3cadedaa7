"""Shared fixtures: a real Chromium for page tests, database flags."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests.clock import at_test_clock

# Property tests check correctness, not speed: a loaded CI machine must not fail them on
# hypothesis's 200 ms per-example deadline (benchmarks under bench/ measure speed).
# derandomize: the same examples on every run and every machine (a property that fails
# does so on the next run too and on CI, never by luck).
settings.register_profile(
    "rehabit", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("rehabit")

# Playwright's sync API runs an event loop in the test thread; Django's async-safety
# guard would otherwise refuse ORM calls made by the test itself.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("REHABIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def test_clock() -> Iterator[Any]:
    """Every test runs at the fixed test clock (tests/clock.py), never the wall clock."""
    with at_test_clock() as start:
        yield start


@pytest.fixture(autouse=True)
def reader_language_reset() -> Iterator[None]:
    """Each test starts in the site's language. A request through the test client leaves
    the reader's language active in the thread (LocaleMiddleware activates it and nothing
    deactivates it), so a test of an en-US page decided the language of whichever test ran
    next in the same process (tests/booking/test_reader_clock.py then test_rules_text.py
    and test_week_grid.py failed, run in that order alone)."""
    from django.utils import translation

    yield
    translation.deactivate()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.db import connection

    on_postgres = connection.vendor == "postgresql"
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL); see scripts/test")
    skip_browser = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)
        if "browser" in item.keywords and not CHROMIUM.exists():
            item.add_marker(skip_browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    """A small touch screen (about an iPhone SE) for mobile layout checks."""
    context = browser.new_context(
        viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
