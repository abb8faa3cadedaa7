"""PostgreSQL only: no two active appointments of one therapist may overlap in time.

``EXCLUDE USING gist (therapist_id WITH =, tstzrange(start, "end", '[)') WITH &&)`` for
rows with status 'booked' (engineering.md §2.2). Half-open ranges let back-to-back
sessions touch. A Django ``ExclusionConstraint`` in ``Meta.constraints`` would make
``migrate`` fail on SQLite, so it is added here, only when the database is PostgreSQL;
on SQLite the partial unique index of 0001 and IMMEDIATE transactions hold the line.
"""

from django.db import migrations

CONSTRAINT = "booking_appointment_no_overlap"


def add_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        "ALTER TABLE booking_appointment ADD CONSTRAINT "
        + CONSTRAINT
        + " EXCLUDE USING gist (therapist_id WITH =, tstzrange(start, \"end\", '[)') WITH &&)"
        " WHERE (status = 'booked')"
    )


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE booking_appointment DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [migrations.RunPython(add_exclusion, drop_exclusion, elidable=False)]
