"""Issue 10 (storage): results kept as codes and numbers, their words in a catalogue.

Each existing result (the whole dictionary, English sentences and all, about 7-15 KB) is
rewritten in the stored form of ``rehabit.assessments.stored``: a sentence today's
catalogue knows becomes its code; one it does not know (an older questionnaire's) is kept
word for word, so every row shows exactly what it showed before. A row the compact form
cannot reproduce exactly is left as it was (``expand`` reads both). The column keeps its
name (``result``); the field is now ``stored_result`` and ``Assessment.result`` expands it.

On SQLite the file only shrinks after ``VACUUM`` (``rehabit manage dbshell``, then
``VACUUM;``), which needs as much free disk as the database itself.
"""

from typing import Any

import django.utils.timezone
from django.db import migrations, models

import rehabit.assessments.models

BATCH = 500


def _pks(model: Any, db: str) -> list[Any]:
    # Keys first, then the rows in batches: SQLite does not isolate a running SELECT from
    # updates made on the same connection.
    return list(model.objects.using(db).order_by("pk").values_list("pk", flat=True))


def compact_rows(apps: Any, schema_editor: Any) -> None:
    from rehabit.assessments.result_texts import current_catalogue
    from rehabit.assessments.stored import FORMAT, compact

    db = schema_editor.connection.alias
    assessments = apps.get_model("assessments", "Assessment")
    catalogues = apps.get_model("assessments", "ResultTexts")
    found = current_catalogue()
    keys = _pks(assessments, db)
    if not keys:
        return
    catalogues.objects.using(db).bulk_create(
        [catalogues(key=found.key, texts=dict(found.texts))], ignore_conflicts=True
    )
    for start in range(0, len(keys), BATCH):
        rows = assessments.objects.using(db).filter(pk__in=keys[start : start + BATCH])
        changed = []
        for row in rows.only("pk", "questionnaire_version", "disposition", "stored_result"):
            stored = row.stored_result
            if not isinstance(stored, dict) or stored.get("v") == FORMAT:
                continue
            new = compact(
                stored, version=row.questionnaire_version, level=row.disposition, found=found
            )
            if new.get("v") == FORMAT:
                row.stored_result = new
                changed.append(row)
        assessments.objects.using(db).bulk_update(changed, ["stored_result"])


def expand_rows(apps: Any, schema_editor: Any) -> None:
    from rehabit.assessments.result_texts import Catalogue
    from rehabit.assessments.stored import FORMAT, expand

    db = schema_editor.connection.alias
    assessments = apps.get_model("assessments", "Assessment")
    catalogues = {
        key: Catalogue.of(texts, key)
        for key, texts in apps.get_model("assessments", "ResultTexts")
        .objects.using(db)
        .values_list("key", "texts")
    }
    keys = _pks(assessments, db)
    for start in range(0, len(keys), BATCH):
        rows = assessments.objects.using(db).filter(pk__in=keys[start : start + BATCH])
        changed = []
        for row in rows.only("pk", "questionnaire_version", "disposition", "stored_result"):
            stored = row.stored_result
            if isinstance(stored, dict) and stored.get("v") == FORMAT:
                row.stored_result = expand(
                    stored,
                    version=row.questionnaire_version,
                    level=row.disposition,
                    found=catalogues[stored["t"]],
                )
                changed.append(row)
        assessments.objects.using(db).bulk_update(changed, ["stored_result"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_attach_session_assessments"),
    ]

    operations = [
        migrations.CreateModel(
            name="ResultTexts",
            fields=[
                ("key", models.CharField(max_length=32, primary_key=True, serialize=False)),
                (
                    "texts",
                    models.JSONField(encoder=rehabit.assessments.models.CompactJSONEncoder),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now),
                ),
            ],
            options={
                "verbose_name": "result texts",
                "verbose_name_plural": "result texts",
            },
        ),
        migrations.AlterField(
            model_name="assessment",
            name="answers",
            field=models.JSONField(encoder=rehabit.assessments.models.CompactJSONEncoder),
        ),
        migrations.AlterField(
            model_name="assessment",
            name="result",
            field=models.JSONField(
                db_column="result", encoder=rehabit.assessments.models.CompactJSONEncoder
            ),
        ),
        migrations.RenameField(
            model_name="assessment",
            old_name="result",
            new_name="stored_result",
        ),
        migrations.RunPython(compact_rows, expand_rows),
    ]
