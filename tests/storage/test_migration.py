"""Issue 10, storage: the data migration on the real database (SQLite, and PostgreSQL
with DATABASE_URL). Rows are written the old way at 0003 from the frozen fixture, shown,
migrated, shown again: the pages and the API answer are byte for byte the same."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from tests.storage.test_stored_results import OLD_ROWS, _same

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("assessments", "0003_attach_session_assessments")
AFTER = ("assessments", "0004_compact_results")


class Migrator:
    def to(self, target: tuple[str, str]) -> Any:
        executor = MigrationExecutor(connection)
        executor.migrate([target])
        executor.loader.build_graph()
        others = [n for n in executor.loader.graph.leaf_nodes() if n[0] != target[0]]
        return executor.loader.project_state([target, *others]).apps

    def latest(self) -> None:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def migrator() -> Iterator[Migrator]:
    m = Migrator()
    yield m
    m.latest()


def _write_old_rows(apps: Any) -> None:
    model = apps.get_model("assessments", "Assessment")
    for row in OLD_ROWS:
        model.objects.create(
            id=row["id"],
            created_at=datetime.fromisoformat(row["created_at"]),
            questionnaire_version=row["questionnaire_version"],
            answers=row["answers"],
            result=row["result"],
            disposition=row["disposition"],
        )


_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')


def _shown(client: Client) -> dict[str, Any]:
    """What a reader gets for every old row: the result page, the printable page and the
    API answer (CSRF tokens, which differ on every page, taken out)."""
    shown: dict[str, Any] = {}
    for row in OLD_ROWS:
        pk = row["id"]
        for name, url in (
            ("page", f"/assessment/result/{pk}/"),
            ("print", f"/assessment/result/{pk}/print/"),
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            shown[f"{pk} {name}"] = _TOKEN.sub(r"\1-\2", response.content.decode())
        response = client.get(f"/api/v1/assessments/{pk}")
        assert response.status_code == 200
        shown[f"{pk} api"] = response.content.decode()
    return shown


def _bytes(apps: Any) -> int:
    model = apps.get_model("assessments", "Assessment")
    return sum(
        len(json.dumps(v, separators=(",", ":")))
        for v in model.objects.values_list(_result_field(model), flat=True)
    )


def _result_field(model: Any) -> str:
    return (
        "stored_result" if any(f.name == "stored_result" for f in model._meta.fields) else "result"
    )


def test_rows_stored_the_old_way_show_exactly_as_before_after_the_migration(
    migrator: Migrator,
) -> None:
    apps = migrator.to(BEFORE)
    _write_old_rows(apps)
    old_bytes = _bytes(apps)
    client = Client()
    before = _shown(client)

    apps = migrator.to(AFTER)
    after = _shown(client)
    assert after.keys() == before.keys()
    for key, text in before.items():
        assert after[key] == text, key

    from rehabit.assessments.models import Assessment, ResultTexts
    from rehabit.assessments.result_texts import current_catalogue

    for row in OLD_ROWS:
        assessment = Assessment.objects.get(pk=row["id"])
        assert assessment.stored_result["v"] == 2
        assert assessment.stored_result["t"] == current_catalogue().key
        assert _same(assessment.result, row["result"])
    assert ResultTexts.objects.filter(key=current_catalogue().key).exists()
    assert _bytes(apps) < old_bytes / 6

    # And back: the old code's whole dictionaries again.
    apps = migrator.to(BEFORE)
    model = apps.get_model("assessments", "Assessment")
    for row in OLD_ROWS:
        assert _same(model.objects.get(pk=row["id"]).result, row["result"])


def test_the_migration_leaves_a_row_it_cannot_reproduce_as_it_was(migrator: Migrator) -> None:
    apps = migrator.to(BEFORE)
    model = apps.get_model("assessments", "Assessment")
    odd = model.objects.create(
        questionnaire_version="test", answers={}, result={}, disposition="self_care"
    )
    migrator.to(AFTER)
    from rehabit.assessments.models import Assessment

    assert Assessment.objects.get(pk=odd.pk).stored_result == {}
    assert Assessment.objects.get(pk=odd.pk).result == {}
