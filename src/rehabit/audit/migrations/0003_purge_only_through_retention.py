"""The database refuses every change to the audit log except the retention purge.

PostgreSQL: UPDATE always, TRUNCATE and DELETE unless the transaction-local setting
``rehabit.audit_purge_before`` permits it (DELETE only for rows older than it, TRUNCATE
only when it is 'infinity', which only the test profile's ``flush`` sets).
SQLite: UPDATE always, DELETE unless ``audit_purge_permit`` holds a row whose
``purge_before`` is later than the row's time (SQLite has no TRUNCATE; its
``DELETE FROM t`` runs the triggers). See ``rehabit.audit.retention``.

A later migration that rebuilds ``audit_auditentry`` on SQLite (Django copies the table
for some column changes) drops these triggers: ``tests/audit/test_retention.py`` checks
they exist on a fully migrated database.
"""

from django.db import migrations, models

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_auditentry_refuse_change() RETURNS trigger AS $$
DECLARE
    purge_before timestamptz :=
        NULLIF(current_setting('rehabit.audit_purge_before', true), '')::timestamptz;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        IF purge_before = 'infinity'::timestamptz THEN
            RETURN NULL;
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        IF purge_before IS NOT NULL AND OLD.event_time < purge_before THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_auditentry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Entries are removed only by purge_audit_log, after '
                     'REHABIT_AUDIT_RETENTION_DAYS.';
END;
$$ LANGUAGE plpgsql;
"""

PG_CREATE = (
    PG_FUNCTION
    + """
DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry;
CREATE TRIGGER audit_auditentry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_auditentry_refuse_change();
CREATE TRIGGER audit_auditentry_no_truncate
    BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditentry_refuse_change();
"""
)

# Back to migration 0002: UPDATE and DELETE always refused, TRUNCATE allowed.
PG_DROP = """
DROP TRIGGER IF EXISTS audit_auditentry_no_truncate ON audit_auditentry;
CREATE OR REPLACE FUNCTION audit_auditentry_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditentry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

SQLITE_CREATE = [
    "CREATE TABLE IF NOT EXISTS audit_purge_permit (purge_before TEXT NOT NULL)",
    """CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_update
    BEFORE UPDATE ON audit_auditentry
    BEGIN
        SELECT RAISE(ABORT, 'audit_auditentry is append-only: UPDATE refused');
    END""",
    """CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_delete
    BEFORE DELETE ON audit_auditentry
    WHEN NOT EXISTS (SELECT 1 FROM audit_purge_permit WHERE OLD.event_time < purge_before)
    BEGIN
        SELECT RAISE(ABORT, 'audit_auditentry is append-only: DELETE refused');
    END""",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update",
    "DROP TABLE IF EXISTS audit_purge_permit",
]


def create_guards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE, params=None)  # no placeholders: keep the % as is
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
    dependencies = [("audit", "0002_postgresql_append_only")]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("account.created", "Account created"),
                    ("auth.login", "Signed in"),
                    ("auth.login_failed", "Failed sign-in"),
                    ("auth.lockout", "Sign-in locked after repeated failures"),
                    ("auth.logout", "Signed out"),
                    ("auth.password_changed", "Password changed"),
                    ("auth.password_reset", "Password reset"),
                    ("account.email_changed", "E-mail address changed"),
                    ("mfa.added", "Two-factor authentication added"),
                    ("mfa.removed", "Two-factor authentication removed"),
                    ("mfa.reset", "Recovery codes regenerated"),
                    ("mfa.failed", "Wrong two-factor code"),
                    ("account.role_changed", "Role changed"),
                    ("profile.updated", "Profile updated"),
                    ("consent.granted", "Consent given"),
                    ("consent.withdrawn", "Consent withdrawn"),
                    ("record.viewed", "Record viewed by staff"),
                    ("record.changed", "Record changed by staff"),
                    ("record.access_denied", "Access to a record refused"),
                    ("data.exported", "Data exported"),
                    ("data.imported", "Data imported"),
                    ("account.deleted", "Account and personal data erased"),
                    ("audit.purged", "Audit entries past their retention period removed"),
                ],
                max_length=40,
                verbose_name="what",
            ),
        ),
        migrations.RunPython(create_guards, drop_guards),
    ]
