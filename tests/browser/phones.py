"""A phone for browser tests: a Chromium context with a phone's viewport, touch, a locale
and a time zone (as a person's phone reports them), closed after the test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

PHONE = {"width": 390, "height": 844}


@contextmanager
def phone_page(
    browser: Any, *, locale: str = "en-GB", timezone_id: str = "Europe/London"
) -> Iterator[Any]:
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale=locale, timezone_id=timezone_id
    )
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()
