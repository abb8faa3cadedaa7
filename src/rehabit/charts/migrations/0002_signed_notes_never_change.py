"""The database refuses to change a signed note or an addendum.

- UPDATE of a signed note (any column, status included): refused. A draft may be updated,
  and signed once (the UPDATE that sets ``status = 'signed'`` sees a draft as OLD).
- UPDATE of an addendum: refused. An addendum may be written only on a signed note.
- DELETE of a signed note or an addendum: refused, except under the erasure permit for
  that patient (``rehabit.charts.guards``) or, on SQLite, the test profile's ``flush``
  (the audit log's "everything may go" permit row, ``audit_purge_permit``).

PostgreSQL: plpgsql triggers. SQLite: ``BEFORE`` triggers with ``RAISE(ABORT)``. A later
migration that makes Django rebuild these tables on SQLite (some column changes copy the
table) drops the SQLite triggers: ``tests/charts/test_signed_notes.py`` checks they exist
on a fully migrated database.
"""

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION charts_erasing(patient bigint) RETURNS boolean AS $$
    SELECT COALESCE(current_setting('rehabit.erasing_patient', true), '') = patient::text;
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION charts_clinicalnote_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.status = 'signed' THEN
            RAISE EXCEPTION 'charts_clinicalnote: a signed note never changes (UPDATE refused)'
                USING ERRCODE = 'insufficient_privilege', HINT = 'Write an addendum.';
        END IF;
        RETURN NEW;
    END IF;
    IF OLD.status = 'signed' AND NOT charts_erasing(OLD.patient_id) THEN
        RAISE EXCEPTION 'charts_clinicalnote: a signed note is never deleted (DELETE refused)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION charts_noteaddendum_guard() RETURNS trigger AS $$
DECLARE
    note_patient bigint;
    note_status text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT status INTO note_status FROM charts_clinicalnote WHERE id = NEW.note_id;
        IF note_status IS DISTINCT FROM 'signed' THEN
            RAISE EXCEPTION 'charts_noteaddendum: addenda are written only on signed notes'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'charts_noteaddendum: an addendum never changes (UPDATE refused)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT patient_id INTO note_patient FROM charts_clinicalnote WHERE id = OLD.note_id;
    IF NOT charts_erasing(note_patient) THEN
        RAISE EXCEPTION 'charts_noteaddendum: an addendum is never deleted (DELETE refused)'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER charts_clinicalnote_signed
    BEFORE UPDATE OR DELETE ON charts_clinicalnote
    FOR EACH ROW EXECUTE FUNCTION charts_clinicalnote_guard();
CREATE TRIGGER charts_noteaddendum_append_only
    BEFORE INSERT OR UPDATE OR DELETE ON charts_noteaddendum
    FOR EACH ROW EXECUTE FUNCTION charts_noteaddendum_guard();
"""

PG_DROP = """
DROP TRIGGER IF EXISTS charts_noteaddendum_append_only ON charts_noteaddendum;
DROP TRIGGER IF EXISTS charts_clinicalnote_signed ON charts_clinicalnote;
DROP FUNCTION IF EXISTS charts_noteaddendum_guard();
DROP FUNCTION IF EXISTS charts_clinicalnote_guard();
DROP FUNCTION IF EXISTS charts_erasing(bigint);
"""

# Deleting is permitted for the patient being erased, or by the test profile's flush
# (audit_purge_permit holds 9999-12-31 then; see rehabit.audit.retention).
_PERMITTED = (
    "EXISTS (SELECT 1 FROM charts_erasure_permit WHERE patient_id = {patient})"
    " OR EXISTS (SELECT 1 FROM audit_purge_permit WHERE purge_before >= '9999')"
)

SQLITE_CREATE = [
    "CREATE TABLE IF NOT EXISTS charts_erasure_permit (patient_id INTEGER NOT NULL)",
    """CREATE TRIGGER IF NOT EXISTS charts_clinicalnote_no_update
    BEFORE UPDATE ON charts_clinicalnote
    WHEN OLD.status = 'signed'
    BEGIN
        SELECT RAISE(ABORT, 'charts_clinicalnote: a signed note never changes (UPDATE refused)');
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS charts_clinicalnote_no_delete
    BEFORE DELETE ON charts_clinicalnote
    WHEN OLD.status = 'signed' AND NOT ({_PERMITTED.format(patient="OLD.patient_id")})
    BEGIN
        SELECT RAISE(ABORT, 'charts_clinicalnote: a signed note is never deleted (DELETE refused)');
    END""",
    """CREATE TRIGGER IF NOT EXISTS charts_noteaddendum_signed_only
    BEFORE INSERT ON charts_noteaddendum
    WHEN NOT EXISTS (SELECT 1 FROM charts_clinicalnote WHERE id = NEW.note_id AND status = 'signed')
    BEGIN
        SELECT RAISE(ABORT, 'charts_noteaddendum: addenda are written only on signed notes');
    END""",
    """CREATE TRIGGER IF NOT EXISTS charts_noteaddendum_no_update
    BEFORE UPDATE ON charts_noteaddendum
    BEGIN
        SELECT RAISE(ABORT, 'charts_noteaddendum: an addendum never changes (UPDATE refused)');
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS charts_noteaddendum_no_delete
    BEFORE DELETE ON charts_noteaddendum
    WHEN NOT ({_PERMITTED.format(patient="(SELECT patient_id FROM charts_clinicalnote WHERE id = OLD.note_id)")})
    BEGIN
        SELECT RAISE(ABORT, 'charts_noteaddendum: an addendum is never deleted (DELETE refused)');
    END""",  # noqa: S608 - constant text, no input
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS charts_noteaddendum_no_delete",
    "DROP TRIGGER IF EXISTS charts_noteaddendum_no_update",
    "DROP TRIGGER IF EXISTS charts_noteaddendum_signed_only",
    "DROP TRIGGER IF EXISTS charts_clinicalnote_no_delete",
    "DROP TRIGGER IF EXISTS charts_clinicalnote_no_update",
    "DROP TABLE IF EXISTS charts_erasure_permit",
]


def create_guards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement, params=None)


def drop_guards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("charts", "0001_initial"),
        # The SQLite delete guard reads the audit log's flush permit.
        ("audit", "0003_purge_only_through_retention"),
    ]

    operations = [migrations.RunPython(create_guards, drop_guards)]
