from __future__ import annotations

from collections.abc import Iterator

import pytest

from rehabit.assessments.result_texts import forget_saved


@pytest.fixture(autouse=True)
def _fresh_result_texts() -> Iterator[None]:
    """Each test's database starts without a result catalogue: so does this process."""
    forget_saved()
    yield
    forget_saved()
