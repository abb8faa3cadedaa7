"""The worker's daily erasing of records nobody claimed (``rehabit.core.retention``): each
app registers its own eraser, and one that fails does not keep the others from running."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from rehabit.core import retention

NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def registry() -> Iterator[dict[str, retention.Eraser]]:
    saved = dict(retention._erasers)
    yield retention._erasers
    retention._erasers.clear()
    retention._erasers.update(saved)


def test_the_apps_that_keep_records_without_an_account_register_an_eraser() -> None:
    assert {"assessments", "prevention sessions"} <= set(retention._erasers)


def test_one_failing_eraser_is_logged_and_the_others_still_run(
    registry: dict[str, retention.Eraser], caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[datetime] = []

    def broken(now: datetime) -> int:
        raise RuntimeError("disk full")

    def working(now: datetime) -> int:
        seen.append(now)
        return 2

    registry.clear()
    retention.register("a broken app", broken)
    retention.register("a working app", working)
    assert retention.erase_unclaimed(NOW) == {"a working app": 2}
    assert seen == [NOW]
    assert "Erasing unclaimed a broken app failed" in caplog.text
